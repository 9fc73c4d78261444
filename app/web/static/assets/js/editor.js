// The inline edit form: every field of a task (title, notes, due day with an optional time,
// repeat with a readable picker and the raw RRULE, reminder, priority, tags), with each
// field's error next to it.

import { h } from "./dom.js";
import { ALL_DAY_TIME, PRIORITIES, isAllDay, splitTags, toLocalInput } from "./format.js";
import { clearFieldErrors, fieldErrors, showFieldErrors } from "./fields.js";

export const REPEATS = [
  ["", "Does not repeat"],
  ["FREQ=DAILY", "Every day"],
  ["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Every weekday"],
  ["FREQ=WEEKLY", "Every week"],
  ["FREQ=WEEKLY;INTERVAL=2", "Every 2 weeks"],
  ["FREQ=MONTHLY", "Every month"],
  ["FREQ=YEARLY", "Every year"],
  ["custom", "Custom rule"],
];

export const REMINDERS = [
  ["", "No reminder"],
  ["0", "At the due time"],
  ["5", "5 minutes before"],
  ["15", "15 minutes before"],
  ["30", "30 minutes before"],
  ["60", "1 hour before"],
  ["1440", "1 day before"],
];

/** API field -> form control name, for errors. */
const NAMES = { due_at: "due_date", recurrence: "rule", remind_before_minutes: "reminder" };

/**
 * @param {any} task
 * @param {{timeZone: string, save: (body: object) => Promise<void>, cancel: () => void}} options
 * @returns {HTMLFormElement}
 */
export function editForm(task, { timeZone, save, cancel }) {
  const id = `edit-${task.id}`;
  const local = task.due_at ? toLocalInput(task.due_at, timeZone) : "";
  const allDay = task.due_at ? isAllDay(task.due_at, timeZone) : false;
  const preset = REPEATS.some(([value]) => value === (task.recurrence ?? "")) ? task.recurrence ?? "" : "custom";
  const reminder = task.remind_before_minutes === null || task.remind_before_minutes === undefined ? "" : String(task.remind_before_minutes);
  const reminders = REMINDERS.some(([value]) => value === reminder) ? REMINDERS : [...REMINDERS, [reminder, `${reminder} minutes before`]];

  const field = (name, label, control, extra = "") =>
    h("div", { className: `field ${extra}`.trim() }, h("label", { for: `${id}-${name}` }, label), control);
  const select = (name, options, chosen) =>
    h("select", { id: `${id}-${name}`, name }, ...options.map(([value, text]) => h("option", { value, selected: value === chosen }, text)));

  const repeat = select("repeat", REPEATS, preset);
  const rule = h("input", { id: `${id}-rule`, name: "rule", type: "text", value: task.recurrence ?? "", placeholder: "FREQ=WEEKLY;BYDAY=MO,WE", autocomplete: "off" });
  const form = /** @type {HTMLFormElement} */ (
    h(
      "form",
      { className: "edit-form", "aria-label": `Edit ${task.title}`, novalidate: true },
      field("title", "Title", h("input", { id: `${id}-title`, name: "title", type: "text", value: task.title, required: true, maxlength: 500 }), "grow"),
      field("priority", "Priority", select("priority", PRIORITIES.map(([p]) => [p, p]), task.priority)),
      field("due_date", "Due date", h("input", { id: `${id}-due_date`, name: "due_date", type: "date", value: local.slice(0, 10) })),
      field("due_time", "Time (optional)", h("input", { id: `${id}-due_time`, name: "due_time", type: "time", value: allDay ? "" : local.slice(11, 16) })),
      field("repeat", "Repeats", repeat),
      field("rule", "Rule (RRULE or cron)", rule),
      field("reminder", "Reminder", select("reminder", reminders, reminder)),
      field("tags", "Tags (comma-separated)", h("input", { id: `${id}-tags`, name: "tags", type: "text", value: task.tags.join(", ") })),
      field(
        "description",
        "Notes",
        h("textarea", { id: `${id}-description`, name: "description", rows: 2, maxlength: 10000 }, task.description),
        "wide",
      ),
      h(
        "div",
        { className: "edit-actions" },
        h("button", { type: "submit", className: "primary" }, "Save"),
        h("button", { type: "button", onclick: cancel }, "Cancel"),
      ),
    )
  );

  // The picker and the rule are two views of one value.
  repeat.addEventListener("change", () => {
    if (repeat.value !== "custom") rule.value = repeat.value;
    else rule.focus();
  });
  rule.addEventListener("input", () => {
    const text = rule.value.trim().toUpperCase();
    repeat.value = REPEATS.some(([value]) => value === text) ? text : "custom";
  });

  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      cancel();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = new FormData(form);
    const text = (name) => String(values.get(name) ?? "").trim();
    const errors = {};
    if (!text("title")) errors.title = "A task needs a title.";
    if (text("due_time") && !text("due_date")) errors.due_at = "Choose a day for this time.";
    if ((text("rule") || text("reminder")) && !text("due_date")) {
      errors[text("rule") ? "recurrence" : "remind_before_minutes"] = "Set a due date first: repeats and reminders count from it.";
    }
    if (showFieldErrors(form, errors, NAMES)) return;

    const due = text("due_date") ? `${text("due_date")}T${text("due_time") ? `${text("due_time")}:00` : ALL_DAY_TIME}` : null;
    const body = {
      title: text("title"),
      priority: text("priority"),
      tags: splitTags(text("tags")),
      description: String(values.get("description") ?? ""),
      recurrence: text("rule") || null,
      remind_before_minutes: text("reminder") === "" ? null : Number(text("reminder")),
    };
    const before = task.due_at ? (allDay ? `${local.slice(0, 10)}T${ALL_DAY_TIME}` : `${local}:00`) : null;
    if (due !== before) body.due_at = due;
    try {
      clearFieldErrors(form);
      await save(body);
    } catch (error) {
      if (!showFieldErrors(form, fieldErrors(error), NAMES)) throw error;
    }
  });
  return form;
}
