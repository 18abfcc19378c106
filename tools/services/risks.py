"""Risks: log, update, close, read and list, with score and rating kept in step."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tools.actor import Actor
from tools.errors import Conflict, NotFound
from tools.events import mark_changed
from tools.models import Project, Risk
from tools.scales import RATING_FLOOR, score_rating
from tools.schemas import RiskCreate, RiskFilter, RiskUpdate, parse
from tools.services import audit
from tools.services._base import apply_changes, next_number, now, snapshot
from tools.services.access import can_read, readable_project, require_write, visible_project_keys
from tools.services.people import find_person, resolve_owner

RISK_FIELDS = (
    "title",
    "description",
    "category",
    "probability",
    "impact",
    "score",
    "rating",
    "owner",
    "response",
    "mitigation",
    "trigger",
    "due_date",
    "review_date",
    "status",
)


def _touch(risk: Risk, actor: Actor) -> None:
    risk.updated_by = actor.user_id
    risk.last_reviewed_at = now()


def log_risk(*, session: Session, actor: Actor, data: RiskCreate | dict) -> Risk:
    """Log a new risk on a project; its key is the project's next `{PROJECT}-R{n}`."""
    data = parse(RiskCreate, data)
    project = readable_project(session, actor, data.project)
    require_write(session, actor, project)
    number = next_number(session, project, "risk_seq")
    fields = data.model_dump(exclude={"project"})
    fields["owner"] = resolve_owner(session, data.owner)
    score = data.probability * data.impact
    risk = Risk(
        **fields,
        project=project,
        project_id=project.id,
        number=number,
        key=f"{project.key}-R{number}",
        score=score,
        rating=score_rating(score),
        created_by=actor.user_id,
        updated_by=actor.user_id,
    )
    if risk.status == "closed":
        risk.closed_at = now()
    session.add(risk)
    session.flush()
    audit.record(
        session,
        actor,
        "risk.create",
        "risk",
        risk.key,
        project.key,
        changes=snapshot(risk, RISK_FIELDS),
        summary=f"Logged {risk.key} {risk.title} ({risk.rating}, score {risk.score})",
    )
    mark_changed(session, "risk", risk.key, project.key)
    return risk


def get_risk(*, session: Session, actor: Actor, key: str) -> Risk:
    """The risk with `key`; NotFound when unknown or in a project the actor cannot see."""
    key = key.strip().upper()
    risk = session.scalar(select(Risk).where(Risk.key == key))
    if risk is None or not can_read(session, actor, risk.project):
        raise NotFound(f"There is no risk {key}.")
    return risk


def _writable_risk(session: Session, actor: Actor, key: str) -> Risk:
    risk = get_risk(session=session, actor=actor, key=key)
    require_write(session, actor, risk.project)
    return risk


def update_risk(*, session: Session, actor: Actor, key: str, data: RiskUpdate | dict) -> Risk:
    """Change a risk's fields; score and rating follow probability and impact."""
    data = parse(RiskUpdate, data)
    risk = _writable_risk(session, actor, key)
    updates = data.changes()
    for required in ("title", "category", "probability", "impact", "status"):
        if required in updates and updates[required] is None:
            del updates[required]  # explicit nulls on required fields mean "leave as is"
    if "owner" in updates:
        updates["owner"] = resolve_owner(session, updates["owner"])
    probability = updates.get("probability", risk.probability)
    impact = updates.get("impact", risk.impact)
    updates["score"] = probability * impact
    updates["rating"] = score_rating(updates["score"])
    if updates.get("status") == "closed" and risk.status != "closed":
        updates["closed_at"] = now()
    elif updates.get("status") in ("open", "monitoring") and risk.status == "closed":
        updates["closed_at"] = None
        updates["closed_reason"] = None
    changes = apply_changes(risk, updates)
    if changes:
        _touch(risk, actor)
        audit.record(
            session,
            actor,
            "risk.update",
            "risk",
            risk.key,
            risk.project.key,
            changes=changes,
            summary=f"Updated {risk.key}: {', '.join(changes)}",
        )
        mark_changed(session, "risk", risk.key, risk.project.key)
    return risk


def close_risk(*, session: Session, actor: Actor, key: str, reason: str | None = None) -> Risk:
    """Close a risk, with the reason it no longer applies."""
    risk = _writable_risk(session, actor, key)
    if risk.status == "closed":
        raise Conflict(f"{risk.key} is already closed.")
    changes = apply_changes(
        risk, {"status": "closed", "closed_reason": reason.strip() if reason else None, "closed_at": now()}
    )
    _touch(risk, actor)
    audit.record(
        session,
        actor,
        "risk.close",
        "risk",
        risk.key,
        risk.project.key,
        changes=changes,
        summary=f"Closed {risk.key}" + (f": {reason}" if reason else ""),
    )
    mark_changed(session, "risk", risk.key, risk.project.key)
    return risk


def list_risks(*, session: Session, actor: Actor, filters: RiskFilter | dict | None = None) -> list[Risk]:
    """Risks the actor can see, highest score first."""
    filters = parse(RiskFilter, filters or {})
    stmt = select(Risk).join(Project, Risk.project_id == Project.id)
    if filters.project:
        stmt = stmt.where(Risk.project_id == readable_project(session, actor, filters.project).id)
    else:
        keys = visible_project_keys(session, actor)
        if keys is not None:
            stmt = stmt.where(Project.key.in_(sorted(keys)))
    if filters.status:
        stmt = stmt.where(Risk.status == filters.status)
    elif filters.open_only:
        stmt = stmt.where(Risk.status != "closed")
    if filters.min_rating:
        stmt = stmt.where(Risk.score >= RATING_FLOOR[filters.min_rating])
    if filters.category:
        stmt = stmt.where(Risk.category == filters.category)
    if filters.owner:
        person = find_person(session, filters.owner)
        names = {filters.owner.strip().lower()}
        ids = set()
        if person is not None:
            ids.add(person.slack_id)
            names.add(person.name.lower())
        stmt = stmt.where(or_(Risk.owner.in_(sorted(ids)), func.lower(Risk.owner).in_(sorted(names))))
    stmt = stmt.order_by(Risk.score.desc(), Project.key, Risk.number)
    if filters.limit:
        stmt = stmt.limit(filters.limit)
    return list(session.scalars(stmt))
