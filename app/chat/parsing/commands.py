"""Reads a chat message into one command: what to do, to which task, with which values.

Phrases (sentence shapes) are matched here; dates and repeat rules are read by the
libraries behind app.chat.parsing.dates and .recurrence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from app.chat.parsing.dates import read_date, read_range
from app.chat.parsing.patterns import phrase, phrases
from app.chat.parsing.quick_add import (
    AMOUNT,
    BEFORE,
    HASH_TAG,
    PRIORITY_CODE,
    PRIORITY_WORD,
    minutes_of,
    priority_number,
    read_quick_add,
    reminder_minutes,
)
from app.chat.parsing.recurrence import read_recurrence

TaskAction = Literal["complete", "reopen", "delete", "update"]


@dataclass(frozen=True, kw_only=True)
class AddTask:
    args: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class ListTasks:
    args: dict[str, Any]


RefKind = Literal["name", "id", "pronoun", "ordinal", "both", "plural"]


@dataclass(frozen=True, kw_only=True)
class TaskRef:
    """How a message names its task: by words (searched in titles), by id, or by pointing
    back into the conversation (never searched: 'it', 'the second one', 'both')."""

    text: str
    task_id: int | None = None
    kind: RefKind = "name"
    index: int | None = None
    """For ordinals: 0 for the first, -1 for the last."""

    @property
    def points_back(self) -> bool:
        return self.kind in ("pronoun", "ordinal", "both", "plural")


@dataclass(frozen=True, kw_only=True)
class When:
    """A date phrase read for a change: the task's own date or time fills what it leaves out."""

    value: datetime
    has_time: bool
    has_date: bool


@dataclass(frozen=True, kw_only=True)
class ActOnTask:
    action: TaskAction
    ref: TaskRef
    changes: dict[str, Any] = field(default_factory=dict)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class TagCommand:
    action: Literal["list", "create", "rename", "delete"]
    name: str = ""
    new_name: str = ""


@dataclass(frozen=True, kw_only=True)
class Help:
    pass


@dataclass(frozen=True, kw_only=True)
class NotUnderstood:
    pass


Command = AddTask | ListTasks | ActOnTask | TagCommand | Help | NotUnderstood

# List filters read priorities and tags the way quick add does.
_PRIORITIES = (PRIORITY_CODE, PRIORITY_WORD)
_TAG = HASH_TAG
_ADD_PREFIX = phrase(
    r"^(please\s+)?(can you\s+|could you\s+)?((add|create|make|new|put|schedule|set up)"
    r"(\s+(a|an|another|the))?(\s+new)?(\s+(task|todo|to-do|item|reminder|entry))?"
    r"(\s*:|\s+to\s+my\s+list\s*:?|\s+called|\s+named|\s+to(?=\s))?|"
    r"remind me to|remember to|i need to|i have to|i must|i should|don'?t forget to|"
    r"todo\s*:|task\s*:)\s+"
)


def priority_of(match: re.Match[str]) -> str:
    return f"P{priority_number(match)}"


def _find_priority(text: str) -> str | None:
    found = PRIORITY_CODE.search(text) or PRIORITY_WORD.search(text)
    return priority_of(found) if found else None


def _strip_prefix(text: str) -> str:
    text = " ".join(text.split())
    previous = None
    while previous != text:
        previous = text
        text = _ADD_PREFIX.sub("", text)
    return text


def _iso(value: datetime) -> str:
    return value.isoformat()


def extract_fields(text: str, now: datetime) -> tuple[str, dict[str, Any]]:
    """Reads text with the quick-add grammar (chat words for priority included).

    Returns the title and the fields found, as add_task/update_task arguments.
    """
    parsed = read_quick_add(_strip_prefix(text), now, priority_words=True)
    return parsed.title, parsed.task_fields()


_PRONOUN = phrase(
    r"(it|that|this|that one|this one|that task|this task|the task|the same one|same one|"
    r"the one you (just )?(added|created|changed|moved|made))"
)
_ORDINALS = {
    "first": 0,
    "1st": 0,
    "second": 1,
    "2nd": 1,
    "third": 2,
    "3rd": 2,
    "fourth": 3,
    "4th": 3,
    "fifth": 4,
    "5th": 4,
    "last": -1,
}
_ORDINAL = phrase(
    rf"(the\s+)?(?P<n>{'|'.join(_ORDINALS)})(\s+(one|task|item|todo))?|(number|no\.?)\s*(?P<num>\d)"
)
_BOTH = phrase(r"both( of them| tasks)?|the two( of them)?")
_PLURAL = phrase(
    r"them|those|these|all of them|all (of )?(those|these)|those tasks|these tasks|them all"
)


