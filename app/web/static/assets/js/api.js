// The REST client: JSON in and out, the bearer token, and readable errors from 4xx bodies.
// Same-origin fetches carry the HttpOnly refresh cookie by themselves (only /api/auth gets it).

export class ApiError extends Error {
  /** @param {number} status @param {string} message @param {any} [body] the parsed answer */
  constructor(status, message, body = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

/** Turns a FastAPI error body ({message} or {detail}) into one sentence. */
export function errorMessage(status, body) {
  if (body && typeof body === "object") {
    if (typeof body.message === "string" && body.message) return body.message;
    const detail = body.detail;
    if (typeof detail === "string" && detail) return detail;
    if (Array.isArray(detail) && detail.length) {
      return detail
        .map((d) => (d && typeof d === "object" ? [d.field, d.msg].filter(Boolean).join(": ") : String(d)))
        .join("; ");
    }
  }
  if (status === 0) return "Cannot reach the server; check your connection.";
  return `The request failed (HTTP ${status}).`;
}

/**
 * @param {string} method
 * @param {string} path under the same origin, e.g. /api/auth/login
 * @param {{token?: string|null, body?: unknown, contentType?: string, params?: URLSearchParams, raw?: boolean}} [options]
 *   contentType: send body (a string) as it is, with this type, instead of as JSON
 *   raw: return the answer's text (downloads) instead of parsing JSON
 * @returns {Promise<{data: any, headers: Headers, status: number}>}
 */
export async function request(method, path, { token = null, body, contentType, params, raw = false } = {}) {
  // X-Requested-With: the API's CSRF guard on the routes that read the session cookie (a
  // cross-site form cannot send it); harmless everywhere else.
  const headers = { Accept: "application/json", "X-Requested-With": "taskflow" };
  if (body !== undefined) headers["Content-Type"] = contentType ?? "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const url = params && [...params.keys()].length ? `${path}?${params}` : path;
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined || contentType ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, errorMessage(0, null));
  }
  const text = await response.text();
  if (raw && response.ok) return { data: text, headers: response.headers, status: response.status };
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) throw new ApiError(response.status, errorMessage(response.status, data), data);
  return { data, headers: response.headers, status: response.status };
}
