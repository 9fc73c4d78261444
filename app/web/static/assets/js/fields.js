// Per-field errors: the API's validation answers become plain sentences shown next to the
// field they concern (aria-invalid + aria-describedby), never raw validator text in a banner.

const PLAIN = [
  [/at least (\d+) characters?/i, (m, field) => (field === "password" ? `Use at least ${m[1]} characters.` : `Enter at least ${m[1]} characters.`)],
  [/at most (\d+) characters?/i, (m) => `Keep it to ${m[1]} characters or fewer.`],
  [/valid email|email address/i, () => "Enter an email address like name@example.com."],
  [/already exists/i, () => "An account with this email already exists. Log in instead?"],
  [/time ?zone/i, () => "Choose a time zone from the list, for example Europe/Paris."],
  [/needs a due/i, () => "Set a due date first: repeats and reminders count from it."],
  [/rrule|recurrence|cron/i, () => "This repeat rule is not understood. Pick one from the list or use an RRULE like FREQ=WEEKLY;BYDAY=MO."],
  [/datetime|date/i, () => "Enter a date, for example 2030-01-31."],
  [/greater than or equal to 0|less than or equal/i, () => "Choose a reminder from the list."],
  [/tag/i, () => "Tags are short words without spaces or punctuation, separated by commas."],
  [/blank|empty|required|missing/i, () => "This can't be empty."],
];

/** A sentence a person can act on, for one validation error of one field. */
export function plainMessage(field, message) {
  for (const [pattern, say] of PLAIN) {
    const match = pattern.exec(message);
    if (match) return say(match, field);
  }
  return "Please check this value.";
}

/**
 * The API's field errors as {field: sentence}; `field` is the last part of the API's location
 * ("tags.0" is "tags").
 * @param {any} error an ApiError
 * @returns {Record<string, string>}
 */
export function fieldErrors(error) {
  const out = {};
  const body = error?.body;
  if (Array.isArray(body?.detail)) {
    for (const item of body.detail) {
      const name = String(item?.field ?? "").split(".").find((part) => !/^\d+$/.test(part)) ?? "";
      if (name && !out[name]) out[name] = plainMessage(name, String(item?.msg ?? ""));
    }
  } else if (typeof body?.field === "string" && body.field) {
    out[body.field] = plainMessage(body.field, String(body.message ?? ""));
  }
  return out;
}

/**
 * Shows each message under its field in `form` (fields matched by name through `names`,
 * API field -> form control name) and focuses the first; returns whether any was shown.
 * @param {HTMLFormElement|HTMLElement} form
 * @param {Record<string, string>} errors
 * @param {Record<string, string>} [names]
 */
export function showFieldErrors(form, errors, names = {}) {
  clearFieldErrors(form);
  let first = null;
  for (const [apiField, message] of Object.entries(errors)) {
    const control = form.querySelector(`[name="${names[apiField] ?? apiField}"]`);
    if (!(control instanceof HTMLElement)) continue;
    const slot = errorSlot(control);
    slot.textContent = message;
    slot.hidden = false;
    control.setAttribute("aria-invalid", "true");
    first ??= control;
  }
  first?.focus();
  return first !== null;
}

/** @param {HTMLElement} form */
export function clearFieldErrors(form) {
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  for (const slot of form.querySelectorAll(".field-error")) {
    slot.textContent = "";
    slot.hidden = true;
  }
}

/** The control's error paragraph (made once, linked by aria-describedby). */
function errorSlot(control) {
  const id = `${control.id}-error`;
  let slot = document.getElementById(id);
  if (!slot) {
    slot = document.createElement("p");
    slot.id = id;
    slot.className = "field-error";
    control.insertAdjacentElement("afterend", slot);
  }
  const described = (control.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
  if (!described.includes(id)) control.setAttribute("aria-describedby", [...described, id].join(" "));
  return slot;
}
