"""Quick add: one line of text -> a task's title, due date, priority, tags, repeat rule and
reminder, with the recognised spans (tokens) so the web add box can show them as chips.

One parser serves the chat (app.chat.parsing.commands) and the web app's add box; the
grammar is Todoist's (specs/chat/spec.md lists it with examples). Dates are read by
dateparser + dateutil (app.chat.parsing.dates), repeats by recurrent (.recurrence); this
module finds the spans and keeps quoted text out of every reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from app.chat.parsing.dates import finalize, find_date
from app.chat.parsing.patterns import phrase
from app.chat.parsing.recurrence import find_recurrence, first_occurrence
from app.chat.parsing.wording import (
    describe_due,
    describe_priority,
    describe_reminder,
    describe_rule,
)
from app.domain.due_dates import ALL_DAY

TokenKind = Literal["due", "priority", "tag", "recurrence", "reminder"]


class QuickAddToken(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: TokenKind
    text: str
    start: int
    end: int
    """Character offsets [start, end) in the text given."""
    label: str
    """What the span means, in words: 'Tomorrow 9:00', 'every 2 weeks on Friday'."""


class QuickAdd(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str
    due: datetime | None = None
    """Aware, in the user's timezone; a date without a time of day is due all day (23:59:59)."""
    due_date_only: bool = False
    priority: int | None = Field(default=None, ge=1, le=4)
    tags: list[str] = Field(default_factory=list)
    recurrence: str | None = None
    """RRULE without DTSTART or time parts (FREQ=MONTHLY;BYDAY=2TU)."""
    reminder_minutes_before: int | None = None
    tokens: list[QuickAddToken] = Field(default_factory=list)

    def task_fields(self) -> dict[str, Any]:
        """The fields found, as add_task / update_task arguments (a reminder needs a due date)."""
        values: dict[str, Any] = {}
        if self.tags:
            values["tags"] = list(self.tags)
        if self.priority is not None:
            values["priority"] = f"P{self.priority}"
        if self.recurrence is not None:
            values["recurrence"] = self.recurrence
        if self.due is not None:
            values["due_at"] = self.due.isoformat()
            if self.reminder_minutes_before is not None:
                values["remind_before_minutes"] = self.reminder_minutes_before
        return values


_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty-five": 45,
}
_UNIT_MINUTES = {"m": 1, "min": 1, "h": 60, "hr": 60, "hour": 60, "d": 1440, "day": 1440}
AMOUNT = (
    r"(?P<amount>half an hour|(\d+|an?|one|two|three|four|five|six|ten|fifteen|twenty|thirty|"
    r"forty-five)\s*-?(?P<unit>minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?))"
)
BEFORE = r"(before|ahead|early|earlier|in advance|prior)"
_REMINDER = phrase(
    rf"[,;]?\s*(and\s+)?(?P<body>(remind me|reminder|send me a reminder|notify me|ping me|"
    rf"alert me)\s+({AMOUNT}\s+{BEFORE}|(?P<daybefore>the day before)|"
    r"(?P<attime>at the time|when it'?s due|on time)))"
)
_REMINDER_WITH = phrase(rf"[,;]?\s*(?P<body>with an?\s+{AMOUNT}\s+reminder)")
HASH_TAG = re.compile(r"(?<![\w&])#(?P<name>\w[\w\-/]*)")
TAG_LIST = r"#?[\w\-]+((\s*,\s*|\s+and\s+)#?[\w\-]+)*"
_TAG_PHRASE = phrase(
    rf"[,;]?\s*\b(?P<body>(tagged(\s+with)?|with\s+(the\s+)?tags?|labell?ed)\s+"
    rf"(?P<tags>{TAG_LIST}))"
)
PRIORITY_CODE = phrase(
    r"(?<![\w!])(?P<body>p(?P<p>[1-4])|!!(?P<bang>[1-4])|priority\s*(?P<num>[1-4]))(?![\w!])"
)
# Chat only: the add box would read "urgent care" as a priority.
PRIORITY_WORDS = {
    "urgent": 1,
    "asap": 1,
    "critical": 1,
    "high": 1,
    "highest": 1,
    "top": 1,
    "medium": 3,
    "normal": 3,
    "low": 4,
    "lowest": 4,
}
PRIORITY_WORD = phrase(
    r"[,;]?\s*\b(with\s+)?(?P<body>priority\s+(?P<word1>high|medium|low|urgent)|"
    r"(?P<word2>high|top|medium|normal|low)[\s-]+priority|(?P<flag>urgent|asap|critical))\b"
)
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")
_TRAILING = phrase(r"[\s,;:.!-]+$|\s+(and|to my list|to my tasks|to the list)$")
# Stands in for quoted text while the rest is read: not a space, so no phrase spans it.
_HELD = "\x00"


def minutes_of(amount: str, unit: str | None) -> int:
    """'2 hours' -> 120 (amount is the whole phrase, unit its unit word)."""
    amount = amount.lower()
    if amount == "half an hour" or unit is None:
        return 30
    number_text = amount[: len(amount) - len(unit)].strip(" -")
    number = int(number_text) if number_text.isdigit() else _NUMBERS[number_text]
    unit = unit.lower().rstrip("s")
    if unit.startswith("week"):
        return number * 10080
    return number * _UNIT_MINUTES.get(unit, _UNIT_MINUTES.get(unit[:3], 1))


