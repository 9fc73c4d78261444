// "Your data": export everything as JSON or the tasks as CSV, and import a Todoist CSV export
// (Taskflow's own CSV reads back the same way).

import { h } from "./dom.js";

/**
 * @param {{call: Function, user: () => any, announce: (msg: string) => void,
 *          onImported: () => void}} ctx
 * @returns {HTMLElement}
 */
export function dataSection(ctx) {
  const status = h("p", { className: "muted", role: "status" });
  const base = () => `/api/${ctx.user().id}`;

  async function download(format) {
    const { data } = await ctx.call("GET", `${base()}/export`, { params: new URLSearchParams({ format }), raw: true });
    const type = format === "csv" ? "text/csv" : "application/json";
    const link = h("a", { href: URL.createObjectURL(new Blob([data], { type })), download: `taskflow.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
    status.textContent = `Exported as ${format.toUpperCase()}.`;
  }

  const file = /** @type {HTMLInputElement} */ (h("input", { id: "import-file", type: "file", accept: ".csv,text/csv" }));
  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    status.textContent = "Importing…";
    try {
      // Through ctx.call like every request: an expired token is renewed and the upload sent again.
      const { data: body } = await ctx.call("POST", `${base()}/import/todoist`, { body: await chosen.text(), contentType: "text/csv" });
      const skipped = body.skipped.length ? ` Skipped ${body.skipped.length}: ${body.skipped.join("; ")}` : "";
      status.textContent = `Imported ${body.imported} task${body.imported === 1 ? "" : "s"}.${skipped}`;
      ctx.onImported();
    } catch (error) {
      status.textContent = error.message;
    }
    file.value = "";
  });

  const fail = (error) => {
    status.textContent = error.message;
  };
  return h(
    "section",
    { className: "data-section", "aria-labelledby": "data-title" },
    h("h3", { id: "data-title" }, "Your data"),
    h(
      "div",
      { className: "data-actions" },
      h("button", { type: "button", onclick: () => download("json").catch(fail) }, "Export all (JSON)"),
      h("button", { type: "button", onclick: () => download("csv").catch(fail) }, "Export tasks (CSV)"),
    ),
    h("div", { className: "field" }, h("label", { for: "import-file" }, "Import a Todoist CSV export"), file),
    status,
  );
}
