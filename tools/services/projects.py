"""Projects: creating them, their PM, members and Slack channels, and finding them from text."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tools.actor import Actor
from tools.errors import Conflict, Forbidden, Invalid
from tools.events import mark_changed
from tools.models import Person, Project, ProjectChannel, ProjectMember
from tools.schemas import ProjectCreate, ProjectUpdate, parse
from tools.schemas.common import _channel
from tools.services import audit
from tools.services._base import apply_changes
from tools.services.access import (
    find_project,
    readable_project,
    require_manager,
    visible_project_keys,
)
from tools.services.people import find_person

__all__ = [
    "add_member",
    "create_project",
    "get_project",
    "link_channel",
    "list_projects",
    "project_for_channel",
    "remove_member",
    "resolve_project",
    "update_project",
    "visible_project_keys",
]

PROJECT_FIELDS = ("key", "name", "description", "channel", "private", "status")


def _person(session: Session, text: str, what: str) -> Person:
    person = find_person(session, text)
    if person is None:
        raise Invalid(f"The {what} '{text}' is not a registered person; register them first.")
    return person


def _claim_channel(session: Session, actor: Actor, project: Project, channel: str) -> bool:
    """Link `channel` to `project`; Conflict if another project has it. Returns False if already linked."""
    channel = _channel(channel)
    existing = session.scalar(select(ProjectChannel).where(ProjectChannel.channel == channel))
    if existing is not None:
        if existing.project_id == project.id:
            return False
        raise Conflict(f"Channel {channel} is already linked to project {existing.project.key}.")
    other = session.scalar(select(Project).where(Project.channel == channel, Project.id != project.id))
    if other is not None:
        raise Conflict(f"Channel {channel} is already linked to project {other.key}.")
    project.channels.append(ProjectChannel(channel=channel, linked_by=actor.user_id))
    if project.channel is None:
        project.channel = channel
    return True


def create_project(*, session: Session, actor: Actor, data: ProjectCreate | dict) -> Project:
    """Create a project (admins and PMs)."""
    data = parse(ProjectCreate, data)
    if actor.role not in ("admin", "pm"):
        raise Forbidden("Only a PM or an admin can create projects.")
    if find_project(session, data.key) is not None:
        raise Conflict(f"Project {data.key} already exists.")
    project = Project(key=data.key, name=data.name, description=data.description, private=data.private)
    if data.pm:
        project.pm = _person(session, data.pm, "PM")
    session.add(project)
    session.flush()
    if data.channel:
        _claim_channel(session, actor, project, data.channel)
    for text in data.members:
        person = _person(session, text, "member")
        if all(m.person_id != person.id for m in project.memberships):
            project.memberships.append(ProjectMember(person=person))
    session.flush()
    after = {
        f: audit.jsonable(getattr(project, f)) for f in PROJECT_FIELDS if getattr(project, f) is not None
    }
    after["pm"] = project.pm.slack_id if project.pm else None
    after["members"] = sorted(m.person.slack_id for m in project.memberships)
    audit.record(
        session,
        actor,
        "project.create",
        "project",
        project.key,
        project.key,
        changes=after,
        summary=f"Created project {project.key} ({project.name})",
    )
    mark_changed(session, "project", project.key, project.key)
    return project


def update_project(*, session: Session, actor: Actor, key: str, data: ProjectUpdate | dict) -> Project:
    data = parse(ProjectUpdate, data)
    project = readable_project(session, actor, key)
    require_manager(session, actor, project)
    updates = data.changes()
    changes: dict[str, list] = {}
    if "pm" in updates:
        new_pm = _person(session, updates.pop("pm"), "PM") if data.pm else None
        old = project.pm.slack_id if project.pm else None
        if (new_pm.slack_id if new_pm else None) != old:
            project.pm = new_pm
            changes["pm"] = [old, new_pm.slack_id if new_pm else None]
    channel = updates.pop("channel", None)
    if channel and channel != project.channel:
        _claim_channel(session, actor, project, channel)
        changes["channel"] = [project.channel, channel]
        project.channel = channel
    changes.update(apply_changes(project, updates))
    if changes:
        audit.record(
            session,
            actor,
            "project.update",
            "project",
            project.key,
            project.key,
            changes=changes,
            summary=f"Updated project {project.key}",
        )
        mark_changed(session, "project", project.key, project.key)
    return project


def get_project(*, session: Session, actor: Actor, key: str) -> Project:
    return readable_project(session, actor, key)


def list_projects(*, session: Session, actor: Actor) -> list[Project]:
    keys = visible_project_keys(session, actor)
    stmt = select(Project).order_by(Project.key)
    if keys is not None:
        stmt = stmt.where(Project.key.in_(sorted(keys)))
    return list(session.scalars(stmt))


def add_member(*, session: Session, actor: Actor, key: str, slack_id: str) -> Project:
    project = readable_project(session, actor, key)
    require_manager(session, actor, project)
    person = _person(session, slack_id, "member")
    if any(m.person_id == person.id for m in project.memberships):
        return project
    project.memberships.append(ProjectMember(person=person))
    session.flush()
    audit.record(
        session,
        actor,
        "project.add_member",
        "project",
        project.key,
        project.key,
        changes={"members": [None, person.slack_id]},
        summary=f"Added {person.name} to {project.key}",
    )
    mark_changed(session, "project", project.key, project.key)
    return project


def remove_member(*, session: Session, actor: Actor, key: str, slack_id: str) -> Project:
    project = readable_project(session, actor, key)
    require_manager(session, actor, project)
    person = _person(session, slack_id, "member")
    for membership in list(project.memberships):
        if membership.person_id == person.id:
            project.memberships.remove(membership)
            session.flush()
            audit.record(
                session,
                actor,
                "project.remove_member",
                "project",
                project.key,
                project.key,
                changes={"members": [person.slack_id, None]},
                summary=f"Removed {person.name} from {project.key}",
            )
            mark_changed(session, "project", project.key, project.key)
    return project


def link_channel(*, session: Session, actor: Actor, key: str, channel: str) -> Project:
    """Link a Slack channel to the project (a channel belongs to one project)."""
    project = readable_project(session, actor, key)
    require_manager(session, actor, project)
    if _claim_channel(session, actor, project, channel):
        session.flush()
        audit.record(
            session,
            actor,
            "project.link_channel",
            "project",
            project.key,
            project.key,
            changes={"channels": [None, _channel(channel)]},
            summary=f"Linked channel {_channel(channel)} to {project.key}",
        )
        mark_changed(session, "project", project.key, project.key)
    return project


def project_for_channel(session: Session, channel: str | None) -> Project | None:
    """The project a Slack channel belongs to, if any (no permission check: callers check)."""
    if not channel:
        return None
    channel = _channel(channel)
    linked = session.scalar(select(ProjectChannel).where(ProjectChannel.channel == channel))
    if linked is not None:
        return linked.project
    return session.scalar(select(Project).where(Project.channel == channel))


def resolve_project(session: Session, text: str | None) -> Project | None:
    """The project `text` names: its key, a channel mention, its name, or a close match of either."""
    if not text or not text.strip():
        return None
    text = text.strip()
    if text.startswith("<#"):
        return project_for_channel(session, text)
    project = find_project(session, text)
    if project is not None:
        return project
    by_name = session.scalar(select(Project).where(func.lower(Project.name) == text.lower()))
    if by_name is not None:
        return by_name
    projects = list(session.scalars(select(Project)))
    if not projects or len(text) < 3:
        return None
    choices = {p.id: f"{p.key} {p.name}".lower() for p in projects}
    query = re.sub(r"\s+", " ", text.lower())
    best = process.extract(query, choices, scorer=fuzz.WRatio, limit=2)
    if not best or best[0][1] < 85 or (len(best) > 1 and best[0][1] - best[1][1] < 8):
        return None
    return next(p for p in projects if p.id == best[0][2])
