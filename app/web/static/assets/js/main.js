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

// This tab's access token and user: sessionStorage, so a reload keeps them and no other tab
// or later visit reads them. The refresh token is an HttpOnly cookie no script can read.
const SESSION_KEY = "taskflow.session";
// localStorage, shared by the browser's tabs, holds no secret: only the signed-in user's id,
// so a new tab knows to ask for a token through the cookie, and a log-in or log-out in one
// tab reaches the others (`storage` event).
const SIGNED_IN_KEY = "taskflow.signed-in";
const ENDED = "Your session has ended. Please log in again.";
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
    const value = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? "null");
    return value && typeof value.token === "string" && value.user?.id ? value : null;
  } catch {
    return null;
  }
}

function keepSession(data) {
  session = { token: data.access_token, user: data.user };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  localStorage.setItem(SIGNED_IN_KEY, session.user.id);
}

/** @type {Promise<any|null> | null} */
let refreshing = null;

/**
 * A new access token through the refresh cookie: the answer's data, or null when there is no
 * live session. One refresh at a time per tab, and across tabs too (Web Locks): each refresh
 * replaces the cookie, so two tabs sending the same one at once would look like a stolen
 * token and end the session.
 */
function refreshSession() {
  const run = () => request("POST", "/api/auth/refresh").then(({ data }) => data);
  const locked = navigator.locks ? () => navigator.locks.request("taskflow.refresh", run) : run;
  refreshing ??= locked()
    .catch((error) => {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error; // offline or a server error: the session is not over
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

function showError(message) {
  errorBox.textContent = message;
}

/** An error of the signed-in session's work. Once the session has ended, requests still in
 * flight fail (a 401, or a module reading the user that is gone): none of that may replace the
 * message that says why the session ended. */
function showSessionError(message) {
  if (session) showError(message);
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

/** Calls the API with the session's token; on a 401 it refreshes once and retries, and if
 * that fails too the session ends. */
async function call(method, path, options = {}) {
  const used = session;
  try {
    return await request(method, path, { ...options, token: used?.token });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401 && used)) throw error;
  }
  const renewed = session === used ? await refreshSession() : session;
  if (renewed && session === used) keepSession(renewed);
  if (session && session !== used && session.user.id === used.user.id) {
    try {
      return await request(method, path, { ...options, token: session.token });
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
  }
  // Several requests may fail at once; the first one ends the session.
  if (session) endSession();
  showError(ENDED);
  throw new ApiError(401, ENDED);
}

// Modules' messages belong to the session: after it ends they neither show nor clear anything.
const ctx = {
  call,
  user: () => session?.user ?? null,
  showError: showSessionError,
  clearError: () => session && clearError(),
  announce,
};
const details = createDetails({ ...ctx, onImported: () => refreshAll() });
const views = createViews(ctx, {
  onSelect: (view) => {
    tasks.showView();
    announce(`${view.name}.`);
  },
});
const tasks = createTasks(ctx, {
  view: () => views.current(),
  onChange: () => views.refreshCounts(),
  onDetails: (task) => details.openTask(task).catch((error) => showSessionError(error.message)),
});
const notifications = createNotifications(ctx, {
  onOpenTask: (taskId) => details.openTaskById(taskId).catch((error) => showSessionError(error.message)),
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
    token: () => session?.token ?? null,
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
  keepSession(data);
  clearError();
  showApp();
  byId("add-title").focus();
}

/** Forgets this tab's session (the server's is left as it is). */
function endSession() {
  stopLive();
  session = null;
  sessionStorage.removeItem(SESSION_KEY);
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

/** Ends the session in this tab and, through `storage`, in the browser's other tabs. */
function endSessionInEveryTab(message) {
  endSession();
  localStorage.removeItem(SIGNED_IN_KEY);
  announce(message);
}

byId("logout-button").addEventListener("click", () => {
  endSessionInEveryTab("Logged out.");
  // The cookie goes with the request and the server ends its session; offline, the local
  // session is gone anyway and the server's ends when the cookie expires.
  request("POST", "/api/auth/logout").catch(() => {});
});

async function logOutEverywhere() {
  try {
    await call("POST", "/api/auth/logout-all");
  } catch (error) {
    // Not done (offline): say so, and stay signed in rather than pretend.
    if (session) showError(error.message);
    return;
  }
  endSessionInEveryTab("Logged out on every device.");
}

// The top bar's button on a wide screen; on a phone it sits in the bell's panel.
for (const id of ["logout-all-button", "bell-logout-all"]) {
  byId(id).addEventListener("click", logOutEverywhere);
}

for (const id of ["activity-button", "bell-activity"]) {
  byId(id).addEventListener("click", () => details.openAccount().catch((error) => showSessionError(error.message)));
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

// Logging in or out in one tab does the same in the browser's other tabs.
window.addEventListener("storage", (event) => {
  if (event.key !== SIGNED_IN_KEY) return;
  if (session && event.newValue !== session.user.id) {
    endSession();
    announce("Logged out in another tab.");
  }
  if (!session && event.newValue) restore();
});

/** A tab without a token of its own (a new tab, another tab's log-in) gets one through the
 * refresh cookie; without a live session it shows the log-in form. */
async function restore() {
  let data = null;
  try {
    data = await refreshSession();
  } catch (error) {
    showError(error.message);
  }
  if (session) return; // logged in meanwhile
  if (data) {
    keepSession(data);
    showApp();
  } else {
    showAuth();
  }
}

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
else if (localStorage.getItem(SIGNED_IN_KEY)) {
  // Signed in in this browser: no log-in form flashes while the cookie is tried.
  byId("auth-view").hidden = true;
  restore();
} else showAuth();
