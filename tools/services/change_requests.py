"""Change requests and their lifecycle: an explicit state machine, decisions by approvers only."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.actor import Actor
from tools.errors import Conflict, Forbidden, Invalid, NotFound
from tools.events import mark_changed
from tools.models import ChangeRequest, Person, Project
from tools.scales import CR_AWAITING_DECISION, CR_DECISIONS, CR_STATUSES, CR_TRANSITIONS, choice
from tools.schemas import ChangeRequestCreate, ChangeRequestFilter, ChangeRequestUpdate, parse
from tools.services import audit
from tools.services._base import apply_changes, next_number, now, snapshot
from tools.services.access import can_read, readable_project, require_write, visible_project_keys

CR_FIELDS = ("title", "description", "reason", "schedule_days", "cost", "scope", "priority", "status")
DECIDED = {v: k for k, v in CR_DECISIONS.items()}  # approved -> approve
EDITABLE_STATUSES = ("submitted", "under_review", "deferred")


def _label(status: str) -> str:
    return status.replace("_", " ")


def allowed_next(status: str) -> tuple[str, ...]:
    return CR_TRANSITIONS.get(status, ())


def check_transition(cr: ChangeRequest, target: str) -> None:
    """Conflict with a sentence naming the legal next states unless `cr` may move to `target`."""
    if target == cr.status:
        raise Conflict(f"{cr.key} is already {_label(target)}.")
    allowed = allowed_next(cr.status)
    if target not in allowed:
        options = ", ".join(_label(s) for s in allowed)
        nxt = f"it can move to: {options}" if allowed else "it is final and cannot change"
        raise Conflict(f"{cr.key} is {_label(cr.status)}, so it cannot become {_label(target)}; {nxt}.")


def file_change_request(*, session: Session, actor: Actor, data: ChangeRequestCreate | dict) -> ChangeRequest:
    """File a change request (status submitted); its key is the project's next `{PROJECT}-CR{n}`."""
    data = parse(ChangeRequestCreate, data)
    project = readable_project(session, actor, data.project)
    require_write(session, actor, project)
    number = next_number(session, project, "cr_seq")
    cr = ChangeRequest(
        **data.model_dump(exclude={"project"}),
        project=project,
        project_id=project.id,
        number=number,
        key=f"{project.key}-CR{number}",
        status="submitted",
        requested_by=actor.user_id,
        updated_by=actor.user_id,
    )
    session.add(cr)
    session.flush()
    audit.record(
        session,
        actor,
        "change_request.create",
        "change_request",
        cr.key,
        project.key,
        changes=snapshot(cr, CR_FIELDS),
        summary=f"Filed {cr.key} {cr.title}",
    )
    mark_changed(session, "change_request", cr.key, project.key)
    return cr


def get_change_request(*, session: Session, actor: Actor, key: str) -> ChangeRequest:
    key = key.strip().upper()
    cr = session.scalar(select(ChangeRequest).where(ChangeRequest.key == key))
    if cr is None or not can_read(session, actor, cr.project):
        raise NotFound(f"There is no change request {key}.")
    return cr


def _writable(session: Session, actor: Actor, key: str) -> ChangeRequest:
    cr = get_change_request(session=session, actor=actor, key=key)
    require_write(session, actor, cr.project)
    return cr


def _approvers(session: Session) -> str:
    names = list(
        session.scalars(select(Person.name).where(Person.role == "approver", Person.active.is_(True)))
    )
    return f"approvers ({', '.join(sorted(names))}) or an admin" if names else "approvers or an admin"


def decide_change_request(
    *, session: Session, actor: Actor, key: str, decision: str, comment: str | None = None
) -> ChangeRequest:
    """Approve, reject or defer a change request (approvers and admins only)."""
    word = choice(decision, (*CR_DECISIONS, *DECIDED), "decision (approve, reject or defer)")
    target = CR_DECISIONS.get(word, word)
    cr = get_change_request(session=session, actor=actor, key=key)
    if not actor.can_decide:
        raise Forbidden(f"Only {_approvers(session)} can decide change requests like {cr.key}.")
    check_transition(cr, target)
    changes = apply_changes(
        cr,
        {
            "status": target,
            "decision": DECIDED[target],
            "decided_by": actor.user_id,
            "decision_comment": comment.strip() if comment else None,
            "decided_at": now(),
        },
    )
    cr.updated_by = actor.user_id
    audit.record(
        session,
        actor,
        f"change_request.{DECIDED[target]}",
        "change_request",
        cr.key,
        cr.project.key,
        changes=changes,
        summary=f"{target.capitalize()} {cr.key}" + (f": {comment}" if comment else ""),
    )
    mark_changed(session, "change_request", cr.key, cr.project.key)
    return cr


