"""Fixtures for the domain tests: a small portfolio with one person per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.builders import make_person, make_project
from tools.actor import Actor
from tools.services.people import actor_for

TODAY = date(2026, 11, 24)


@dataclass
class Cast:
    admin: Actor
    pm: Actor
    approver: Actor
    member: Actor
    outsider: Actor  # registered, in no project
    stranger: Actor  # not registered at all


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def cast(session: Session) -> Cast:
    """People of every role, a public project SEPSIS (PM Priya, member Aisha) and a private one SECRET."""
    make_person(session, "U0ADMIN01", "Ada Admin", "admin")
    make_person(session, "U0PRIYA01", "Priya Raman", "pm")
    make_person(session, "U0GRACE01", "Grace Okafor", "approver")
    make_person(session, "U0HENRY01", "Henry Liu", "approver")
    make_person(session, "U0AISHA01", "Aisha Khan", "member")
    make_person(session, "U0TOMAS01", "Tomás Reyes", "member")
    make_project(
        session,
        "SEPSIS",
        "Sepsis early-warning model",
        pm="U0PRIYA01",
        members=["U0AISHA01"],
        channel="C0SEPSIS01",
    )
    make_project(
        session,
        "SECRET",
        "Confidential vendor evaluation",
        pm="U0PRIYA01",
        members=["U0AISHA01"],
        private=True,
    )
    session.commit()
    return Cast(
        admin=actor_for(session, "U0ADMIN01", "api"),
        pm=actor_for(session, "U0PRIYA01", "slack"),
        approver=actor_for(session, "U0GRACE01", "slack"),
        member=actor_for(session, "U0AISHA01", "slack"),
        outsider=actor_for(session, "U0TOMAS01", "slack"),
        stranger=actor_for(session, "U0NOBODY1", "slack"),
    )
