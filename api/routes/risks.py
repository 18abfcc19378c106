"""Risks: filterable register, read, update, close, audit history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.deps import ActorDep, SessionDep
from api.routes.common import Items
from tools.schemas import AuditEventPublic, RiskFilter, RiskPublic, RiskUpdate
from tools.services import audit, risks

router = APIRouter(prefix="/risks", tags=["risks"])


class CloseBody(BaseModel):
    reason: str | None = None


@router.get("", summary="The risk register, filtered by project, status, min_rating, owner, category")
def list_risks(
    filters: Annotated[RiskFilter, Query()], session: SessionDep, actor: ActorDep
) -> Items[RiskPublic]:
    rows = risks.list_risks(session=session, actor=actor, filters=filters)
    return Items[RiskPublic](items=[RiskPublic.model_validate(r) for r in rows])


@router.get("/{key}", summary="One risk")
def get_risk(key: str, session: SessionDep, actor: ActorDep) -> RiskPublic:
    return RiskPublic.model_validate(risks.get_risk(session=session, actor=actor, key=key))


@router.patch("/{key}", summary="Re-score, re-assign, change response, mitigation, due date or status")
def update_risk(key: str, body: RiskUpdate, session: SessionDep, actor: ActorDep) -> RiskPublic:
    return RiskPublic.model_validate(risks.update_risk(session=session, actor=actor, key=key, data=body))


@router.post("/{key}/close", summary="Close a risk, with an optional reason")
def close_risk(key: str, session: SessionDep, actor: ActorDep, body: CloseBody | None = None) -> RiskPublic:
    reason = body.reason if body else None
    return RiskPublic.model_validate(risks.close_risk(session=session, actor=actor, key=key, reason=reason))


@router.get("/{key}/history", summary="Every audited change to the risk, oldest first")
def risk_history(key: str, session: SessionDep, actor: ActorDep) -> Items[AuditEventPublic]:
    risk = risks.get_risk(session=session, actor=actor, key=key)
    events = audit.history(session, "risk", risk.key)
    return Items[AuditEventPublic](items=[AuditEventPublic.model_validate(e) for e in events])
