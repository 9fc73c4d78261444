"""Finding and reading date phrases in a message, with dateparser and dateutil.

The libraries do the reading; this module only finds where a phrase starts and
ends (the longest run of words a library accepts) and fills two gaps they leave:
"end of the month/week" and a day-of-month alone ("on the 1st").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import dateparser
from dateutil.relativedelta import relativedelta

from app.domain.due_dates import all_day

# A date phrase starts at one of these words.
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_WEEKDAYS_SHORT = "mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
_MONTHS = (
    "january|february|march|april|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_TRIGGER = re.compile(
    rf"^(today|tonight|tomorrow|tmrw|on|at|by|due|next|this|in|end|noon|midnight|"
    rf"{_WEEKDAYS}|{_WEEKDAYS_SHORT}|{_MONTHS}|may|"
    r"\d{1,2}(st|nd|rd|th)?|\d{1,2}(:\d{2})?(am|pm)|\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}/\d{1,2}|day)$",
    re.IGNORECASE,
)
# A phrase that names a time of day; without one, a date is due all day (domain.due_dates).
_HAS_TIME = re.compile(
    r"\d{1,2}(:\d{2})?\s*(am|pm)\b|\b\d{1,2}:\d{2}\b|\b(noon|midnight|tonight|morning|"
    r"afternoon|evening|hours?|minutes?|mins?)\b",
    re.IGNORECASE,
)
_LEADING_FILLER = re.compile(r"^(due\s+|by\s+)+", re.IGNORECASE)
_BARE_HOUR = re.compile(r"\bat (\d{1,2})\b(?!\s*(:|am|pm|[ap]\.m\.))", re.IGNORECASE)
_END_OF = re.compile(r"^(by\s+|due\s+|on\s+|at\s+)?(the\s+)?end\s+of\s+(the\s+)?(week|month|year)$")
# Todoist's reading: "next week" is the coming Monday (weeks run Monday to Sunday).
_NEXT_WEEK = re.compile(r"^(by\s+|due\s+|on\s+|for\s+)?next\s+week$")
_WEEKEND = re.compile(r"^(by\s+|on\s+|for\s+|over\s+)?(this|the)\s+weekend$")
_DAY_NEXT_WEEK = re.compile(
    rf"^(on\s+)?(?P<day>{_WEEKDAYS}|{_WEEKDAYS_SHORT})\s+(of\s+)?next\s+week$|"
    rf"^next\s+week\s+(on\s+)?(?P<day2>{_WEEKDAYS}|{_WEEKDAYS_SHORT})$"
)
_DAY_OF_MONTH = re.compile(r"^(by\s+|due\s+|on\s+)?(the\s+)?(\d{1,2})(st|nd|rd|th)$")
_TIME_SUFFIX = re.compile(r"^(.*?)\s+(at\s+)?(\d{1,2}(:\d{2})?\s*(am|pm)|\d{1,2}:\d{2}|noon)$")


@dataclass(frozen=True, kw_only=True)
class FoundDate:
    value: datetime
    """Aware, in the user's timezone."""
    start: int
    end: int
    """Word indexes [start, end) of the phrase in the words searched."""
    has_time: bool


def _settings(now: datetime) -> dict[str, object]:
    return {
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
    }


def _with_time(phrase: str, day: datetime, now: datetime) -> datetime | None:
    match = _TIME_SUFFIX.match(phrase)
    if not match:
        return day
    at = _dateparse(match.group(3), now)
    return day.replace(hour=at.hour, minute=at.minute) if at else None


def _gaps(phrase: str, now: datetime) -> datetime | None:
    """What dateparser does not read: end of week/month/year and 'the 15th'."""
    match_time = _TIME_SUFFIX.match(phrase)
    head = match_time.group(1) if match_time else phrase
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if end := _END_OF.match(head):
        unit = end.group(4)
        if unit == "week":
            day = start + timedelta(days=6 - start.weekday())
        elif unit == "month":
            day = start + relativedelta(day=31)
        else:
            day = start.replace(month=12, day=31)
        return _with_time(phrase, day, now)
    if _NEXT_WEEK.match(head):
        return _with_time(phrase, start + timedelta(days=7 - start.weekday()), now)
    if _WEEKEND.match(head):
        return _with_time(phrase, start + timedelta(days=max(0, 5 - start.weekday())), now)
    if day_match := _DAY_NEXT_WEEK.match(head):
        name = (day_match["day"] or day_match["day2"])[:3]
        offset = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index(name)
        return _with_time(phrase, start + timedelta(days=7 - start.weekday() + offset), now)
    if dom := _DAY_OF_MONTH.match(head):
        number = int(dom.group(3))
        if not 1 <= number <= 31:
            return None
        month = start.replace(day=1)
        for _ in range(13):
            day = month + relativedelta(day=number)
            if day.day == number and day >= start:
                return _with_time(phrase, day, now)
            month += relativedelta(months=1)
    return None


