"""Who sees and changes what: private projects are invisible to outsiders, writes need registration."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.builders import make_change_request, make_milestone, make_risk
from tools.errors import Forbidden, NotFound
from tools.services import change_requests, milestones, projects, risks, status
from tools.services.access import visible_project_keys

RISK = {"title": "x", "probability": 2, "impact": 2}


def test_visible_project_keys(session: Session, cast) -> None:
    assert visible_project_keys(session, cast.admin) is None
    assert visible_project_keys(session, cast.pm) == {"SEPSIS", "SECRET"}
    assert visible_project_keys(session, cast.member) == {"SEPSIS", "SECRET"}
    assert visible_project_keys(session, cast.approver) == {"SEPSIS"}
    assert visible_project_keys(session, cast.stranger) == {"SEPSIS"}
    assert projects.visible_project_keys is visible_project_keys


@pytest.mark.parametrize("who", ["outsider", "stranger", "approver"])
def test_private_project_reads_are_not_found(session: Session, cast, who: str, today) -> None:
    make_risk(session, "SECRET", "hidden risk")
    make_change_request(session, "SECRET")
    make_milestone(session, "SECRET")
    actor = getattr(cast, who)
    reads = [
        lambda: projects.get_project(session=session, actor=actor, key="SECRET"),
        lambda: risks.get_risk(session=session, actor=actor, key="SECRET-R1"),
        lambda: change_requests.get_change_request(session=session, actor=actor, key="SECRET-CR1"),
        lambda: milestones.get_milestone(session=session, actor=actor, key="SECRET-M1"),
        lambda: risks.list_risks(session=session, actor=actor, filters={"project": "SECRET"}),
        lambda: status.project_status(session=session, actor=actor, project="SECRET", today=today),
        lambda: risks.log_risk(session=session, actor=actor, data={"project": "SECRET", **RISK}),
    ]
    for read in reads:
        with pytest.raises(NotFound) as err:
            read()
        message = err.value.message
        assert message.startswith("There is no") and "SECRET" in message
        assert "Known projects" not in message or message.endswith("Known projects: SEPSIS.")
    assert all(r.project.key != "SECRET" for r in risks.list_risks(session=session, actor=actor))
    assert "SECRET" not in [p.key for p in projects.list_projects(session=session, actor=actor)]


@pytest.mark.parametrize("who", ["pm", "member", "admin"])
def test_members_pm_and_admin_see_and_write_private_projects(session: Session, cast, who: str) -> None:
    actor = getattr(cast, who)
    risk = risks.log_risk(session=session, actor=actor, data={"project": "SECRET", **RISK})
    assert risks.get_risk(session=session, actor=actor, key=risk.key).key == "SECRET-R1"


def test_unregistered_people_cannot_write_public_projects(session: Session, cast) -> None:
    with pytest.raises(Forbidden, match="registered"):
        risks.log_risk(session=session, actor=cast.stranger, data={"project": "SEPSIS", **RISK})
    risk = make_risk(session, "SEPSIS")
    assert risks.get_risk(session=session, actor=cast.stranger, key=risk.key)  # reading is fine
    with pytest.raises(Forbidden):
        risks.close_risk(session=session, actor=cast.stranger, key=risk.key)
    with pytest.raises(Forbidden):
        change_requests.file_change_request(
            session=session, actor=cast.stranger, data={"project": "SEPSIS", "title": "x"}
        )


def test_any_registered_person_writes_public_projects(session: Session, cast) -> None:
    risk = risks.log_risk(session=session, actor=cast.outsider, data={"project": "SEPSIS", **RISK})
    assert risk.created_by == "U0TOMAS01"


def test_deactivated_people_cannot_write(session: Session, cast) -> None:
    from tools.services import people

    people.update_person(session=session, actor=cast.admin, slack_id="U0TOMAS01", data={"active": False})
    actor = people.actor_for(session, "U0TOMAS01", "slack")
    with pytest.raises(Forbidden):
        risks.log_risk(session=session, actor=actor, data={"project": "SEPSIS", **RISK})
