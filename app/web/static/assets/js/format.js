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

const FREQ_UNITS = { HOURLY: "hour", DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year" };
const FREQ_WORDS = { HOURLY: "hourly", DAILY: "daily", WEEKLY: "weekly", MONTHLY: "monthly", YEARLY: "yearly" };
const DAYS = { MO: "Mon", TU: "Tue", WE: "Wed", TH: "Thu", FR: "Fri", SA: "Sat", SU: "Sun" };

/** A readable recurrence from the stored RRULE ("weekly on weekdays"); cron is shown as is. */
export function formatRecurrence(rule) {
  const text = String(rule).trim();
  if (!/FREQ=/i.test(text)) return `on schedule ${text}`;
  const parts = Object.fromEntries(
    text
      .replace(/^RRULE:/i, "")
      .toUpperCase()
      .split(";")
      .map((p) => p.split("=")),
  );
  const freq = parts.FREQ;
  const interval = Number(parts.INTERVAL ?? 1);
  let words = interval > 1 ? `every ${interval} ${FREQ_UNITS[freq] ?? freq.toLowerCase()}s` : FREQ_WORDS[freq] ?? freq.toLowerCase();
  if (parts.BYDAY) {
    const days = parts.BYDAY.split(",");
    words += days.join(",") === "MO,TU,WE,TH,FR" ? " on weekdays" : ` on ${days.map((d) => DAYS[d.slice(-2)] ?? d).join(", ")}`;
  }
  if (parts.BYMONTHDAY) words += ` on day ${parts.BYMONTHDAY}`;
  return words;
}

/** @param {string} text */
export function splitTags(text) {
  return text
    .split(",")
    .map((t) => t.trim().replace(/^#/, "").trim())
    .filter(Boolean);
}
