"""POST /api/{user_id}/quick-add: what the add box's line means, shown as chips before it is added.

The same reading as the chat's (app.chat.parsing.quick_add), in the user's timezone. It lives
beside the web app because only the add box asks; `taskflow serve` mounts it with the UI.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.api.deps import PathUser
from app.api.responses import INVALID, UNAVAILABLE, USER_SCOPED, body_route
from app.chat.parsing.quick_add import QuickAdd, parse_quick_add
from app.models.task import TITLE_MAX

router = APIRouter(
    prefix="/api/{user_id}", tags=["tasks"], responses=INVALID | UNAVAILABLE | USER_SCOPED
)


class QuickAddRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=TITLE_MAX * 2)

    @field_validator("text")
    @classmethod
    def _no_nul(cls, value: str) -> str:
        if "\x00" in value:
            raise ValueError("text must not contain NUL characters")
        return value


@router.post("/quick-add", response_model=QuickAdd, responses=body_route())
def read_quick_add(*, user: PathUser, body: QuickAddRequest) -> QuickAdd:
    """The title, due date, priority, tags, repeat rule and reminder read from one line, with
    the spans understood (`tokens`, character offsets and a label each). Nothing is saved."""
    return parse_quick_add(body.text, now=datetime.now(UTC), tz=ZoneInfo(user.timezone))
