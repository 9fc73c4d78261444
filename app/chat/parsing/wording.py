"""Plain words for what the parser reads and the agent stores: repeat rules, due dates,
reminders and priorities, as a person would say them (never an RRULE or a field name)."""

from __future__ import annotations

from datetime import datetime

from app.domain.due_dates import is_all_day
from app.domain.recurrence import is_cron

_DAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_UNITS = {"HOURLY": "hour", "DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


def ordinal(number: int) -> str:
    if number == -1:
        return "last"
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _weekday(spec: str) -> str:
    """'MO' -> 'Monday'; '2TU' -> '2nd Tuesday'; '-1FR' -> 'last Friday'."""
    day = _DAYS.get(spec[-2:], spec[-2:])
    return f"{ordinal(int(spec[:-2]))} {day}" if spec[:-2] else day


def describe_rule(rule: str) -> str:
    """'FREQ=WEEKLY;INTERVAL=2;BYDAY=FR' -> 'every 2 weeks on Friday'."""
    if is_cron(rule):
        return "on a custom schedule"
    parts = dict(
        p.split("=", 1) for p in rule.upper().removeprefix("RRULE:").split(";") if "=" in p
    )
    unit = _UNITS.get(parts.get("FREQ", ""), "time")
    interval = int(parts.get("INTERVAL", "1") or 1)
    every = f"every {unit}" if interval == 1 else f"every {interval} {unit}s"
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    month_days = [int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d]
    if unit == "week" and days:
        if interval == 1 and sorted(days) == sorted(["MO", "TU", "WE", "TH", "FR"]):
            text = "every weekday"
        elif interval == 1 and sorted(days) == ["SA", "SU"]:
            text = "every weekend"
        elif interval == 1:
            text = "every " + _join([_weekday(d) for d in days])
        else:
            text = f"{every} on {_join([_weekday(d) for d in days])}"
    elif unit == "month" and days:
        text = f"{every} on the {_join([_weekday(d) for d in days])}"
    elif unit == "month" and month_days:
        names = ["last day" if d == -1 else ordinal(d) for d in month_days]
        text = f"{every} on the {_join(names)}"
    elif unit == "year" and "BYMONTH" in parts:
        month = _MONTHS[int(parts["BYMONTH"].split(",")[0]) - 1]
        text = f"{every} on {month_days[0]} {month}" if month_days else f"{every} in {month}"
    else:
        text = every
    if "COUNT" in parts:
        text += f", {parts['COUNT']} times"
    if "UNTIL" in parts:
        until = parts["UNTIL"][:8]
        text += f", until {int(until[6:8])} {_MONTHS[int(until[4:6]) - 1]} {until[:4]}"
    return text


def describe_clock(value: datetime) -> str:
    return f"{value.hour}:{value.minute:02d}"


def describe_day(value: datetime, now: datetime) -> str:
    """'Today', 'Tomorrow', a weekday within the coming week, else '6 Mar' (with the year
    when it is not this year). value and now are in the user's timezone."""
    days = (value.date() - now.date()).days
    if days == 0:
        return "Today"
    if days == 1:
        return "Tomorrow"
    if days == -1:
        return "Yesterday"
    if 1 < days < 7:
        return value.strftime("%A")
    label = f"{value.day} {value.strftime('%b')}"
    return label if value.year == now.year else f"{label} {value.year}"


def describe_due(value: datetime, now: datetime) -> str:
    """'Tomorrow 9:00', 'Friday' (all day), '3 Dec 2027 12:00' in the user's timezone."""
    local = value.astimezone(now.tzinfo)
    day = describe_day(local, now)
    return day if is_all_day(local) else f"{day} {describe_clock(local)}"


def describe_minutes(minutes: int) -> str:
    """60 -> '1 hour', 1440 -> '1 day', 90 -> '90 minutes'."""
    for size, unit in ((10080, "week"), (1440, "day"), (60, "hour")):
        if minutes >= size and minutes % size == 0:
            count = minutes // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def describe_reminder(minutes: int) -> str:
    return "at the due time" if minutes == 0 else f"{describe_minutes(minutes)} before"


def describe_priority(priority: int) -> str:
    return f"priority {priority}"
