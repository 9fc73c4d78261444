// The built-in views (Today, Upcoming, ...): each is a base query the filters add to, and
// the sidebar shows how many open tasks each holds.

import { h, byId } from "./dom.js";
import { addDays, ALL_DAY_TIME, todayKey } from "./format.js";

const UPCOMING_DAYS = 7;

/**
 * @typedef {{id: string, name: string, empty: string, sort: string, groupByDay?: boolean,
 *            status?: string, params: (tz: string) => Record<string, string>}} View
 */

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
 * @param {{call: Function, user: () => any}} ctx
 * @param {{onSelect: (view: View) => void}} hooks
 */
export function createViews(ctx, { onSelect }) {
  const list = byId("views-list");
  let current = VIEWS[0];
  let sequence = 0;

  function render(counts = {}) {
    list.replaceChildren(
      ...VIEWS.map((view) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              className: "view-link",
              id: `view-${view.id}`,
              "aria-current": view === current ? "page" : null,
              onclick: () => select(view),
            },
            h("span", { className: "view-name" }, view.name),
            h("span", { className: "view-count" }, counts[view.id] === undefined ? "" : String(counts[view.id])),
          ),
        ),
      ),
    );
  }

  function select(view) {
    current = view;
    for (const button of list.querySelectorAll("button")) {
      if (button.id === `view-${view.id}`) button.setAttribute("aria-current", "page");
      else button.removeAttribute("aria-current");
    }
    onSelect(view);
  }

  /** One counting request per view (limit=1, total from X-Total-Count). */
  async function refreshCounts() {
    const mine = ++sequence;
    const tz = ctx.user().timezone;
    const counts = {};
    await Promise.all(
      VIEWS.map(async (view) => {
        const params = new URLSearchParams({ ...view.params(tz), limit: "1", status: view.status ?? "open" });
        try {
          const { headers } = await ctx.call("GET", `/api/${ctx.user().id}/tasks`, { params });
          counts[view.id] = Number(headers.get("X-Total-Count") ?? 0);
        } catch {
          // A count is a hint; the list itself reports errors.
        }
      }),
    );
    if (mine !== sequence) return;
    for (const view of VIEWS) {
      const count = byId(`view-${view.id}`).querySelector(".view-count");
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
      render();
    },
  };
}