def transition_change_request(
    *, session: Session, actor: Actor, key: str, status: str, comment: str | None = None
) -> ChangeRequest:
    """Move a change request along its lifecycle (decisions go through `decide_change_request`)."""
    target = choice(status, CR_STATUSES, "change request status")
    if target in DECIDED:
        return decide_change_request(session=session, actor=actor, key=key, decision=target, comment=comment)
    cr = _writable(session, actor, key)
    check_transition(cr, target)
    changes = apply_changes(cr, {"status": target})
    cr.updated_by = actor.user_id
    audit.record(
        session,
        actor,
        "change_request.transition",
        "change_request",
        cr.key,
        cr.project.key,
        changes=changes,
        detail={"comment": comment} if comment else None,
        summary=f"{cr.key} is now {_label(target)}",
    )
    mark_changed(session, "change_request", cr.key, cr.project.key)
    return cr


def update_change_request(
    *, session: Session, actor: Actor, key: str, data: ChangeRequestUpdate | dict
) -> ChangeRequest:
    """Edit a change request while it is undecided; a `status` moves it through its lifecycle."""
    data = parse(ChangeRequestUpdate, data)
    updates = data.changes()
    status = updates.pop("status", None)
    updates = {k: v for k, v in updates.items() if not (k in ("title", "priority") and v is None)}
    cr = _writable(session, actor, key)
    if updates:
        if cr.status not in EDITABLE_STATUSES:
            raise Conflict(f"{cr.key} is {_label(cr.status)}; its details can only change before a decision.")
        changes = apply_changes(cr, updates)
        if changes:
            cr.updated_by = actor.user_id
            audit.record(
                session,
                actor,
                "change_request.update",
                "change_request",
                cr.key,
                cr.project.key,
                changes=changes,
                summary=f"Updated {cr.key}: {', '.join(changes)}",
            )
            mark_changed(session, "change_request", cr.key, cr.project.key)
    if status and status != cr.status:
        cr = transition_change_request(session=session, actor=actor, key=key, status=status)
    return cr


def bring_to_status(*, session: Session, actor: Actor, key: str, status: str) -> ChangeRequest:
    """Walk a request along the shortest legal path to `status` (for imports and demo data)."""
    cr = get_change_request(session=session, actor=actor, key=key)
    paths = {cr.status: [cr.status]}
    frontier = [cr.status]
    while frontier:
        state = frontier.pop(0)
        for nxt in allowed_next(state):
            if nxt not in paths:
                paths[nxt] = [*paths[state], nxt]
                frontier.append(nxt)
    if status not in paths:
        raise Invalid(f"{cr.key} cannot reach status {_label(status)} from {_label(cr.status)}.")
    for step in paths[status][1:]:
        cr = transition_change_request(session=session, actor=actor, key=key, status=step)
    return cr


def list_change_requests(
    *, session: Session, actor: Actor, filters: ChangeRequestFilter | dict | None = None
) -> list[ChangeRequest]:
    """Change requests the actor can see, by project and number."""
    filters = parse(ChangeRequestFilter, filters or {})
    stmt = select(ChangeRequest).join(Project, ChangeRequest.project_id == Project.id)
    if filters.project:
        stmt = stmt.where(ChangeRequest.project_id == readable_project(session, actor, filters.project).id)
    else:
        keys = visible_project_keys(session, actor)
        if keys is not None:
            stmt = stmt.where(Project.key.in_(sorted(keys)))
    if filters.status:
        stmt = stmt.where(ChangeRequest.status == filters.status)
    if filters.awaiting_decision:
        stmt = stmt.where(ChangeRequest.status.in_(CR_AWAITING_DECISION))
    stmt = stmt.order_by(Project.key, ChangeRequest.number)
    if filters.limit:
        stmt = stmt.limit(filters.limit)
    return list(session.scalars(stmt))
