"""Change requests: every transition of the state machine, who may decide, and the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.builders import make_change_request
from tools.errors import Conflict, Forbidden, Invalid, NotFound
from tools.scales import CR_STATUSES, CR_TRANSITIONS
from tools.schemas import ChangeRequestPublic
from tools.services import audit
from tools.services import change_requests as crs

LEGAL = [(a, b) for a, targets in CR_TRANSITIONS.items() for b in targets]
ILLEGAL = [(a, b) for a in CR_STATUSES for b in CR_STATUSES if b not in CR_TRANSITIONS[a]]
DECISIONS = {"approved": "approve", "rejected": "reject", "deferred": "defer"}


def test_the_lifecycle_is_the_contracts() -> None:
    assert set(LEGAL) >= {
        ("submitted", "under_review"),
        ("under_review", "approved"),
        ("under_review", "rejected"),
        ("under_review", "deferred"),
        ("approved", "implemented"),
        ("implemented", "closed"),
    }
    assert CR_TRANSITIONS["closed"] == () and CR_TRANSITIONS["rejected"] == ()


def test_file_change_request(session: Session, cast) -> None:
    cr = crs.file_change_request(
        session=session,
        actor=cast.member,
        data={
            "project": "sepsis",
            "title": "Extend silent mode",
            "reason": "Too few events",
            "schedule_days": 42,
            "cost": 38000,
            "scope": "Adds SICU",
            "priority": "High",
        },
    )
    public = ChangeRequestPublic.model_validate(cr)
    assert (public.key, public.status, public.priority, public.requested_by) == (
        "SEPSIS-CR1",
        "submitted",
        "high",
        "U0AISHA01",
    )
    assert public.next_statuses == list(CR_TRANSITIONS["submitted"])
    [event] = audit.history(session, "change_request", "SEPSIS-CR1")
    assert event.changes["schedule_days"] == 42 and event.changes["status"] == "submitted"
    second = crs.file_change_request(
        session=session, actor=cast.pm, data={"project": "SEPSIS", "title": "Two"}
    )
    assert second.key == "SEPSIS-CR2"


@pytest.mark.parametrize(
    "bad", [{"priority": "asap"}, {"schedule_days": "soon"}, {"cost": "lots"}, {"title": ""}]
)
def test_file_change_request_bad_input(session: Session, cast, bad: dict) -> None:
    with pytest.raises(Invalid):
        crs.file_change_request(
            session=session, actor=cast.member, data={"project": "SEPSIS", "title": "x", **bad}
        )


def move(session: Session, actor, key: str, target: str):
    if target in DECISIONS:
        return crs.decide_change_request(
            session=session, actor=actor, key=key, decision=DECISIONS[target], comment="CCB 11/24"
        )
    return crs.transition_change_request(session=session, actor=actor, key=key, status=target)


@pytest.mark.parametrize(("start", "target"), LEGAL)
def test_legal_transition(session: Session, cast, start: str, target: str) -> None:
    cr = make_change_request(session, "SEPSIS", status=start)
    before = len(audit.history(session, "change_request", cr.key))
    cr = move(session, cast.approver, cr.key, target)
    assert cr.status == target
    event = audit.history(session, "change_request", cr.key)[before]
    assert event.changes["status"] == [start, target] and event.actor == "U0GRACE01"
    if target in DECISIONS:
        assert (cr.decision, cr.decided_by, cr.decision_comment) == (
            DECISIONS[target],
            "U0GRACE01",
            "CCB 11/24",
        )
        assert cr.decided_at is not None and event.action == f"change_request.{DECISIONS[target]}"
    else:
        assert event.action == "change_request.transition"


@pytest.mark.parametrize(("start", "target"), ILLEGAL)
def test_illegal_transition_names_what_is_allowed(session: Session, cast, start: str, target: str) -> None:
    cr = make_change_request(session, "SEPSIS", status=start)
    with pytest.raises(Conflict) as err:
        move(session, cast.approver, cr.key, target)
    message = err.value.message
    assert cr.key in message
    allowed = CR_TRANSITIONS[start]
    if target == start:
        assert "already" in message
    elif allowed:
        assert all(s.replace("_", " ") in message for s in allowed), message
    else:
        assert "final" in message
    assert crs.get_change_request(session=session, actor=cast.approver, key=cr.key).status == start


@pytest.mark.parametrize("who", ["member", "pm", "outsider", "stranger"])
def test_only_approvers_decide_and_the_refusal_names_them(session: Session, cast, who: str) -> None:
    cr = make_change_request(session, "SEPSIS", status="under_review")
    with pytest.raises(Forbidden) as err:
        crs.decide_change_request(session=session, actor=getattr(cast, who), key=cr.key, decision="approve")
    assert "Grace Okafor" in err.value.message and "Henry Liu" in err.value.message
    assert crs.get_change_request(session=session, actor=cast.pm, key=cr.key).status == "under_review"


def test_admin_decides_and_decisions_take_past_tense(session: Session, cast) -> None:
    cr = make_change_request(session, "SEPSIS")
    cr = crs.decide_change_request(session=session, actor=cast.admin, key=cr.key.lower(), decision="Rejected")
    assert (cr.status, cr.decision) == ("rejected", "reject")
    with pytest.raises(Invalid, match="approve, reject or defer"):
        crs.decide_change_request(session=session, actor=cast.admin, key=cr.key, decision="maybe")


def test_patch_status_routes_decisions_through_the_permission_check(session: Session, cast) -> None:
    cr = make_change_request(session, "SEPSIS")
    crs.update_change_request(session=session, actor=cast.pm, key=cr.key, data={"status": "under_review"})
    with pytest.raises(Forbidden):
        crs.update_change_request(session=session, actor=cast.pm, key=cr.key, data={"status": "approved"})
    cr = crs.update_change_request(
        session=session, actor=cast.approver, key=cr.key, data={"status": "approved"}
    )
    assert cr.status == "approved" and cr.decided_by == "U0GRACE01"


def test_details_change_only_before_a_decision(session: Session, cast) -> None:
    cr = make_change_request(session, "SEPSIS", cost=1000)
    cr = crs.update_change_request(session=session, actor=cast.member, key=cr.key, data={"cost": 2500.5})
    assert cr.cost == 2500.5
    assert audit.history(session, "change_request", cr.key)[-1].changes == {"cost": [1000.0, 2500.5]}
    crs.decide_change_request(session=session, actor=cast.approver, key=cr.key, decision="approve")
    with pytest.raises(Conflict, match="before a decision"):
        crs.update_change_request(session=session, actor=cast.member, key=cr.key, data={"cost": 99})


def test_bring_to_status_walks_the_legal_path(session: Session, cast) -> None:
    cr = make_change_request(session, "SEPSIS", status="closed")
    actions = [e.action for e in audit.history(session, "change_request", cr.key)]
    assert actions == [
        "change_request.create",
        "change_request.approve",
        "change_request.transition",
        "change_request.transition",
    ]
    with pytest.raises(Invalid, match="cannot reach"):
        crs.bring_to_status(session=session, actor=cast.admin, key=cr.key, status="submitted")


def test_list_change_requests(session: Session, cast) -> None:
    make_change_request(session, "SEPSIS", status="under_review")
    make_change_request(session, "SEPSIS", status="approved")
    make_change_request(session, "SEPSIS")
    make_change_request(session, "SECRET")

    def keys(actor=cast.member, **filters) -> list[str]:
        return [c.key for c in crs.list_change_requests(session=session, actor=actor, filters=filters)]

    assert keys() == ["SECRET-CR1", "SEPSIS-CR1", "SEPSIS-CR2", "SEPSIS-CR3"]
    assert keys(actor=cast.outsider) == ["SEPSIS-CR1", "SEPSIS-CR2", "SEPSIS-CR3"]
    assert keys(project="SEPSIS", status="approved") == ["SEPSIS-CR2"]
    assert keys(project="sepsis", awaiting_decision=True) == ["SEPSIS-CR1", "SEPSIS-CR3"]
    with pytest.raises(NotFound):
        keys(actor=cast.outsider, project="SECRET")