def reference(text: str) -> TaskRef | None:
    """A reference back into the conversation, or an id; None for words to search."""
    text = " ".join(text.split()).strip(" \"'?.!,")
    if match := re.fullmatch(r"(task\s*)?#(\d+)|task\s*(\d+)", text, re.IGNORECASE):
        return TaskRef(text=text, task_id=int(match.group(2) or match.group(3)), kind="id")
    if _PRONOUN.fullmatch(text):
        return TaskRef(text=text, kind="pronoun")
    if match := _ORDINAL.fullmatch(text):
        index = _ORDINALS[match["n"].lower()] if match["n"] else int(match["num"]) - 1
        return TaskRef(text=text, kind="ordinal", index=index)
    if _BOTH.fullmatch(text):
        return TaskRef(text=text, kind="both")
    if _PLURAL.fullmatch(text):
        return TaskRef(text=text, kind="plural")
    return None


def _ref(text: str) -> TaskRef:
    text = " ".join(text.split()).strip(" \"'?.!,")
    if (back := reference(text)) is not None:
        return back
    if match := re.fullmatch(r"(task\s*)?#?(\d+)", text, re.IGNORECASE):
        return TaskRef(text=text, task_id=int(match.group(2)), kind="id")
    text = re.sub(r"^(the|my|that|this)\s+(task\s+|todo\s+)?", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^(task|todo)\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+(task|todo|one)$", "", text, flags=re.IGNORECASE)
    return TaskRef(text=text.strip(" \"'"))


def _split(text: str, separator: str, accept: Callable[[str, str], bool]) -> tuple[str, str] | None:
    """Splits at the first ' separator ' where accept(left, right) holds."""
    pattern = phrase(rf"\s+(?:{separator})\s+")
    for match in pattern.finditer(text):
        left, right = text[: match.start()], text[match.end() :]
        if left.strip() and right.strip() and accept(left, right):
            return left, right
    return None


_LIST_START = phrase(
    r"^(show|list|what|what's|whats|which|display|view|see|find|search|any|do i have|give me|"
    r"get|how many|tell me|are there|is there|anything|my|overdue|open|completed|done|all|"
    r"upcoming|pending|remaining|tasks?|todos?|"
    r"(p[1-4]|urgent|important|(high|low)[- ]priority)\s+(tasks|todos|items|ones))\b"
)
_STATUS_COMPLETED = phrase(r"\b(completed|done|finished|closed|checked off)\b")
_STATUS_ALL = phrase(r"\b(all( of)?( my)? tasks|all|everything|every task)\b")
_OVERDUE = phrase(r"\b(overdue|late|past due|missed)\b")
_NO_DUE = phrase(
    r"\b(without (a )?due dates?|with no due dates?|no due dates?|undated|unscheduled)\b"
)
_HAS_DUE = phrase(r"\b(with (a )?due dates?|scheduled|dated)\b")
_SEARCH = phrases(
    r"\b(about|containing|mentioning|matching|called|named|with the word|that mention|"
    r"related to|regarding)\s+[\"']?(?P<q>[^\"']+?)[\"']?\s*\??$",
    r"\b(search for|search|find|look for)\s+[\"']?(?P<q>[^\"']+?)[\"']?\s*\??$",
)
_TAGGED = phrase(
    r"\b(tagged( with)?|with (the )?tags?|labell?ed)\s+(?P<tags>#?[\w\-]+"
    r"((\s*,\s*|\s+(and|or)\s+)#?[\w\-]+)*)"
)
_SORTS = [
    (phrase(r"\b(by|sorted by|order(ed)? by) priority|most urgent first\b"), "priority"),
    (phrase(r"\b(by|sorted by|order(ed)? by) due( date)?|soonest first\b"), "due_at"),
    (phrase(r"\b(alphabetically|by (title|name)|sorted by (title|name))\b"), "title"),
    (phrase(r"\b(newest|latest|most recent)( first)?\b"), "-created_at"),
    (phrase(r"\boldest( first)?\b"), "created_at"),
]
_LIMIT = phrase(r"\b(top|first)\s+(?P<n>\d{1,3})\b")
_RANGE_PHRASES = phrase(
    r"\b(due\s+|for\s+|from\s+|on\s+)?(?P<range>today|tonight|tomorrow|this week|next week|"
    r"this weekend|this month|next month|(in )?the next (\d+|few) (days?|weeks?)|"
    r"(before|by|until|after) [\w: ]+?|(on )?(monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday))(?=\s*[?.!]?$|\s+(tagged|with|in|sorted|by|that|p[1-4]|and)\b)"
)


def list_args(text: str, now: datetime) -> dict[str, Any]:
    args: dict[str, Any] = {}
    body = text
    if _OVERDUE.search(body):
        args["overdue"] = True
        body = _OVERDUE.sub(" ", body)
    if _NO_DUE.search(body):
        args["has_due"] = False
        body = _NO_DUE.sub(" ", body)
    for pattern, sort in _SORTS:
        if pattern.search(body):
            args["sort"] = sort
            body = pattern.sub(" ", body)
            break
    priorities = []
    for pattern in _PRIORITIES:
        priorities += [priority_of(found) for found in pattern.finditer(body)]
    for extra in re.finditer(r"\b(?:and|or|,)\s*(p[1-4])\b", body, re.IGNORECASE):
        priorities.append(extra.group(1).upper())
    if priorities:
        args["priority"] = sorted(set(priorities))
        for pattern in _PRIORITIES:
            body = pattern.sub(" ", body)
    tags = _TAG.findall(body)
    body = _TAG.sub(" ", body) if tags else body
    if match := _TAGGED.search(body):
        words = re.split(r"\s*,\s*|\s+(?:and|or)\s+", match.group("tags"))
        tags.extend(w.lstrip("#") for w in words if w)
        if re.search(r"\band\b", match.group("tags"), re.IGNORECASE):
            args["tag_mode"] = "all"
        body = body[: match.start()] + " " + body[match.end() :]
    if tags:
        args["tag"] = list(dict.fromkeys(tags))
    if match := _RANGE_PHRASES.search(body):
        found = read_range(match.group("range"), now)
        if found is not None:
            if found.after is not None:
                args["due_after"] = _iso(found.after)
            if found.before is not None:
                args["due_before"] = _iso(found.before)
            body = body[: match.start()] + " " + body[match.end() :]
    for pattern in _SEARCH:
        if search := pattern.search(body):
            q = _ref(search.group("q")).text
            if q and not re.fullmatch(r"(tasks?|todos?|me|everything|anything)", q, re.I):
                args["q"] = q
            break
    if match := _LIMIT.search(text):
        args["limit"] = int(match.group("n"))
    if _STATUS_COMPLETED.search(text) and not args.get("overdue"):
        args["status"] = "completed"
    elif _STATUS_ALL.search(text) and not args.get("overdue"):
        args["status"] = "all"
    else:
        args["status"] = "open"
    if "sort" not in args and ("due_after" in args or "due_before" in args or "overdue" in args):
        args["sort"] = "due_at"
    return args


_HELP = phrase(r"^(help|\?|what can you do|how does this work|commands|examples)\b")
_TAG_LIST = phrase(
    r"^(list|show|what are|which are|display)?\s*(all\s+)?(my\s+|the\s+)?tags\??$|"
    r"^what tags (do i have|are there)\??$"
)
_TAG_CREATE = phrase(
    r"^(create|add|make|new)\s+(a\s+)?(new\s+)?tag\s+(called\s+|named\s+)?#?(?P<name>[\w\-]+)$"
)
_TAG_RENAME = phrase(r"^rename\s+(the\s+)?tag\s+#?(?P<old>.+?)\s+to\s+#?(?P<new>.+)$")
_TAG_DELETE = phrase(r"^(delete|remove)\s+(the\s+)?tag\s+#?(?P<name>[\w\-]+)$")
_COMPLETE = phrases(
    r"^(please\s+)?(mark|set|tick|check)\s+(?P<ref>.+?)\s+(as\s+)?(done|complete|completed|"
    r"finished|off)$",
    r"^(please\s+)?(complete|finish|check off|tick off|close|done with|done:?)\s+(?P<ref>.+)$",
    r"^i\s+(have\s+|just\s+)?(finished|completed|did|done)\s+(?P<ref>.+)$",
    r"^(?P<ref>.+?)\s+is\s+(done|complete|completed|finished)$",
)
_REOPEN = phrases(
    r"^(please\s+)?(reopen|re-open|uncomplete|unmark|undo|restore)\s+(?P<ref>.+)$",
    r"^(mark|set)\s+(?P<ref>.+?)\s+(as\s+)?(not done|undone|incomplete|open|not complete|"
    r"not completed|unfinished|todo|to do)$",
    r"^(?P<ref>.+?)\s+is\s+(not done|not finished)( yet)?$",
)
_DELETE = phrase(
    r"^(please\s+)?(delete|remove|cancel|drop|trash|erase|get rid of|forget about|forget)\s+"
    r"(?P<ref>.+)$"
)
_MOVE = phrase(
    r"^(please\s+)?(move|reschedule|postpone|push|push back|delay|shift|change|set|bring forward)"
    r"\s+(the\s+due\s+date\s+(of|for)\s+)?(?P<rest>.+)$"
)
_RENAME = phrase(
    r"^(rename|retitle|change the (title|name) of|change the title of)\s+(?P<rest>.+)$"
)
_PRIORITY_SET = phrases(
    r"^(set|change|make|raise|lower|bump)\s+(the\s+)?priority\s+(of|for|on)\s+(?P<ref>.+?)\s+"
    r"(to|as)\s+(?P<p>.+)$",
    r"^(make|mark|set|flag)\s+(?P<ref>.+?)\s+(as\s+|to\s+)?(?P<p>p[1-4]|urgent|"
    r"(high|low|medium|top)(\s+|-)priority|priority\s+[1-4]|important)$",
    r"^(prioriti[sz]e)\s+(?P<ref>.+)$",
)
_TAG_ADD = phrases(
    r"^(tag|label)\s+(?P<ref>.+?)\s+(with|as)\s+(?P<tags>.+)$",
    r"^add\s+(the\s+)?tags?\s+(?P<tags>#?[\w\-]+(\s*(,|and)\s*#?[\w\-]+)*)\s+"
    r"to\s+(?P<ref>.+)$",
    r"^add\s+(?P<tags>#[\w\-]+(\s*(,|and)\s*#[\w\-]+)*)\s+(tags?\s+)?to\s+(?P<ref>.+)$",
)
_TAG_REMOVE = phrase(
    r"^(remove|untag|delete)\s+(the\s+)?(tags?\s+)?(?P<tags>#?[\w\-]+(\s*(,|and)\s*#?[\w\-]+)*)"
    r"\s+(tag\s+)?from\s+(?P<ref>.+)$"
)
_REMIND_WHEN = (
    rf"({AMOUNT}\s+{BEFORE}|(?P<daybefore>the day before)|(?P<attime>at the time|when it'?s due|"
    r"on time))"
)
_BARE_AMOUNT = AMOUNT.replace("?P<", "?P<b_")
_REMIND_TASK = phrases(
    r"^(remind me (about|of)|set (up )?(a|the) reminder (for|on)|add a reminder (to|for|on))"
    rf"\s+(?P<ref>.+?)\s+{_REMIND_WHEN}$",
    rf"^(remind me|set (up )?a reminder|add a reminder)\s+{_REMIND_WHEN}(\s+(?P<ref>.+))?$",
    r"^(change|move|set|make)\s+(the\s+)?reminder(\s+(on|for|of)\s+(?P<ref>.+?))?\s+to\s+"
    rf"({_REMIND_WHEN}|(?P<bare>{AMOUNT.replace('?P<', '?P<b_')}))$",
)
_REMIND_OFF = phrases(
    r"^(remove|delete|clear|cancel|drop|turn off|disable|stop|switch off)\s+"
    r"(the\s+|my\s+|that\s+)?reminders?(\s+(from|for|on|of|about)\s+(?P<ref>.+))?$",
    r"^(no|don'?t|do not) remind(er|ers)?( me)?\s+(for|about|of|on)\s+(?P<ref>.+)$",
)
_POINTED = phrase(
    r"^(make|set|change|move|put|push|switch|reschedule)\s+(?P<ref>it|that|this|that one|"
    r"this one|both|both of them|them)\s+(to\s+|for\s+|due\s+|on\s+|at\s+|as\s+|until\s+)*"
    r"(?P<rest>.+?)$"
)
_TIME_ONLY = phrase(r"^(at\s+)?(\d{1,2}(:\d{2})?\s*(am|pm)|\d{1,2}:\d{2}|noon|midnight)$")
_VALUE_FILLER = phrase(
    r"^(i meant|i mean|make it|make that|change it to|change that to|set it to|move it to|"
    r"it'?s|it is|it should be|should be|due|on|at|for|to)\s+|\s+(instead|then|please)$"
)


@dataclass(frozen=True, kw_only=True)
class Value:
    """A bare value said on its own ('friday', '3pm', 'p2', '#home', '15 minutes before')."""

    changes: dict[str, Any]
    add_tags: list[str] = field(default_factory=list)
    duration: int | None = None
    """Minutes said without 'before' ('15 minutes'): a reminder if that is what was set."""


def read_value(text: str, now: datetime) -> Value | None:
    text = " ".join(text.split()).strip(" ,.!?")
    previous = None
    while previous != text:
        previous = text
        text = _VALUE_FILLER.sub("", text).strip(" ,.!?")
    if not text:
        return None
    for pattern in _PRIORITIES:
        if found := pattern.fullmatch(text.strip()):
            return Value(changes={"priority": priority_of(found)})
    if found := re.fullmatch(_REMIND_WHEN, text, re.IGNORECASE):
        return Value(changes={"remind_before_minutes": reminder_minutes(found)})
    if found := re.fullmatch(AMOUNT, text, re.IGNORECASE):
        return Value(changes={}, duration=minutes_of(found["amount"], found["unit"]))
    if re.fullmatch(r"(#[\w\-]+\s*)+", text):
        return Value(changes={}, add_tags=tags_in(text))
    read = read_date(text, now)
    if read is not None:
        return Value(
            changes={
                "due_at": When(value=read[0], has_time=read[1], has_date=not _TIME_ONLY.match(text))
            }
        )
    return None


_REPEAT = phrase(
    r"^(make|set)\s+(?P<ref>.+?)\s+(to\s+)?(repeat|recur)\s+(?P<rule>.+)$|"
    r"^(?P<ref2>.+?)\s+should\s+(repeat|recur)\s+(?P<rule2>.+)$"
)
_STOP_REPEAT = phrase(
    r"^(stop repeating|don'?t repeat|stop recurring|make)\s+(?P<ref>.+?)(\s+(not repeat|"
    r"non-recurring|one-off|a one-off))?$"
)
_CLEAR_DUE = phrase(r"^(remove|clear|delete|drop)\s+the\s+due\s+date\s+(of|from|on)\s+(?P<ref>.+)$")
_ADD_VERB = phrase(
    r"^(please\s+)?(can you\s+|could you\s+)?(add|create|new|put|schedule|set up|remind me to|"
    r"remember to|todo|task:|i need to|i have to|i must|i should|don'?t forget to)\b"
)


def tags_in(text: str) -> list[str]:
    return [w.lstrip("#") for w in re.split(r"\s*,\s*|\s+and\s+|\s+", text.strip()) if w]


def _update(text: str, now: datetime) -> ActOnTask | None:
    if match := _CLEAR_DUE.match(text):
        return ActOnTask(action="update", ref=_ref(match.group("ref")), changes={"due_at": None})
    for pattern in _REMIND_TASK:
        if match := pattern.match(text):
            if match.groupdict().get("bare"):
                minutes = minutes_of(match["b_amount"], match["b_unit"])
            else:
                minutes = reminder_minutes(match)
            target = _ref(match["ref"] or "it")
            return ActOnTask(
                action="update", ref=target, changes={"remind_before_minutes": minutes}
            )
    for pattern in _REMIND_OFF:
        if match := pattern.match(text):
            return ActOnTask(
                action="update",
                ref=_ref(match["ref"] or "it"),
                changes={"remind_before_minutes": None},
            )
    if match := _POINTED.match(text):
        value = read_value(match["rest"], now)
        if value is not None and value.duration is None:
            return ActOnTask(
                action="update",
                ref=_ref(match["ref"]),
                changes=value.changes,
                add_tags=value.add_tags,
            )
    for pattern in _PRIORITY_SET:
        if set_match := pattern.match(text):
            groups = set_match.groupdict()
            if groups.get("p") is None:
                return ActOnTask(
                    action="update", ref=_ref(groups["ref"]), changes={"priority": "P1"}
                )
            found = _find_priority(groups["p"]) or _find_priority(f"{groups['p']} priority")
            if found:
                return ActOnTask(
                    action="update", ref=_ref(groups["ref"]), changes={"priority": found}
                )
    for pattern in _TAG_ADD:
        if tag_match := pattern.match(text):
            return ActOnTask(
                action="update",
                ref=_ref(tag_match.group("ref")),
                add_tags=tags_in(tag_match["tags"]),
            )
    if match := _TAG_REMOVE.match(text):
        return ActOnTask(
            action="update", ref=_ref(match.group("ref")), remove_tags=tags_in(match["tags"])
        )
    if match := _REPEAT.match(text):
        ref = match.group("ref") or match.group("ref2")
        rule_text = match.group("rule") or match.group("rule2")
        rule = read_recurrence(rule_text, now)
        if rule is not None:
            return ActOnTask(action="update", ref=_ref(ref), changes={"recurrence": rule[0]})
    if re.match(r"^(stop repeating|don'?t repeat|stop recurring)\s", text, re.I) or re.search(
        r"\s(not repeat|non-recurring|one-off)$", text, re.I
    ):
        stop = _STOP_REPEAT.match(text)
        if stop:
            return ActOnTask(
                action="update", ref=_ref(stop.group("ref")), changes={"recurrence": None}
            )
    if match := _RENAME.match(text):
        parts = _split(match.group("rest"), "to|as", lambda _a, _b: True)
        if parts:
            return ActOnTask(
                action="update", ref=_ref(parts[0]), changes={"title": parts[1].strip(" \"'.")}
            )
    if match := _MOVE.match(text):
        rest = match.group("rest")
        parts = _split(rest, "to|for|until|till|on|at", lambda _a, b: read_date(b, now) is not None)
        if parts:
            read = read_date(parts[1], now)
            assert read is not None
            when = When(
                value=read[0], has_time=read[1], has_date=not _TIME_ONLY.match(parts[1].strip())
            )
            return ActOnTask(action="update", ref=_ref(parts[0]), changes={"due_at": when})
    return None


def parse(message: str, now: datetime) -> Command:
    """Reads one message; now is the current time in the user's timezone."""
    text = " ".join(message.split()).strip()
    text = re.sub(r"[.!]+$", "", text).strip()
    if not text:
        return NotUnderstood()
    if _HELP.match(text):
        return Help()
    if _TAG_LIST.match(text):
        return TagCommand(action="list")
    if match := _TAG_CREATE.match(text):
        return TagCommand(action="create", name=match.group("name"))
    if match := _TAG_RENAME.match(text):
        return TagCommand(
            action="rename", name=match.group("old").strip(), new_name=match.group("new").strip()
        )
    if match := _TAG_DELETE.match(text):
        return TagCommand(action="delete", name=match.group("name"))
    update = _update(text, now)
    if update is not None:
        return update
    for pattern in _REOPEN:
        if reopen := pattern.match(text):
            return ActOnTask(action="reopen", ref=_ref(reopen.group("ref")))
    for pattern in _COMPLETE:
        if complete := pattern.match(text):
            return ActOnTask(action="complete", ref=_ref(complete.group("ref")))
    if match := _DELETE.match(text):
        return ActOnTask(action="delete", ref=_ref(match.group("ref")))
    if _ADD_VERB.match(text):
        return _add(text, now)
    if _LIST_START.match(text) or text.endswith("?"):
        return ListTasks(args=list_args(text, now))
    title, values = extract_fields(text, now)
    if values and title:
        return AddTask(args={"title": title, **values})
    return NotUnderstood()


def _add(text: str, now: datetime) -> Command:
    title, values = extract_fields(text, now)
    if not title:
        return NotUnderstood()
    if re.match(r"^(please\s+)?remind me to\b", text, re.I) and "due_at" in values:
        values.setdefault("remind_before_minutes", 0)
    return AddTask(args={"title": title, **values})
