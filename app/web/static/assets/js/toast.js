// Toasts: short messages in a polite live region, optionally with one action (e.g. Undo).
// A toast stays while the pointer or focus is in it, so its action can always be reached.

import { h, byId } from "./dom.js";

const SHOW_MS = 6000;

/**
 * @param {string} message
 * @param {{action?: {label: string, name?: string, run: () => void}, kind?: string, timeout?: number}} [options]
 * @returns {{close: () => void, element: HTMLElement}}
 */
export function toast(message, { action, kind = "info", timeout = SHOW_MS } = {}) {
  const box = byId("toasts");
  const element = h("div", { className: `toast toast-${kind}`, role: kind === "reminder" ? "alert" : null }, h("span", { className: "toast-text" }, message));
  let timer = 0;
  const close = () => {
    window.clearTimeout(timer);
    element.remove();
  };
  const arm = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(close, timeout);
  };
  if (action) {
    element.append(
      h(
        "button",
        {
          type: "button",
          className: "toast-action",
          "aria-label": action.name ?? action.label,
          onclick: () => {
            close();
            action.run();
          },
        },
        action.label,
      ),
    );
  }
  element.append(h("button", { type: "button", className: "toast-close", "aria-label": "Dismiss message", onclick: close }, "×"));
  for (const pause of ["mouseenter", "focusin"]) element.addEventListener(pause, () => window.clearTimeout(timer));
  for (const resume of ["mouseleave", "focusout"]) element.addEventListener(resume, arm);
  box.append(element);
  arm();
  return { close, element };
}
