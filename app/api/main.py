from __future__ import annotations

from fastapi import APIRouter

from app.api.responses import INVALID, UNAVAILABLE
from app.api.routes import activity, auth, chat, health, ops, profile, tags, tasks, updates, views

api_router = APIRouter(responses=INVALID | UNAVAILABLE)
api_router.include_router(health.router)
api_router.include_router(auth.router)
api_router.include_router(profile.router)
api_router.include_router(tasks.router)
api_router.include_router(tags.router)
api_router.include_router(views.router)
api_router.include_router(activity.router)
api_router.include_router(updates.router)
api_router.include_router(ops.router)
api_router.include_router(chat.router)
