from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import app
from app.chat.parsing.quick_add import parse_quick_add
from app.domain.due_dates import ALL_DAY, all_day, is_all_day

FORMAT_JS = Path(app.__file__).parent / "web/static/assets/js/format.js"
BERLIN = ZoneInfo("Europe/Berlin")


def test_the_web_app_stores_a_day_without_a_time_as_the_api_side_does() -> None:
    found = re.search(r'export const ALL_DAY_TIME = "([0-9:]+)";', FORMAT_JS.read_text())
    assert found is not None, "format.js no longer declares ALL_DAY_TIME"
    assert found.group(1) == ALL_DAY.isoformat()


def test_all_day_is_the_last_second_of_that_day_in_its_zone() -> None:
    morning = datetime(2026, 3, 29, 9, 30, 12, 5, tzinfo=BERLIN)  # the day clocks go forward
    assert all_day(morning).isoformat() == "2026-03-29T23:59:59+02:00"
    assert is_all_day(all_day(morning))
    assert not is_all_day(morning.replace(hour=23, minute=59, second=0))


def test_chat_and_quick_add_read_a_bare_date_as_all_day_and_a_time_as_given() -> None:
    now = datetime(2026, 3, 4, 10, tzinfo=BERLIN)
    bare = parse_quick_add("pay rent friday", now=now, tz=BERLIN)
    timed = parse_quick_add("pay rent friday 5pm", now=now, tz=BERLIN)
    assert bare.due is not None and bare.due.isoformat() == "2026-03-06T23:59:59+01:00"
    assert bare.due_date_only and [t.label for t in bare.tokens if t.kind == "due"] == ["Friday"]
    assert timed.due is not None and timed.due.isoformat() == "2026-03-06T17:00:00+01:00"
    assert [t.label for t in timed.tokens if t.kind == "due"] == ["Friday 17:00"]
