// Taskflow's web app: session handling and wiring of the task list, the chat and live updates.

import { ApiError, request } from "./api.js";
import { byId } from "./dom.js";
import { createDetails } from "./activity.js";
import { createChat } from "./chat.js";
import { clearFieldErrors, fieldErrors, showFieldErrors } from "./fields.js";
import { installShortcuts } from "./keys.js";
import { connectLive } from "./live.js";
import { createNotifications } from "./notify.js";
import { createTasks } from "./tasks.js";
import { createViews } from "./views.js";

const SESSION_KEY = "taskflow.session";
const POLL_MS = 15_000;
// Reminders are not pushed over the socket (only the task's "reminder sent" change is), so the
// bell also looks every 30 s.
const NOTIFY_POLL_MS = 30_000;
const WIDE = window.matchMedia("(min-width: 821px)");

/** @type {{token: string, user: any} | null} */
let session = loadSession();
/** @type {{close: () => void, isLive: () => boolean} | null} */
let live = null;
let pollTimer = 0;
let notifyTimer = 0;
let refreshTimer = 0;

const errorBox = byId("error");
const announcer = byId("announcer");

function loadSession() {
  try {
    const value = JSON.parse(localStorage.getItem(SESSION_KEY) ?? "null");
    return value && typeof value.token === "string" && value.user?.id ? value : null;
  } catch {
    return null;
  }
}

function showError(message) {
  errorBox.textContent = message;
}

function clearError() {
  errorBox.textContent = "";
}

function announce(message) {
  // Re-setting the same text would not be announced twice; clear it first.
  announcer.textContent = "";
  window.setTimeout(() => {
    announcer.textContent = message;
  }, 50);
}

/** Calls the API with the session's token; a 401 ends the session. */
async function call(method, path, options = {}) {
  const used = session;
  try {
    return await request(method, path, { ...options, token: used?.token });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && used) {
      // Several requests may fail at once; the first one ends the session.
      if (session === used) logout();
      throw new ApiError(401, "Your session has ended. Please log in again.");
    }
    throw error;
  }
}

const ctx = { call, user: () => session?.user ?? null, showError, clearError, announce };
const details = createDetails({ ...ctx, token: () => session?.token ?? null, onImported: () => refreshAll() });
const views = createViews(ctx, {
  onSelect: (view) => {
    tasks.showView();
    announce(`${view.name}.`);
  },
});
const tasks = createTasks(ctx, {
  view: () => views.current(),
  onChange: () => views.refreshCounts(),
  onDetails: (task) => details.openTask(task).catch((error) => showError(error.message)),
});
const notifications = createNotifications(ctx, {
  onOpenTask: (taskId) => details.openTaskById(taskId).catch((error) => showError(error.message)),
});
const chat = createChat(ctx, { onReply: () => refreshAll() });
installShortcuts({ ...tasks, enabled: () => session !== null });

function refreshAll() {
  tasks.refresh();
  views.refreshCounts();
  notifications.refresh();
}

function refreshSoon() {
  window.clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(refreshAll, 150);
}

const LIVE_LABELS = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…" };

function startLive() {
  const status = byId("live-status");
  live = connectLive({
    userId: session.user.id,
    token: session.token,
    onEvent: (message) => {
      if (message?.changes?.reminder_sent) notifications.reminderSent();
      refreshSoon();
    },
    onState: (state) => {
      status.dataset.state = state;
      status.textContent = LIVE_LABELS[state];
      status.title =
        state === "live" ? "Changes from other tabs and the assistant appear at once" : "Checking for changes every 15 seconds";
    },
  });
  // Until the socket is up (or if the server has none), poll.
  pollTimer = window.setInterval(() => {
    if (!live?.isLive() && document.visibilityState === "visible") refreshAll();
  }, POLL_MS);
  notifyTimer = window.setInterval(() => {
    if (document.visibilityState === "visible") notifications.refresh();
  }, NOTIFY_POLL_MS);
}

function stopLive() {
  live?.close();
  live = null;
  window.clearInterval(pollTimer);
  window.clearInterval(notifyTimer);
}

