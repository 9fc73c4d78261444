// Reminders reach the user: a bell with the unread count and a list, a toast when a reminder
// fires while the page is open, and the browser's Notification API when the user allows it.

import { h, byId } from "./dom.js";
import { formatWhen } from "./format.js";
import { toast } from "./toast.js";

const LIST_SIZE = 20;

/**
 * @param {{call: Function, user: () => any, showError: (msg: string) => void}} ctx
 * @param {{onOpenTask: (taskId: number) => void}} hooks
 */
export function createNotifications(ctx, { onOpenTask }) {
  const button = byId("bell-button");
  const label = byId("bell-label");
  const badge = byId("bell-count");
  const panel = byId("bell-panel");
  const list = byId("bell-list");
  const permissionRow = byId("notify-permission-row");
  /** @type {Set<number>|null} ids already known; null until the first answer (a baseline, no toasts) */
  let seen = null;
  let sequence = 0;
  let items = [];

  const base = () => `/api/${ctx.user().id}/notifications`;

  async function refresh() {
    const mine = ++sequence;
    try {
      const { data, headers } = await ctx.call("GET", base(), { params: new URLSearchParams({ limit: String(LIST_SIZE) }) });
      if (mine !== sequence) return;
      items = data;
      const unread = Number(headers.get("X-Unread-Count") ?? 0);
      badge.textContent = String(unread);
      badge.hidden = unread === 0;
      label.textContent = unread ? `Notifications, ${unread} unread` : "Notifications";
      const fresh = seen ? items.filter((n) => !seen.has(n.id) && !n.read_at) : [];
      seen = new Set([...(seen ?? []), ...items.map((n) => n.id)]);
      for (const n of fresh.reverse()) announce(n);
      render();
      button.dataset.ready = "true";
    } catch {
      // The bell is secondary: the list reports API errors.
    }
  }

  function announce(n) {
    toast(n.message, {
      kind: "reminder",
      action: { label: "Open", name: `Open task: ${n.title}`, run: () => onOpenTask(n.task_id) },
    });
    if ("Notification" in window && Notification.permission === "granted") {
      new Notification("Taskflow reminder", { body: n.message, tag: `taskflow-${n.id}` });
    }
  }

  function render() {
    const tz = ctx.user().timezone;
    permissionRow.hidden = !("Notification" in window) || Notification.permission !== "default";
    if (!items.length) {
      list.replaceChildren(h("li", { className: "muted" }, "No reminders yet. Add a reminder to a task with a due date."));
      return;
    }
    list.replaceChildren(
      ...items.map((n) =>
        h(
          "li",
          { className: n.read_at ? "note read" : "note unread" },
          h("span", { className: "note-text" }, n.message),
          h("time", { className: "note-time", datetime: n.created_at }, formatWhen(n.created_at, tz)),
          n.read_at
            ? null
            : h("button", { type: "button", "aria-label": `Mark read: ${n.title}`, onclick: () => markRead([n]) }, "Mark read"),
        ),
      ),
    );
  }

  async function markRead(notes) {
    try {
      await Promise.all(notes.map((n) => ctx.call("POST", `${base()}/${n.id}/read`)));
    } catch (error) {
      ctx.showError(error.message);
    }
    await refresh();
  }

  function setOpen(open) {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) byId("bell-title").focus();
  }

  button.addEventListener("click", () => setOpen(panel.hidden));
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      setOpen(false);
      button.focus();
    }
  });
  byId("bell-read-all").addEventListener("click", () => markRead(items.filter((n) => !n.read_at)));
  byId("notify-permission").addEventListener("click", async () => {
    await Notification.requestPermission();
    render();
  });

  /** A task's reminder was just sent: its notification is written by another consumer, so
   * look again a few times rather than wait for the next poll. */
  function reminderSent() {
    for (const delay of [300, 1000, 3000]) window.setTimeout(refresh, delay);
  }

  return {
    refresh,
    reminderSent,
    reset() {
      seen = null;
      items = [];
      setOpen(false);
      badge.hidden = true;
      delete button.dataset.ready;
    },
  };
}
