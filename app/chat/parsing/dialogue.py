"""The conversational layer around commands: polite wrappers, small talk, other languages,
yes/no answers, corrections ("no, friday"), bulk commands, undo, and answers to the
assistant's own question ("the first", "the one for Monday", "task 12")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from app.chat.parsing.commands import (
    TaskRef,
    Value,
    list_args,
    read_value,
    reference,
    tags_in,
)
from app.chat.parsing.dates import read_date
from app.chat.parsing.patterns import phrase

_OPENERS = phrase(
    r"^((hey|hi|hello|ok|okay|so|um|oh|right|alright)[,!.]?\s+(there[,!]?\s+)?|"
    r"would you mind\s+|(could|can|would|will) you( please)?( kindly)?\s+|please\s+|kindly\s+|"
    r"i'?d like you to\s+|go ahead and\s+)"
)
_CLOSERS = phrase(
    r"[,!.\s]*\b(please|thanks|thank you( so much| very much)?|thx|ty|cheers|for me|"
    r"if you can|if you could)[!.?\s]*$"
)
_GERUNDS = {
    "adding": "add",
    "deleting": "delete",
    "removing": "remove",
    "completing": "complete",
    "marking": "mark",
    "moving": "move",
    "renaming": "rename",
    "setting": "set",
    "making": "make",
    "showing": "show",
    "listing": "list",
    "creating": "create",
    "changing": "change",
    "tagging": "tag",
    "putting": "put",
    "reminding": "remind",
    "rescheduling": "reschedule",
    "postponing": "postpone",
    "finishing": "finish",
}


def strip_polite(message: str) -> str:
    """'could you please add X, thanks!' -> 'add X' (a question mark goes with the wrapper)."""
    text = " ".join(message.split()).strip()
    wrapped = False
    previous = None
    while previous != text:
        previous = text
        stripped = _OPENERS.sub("", text, count=1)
        wrapped = wrapped or (
            stripped != text and bool(re.match(r"(could|can|would|will)\b", text, re.I))
        )
        text = _CLOSERS.sub("", stripped).strip()
    first, _, rest = text.partition(" ")
    if first.lower() in _GERUNDS:
        text = f"{_GERUNDS[first.lower()]} {rest}".strip()
    if wrapped and not re.match(r"(show|list|what|which|find|search|tell|give)\b", text, re.I):
        text = text.rstrip("?").strip()
    return text


_SMALL_TALK = [
    (
        phrase(
            r"(thanks|thank you|thx|ty|cheers|great|perfect|awesome|cool|nice|lovely|"
            r"that'?s great|thanks a lot|many thanks|thank you so much|much appreciated)( a lot)?"
            r"( so much)?[!. ]*"
        ),
        "You're welcome!",
    ),
    (
        phrase(r"(hi|hello|hey|good (morning|afternoon|evening)|hiya|yo)( there)?[!. ]*"),
        "Hi! What can I do for you? You can ask me to add, find, change or complete tasks.",
    ),
    (
        phrase(r"how are you( doing)?( today)?\??|how'?s it going\??"),
        "All good, thanks! What would you like to do with your tasks?",
    ),
    (phrase(r"(bye|goodbye|see you|good night|cya)[!. ]*"), "Bye! See you soon."),
]


def small_talk(text: str) -> str | None:
    for pattern, reply in _SMALL_TALK:
        if pattern.fullmatch(text.strip()):
            return reply
    return None


# Words common in other languages' task messages and rare in English ones.
_FOREIGN = set(
    [
        "und",
        "ich",
        "mich",
        "nicht",
        "morgen",
        "heute",
        "übermorgen",
        "uhr",
        "bitte",
        "für",
        "einen",
        "eine",
        "das",
        "ist",
        "zum",
        "zur",
        "erinnere",
        "hinzufügen",
        "füge",
        "aufgabe",
        "lösche",
        "erledigt",
        "termin",
        "zahnarzt",
        "les",
        "du",
        "des",
        "demain",
        "aujourd'hui",
        "pour",
        "avec",
        "je",
        "une",
        "ajoute",
        "ajouter",
        "rappelle",
        "moi",
        "tâche",
        "supprime",
        "rendez-vous",
        "mañana",
        "hoy",
        "para",
        "los",
        "las",
        "una",
        "añadir",
        "añade",
        "recuérdame",
        "tarea",
        "llamar",
        "mamá",
        "comprar",
        "domani",
        "oggi",
        "aggiungi",
        "ricordami",
        "della",
        "vandaag",
        "toevoegen",
        "herinner",
        "mij",
        "het",
        "een",
        "amanhã",
        "hoje",
        "adicionar",
        "lembrar",
    ]
)


def is_foreign(text: str) -> bool:
    """True when the message reads as another language (two or more of its common words)."""
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text.lower())
    hits = sum(word in _FOREIGN for word in words)
    return hits >= 2 and hits * 4 >= len(words)


_YES = phrase(
    r"(yes|yeah|yep|yup|sure|ok|okay|go ahead|do it|confirm(ed)?|please do|yes please|"
    r"go for it|y|absolutely|correct|that'?s right)( please| do it| go ahead)?[!. ]*"
)
_NO = phrase(
    r"(no|nope|nah|cancel|stop|don'?t|do not|never ?mind|forget it|n|no thanks|no thank you|"
    r"leave (it|them)|neither|none( of them)?)[!. ]*"
)


def read_answer(text: str) -> bool | None:
    """A plain yes (True) or no (False) to a question; None when it is neither."""
    if _YES.fullmatch(text.strip()):
        return True
    if _NO.fullmatch(text.strip()):
        return False
    return None


_CORRECTION = phrase(
    r"^((no|nope|nah)([,!.]+\s*|$)|(actually|sorry|oops|wait|hmm|oh)\b[,!.]?\s*)+(?P<rest>.*)$|"
    r"^(i meant|i mean)\s+(?P<rest2>.+)$|^not\s+[^,]+,\s*(?P<rest3>.+)$"
)


@dataclass(frozen=True, kw_only=True)
class Correction:
    """'no, friday': change the task the last action touched."""

    value: Value | None
    rest: str = ""
    """What followed the 'no,' / 'actually' (it may be a new command instead)."""


def read_correction(text: str, now: datetime) -> Correction | None:
    match = _CORRECTION.match(text)
    if not match:
        return None
    rest = (match["rest"] or match["rest2"] or match["rest3"] or "").strip()
    return Correction(value=read_value(rest, now) if rest else None, rest=rest)


@dataclass(frozen=True, kw_only=True)
class Undo:
    count: int


_UNDO = phrase(
    r"(undo|revert|reverse|take (that|it) back|roll ?back)( (that|it|this|the last (change|one|"
    r"thing|action)))?|undo (the )?last (?P<n>\d+|two|three|four|five)( changes| actions| things)?|"
    r"undo (that|the last (change|one))"
)
_WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5}


def read_undo(text: str) -> Undo | None:
    match = _UNDO.fullmatch(text.strip(" .!"))
    if not match:
        return None
    count = match["n"]
    return Undo(count=1 if count is None else int(_WORD_NUMBERS.get(count.lower(), count)))


BulkAction = Literal["complete", "reopen", "delete", "tag"]


@dataclass(frozen=True, kw_only=True)
class Bulk:
    """'complete all tasks tagged work': list, say how many, act on a yes."""

    action: BulkAction
    query: dict[str, Any]
    add_tags: list[str] = field(default_factory=list)


_BULK = phrase(
    r"^(?P<verb>complete|finish|close|check off|tick off|delete|remove|clear|reopen|tag|mark)\s+"
    r"(?P<scope>all|every|everything|each)\b(?P<rest>.*)$"
)
_BULK_MARK = phrase(
    r"^(?P<rest>.+?)\s+(as\s+)?(?P<state>done|complete|completed|finished|not done|open|undone)$"
)
_BULK_TAGS = re.compile(
    r"^(?P<rest>.*?)\s+(with|as)\s+(?P<tags>#?[\w\-]+(\s*(,|and)\s*#?[\w\-]+)*)$"
)
_VERBS: dict[str, BulkAction] = {
    "complete": "complete",
    "finish": "complete",
    "close": "complete",
    "check off": "complete",
    "tick off": "complete",
    "delete": "delete",
    "remove": "delete",
    "clear": "delete",
    "reopen": "reopen",
    "tag": "tag",
}


def read_bulk(text: str, now: datetime) -> Bulk | None:
    match = _BULK.match(text)
    if not match:
        return None
    verb, rest = match["verb"].lower(), match["rest"].strip()
    tags: list[str] = []
    if verb == "mark":
        marked = _BULK_MARK.match(rest)
        if not marked:
            return None
        action: BulkAction = (
            "reopen" if marked["state"].lower() in {"not done", "open", "undone"} else "complete"
        )
        rest = marked["rest"]
    else:
        action = _VERBS[verb]
    if action == "tag":
        tagged = _BULK_TAGS.match(rest)
        if not tagged:
            return None
        rest, tags = tagged["rest"], tags_in(tagged["tags"])
    rest = re.sub(
        r"^(of\s+)?(my\s+|the\s+)?(tasks?|todos?|items?)?\s*(that are|that|which are|which)?\s*",
        "",
        rest,
        flags=re.I,
    )
    query = list_args(rest or "tasks", now)
    if action == "complete":
        query["status"] = "open"
    elif action == "reopen":
        query["status"] = "completed"
    elif (
        action == "delete"
        and query.get("status") == "open"
        and not re.search(r"\bopen\b", rest, re.I)
    ):
        query["status"] = "all"
    query.pop("sort", None)
    query["limit"] = 100
    return Bulk(action=action, query=query, add_tags=tags)


@dataclass(frozen=True, kw_only=True)
class Selection:
    """An answer to 'which one?': a reference, a due day, or words from a title."""

    ref: TaskRef | None = None
    day: datetime | None = None
    words: str = ""


_THE_ONE = phrase(
    r"^(the one|the task|that one|one)\s+(?P<how>for|on|due|due on|at|about|with|called|named|"
    r"tagged( with)?|that'?s due|that is due|mentioning)\s+(?P<what>.+)$|^the (?P<adj>.+?) one$"
)


def read_selection(text: str, now: datetime) -> Selection | None:
    text = text.strip(" .!?")
    if re.fullmatch(r"#?\d{1,9}", text):
        return Selection(ref=TaskRef(text=text, task_id=int(text.lstrip("#")), kind="id"))
    if (ref := reference(text)) is not None:
        return Selection(ref=ref)
    if match := _THE_ONE.match(text):
        what = match["what"] or match["adj"] or ""
        how = (match["how"] or "").lower()
        if how in {"for", "on", "due", "due on", "at", "that's due", "thats due", "that is due"}:
            read = read_date(what, now)
            if read is not None:
                return Selection(day=read[0])
        return Selection(words=what.strip(" \"'#"))
    return None
