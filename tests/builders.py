"""Data builders for every package's tests. They go through the real services (so keys, scores and
audit events are what production makes) as the system actor, flush, and leave committing to the caller."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from tools.actor import Actor
from tools.models import ChangeRequest, Milestone, Person, Project, Risk, StatusUpdate
from tools.services import change_requests, milestones, people, projects, risks, status

SYSTEM = Actor.system("system")
_seq = itertools.count(1)


def _actor(actor: Actor | None) -> Actor:
    return actor or SYSTEM


def make_person(
    session: Session,
    slack_id: str | None = None,
    name: str | None = None,
    role: str = "member",
    **fields: Any,
) -> Person:
    n = next(_seq)
    data = {"slack_id": slack_id or f"U{n:08d}", "name": name or f"Person {n}", "role": role, **fields}
    person = people.create_person(session=session, actor=SYSTEM, data=data)
    session.flush()
    return person


def make_project(
    session: Session,
    key: str | None = None,
    name: str | None = None,
    *,
    pm: Person | str | None = None,
    members: list[Person | str] = (),  # type: ignore[assignment]
    channel: str | None = None,
    private: bool = False,
    **fields: Any,
) -> Project:
    n = next(_seq)
    data = {
        "key": key or f"P{n}",
        "name": name or f"Project {n}",
        "pm": pm.slack_id if isinstance(pm, Person) else pm,
        "members": [m.slack_id if isinstance(m, Person) else m for m in members],
        "channel": channel,
        "private": private,
        **fields,
    }
    project = projects.create_project(session=session, actor=SYSTEM, data=data)
    session.flush()
    return project


def _key(project: Project | str) -> str:
    return project.key if isinstance(project, Project) else project


def make_risk(
    session: Session,
    project: Project | str,
    title: str | None = None,
    *,
    probability: int | str = 3,
    impact: int | str = 3,
    actor: Actor | None = None,
    **fields: Any,
) -> Risk:
    data = {
        "project": _key(project),
        "title": title or f"Risk {next(_seq)}",
        "probability": probability,
        "impact": impact,
        **fields,
    }
    risk = risks.log_risk(session=session, actor=_actor(actor), data=data)
    session.flush()
    return risk


def make_change_request(
    session: Session,
    project: Project | str,
    title: str | None = None,
    *,
    status: str = "submitted",
    actor: Actor | None = None,
    **fields: Any,
) -> ChangeRequest:
    """A change request walked (by the system actor) along the legal path to `status`."""
    data = {"project": _key(project), "title": title or f"Change {next(_seq)}", **fields}
    cr = change_requests.file_change_request(session=session, actor=_actor(actor), data=data)
    if status != "submitted":
        cr = change_requests.bring_to_status(session=session, actor=SYSTEM, key=cr.key, status=status)
    session.flush()
    return cr


def make_milestone(
    session: Session,
    project: Project | str,
    title: str | None = None,
    *,
    due_date: date | str | None = None,
    actor: Actor | None = None,
    **fields: Any,
) -> Milestone:
    data = {
        "title": title or f"Milestone {next(_seq)}",
        "due_date": due_date or date.today() + timedelta(30),
        **fields,
    }
    milestone = milestones.create_milestone(
        session=session, actor=_actor(actor), project=_key(project), data=data
    )
    session.flush()
    return milestone


def make_status_update(
    session: Session,
    project: Project | str,
    overall: str = "green",
    summary: str = "On track.",
    *,
    actor: Actor | None = None,
    **fields: Any,
) -> StatusUpdate:
    data = {"project": _key(project), "overall": overall, "summary": summary, **fields}
    update = status.post_status_update(session=session, actor=_actor(actor), data=data)
    session.flush()
    return update


def load_portfolio(session: Session, fixture: dict[str, Any]) -> None:
    """Load the eval's portfolio fixture (users, then each project's risks, CRs and milestones in order)."""
    for user in fixture.get("users", []):
        fields = {k: user[k] for k in ("title", "email") if user.get(k)}
        make_person(session, user["id"], user["name"], user.get("role", "member"), **fields)
    for proj in fixture.get("projects", []):
        make_project(
            session,
            proj["key"],
            proj["name"],
            pm=proj.get("pm"),
            channel=proj.get("channel"),
            members=proj.get("members", []),
            private=bool(proj.get("private")),
            description=proj.get("description"),
        )
        for item in proj.get("risks", []):
            fields = {k: v for k, v in item.items() if k not in ("key", "project")}
            risk = make_risk(session, proj["key"], **fields)
            assert risk.key == item.get("key", risk.key), (risk.key, item.get("key"))
        for item in proj.get("change_requests", []):
            fields = {k: v for k, v in item.items() if k not in ("key", "project")}
            cr = make_change_request(session, proj["key"], **fields)
            assert cr.key == item.get("key", cr.key), (cr.key, item.get("key"))
        for item in proj.get("milestones", []):
            fields = {k: v for k, v in item.items() if k not in ("key", "project")}
            milestone = make_milestone(session, proj["key"], **fields)
            assert milestone.key == item.get("key", milestone.key), (milestone.key, item.get("key"))
        for item in proj.get("status_updates", []):
            make_status_update(session, proj["key"], **{k: v for k, v in item.items() if k != "project"})
