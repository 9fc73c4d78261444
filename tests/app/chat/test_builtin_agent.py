"""The built-in agent's reading of dates follows the injected clock and the user's timezone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import get_args

import pytest

from app.chat.agents import builtin
from app.chat.agents.base import ToolRunner
from app.chat.agents.conversation import Foreign, Intent, SmallTalk, State
from app.chat.parsing.commands import AddTask, Help, ListTasks, NotUnderstood, parse
from app.chat.tools import ToolContext
from tests.app.chat.evaluation import SEED, load, seeded_session


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        ("Europe/Berlin", "2026-03-06T23:59:59+01:00"),
        ("America/New_York", "2026-03-05T23:59:59-05:00"),
        ("Asia/Tokyo", "2026-03-06T23:59:59+09:00"),
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


def test_every_kind_of_intent_has_a_handler() -> None:
    registry = vars(builtin._Turn)["run"].dispatcher.registry
    assert [kind.__name__ for kind in get_args(Intent) if kind not in registry] == []


@pytest.mark.parametrize(
    ("intent", "reply"),
    [
        (Help(), builtin.HELP),
        (Foreign(), builtin.FOREIGN),
        (NotUnderstood(), builtin.NOT_UNDERSTOOD),
        (SmallTalk(reply="You're welcome!"), "You're welcome!"),
    ],
)
def test_replies_that_need_no_tool(intent: Intent, reply: str) -> None:
    session, user = seeded_session(load(SEED), "UTC")
    runner = ToolRunner(context=ToolContext(session=session, user=user))
    turn = builtin._Turn(runner, State(), datetime(2026, 3, 4, tzinfo=UTC))
    assert turn.run(intent) == reply
    assert runner.calls == []
    session.close()
