"""Status updates: the weekly RAG history of a project."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ActorDep, SessionDep
from api.routes.common import Items
from tools.schemas import StatusUpdatePublic
from tools.services import status

router = APIRouter(prefix="/status-updates", tags=["status updates"])


@router.get("", summary="A project's status updates, newest first")
def list_status_updates(
    project: str,
    session: SessionDep,
    actor: ActorDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> Items[StatusUpdatePublic]:
    rows = status.list_status_updates(session=session, actor=actor, project=project, limit=limit)
    return Items[StatusUpdatePublic](items=[StatusUpdatePublic.model_validate(u) for u in rows])
