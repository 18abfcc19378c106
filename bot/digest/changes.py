"""What changed this week, read from the audit trail (every write leaves an event there)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.digest.model import CHANGE_KINDS, ChangeLine
from tools.models import AuditEvent, ChangeRequest, Milestone, Risk

DECIDED = ("approved", "rejected", "deferred")
_ENTITY = {
    "risk": "risk",
    "change_request": "cr",
    "changerequest": "cr",
    "cr": "cr",
    "milestone": "milestone",
}
_MODELS = {"risk": Risk, "cr": ChangeRequest, "milestone": Milestone}


def _pair(changes: dict, name: str) -> tuple[object, object] | None:
    """(before, after) for an updated field, or None when the event did not change it."""
    value = changes.get(name)
    if isinstance(value, list | tuple) and len(value) == 2 and value[0] != value[1]:
        return value[0], value[1]
    return None


def _after(changes: dict, name: str) -> object:
    pair = _pair(changes, name)
    return pair[1] if pair else None


def _created(action: str) -> bool:
    return any(word in action for word in ("create", "log", "file", "add"))


def classify(entity: str, action: str, changes: dict, snapshot_status: str | None) -> list[tuple[str, str]]:
    """[(kind, detail)] for one audit event; most events are one change, some (none here) none."""
    action = action.lower()
    changes = changes or {}
    if entity == "risk":
        if _created(action) and "undo" not in action:
            score = changes.get("score")
            rating = changes.get("rating")
            detail = f"score {score} ({rating})" if score is not None and rating else ""
            return [("risk_opened", detail)]
        out: list[tuple[str, str]] = []
        if "close" in action or _after(changes, "status") == "closed":
            reason = changes.get("closed_reason")
            reason = reason[1] if isinstance(reason, list | tuple) else reason
            out.append(("risk_closed", str(reason or "")))
        elif score := _pair(changes, "score"):
            out.append(("risk_rescored", f"score {score[0]} -> {score[1]}"))
        elif _pair(changes, "probability") or _pair(changes, "impact"):
            out.append(("risk_rescored", "probability/impact changed"))
        return out
    if entity == "cr":
        if _created(action) and "undo" not in action:
            priority = changes.get("priority")
            return [("cr_filed", f"priority {priority}" if priority else "")]
        status = _after(changes, "status")
        if status in DECIDED or ("decide" in action and snapshot_status in DECIDED):
            decided = status or snapshot_status
            comment = _after(changes, "decision_comment")
            return [("cr_decided", f"{decided}" + (f": {comment}" if comment else ""))]
        return []
    if entity == "milestone":
        status = _after(changes, "status")
        if status == "completed":
            return [("milestone_hit", "completed")]
        if status == "missed":
            return [("milestone_slipped", "marked missed")]
        due = _pair(changes, "due_date")
        if due and due[0] and due[1] and str(due[1]) > str(due[0]):
            return [("milestone_slipped", f"due {due[0]} -> {due[1]}")]
        return []
    return []


def _local_date(at: datetime, tz: tzinfo) -> date:
    if at.tzinfo is None:  # SQLite hands back naive UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone(tz).date()


def week_changes(
    session: Session, *, project_keys: list[str], since: date, tz: tzinfo | None = None
) -> dict[str, list[ChangeLine]]:
    """Changes per project recorded after `since` (local dates), newest state of each record's title."""
    tz = tz or UTC
    if not project_keys:
        return {}
    start = datetime.combine(since + timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.project_key.in_(project_keys), AuditEvent.at >= start - timedelta(days=1))
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    events = [e for e in events if _local_date(e.at, tz) > since]
    wanted: dict[str, set[str]] = {"risk": set(), "cr": set(), "milestone": set()}
    for e in events:
        entity = _ENTITY.get((e.entity_type or "").lower().replace("-", "_"))
        if entity and e.entity_key:
            wanted[entity].add(e.entity_key)
    records = {
        entity: {
            r.key: r for r in session.scalars(select(_MODELS[entity]).where(_MODELS[entity].key.in_(keys)))
        }
        for entity, keys in wanted.items()
        if keys
    }
    out: dict[str, list[ChangeLine]] = {key: [] for key in project_keys}
    seen: set[tuple[str, str]] = set()
    for e in events:
        entity = _ENTITY.get((e.entity_type or "").lower().replace("-", "_"))
        record = records.get(entity or "", {}).get(e.entity_key or "")
        if entity is None or record is None:
            continue  # deleted records and other entities (people, tokens) are not digest news
        for kind, detail in classify(entity, e.action, e.changes, getattr(record, "status", None)):
            # A record opened and re-scored in one week reads as one line per kind; the last one wins.
            if (kind, record.key) in seen:
                out[e.project_key] = [c for c in out[e.project_key] if (c.kind, c.key) != (kind, record.key)]
            seen.add((kind, record.key))
            out[e.project_key].append(
                ChangeLine(
                    kind=kind,
                    key=record.key,
                    project=e.project_key,
                    title=record.title,
                    detail=detail,
                    on=_local_date(e.at, tz),
                    by=e.actor_name or e.actor,
                )
            )
    for lines in out.values():
        lines.sort(key=lambda c: (list(CHANGE_KINDS).index(c.kind), c.key))
    return out
