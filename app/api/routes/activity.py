from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.deps import PathUser, RowId, SessionDep
from app.api.paging import counted
from app.api.responses import NOT_FOUND, USER_SCOPED
from app.models.activity import ActivityPublic, ActivityQuery
from app.models.notification import NotificationPublic, NotificationQuery
from app.services import activity

router = APIRouter(prefix="/api/{user_id}", tags=["activity"], responses=USER_SCOPED)
ActivityParams = Annotated[ActivityQuery, Query()]
NotificationParams = Annotated[NotificationQuery, Query()]


@router.get("/activity", response_model=list[ActivityPublic])
def list_activity(
    *, session: SessionDep, user: PathUser, query: ActivityParams, response: Response
) -> list[ActivityPublic]:
    """The audit log, newest first; the total is in X-Total-Count."""
    return counted(response, activity.list_activity(session=session, user=user, query=query))


@router.get("/notifications", response_model=list[NotificationPublic])
def list_notifications(
    *, session: SessionDep, user: PathUser, query: NotificationParams, response: Response
) -> list[NotificationPublic]:
    """Fired reminders, newest first; the total is in X-Total-Count and the number not yet
    read in X-Unread-Count, so that a bell and its list are one request."""
    response.headers["X-Unread-Count"] = str(activity.count_unread(session=session, user=user))
    return counted(response, activity.list_notifications(session=session, user=user, query=query))


@router.post(
    "/notifications/{notification_id}/read", response_model=NotificationPublic, responses=NOT_FOUND
)
def mark_read(*, session: SessionDep, user: PathUser, notification_id: RowId) -> NotificationPublic:
    return activity.mark_notification_read(
        session=session, user=user, notification_id=notification_id
    )
