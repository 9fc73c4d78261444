// Live updates: a WebSocket that reconnects with exponential backoff (and jitter) when it drops.
// The caller refetches on each message; while the socket is down it polls instead.

const MAX_DELAY_MS = 30_000;

/**
 * @param {{userId: string, token: () => string|null, onEvent: (msg: object) => void,
 *          onState: (state: "connecting"|"live"|"reconnecting") => void}} options
 * @returns {{close: () => void, isLive: () => boolean}}
 */
export function connectLive({ userId, token, onEvent, onState }) {
  /** @type {WebSocket|null} */
  let socket = null;
  let attempt = 0;
  let timer = 0;
  let stopped = false;
  let live = false;

  function open() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const url = `${scheme}//${location.host}/api/${encodeURIComponent(userId)}/updates`;
    onState(attempt === 0 ? "connecting" : "reconnecting");
    try {
      // The token travels as the subprotocol pair ["bearer", token]: never in a URL, so
      // never in an access log (a browser cannot set headers on a WebSocket). Read at each
      // (re)connect: the session refreshes its token while the page stays open.
      socket = new WebSocket(url, ["bearer", token() ?? ""]);
    } catch {
      schedule();
      return;
    }
    socket.addEventListener("open", () => {
      attempt = 0;
      live = true;
      onState("live");
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (message && typeof message === "object") onEvent(message);
    });
    socket.addEventListener("close", () => {
      socket = null;
      live = false;
      if (!stopped) schedule();
    });
  }

  function schedule() {
    onState("reconnecting");
    const base = Math.min(MAX_DELAY_MS, 1000 * 2 ** attempt);
    attempt += 1;
    timer = window.setTimeout(open, base / 2 + Math.random() * (base / 2));
  }

  open();
  return {
    close() {
      stopped = true;
      window.clearTimeout(timer);
      socket?.close(1000, "logged out");
      socket = null;
      live = false;
    },
    isLive: () => live,
  };
}
