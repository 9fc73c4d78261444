"""Recurrence rules (RFC 5545 RRULE, presets, five-field cron) and next occurrences."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from croniter import croniter
from dateutil.rrule import rrule, rrulestr

PRESETS = {
    "daily": "FREQ=DAILY",
    "weekly": "FREQ=WEEKLY",
    "monthly": "FREQ=MONTHLY",
    "yearly": "FREQ=YEARLY",
}
_COUNT = re.compile(r"(^|;)COUNT=(\d+)")


def _items(item: str) -> str:
    return f"{item}(,{item})*"


# The rules accepted, as one regular expression the OpenAPI document carries: every string it
# matches is a rule `normalize` accepts (tests/app/domain/test_recurrence_grammar.py).
# RRULE parts come in one order (the chat's canonical one) and COUNT excludes UNTIL (RFC 5545).
_MONTHS = _items("([1-9]|1[0-2])")
_RRULE = (
    "(RRULE:)?FREQ=(HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)"
    "(;INTERVAL=[1-9][0-9]{0,2})?"
    f"(;BYDAY={_items('([+-]?([1-9]|[1-4][0-9]|5[0-3]))?(MO|TU|WE|TH|FR|SA|SU)')})?"
    # BYMONTH on either side of BYMONTHDAY: quick add writes it first, the chat after.
    f"(;BYMONTH={_MONTHS})?"
    f"(;BYMONTHDAY={_items('-?([1-9]|[12][0-9]|3[01])')})?"
    f"(;BYMONTH={_MONTHS})?"
    f"(;BYSETPOS={_items('-?([1-9]|[1-9][0-9]|[12][0-9][0-9]|3[0-5][0-9]|36[0-6])')})?"
    "(;COUNT=[1-9][0-9]{0,2}"
    "|;UNTIL=[12][0-9]{3}(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3])[0-5][0-9][0-5][0-9]Z)?"
)
_PRESET = "daily|weekly|monthly|yearly|DAILY|WEEKLY|MONTHLY|YEARLY"


def _cron_field(number: str) -> str:
    step = "(/[1-9][0-9]?)?"
    return _items(f"(\\*{step}|{number}(-{number}{step})?)")


_CRON = " ".join(
    _cron_field(n)
    for n in (
        "[1-5]?[0-9]",  # minute
        "(1?[0-9]|2[0-3])",  # hour
        "([1-9]|[12][0-9]|3[01])",  # day of month
        "([1-9]|1[0-2])",  # month
        "[0-7]",  # day of week
    )
)
RULE_PATTERN = f"^({_PRESET}|{_RRULE}|{_CRON})$"
# Any fixed start works for validation; occurrences are anchored on the task's due date.
_PROBE_START = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, kw_only=True)
class Occurrence:
    due_at: datetime
    recurrence: str


def is_cron(rule: str) -> bool:
    return "=" not in rule and len(rule.split()) == 5


def _parse_rrule(rule: str, start: datetime) -> rrule:
    parsed = rrulestr(rule, dtstart=start)
    if not isinstance(parsed, rrule):
        raise ValueError("recurrence must be a single RRULE")
    return parsed


def normalize(value: str) -> str:
    """Validates a recurrence and returns its canonical stored form."""
    text = value.strip()
    if not text:
        raise ValueError("recurrence must not be empty")
    if text.lower() in PRESETS:
        return PRESETS[text.lower()]
    if is_cron(text):
        if not croniter.is_valid(text):
            raise ValueError(f"invalid cron expression {text!r}")
        return " ".join(text.split())
    rule = text.upper().removeprefix("RRULE:")
    if "DTSTART" in rule or "\n" in rule:
        raise ValueError("recurrence takes a single RRULE; the start is the task's due date")
    try:
        _parse_rrule(rule, _PROBE_START)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"invalid RRULE {text!r}: {exc}".replace("DTSTART", "the due date")
        ) from None
    if re.search(r"FREQ=(SECONDLY|MINUTELY)", rule):
        raise ValueError("recurrence more frequent than hourly is not supported")
    return rule


def next_occurrence(rule: str, due_at: datetime, tz: ZoneInfo) -> Occurrence | None:
    """The occurrence after due_at, computed on wall-clock time in tz (DST-correct).

    A COUNT-limited rule carries the remaining count forward, so the series ends
    after COUNT occurrences in total; None means the series is over.
    """
    # Aware in tz: dateutil steps the wall clock and zoneinfo picks each date's offset.
    local = due_at.astimezone(tz)
    if is_cron(rule):
        wall = croniter(rule, local.replace(tzinfo=None)).get_next(datetime)
        following: datetime | None = wall.replace(tzinfo=tz)
        next_rule = rule
    else:
        count = _COUNT.search(rule)
        if count and int(count.group(2)) <= 1:
            return None
        following = _parse_rrule(rule, local).after(local)
        next_rule = (
            _COUNT.sub(lambda m: f"{m.group(1)}COUNT={int(m.group(2)) - 1}", rule)
            if count
            else rule
        )
    if following is None:
        return None
    # fold=0 resolves an ambiguous wall time to its first instant; a skipped one moves forward.
    return Occurrence(due_at=following.astimezone(UTC), recurrence=next_rule)
