"""What the assistant knows around one message: who asks, where, and which records they may see."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.nlu.types import NluContext, PersonRef, ProjectRef, RecordRef
from tools.actor import Actor
from tools.models import ChangeRequest, Milestone, Person, Project, Risk
from tools.services import projects as project_service

# Slack channel ids whose replies everyone in the channel reads (public C..., private G...; not DMs D...).
SHARED_CHANNEL = re.compile(r"^[CG][A-Z0-9]{2,}$")


@dataclass
class Scope:
    """The NLU context plus the visibility the assistant enforces for this message."""

    ctx: NluContext
    channel_project: str | None
    visible: set[str] | None  # None: every project (admins)
    names: dict[str, str] = field(default_factory=dict)  # slack id -> name
    approvers: list[str] = field(default_factory=list)
    audience: set[str] | None = None  # shared channel: projects all its members may read (see _audience)

    def may_see(self, project: str | None) -> bool:
        return project is None or self.visible is None or project in self.visible

    def search_projects(self, requested: str | None) -> set[str] | None:
        """Projects a document question may draw on.

        In a project channel everyone there sees the answer, so it stays within that project; in a DM or
        another channel it covers what the person may see (narrowed to a named project).
        """
        if requested:
            if self.audience is not None and requested not in self.audience:
                return set()  # a private project is not discussed in a shared channel other than its own
            return {requested} if self.may_see(requested) else set()
        if self.channel_project:
            return {self.channel_project}
        if self.audience is not None:
            return set(self.audience) if self.visible is None else set(self.visible) & self.audience
        return None if self.visible is None else set(self.visible)


def build_scope(session: Session, *, actor: Actor, channel: str, today: date, timezone: str) -> Scope:
    visible = project_service.visible_project_keys(session, actor)
    channel_obj = project_service.project_for_channel(session, channel) if channel else None
    channel_project = channel_obj.key if channel_obj is not None else None
    if channel_project and visible is not None and channel_project not in visible:
        # Being in a project's channel is itself a grant to see that project.
        visible = set(visible) | {channel_project}

    project_rows = session.scalars(select(Project).order_by(Project.key)).all()
    projects = [
        ProjectRef(key=p.key, name=p.name, description=p.description or "", channel=_channel_of(p))
        for p in project_rows
        if visible is None or p.key in visible
    ]
    people_rows = session.scalars(select(Person).where(Person.active.is_(True)).order_by(Person.name)).all()
    people = [PersonRef(slack_id=p.slack_id, name=p.name, role=p.role) for p in people_rows]
    records = _records(session, visible)
    ctx = NluContext(
        today=today,
        timezone=timezone,
        user_id=actor.user_id,
        channel=channel,
        channel_project=channel_project,
        projects=projects,
        people=people,
        records=records,
    )
    return Scope(
        ctx=ctx,
        channel_project=channel_project,
        visible=visible,
        names={p.slack_id: p.name for p in people_rows},
        approvers=[p.name for p in people_rows if p.role == "approver"],
        audience=_audience(session, channel, channel_project),
    )


def _audience(session: Session, channel: str | None, channel_project: str | None) -> set[str] | None:
    """In a shared Slack channel (C.../G...), the projects everyone there may read: public ones and the
    channel's own; None elsewhere (DMs, API, CLI), where the person's own visibility applies."""
    if not channel or not SHARED_CHANNEL.match(channel):
        return None
    public = set(session.scalars(select(Project.key).where(Project.private.is_(False))))
    return public | ({channel_project} if channel_project else set())


def _channel_of(project: Project) -> str | None:
    if project.channel:
        return project.channel
    return project.channels[0].channel if project.channels else None


def _records(session: Session, visible: set[str] | None) -> list[RecordRef]:
    out: list[RecordRef] = []
    for kind, model in (("risk", Risk), ("change_request", ChangeRequest), ("milestone", Milestone)):
        stmt = select(model, Project.key).join(Project, model.project_id == Project.id).order_by(model.id)
        if visible is not None:
            stmt = stmt.where(Project.key.in_(visible))
        for row, project_key in session.execute(stmt).all():
            out.append(
                RecordRef(
                    key=row.key,
                    kind=kind,
                    project=project_key,
                    title=row.title,
                    status=row.status,
                    description=row.description or "",
                    due_date=due.isoformat() if (due := getattr(row, "due_date", None)) else None,
                )
            )
    return out
