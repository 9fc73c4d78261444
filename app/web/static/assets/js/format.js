// Dates in the user's own time zone (from their profile), whatever the browser's zone is.

// A task due on a day without a time is stored at 23:59:59 of that day in the user's zone:
// it sorts after the day's timed tasks and becomes overdue only when the day is over.
export const ALL_DAY_TIME = "23:59:59";

/** The priorities, most urgent first, with what each means: the add form, the filter and the
 * editor all list these. A new task gets DEFAULT_PRIORITY, as the API does. */
export const PRIORITIES = [["P1", "urgent"], ["P2", "high"], ["P3", "medium"], ["P4", "low"]];
export const DEFAULT_PRIORITY = "P4";

/** @param {string} iso @param {string} timeZone */
export function isAllDay(iso, timeZone) {
  return toLocalInput(iso, timeZone).endsWith("T23:59") && new Date(iso).getUTCSeconds() === 59;
}

/** @param {string} iso @param {string} timeZone */
export function formatDue(iso, timeZone) {
  const allDay = isAllDay(iso, timeZone);
  return new Intl.DateTimeFormat(undefined, {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: sameYear(iso, timeZone) ? undefined : "numeric",
    hour: allDay ? undefined : "numeric",
    minute: allDay ? undefined : "2-digit",
  }).format(new Date(iso));
}

/** The calendar day ("YYYY-MM-DD") of an instant in the user's zone. */
export function dayKey(iso, timeZone) {
  return toLocalInput(iso, timeZone).slice(0, 10);
}

/** Today's calendar day in the user's zone. */
export function todayKey(timeZone) {
  return dayKey(new Date().toISOString(), timeZone);
}

/** A calendar day `days` after `key` (calendar arithmetic, so DST changes do not matter). */
export function addDays(key, days) {
  const [y, m, d] = key.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** "Today", "Tomorrow" or "Wednesday 2 December" for a calendar day. */
export function formatDay(key, timeZone) {
  const today = todayKey(timeZone);
  if (key === today) return "Today";
  if (key === addDays(today, 1)) return "Tomorrow";
  const [y, m, d] = key.split("-").map(Number);
  return new Intl.DateTimeFormat(undefined, {
    timeZone: "UTC",
    weekday: "long",
    day: "numeric",
    month: "long",
  }).format(new Date(Date.UTC(y, m - 1, d)));
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

/** @param {string} iso @param {string} timeZone */
export function formatWhen(iso, timeZone) {
  return new Intl.DateTimeFormat(undefined, { timeZone, dateStyle: "medium", timeStyle: "short" }).format(
    new Date(iso),
  );
}

/** @param {string} text */
export function splitTags(text) {
  return text
    .split(",")
    .map((t) => t.trim().replace(/^#/, "").trim())
    .filter(Boolean);
}
