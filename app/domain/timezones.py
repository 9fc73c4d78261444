"""Reading wall-clock times in a user's timezone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

# The names a user may choose: the IANA database's, as this process has it.
TIMEZONES = frozenset(available_timezones())


def parse_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown timezone {name!r}; use an IANA name such as 'Europe/Berlin'"
        ) from None


def localize(wall_time: datetime, tz: ZoneInfo) -> datetime:
    """Attaches tz to a naive wall time; a time skipped by a DST change is rejected."""
    aware = wall_time.replace(tzinfo=tz)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall_time:
        raise ValueError(f"{wall_time.isoformat()} does not exist in {tz.key} (clocks skip it)")
    return aware


def to_utc(value: datetime, tz: ZoneInfo) -> datetime:
    """An aware time keeps its instant; a naive one is read in the user's timezone."""
    aware = value if value.tzinfo is not None else localize(value, tz)
    return aware.astimezone(UTC)
