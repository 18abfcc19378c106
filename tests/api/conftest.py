"""Fixtures for the API and CLI tests: a container on the per-test database, the app, tokens, people."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.container import Container
from api.settings import Settings
from tests.builders import make_person, make_project
from tools.actor import Actor
from tools.services import tokens

ADMIN_TOKEN = "pmo-test-admin-token-0123456789"
TODAY = "2026-11-25"


def make_settings(db_url: str, data_dir: Path, **extra: object) -> Settings:
    values = {
        "PMO_DATABASE_URL": db_url,
        "PMO_DATA_DIR": str(data_dir),
        "PMO_TODAY": TODAY,
        "PMO_API_TOKEN": ADMIN_TOKEN,
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return make_settings(db_url, tmp_path / "data")


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    c = Container(settings)
    yield c
    c.close()


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), raise_server_exceptions=False) as c:
        c.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
        yield c


@pytest.fixture
def anon(container: Container, client: TestClient) -> TestClient:
    """A client on the same app without a token."""
    return TestClient(client.app, raise_server_exceptions=False)


@dataclass
class Team:
    pm: str = "U0PMDANA"
    approver: str = "U0APPELENA"
    member: str = "U0MEMSAM"
    outsider: str = "U0OUTLEE"


@pytest.fixture
def team(container: Container) -> Team:
    """People and two projects: SEPSIS (public; PM, member) and SECRET (private; PM only)."""
    t = Team()
    with container.session() as session:
        pm = make_person(session, t.pm, "Dana Whitfield", role="pm")
        make_person(session, t.approver, "Elena Sokolova", role="approver")
        member = make_person(session, t.member, "Sam Patel", role="member")
        make_person(session, t.outsider, "Lee Outsider", role="member")
        make_project(session, "SEPSIS", "Sepsis early warning", pm=pm, members=[member], channel="C0SEPSIS")
        make_project(session, "SECRET", "Private pilot", pm=pm, private=True)
    return t


@pytest.fixture
def token_for(container: Container) -> Callable[..., str]:
    """A bearer token acting as `slack_id` with `role` (default: the person's own role)."""

    def make(slack_id: str | None, role: str = "member") -> str:
        with container.session() as session:
            _, plaintext = tokens.create_token(
                session=session, actor=Actor.system("system"), name=f"test-{slack_id}", role=role,
                person_slack_id=slack_id,
            )  # fmt: skip
        return plaintext

    return make


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
