from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.domain.recurrence import is_cron, next_occurrence, normalize

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("daily", "FREQ=DAILY"),
        ("Weekly", "FREQ=WEEKLY"),
        ("monthly", "FREQ=MONTHLY"),
        ("yearly", "FREQ=YEARLY"),
        ("RRULE:freq=weekly;byday=mo,we", "FREQ=WEEKLY;BYDAY=MO,WE"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("0  9 * * 1-5", "0 9 * * 1-5"),
    ],
)
def test_normalize_accepts_rules_presets_and_cron(given: str, stored: str) -> None:
    assert normalize(given) == stored


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "sometimes",
        "FREQ=SOMETIMES",
        "FREQ=MINUTELY",
        "FREQ=SECONDLY",
        "61 * * * *",
        "* * *",
        "DTSTART:20200101T000000\nRRULE:FREQ=DAILY",
        "FREQ=DAILY;BYDAY=XX",
    ],
)
def test_normalize_rejects_invalid_rules(bad: str) -> None:
    with pytest.raises(ValueError):
        normalize(bad)


def test_is_cron_distinguishes_cron_from_rrule() -> None:
    assert is_cron("0 9 * * 1-5")
    assert not is_cron("FREQ=DAILY")


def test_next_occurrence_daily_keeps_wall_time_across_spring_forward() -> None:
    due = datetime(2026, 3, 7, 9, 0, tzinfo=NEW_YORK)  # EST, the day before DST starts
    nxt = next_occurrence("FREQ=DAILY", due, NEW_YORK)
    assert nxt is not None
    assert nxt.due_at.tzinfo == UTC
    assert nxt.due_at.astimezone(NEW_YORK).hour == 9
    assert nxt.due_at == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)  # EDT: UTC-4


def test_next_occurrence_weekly_keeps_wall_time_across_fall_back() -> None:
    due = datetime(2026, 10, 20, 8, 30, tzinfo=BERLIN)  # CEST
    nxt = next_occurrence("FREQ=WEEKLY", due, BERLIN)
    assert nxt is not None
    assert nxt.due_at == datetime(2026, 10, 27, 7, 30, tzinfo=UTC)  # CET: UTC+1


def test_next_occurrence_follows_byday() -> None:
    monday = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    nxt = next_occurrence("FREQ=WEEKLY;BYDAY=MO,WE", monday, ZoneInfo("UTC"))
    assert nxt is not None
    assert nxt.due_at == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def test_next_occurrence_monthly_on_31st_skips_short_months() -> None:
    due = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
    nxt = next_occurrence("FREQ=MONTHLY", due, ZoneInfo("UTC"))
    assert nxt is not None
    assert nxt.due_at == datetime(2026, 3, 31, 12, 0, tzinfo=UTC)


def test_next_occurrence_count_decrements_then_ends() -> None:
    due = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    first = next_occurrence("FREQ=DAILY;COUNT=2", due, ZoneInfo("UTC"))
    assert first is not None
    assert first.recurrence == "FREQ=DAILY;COUNT=1"
    assert next_occurrence(first.recurrence, first.due_at, ZoneInfo("UTC")) is None


def test_next_occurrence_until_in_past_ends_series() -> None:
    due = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
    assert next_occurrence("FREQ=DAILY;UNTIL=20260110T235959Z", due, ZoneInfo("UTC")) is None


def test_next_occurrence_cron_weekdays_in_user_timezone() -> None:
    friday = datetime(2026, 11, 27, 9, 0, tzinfo=NEW_YORK)
    nxt = next_occurrence("0 9 * * 1-5", friday, NEW_YORK)
    assert nxt is not None
    assert nxt.due_at.astimezone(NEW_YORK) == datetime(2026, 11, 30, 9, 0, tzinfo=NEW_YORK)
