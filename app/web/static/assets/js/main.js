// Taskflow's web app: session handling and wiring of the task list, the chat and live updates.

import { ApiError, request } from "./api.js";
import { byId } from "./dom.js";
import { createChat } from "./chat.js";
import { connectLive } from "./live.js";
import { createTasks } from "./tasks.js";

const SESSION_KEY = "taskflow.session";
const POLL_MS = 15_000;

/** @type {{token: string, user: any} | null} */
let session = loadSession();
/** @type {{close: () => void, isLive: () => boolean} | null} */
let live = null;
let pollTimer = 0;
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
const tasks = createTasks(ctx);
const chat = createChat(ctx, { onReply: () => tasks.refresh() });

function refreshSoon() {
  window.clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(() => tasks.refresh(), 150);
}

const LIVE_LABELS = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…" };

function startLive() {
  const status = byId("live-status");
  live = connectLive({
    userId: session.user.id,
    token: session.token,
    onEvent: refreshSoon,
    onState: (state) => {
      status.dataset.state = state;
      status.textContent = LIVE_LABELS[state];
      status.title =
        state === "live" ? "Changes from other tabs and the assistant appear at once" : "Checking for changes every 15 seconds";
    },
  });
  // Until the socket is up (or if the server has none), poll.
  pollTimer = window.setInterval(() => {
    if (!live?.isLive() && document.visibilityState === "visible") tasks.refresh();
  }, POLL_MS);
}

function stopLive() {
  live?.close();
  live = null;
  window.clearInterval(pollTimer);
}

function showApp() {
  byId("auth-view").hidden = true;
  byId("app-view").hidden = false;
  byId("session-bar").hidden = false;
  byId("whoami").textContent = `${session.user.name} · times in ${session.user.timezone}`;
  tasks.refresh();
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
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  clearError();
  showApp();
  byId("add-title").focus();
}

function logout() {
  stopLive();
  session = null;
  sessionStorage.removeItem(SESSION_KEY);
  tasks.reset();
  byId("chat-log").replaceChildren();
  showAuth();
  byId("login-email").focus();
}

function value(form, name) {
  return String(new FormData(form).get(name) ?? "").trim();
}

function missing(form, names) {
  for (const [name, label] of names) {
    if (!value(form, name)) {
      showError(`${label} is required.`);
      /** @type {HTMLElement} */ (form.elements.namedItem(name)).focus();
      return true;
    }
  }
  return false;
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
    startSession(data);
  } catch (error) {
    showError(error.message);
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
    startSession(data);
  } catch (error) {
    showError(error.message);
  }
});

byId("logout-button").addEventListener("click", () => {
  logout();
  announce("Logged out.");
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
