"""Slack retries an event it thinks we missed; the database remembers each event_id once, across workers."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltResponse
from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tools.db import session_scope
from tools.models.conversation import ProcessedEvent

log = logging.getLogger("pmo.slack")


def claim_event(session_factory: sessionmaker[Session], event_id: str, kind: str | None) -> bool:
    """True the first time `event_id` is seen (by any worker), False for every repeat."""
    values = {"event_id": event_id, "kind": (kind or "")[:40] or None}
    with session_scope(session_factory) as session:
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":
            stmt = (
                pg_insert(ProcessedEvent).values(**values).on_conflict_do_nothing(index_elements=["event_id"])
            )
        elif dialect == "sqlite":
            stmt = (
                sqlite_insert(ProcessedEvent)
                .values(**values)
                .on_conflict_do_nothing(index_elements=["event_id"])
            )
        else:
            try:
                with session.begin_nested():
                    session.execute(insert(ProcessedEvent).values(**values))
                return True
            except IntegrityError:
                return False
        # RETURNING, not rowcount: an ORM-enabled insert does not report rowcount on every driver (psycopg).
        return session.execute(stmt.returning(ProcessedEvent.event_id)).first() is not None


def dedup_middleware(session_factory: sessionmaker[Session]):
    """Global middleware: ack a repeated event_id with 200 and run nothing for it."""

    def deduplicate_events(body: dict, request: Any, next: Any) -> BoltResponse | None:  # noqa: A002
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not event_id or request.lazy_only:
            return next()
        kind = (body.get("event") or {}).get("type")
        if claim_event(session_factory, event_id, kind):
            return next()
        retry = request.headers.get("x-slack-retry-num", [None])[0]
        reason = request.headers.get("x-slack-retry-reason", [None])[0]
        log.info("skipping repeated Slack event %s (%s, retry %s: %s)", event_id, kind, retry, reason)
        return BoltResponse(status=200, body="")

    return deduplicate_events
