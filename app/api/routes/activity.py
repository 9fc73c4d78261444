from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import PathUser, RowId, SessionDep
from app.api.paging import PageQuery
from app.api.responses import NOT_FOUND, USER_SCOPED
from app.models.activity import ActivityPublic
from app.models.bounds import INT32_MAX, INT32_MIN
from app.models.notification import NotificationPublic
from app.services import activity

router = APIRouter(prefix="/api/{user_id}", tags=["activity"], responses=USER_SCOPED)
TaskId = Annotated[int | None, Query(ge=INT32_MIN, le=INT32_MAX)]


@router.get("/activity", response_model=list[ActivityPublic])
def list_activity(
    *, session: SessionDep, user: PathUser, page: PageQuery, task_id: TaskId = None
) -> list[ActivityPublic]:
    """The audit log, newest first; the total is in X-Total-Count."""
    return page.counted(
        activity.list_activity(
            session=session, user=user, offset=page.offset, limit=page.limit, task_id=task_id
        )
    )


@router.get("/notifications", response_model=list[NotificationPublic])
def list_notifications(
    *, session: SessionDep, user: PathUser, page: PageQuery, unread: bool | None = None
) -> list[NotificationPublic]:
    """Fired reminders, newest first."""
    return page.counted(
        activity.list_notifications(
            session=session, user=user, offset=page.offset, limit=page.limit, unread=unread
        )
    )


@router.post(
    "/notifications/{notification_id}/read", response_model=NotificationPublic, responses=NOT_FOUND
)
def mark_read(*, session: SessionDep, user: PathUser, notification_id: RowId) -> NotificationPublic:
    return activity.mark_notification_read(
        session=session, user=user, notification_id=notification_id
    )
