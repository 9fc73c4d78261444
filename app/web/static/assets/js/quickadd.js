// Quick add: the add box reads "call dentist tomorrow 9am p1 #health" like the chat does and
// shows what it understood as chips before Enter. Removing a chip keeps those words in the
// title instead, so no word is ever taken by the parser without the user seeing it.

import { h, byId } from "./dom.js";

const DEBOUNCE_MS = 200;
const KIND_WORDS = { due: "Due", priority: "Priority", tag: "Tag", recurrence: "Repeats", reminder: "Reminder" };

/**
 * @param {{call: Function, user: () => any}} ctx
 */
export function createQuickAdd(ctx) {
  const input = /** @type {HTMLInputElement} */ (byId("add-title"));
  const chips = byId("add-chips");
  /** @type {Map<string, Promise<any>>} answers by text, so Enter reuses the chips' reading */
  const cache = new Map();
  /** Tokens the user removed, as "kind:text" (kept while the same words stay in the line). */
  const removed = new Set();
  let timer = 0;
  let shownFor = "";

  const key = (token) => `${token.kind}:${token.text.toLowerCase()}`;

  function parse(text) {
    if (!cache.has(text)) {
      if (cache.size > 50) cache.clear();
      cache.set(
        text,
        ctx.call("POST", `/api/${ctx.user().id}/quick-add`, { body: { text } }).then(
          ({ data }) => data,
          () => null, // without a reading the line is added as typed
        ),
      );
    }
    return /** @type {Promise<any>} */ (cache.get(text));
  }

  async function show() {
    const text = input.value.trim();
    if (!text) return render(null, "");
    const reading = await parse(text);
    if (input.value.trim() === text) render(reading, text);
  }

  function render(reading, text) {
    shownFor = text;
    const tokens = reading?.tokens ?? [];
    for (const k of [...removed]) if (!tokens.some((t) => key(t) === k)) removed.delete(k);
    chips.replaceChildren(
      ...tokens.map((token) => {
        const off = removed.has(key(token));
        const what = `${KIND_WORDS[token.kind] ?? token.kind}: ${token.label}`;
        return h(
          "li",
          { className: `qa-chip qa-${token.kind}${off ? " off" : ""}` },
          h("span", {}, off ? `“${token.text}” stays in the title` : what),
          h(
            "button",
            {
              type: "button",
              "aria-label": off ? `Read “${token.text}” as ${what} again` : `Remove ${what}, keep “${token.text}” in the title`,
              onclick: () => {
                if (off) removed.delete(key(token));
                else removed.add(key(token));
                render(reading, text);
                input.focus();
              },
            },
            off ? "↺" : "×",
          ),
        );
      }),
    );
    chips.hidden = tokens.length === 0;
  }

  /**
   * The task to create from the line: what was read, minus the removed chips.
   * @param {string} text
   * @returns {Promise<Record<string, any>>}
   */
  async function fields(text) {
    const reading = await parse(text);
    if (!reading) return { title: text };
    const kept = reading.tokens.filter((t) => !removed.has(key(t)));
    const keeps = (kind) => kept.some((t) => t.kind === kind);
    const out = {};
    // With every chip kept the parser's own title is right; otherwise take the line without
    // the kept spans (the removed ones stay as words).
    out.title =
      kept.length === reading.tokens.length
        ? reading.title
        : [...kept]
            .sort((a, b) => b.start - a.start)
            .reduce((line, t) => line.slice(0, t.start) + line.slice(t.end), text)
            .replace(/\s+/g, " ")
            .trim();
    if (!out.title) out.title = text;
    // A repeat without a date ("every month on the 1st") starts at its first occurrence.
    const dueFrom = reading.tokens.some((t) => t.kind === "due") ? "due" : "recurrence";
    if (reading.due && keeps(dueFrom)) {
      // A day without a time already reads as the end of that day (see format.js).
      out.due_at = reading.due;
      if (reading.reminder_minutes_before !== null && keeps("reminder")) out.remind_before_minutes = reading.reminder_minutes_before;
    }
    if (reading.priority && keeps("priority")) out.priority = `P${reading.priority}`;
    const removedTags = reading.tokens.filter((t) => t.kind === "tag" && removed.has(key(t))).map((t) => t.text.toLowerCase());
    out.tags = reading.tags.filter((tag) => !removedTags.some((words) => words.includes(tag.toLowerCase())));
    if (reading.recurrence && keeps("recurrence") && out.due_at) out.recurrence = reading.recurrence;
    return out;
  }

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(show, DEBOUNCE_MS);
  });

  return {
    fields,
    /** Chips are current for exactly this text (tests and the submit path need not wait). */
    shownFor: () => shownFor,
    reset() {
      window.clearTimeout(timer);
      removed.clear();
      render(null, "");
    },
  };
}
