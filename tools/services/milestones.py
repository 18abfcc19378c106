"""Milestones: due dates (keeping the original to detect slips) and their status."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.actor import Actor
from tools.errors import NotFound
from tools.events import mark_changed
from tools.models import Milestone, Project
from tools.schemas import MilestoneCreate, MilestoneFilter, MilestoneUpdate, parse
from tools.services import audit
from tools.services._base import apply_changes, next_number, snapshot
from tools.services.access import can_read, readable_project, require_write, visible_project_keys
from tools.services.people import resolve_owner

MILESTONE_FIELDS = (
    "title",
    "description",
    "owner",
    "due_date",
    "original_due_date",
    "status",
    "completed_on",
)
OPEN_STATUSES = ("planned", "in_progress")


def create_milestone(
    *, session: Session, actor: Actor, project: str, data: MilestoneCreate | dict, today: date | None = None
) -> Milestone:
    """Add a milestone; its key is the project's next `{PROJECT}-M{n}`."""
    data = parse(MilestoneCreate, data)
    proj = readable_project(session, actor, project)
    require_write(session, actor, proj)
    number = next_number(session, proj, "milestone_seq")
    fields = data.model_dump()
    fields["owner"] = resolve_owner(session, data.owner)
    if data.status == "completed" and data.completed_on is None:
        fields["completed_on"] = min(today or date.today(), data.due_date)
    milestone = Milestone(
        **fields,
        project=proj,
        project_id=proj.id,
        number=number,
        key=f"{proj.key}-M{number}",
        original_due_date=data.due_date,
        created_by=actor.user_id,
        updated_by=actor.user_id,
    )
    session.add(milestone)
    session.flush()
    audit.record(
        session,
        actor,
        "milestone.create",
        "milestone",
        milestone.key,
        proj.key,
        changes=snapshot(milestone, MILESTONE_FIELDS),
        summary=f"Added {milestone.key} {milestone.title} due {milestone.due_date}",
    )
    mark_changed(session, "milestone", milestone.key, proj.key)
    return milestone


def get_milestone(*, session: Session, actor: Actor, key: str) -> Milestone:
    key = key.strip().upper()
    milestone = session.scalar(select(Milestone).where(Milestone.key == key))
    if milestone is None or not can_read(session, actor, milestone.project):
        raise NotFound(f"There is no milestone {key}.")
    return milestone


def update_milestone(
    *, session: Session, actor: Actor, key: str, data: MilestoneUpdate | dict, today: date | None = None
) -> Milestone:
    """Change a milestone; moving its due date keeps the original for slip tracking."""
    data = parse(MilestoneUpdate, data)
    milestone = get_milestone(session=session, actor=actor, key=key)
    require_write(session, actor, milestone.project)
    updates = {
        k: v for k, v in data.changes().items() if not (k in ("title", "due_date", "status") and v is None)
    }
    if "owner" in updates:
        updates["owner"] = resolve_owner(session, updates["owner"])
    if "due_date" in updates and milestone.original_due_date is None:
        updates["original_due_date"] = milestone.due_date
    if updates.get("status") == "completed" and milestone.status != "completed":
        updates.setdefault("completed_on", today or date.today())
    elif updates.get("status") in (*OPEN_STATUSES, "missed") and milestone.status == "completed":
        updates.setdefault("completed_on", None)
    changes = apply_changes(milestone, updates)
    if changes:
        milestone.updated_by = actor.user_id
        slip = ""
        if "due_date" in changes and milestone.original_due_date:
            days = (milestone.due_date - milestone.original_due_date).days
            slip = f" ({days:+d} days from the original plan)" if days else ""
        audit.record(
            session,
            actor,
            "milestone.update",
            "milestone",
            milestone.key,
            milestone.project.key,
            changes=changes,
            summary=f"Updated {milestone.key}: {', '.join(changes)}{slip}",
        )
        mark_changed(session, "milestone", milestone.key, milestone.project.key)
    return milestone


def list_milestones(
    *,
    session: Session,
    actor: Actor,
    filters: MilestoneFilter | dict | None = None,
    today: date | None = None,
) -> list[Milestone]:
    """Milestones the actor can see, soonest due first. `due_within_days` counts from `today` and leaves
    out completed and missed ones; `overdue` gives open milestones whose date has passed."""
    filters = parse(MilestoneFilter, filters or {})
    today = today or date.today()
    stmt = select(Milestone).join(Project, Milestone.project_id == Project.id)
    if filters.project:
        stmt = stmt.where(Milestone.project_id == readable_project(session, actor, filters.project).id)
    else:
        keys = visible_project_keys(session, actor)
        if keys is not None:
            stmt = stmt.where(Project.key.in_(sorted(keys)))
    if filters.status:
        stmt = stmt.where(Milestone.status == filters.status)
    if filters.due_within_days is not None:
        horizon = today + timedelta(days=filters.due_within_days)
        stmt = stmt.where(Milestone.due_date >= today, Milestone.due_date <= horizon)
        if not filters.status:
            stmt = stmt.where(Milestone.status.in_(OPEN_STATUSES))
    if filters.overdue:
        stmt = stmt.where(Milestone.due_date < today, Milestone.status.in_(OPEN_STATUSES))
    stmt = stmt.order_by(Milestone.due_date, Project.key, Milestone.number)
    if filters.limit:
        stmt = stmt.limit(filters.limit)
    return list(session.scalars(stmt))
