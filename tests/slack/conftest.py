"""The real Bolt app on a test database, a fake Slack on loopback, and signed requests through FastAPI."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.assistant import Assistant
from bot.slack.app import create_slack_app
from bot.slack.client import make_web_client
from bot.slack.http import slack_router
from tests import builders
from tests.slack import payloads
from tests.slack.fake_slack import FakeSlack
from tools.db import session_scope

SECRET = "8f14e45fceea167a5a36dedd4bea2543"
TODAY = date(2026, 11, 25)
LOOPBACK = {"127.0.0.1", "::1", "localhost", "testserver"}

# People and projects every scenario starts from.
PM, APPROVER, MEMBER, OUTSIDER, ADMIN = "UPM00001", "UAPPROVE1", "UMEMBER1", "UOUTSIDE1", "UADMIN001"
SEPSIS_CH, PRIV_CH, GENERAL_CH = "CSEPSIS01", "CPRIV0001", "CGENERAL1"


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail the test if anything tries to resolve or reach a host other than loopback (e.g. slack.com)."""
    attempts: list[str] = []
    real_getaddrinfo = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any):
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in LOOPBACK:
            attempts.append(name)
            raise OSError(f"test tried to reach {name}; only loopback is allowed")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    yield attempts
    assert not attempts, f"requests left loopback: {attempts}"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def seeded(session_factory):
    with session_scope(session_factory) as s:
        pm = builders.make_person(s, PM, "Priya PM", role="pm")
        approver = builders.make_person(s, APPROVER, "Alex Approver", role="approver")
        member = builders.make_person(s, MEMBER, "Maria Member", role="member")
        builders.make_person(s, OUTSIDER, "Oscar Outsider", role="member")
        builders.make_person(s, ADMIN, "Ada Admin", role="admin")
        builders.make_project(
            s, "SEPSIS", "Sepsis early warning", pm=pm, members=[member, approver], channel=SEPSIS_CH
        )
        builders.make_project(
            s, "PRIV", "Confidential vendor model", pm=pm, members=[member], channel=PRIV_CH, private=True
        )
        builders.make_risk(s, "SEPSIS", "Label drift in ICU data", probability=4, impact=4, owner=MEMBER)
        builders.make_risk(s, "PRIV", "Zebra vendor contract exposure", probability=5, impact=5, owner=MEMBER)
        builders.make_change_request(s, "SEPSIS", "Extend pilot to ED", schedule_days=14, cost=12000)
    return session_factory


@pytest.fixture
def assistant(seeded):
    # PHI redaction of chat text (presidio) is the assistant's concern and slow to load; off here.
    return Assistant(session_factory=seeded, today=TODAY, undo_minutes=15, redact_phi=False)


@pytest.fixture
def slack_app(assistant, seeded, fake_slack):
    client = make_web_client("xoxb-test-token", base_url=fake_slack.base_url)
    return create_slack_app(
        assistant=assistant, session_factory=seeded, client=client, signing_secret=SECRET, today=lambda: TODAY
    )


@pytest.fixture
def http(slack_app) -> TestClient:
    api = FastAPI()
    api.include_router(slack_router(slack_app))
    return TestClient(api)


class Slack:
    """Sends signed requests the way Slack does, to the FastAPI mount."""

    def __init__(self, http: TestClient, fake: FakeSlack) -> None:
        self.http, self.fake = http, fake

    def post(
        self,
        body_and_type: tuple[str, str],
        *,
        secret: str = SECRET,
        timestamp: int | None = None,
        headers: dict | None = None,
    ):
        body, ctype = body_and_type
        h = payloads.signed_headers(secret, body, ctype, timestamp=timestamp) | (headers or {})
        return self.http.post("/slack/events", content=body, headers=h)

    def command(self, text: str, *, user: str, channel: str):
        return self.post(
            payloads.command(text, user=user, channel=channel, response_url=self.fake.response_url)
        )


@pytest.fixture
def slack(http, fake_slack) -> Slack:
    return Slack(http, fake_slack)
