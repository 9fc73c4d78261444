from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.domain.timezones import localize, parse_timezone, to_utc


def test_parse_timezone_rejects_unknown_name() -> None:
    with pytest.raises(ValueError, match="unknown timezone"):
        parse_timezone("Mars/Olympus")


def test_to_utc_reads_naive_time_in_user_timezone() -> None:
    assert to_utc(datetime(2026, 7, 1, 12, 0), ZoneInfo("Europe/Berlin")) == datetime(
        2026, 7, 1, 10, 0, tzinfo=UTC
    )


def test_to_utc_keeps_instant_of_aware_time() -> None:
    aware = datetime(2026, 7, 1, 12, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert to_utc(aware, ZoneInfo("Asia/Tokyo")) == datetime(2026, 7, 1, 17, 0, tzinfo=UTC)


def test_localize_rejects_time_skipped_by_dst() -> None:
    with pytest.raises(ValueError, match="does not exist"):
        localize(datetime(2026, 3, 8, 2, 30), ZoneInfo("America/New_York"))


def test_localize_picks_first_instant_of_ambiguous_time() -> None:
    aware = localize(datetime(2026, 11, 1, 1, 30), ZoneInfo("America/New_York"))
    assert aware.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # still EDT
