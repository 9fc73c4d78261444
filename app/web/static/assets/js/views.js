// The built-in views (Today, Upcoming, ...) and the user's saved views (stored by the API,
// /api/{user_id}/views): each is a base query the filters add to, and the sidebar shows how
// many tasks each holds.

import { h, byId } from "./dom.js";
import { addDays, ALL_DAY_TIME, todayKey } from "./format.js";
import { fieldErrors, showFieldErrors } from "./fields.js";
import { toast } from "./toast.js";

const UPCOMING_DAYS = 7;
/** What tasks.js announces when it has saved the filters as a view (detail: the view). */
export const VIEW_SAVED = "taskflow:view-saved";
export const VIEW_NAME_MISSING = "A view needs a name.";

/** Plain words for a view the API refused, saved or renamed: a clash of names, the limit, or
 * the name's length; null when it is none of these. */
export function viewNameProblem(error) {
  if (error.status === 409) {
    return /already exists/.test(error.message)
      ? "You already have a view with this name."
      : "You have the most saved views allowed. Delete one first.";
  }
  return fieldErrors(error).name ?? null;
}

/**
 * A query value: a list is a repeated parameter; null, "" and [] are left out.
 * @typedef {string | boolean | string[] | null | undefined} QueryValue
 * @typedef {{id: string, name: string, empty: string, sort: string, groupByDay?: boolean,
 *            status?: string, params: (tz: string) => Record<string, QueryValue>,
 *            saved?: {id: number, name: string, filters: Record<string, any>}}} View
 */

/** Appends a query value to `params` (lists as repeated parameters). */
export function appendParam(params, name, value) {
  if (value === null || value === undefined || value === "") return;
  for (const item of Array.isArray(value) ? value : [value]) params.append(name, String(item));
}

/**
 * A saved view as a View: its stored filter is the base query; it fixes the status too.
 * @param {{id: number, name: string, filters: Record<string, any>}} saved
 * @returns {View}
 */
function savedView(saved) {
  const { status, sort, ...rest } = saved.filters;
  return {
    id: `saved-${saved.id}`,
    name: saved.name,
    empty: "No tasks match this view.",
    sort: sort ?? "priority,due_at",
    status,
    params: () => rest,
    saved,
  };
}

/** @type {View[]} */
export const VIEWS = [
  {
    id: "all",
    name: "All tasks",
    empty: "No open tasks yet. Add one above or ask the assistant.",
    sort: "priority,due_at",
    params: () => ({}),
  },
  {
    id: "today",
    name: "Today",
    empty: "Nothing due today.",
    sort: "due_at,priority",
    status: "open",
    params: (tz) => {
      const today = todayKey(tz);
      return { due_after: `${today}T00:00:00`, due_before: `${today}T${ALL_DAY_TIME}` };
    },
  },
  {
    id: "upcoming",
    name: "Upcoming",
    empty: "Nothing due in the next 7 days.",
    sort: "due_at,priority",
    status: "open",
    groupByDay: true,
    params: (tz) => {
      const today = todayKey(tz);
      return {
        due_after: `${today}T00:00:00`,
        due_before: `${addDays(today, UPCOMING_DAYS - 1)}T${ALL_DAY_TIME}`,
      };
    },
  },
  {
    id: "overdue",
    name: "Overdue",
    empty: "Nothing overdue. Well done.",
    sort: "due_at,priority",
    status: "open",
    params: () => ({ overdue: "true" }),
  },
  {
    id: "nodate",
    name: "No date",
    empty: "Every open task has a due date.",
    sort: "priority,-created_at",
    status: "open",
    params: () => ({ has_due: "false" }),
  },
  {
    id: "completed",
    name: "Completed",
    empty: "No completed tasks yet.",
    sort: "-updated_at",
    status: "completed",
    params: () => ({}),
  },
];

