"""The audit trail, after-commit change notifications, and hashed API tokens."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.builders import make_risk
from tools.actor import Actor
from tools.db import session_scope
from tools.errors import Forbidden, Invalid, NotFound, Unauthenticated
from tools.events import ChangedRecord, install_after_commit
from tools.models import ApiToken, AuditEvent
from tools.schemas import AuditEventPublic
from tools.services import audit, risks, tokens
from tools.services.people import actor_for


def test_every_write_is_audited_with_who_and_via(session: Session, cast) -> None:
    agent = actor_for(session, "U0AISHA01", "agent", thread="1732.55")
    risk = risks.log_risk(
        session=session, actor=agent, data={"project": "SEPSIS", "title": "x", "probability": 2, "impact": 2}
    )
    risks.close_risk(session=session, actor=cast.pm, key=risk.key, reason="gone")
    first, second = audit.history(session, "risk", risk.key)
    assert (first.actor, first.actor_name, first.via, first.thread) == (
        "U0AISHA01",
        "Aisha Khan",
        "agent",
        "1732.55",
    )
    assert (second.actor, second.via, second.action) == ("U0PRIYA01", "slack", "risk.close")
    public = AuditEventPublic.model_validate(second).model_dump(mode="json")
    assert public["changes"]["status"] == ["open", "closed"] and public["at"].endswith("Z")


def test_audit_event_is_in_the_same_transaction(session_factory: sessionmaker[Session], cast) -> None:
    with session_factory() as s:
        make_risk(s, "SEPSIS")
        s.rollback()
    with session_factory() as s:
        assert s.scalars(select(AuditEvent).where(AuditEvent.entity_type == "risk")).all() == []


def test_list_events_filters(session: Session, cast) -> None:
    make_risk(session, "SEPSIS")
    make_risk(session, "SECRET")
    assert [e.entity_key for e in audit.list_events(session, entity_type="risk")] == [
        "SECRET-R1",
        "SEPSIS-R1",
    ]
    assert [e.entity_key for e in audit.list_events(session, project_key="sepsis", entity_type="risk")] == [
        "SEPSIS-R1"
    ]
    assert [e.entity_key for e in audit.list_events(session, projects={"SEPSIS"}, action="risk.create")] == [
        "SEPSIS-R1"
    ]
    assert len(audit.list_events(session, limit=1)) == 1


def test_changes_are_delivered_after_commit_only(session_factory: sessionmaker[Session], cast) -> None:
    seen: list[list[ChangedRecord]] = []
    uninstall = install_after_commit(session_factory, seen.append)
    try:
        with session_factory() as s:
            make_risk(s, "SEPSIS")
            s.rollback()
        assert seen == []
        with session_scope(session_factory) as s:
            risk = make_risk(s, "SEPSIS")
            risks.update_risk(session=s, actor=Actor.system(), key=risk.key, data={"impact": 5})
            assert seen == []
        assert seen == [[ChangedRecord("risk", "SEPSIS-R1", "SEPSIS")]]
        with session_scope(session_factory) as s:
            s.execute(select(1))
        assert len(seen) == 1  # a commit without changes notifies nobody
    finally:
        uninstall()
    with session_scope(session_factory) as s:
        make_risk(s, "SEPSIS")
    assert len(seen) == 1


def test_a_failing_callback_does_not_undo_the_write(session_factory: sessionmaker[Session], cast) -> None:
    def boom(records: list[ChangedRecord]) -> None:
        raise RuntimeError("index down")

    uninstall = install_after_commit(session_factory, boom)
    try:
        with session_scope(session_factory) as s:
            make_risk(s, "SEPSIS")
    finally:
        uninstall()
    with session_factory() as s:
        assert risks.get_risk(session=s, actor=Actor.system(), key="SEPSIS-R1")


def test_tokens_are_stored_hashed(session: Session, cast) -> None:
    token, plaintext = tokens.create_token(session=session, actor=cast.admin, name="dashboard", role="pm")
    assert plaintext.startswith("pmo_") and len(plaintext) > 40
    assert token.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert token.prefix == plaintext[:12]
    stored = [t.token_hash for t in session.scalars(select(ApiToken))]
    assert plaintext not in stored
    assert tokens.authenticate(session, plaintext).id == token.id
    assert tokens.authenticate(session, f"  {plaintext} ").last_used_at is not None
    [event] = audit.list_events(session, action="token.create")
    assert plaintext not in str(event.changes) and event.changes["prefix"] == token.prefix


@pytest.mark.parametrize("bad", ["", None, "pmo_wrong", "Bearer x"])
def test_bad_tokens(session: Session, cast, bad: str | None) -> None:
    tokens.create_token(session=session, actor=cast.admin, name="ci")
    with pytest.raises(Unauthenticated):
        tokens.authenticate(session, bad)


def test_token_rules(session: Session, cast) -> None:
    with pytest.raises(Forbidden):
        tokens.create_token(session=session, actor=cast.pm, name="mine")
    with pytest.raises(Invalid):
        tokens.create_token(session=session, actor=cast.admin, name=" ")
    with pytest.raises(Invalid, match="role"):
        tokens.create_token(session=session, actor=cast.admin, name="x", role="root")
    token, plaintext = tokens.create_token(session=session, actor=cast.admin, name="old")
    tokens.revoke_token(session=session, actor=cast.admin, token_id=token.id)
    with pytest.raises(Unauthenticated, match="revoked"):
        tokens.authenticate(session, plaintext)
    assert [t.name for t in tokens.list_tokens(session=session, actor=cast.admin)] == ["old"]


def test_ensure_admin_token_is_idempotent(session: Session) -> None:
    assert tokens.ensure_admin_token(session, None) is None
    first = tokens.ensure_admin_token(session, "s3cret-admin-token")
    second = tokens.ensure_admin_token(session, "s3cret-admin-token")
    assert first.id == second.id and first.role == "admin"
    assert tokens.authenticate(session, "s3cret-admin-token").role == "admin"
    assert len(session.scalars(select(ApiToken)).all()) == 1


def test_record_history_respects_visibility(session: Session, cast) -> None:
    make_risk(session, "SECRET")
    make_risk(session, "SEPSIS")
    assert [
        e.action
        for e in audit.record_history(
            session=session, actor=cast.member, entity_type="risk", entity_key="secret-r1"
        )
    ] == ["risk.create"]
    with pytest.raises(NotFound):
        audit.record_history(session=session, actor=cast.outsider, entity_type="risk", entity_key="SECRET-R1")
    with pytest.raises(NotFound, match="no history for change request SEPSIS-CR1"):
        audit.record_history(
            session=session, actor=cast.admin, entity_type="change_request", entity_key="SEPSIS-CR1"
        )
    assert audit.record_history(
        session=session, actor=cast.outsider, entity_type="risk", entity_key="SEPSIS-R1"
    )


@pytest.mark.parametrize("text", ["BOB", "UX team", "WOW"])
def test_upper_case_names_are_not_slack_ids(session: Session, cast, text: str) -> None:
    from tools.services.people import resolve_owner, slack_id_in

    assert slack_id_in(text) is None
    assert resolve_owner(session, text) == text
