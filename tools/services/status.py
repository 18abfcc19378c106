"""Weekly status updates (RAG + summary) and the project status roll-up."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tools.actor import Actor
from tools.events import mark_changed
from tools.models import Risk, StatusUpdate
from tools.scales import RATINGS
from tools.schemas import (
    ChangeRequestPublic,
    MilestonePublic,
    ProjectStatusPublic,
    RiskPublic,
    StatusUpdateCreate,
    StatusUpdatePublic,
    parse,
)
from tools.services import audit
from tools.services._base import snapshot
from tools.services.access import readable_project, require_write
from tools.services.change_requests import list_change_requests
from tools.services.milestones import list_milestones
from tools.services.risks import list_risks

STATUS_FIELDS = ("overall", "schedule", "budget", "scope", "summary", "as_of")
TOP_RISKS, MILESTONE_HORIZON_DAYS = 5, 30


def post_status_update(
    *, session: Session, actor: Actor, data: StatusUpdateCreate | dict, today: date | None = None
) -> StatusUpdate:
    """Post a project's status: overall RAG, optional schedule/budget/scope RAG, and a summary."""
    data = parse(StatusUpdateCreate, data)
    project = readable_project(session, actor, data.project)
    require_write(session, actor, project)
    update = StatusUpdate(
        project=project,
        project_id=project.id,
        overall=data.overall,
        schedule=data.schedule,
        budget=data.budget,
        scope=data.scope,
        summary=data.summary,
        author=actor.user_id,
        as_of=data.as_of or today or date.today(),
    )
    session.add(update)
    session.flush()
    audit.record(
        session,
        actor,
        "status_update.create",
        "status_update",
        str(update.id),
        project.key,
        changes=snapshot(update, STATUS_FIELDS),
        summary=f"{project.key} status {update.overall}: {update.summary[:120]}",
    )
    mark_changed(session, "status_update", str(update.id), project.key)
    return update


def list_status_updates(
    *, session: Session, actor: Actor, project: str, limit: int = 10
) -> list[StatusUpdate]:
    """A project's status updates, newest first."""
    proj = readable_project(session, actor, project)
    stmt = (
        select(StatusUpdate)
        .where(StatusUpdate.project_id == proj.id)
        .order_by(StatusUpdate.as_of.desc(), StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        .limit(max(1, limit))
    )
    return list(session.scalars(stmt))


def project_status(*, session: Session, actor: Actor, project: str, today: date) -> ProjectStatusPublic:
    """Where a project stands today: latest RAG, open risks, next milestones, pending decisions."""
    proj = readable_project(session, actor, project)
    latest = next(iter(list_status_updates(session=session, actor=actor, project=proj.key, limit=1)), None)
    counts = dict(
        session.execute(
            select(Risk.rating, func.count())
            .where(Risk.project_id == proj.id, Risk.status != "closed")
            .group_by(Risk.rating)
        ).all()
    )
    top = list_risks(
        session=session, actor=actor, filters={"project": proj.key, "open_only": True, "limit": TOP_RISKS}
    )
    upcoming = list_milestones(
        session=session,
        actor=actor,
        today=today,
        filters={"project": proj.key, "due_within_days": MILESTONE_HORIZON_DAYS},
    )
    overdue = list_milestones(
        session=session, actor=actor, today=today, filters={"project": proj.key, "overdue": True}
    )
    pending = list_change_requests(
        session=session, actor=actor, filters={"project": proj.key, "awaiting_decision": True}
    )
    latest_public = StatusUpdatePublic.model_validate(latest) if latest else None
    return ProjectStatusPublic(
        project=proj.key,
        name=proj.name,
        today=today,
        latest_status=latest_public,
        overall=latest.overall if latest else None,
        schedule=latest.schedule if latest else None,
        budget=latest.budget if latest else None,
        scope=latest.scope if latest else None,
        summary=latest.summary if latest else None,
        open_risks={rating: int(counts.get(rating, 0)) for rating in RATINGS},
        open_risk_total=int(sum(counts.values())),
        top_risks=[RiskPublic.model_validate(r) for r in top],
        upcoming_milestones=[MilestonePublic.model_validate(m) for m in upcoming],
        overdue_milestones=[MilestonePublic.model_validate(m) for m in overdue],
        awaiting_decision=[ChangeRequestPublic.model_validate(c) for c in pending],
    )