/**
 * The sidebar of views with their counts.
 * @param {{call: Function, user: () => any, announce: (msg: string) => void,
 *          showError: (msg: string) => void}} ctx
 * @param {{onSelect: (view: View) => void}} hooks
 */
export function createViews(ctx, { onSelect }) {
  const list = byId("views-list");
  const savedTitle = byId("saved-views-title");
  const savedList = byId("saved-views-list");
  let current = VIEWS[0];
  /** @type {View[]} */
  let saved = [];
  let sequence = 0;
  /**
   * The saved view being renamed and its form: the same element is put back by every render
   * (the list is redrawn on each refresh), so what the user typed and the focus stay.
   * @type {{id: string, form: HTMLFormElement} | null}
   */
  let renaming = null;

  const url = () => `/api/${ctx.user().id}/views`;
  const all = () => [...VIEWS, ...saved];

  function link(view, counts) {
    return h(
      "button",
      {
        type: "button",
        className: "view-link",
        id: `view-${view.id}`,
        "aria-current": view.id === current.id ? "page" : null,
        onclick: () => select(view),
      },
      h("span", { className: "view-name" }, view.name),
      h("span", { className: "view-count" }, counts[view.id] === undefined ? "" : String(counts[view.id])),
    );
  }

  function render(counts = {}) {
    list.replaceChildren(...VIEWS.map((view) => h("li", {}, link(view, counts))));
    renderSaved(counts);
  }

  function renderSaved(counts = {}) {
    // Rendered again on every refresh: a focused entry keeps focus.
    const focused = savedList.contains(document.activeElement) ? document.activeElement?.id : "";
    savedTitle.hidden = savedList.hidden = saved.length === 0;
    savedList.replaceChildren(
      ...saved.map((view) =>
        h(
          "li",
          { className: "saved-view" },
          ...(renaming?.id === view.id ? [renaming.form] : savedEntry(view, counts)),
        ),
      ),
    );
    if (focused) document.getElementById(focused)?.focus();
  }

  function savedEntry(view, counts) {
    return [link(view, counts), action(view, "Rename", "✎", () => startRename(view)), action(view, "Delete", "×", () => remove(view))];
  }

  /** An icon button for one saved view, named in full for screen readers and as a tooltip. */
  function action(view, verb, symbol, run) {
    const name = `${verb} saved view ${view.name}`;
    return h(
      "button",
      { type: "button", className: "view-action", id: `view-${view.id}-${verb.toLowerCase()}`, "aria-label": name, title: name, onclick: run },
      h("span", { "aria-hidden": "true" }, symbol),
    );
  }

  function startRename(view) {
    const input = /** @type {HTMLInputElement} */ (
      h("input", { id: `view-${view.id}-name`, name: "name", maxlength: "100", autocomplete: "off", required: true })
    );
    input.value = view.name;
    const form = /** @type {HTMLFormElement} */ (
      h(
        "form",
        { className: "view-rename", "aria-label": `Rename saved view ${view.name}`, novalidate: true },
        h("label", { for: input.id, className: "visually-hidden" }, "New name"),
        input,
        h("button", { type: "submit" }, "Save"),
        h("button", { type: "button", onclick: () => endRename(view) }, "Cancel"),
      )
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      rename(view, input.value.trim(), form);
    });
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") endRename(view);
    });
    renaming = { id: view.id, form };
    renderSaved(currentCounts());
    input.focus();
    input.select();
  }

  function endRename(view) {
    renaming = null;
    renderSaved(currentCounts());
    document.getElementById(`view-${view.id}-rename`)?.focus();
  }

  async function rename(view, name, form) {
    if (showFieldErrors(form, name ? {} : { name: VIEW_NAME_MISSING })) return;
    try {
      const { data } = await ctx.call("PATCH", `${url()}/${view.saved.id}`, { body: { name } });
      ctx.clearError();
      renaming = null;
      await loadSaved();
      // The list's heading names the view shown: show it again under its new name.
      if (current.id === view.id) select(current);
      document.getElementById(`view-${view.id}-rename`)?.focus();
      ctx.announce(`Renamed the view to “${data.name}”.`);
    } catch (error) {
      const message = viewNameProblem(error);
      if (!message || !showFieldErrors(form, { name: message })) ctx.showError(error.message);
    }
  }

  function select(view) {
    current = view;
    for (const button of [...list.querySelectorAll("button"), ...savedList.querySelectorAll(".view-link")]) {
      if (button.id === `view-${view.id}`) button.setAttribute("aria-current", "page");
      else button.removeAttribute("aria-current");
    }
    onSelect(view);
  }

  /** The saved views, fetched again (another tab or device may have changed them). */
  async function loadSaved() {
    const { data } = await ctx.call("GET", url());
    saved = data.map(savedView);
    const same = saved.find((view) => view.id === current.id);
    if (same) current = same;
    else if (current.saved) select(VIEWS[0]); // deleted elsewhere
    renderSaved(currentCounts());
  }

  function currentCounts() {
    const counts = {};
    for (const button of [...list.querySelectorAll(".view-link"), ...savedList.querySelectorAll(".view-link")]) {
      const text = button.querySelector(".view-count")?.textContent;
      if (text) counts[button.id.slice("view-".length)] = Number(text);
    }
    return counts;
  }

  async function remove(view) {
    try {
      await ctx.call("DELETE", `${url()}/${view.saved.id}`);
      ctx.announce(`Deleted view “${view.name}”.`);
      const again = { name: view.saved.name, filters: view.saved.filters };
      toast(`Deleted view “${view.name}”.`, {
        action: { label: "Undo", name: `Undo: save view ${view.name} again`, run: () => create(again) },
      });
      if (current.id === view.id) select(VIEWS[0]);
      byId(`view-${current.id}`).focus();
    } catch (error) {
      ctx.showError(error.message);
    }
    await refreshCounts();
  }

  /** Saves a view again (Undo of a delete) and shows it. */
  async function create(body) {
    try {
      const { data } = await ctx.call("POST", url(), { body });
      await shown(data);
    } catch (error) {
      ctx.showError(error.message);
    }
  }

  /** A view just saved: list it and select it. */
  async function shown(data) {
    await loadSaved().catch((error) => ctx.showError(error.message));
    const view = saved.find((v) => v.saved?.id === data.id);
    if (view) {
      select(view);
      document.getElementById(`view-${view.id}`)?.focus();
    }
    await refreshCounts();
  }

  document.addEventListener(VIEW_SAVED, (event) => {
    shown(/** @type {CustomEvent} */ (event).detail);
  });

  /** One counting request per view (limit=1, total from X-Total-Count). */
  async function refreshCounts() {
    const mine = ++sequence;
    try {
      await loadSaved();
    } catch {
      // The built-in views still count; the list reports errors.
    }
    if (mine !== sequence) return;
    const tz = ctx.user().timezone;
    const counts = {};
    await Promise.all(
      all().map(async (view) => {
        const params = new URLSearchParams({ limit: "1", status: view.status ?? "open" });
        for (const [name, value] of Object.entries(view.params(tz))) appendParam(params, name, value);
        try {
          const { headers } = await ctx.call("GET", `/api/${ctx.user().id}/tasks`, { params });
          counts[view.id] = Number(headers.get("X-Total-Count") ?? 0);
        } catch {
          // A count is a hint; the list itself reports errors.
        }
      }),
    );
    if (mine !== sequence) return;
    for (const view of all()) {
      const count = document.getElementById(`view-${view.id}`)?.querySelector(".view-count");
      if (!count) continue;
      count.textContent = counts[view.id] === undefined ? "" : String(counts[view.id]);
    }
  }

  render();
  return {
    current: () => current,
    select,
    refreshCounts,
    reset() {
      current = VIEWS[0];
      saved = [];
      renaming = null;
      render();
    },
  };
}