def reminder_minutes(match: re.Match[str]) -> int:
    groups = match.groupdict()
    if groups.get("daybefore"):
        return 1440
    if groups.get("attime"):
        return 0
    return minutes_of(groups["amount"], groups["unit"])


def priority_number(match: re.Match[str]) -> int:
    groups = match.groupdict()
    for name in ("p", "bang", "num"):
        if groups.get(name):
            return int(groups[name])
    word = groups.get("word1") or groups.get("word2") or groups.get("flag") or ""
    return PRIORITY_WORDS[word.lower()]


@dataclass(kw_only=True)
class _Reading:
    """The text with what has been read so far blanked out (offsets never move)."""

    original: str
    masked: list[str]
    tokens: list[QuickAddToken] = field(default_factory=list)

    def text(self) -> str:
        return "".join(self.masked)

    def take(
        self, start: int, end: int, kind: TokenKind, label: str, span: tuple[int, int]
    ) -> None:
        """Blanks [start, end) and records the token for span (its visible part)."""
        self.tokens.append(
            QuickAddToken(
                kind=kind,
                text=self.original[span[0] : span[1]],
                start=span[0],
                end=span[1],
                label=label,
            )
        )
        self.masked[start:end] = [" "] * (end - start)

    def words(self) -> list[re.Match[str]]:
        return list(re.finditer(r"\S+", self.text()))


def _word_span(words: list[re.Match[str]], start: int, end: int) -> tuple[int, int]:
    first, last = words[start], words[end - 1]
    trimmed = last.group().rstrip(",.;")
    return first.start(), last.start() + len(trimmed)


def _title(reading: _Reading, quoted: list[re.Match[str]]) -> str:
    """What is left once the tokens (and the glue around them) are taken out; quoted text
    is kept word for word, without its quotes."""
    text, last = "", 0
    held: list[str] = []
    for match in quoted:
        text += reading.text()[last : match.start()] + f" {_HELD}{len(held)}{_HELD} "
        held.append(match.group()[1:-1])
        last = match.end()
    text = " ".join((text + reading.text()[last:]).split())
    previous = None
    while previous != text:
        previous = text
        text = _TRAILING.sub("", text).strip().strip(" :;,-")
    return re.sub(rf"{_HELD}(\d+){_HELD}", lambda m: held[int(m.group(1))], text).strip()


def read_quick_add(text: str, now: datetime, *, priority_words: bool = False) -> QuickAdd:
    """parse_quick_add on a clock already in the user's timezone; priority_words also reads
    'urgent', 'high priority', ... (the chat does, the add box does not)."""
    quoted = list(_QUOTED.finditer(text))
    masked = list(text)
    for match in quoted:
        masked[match.start() : match.end()] = [_HELD] * (match.end() - match.start())
    reading = _Reading(original=text, masked=masked)
    values: dict[str, Any] = {}

    found = _REMINDER.search(reading.text()) or _REMINDER_WITH.search(reading.text())
    if found:
        minutes = reminder_minutes(found)
        values["reminder_minutes_before"] = minutes
        reading.take(
            found.start(), found.end(), "reminder", describe_reminder(minutes), found.span("body")
        )

    tags: list[str] = []
    for found in list(HASH_TAG.finditer(reading.text())):
        tags.append(found.group("name"))
        reading.take(found.start(), found.end(), "tag", "#" + found.group("name"), found.span())
    if found := _TAG_PHRASE.search(reading.text()):
        names = [n.lstrip("#") for n in re.split(r"\s*,\s*|\s+and\s+", found.group("tags")) if n]
        tags.extend(names)
        label = " ".join(f"#{n}" for n in names)
        reading.take(found.start(), found.end(), "tag", label, found.span("body"))
    values["tags"] = list(dict.fromkeys(tags))

    found = PRIORITY_CODE.search(reading.text())
    if found is None and priority_words:
        found = PRIORITY_WORD.search(reading.text())
    if found:
        number = priority_number(found)
        values["priority"] = number
        reading.take(
            found.start(), found.end(), "priority", describe_priority(number), found.span("body")
        )

    words = reading.words()
    recurrence = find_recurrence([w.group() for w in words], now)
    at: time | None = None
    if recurrence is not None:
        at = recurrence.at
        values["recurrence"] = recurrence.rule
        span = _word_span(words, recurrence.start, recurrence.end)
        label = describe_rule(recurrence.rule)
        if at is not None:
            label += f" at {at.hour}:{at.minute:02d}"
        reading.take(span[0], span[1], "recurrence", label, span)

    words = reading.words()
    date = find_date([w.group() for w in words], now)
    if date is not None:
        has_time = date.has_time or at is not None
        value = (
            date.value
            if date.has_time or at is None
            else date.value.replace(hour=at.hour, minute=at.minute)
        )
        due = finalize(value, has_time)
        values["due"], values["due_date_only"] = due, not has_time
        span = _word_span(words, date.start, date.end)
        reading.take(span[0], span[1], "due", describe_due(due, now), span)
    elif recurrence is not None:
        values["due"] = first_occurrence(recurrence.rule, now, at or ALL_DAY)
        values["due_date_only"] = at is None

    tokens = sorted(reading.tokens, key=lambda t: t.start)
    return QuickAdd(title=_title(reading, quoted), tokens=tokens, **values)


def parse_quick_add(text: str, *, now: datetime, tz: ZoneInfo) -> QuickAdd:
    """Reads one quick-add line; now is any aware time, tz the user's timezone."""
    return read_quick_add(text, now.astimezone(tz))
