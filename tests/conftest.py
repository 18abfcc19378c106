"""Shared fixtures: a clean, migrated database per test (SQLite by default, PostgreSQL when asked)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from tools.db import make_engine, make_session_factory, upgrade
from tools.models import Base

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# Set to a SQLAlchemy URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run every
# database test on that server instead of SQLite; an unreachable server then fails the run.
PG_ENV = "PMO_TEST_DATABASE_URL"


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "pmo.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _postgres_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        return None
    upgrade(url)  # raises (and so fails the run) when the server is unreachable
    return url


def _truncate_all(url: str) -> None:
    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def db_url(tmp_path: Path, _sqlite_template: Path, _postgres_url: str | None) -> str:
    """A migrated, empty database for this test alone."""
    if _postgres_url:
        _truncate_all(_postgres_url)
        return _postgres_url
    path = tmp_path / "pmo.db"
    shutil.copyfile(_sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def session_factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as s:
        yield s
