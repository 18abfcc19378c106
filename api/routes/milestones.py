"""Milestones: list (incl. due soon / overdue), read, update, audit history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ActorDep, SessionDep, TodayDep
from api.routes.common import Items
from tools.schemas import AuditEventPublic, MilestoneFilter, MilestonePublic, MilestoneUpdate
from tools.services import audit, milestones

router = APIRouter(prefix="/milestones", tags=["milestones"])


@router.get("", summary="Milestones, filtered by project, status, due_within_days, overdue")
def list_milestones(
    filters: Annotated[MilestoneFilter, Query()], session: SessionDep, actor: ActorDep, today: TodayDep
) -> Items[MilestonePublic]:
    rows = milestones.list_milestones(session=session, actor=actor, filters=filters, today=today)
    return Items[MilestonePublic](items=[MilestonePublic.model_validate(m) for m in rows])


@router.get("/{key}", summary="One milestone")
def get_milestone(key: str, session: SessionDep, actor: ActorDep) -> MilestonePublic:
    return MilestonePublic.model_validate(milestones.get_milestone(session=session, actor=actor, key=key))


@router.patch("/{key}", summary="Change status, due date, title, owner")
def update_milestone(
    key: str, body: MilestoneUpdate, session: SessionDep, actor: ActorDep, today: TodayDep
) -> MilestonePublic:
    milestone = milestones.update_milestone(session=session, actor=actor, key=key, data=body, today=today)
    return MilestonePublic.model_validate(milestone)


@router.get("/{key}/history", summary="Every audited change to the milestone, oldest first")
def milestone_history(key: str, session: SessionDep, actor: ActorDep) -> Items[AuditEventPublic]:
    milestone = milestones.get_milestone(session=session, actor=actor, key=key)
    events = audit.history(session, "milestone", milestone.key)
    return Items[AuditEventPublic](items=[AuditEventPublic.model_validate(e) for e in events])
