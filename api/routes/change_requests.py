"""Change requests: list, read, edit, move along the lifecycle, decide, audit history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import ActorDep, SessionDep
from api.routes.common import Items
from tools.schemas import AuditEventPublic, ChangeRequestFilter, ChangeRequestPublic, ChangeRequestUpdate
from tools.services import audit, change_requests

router = APIRouter(prefix="/change-requests", tags=["change requests"])


class DecisionBody(BaseModel):
    decision: str = Field(description="approve, reject or defer")
    comment: str | None = None


@router.get("", summary="Change requests, filtered by project and status")
def list_change_requests(
    filters: Annotated[ChangeRequestFilter, Query()], session: SessionDep, actor: ActorDep
) -> Items[ChangeRequestPublic]:
    rows = change_requests.list_change_requests(session=session, actor=actor, filters=filters)
    return Items[ChangeRequestPublic](items=[ChangeRequestPublic.model_validate(r) for r in rows])


@router.get("/{key}", summary="One change request")
def get_change_request(key: str, session: SessionDep, actor: ActorDep) -> ChangeRequestPublic:
    cr = change_requests.get_change_request(session=session, actor=actor, key=key)
    return ChangeRequestPublic.model_validate(cr)


@router.patch("/{key}", summary="Edit fields; `status` moves it to under_review, implemented or closed")
def update_change_request(
    key: str, body: ChangeRequestUpdate, session: SessionDep, actor: ActorDep
) -> ChangeRequestPublic:
    cr = change_requests.update_change_request(session=session, actor=actor, key=key, data=body)
    return ChangeRequestPublic.model_validate(cr)


@router.post("/{key}/decision", summary="Approve, reject or defer (approvers and admins)")
def decide_change_request(
    key: str, body: DecisionBody, session: SessionDep, actor: ActorDep
) -> ChangeRequestPublic:
    cr = change_requests.decide_change_request(
        session=session, actor=actor, key=key, decision=body.decision, comment=body.comment
    )
    return ChangeRequestPublic.model_validate(cr)


@router.get("/{key}/history", summary="Every audited change to the change request, oldest first")
def change_request_history(key: str, session: SessionDep, actor: ActorDep) -> Items[AuditEventPublic]:
    cr = change_requests.get_change_request(session=session, actor=actor, key=key)
    events = audit.history(session, "change_request", cr.key)
    return Items[AuditEventPublic](items=[AuditEventPublic.model_validate(e) for e in events])
