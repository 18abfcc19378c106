"""Build a project's or the portfolio's weekly digest from the records and the week's audit trail."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.digest.changes import week_changes
from bot.digest.model import DecisionLine, Digest, MilestoneLine, ProjectDigest, RiskLine, StatusLine
from tools.actor import Actor
from tools.errors import NotFound
from tools.models import ChangeRequest, Milestone, Person, Project, Risk, StatusUpdate
from tools.scales import CR_AWAITING_DECISION, RATINGS
from tools.services.access import visible_project_keys

OPEN_RISK = ("open", "monitoring")
OPEN_MILESTONE = ("planned", "in_progress")
REVIEW_DAYS = 30
MILESTONE_DAYS = 14
WEEK_DAYS = 7
TOP_RISKS = 5
INACTIVE = ("archived", "closed", "cancelled")


def _date(value: datetime | None) -> date | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.date()


def _names(session: Session) -> dict[str, str]:
    """Slack id -> display name, so a digest says 'Priya Patel' where the record stores U0PM."""
    return dict(session.execute(select(Person.slack_id, Person.name)).tuples().all())


def _risk_line(risk: Risk, names: dict[str, str]) -> RiskLine:
    reviewed = _date(risk.last_reviewed_at) or _date(risk.created_at)
    return RiskLine(
        key=risk.key,
        project=risk.project.key,
        title=risk.title,
        probability=risk.probability,
        impact=risk.impact,
        score=risk.score,
        rating=risk.rating,
        status=risk.status,
        owner=risk.owner,
        due_date=risk.due_date,
        last_reviewed=reviewed,
        mitigation=risk.mitigation,
        owner_name=names.get(risk.owner or ""),
    )


def _milestone_line(m: Milestone, today: date, names: dict[str, str]) -> MilestoneLine:
    return MilestoneLine(
        key=m.key,
        project=m.project.key,
        title=m.title,
        due_date=m.due_date,
        status=m.status,
        owner=m.owner,
        days_left=(m.due_date - today).days,
        owner_name=names.get(m.owner or ""),
    )


def _decision_line(cr: ChangeRequest, today: date) -> DecisionLine:
    filed = _date(cr.created_at) or today
    return DecisionLine(
        key=cr.key,
        project=cr.project.key,
        title=cr.title,
        status=cr.status,
        priority=cr.priority,
        schedule_days=cr.schedule_days,
        cost=cr.cost,
        requested_by=cr.requested_by,
        waiting_days=max((today - filed).days, 0),
    )


def _latest_status(session: Session, project: Project) -> StatusLine | None:
    update = session.scalars(
        select(StatusUpdate)
        .where(StatusUpdate.project_id == project.id)
        .order_by(StatusUpdate.as_of.desc(), StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        .limit(1)
    ).first()
    if update is None:
        return None
    return StatusLine(
        overall=update.overall,
        schedule=update.schedule,
        budget=update.budget,
        scope=update.scope,
        summary=update.summary,
        as_of=update.as_of,
        author=update.author,
    )


def project_digest(session: Session, project: Project, *, today: date, top: int = TOP_RISKS) -> ProjectDigest:
    """Every section for one project except the week's changes (filled in by the caller)."""
    risks = session.scalars(
        select(Risk).where(Risk.project_id == project.id, Risk.status.in_(OPEN_RISK))
    ).all()
    names = _names(session)
    lines = sorted(
        (_risk_line(r, names) for r in risks), key=lambda r: (-r.score, r.due_date or date.max, r.key)
    )
    counts = Counter(r.rating for r in lines)
    stale_before = today - timedelta(days=REVIEW_DAYS)
    milestones = session.scalars(
        select(Milestone)
        .where(Milestone.project_id == project.id, Milestone.status.in_(OPEN_MILESTONE))
        .order_by(Milestone.due_date, Milestone.number)
    ).all()
    crs = session.scalars(
        select(ChangeRequest)
        .where(ChangeRequest.project_id == project.id, ChangeRequest.status.in_(CR_AWAITING_DECISION))
        .order_by(ChangeRequest.number)
    ).all()
    horizon = today + timedelta(days=MILESTONE_DAYS)
    return ProjectDigest(
        key=project.key,
        name=project.name,
        status=_latest_status(session, project),
        open_risks={rating: counts.get(rating, 0) for rating in RATINGS},
        heat=[(r.probability, r.impact) for r in lines],
        top_risks=lines[:top],
        overdue_actions=[r for r in lines if r.due_date is not None and r.due_date < today],
        stale_risks=[r for r in lines if r.last_reviewed is not None and r.last_reviewed < stale_before],
        upcoming_milestones=[
            _milestone_line(m, today, names) for m in milestones if today <= m.due_date <= horizon
        ],
        overdue_milestones=[_milestone_line(m, today, names) for m in milestones if m.due_date < today],
        decisions=[_decision_line(cr, today) for cr in crs],
    )


def digest_projects(session: Session, *, project: str | None, actor: Actor | None) -> list[Project]:
    """The projects a digest covers: the one asked for, or every active project the actor may see.

    Without an actor (a scheduled post to a channel) a portfolio digest leaves private projects out.
    """
    visible = visible_project_keys(session, actor) if actor is not None else None
    if project is not None:
        found = session.scalars(select(Project).where(Project.key == project.strip().upper())).first()
        if found is None or (visible is not None and found.key not in visible):
            raise NotFound(f"There is no project {project.strip().upper()!r} that you can see.")
        return [found]
    query = select(Project).where(Project.status.not_in(INACTIVE)).order_by(Project.key)
    projects = session.scalars(query).all()
    if actor is None:
        return [p for p in projects if not p.private]
    return [p for p in projects if visible is None or p.key in visible]


def build_digest(
    session: Session,
    *,
    project: str | None,
    today: date,
    actor: Actor | None = None,
    tz: tzinfo | None = None,
) -> Digest:
    """The digest for `project` (a key), or the portfolio digest when `project` is None."""
    projects = digest_projects(session, project=project, actor=actor)
    since = today - timedelta(days=WEEK_DAYS)
    changes = week_changes(session, project_keys=[p.key for p in projects], since=since, tz=tz)
    parts = []
    for p in projects:
        part = project_digest(session, p, today=today)
        part.changes = changes.get(p.key, [])
        parts.append(part)
    if project is not None:
        title = f"Weekly digest: {projects[0].name} ({projects[0].key})"
        key: str | None = projects[0].key
    else:
        title, key = "Weekly portfolio digest", None
    return Digest(
        project=key,
        title=title,
        today=today,
        since=since,
        projects=parts,
        top_limit=TOP_RISKS * 2 if key is None else TOP_RISKS,
    )
