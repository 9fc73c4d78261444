"""What the database columns can hold, declared once so the API rejects the rest with 422
(and documents it) instead of failing in the database with a 500."""

from typing import Annotated

from pydantic import StringConstraints

# INTEGER ids on PostgreSQL (SQLite's are wider): the narrower range holds for both.
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
# PostgreSQL's text cannot hold NUL (0x00); nothing needs it.
NO_NUL = r"^[^\x00]*$"
# Also not blank: at least one character that is neither whitespace nor NUL.
NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"

Text = Annotated[str, StringConstraints(pattern=NO_NUL)]
NonBlankText = Annotated[str, StringConstraints(pattern=NOT_BLANK)]
