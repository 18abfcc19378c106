"""Undo: revert the last write in a thread, by its author, within the undo window; audited as an undo."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, DateTime, or_, select
from sqlalchemy.orm import Session

from bot import replies
from tools.actor import Actor
from tools.events import mark_changed
from tools.models import AuditEvent, ChangeRequest, Milestone, Risk, StatusUpdate
from tools.services import audit

MODELS: dict[str, Any] = {
    "risk": Risk,
    "change_request": ChangeRequest,
    "milestone": Milestone,
    "status_update": StatusUpdate,
}
SKIP = ("conversation", "person", "project")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def last_write(session: Session, thread: str) -> AuditEvent | None:
    """The newest record write in the thread that has not been undone yet.

    `thread` is `bot.conversation.audit_thread(channel, thread_key(user, ts))`; a bare thread key works too.
    """
    same = AuditEvent.thread == thread
    if "/" not in thread:  # a bare thread key (no channel): match it in whichever channel it lives
        same = or_(same, AuditEvent.thread.like(f"%/{thread}"))
    events = session.scalars(select(AuditEvent).where(same).order_by(AuditEvent.id.desc()).limit(200)).all()
    undone = {e.detail.get("undoes") for e in events if e.action.endswith(".undo")}
    for event in events:
        if event.entity_type in SKIP or event.action.endswith(".undo") or event.id in undone:
            continue
        if event.entity_type in MODELS:
            return event
    return None


def undo_last(
    session: Session, *, actor: Actor, thread: str, now: datetime, minutes: int, names: Mapping[str, str]
) -> tuple[str, dict[str, Any] | None]:
    """Revert the thread's last write if `actor` made it less than `minutes` ago; returns (reply, action)."""
    event = last_write(session, thread)
    if event is None:
        return replies.UNDO_NOTHING, None
    if event.actor != actor.user_id:
        author = names.get(event.actor) or event.actor_name or event.actor
        return replies.UNDO_NOT_AUTHOR.format(author=author), _action(event, False, "not the author")
    if now - _aware(event.at) > timedelta(minutes=minutes):
        return replies.UNDO_TOO_LATE.format(minutes=minutes, key=event.entity_key), _action(
            event, False, "too late"
        )
    what = _revert(session, actor, event, now)
    return replies.UNDO_DONE.format(what=what), _action(event, True, what)


def _action(event: AuditEvent, ok: bool, note: str) -> dict[str, Any]:
    return {"tool": "undo", "args": {"key": event.entity_key, "action": event.action}, "ok": ok,
            "result": {"key": event.entity_key, "note": note}, "writes": ok}  # fmt: skip


def _is_create(event: AuditEvent) -> bool:
    if event.action.endswith((".create", ".post", ".log", ".file")):
        return True
    return not all(isinstance(v, list) and len(v) == 2 for v in (event.changes or {}).values())


def _find(session: Session, model: Any, key: str | None) -> Any:
    if key is None:
        return None
    if hasattr(model, "key"):
        return session.scalar(select(model).where(model.key == key))
    return session.get(model, int(key)) if str(key).isdigit() else None


def _coerce(model: Any, name: str, value: Any) -> Any:
    column = model.__table__.columns.get(name)
    if value is None or column is None or not isinstance(value, str):
        return value
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value[:10])
    return value


def _revert(session: Session, actor: Actor, event: AuditEvent, now: datetime) -> str:
    model = MODELS[event.entity_type]
    obj = _find(session, model, event.entity_key)
    label = event.entity_key or event.entity_type
    if obj is None:
        return f"{label} no longer exists, so there was nothing to revert"
    project_key = event.project_key
    changes: dict[str, Any] = {}
    if _is_create(event):
        if model is Risk and obj.status != "closed":
            changes = {
                "status": [obj.status, "closed"],
                "closed_reason": [obj.closed_reason, "Withdrawn (undo)"],
            }
            obj.status, obj.closed_reason, obj.closed_at = "closed", "Withdrawn (undo)", now
            what = f"{label} is withdrawn (closed)"
            deleted = False
        else:
            # A just-filed change request or posted status has no 'withdrawn' state: it is removed.
            session.delete(obj)
            what, deleted = f"{label} is removed", True
    else:
        for name, pair in (event.changes or {}).items():
            if name in model.__table__.columns:
                changes[name] = [pair[1], pair[0]]
                setattr(obj, name, _coerce(model, name, pair[0]))
        fields = ", ".join(k for k in changes if k not in ("score", "rating", "closed_at", "decided_at"))
        what = f"{label} is back to how it was ({fields})"
        deleted = False
    if hasattr(obj, "updated_by") and not deleted:
        obj.updated_by = actor.user_id
    session.flush()
    audit.record(session, actor, f"{event.entity_type}.undo", event.entity_type, event.entity_key,
                 project_key, changes=changes, summary=f"Undid {event.action} on {label}",
                 detail={"undoes": event.id})  # fmt: skip
    if event.entity_key:
        mark_changed(session, event.entity_type, event.entity_key, project_key, deleted=deleted)
    return what
