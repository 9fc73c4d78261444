"""A due date without a time of day."""

from __future__ import annotations

from datetime import datetime, time

# A task due on a day, with no time said, is due at this time of that day in the user's zone:
# it sorts after the day's timed tasks and is overdue only once the day is over. The chat, the
# quick add and the web form all store it so; the web app's ALL_DAY_TIME (format.js) is the
# same value, which a test checks.
ALL_DAY = time(23, 59, 59)


def all_day(day: datetime) -> datetime:
    """The all-day due time of day's date, in day's zone."""
    return day.replace(
        hour=ALL_DAY.hour, minute=ALL_DAY.minute, second=ALL_DAY.second, microsecond=0
    )


def is_all_day(local: datetime) -> bool:
    """Whether a due time (in the user's zone) is a day without a time of day."""
    return local.time() == ALL_DAY
