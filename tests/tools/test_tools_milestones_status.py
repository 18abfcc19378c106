"""Milestones (slips, due windows, overdue), status updates and the project status roll-up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from tests.builders import make_change_request, make_milestone, make_risk, make_status_update
from tools.errors import Invalid, NotFound
from tools.schemas import MilestonePublic, ProjectStatusPublic
from tools.services import audit, milestones, status


def test_create_milestone(session: Session, cast, today: date) -> None:
    m = milestones.create_milestone(
        session=session,
        actor=cast.pm,
        project="sepsis",
        data={"title": "Silent mode done", "due_date": "2027-01-29", "owner": "Aisha"},
        today=today,
    )
    public = MilestonePublic.model_validate(m)
    assert (public.key, public.status, public.owner, public.original_due_date, public.slip_days) == (
        "SEPSIS-M1",
        "planned",
        "U0AISHA01",
        date(2027, 1, 29),
        0,
    )
    [event] = audit.history(session, "milestone", "SEPSIS-M1")
    assert event.changes["due_date"] == "2027-01-29"


@pytest.mark.parametrize(
    "bad", [{"due_date": "Jan 29"}, {"due_date": None}, {"status": "done"}, {"title": ""}]
)
def test_create_milestone_bad_input(session: Session, cast, bad: dict) -> None:
    with pytest.raises(Invalid):
        milestones.create_milestone(
            session=session,
            actor=cast.pm,
            project="SEPSIS",
            data={"title": "x", "due_date": "2027-01-01", **bad},
        )


def test_moving_the_due_date_keeps_the_original(session: Session, cast, today: date) -> None:
    make_milestone(session, "SEPSIS", "Go-live", due_date="2026-12-01")
    m = milestones.update_milestone(
        session=session, actor=cast.pm, key="SEPSIS-M1", data={"due_date": "2026-12-15"}
    )
    m = milestones.update_milestone(
        session=session, actor=cast.pm, key="SEPSIS-M1", data={"due_date": "2026-12-22"}
    )
    public = MilestonePublic.model_validate(m)
    assert (public.due_date, public.original_due_date, public.slip_days) == (
        date(2026, 12, 22),
        date(2026, 12, 1),
        21,
    )
    event = audit.history(session, "milestone", "SEPSIS-M1")[-1]
    assert event.changes == {"due_date": ["2026-12-15", "2026-12-22"]}
    assert "+21 days" in event.summary


def test_completing_records_the_day(session: Session, cast, today: date) -> None:
    make_milestone(session, "SEPSIS", due_date="2026-12-01")
    m = milestones.update_milestone(
        session=session, actor=cast.member, key="sepsis-m1", data={"status": "completed"}, today=today
    )
    assert (m.status, m.completed_on) == ("completed", today)
    m = milestones.update_milestone(
        session=session, actor=cast.member, key="SEPSIS-M1", data={"status": "in_progress"}, today=today
    )
    assert m.completed_on is None


def test_unknown_milestone(session: Session, cast) -> None:
    with pytest.raises(NotFound, match="no milestone SEPSIS-M7"):
        milestones.update_milestone(
            session=session, actor=cast.pm, key="SEPSIS-M7", data={"status": "missed"}
        )


def test_list_milestones_windows(session: Session, cast, today: date) -> None:
    make_milestone(session, "SEPSIS", "overdue", due_date=today - timedelta(3), status="in_progress")
    make_milestone(session, "SEPSIS", "done", due_date=today - timedelta(10), status="completed")
    make_milestone(session, "SEPSIS", "today", due_date=today)
    make_milestone(session, "SEPSIS", "soon", due_date=today + timedelta(7))
    make_milestone(session, "SEPSIS", "later", due_date=today + timedelta(40))
    make_milestone(session, "SECRET", "hidden", due_date=today + timedelta(2))

    def titles(actor=cast.outsider, **filters) -> list[str]:
        rows = milestones.list_milestones(session=session, actor=actor, filters=filters, today=today)
        return [m.title for m in rows]

    assert titles() == ["done", "overdue", "today", "soon", "later"]
    assert titles(actor=cast.member) == ["done", "overdue", "today", "hidden", "soon", "later"]
    assert titles(due_within_days=7) == ["today", "soon"]
    assert titles(due_within_days=0) == ["today"]
    assert titles(overdue=True) == ["overdue"]
    assert titles(status="completed") == ["done"]
    assert titles(project="SEPSIS", due_within_days=60) == ["today", "soon", "later"]


def test_status_update(session: Session, cast, today: date) -> None:
    update = status.post_status_update(
        session=session,
        actor=cast.pm,
        today=today,
        data={
            "project": "SEPSIS",
            "overall": "Amber",
            "schedule": "red",
            "summary": "BPA build slot slipped.",
        },
    )
    assert (update.overall, update.schedule, update.budget, update.as_of, update.author) == (
        "amber",
        "red",
        None,
        today,
        "U0PRIYA01",
    )
    [event] = audit.history(session, "status_update", str(update.id))
    assert event.project_key == "SEPSIS" and event.changes["overall"] == "amber"
    with pytest.raises(Invalid, match="green, amber or red"):
        status.post_status_update(
            session=session, actor=cast.pm, data={"project": "SEPSIS", "overall": "yellow", "summary": "x"}
        )
    with pytest.raises(Invalid, match="summary"):
        status.post_status_update(
            session=session, actor=cast.pm, data={"project": "SEPSIS", "overall": "green"}
        )


def test_list_status_updates_newest_first(session: Session, cast) -> None:
    make_status_update(session, "SEPSIS", "green", "week 1", as_of="2026-11-10")
    make_status_update(session, "SEPSIS", "amber", "week 3", as_of="2026-11-24")
    make_status_update(session, "SEPSIS", "red", "week 2", as_of="2026-11-17")
    rows = status.list_status_updates(session=session, actor=cast.pm, project="SEPSIS", limit=2)
    assert [r.summary for r in rows] == ["week 3", "week 2"]


def test_project_status_rolls_everything_up(session: Session, cast, today: date) -> None:
    for p, i in [(5, 5), (4, 4), (4, 3), (3, 3), (2, 2), (1, 1)]:
        make_risk(session, "SEPSIS", f"risk {p}x{i}", probability=p, impact=i)
    make_risk(session, "SEPSIS", "closed one", probability=5, impact=5, status="closed")
    make_risk(session, "SECRET", "elsewhere", probability=5, impact=5)
    make_milestone(session, "SEPSIS", "late", due_date=today - timedelta(1))
    make_milestone(session, "SEPSIS", "next week", due_date=today + timedelta(7))
    make_milestone(session, "SEPSIS", "next quarter", due_date=today + timedelta(90))
    make_change_request(session, "SEPSIS", "waiting", status="under_review")
    make_change_request(session, "SEPSIS", "new")
    make_change_request(session, "SEPSIS", "done", status="approved")
    make_status_update(session, "SEPSIS", "amber", "Old news", as_of="2026-11-10")
    make_status_update(session, "SEPSIS", "red", "Drift detected", schedule="amber", as_of="2026-11-23")

    result = status.project_status(session=session, actor=cast.outsider, project="sepsis", today=today)
    assert isinstance(result, ProjectStatusPublic)
    assert (result.overall, result.schedule, result.summary) == ("red", "amber", "Drift detected")
    assert result.latest_status.summary == "Drift detected"
    assert result.open_risks == {"Low": 2, "Medium": 1, "High": 2, "Critical": 1}
    assert result.open_risk_total == 6
    assert [r.title for r in result.top_risks] == ["risk 5x5", "risk 4x4", "risk 4x3", "risk 3x3", "risk 2x2"]
    assert [m.title for m in result.upcoming_milestones] == ["next week"]
    assert [m.title for m in result.overdue_milestones] == ["late"]
    assert [c.title for c in result.awaiting_decision] == ["waiting", "new"]
    assert result.model_dump(mode="json")["today"] == "2026-11-24"


def test_project_status_of_an_empty_project(session: Session, cast, today: date) -> None:
    result = status.project_status(session=session, actor=cast.pm, project="SEPSIS", today=today)
    assert result.overall is None and result.latest_status is None
    assert result.open_risks == {"Low": 0, "Medium": 0, "High": 0, "Critical": 0} and result.top_risks == []
