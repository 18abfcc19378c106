"""Keys under concurrent writers: 50 parallel threads logging risks to one project on PostgreSQL."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.builders import make_person, make_project
from tools.db import make_engine, make_session_factory, session_scope
from tools.models import AuditEvent, Project, Risk
from tools.services import risks
from tools.services.people import actor_for

WRITERS = 50


def _log_in_parallel(factory: sessionmaker[Session], writers: int) -> list[str]:
    with factory() as s:
        actor = actor_for(s, "U0PM00001", "api")
    barrier = threading.Barrier(writers)

    def one(i: int) -> str:
        barrier.wait(timeout=60)  # start together so the writers really contend
        with session_scope(factory) as session:
            data = {"project": "RACE", "title": f"Parallel risk {i}", "probability": 1 + i % 5, "impact": 3}
            return risks.log_risk(session=session, actor=actor, data=data).key

    with ThreadPoolExecutor(max_workers=writers) as pool:
        return list(pool.map(one, range(writers)))


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("PMO_TEST_DATABASE_URL"), reason="PMO_TEST_DATABASE_URL is not set")
def test_fifty_parallel_writers_get_fifty_consecutive_keys(db_url: str) -> None:
    assert db_url.startswith("postgresql"), db_url
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    try:
        with session_scope(factory) as s:
            make_person(s, "U0PM00001", "Race PM", "pm")
            make_project(s, "RACE", "Concurrency", pm="U0PM00001")
        keys = _log_in_parallel(factory, WRITERS)
        assert len(set(keys)) == WRITERS
        assert sorted(keys, key=lambda k: int(k.rsplit("R", 1)[1])) == [
            f"RACE-R{n}" for n in range(1, WRITERS + 1)
        ]
        with factory() as s:
            numbers = sorted(s.scalars(select(Risk.number).join(Project).where(Project.key == "RACE")))
            assert numbers == list(range(1, WRITERS + 1))
            events = s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "risk.create", AuditEvent.project_key == "RACE")
            )
            assert events == WRITERS
            assert s.scalar(select(Project.risk_seq).where(Project.key == "RACE")) == WRITERS
    finally:
        engine.dispose()


def test_parallel_writers_on_sqlite_do_not_collide(db_url: str) -> None:
    """The same guarantee on the default store, with fewer writers (SQLite serialises them)."""
    if not db_url.startswith("sqlite"):
        pytest.skip("the PostgreSQL variant above covers this")
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    try:
        with session_scope(factory) as s:
            make_person(s, "U0PM00001", "Race PM", "pm")
            make_project(s, "RACE", "Concurrency", pm="U0PM00001")
        keys = _log_in_parallel(factory, 8)
        assert sorted(keys) == sorted(f"RACE-R{n}" for n in range(1, 9))
    finally:
        engine.dispose()
