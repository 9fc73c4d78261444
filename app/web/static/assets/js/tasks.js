// The task list: filters, sort, paging, inline add / complete / edit / delete, tag chips.

import { h, byId } from "./dom.js";
import {
  formatDue,
  formatFull,
  formatRecurrence,
  formatReminder,
  fromLocalInput,
  splitTags,
  toLocalInput,
} from "./format.js";

const PAGE_SIZE = 20;

/**
 * @param {{call: Function, user: () => any, showError: (msg: string) => void,
 *          clearError: () => void, announce: (msg: string) => void}} ctx
 */
export function createTasks(ctx) {
  const list = byId("task-list");
  const heading = byId("tasks-title");
  const summary = byId("task-summary");
  const addForm = /** @type {HTMLFormElement} */ (byId("add-form"));
  const filterForm = /** @type {HTMLFormElement} */ (byId("filter-form"));
  const tagSelect = /** @type {HTMLSelectElement} */ (byId("filter-tag"));
  const prev = /** @type {HTMLButtonElement} */ (byId("page-prev"));
  const next = /** @type {HTMLButtonElement} */ (byId("page-next"));
  const pageLabel = byId("page-label");

  let offset = 0;
  let total = 0;
  let sequence = 0;
  let editing = false;
  let searchTimer = 0;

  const base = () => `/api/${ctx.user().id}`;
  const field = (name) => /** @type {HTMLInputElement} */ (filterForm.elements.namedItem(name));

  function query() {
    const params = new URLSearchParams();
    const q = field("q").value.trim();
    if (q) params.set("q", q);
    if (field("priority").value) params.append("priority", field("priority").value);
    if (field("status").value !== "all") params.set("status", field("status").value);
    if (tagSelect.value) params.append("tag", tagSelect.value);
    if (field("overdue").checked) params.set("overdue", "true");
    params.set("sort", field("sort").value);
    params.set("offset", String(offset));
    params.set("limit", String(PAGE_SIZE));
    return params;
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
      const chosen = tagSelect.value;
      const names = data.map((t) => t.name);
      if (chosen && !names.includes(chosen)) names.push(chosen);
      tagSelect.replaceChildren(
        h("option", { value: "" }, "Any"),
        ...names.map((name) => h("option", { value: name, selected: name === chosen }, name)),
      );
    } catch (error) {
      ctx.showError(error.message);
    }
  }

  function render(tasks) {
    const active = document.activeElement;
    const focusInList = active instanceof HTMLElement && list.contains(active);
    const focusId = focusInList ? active.id : "";
    list.replaceChildren(...tasks.map(renderTask));
    if (focusInList) {
      const again = focusId ? document.getElementById(focusId) : null;
      (again ?? heading).focus();
    }
    const filtered = [...new FormData(filterForm).entries()].some(
      ([k, v]) => v && !(k === "status" && v === "all") && k !== "sort",
    );
    if (total === 0) {
      summary.textContent = filtered
        ? "No tasks match these filters."
        : "No tasks yet. Add one above or ask the assistant.";
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

  function renderTask(task) {
    const tz = ctx.user().timezone;
    const overdue = !task.completed && task.due_at && new Date(task.due_at) < new Date();
    const id = `task-${task.id}`;
    const item = h("li", { className: `task${task.completed ? " done" : ""}`, "data-task-id": task.id });
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
          task.remind_before_minutes !== null && task.remind_before_minutes !== undefined
            ? h(
                "span",
                { className: task.reminder_sent ? "remind sent" : "remind" },
                `Reminder ${formatReminder(task.remind_before_minutes)}${task.reminder_sent ? " (sent)" : ""}`,
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
                    {
                      type: "button",
                      className: "chip",
                      "aria-label": `#${tag}: show tasks tagged ${tag}`,
                      onclick: () => filterByTag(tag),
                    },
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
          { type: "button", id: `${id}-delete`, className: "danger", "aria-label": `Delete ${task.title}`, onclick: () => remove(task) },
          "Delete",
        ),
      ),
    );
    return item;
  }

  async function toggle(task) {
    try {
      const { data } = await ctx.call("PATCH", `${base()}/tasks/${task.id}/complete`, {
        body: { completed: !task.completed },
      });
      ctx.clearError();
      ctx.announce(data.completed ? `Completed “${task.title}”.` : `Reopened “${task.title}”.`);
    } catch (error) {
      ctx.showError(error.message);
    }
    await load();
  }

  async function remove(task) {
    try {
      await ctx.call("DELETE", `${base()}/tasks/${task.id}`);
      ctx.clearError();
      ctx.announce(`Deleted “${task.title}”.`);
    } catch (error) {
      ctx.showError(error.message);
    }
    await Promise.all([load(), loadTags()]);
  }

  function startEdit(item, task) {
    editing = true;
    const tz = ctx.user().timezone;
    const id = `edit-${task.id}`;
    const input = (name, label, attrs) =>
      h("div", { className: "field" }, h("label", { for: `${id}-${name}` }, label), h("input", { id: `${id}-${name}`, name, ...attrs }));
    const priority = h(
      "select",
      { id: `${id}-priority`, name: "priority" },
      ...["P1", "P2", "P3", "P4"].map((p) => h("option", { value: p, selected: p === task.priority }, p)),
    );
    const form = h(
      "form",
      { className: "edit-form", "aria-label": `Edit ${task.title}` },
      input("title", "Title", { type: "text", value: task.title, required: true, maxlength: 500 }),
      h("div", { className: "field" }, h("label", { for: `${id}-priority` }, "Priority"), priority),
      input("due", "Due", { type: "datetime-local", value: task.due_at ? toLocalInput(task.due_at, tz) : "" }),
      input("tags", "Tags (comma-separated)", { type: "text", value: task.tags.join(", ") }),
      h(
        "div",
        { className: "field grow" },
        h("label", { for: `${id}-description` }, "Notes"),
        h("textarea", { id: `${id}-description`, name: "description", rows: 2, maxlength: 10000 }, task.description),
      ),
      h(
        "div",
        { className: "edit-actions" },
        h("button", { type: "submit", className: "primary" }, "Save"),
        h("button", { type: "button", onclick: () => finishEdit(task) }, "Cancel"),
      ),
    );
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") finishEdit(task);
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const values = new FormData(form);
      const title = String(values.get("title") ?? "").trim();
      if (!title) {
        ctx.showError("A task needs a title.");
        return;
      }
      const dueValue = String(values.get("due") ?? "");
      const body = {
        title,
        priority: String(values.get("priority")),
        tags: splitTags(String(values.get("tags") ?? "")),
        description: String(values.get("description") ?? ""),
      };
      const before = task.due_at ? toLocalInput(task.due_at, tz) : "";
      if (dueValue !== before) body.due_at = fromLocalInput(dueValue);
      try {
        await ctx.call("PATCH", `${base()}/tasks/${task.id}`, { body });
        ctx.clearError();
        ctx.announce(`Saved “${title}”.`);
        await finishEdit(task);
      } catch (error) {
        ctx.showError(error.message);
      }
    });
    item.replaceChildren(form);
    /** @type {HTMLInputElement} */ (form.querySelector("input")).focus();
  }

  async function finishEdit(task) {
    editing = false;
    await Promise.all([load(), loadTags()]);
    document.getElementById(`task-${task.id}-edit`)?.focus();
  }

  function filterByTag(tag) {
    if (![...tagSelect.options].some((o) => o.value === tag)) tagSelect.append(h("option", { value: tag }, tag));
    tagSelect.value = tag;
    offset = 0;
    ctx.announce(`Showing tasks tagged ${tag}.`);
    load();
  }

  addForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = new FormData(addForm);
    const title = String(values.get("title") ?? "").trim();
    if (!title) {
      ctx.showError("A task needs a title.");
      byId("add-title").focus();
      return;
    }
    const body = {
      title,
      priority: String(values.get("priority")),
      tags: splitTags(String(values.get("tags") ?? "")),
    };
    const due = fromLocalInput(String(values.get("due") ?? ""));
    if (due) body.due_at = due;
    try {
      await ctx.call("POST", `${base()}/tasks`, { body });
      ctx.clearError();
      ctx.announce(`Added “${title}”.`);
      addForm.reset();
      byId("add-title").focus();
      offset = 0;
    } catch (error) {
      ctx.showError(error.message);
    }
    await Promise.all([load(), loadTags()]);
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
      offset = 0;
      if (ctx.user()) load();
    });
  });
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
    reset() {
      offset = 0;
      editing = false;
      list.replaceChildren();
      summary.textContent = "";
      tagSelect.replaceChildren(h("option", { value: "" }, "Any"));
      addForm.reset();
      filterForm.reset();
    },
  };
}
