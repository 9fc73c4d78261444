// "Save view": the small form under the filters that stores the current filters as a named
// view (POST /api/{user_id}/views); views.js then lists it, selects it and focuses it.

import { byId } from "./dom.js";
import { clearFieldErrors, showFieldErrors } from "./fields.js";
import { toast } from "./toast.js";
import { VIEW_NAME_MISSING, VIEW_SAVED, viewNameProblem } from "./views.js";

/**
 * @param {{call: Function, user: () => any, showError: (msg: string) => void,
 *          clearError: () => void, announce: (msg: string) => void}} ctx
 * @param {{filters: () => Record<string, unknown>, onSaved: () => void}} hooks
 */
export function createSaveView(ctx, { filters, onSaved }) {
  const form = /** @type {HTMLFormElement} */ (byId("save-view-form"));
  const name = /** @type {HTMLInputElement} */ (byId("save-view-name"));
  const opener = byId("filter-save");

  function open(show) {
    form.hidden = !show;
    opener.setAttribute("aria-expanded", String(show));
    clearFieldErrors(form);
    if (show) {
      name.value = "";
      name.focus();
    } else {
      opener.focus();
    }
  }

  opener.addEventListener("click", () => open(form.hidden));
  byId("save-view-cancel").addEventListener("click", () => open(false));
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") open(false);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = name.value.trim();
    if (showFieldErrors(form, text ? {} : { name: VIEW_NAME_MISSING })) return;
    try {
      const { data } = await ctx.call("POST", `/api/${ctx.user().id}/views`, { body: { name: text, filters: filters() } });
      ctx.clearError();
      form.hidden = true;
      opener.setAttribute("aria-expanded", "false");
      ctx.announce(`Saved view “${data.name}”.`);
      toast(`Saved view “${data.name}”.`);
      onSaved();
      document.dispatchEvent(new CustomEvent(VIEW_SAVED, { detail: data }));
    } catch (error) {
      const message = viewNameProblem(error);
      if (!message || !showFieldErrors(form, { name: message })) ctx.showError(error.message);
    }
  });

  return {
    reset() {
      form.reset();
      form.hidden = true;
      opener.setAttribute("aria-expanded", "false");
    },
  };
}
