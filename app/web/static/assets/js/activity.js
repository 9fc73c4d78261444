// The details dialog: a task's activity and, for a recurring series, its completed
// occurrences; or the account's activity across all tasks.

import { h, byId } from "./dom.js";
import { dataSection } from "./data.js";
import { formatDue, formatWhen } from "./format.js";

const HISTORY_MAX = 25;
const FIELD_WORDS = {
  title: "title",
  description: "notes",
  priority: "priority",
  tags: "tags",
  due_at: "due date",
  recurrence: "repeat",
  remind_before_minutes: "reminder",
  reminder_sent: "reminder",
  completed: "completion",
};

/** One audit entry in words: "Completed", "Changed title and priority", ... */
export function describeEntry(entry) {
  const changes = entry.changes && typeof entry.changes === "object" ? entry.changes : {};
  switch (entry.event_type) {
    case "created":
      return `Created${changes.title ? ` “${changes.title}”` : ""}`;
    case "completed":
      return "Completed";
    case "deleted":
      return "Deleted";
    case "restored":
      return "Restored";
    case "uncompleted":
      return "Reopened";
    case "due":
      return "Reminder sent";
    case "scheduled":
      return "Reminder set";
    case "cancelled":
      return "Reminder cancelled";
    default: {
      if (changes.completed === false) return "Reopened";
      if (changes.completed === true) return "Completed";
      const fields = [...new Set(Object.keys(changes).map((k) => FIELD_WORDS[k] ?? k.replaceAll("_", " ")))];
      return fields.length ? `Changed ${fields.join(", ")}` : "Updated";
    }
  }
}

/**
 * @param {{call: Function, user: () => any, announce: (msg: string) => void,
 *          onImported: () => void}} ctx
 */
export function createDetails(ctx) {
  const dialog = /** @type {HTMLDialogElement} */ (byId("task-dialog"));
  const title = byId("task-dialog-title");
  const body = byId("task-dialog-body");
  let opener = null;

  const base = () => `/api/${ctx.user().id}`;

  function open(heading, ...content) {
    opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    title.textContent = heading;
    body.replaceChildren(...content);
    if (!dialog.open) dialog.showModal();
  }

  function activityList(entries, label, withTask) {
    const tz = ctx.user().timezone;
    if (!entries.length) return h("p", { className: "muted" }, "Nothing recorded yet.");
    return h(
      "ol",
      { className: "activity-list", "aria-label": label },
      ...entries.map((e) =>
        h(
          "li",
          {},
          h("span", { className: "activity-what" }, describeEntry(e)),
          withTask ? h("span", { className: "muted" }, ` · task ${e.task_id}`) : null,
          " · ",
          h("time", { datetime: e.occurred_at, className: "muted" }, formatWhen(e.occurred_at, tz)),
        ),
      ),
    );
  }

  async function activity(params) {
    const { data } = await ctx.call("GET", `${base()}/activity`, { params: new URLSearchParams(params) });
    return data;
  }

  /** The completed occurrences before this one, newest first (previous_occurrence_id chain). */
  async function history(task) {
    const done = [];
    let previous = task.previous_occurrence_id;
    while (previous && done.length < HISTORY_MAX) {
      try {
        const { data } = await ctx.call("GET", `${base()}/tasks/${previous}`);
        done.push(data);
        previous = data.previous_occurrence_id;
      } catch {
        break; // an occurrence deleted since ends the visible history
      }
    }
    return done;
  }

  async function openTask(task) {
    const tz = ctx.user().timezone;
    const [entries, past] = await Promise.all([activity({ task_id: String(task.id), limit: "50" }), history(task)]);
    const sections = [];
    if (task.recurrence || past.length) {
      sections.push(
        h("h3", {}, "Completed occurrences"),
        past.length
          ? h(
              "ol",
              { className: "history-list", "aria-label": `Completed occurrences of ${task.title}` },
              ...past.map((t) =>
                h(
                  "li",
                  {},
                  t.due_at ? `Due ${formatDue(t.due_at, tz)}` : t.title,
                  t.completed_at ? h("span", { className: "muted" }, ` · done ${formatWhen(t.completed_at, tz)}`) : null,
                ),
              ),
            )
          : h("p", { className: "muted" }, "None yet: completing this task schedules the next one and keeps this one here."),
      );
    }
    sections.push(h("h3", {}, "Activity"), activityList(entries, `Activity of ${task.title}`, false));
    open(task.title, ...sections);
  }

  async function openTaskById(taskId) {
    const { data } = await ctx.call("GET", `${base()}/tasks/${taskId}`);
    await openTask(data);
  }

  async function openAccount() {
    const entries = await activity({ limit: "50" });
    open("Your account", dataSection(ctx), h("h3", {}, "Activity"), activityList(entries, "Account activity", true));
  }

  byId("task-dialog-close").addEventListener("click", () => dialog.close());
  // A live update may have re-rendered the row meanwhile: focus the opener's successor by id.
  dialog.addEventListener("close", () => ((opener?.id && document.getElementById(opener.id)) || opener)?.focus());

  return {
    openTask,
    openTaskById,
    openAccount,
    close: () => dialog.open && dialog.close(),
  };
}
