// Dates in the user's own time zone (from their profile), whatever the browser's zone is.

/** @param {string} iso @param {string} timeZone */
export function formatDue(iso, timeZone) {
  return new Intl.DateTimeFormat(undefined, {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: sameYear(iso, timeZone) ? undefined : "numeric",
    hour: "numeric",
    minute: "2-digit",
  }).format(new Date(iso));
}

/** @param {string} iso @param {string} timeZone */
export function formatFull(iso, timeZone) {
  return new Intl.DateTimeFormat(undefined, {
    timeZone,
    dateStyle: "full",
    timeStyle: "short",
  }).format(new Date(iso)) + ` (${timeZone})`;
}

function sameYear(iso, timeZone) {
  const year = (d) => new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric" }).format(d);
  return year(new Date(iso)) === year(new Date());
}

/**
 * The wall-clock value for an <input type="datetime-local">, in the user's zone.
 * @param {string} iso
 * @param {string} timeZone
 */
export function toLocalInput(iso, timeZone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/**
 * An <input type="datetime-local"> value sent as is: the API reads a time without an offset
 * in the user's time zone. Empty means no due date.
 * @param {string} value
 */
export function fromLocalInput(value) {
  return value ? `${value}:00` : null;
}

/** @param {number} minutes */
export function formatReminder(minutes) {
  if (minutes === 0) return "at the due time";
  if (minutes % 1440 === 0) return `${minutes / 1440} d before`;
  if (minutes % 60 === 0) return `${minutes / 60} h before`;
  return `${minutes} min before`;
}

/** A readable recurrence: presets as words, anything else (RRULE, cron) as given. */
export function formatRecurrence(rule) {
  const presets = {
    "FREQ=DAILY": "daily",
    "FREQ=WEEKLY": "weekly",
    "FREQ=MONTHLY": "monthly",
    "FREQ=YEARLY": "yearly",
  };
  const key = String(rule).replace(/^RRULE:/i, "").toUpperCase();
  return presets[key] ?? String(rule).toLowerCase();
}

/** @param {string} text */
export function splitTags(text) {
  return text
    .split(",")
    .map((t) => t.trim().replace(/^#/, "").trim())
    .filter(Boolean);
}
