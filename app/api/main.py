from fastapi import APIRouter

from app.api.routes import auth, health, profile, tags, tasks

api_router = APIRouter()
api_router.include_router(health.router)
api_router.include_router(auth.router)
api_router.include_router(profile.router)
api_router.include_router(tasks.router)
api_router.include_router(tags.router)
