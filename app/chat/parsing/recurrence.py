"""Finding and reading repeat phrases ('every 2 weeks on monday') with recurrent + dateutil."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from functools import lru_cache

from dateutil.rrule import rrulestr
from recurrent.event_parser import RecurringEvent  # type: ignore[import-untyped]

_TRIGGER = re.compile(
    r"^(every|each|daily|weekly|monthly|yearly|annually|fortnightly|biweekly|last)$",
    re.IGNORECASE,
)
_ALIASES = {
    "annually": "yearly",
    "fortnightly": "every 2 weeks",
    "biweekly": "every 2 weeks",
}
_DAY_NAMES = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
)
# Todoist's grammar where recurrent reads otherwise: an ordinal weekday is that weekday of
# the month ("every 2nd tuesday"), "every last day" is the month's last day, a workday is a
# weekday and "every 15th" is a day of the month.
_REWRITES = (
    (
        re.compile(
            rf"^(every|each) (1st|first|2nd|second|3rd|third|4th|fourth|last) ({_DAY_NAMES})\b"
            r"(?! of)"
        ),
        r"\1 \2 \3 of the month",
    ),
    (re.compile(r"^(every|each) last day\b(?! of)"), r"\1 last day of the month"),
    (re.compile(r"^(every|each) work ?days?\b"), r"\1 weekday"),
    (
        re.compile(r"^(every|each) (\d{1,2}(st|nd|rd|th))(?! (day|week|month|year))\b"),
        r"every month on the \2",
    ),
    (re.compile(r"^last day of (every|each) month\b"), "every last day of the month"),
)
# Parts of a rule the due time carries instead.
_TIME_PARTS = re.compile(r"^(BYHOUR|BYMINUTE|BYSECOND)=")
_ORDER = ("FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "COUNT", "UNTIL")


@dataclass(frozen=True, kw_only=True)
class FoundRecurrence:
    rule: str
    """Canonical RRULE without time parts: FREQ first, INTERVAL only when not 1."""
    at: time | None
    """The time of day the phrase named ('every weekday at 9am')."""
    start: int
    end: int


def _canonical(raw: str) -> tuple[str, time | None]:
    parts = dict(
        part.split("=", 1) for part in raw.removeprefix("RRULE:").split(";") if "=" in part
    )
    at = None
    if "BYHOUR" in parts:
        at = time(int(parts["BYHOUR"]), int(parts.get("BYMINUTE", "0")))
    kept = {k: v for k, v in parts.items() if not _TIME_PARTS.match(f"{k}=")}
    if kept.get("INTERVAL") == "1":
        del kept["INTERVAL"]
    ordered = sorted(kept, key=lambda k: _ORDER.index(k) if k in _ORDER else len(_ORDER))
    return ";".join(f"{k}={kept[k]}" for k in ordered), at


def read_recurrence(phrase: str, now: datetime) -> tuple[str, time | None] | None:
    # Keyed on the wall clock: aware datetimes in different zones compare equal.
    return _read_recurrence_wall(phrase, now.replace(tzinfo=None))


@lru_cache(maxsize=4096)
def _read_recurrence_wall(phrase: str, now: datetime) -> tuple[str, time | None] | None:
    text = " ".join(phrase.lower().split()).strip(" ,.")
    text = _ALIASES.get(text.split(" ")[0], text.split(" ")[0]) + text[len(text.split(" ")[0]) :]
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    event = RecurringEvent(now_date=now.replace(tzinfo=None))
    result = event.parse(text)
    if not event.is_recurring or not isinstance(result, str) or "FREQ=" not in result:
        return None
    rule, at = _canonical(result)
    try:
        rrulestr(rule, dtstart=now.replace(tzinfo=None))
    except (ValueError, TypeError):
        return None
    return rule, at


def find_recurrence(words: list[str], now: datetime) -> FoundRecurrence | None:
    """The shortest phrase from a trigger word that reads as the same rule as the longest."""
    starts = [i for i, w in enumerate(words) if _TRIGGER.match(w.strip(",."))]
    # "every"/"each" phrases first: "weekly planning every monday" repeats on Mondays.
    starts.sort(
        key=lambda i: (
            words[i].lower() not in {"every", "each"}
            and " ".join(words[i : i + 4]).lower() not in {"last day of every", "last day of each"}
        )
    )
    for start in starts:
        best: tuple[str, time | None] | None = None
        best_end = start
        for end in range(len(words), start, -1):
            read = read_recurrence(" ".join(words[start:end]), now)
            if read is None:
                continue
            if best is None:
                best, best_end = read, end
            elif read == best:
                best_end = end
        if best is not None:
            # The rewrites make "of the month" optional; it still belongs to the phrase.
            tail = " ".join(words[best_end : best_end + 3]).lower().strip(",.")
            if tail in {"of the month", "of every month", "of each month"}:
                best_end += 3
            return FoundRecurrence(rule=best[0], at=best[1], start=start, end=best_end)
    return None


def first_occurrence(rule: str, now: datetime, at: time) -> datetime:
    """The first time the rule fires after now, at the given time of day (wall clock)."""
    start = now.replace(
        hour=at.hour, minute=at.minute, second=at.second, microsecond=0, tzinfo=None
    )
    # The interval counts from the first occurrence, so it does not delay the first one.
    first_rule = ";".join(p for p in rule.split(";") if not p.startswith("INTERVAL="))
    parsed = rrulestr(first_rule, dtstart=start)
    following = parsed.after(now.replace(tzinfo=None), inc=True)
    value = following if following is not None else start
    return value.replace(tzinfo=now.tzinfo)
