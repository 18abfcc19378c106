"""Fixtures for the assistant tests: the eval portfolio loaded through the services, assistants on it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.assistant import Assistant, ChatResult, Incoming
from bot.portfolio import load_portfolio, read_fixture
from bot.safety import Redactor
from tools.db import session_scope
from tools.models import AuditEvent

DATA = Path(__file__).parent / "fixtures"
FIXTURE = DATA / "portfolio_fixture.json"
DEV_CASES = DATA / "chat_dev_cases.jsonl"
TODAY = date(2026, 11, 24)


class Clock:
    """A settable 'now' for pending expiry and the undo window."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, **kwargs: float) -> None:
        self.offset += timedelta(**kwargs)


@pytest.fixture(scope="session")
def phi_redactor() -> Redactor:
    """One PHI analyzer for the whole run (building one takes a while)."""
    return Redactor()


@pytest.fixture
def portfolio(session_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    with session_scope(session_factory) as session:
        load_portfolio(session, read_fixture(FIXTURE), today=TODAY)
    return session_factory


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_assistant(
    portfolio: sessionmaker[Session], phi_redactor: Redactor, clock: Clock
) -> Callable[..., Assistant]:
    def make(**kwargs: Any) -> Assistant:
        kwargs.setdefault("today", TODAY)
        kwargs.setdefault("timezone", "America/Chicago")
        kwargs.setdefault("redactor", phi_redactor)
        kwargs.setdefault("clock", clock)
        return Assistant(portfolio, **kwargs)

    return make


@pytest.fixture
def assistant(make_assistant: Callable[..., Assistant]) -> Assistant:
    return make_assistant()


def say(assistant: Assistant, text: str, *, user: str, channel: str, thread: str | None = "T1") -> ChatResult:
    return assistant.handle(Incoming(text=text, user=user, channel=channel, thread=thread, via="slack"))


def record_events(session_factory: sessionmaker[Session]) -> list[AuditEvent]:
    """Audit events about records (not people, projects or chat messages), oldest first."""
    with session_factory() as session:
        rows = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type.in_(("risk", "change_request", "milestone", "status_update")))
            .order_by(AuditEvent.id)
        ).all()
        session.expunge_all()
        return list(rows)