function showApp() {
  byId("auth-view").hidden = true;
  byId("app-view").hidden = false;
  byId("session-bar").hidden = false;
  byId("whoami").textContent = `${session.user.name} · times in ${session.user.timezone}`;
  // On a wide screen the add form shows all its fields; on a phone the list comes first.
  /** @type {HTMLDetailsElement} */ (byId("add-more")).open = WIDE.matches;
  refreshAll();
  chat.restore();
  startLive();
}

function showAuth() {
  byId("app-view").hidden = true;
  byId("session-bar").hidden = true;
  byId("auth-view").hidden = false;
}

function startSession(data) {
  session = { token: data.access_token, user: data.user };
  localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  clearError();
  showApp();
  byId("add-title").focus();
}

function logout() {
  stopLive();
  session = null;
  localStorage.removeItem(SESSION_KEY);
  tasks.reset();
  views.reset();
  notifications.reset();
  details.close();
  setChatOpen(false);
  byId("chat-log").replaceChildren();
  showAuth();
  byId("login-email").focus();
}

function value(form, name) {
  return String(new FormData(form).get(name) ?? "").trim();
}

function missing(form, names) {
  const errors = {};
  for (const [name, label] of names) {
    if (!value(form, name)) errors[name] = `Enter your ${label.toLowerCase()}.`;
  }
  return showFieldErrors(form, errors);
}

/** Field errors next to their fields; anything else (a wrong password) in the alert. */
function formError(form, error, fieldFor409) {
  const errors = fieldErrors(error);
  if (error?.status === 409 && fieldFor409) errors[fieldFor409] = "An account with this email already exists. Log in instead?";
  if (!showFieldErrors(form, errors)) showError(error.message);
  else clearError();
}

byId("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.currentTarget);
  if (missing(form, [["email", "Email"], ["password", "Password"]])) return;
  try {
    const { data } = await request("POST", "/api/auth/login", {
      body: { email: value(form, "email"), password: String(new FormData(form).get("password")) },
    });
    form.reset();
    clearFieldErrors(form);
    startSession(data);
  } catch (error) {
    formError(form, error);
  }
});

byId("signup-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.currentTarget);
  if (missing(form, [["name", "Name"], ["email", "Email"], ["password", "Password"]])) return;
  try {
    const { data } = await request("POST", "/api/auth/signup", {
      body: {
        name: value(form, "name"),
        email: value(form, "email"),
        password: String(new FormData(form).get("password")),
        timezone: value(form, "timezone") || browserTimeZone(),
      },
    });
    form.reset();
    clearFieldErrors(form);
    startSession(data);
  } catch (error) {
    formError(form, error, "email");
  }
});

byId("logout-button").addEventListener("click", () => {
  logout();
  announce("Logged out.");
});

for (const id of ["activity-button", "bell-activity"]) {
  byId(id).addEventListener("click", () => details.openAccount().catch((error) => showError(error.message)));
}

/** On a phone the assistant is a panel over the list, opened from the top bar. */
function setChatOpen(open) {
  document.body.classList.toggle("chat-open", open);
  byId("chat-open").setAttribute("aria-expanded", String(open));
  if (open) byId("chat-input").focus();
}
byId("chat-open").addEventListener("click", () => setChatOpen(!document.body.classList.contains("chat-open")));
byId("chat-close").addEventListener("click", () => {
  setChatOpen(false);
  byId("chat-open").focus();
});
byId("chat-panel").addEventListener("keydown", (event) => {
  if (event.key === "Escape" && document.body.classList.contains("chat-open")) {
    setChatOpen(false);
    byId("chat-open").focus();
  }
});

// The session is shared by the browser's tabs (localStorage): logging in or out in one tab
// does the same in the others.
window.addEventListener("storage", (event) => {
  if (event.key !== SESSION_KEY) return;
  const next = loadSession();
  if (!next && session) {
    logout();
    announce("Logged out in another tab.");
  } else if (next && !session) {
    session = next;
    showApp();
  }
});

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && session) refreshSoon();
});

function browserTimeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

function fillTimeZones() {
  const input = /** @type {HTMLInputElement} */ (byId("signup-timezone"));
  input.defaultValue = browserTimeZone();
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const list = byId("timezones");
  for (const zone of zones) {
    const option = document.createElement("option");
    option.value = zone;
    list.append(option);
  }
}

fillTimeZones();
if (session) showApp();
else showAuth();
