"""`pmo people ...` and `pmo projects ...`."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli_common import AsOption, JsonOption, PmoGroup, cli_actor, emit, unit_of_work
from tools.schemas import PersonPublic, ProjectPublic

people_app = typer.Typer(cls=PmoGroup, help="People: Slack user ids, names and roles.", no_args_is_help=True)
projects_app = typer.Typer(
    cls=PmoGroup, help="Projects, their PMs, members and channels.", no_args_is_help=True
)

PERSON_COLUMNS = ("slack_id", "name", "role", "title", "email", "active")
PROJECT_COLUMNS = ("key", "name", "pm", "channel", "members", "private", "status")


def _set(**fields: object) -> dict[str, object]:
    """Only the options the user gave (an update must not blank out the rest)."""
    return {k: v for k, v in fields.items() if v is not None}


@people_app.command("list")
def people_list(
    role: Annotated[str | None, typer.Option(help="Only this role.")] = None, as_json: JsonOption = False
) -> None:
    """Everyone registered."""
    from tools.services import people

    with unit_of_work() as session:
        rows = [PersonPublic.model_validate(p) for p in people.list_people(session=session, role=role)]
    emit(rows, as_json, columns=PERSON_COLUMNS, title="People")


@people_app.command("show")
def people_show(slack_id: str, as_json: JsonOption = False) -> None:
    """One person."""
    from tools.services import people

    with unit_of_work() as session:
        person = PersonPublic.model_validate(people.get_person(session=session, slack_id=slack_id))
    emit(person, as_json)


@people_app.command("create")
def people_create(
    slack_id: Annotated[str, typer.Argument(help="Slack user id, e.g. U0123ABCD.")],
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[str, typer.Option(help="pm, approver, member or admin.")] = "member",
    email: Annotated[str | None, typer.Option()] = None,
    title: Annotated[str | None, typer.Option(help="Job title.")] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Register a person."""
    from tools.services import people

    data = _set(slack_id=slack_id, name=name, role=role, email=email, title=title)
    with unit_of_work() as session:
        person = people.create_person(session=session, actor=cli_actor(session, as_user), data=data)
        out = PersonPublic.model_validate(person)
    emit(out, as_json, title=f"Registered {out.name} ({out.slack_id}, {out.role}).")


@people_app.command("update")
def people_update(
    slack_id: str,
    name: Annotated[str | None, typer.Option()] = None,
    role: Annotated[str | None, typer.Option()] = None,
    email: Annotated[str | None, typer.Option()] = None,
    title: Annotated[str | None, typer.Option()] = None,
    active: Annotated[bool | None, typer.Option("--active/--inactive")] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change a person's name, role, email, title or active flag."""
    from tools.services import people

    data = _set(name=name, role=role, email=email, title=title, active=active)
    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        out = PersonPublic.model_validate(
            people.update_person(session=session, actor=actor, slack_id=slack_id, data=data)
        )
    emit(out, as_json, title=f"Updated {out.slack_id}.")


@projects_app.command("list")
def projects_list(as_user: AsOption = None, as_json: JsonOption = False) -> None:
    """Projects (those visible to --as, or all)."""
    from tools.services import projects

    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        rows = [ProjectPublic.model_validate(p) for p in projects.list_projects(session=session, actor=actor)]
    emit(rows, as_json, columns=PROJECT_COLUMNS, title="Projects")


@projects_app.command("show")
def projects_show(key: str, as_user: AsOption = None, as_json: JsonOption = False) -> None:
    """One project."""
    from tools.services import projects

    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        out = ProjectPublic.model_validate(projects.get_project(session=session, actor=actor, key=key))
    emit(out, as_json)


@projects_app.command("create")
def projects_create(
    key: Annotated[str, typer.Argument(help="2-10 upper-case letters or digits, e.g. SEPSIS.")],
    name: Annotated[str, typer.Option(help="The project's name.")],
    channel: Annotated[str | None, typer.Option(help="Slack channel id.")] = None,
    pm: Annotated[str | None, typer.Option(help="The PM's Slack user id.")] = None,
    description: Annotated[str | None, typer.Option()] = None,
    member: Annotated[list[str] | None, typer.Option(help="A member's Slack id (repeatable).")] = None,
    private: Annotated[bool, typer.Option("--private/--public", help="Visible to members only.")] = False,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a project."""
    from tools.services import projects

    data = _set(key=key, name=name, channel=channel, pm=pm, description=description, members=member or None)
    data["private"] = private
    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        out = ProjectPublic.model_validate(projects.create_project(session=session, actor=actor, data=data))
    emit(out, as_json, title=f"Created project {out.key} ({out.name}).")


@projects_app.command("update")
def projects_update(
    key: str,
    name: Annotated[str | None, typer.Option()] = None,
    channel: Annotated[str | None, typer.Option()] = None,
    pm: Annotated[str | None, typer.Option()] = None,
    description: Annotated[str | None, typer.Option()] = None,
    status: Annotated[str | None, typer.Option(help="active, on_hold or closed.")] = None,
    private: Annotated[bool | None, typer.Option("--private/--public")] = None,
    add_member: Annotated[list[str] | None, typer.Option(help="Add a member (repeatable).")] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change a project's settings and add members."""
    from tools.services import projects

    data = _set(name=name, channel=channel, pm=pm, description=description, status=status, private=private)
    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        project = None
        if data or not add_member:
            project = projects.update_project(session=session, actor=actor, key=key, data=data)
        for slack_id in add_member or []:
            project = projects.add_member(session=session, actor=actor, key=key, slack_id=slack_id)
        out = ProjectPublic.model_validate(project)
    emit(out, as_json, title=f"Updated project {out.key}.")


def register(app: typer.Typer) -> None:
    app.add_typer(people_app, name="people")
    app.add_typer(projects_app, name="projects")
