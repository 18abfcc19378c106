"""Who may see and change which project. Private projects are invisible to non-members: reads answer
'not found' so their existence does not leak."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tools.actor import Actor
from tools.errors import Forbidden, NotFound
from tools.models import Person, Project, ProjectMember


def actor_person(session: Session, actor: Actor) -> Person | None:
    if actor.person_id is not None:
        person = session.get(Person, actor.person_id)
        if person is not None:
            return person
    return session.scalar(select(Person).where(Person.slack_id == actor.user_id))


def is_member(project: Project, person: Person | None) -> bool:
    if person is None:
        return False
    return project.pm_id == person.id or any(m.person_id == person.id for m in project.memberships)


def visible_project_keys(session: Session, actor: Actor) -> set[str] | None:
    """Keys the actor may read: None means every project (admins); others get public projects and the
    private ones they are a member or PM of."""
    if actor.is_admin:
        return None
    person = actor_person(session, actor)
    stmt = select(Project.key).where(Project.private.is_(False))
    if person is not None:
        member_of = select(ProjectMember.project_id).where(ProjectMember.person_id == person.id)
        stmt = select(Project.key).where(
            or_(Project.private.is_(False), Project.pm_id == person.id, Project.id.in_(member_of))
        )
    return set(session.scalars(stmt))


def can_read(session: Session, actor: Actor, project: Project) -> bool:
    if actor.is_admin or not project.private:
        return True
    return is_member(project, actor_person(session, actor))


def find_project(session: Session, key: str) -> Project | None:
    return session.scalar(select(Project).where(Project.key == key.strip().upper()))


def readable_project(session: Session, actor: Actor, key: str) -> Project:
    """The project with `key` if the actor may see it; NotFound (never Forbidden) otherwise."""
    project = find_project(session, key)
    if project is None or not can_read(session, actor, project):
        known = _known(session, actor)
        raise NotFound(f"There is no project {key.strip().upper()}." + (f" {known}" if known else ""))
    return project


def search_scope(session: Session, actor: Actor, key: str | None) -> tuple[set[str] | None, str | None]:
    """What a search or question by `actor` may cover: the readable project keys (None: all) and, when
    `key` names one, that project's key (NotFound when it is unknown or not visible to the actor)."""
    return visible_project_keys(session, actor), (readable_project(session, actor, key).key if key else None)


def writable_project(session: Session, actor: Actor, key: str) -> Project:
    """The project with `key` if the actor may change its records."""
    project = readable_project(session, actor, key)
    require_write(session, actor, project)
    return project


def require_write(session: Session, actor: Actor, project: Project) -> None:
    """Public projects: any registered person; private ones: their members, PM and admins."""
    if actor.is_admin:
        return
    person = actor_person(session, actor)
    if person is None or not person.active:
        raise Forbidden(
            f"Only people registered with the PMO can change {project.key}'s records; "
            "ask an admin to add you."
        )
    if project.private and not is_member(project, person):
        raise Forbidden(f"Only members of {project.key} can change its records; ask its PM to add you.")


def require_manager(session: Session, actor: Actor, project: Project) -> None:
    """Project settings (members, channels, PM): the project's PM or an admin."""
    if actor.is_admin:
        return
    person = actor_person(session, actor)
    if person is None or project.pm_id != person.id:
        pm = project.pm.name if project.pm else "an admin"
        raise Forbidden(f"Only {project.key}'s PM ({pm}) or an admin can change the project's settings.")


def _known(session: Session, actor: Actor) -> str | None:
    keys = visible_project_keys(session, actor)
    if keys is None:
        keys = set(session.scalars(select(Project.key)))
    return f"Known projects: {', '.join(sorted(keys))}." if keys else None
