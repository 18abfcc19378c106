"""An app on the test database with the small portfolio, and signed-in clients for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from digest_data import Portfolio, build_portfolio
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from api.container import Container
from api.settings import Settings
from tools.actor import Actor
from tools.db import session_scope
from tools.services import tokens

ADMIN_TOKEN = "pmo-test-admin-token-0123456789"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        PMO_DATABASE_URL=db_url,
        PMO_DATA_DIR=str(tmp_path / "data"),
        PMO_API_TOKEN=ADMIN_TOKEN,
        PMO_SCHEDULER=False,
        SLACK_BOT_TOKEN=None,
        SLACK_SIGNING_SECRET=None,
        SLACK_APP_TOKEN=None,
        PMO_CHROMA_URL=None,
        PMO_TODAY=None,
    )


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    c = Container(settings)
    yield c
    c.close()


@pytest.fixture
def portfolio(session_factory: sessionmaker[Session]) -> Portfolio:
    return build_portfolio(session_factory)


@pytest.fixture
def app(container: Container, portfolio: Portfolio) -> FastAPI:
    return create_app(container)


def token_for(factory: sessionmaker[Session], slack_id: str, role: str) -> str:
    with session_scope(factory) as s:
        _, plaintext = tokens.create_token(session=s, actor=Actor.system("cli"), name=f"web-{slack_id}",
                                           role=role, person_slack_id=slack_id)  # fmt: skip
    return plaintext


@pytest.fixture
def pm_token(session_factory, portfolio) -> str:
    return token_for(session_factory, "U0PM", "pm")


@pytest.fixture
def outsider_token(session_factory, portfolio) -> str:
    return token_for(session_factory, "U0OUT", "member")


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
