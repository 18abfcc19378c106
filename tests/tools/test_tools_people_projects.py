"""People and projects: registration, finding people from text, project membership and channels."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.builders import make_person, make_project
from tools.actor import Actor
from tools.errors import Conflict, Forbidden, Invalid, NotFound
from tools.schemas import PersonPublic, ProjectPublic
from tools.services import audit, people, projects
from tools.services.people import actor_for, find_person, resolve_owner


def test_create_person_and_read_back(session: Session, cast) -> None:
    person = people.create_person(
        session=session,
        actor=cast.admin,
        data={"slack_id": "U0KEVIN01", "name": "Kevin Park", "role": "member"},
    )
    assert PersonPublic.model_validate(person).model_dump()["slack_id"] == "U0KEVIN01"
    assert people.get_person(session=session, slack_id="<@U0KEVIN01>").name == "Kevin Park"
    [event] = audit.history(session, "person", "U0KEVIN01")
    assert event.action == "person.create" and event.changes["name"] == "Kevin Park"
    assert event.actor == "U0ADMIN01" and event.via == "api"


def test_only_admins_register_people(session: Session, cast) -> None:
    with pytest.raises(Forbidden):
        people.create_person(session=session, actor=cast.pm, data={"slack_id": "U0X", "name": "X"})


def test_duplicate_person_conflicts(session: Session, cast) -> None:
    with pytest.raises(Conflict, match="already registered"):
        people.create_person(session=session, actor=cast.admin, data={"slack_id": "U0PRIYA01", "name": "P"})


def test_bad_role_is_invalid(session: Session, cast) -> None:
    with pytest.raises(Invalid, match="role"):
        people.create_person(
            session=session, actor=cast.admin, data={"id": "U0Z", "name": "Z", "role": "boss"}
        )


def test_people_edit_their_own_name_but_not_their_role(session: Session, cast) -> None:
    people.update_person(session=session, actor=cast.member, slack_id="U0AISHA01", data={"title": "Lead DS"})
    with pytest.raises(Forbidden):
        people.update_person(session=session, actor=cast.member, slack_id="U0AISHA01", data={"role": "admin"})
    with pytest.raises(Forbidden):
        people.update_person(session=session, actor=cast.member, slack_id="U0PRIYA01", data={"name": "x"})
    person = people.update_person(
        session=session, actor=cast.admin, slack_id="U0AISHA01", data={"role": "pm"}
    )
    assert person.role == "pm"
    changes = [e.changes for e in audit.history(session, "person", "U0AISHA01")]
    assert {"title": [None, "Lead DS"]} in changes and {"role": ["member", "pm"]} in changes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@U0AISHA01>", "U0AISHA01"),
        ("<@U0AISHA01|aisha>", "U0AISHA01"),
        ("U0AISHA01", "U0AISHA01"),
        ("Aisha Khan", "U0AISHA01"),
        ("aisha khan", "U0AISHA01"),
        ("Aisha", "U0AISHA01"),
        ("Aisha Kahn", "U0AISHA01"),  # a typo still matches one person well
        ("Tomas Reyes", "U0TOMAS01"),  # accents do not matter
        ("@Grace Okafor", "U0GRACE01"),
        ("Dr. Zhivago", None),
        ("", None),
    ],
)
def test_find_person(session: Session, cast, text: str, expected: str | None) -> None:
    person = find_person(session, text)
    assert (person.slack_id if person else None) == expected


def test_ambiguous_names_match_nobody(session: Session, cast) -> None:
    make_person(session, "U0AISHA02", "Aisha Patel")
    assert find_person(session, "Aisha") is None
    assert find_person(session, "Aisha Patel").slack_id == "U0AISHA02"


def test_resolve_owner_keeps_unknown_plain_names(session: Session, cast) -> None:
    assert resolve_owner(session, "Grace") == "U0GRACE01"
    assert resolve_owner(session, "  Epic   build team ") == "Epic build team"
    assert resolve_owner(session, "<@U0UNKNOWN>") == "U0UNKNOWN"
    assert resolve_owner(session, None) is None


def test_actor_for_known_and_unknown(session: Session, cast) -> None:
    known = actor_for(session, "U0GRACE01", "slack", thread="1700.1")
    assert (known.role, known.name, known.can_decide, known.extra["thread"]) == (
        "approver",
        "Grace Okafor",
        True,
        "1700.1",
    )
    unknown = actor_for(session, "U0WHO", "api")
    assert (unknown.role, unknown.name, unknown.via) == ("member", None, "api")


def test_create_project_records_pm_members_and_channel(session: Session, cast) -> None:
    project = projects.create_project(
        session=session,
        actor=cast.pm,
        data={
            "key": "radsum",
            "name": "Radiology summaries",
            "pm": "Priya",
            "members": ["<@U0TOMAS01>"],
            "channel": "<#C0RADSUM1|proj-radsum>",
        },
    )
    public = ProjectPublic.model_validate(project)
    assert (public.key, public.pm, public.members, public.channel) == (
        "RADSUM",
        "U0PRIYA01",
        ["U0TOMAS01"],
        "C0RADSUM1",
    )
    [event] = audit.history(session, "project", "RADSUM")
    assert event.changes["members"] == ["U0TOMAS01"] and event.changes["pm"] == "U0PRIYA01"
    assert projects.project_for_channel(session, "C0RADSUM1").key == "RADSUM"


@pytest.mark.parametrize("key", ["A", "TOOLONGKEY1", "HAS-DASH", "sp ace"])
def test_bad_project_keys(session: Session, cast, key: str) -> None:
    with pytest.raises(Invalid, match="key"):
        projects.create_project(session=session, actor=cast.admin, data={"key": key, "name": "x"})


def test_project_rules(session: Session, cast) -> None:
    with pytest.raises(Conflict, match="already exists"):
        projects.create_project(session=session, actor=cast.admin, data={"key": "sepsis", "name": "again"})
    with pytest.raises(Forbidden):
        projects.create_project(session=session, actor=cast.member, data={"key": "NEW", "name": "x"})
    with pytest.raises(Invalid, match="not a registered person"):
        projects.create_project(
            session=session, actor=cast.admin, data={"key": "NEW", "name": "x", "pm": "Bob"}
        )
    with pytest.raises(Conflict, match="already linked to project SEPSIS"):
        projects.create_project(
            session=session, actor=cast.admin, data={"key": "NEW", "name": "x", "channel": "C0SEPSIS01"}
        )


def test_update_project_and_members(session: Session, cast) -> None:
    with pytest.raises(Forbidden, match="PM"):
        projects.update_project(session=session, actor=cast.member, key="SEPSIS", data={"name": "x"})
    projects.update_project(session=session, actor=cast.pm, key="SEPSIS", data={"description": "BPA in ICU"})
    projects.add_member(session=session, actor=cast.pm, key="SEPSIS", slack_id="Tomás Reyes")
    projects.link_channel(session=session, actor=cast.pm, key="SEPSIS", channel="C0SEPSIS02")
    public = ProjectPublic.model_validate(projects.get_project(session=session, actor=cast.pm, key="sepsis"))
    assert public.members == ["U0AISHA01", "U0TOMAS01"]
    assert public.channels == ["C0SEPSIS01", "C0SEPSIS02"] and public.channel == "C0SEPSIS01"
    assert projects.project_for_channel(session, "C0SEPSIS02").key == "SEPSIS"
    projects.remove_member(session=session, actor=cast.admin, key="SEPSIS", slack_id="U0TOMAS01")
    actions = [e.action for e in audit.history(session, "project", "SEPSIS")]
    assert actions == [
        "project.create",
        "project.update",
        "project.add_member",
        "project.link_channel",
        "project.remove_member",
    ]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("SEPSIS", "SEPSIS"),
        ("sepsis", "SEPSIS"),
        ("Sepsis early-warning model", "SEPSIS"),
        ("sepsis early warning", "SEPSIS"),
        ("<#C0SEPSIS01|proj-sepsis>", "SEPSIS"),
        ("cardiology", None),
        ("", None),
    ],
)
def test_resolve_project(session: Session, cast, text: str, key: str | None) -> None:
    project = projects.resolve_project(session, text)
    assert (project.key if project else None) == key


def test_unknown_project_names_the_known_ones(session: Session, cast) -> None:
    with pytest.raises(NotFound) as err:
        projects.get_project(session=session, actor=cast.outsider, key="NOPE")
    assert err.value.message == "There is no project NOPE. Known projects: SEPSIS."


def test_system_actor_sees_everything(session: Session, cast) -> None:
    keys = [p.key for p in projects.list_projects(session=session, actor=Actor.system())]
    assert keys == ["SECRET", "SEPSIS"]


def test_builders_make_unique_defaults(session: Session) -> None:
    a, b = make_person(session), make_person(session)
    assert a.slack_id != b.slack_id
    assert make_project(session).key != make_project(session).key