def _dateparse(phrase: str, now: datetime) -> datetime | None:
    # Keyed on the wall clock: aware datetimes in different zones compare equal.
    return _dateparse_wall(phrase, now.replace(tzinfo=None))


@lru_cache(maxsize=4096)
def _dateparse_wall(phrase: str, now: datetime) -> datetime | None:
    # Cached: phrase search tries many spans, and dateparser is slow on each.
    return dateparser.parse(phrase, languages=["en"], settings=_settings(now))


def read_date(phrase: str, now: datetime) -> tuple[datetime, bool] | None:
    """Reads one phrase ('tomorrow 5pm'); returns the local time and whether it named a time."""
    text = " ".join(phrase.lower().split()).strip(" ,.")
    if not text or text in {"on", "at", "by", "in", "the", "this", "next", "due", "day", "half"}:
        return None
    text = _BARE_HOUR.sub(r"at \1:00", text)
    gap = _gaps(text, now)
    if gap is not None:
        naive: datetime | None = gap
    else:
        naive = _dateparse(_LEADING_FILLER.sub("", text), now)
    if naive is None:
        return None
    if naive.tzinfo is None:
        naive = naive.replace(tzinfo=now.tzinfo)
    return naive, bool(_HAS_TIME.search(text))


def finalize(value: datetime, has_time: bool) -> datetime:
    """A date without a time of day is due all day."""
    return value.replace(second=0, microsecond=0) if has_time else all_day(value)


def find_date(words: list[str], now: datetime) -> FoundDate | None:
    """The longest date phrase in words, starting at the earliest possible word."""
    for start, word in enumerate(words):
        if not _TRIGGER.match(word.strip(",.")):
            continue
        # "in" starts a date only as "in 2 hours", "in a week": "check in tonight" keeps it.
        following = words[start + 1].lower() if start + 1 < len(words) else ""
        if word.lower() == "in" and not re.match(r"(\d|an?$|half|one|two|three|a few)", following):
            continue
        for end in range(len(words), start, -1):
            phrase = " ".join(words[start:end])
            if end - start == 1 and word.lower() in {"may", "day", "half", "the"}:
                continue
            read = read_date(phrase, now)
            if read is not None:
                return FoundDate(value=read[0], start=start, end=end, has_time=read[1])
    return None


@dataclass(frozen=True, kw_only=True)
class DateRange:
    after: datetime | None
    before: datetime | None


def _day_range(day: datetime) -> DateRange:
    start = day.replace(hour=0, minute=0, second=0, microsecond=0)
    return DateRange(after=start, before=start + timedelta(days=1, seconds=-1))


def read_range(phrase: str, now: datetime) -> DateRange | None:
    """Due ranges for listing: 'today', 'this week', 'next month', 'before friday', ..."""
    text = " ".join(phrase.lower().split()).strip(" ?.!,")
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    week_start = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    fixed = {
        "today": _day_range(today),
        "tonight": _day_range(today),
        "tomorrow": _day_range(today + timedelta(days=1)),
        "this week": DateRange(after=week_start, before=week_start + timedelta(days=7, seconds=-1)),
        "next week": DateRange(
            after=week_start + timedelta(days=7), before=week_start + timedelta(days=14, seconds=-1)
        ),
        "this weekend": DateRange(
            after=week_start + timedelta(days=5), before=week_start + timedelta(days=7, seconds=-1)
        ),
        "this month": DateRange(
            after=month_start, before=month_start + relativedelta(months=1) - timedelta(seconds=1)
        ),
        "next month": DateRange(
            after=month_start + relativedelta(months=1),
            before=month_start + relativedelta(months=2) - timedelta(seconds=1),
        ),
    }
    if text in fixed:
        return fixed[text]
    if match := re.fullmatch(r"(in )?the next (\d+|few) (day|week)s?", text):
        count = 3 if match.group(2) == "few" else int(match.group(2))
        days = count * (7 if match.group(3) == "week" else 1)
        return DateRange(after=now, before=today + timedelta(days=days + 1, seconds=-1))
    if match := re.fullmatch(r"(before|by|until) (.+)", text):
        read = read_date(match.group(2), now)
        if read is None:
            return None
        value, has_time = read
        return DateRange(after=None, before=value if has_time else _day_range(value).before)
    if match := re.fullmatch(r"after (.+)", text):
        read = read_date(match.group(1), now)
        if read is None:
            return None
        value, has_time = read
        return DateRange(
            after=value if has_time else _day_range(value + timedelta(days=1)).after, before=None
        )
    read = read_date(text, now)
    if read is None:
        return None
    return _day_range(read[0])
