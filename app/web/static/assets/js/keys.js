// Keyboard shortcuts: q add, / search, j/k next/previous task, x complete, e edit, ? help.
// They never fire while the user types in a field, and never with Ctrl, Alt or Meta held.

import { byId } from "./dom.js";

/**
 * @param {{rows: () => HTMLElement[], toggleRow: (row: HTMLElement) => void,
 *          editRow: (row: HTMLElement) => void, enabled: () => boolean}} tasks
 */
export function installShortcuts(tasks) {
  const help = /** @type {HTMLDialogElement} */ (byId("help-dialog"));
  let opener = null;

  const currentRow = () => {
    const active = document.activeElement;
    return active instanceof HTMLElement ? active.closest("li.task") : null;
  };

  function move(step) {
    const rows = tasks.rows();
    if (!rows.length) return;
    const index = rows.indexOf(/** @type {HTMLElement} */ (currentRow()));
    const target = index < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, index + step));
    rows[target].focus();
    rows[target].scrollIntoView({ block: "nearest" });
  }

  function showHelp() {
    opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    help.showModal();
  }

  const actions = {
    q: () => byId("add-title").focus(),
    "/": () => {
      const search = byId("filter-q");
      search.focus();
      /** @type {HTMLInputElement} */ (search).select();
    },
    j: () => move(1),
    k: () => move(-1),
    x: () => {
      const row = currentRow();
      if (row) tasks.toggleRow(row);
    },
    e: () => {
      const row = currentRow();
      if (row) tasks.editRow(row);
    },
    "?": showHelp,
  };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || !tasks.enabled()) return;
    const target = /** @type {HTMLElement} */ (event.target);
    const typing = target instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit"].includes(target.type);
    if (typing || target.closest("textarea, select, [contenteditable], dialog[open]")) return;
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
  byId("help-button").addEventListener("click", showHelp);
  byId("help-close").addEventListener("click", () => help.close());
  help.addEventListener("close", () => ((opener?.id && document.getElementById(opener.id)) || opener)?.focus());
}
