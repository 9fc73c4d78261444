"""The quick-add grammar shared by the chat and the web add box (specs/chat/spec.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.chat.parsing.quick_add import parse_quick_add
from app.chat.parsing.wording import describe_rule

BERLIN = ZoneInfo("Europe/Berlin")
# Wednesday 2026-03-04 10:00 in Berlin.
NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def _parse(text: str) -> dict[str, object]:
    parsed = parse_quick_add(text, now=NOW, tz=BERLIN)
    return {
        "title": parsed.title,
        "due": parsed.due.isoformat() if parsed.due else None,
        "date_only": parsed.due_date_only,
        "priority": parsed.priority,
        "tags": parsed.tags,
        "recurrence": parsed.recurrence,
        "reminder": parsed.reminder_minutes_before,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "board meeting every 2nd tuesday at 9am",
            {"due": "2026-03-10T09:00:00+01:00", "recurrence": "FREQ=MONTHLY;BYDAY=2TU"},
        ),
        (
            "standup every weekday",
            {"recurrence": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "due": "2026-03-04T23:59:59+01:00"},
        ),
        (
            "pay rent every last day",
            {"recurrence": "FREQ=MONTHLY;BYMONTHDAY=-1", "due": "2026-03-31T23:59:59+02:00"},
        ),
        (
            "invoices last day of every month",
            {"recurrence": "FREQ=MONTHLY;BYMONTHDAY=-1", "due": "2026-03-31T23:59:59+02:00"},
        ),
        ("water plants every other week", {"recurrence": "FREQ=WEEKLY;INTERVAL=2"}),
        ("backup every 3 days", {"recurrence": "FREQ=DAILY;INTERVAL=3"}),
        ("review p2", {"priority": 2}),
        ("review !!1", {"priority": 1}),
        ("review #work #deep-focus", {"tags": ["work", "deep-focus"]}),
        ("review tagged work", {"tags": ["work"]}),
        ("review with tags work and home", {"tags": ["work", "home"]}),
        ("review in 2 hours", {"due": "2026-03-04T12:00:00+01:00", "date_only": False}),
        ("review end of month", {"due": "2026-03-31T23:59:59+02:00", "date_only": True}),
        ("review next week", {"due": "2026-03-09T23:59:59+01:00", "date_only": True}),
        (
            "dentist friday 3pm remind me 30 minutes before",
            {"due": "2026-03-06T15:00:00+01:00", "reminder": 30},
        ),
        ('"lunch at 12"', {"due": None}),
    ],
)
def test_parse_quick_add_reads_todoist_grammar(text: str, expected: dict[str, object]) -> None:
    parsed = _parse(text)
    for key, value in expected.items():
        assert parsed[key] == value, key
    if text.startswith("review "):
        assert parsed["title"] == "review"


def test_parse_quick_add_keeps_quoted_text_as_title() -> None:
    parsed = parse_quick_add('"lunch at 12" tomorrow p1', now=NOW, tz=BERLIN)
    assert parsed.title == "lunch at 12"
    assert parsed.due is not None and parsed.due.isoformat() == "2026-03-05T23:59:59+01:00"
    assert parsed.priority == 1


def test_parse_quick_add_tokens_point_at_their_spans() -> None:
    text = "buy milk tomorrow at 9am #groceries p2 every other week"
    parsed = parse_quick_add(text, now=NOW, tz=BERLIN)
    kinds = {t.kind: t for t in parsed.tokens}
    assert set(kinds) == {"due", "tag", "priority", "recurrence"}
    for token in parsed.tokens:
        assert text[token.start : token.end] == token.text
    assert kinds["due"].label == "Tomorrow 9:00"
    assert kinds["recurrence"].label == "every 2 weeks"
    assert kinds["tag"].label == "#groceries"
    assert parsed.title == "buy milk"


def test_parse_quick_add_reads_dates_in_the_users_timezone() -> None:
    # 23:30 UTC on the 4th is already the 5th in Tokyo.
    late = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    parsed = parse_quick_add("call home tomorrow", now=late, tz=ZoneInfo("Asia/Tokyo"))
    assert parsed.due is not None and parsed.due.isoformat() == "2026-03-06T23:59:59+09:00"
    assert parsed.due_date_only


def test_parse_quick_add_without_grammar_is_all_title() -> None:
    parsed = parse_quick_add("urgent care appointment", now=NOW, tz=BERLIN)
    assert parsed.title == "urgent care appointment"
    assert parsed.priority is None and parsed.tokens == []


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=DAILY", "every day"),
        ("FREQ=DAILY;INTERVAL=3", "every 3 days"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekday"),
        ("FREQ=WEEKLY;BYDAY=MO", "every Monday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "every 2 weeks on Friday"),
        ("FREQ=WEEKLY;BYDAY=TU,TH", "every Tuesday and Thursday"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "every month on the 15th"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "every month on the last day"),
        ("FREQ=MONTHLY;BYDAY=2TU", "every month on the 2nd Tuesday"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "every month on the last Friday"),
        ("FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=27", "every year on 27 January"),
        ("FREQ=YEARLY", "every year"),
        ("0 9 * * 1", "on a custom schedule"),
    ],
)
def test_describe_rule_says_it_in_words(rule: str, words: str) -> None:
    assert describe_rule(rule) == words
