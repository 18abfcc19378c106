"""The append-only audit trail: every write records who, via what, and the before/after of fields."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.actor import Actor
from tools.errors import NotFound
from tools.models import AuditEvent
from tools.services.access import visible_project_keys


def jsonable(value: Any) -> Any:
    """Values as the JSON column stores them (dates as ISO strings)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return value


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_key: str | None,
    project_key: str | None = None,
    changes: dict[str, Any] | None = None,
    summary: str | None = None,
    detail: dict[str, Any] | None = None,
    thread: str | None = None,
) -> AuditEvent:
    """Append one audit event to the session (committed with the write it describes)."""
    event = AuditEvent(
        actor=actor.user_id,
        actor_name=actor.name,
        via=actor.via,
        action=action,
        entity_type=entity_type,
        entity_key=entity_key,
        project_key=project_key,
        changes=jsonable(changes or {}),
        detail=jsonable(detail or {}),
        summary=summary,
        thread=thread if thread is not None else actor.extra.get("thread"),
    )
    session.add(event)
    return event


def history(session: Session, entity_type: str, entity_key: str) -> list[AuditEvent]:
    """Every event about one record, oldest first."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_key == entity_key)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return list(session.scalars(stmt))


def record_history(*, session: Session, actor: Actor, entity_type: str, entity_key: str) -> list[AuditEvent]:
    """`history` for someone asking: NotFound when there is none or its project is hidden from them."""
    key = entity_key.strip().upper() if entity_type != "person" else entity_key.strip()
    events = history(session, entity_type, key)
    visible = visible_project_keys(session, actor)
    hidden = visible is not None and any(e.project_key and e.project_key not in visible for e in events)
    if not events or hidden:
        raise NotFound(f"There is no history for {entity_type.replace('_', ' ')} {key}.")
    return events


def list_events(
    session: Session,
    *,
    project_key: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    entity_type: str | None = None,
    since: datetime | None = None,
    projects: set[str] | None = None,
    limit: int = 100,
) -> list[AuditEvent]:
    """Recent events, newest first; `projects` (when not None) restricts to those project keys."""
    stmt = select(AuditEvent)
    if project_key:
        stmt = stmt.where(AuditEvent.project_key == project_key.upper())
    if projects is not None:
        stmt = stmt.where(AuditEvent.project_key.in_(sorted(projects)))
    if actor:
        stmt = stmt.where(AuditEvent.actor == actor)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if entity_type:
        stmt = stmt.where(AuditEvent.entity_type == entity_type)
    if since:
        stmt = stmt.where(AuditEvent.at >= since)
    return list(session.scalars(stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))
