"""What the database columns and the code accept, declared once as schema constraints so the
API rejects the rest with 422 (and documents it) instead of failing later with a 500."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Strict, StringConstraints

from app.domain.recurrence import RULE_PATTERN

# INTEGER ids on PostgreSQL (SQLite's are wider): the narrower range holds for both.
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
# Exactly the characters str.strip() removes (str.isspace), spelled out: regex engines
# disagree on \s (Rust's and ECMAScript's leave out U+001C..U+001F, Python's does not).
SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# PostgreSQL's text cannot hold NUL (0x00); nothing needs it.
NO_NUL = r"^[^\x00]*$"
# Also not blank once stripped: at least one character that is neither space nor NUL.
NOT_BLANK = rf"^[^\x00]*[^{SPACE}\x00][^\x00]*$"
# A tag name: no comma or NUL, and something besides spaces and '#' (both are trimmed).
TAG_NAME_PATTERN = rf"^[^,\x00]*[^{SPACE},#\x00][^,\x00]*$"

# A pattern's own words for the 422 message (pydantic's would quote the regex); modules
# that declare a pattern of their own add its words here.
PATTERN_MESSAGES: dict[str, str] = {
    NO_NUL: "must not contain NUL characters",
    NOT_BLANK: "must not be blank (nor contain NUL characters)",
    TAG_NAME_PATTERN: "a tag name needs a character besides spaces and '#', and no comma or NUL",
    RULE_PATTERN: "not a supported rule: daily, weekly, monthly or yearly; an RRULE with its parts "
    "in the order FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, then COUNT or UNTIL "
    "(FREQ=WEEKLY;BYDAY=MO,WE); or a five-field cron expression (0 9 * * 1-5)",
}

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _iso_8601(value: Any) -> Any:
    # Pydantic would read a number (or a numeric string) as Unix seconds: the schema says an
    # ISO 8601 date-time string, so only that is read.
    if isinstance(value, bool | int | float) or (
        isinstance(value, str) and _NUMBER.fullmatch(value.strip())
    ):
        raise ValueError("must be an ISO 8601 date-time such as 2026-03-06T17:00:00+01:00")
    return value


def _json_integer(value: Any) -> Any:
    # JSON Schema's integer includes 2.0, but not true or "2" (pydantic's lax int takes both).
    if isinstance(value, bool | str):
        raise ValueError("must be an integer")
    return value


NoNulText = Annotated[str, StringConstraints(pattern=NO_NUL)]
NonBlankText = Annotated[str, StringConstraints(pattern=NOT_BLANK)]
DateTime = Annotated[datetime, BeforeValidator(_iso_8601)]
# JSON bodies: an integer or a boolean is only that (pydantic would take true as 1, 1 as true).
NOT_COERCED = BeforeValidator(_json_integer)
JsonInt = Annotated[int, NOT_COERCED]
JsonBool = Annotated[bool, Strict()]
