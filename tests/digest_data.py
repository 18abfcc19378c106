"""A small portfolio with something in every digest section (shared by tests/bot/digest and tests/web)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from tools.actor import Actor
from tools.db import session_scope
from tools.models import AuditEvent, Risk
from tools.services import change_requests, milestones, people, projects, risks, status

HOSTILE = "<script>alert(1)</script>"


@dataclass
class Portfolio:
    today: date
    admin: Actor
    pm: Actor
    outsider: Actor


def build_portfolio(factory: sessionmaker[Session], today: date | None = None) -> Portfolio:
    """SEPSIS (public, full of news), PRIV (private; only the PM is a member), with the week's changes."""
    today = today or datetime.now(UTC).date()
    admin = Actor.system("api")
    with session_scope(factory) as s:
        for slack_id, name, role in (
            ("U0PM", "Priya Patel", "pm"),
            ("U0APP", "Dana Approver", "approver"),
            ("U0OUT", "Olly Outsider", "member"),
        ):
            people.create_person(
                session=s, actor=admin, data={"slack_id": slack_id, "name": name, "role": role}
            )
    with session_scope(factory) as s:
        pm = people.actor_for(s, "U0PM", "api")
        approver = people.actor_for(s, "U0APP", "api")
        outsider = people.actor_for(s, "U0OUT", "api")
        projects.create_project(
            session=s,
            actor=admin,
            data={"key": "SEPSIS", "name": "Sepsis Early Warning", "channel": "C0SEPSIS", "pm": "U0PM"},
        )
        projects.create_project(
            session=s,
            actor=admin,
            data={"key": "PRIV", "name": "Private Vendor Pilot", "pm": "U0PM", "private": True},
        )
    with session_scope(factory) as s:
        log = lambda **kw: risks.log_risk(session=s, actor=pm, data={"project": "SEPSIS", **kw})  # noqa: E731
        log(
            title="Label leakage in training data",
            probability=5,
            impact=4,
            owner="U0PM",
            mitigation="Re-extract labels with a time cutoff",
            due_date=(today - timedelta(days=3)).isoformat(),
        )
        log(
            title="EHR vendor API rate limits",
            probability=3,
            impact=3,
            owner="Sam Lee",
            due_date=(today + timedelta(days=10)).isoformat(),
        )
        log(title="Clinician alert fatigue", probability=2, impact=2)
        log(title="Model drift after go-live", probability=2, impact=2, owner="U0APP")
        log(title=HOSTILE, probability=1, impact=3)
        log(title="Old stale risk", probability=3, impact=4)
        risks.log_risk(
            session=s,
            actor=pm,
            data={"project": "PRIV", "title": "Secret vendor pricing", "probability": 4, "impact": 4},
        )
    with session_scope(factory) as s:
        risks.close_risk(session=s, actor=pm, key="SEPSIS-R3", reason="Alert tiers agreed")
        risks.update_risk(session=s, actor=pm, key="SEPSIS-R4", data={"probability": 4, "impact": 4})

        def file(**kw):
            return change_requests.file_change_request(session=s, actor=pm, data={"project": "SEPSIS", **kw})  # noqa: E731,E501

        file(title="Add lactate feature", schedule_days=14, cost=25000, priority="high")
        file(title="Extend pilot to ED", priority="medium")
        file(title="Swap vendor SDK", priority="low")
        mk = lambda title, days, **kw: milestones.create_milestone(  # noqa: E731
            session=s,
            actor=pm,
            project="SEPSIS",
            data={"title": title, "due_date": (today + timedelta(days=days)).isoformat(), **kw},
            today=today,
        )
        mk("Silent-mode validation complete", 5)
        mk("Go-live in ICU", 20)
        mk("Data extract signed off", -1)
        mk("Governance review", 3)
        mk("Clinician training", -2)
        status.post_status_update(
            session=s,
            actor=pm,
            today=today,
            data={
                "project": "SEPSIS",
                "overall": "amber",
                "schedule": "red",
                "budget": "green",
                "scope": "green",
                "summary": "Validation cohort delayed two weeks by the data extract.",
            },
        )
    with session_scope(factory) as s:
        approver = people.actor_for(s, "U0APP", "api")
        change_requests.decide_change_request(
            session=s, actor=approver, key="SEPSIS-CR2", decision="approve", comment="Go ahead"
        )
        change_requests.transition_change_request(
            session=s, actor=pm, key="SEPSIS-CR3", status="under_review"
        )
        milestones.update_milestone(
            session=s, actor=pm, key="SEPSIS-M3", data={"status": "completed"}, today=today
        )
        milestones.update_milestone(
            session=s,
            actor=pm,
            key="SEPSIS-M4",
            data={"due_date": (today + timedelta(days=9)).isoformat()},
            today=today,
        )
    # History: SEPSIS-R6 was logged and last reviewed 40 days ago (stale, and not this week's news).
    with session_scope(factory) as s:
        old = datetime.now(UTC) - timedelta(days=40)
        s.execute(update(Risk).where(Risk.key == "SEPSIS-R6").values(created_at=old, last_reviewed_at=old))
        s.execute(update(AuditEvent).where(AuditEvent.entity_key == "SEPSIS-R6").values(at=old))
    return Portfolio(today=today, admin=admin, pm=pm, outsider=outsider)
