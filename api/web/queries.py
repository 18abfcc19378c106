"""Read-only queries behind the dashboard pages; every one is limited to what the actor may see."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from tools.actor import Actor
from tools.models import ChangeRequest, Milestone, Project, Risk, StatusUpdate
from tools.scales import CATEGORIES, CR_AWAITING_DECISION, RATING_FLOOR, RATINGS, RISK_STATUSES
from tools.services.access import visible_project_keys

OPEN = ("open", "monitoring")
RISK_SORTS = {
    "key": (Risk.number,),
    "score": (Risk.score, Risk.number),
    "title": (func.lower(Risk.title),),
    "owner": (func.lower(func.coalesce(Risk.owner, "")), Risk.number),
    "due": (Risk.due_date, Risk.number),
    "category": (Risk.category, Risk.number),
    "status": (Risk.status, Risk.number),
    "updated": (Risk.updated_at, Risk.number),
}
DEFAULT_ORDER = {"score": "desc", "updated": "desc"}


@dataclass
class ProjectCard:
    project: Project
    status: StatusUpdate | None
    counts: dict[str, int]
    top_risks: list[Risk]
    next_milestones: list[Milestone]
    awaiting: int

    @property
    def risk_summary(self) -> str:
        parts = [f"{n} {rating}" for rating, n in reversed(self.counts.items()) if n]
        return ", ".join(parts) if parts else "none"


@dataclass
class RiskQuery:
    """The register's filters and sort, parsed from query parameters (unknown values fall back)."""

    status: str = "active"
    rating: str = ""
    category: str = ""
    owner: str = ""
    q: str = ""
    sort: str = "score"
    order: str = "desc"
    notes: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, params: dict[str, Any]) -> RiskQuery:
        query, notes = cls(), []
        status = str(params.get("status") or "active").lower()
        query.status = status if status in ("active", "all", *RISK_STATUSES) else "active"
        rating = str(params.get("rating") or "").capitalize()
        query.rating = rating if rating in RATINGS else ""
        category = str(params.get("category") or "").lower()
        query.category = category if category in CATEGORIES else ""
        query.owner = str(params.get("owner") or "").strip()[:100]
        query.q = str(params.get("q") or "").strip()[:200]
        sort = str(params.get("sort") or "score").lower()
        query.sort = sort if sort in RISK_SORTS else "score"
        default = DEFAULT_ORDER.get(query.sort, "asc")
        order = str(params.get("order") or default).lower()
        query.order = order if order in ("asc", "desc") else default
        for name in ("status", "rating", "category", "sort", "order"):
            given = params.get(name)
            if given and str(given).lower() != str(getattr(query, name)).lower():
                notes.append(f"Ignored {name}={given!s:.40}: not a value I know.")
        query.notes = notes
        return query

    def apply(self, stmt: Select) -> Select:
        if self.status == "active":
            stmt = stmt.where(Risk.status.in_(OPEN))
        elif self.status != "all":
            stmt = stmt.where(Risk.status == self.status)
        if self.rating:
            stmt = stmt.where(Risk.score >= RATING_FLOOR[self.rating])
        if self.category:
            stmt = stmt.where(Risk.category == self.category)
        if self.owner:
            stmt = stmt.where(func.lower(Risk.owner).contains(self.owner.lower(), autoescape=True))
        if self.q:
            needle = self.q.lower()
            stmt = stmt.where(
                or_(
                    func.lower(Risk.title).contains(needle, autoescape=True),
                    func.lower(func.coalesce(Risk.description, "")).contains(needle, autoescape=True),
                    func.lower(Risk.key).contains(needle, autoescape=True),
                )
            )
        columns = RISK_SORTS[self.sort]
        ordered = [(c.desc() if self.order == "desc" else c.asc()).nulls_last() for c in columns]
        return stmt.order_by(*ordered)


def visible_projects(session: Session, actor: Actor) -> list[Project]:
    visible = visible_project_keys(session, actor)
    stmt = select(Project).order_by(Project.key)
    if visible is not None:
        stmt = stmt.where(Project.key.in_(sorted(visible)))
    return list(session.scalars(stmt))


def latest_status(session: Session, project: Project) -> StatusUpdate | None:
    stmt = (
        select(StatusUpdate)
        .where(StatusUpdate.project_id == project.id)
        .order_by(StatusUpdate.as_of.desc(), StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
    )
    return session.scalars(stmt.limit(1)).first()


def project_card(session: Session, project: Project, today: date) -> ProjectCard:
    risks = list(
        session.scalars(
            select(Risk)
            .where(Risk.project_id == project.id, Risk.status.in_(OPEN))
            .order_by(Risk.score.desc(), Risk.number)
        )
    )
    counts = Counter(r.rating for r in risks)
    milestones = list(
        session.scalars(
            select(Milestone)
            .where(Milestone.project_id == project.id, Milestone.status.in_(("planned", "in_progress")))
            .order_by(Milestone.due_date, Milestone.number)
            .limit(3)
        )
    )
    awaiting = session.scalar(
        select(func.count())
        .select_from(ChangeRequest)
        .where(ChangeRequest.project_id == project.id, ChangeRequest.status.in_(CR_AWAITING_DECISION))
    )
    return ProjectCard(project, latest_status(session, project), {r: counts.get(r, 0) for r in RATINGS},
                       risks[:3], milestones, int(awaiting or 0))  # fmt: skip


def risk_register(session: Session, project: Project, query: RiskQuery) -> list[Risk]:
    return list(session.scalars(query.apply(select(Risk).where(Risk.project_id == project.id))))


def open_risk_cells(session: Session, project_ids: list[int]) -> list[tuple[int, int]]:
    stmt = select(Risk.probability, Risk.impact).where(
        Risk.project_id.in_(project_ids), Risk.status.in_(OPEN)
    )
    return [(p, i) for p, i in session.execute(stmt)]


def change_requests(session: Session, project: Project) -> list[ChangeRequest]:
    """Awaiting a decision first (oldest first), then the rest newest first."""
    rows = list(session.scalars(select(ChangeRequest).where(ChangeRequest.project_id == project.id)))
    waiting = sorted((c for c in rows if c.status in CR_AWAITING_DECISION), key=lambda c: c.number)
    rest = sorted((c for c in rows if c.status not in CR_AWAITING_DECISION), key=lambda c: -c.number)
    return waiting + rest


def milestones(session: Session, project: Project) -> list[Milestone]:
    stmt = select(Milestone).where(Milestone.project_id == project.id)
    return list(session.scalars(stmt.order_by(Milestone.due_date, Milestone.number)))


def status_history(session: Session, project: Project, limit: int = 20) -> list[StatusUpdate]:
    stmt = (
        select(StatusUpdate)
        .where(StatusUpdate.project_id == project.id)
        .order_by(StatusUpdate.as_of.desc(), StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
    )
    return list(session.scalars(stmt.limit(limit)))
