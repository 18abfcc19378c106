"""Risks: keys, scores and ratings, updates with audit before/after, closing, filters."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.builders import make_project, make_risk
from tools.errors import Conflict, Invalid, NotFound
from tools.models import Project
from tools.schemas import RiskPublic
from tools.services import audit, risks


def log(session: Session, actor, **fields):
    data = {"project": "SEPSIS", "title": "Input data drift", "probability": 3, "impact": 3, **fields}
    return risks.log_risk(session=session, actor=actor, data=data)


def test_keys_are_consecutive_per_project(session: Session, cast) -> None:
    make_project(session, "RADSUM", "Radiology summaries")
    keys = [log(session, cast.member).key, log(session, cast.member).key]
    keys.append(
        risks.log_risk(
            session=session,
            actor=cast.member,
            data={"project": "radsum", "title": "x", "probability": 1, "impact": 1},
        ).key
    )
    keys.append(log(session, cast.member).key)
    assert keys == ["SEPSIS-R1", "SEPSIS-R2", "RADSUM-R1", "SEPSIS-R3"]
    counter = session.scalar(select(Project.risk_seq).where(Project.key == "SEPSIS"))
    assert counter == 3


def test_rolled_back_write_gives_its_number_back(session_factory, cast) -> None:
    with session_factory() as s:
        log(s, cast.member)
        s.rollback()
    with session_factory() as s:
        assert log(s, cast.member).key == "SEPSIS-R1"


@pytest.mark.parametrize(
    ("p", "i", "score", "rating"),
    [
        ("rare", "low", 2, "Low"),
        ("possible", "moderate", 9, "Medium"),
        ("likely", "high", 16, "High"),
        ("almost certain", "critical", 25, "Critical"),
        (4, "very high", 20, "Critical"),
        ("2", 5, 10, "High"),
    ],
)
def test_score_and_rating_from_words(session: Session, cast, p, i, score, rating) -> None:
    risk = log(session, cast.member, probability=p, impact=i)
    assert (risk.score, risk.rating) == (score, rating)


def test_log_risk_full_record(session: Session, cast) -> None:
    risk = log(
        session,
        cast.member,
        description="PSI > 0.25",
        category="Data",
        owner="Aisha",
        response="Mitigate",
        mitigation="Weekly PSI monitor",
        due_date="2026-12-15",
        trigger="AUROC < 0.80",
    )
    public = RiskPublic.model_validate(risk).model_dump(mode="json")
    assert public | {"created_at": None, "updated_at": None} == public | {
        "key": "SEPSIS-R1",
        "project": "SEPSIS",
        "category": "data",
        "owner": "U0AISHA01",
        "response": "mitigate",
        "due_date": "2026-12-15",
        "status": "open",
        "score": 9,
        "rating": "Medium",
        "created_by": "U0AISHA01",
        "trigger": "AUROC < 0.80",
        "created_at": None,
        "updated_at": None,
    }
    [event] = audit.history(session, "risk", "SEPSIS-R1")
    assert (event.action, event.actor, event.via, event.project_key) == (
        "risk.create",
        "U0AISHA01",
        "slack",
        "SEPSIS",
    )
    assert event.changes["probability"] == 3 and event.changes["due_date"] == "2026-12-15"


@pytest.mark.parametrize(
    ("field", "value", "phrase"),
    [
        ("probability", "huge", "not a level"),
        ("impact", 7, "outside the 1-5 scale"),
        ("due_date", "2026-02-30", "YYYY-MM-DD"),
        ("category", "weather", "schedule, budget"),
        ("response", "ignore", "avoid, mitigate"),
        ("status", "pending", "open, monitoring, closed"),
        ("title", "", "title"),
        ("colour", "red", "not an argument"),
    ],
)
def test_bad_input_is_a_sentence(session: Session, cast, field: str, value, phrase: str) -> None:
    with pytest.raises(Invalid) as err:
        log(session, cast.member, **{field: value})
    assert phrase in err.value.message
    assert session.scalar(select(Project.risk_seq).where(Project.key == "SEPSIS")) == 0


def test_unknown_project(session: Session, cast) -> None:
    with pytest.raises(NotFound, match="no project NOPE"):
        log(session, cast.member, project="nope")


def test_update_recomputes_and_audits_before_after(session: Session, cast) -> None:
    log(session, cast.member, probability=2, impact=2, owner="Epic team")
    risk = risks.update_risk(
        session=session,
        actor=cast.pm,
        key="sepsis-r1",
        data={"impact": "very high", "owner": "<@U0GRACE01>", "due_date": date(2027, 1, 5)},
    )
    assert (risk.impact, risk.score, risk.rating, risk.owner) == (5, 10, "High", "U0GRACE01")
    assert risk.updated_by == "U0PRIYA01" and risk.last_reviewed_at is not None
    create, update = audit.history(session, "risk", "SEPSIS-R1")
    assert update.action == "risk.update" and update.actor == "U0PRIYA01"
    assert update.changes == {
        "impact": [2, 5],
        "owner": ["Epic team", "U0GRACE01"],
        "due_date": [None, "2027-01-05"],
        "score": [4, 10],
        "rating": ["Low", "High"],
    }


def test_update_without_change_writes_no_event(session: Session, cast) -> None:
    log(session, cast.member)
    risks.update_risk(session=session, actor=cast.member, key="SEPSIS-R1", data={"probability": "medium"})
    assert len(audit.history(session, "risk", "SEPSIS-R1")) == 1


def test_close_and_reopen(session: Session, cast) -> None:
    log(session, cast.member)
    risk = risks.close_risk(session=session, actor=cast.member, key="SEPSIS-R1", reason="Codes remapped")
    assert (risk.status, risk.closed_reason) == ("closed", "Codes remapped") and risk.closed_at
    with pytest.raises(Conflict, match="already closed"):
        risks.close_risk(session=session, actor=cast.member, key="SEPSIS-R1")
    risk = risks.update_risk(
        session=session, actor=cast.member, key="SEPSIS-R1", data={"status": "monitoring"}
    )
    assert risk.closed_at is None and risk.closed_reason is None
    close = audit.history(session, "risk", "SEPSIS-R1")[1]
    assert close.action == "risk.close" and close.changes["status"] == ["open", "closed"]
    assert close.changes["closed_reason"] == [None, "Codes remapped"]


def test_get_unknown_risk(session: Session, cast) -> None:
    with pytest.raises(NotFound, match="no risk SEPSIS-R9"):
        risks.get_risk(session=session, actor=cast.member, key="sepsis-r9")


def test_list_filters(session: Session, cast) -> None:
    make_project(session, "RADSUM", "Radiology summaries")
    make_risk(session, "SEPSIS", "drift", probability=4, impact=4, owner="U0AISHA01", category="data")
    make_risk(session, "SEPSIS", "ppv", probability=5, impact=5, owner="Aisha Khan", category="model")
    make_risk(
        session, "SEPSIS", "slot", probability=1, impact=2, owner="Epic build team", status="monitoring"
    )
    make_risk(session, "RADSUM", "budget", probability=3, impact=4, owner="U0PRIYA01", category="budget")
    make_risk(session, "RADSUM", "old", probability=5, impact=4, status="closed")

    def keys(**filters) -> list[str]:
        return [r.key for r in risks.list_risks(session=session, actor=cast.member, filters=filters)]

    assert keys() == ["SEPSIS-R2", "RADSUM-R2", "SEPSIS-R1", "RADSUM-R1", "SEPSIS-R3"]
    assert keys(open_only=True) == ["SEPSIS-R2", "SEPSIS-R1", "RADSUM-R1", "SEPSIS-R3"]
    assert keys(project="sepsis") == ["SEPSIS-R2", "SEPSIS-R1", "SEPSIS-R3"]
    assert keys(min_rating="critical") == ["SEPSIS-R2", "RADSUM-R2"]
    assert keys(min_rating="HIGH", status="open") == ["SEPSIS-R2", "SEPSIS-R1", "RADSUM-R1"]
    assert keys(owner="Aisha") == ["SEPSIS-R2", "SEPSIS-R1"]
    assert keys(owner="epic build team") == ["SEPSIS-R3"]
    assert keys(category="Budget") == ["RADSUM-R1"]
    assert keys(status="monitoring") == ["SEPSIS-R3"]
    assert keys(limit=2) == ["SEPSIS-R2", "RADSUM-R2"]
    with pytest.raises(Invalid, match="rating"):
        keys(min_rating="enormous")


@pytest.mark.parametrize(
    ("column", "value"), [("probability", 6), ("impact", 0), ("score", 7), ("status", "pending")]
)
def test_the_database_refuses_values_outside_the_contract(session: Session, cast, column: str, value) -> None:
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    from tools.models import Risk

    risk = make_risk(session, "SEPSIS", probability=2, impact=3)
    session.commit()
    with pytest.raises(IntegrityError):
        session.execute(update(Risk).where(Risk.id == risk.id).values({column: value}))
        session.flush()
    session.rollback()
