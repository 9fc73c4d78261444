"""The built-in agent's reading of dates follows the injected clock and the user's timezone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.chat.parsing.commands import AddTask, ListTasks, NotUnderstood, parse


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        ("Europe/Berlin", "2026-03-06T17:00:00+01:00"),
        ("America/New_York", "2026-03-05T17:00:00-05:00"),
        ("Asia/Tokyo", "2026-03-06T17:00:00+09:00"),
    ],
)
def test_parse_reads_tomorrow_in_user_timezone(tz: str, expected: str) -> None:
    from zoneinfo import ZoneInfo

    # 2026-03-04 23:30 UTC is still the 4th in New York but already the 5th in Berlin and Tokyo.
    now = datetime(2026, 3, 4, 23, 30, tzinfo=UTC).astimezone(ZoneInfo(tz))
    command = parse("add call home tomorrow", now)
    assert isinstance(command, AddTask)
    assert command.args["due_at"] == expected


def test_parse_moves_with_clock() -> None:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Europe/Berlin")
    earlier = parse("add x in 2 hours", datetime(2026, 1, 1, 8, 0, tzinfo=tz))
    later = parse("add x in 2 hours", datetime(2026, 7, 1, 8, 0, tzinfo=tz))
    assert isinstance(earlier, AddTask) and isinstance(later, AddTask)
    assert earlier.args["due_at"] == "2026-01-01T10:00:00+01:00"
    assert later.args["due_at"] == "2026-07-01T10:00:00+02:00"


def test_parse_gibberish_is_not_understood() -> None:
    now = datetime(2026, 3, 4, 10, tzinfo=UTC)
    assert isinstance(parse("qwerty uiop", now), NotUnderstood)
    assert isinstance(parse("   ", now), NotUnderstood)


def test_parse_question_is_a_listing() -> None:
    command = parse("anything tagged #home?", datetime(2026, 3, 4, 10, tzinfo=UTC))
    assert isinstance(command, ListTasks)
    assert command.args == {"tag": ["home"], "status": "open"}
