"""The records REST API under /api/v1: people, projects, risks, change requests, milestones, status."""

from fastapi import APIRouter

from api.routes import change_requests, milestones, people, projects, register, risks, status_updates

router = APIRouter(prefix="/api/v1")
for _module in (people, projects, register, risks, change_requests, milestones, status_updates):
    router.include_router(_module.router)

__all__ = ["router"]
