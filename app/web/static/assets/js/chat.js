// The assistant panel: send with Enter, replies announced through the log's aria-live.

import { h, byId } from "./dom.js";

/**
 * @param {{call: Function, user: () => any, showError: (msg: string) => void, clearError: () => void}} ctx
 * @param {{onReply: () => void}} hooks
 */
export function createChat(ctx, { onReply }) {
  const log = byId("chat-log");
  const form = /** @type {HTMLFormElement} */ (byId("chat-form"));
  const input = /** @type {HTMLInputElement} */ (byId("chat-input"));
  const newButton = byId("chat-new");
  let busy = false;

  const storageKey = () => `taskflow.conversation.${ctx.user().id}`;
  const conversationId = () => localStorage.getItem(storageKey());

  function append(role, text, toolCalls = []) {
    const who = role === "user" ? "You" : "Assistant";
    const item = h(
      "li",
      { className: `msg msg-${role === "user" ? "user" : "assistant"}` },
      h("span", { className: "msg-who" }, `${who}: `),
      h("span", { className: "msg-text" }, text),
    );
    if (toolCalls.length) {
      item.append(
        h(
          "details",
          { className: "msg-tools" },
          h("summary", {}, `Actions taken (${toolCalls.length})`),
          h("ul", {}, ...toolCalls.map((call) => h("li", {}, describeCall(call)))),
        ),
      );
    }
    log.append(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function describeCall(call) {
    const args = call.arguments && typeof call.arguments === "object" ? call.arguments : {};
    const subject = args.title ?? args.task ?? args.query ?? args.task_id ?? "";
    return subject ? `${call.name}: ${subject}` : String(call.name);
  }

  async function send(text) {
    if (busy) return;
    busy = true;
    log.setAttribute("aria-busy", "true");
    append("user", text);
    input.value = "";
    const pending = h("li", { className: "msg msg-pending", "aria-hidden": "true" }, "Assistant is thinking…");
    log.append(pending);
    try {
      const body = { message: text };
      const current = conversationId();
      if (current) body.conversation_id = current;
      const { data } = await ctx.call("POST", `/api/${ctx.user().id}/chat`, { body });
      if (data?.conversation_id != null) localStorage.setItem(storageKey(), String(data.conversation_id));
      pending.remove();
      log.removeAttribute("aria-busy");
      append("assistant", String(data?.reply ?? ""), Array.isArray(data?.tool_calls) ? data.tool_calls : []);
      ctx.clearError();
      onReply();
    } catch (error) {
      pending.remove();
      log.removeAttribute("aria-busy");
      input.value = text;
      const message =
        error?.status === 404 ? "The assistant is not available on this server yet." : error.message;
      ctx.showError(message);
    } finally {
      busy = false;
    }
  }

  async function restore() {
    log.replaceChildren();
    const current = conversationId();
    if (!current) return greet();
    try {
      const { data } = await ctx.call(
        "GET",
        `/api/${ctx.user().id}/conversations/${encodeURIComponent(current)}/messages`,
      );
      const messages = Array.isArray(data) ? data : Array.isArray(data?.messages) ? data.messages : [];
      for (const m of messages) {
        if (m && (m.role === "user" || m.role === "assistant")) {
          append(m.role, String(m.content ?? m.text ?? ""), Array.isArray(m.tool_calls) ? m.tool_calls : []);
        }
      }
      if (!messages.length) greet();
    } catch {
      localStorage.removeItem(storageKey());
      greet();
    }
  }

  function greet() {
    log.append(
      h(
        "li",
        { className: "msg msg-hint" },
        'Try "buy milk tomorrow at 5pm #groceries p2", "what\'s due this week?" or "mark buy milk done".',
      ),
    );
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      ctx.showError("Type a message for the assistant first.");
      input.focus();
      return;
    }
    send(text);
  });
  newButton.addEventListener("click", () => {
    localStorage.removeItem(storageKey());
    log.replaceChildren();
    greet();
    input.focus();
  });

  return { restore };
}
