// The task list of the current view: filters, sort, paging, grouping by day, one row per
// recurring series, inline add / complete / edit / delete (with Undo), tag chips, and saving
// the current filters as a view.

import { h, byId } from "./dom.js";
import { editForm } from "./editor.js";
import { clearFieldErrors, fieldErrors, showFieldErrors } from "./fields.js";
import {
  ALL_DAY_TIME,
  DEFAULT_PRIORITY,
  PRIORITIES,
  dayKey,
  formatDay,
  formatDue,
  formatFull,
  formatRecurrence,
  formatReminder,
  fromLocalInput,
  splitTags,
} from "./format.js";
import { createQuickAdd } from "./quickadd.js";
import { toast } from "./toast.js";
import { createSaveView } from "./saveview.js";
import { appendParam } from "./views.js";

const PAGE_SIZE = 20;

/**
 * @param {{call: Function, user: () => any, showError: (msg: string) => void,
 *          clearError: () => void, announce: (msg: string) => void}} ctx
 * @param {{view: () => import("./views.js").View, onChange: () => void,
 *          onDetails: (task: any) => void}} hooks
 */
export function createTasks(ctx, { view, onChange, onDetails }) {
  const groups = byId("task-groups");
  const heading = byId("tasks-title");
  const summary = byId("task-summary");
  const addForm = /** @type {HTMLFormElement} */ (byId("add-form"));
  const filterForm = /** @type {HTMLFormElement} */ (byId("filter-form"));
  const tagBox = byId("filter-tags");
  const filterCount = byId("filter-count");
  const prev = /** @type {HTMLButtonElement} */ (byId("page-prev"));
  const next = /** @type {HTMLButtonElement} */ (byId("page-next"));
  const pageLabel = byId("page-label");
  const quickAdd = createQuickAdd(ctx);

  let offset = 0;
  let total = 0;
  let sequence = 0;
  let editing = false;
  let searchTimer = 0;
  /** The tasks last rendered, to put a row back at once when its edit form closes. */
  let shown = [];
  /** A row to focus as soon as a render shows it (a restored task). */
  let focusNext = "";
  /**
   * The rows last rendered by task id, with what they were drawn from. A render puts back the
   * same element for a task that did not change: a live update then never swaps a row under
   * a click in progress (mousedown on the old element, mouseup on the new one is no click).
   * @type {Map<number, {key: string, item: HTMLElement}>}
   */
  let rowsById = new Map();

  const base = () => `/api/${ctx.user().id}`;
  const field = (name) => /** @type {HTMLInputElement} */ (filterForm.elements.namedItem(name));
  for (const [value, meaning] of PRIORITIES) {
    const choice = /** @type {HTMLSelectElement} */ (addForm.elements.namedItem("priority"));
    choice.append(h("option", { value, selected: value === DEFAULT_PRIORITY }, `${value} (${meaning})`));
    field("priority").append(h("option", { value }, value));
  }
  const checkedTags = () => [...tagBox.querySelectorAll("input:checked")].map((input) => /** @type {HTMLInputElement} */ (input).value);

  /** The view's own query, narrowed by the filter form (a field that is set replaces it). */
  function query() {
    const current = view();
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(current.params(ctx.user().timezone))) appendParam(params, name, value);
    const q = field("q").value.trim();
    if (q) params.set("q", q);
    if (field("priority").value) params.set("priority", field("priority").value);
    const status = current.status ?? field("status").value;
    if (status !== "all") params.set("status", status);
    else params.delete("status");
    if (checkedTags().length) params.delete("tag");
    for (const tag of checkedTags()) params.append("tag", tag);
    if (checkedTags().length > 1) params.set("tag_mode", field("tag_mode").value);
    const after = field("due_after").value ? `${field("due_after").value}T00:00:00` : "";
    const before = field("due_before").value ? `${field("due_before").value}T${ALL_DAY_TIME}` : "";
    // Both the view and the filter may bound the due date: the narrower bound wins.
    if (after && (!params.get("due_after") || after > String(params.get("due_after")))) params.set("due_after", after);
    if (before && (!params.get("due_before") || before < String(params.get("due_before")))) params.set("due_before", before);
    params.set("sort", field("sort").value || current.sort);
    params.set("offset", String(offset));
    params.set("limit", String(PAGE_SIZE));
    return params;
  }

  /**
   * What "Save view" stores: the query above without its page, as the API's TaskFilter. A
   * built-in view's own day window (Today, Upcoming) is relative to the day: it is not frozen
   * into the saved view; due dates set in the filter form are.
   */
  function savableFilters() {
    const params = query();
    const current = view();
    if (!current.saved) {
      const own = current.params(ctx.user().timezone);
      for (const bound of ["due_after", "due_before"]) if (own[bound] && params.get(bound) === own[bound]) params.delete(bound);
    }
    const flag = (name) => (params.has(name) ? params.get(name) === "true" : null);
    return {
      q: params.get("q"),
      priority: params.getAll("priority"),
      status: params.get("status") ?? "all",
      tag: params.getAll("tag"),
      tag_mode: params.get("tag_mode") ?? "any",
      due_after: params.get("due_after"),
      due_before: params.get("due_before"),
      overdue: flag("overdue"),
      has_due: flag("has_due"),
      sort: params.get("sort"),
    };
  }

  function activeFilters() {
    return [
      field("q").value.trim(),
      field("priority").value,
      field("status").value !== "open" && !view().status,
      field("due_after").value,
      field("due_before").value,
      checkedTags().length,
    ].filter(Boolean).length;
  }

  async function load() {
    const mine = ++sequence;
    try {
      const { data, headers } = await ctx.call("GET", `${base()}/tasks`, { params: query() });
      if (mine !== sequence) return;
      total = Number(headers.get("X-Total-Count") ?? data.length);
      if (offset > 0 && data.length === 0 && total > 0) {
        offset = Math.max(0, Math.floor((total - 1) / PAGE_SIZE) * PAGE_SIZE);
        return load();
      }
      // An open edit form is not replaced under the user's hands; closing it reloads.
      if (!editing) render(data);
    } catch (error) {
      if (mine === sequence) ctx.showError(error.message);
    }
  }

  async function loadTags() {
    try {
      const { data } = await ctx.call("GET", `${base()}/tags`);
      const chosen = new Set(checkedTags());
      const names = data.map((t) => t.name);
      for (const name of chosen) if (!names.includes(name)) names.push(name);
      tagBox.replaceChildren(
        ...(names.length
          ? names.map((name, index) =>
              h(
                "div",
                { className: "tag-option" },
                h("input", { type: "checkbox", id: `filter-tag-${index}`, name: "tag", value: name, checked: chosen.has(name) }),
                h("label", { for: `filter-tag-${index}` }, `#${name}`),
              ),
            )
          : [h("p", { className: "muted" }, "No tags yet.")]),
      );
    } catch (error) {
      ctx.showError(error.message);
    }
  }

  /** A recurring series is one row: a completed occurrence whose successor is listed is hidden. */
  function oneRowPerSeries(tasks) {
    const succeeded = new Set(tasks.map((t) => t.previous_occurrence_id).filter(Boolean));
    return tasks.filter((t) => !(t.completed && succeeded.has(t.id)));
  }

  function render(tasks) {
    shown = tasks;
    const active = document.activeElement;
    const focusInList = active instanceof HTMLElement && groups.contains(active);
    const focusId = focusInList ? active.id : "";
    const rows = oneRowPerSeries(tasks);
    const current = view();
    const tz = ctx.user().timezone;
    const drawn = new Map();
    /** The task's row: the one on screen if it would be drawn the same, else a new one. */
    const row = (task) => {
      const key = JSON.stringify([task, tz, isOverdue(task)]);
      const before = rowsById.get(task.id);
      const item = before?.key === key ? before.item : renderTask(task);
      drawn.set(task.id, { key, item });
      return item;
    };
    heading.textContent = current.name;
    if (current.groupByDay) {
      const days = new Map();
      for (const task of rows) {
        const key = dayKey(task.due_at, tz);
        if (!days.has(key)) days.set(key, []);
        days.get(key).push(task);
      }
      groups.replaceChildren(
        ...[...days].map(([key, dayTasks]) =>
          h(
            "section",
            { className: "day-group", "aria-labelledby": `day-${key}` },
            h("h3", { id: `day-${key}`, className: "day-title" }, formatDay(key, tz)),
            h("ul", { className: "task-list", "aria-labelledby": `day-${key}` }, ...dayTasks.map(row)),
          ),
        ),
      );
    } else {
      groups.replaceChildren(h("ul", { id: "task-list", className: "task-list", "aria-labelledby": "tasks-title" }, ...rows.map(row)));
    }
    rowsById = drawn;
    if (focusInList) {
      const again = focusId ? document.getElementById(focusId) : null;
      (again ?? heading).focus();
    }
    const wanted = focusNext ? document.getElementById(focusNext) : null;
    if (wanted) {
      focusNext = "";
      wanted.focus();
    }
    const filters = activeFilters();
    filterCount.textContent = filters ? `(${filters} on)` : "";
    if (total === 0) {
      summary.textContent = filters ? "No tasks match these filters." : current.empty;
    } else {
      const first = offset + 1;
      const last = offset + tasks.length;
      summary.textContent = `Showing ${first}–${last} of ${total} task${total === 1 ? "" : "s"}.`;
    }
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    pageLabel.textContent = `Page ${Math.floor(offset / PAGE_SIZE) + 1} of ${pages}`;
    prev.disabled = offset === 0;
    next.disabled = offset + PAGE_SIZE >= total;
  }

  function isOverdue(task) {
    return Boolean(!task.completed && task.due_at && new Date(task.due_at) < new Date());
  }

  function renderTask(task) {
    const tz = ctx.user().timezone;
    const overdue = isOverdue(task);
    const id = `task-${task.id}`;
    const hasReminder = task.remind_before_minutes !== null && task.remind_before_minutes !== undefined;
    const item = h("li", { className: `task${task.completed ? " done" : ""}`, "data-task-id": task.id, id, tabindex: "-1" });
    item.append(
      h("input", {
        type: "checkbox",
        id: `${id}-done`,
        className: "task-check",
        checked: task.completed,
        "aria-label": `Completed: ${task.title}`,
        onchange: () => toggle(task),
      }),
      h(
        "div",
        { className: "task-main" },
        h("span", { className: "task-title", id: `${id}-title` }, task.title),
        h(
          "div",
          { className: "task-meta" },
          h("span", { className: `prio prio-${task.priority}`, title: `Priority ${task.priority}` }, task.priority),
          task.due_at
            ? h(
                "time",
                { className: overdue ? "due overdue" : "due", datetime: task.due_at, title: formatFull(task.due_at, tz) },
                `${overdue ? "Overdue: " : "Due "}${formatDue(task.due_at, tz)}`,
              )
            : null,
          task.recurrence
            ? h("span", { className: "recur" }, h("span", { "aria-hidden": "true" }, "↻ "), `Repeats ${formatRecurrence(task.recurrence)}`)
            : null,
          hasReminder
            ? h(
                "span",
                { className: task.reminder_sent ? "remind sent" : "remind" },
                task.reminder_sent ? "Reminder sent" : `Reminder ${formatReminder(task.remind_before_minutes)}`,
              )
            : null,
        ),
        task.tags.length
          ? h(
              "ul",
              { className: "chips", "aria-label": `Tags of ${task.title}` },
              ...task.tags.map((tag) =>
                h(
                  "li",
                  {},
                  h(
                    "button",
                    { type: "button", className: "chip", "aria-label": `#${tag}: show tasks tagged ${tag}`, onclick: () => filterByTag(tag) },
                    `#${tag}`,
                  ),
                ),
              ),
            )
          : null,
        task.description ? h("p", { className: "task-desc" }, task.description) : null,
      ),
      h(
        "div",
        { className: "task-actions" },
        h("button", { type: "button", id: `${id}-edit`, "aria-label": `Edit ${task.title}`, onclick: () => startEdit(item, task) }, "Edit"),
        h(
          "button",
          { type: "button", id: `${id}-details`, "aria-label": `${task.recurrence ? "History and activity" : "Activity"} of ${task.title}`, onclick: () => onDetails(task) },
          task.recurrence ? "History" : "Activity",
        ),
        h("button", { type: "button", id: `${id}-delete`, className: "danger", "aria-label": `Delete ${task.title}`, onclick: () => remove(task) }, "Delete"),
      ),
    );
    return item;
  }

  async function afterChange() {
    await Promise.all([load(), loadTags()]);
    onChange();
  }

  async function setCompleted(task, completed) {
    const { data } = await ctx.call("PATCH", `${base()}/tasks/${task.id}/complete`, { body: { completed } });
    return data;
  }

  async function toggle(task) {
    rowsById.delete(task.id); // its checkbox already shows the change, whatever the answer
    try {
      const data = await setCompleted(task, !task.completed);
      ctx.clearError();
      const message = data.completed ? `Completed “${task.title}”.` : `Reopened “${task.title}”.`;
      ctx.announce(message);
      // Reopening a recurring occurrence also takes back the occurrence its completion
      // created (the API does it), so Undo is the same reopen for every task.
      const undo = data.completed
        ? { label: "Undo", name: `Undo: reopen ${task.title}`, run: () => setCompleted(task, false).then(afterChange, (e) => ctx.showError(e.message)) }
        : undefined;
      toast(message, { action: undo });
    } catch (error) {
      ctx.showError(error.message);
    }
    await afterChange();
  }

  async function remove(task) {
    try {
      await ctx.call("DELETE", `${base()}/tasks/${task.id}`);
      ctx.clearError();
      ctx.announce(`Deleted “${task.title}”.`);
      toast(`Deleted “${task.title}”.`, { action: { label: "Undo", name: `Undo: restore ${task.title}`, run: () => restore(task) } });
    } catch (error) {
      ctx.showError(error.message);
    }
    await afterChange();
  }

  /** Undo of a delete: the API keeps a deleted task for 30 days. */
  async function restore(task) {
    try {
      await ctx.call("POST", `${base()}/tasks/${task.id}/restore`);
      ctx.clearError();
      ctx.announce(`Restored “${task.title}”.`);
      // The toast that held focus is gone: the task it brought back takes it, in whichever
      // render shows it first (this reload or one a live update started).
      focusNext = `task-${task.id}`;
    } catch (error) {
      ctx.showError(error.message);
    }
    await afterChange();
  }

  function startEdit(item, task) {
    editing = true;
    rowsById.delete(task.id); // the row now holds the form
    const form = editForm(task, {
      timeZone: ctx.user().timezone,
      save: async (body) => {
        await ctx.call("PATCH", `${base()}/tasks/${task.id}`, { body });
        ctx.clearError();
        ctx.announce(`Saved “${body.title}”.`);
        await finishEdit(task);
      },
      cancel: () => finishEdit(task),
    });
    item.replaceChildren(form);
    /** @type {HTMLInputElement} */ (form.querySelector("input")).focus();
  }

  async function finishEdit(task) {
    editing = false;
    // The row comes back at once, with focus on its Edit button; a reload (this one, or one a
    // live update started meanwhile) then refreshes it and keeps that focus.
    render(shown);
    document.getElementById(`task-${task.id}-edit`)?.focus();
    await afterChange();
  }

  function filterByTag(tag) {
    for (const input of tagBox.querySelectorAll("input")) {
      /** @type {HTMLInputElement} */ (input).checked = /** @type {HTMLInputElement} */ (input).value === tag;
    }
    offset = 0;
    ctx.announce(`Showing tasks tagged ${tag}.`);
    load();
  }

  addForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = new FormData(addForm);
    const title = String(values.get("title") ?? "").trim();
    if (showFieldErrors(addForm, title ? {} : { title: "A task needs a title." })) return;
    // What the line says (dates, p1, #tags, every ...), then what the extra fields say.
    const body = await quickAdd.fields(title);
    const priority = String(values.get("priority"));
    if (priority !== DEFAULT_PRIORITY || !body.priority) body.priority = priority;
    body.tags = [...new Set([...(body.tags ?? []), ...splitTags(String(values.get("tags") ?? ""))])];
    const due = fromLocalInput(String(values.get("due") ?? ""));
    if (due) body.due_at = due;
    try {
      await ctx.call("POST", `${base()}/tasks`, { body });
      ctx.clearError();
      clearFieldErrors(addForm);
      ctx.announce(`Added “${body.title}”.`);
      addForm.reset();
      quickAdd.reset();
      byId("add-title").focus();
      offset = 0;
    } catch (error) {
      if (!showFieldErrors(addForm, fieldErrors(error), { due_at: "due" })) ctx.showError(error.message);
    }
    await afterChange();
  });

  filterForm.addEventListener("submit", (event) => {
    event.preventDefault();
    offset = 0;
    load();
  });
  filterForm.addEventListener("change", (event) => {
    if (/** @type {HTMLElement} */ (event.target).id === "filter-q") return;
    offset = 0;
    load();
  });
  field("q").addEventListener("input", () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => {
      offset = 0;
      load();
    }, 250);
  });
  filterForm.addEventListener("reset", () => {
    // The form's values are reset after this event.
    window.setTimeout(() => {
      for (const input of tagBox.querySelectorAll("input")) /** @type {HTMLInputElement} */ (input).checked = false;
      offset = 0;
      if (ctx.user()) load();
    });
  });
  // "Save view": the view then carries these filters, so the form starts clear under it.
  const saveView = createSaveView(ctx, { filters: savableFilters, onSaved: () => filterForm.reset() });

  prev.addEventListener("click", () => {
    offset = Math.max(0, offset - PAGE_SIZE);
    load();
  });
  next.addEventListener("click", () => {
    offset += PAGE_SIZE;
    load();
  });

  return {
    load,
    loadTags,
    refresh: () => Promise.all([load(), loadTags()]),
    showView() {
      offset = 0;
      editing = false;
      return load();
    },
    /** The task rows in order, for keyboard navigation. */
    rows: () => /** @type {HTMLElement[]} */ ([...groups.querySelectorAll("li.task")]),
    toggleRow(row) {
      /** @type {HTMLInputElement|null} */ (row.querySelector(".task-check"))?.click();
    },
    editRow(row) {
      /** @type {HTMLButtonElement|null} */ (row.querySelector("button[id$='-edit']"))?.click();
    },
    reset() {
      offset = 0;
      editing = false;
      rowsById = new Map();
      groups.replaceChildren();
      summary.textContent = "";
      tagBox.replaceChildren();
      addForm.reset();
      quickAdd.reset();
      filterForm.reset();
      saveView.reset();
    },
  };
}
