"""`pmo crs ...`, `pmo milestones ...` and `pmo status ...`."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli_common import AsOption, JsonOption, PmoGroup, cli_actor, emit, fail, get_container, unit_of_work
from tools.schemas import (
    AuditEventPublic,
    ChangeRequestPublic,
    MilestonePublic,
    ProjectStatusPublic,
    StatusUpdatePublic,
)

crs_app = typer.Typer(cls=PmoGroup, help="Change requests and their decisions.", no_args_is_help=True)
milestones_app = typer.Typer(cls=PmoGroup, help="Milestones.", no_args_is_help=True)
status_app = typer.Typer(
    cls=PmoGroup, help="Weekly status updates and the project roll-up.", no_args_is_help=True
)

CR_COLUMNS = ("key", "title", "priority", "status", "schedule_days", "cost", "requested_by", "decided_by")
MILESTONE_COLUMNS = ("key", "title", "due_date", "status", "slip_days", "owner")
STATUS_COLUMNS = ("as_of", "project", "overall", "schedule", "budget", "scope", "summary")
HISTORY_COLUMNS = ("at", "actor", "via", "action", "summary")

Opt = typer.Option
ProjectOpt = Annotated[str | None, Opt("--project", "-p", help="Project key.")]


def _set(**fields: object) -> dict[str, object]:
    return {k: v for k, v in fields.items() if v is not None}


# -- change requests ------------------------------------------------------------------------------
@crs_app.command("list")
def crs_list(
    project: ProjectOpt = None,
    status: Annotated[str | None, Opt(help="submitted, under_review, approved, ...")] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change requests."""
    from tools.services import change_requests

    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        found = change_requests.list_change_requests(
            session=session, actor=actor, filters=_set(project=project, status=status)
        )
        rows = [ChangeRequestPublic.model_validate(r) for r in found]
    emit(rows, as_json, columns=CR_COLUMNS, title="Change requests")


@crs_app.command("show")
def crs_show(key: str, as_user: AsOption = None, as_json: JsonOption = False) -> None:
    """One change request."""
    from tools.services import change_requests

    with unit_of_work() as session:
        cr = change_requests.get_change_request(session=session, actor=cli_actor(session, as_user), key=key)
        out = ChangeRequestPublic.model_validate(cr)
    emit(out, as_json)


@crs_app.command("history")
def crs_history(key: str, as_user: AsOption = None, as_json: JsonOption = False) -> None:
    """Every audited change to a change request."""
    from tools.services import audit, change_requests

    with unit_of_work() as session:
        cr = change_requests.get_change_request(session=session, actor=cli_actor(session, as_user), key=key)
        rows = [AuditEventPublic.model_validate(e) for e in audit.history(session, "change_request", cr.key)]
    emit(rows, as_json, columns=HISTORY_COLUMNS, title=f"History of {cr.key}")


@crs_app.command("create")
def crs_create(
    project: Annotated[str, Opt("--project", "-p", help="Project key.")],
    title: Annotated[str, Opt(help="What should change.")],
    description: Annotated[str | None, Opt()] = None,
    reason: Annotated[str | None, Opt(help="Why.")] = None,
    schedule_days: Annotated[int | None, Opt(help="Schedule impact in days.")] = None,
    cost: Annotated[float | None, Opt(help="Cost impact in USD.")] = None,
    scope: Annotated[str | None, Opt(help="Scope impact.")] = None,
    priority: Annotated[str | None, Opt(help="low, medium, high or urgent.")] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """File a change request."""
    from tools.services import change_requests

    data = _set(
        project=project, title=title, description=description, reason=reason, schedule_days=schedule_days,
        cost=cost, scope=scope, priority=priority,
    )  # fmt: skip
    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        out = ChangeRequestPublic.model_validate(
            change_requests.file_change_request(session=session, actor=actor, data=data)
        )
    emit(out, as_json, title=f"Filed {out.key}: {out.title} ({out.status}).")


@crs_app.command("update")
def crs_update(
    key: str,
    status: Annotated[str | None, Opt(help="under_review, implemented or closed.")] = None,
    title: Annotated[str | None, Opt()] = None,
    description: Annotated[str | None, Opt()] = None,
    reason: Annotated[str | None, Opt()] = None,
    schedule_days: Annotated[int | None, Opt()] = None,
    cost: Annotated[float | None, Opt()] = None,
    scope: Annotated[str | None, Opt()] = None,
    priority: Annotated[str | None, Opt()] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Edit a change request, or move it along its lifecycle with --status."""
    from tools.services import change_requests

    data = _set(
        title=title, description=description, reason=reason, schedule_days=schedule_days, cost=cost,
        scope=scope, priority=priority,
    )  # fmt: skip
    if not data and status is None:
        fail("Nothing to change: give --status or a field to edit.")
    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        data = {**data, **_set(status=status)}
        cr = change_requests.update_change_request(session=session, actor=actor, key=key, data=data)
        out = ChangeRequestPublic.model_validate(cr)
    emit(out, as_json, title=f"Updated {out.key} ({out.status}).")


@crs_app.command("decide")
def crs_decide(
    key: str,
    decision: Annotated[str, typer.Argument(help="approve, reject or defer.")],
    comment: Annotated[str | None, Opt(help="The reason for the decision.")] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Approve, reject or defer a change request (approvers and admins)."""
    from tools.services import change_requests

    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        cr = change_requests.decide_change_request(
            session=session, actor=actor, key=key, decision=decision, comment=comment
        )
        out = ChangeRequestPublic.model_validate(cr)
    emit(out, as_json, title=f"{out.key} is {out.status}.")


# -- milestones -----------------------------------------------------------------------------------
@milestones_app.command("list")
def milestones_list(
    project: ProjectOpt = None,
    status: Annotated[str | None, Opt(help="planned, in_progress, completed or missed.")] = None,
    due_within_days: Annotated[int | None, Opt(help="Due in the next N days.")] = None,
    overdue: Annotated[bool, Opt(help="Only overdue ones.")] = False,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Milestones, soonest first."""
    from tools.services import milestones

    filters = _set(project=project, status=status, due_within_days=due_within_days, overdue=overdue or None)
    container = get_container()
    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        found = milestones.list_milestones(
            session=session, actor=actor, filters=filters, today=container.today()
        )
        rows = [MilestonePublic.model_validate(m) for m in found]
    emit(rows, as_json, columns=MILESTONE_COLUMNS, title="Milestones")


@milestones_app.command("show")
def milestones_show(key: str, as_user: AsOption = None, as_json: JsonOption = False) -> None:
    """One milestone."""
    from tools.services import milestones

    with unit_of_work() as session:
        found = milestones.get_milestone(session=session, actor=cli_actor(session, as_user), key=key)
        out = MilestonePublic.model_validate(found)
    emit(out, as_json)


@milestones_app.command("create")
def milestones_create(
    project: Annotated[str, Opt("--project", "-p", help="Project key.")],
    title: Annotated[str, Opt()],
    due_date: Annotated[str, Opt("--due-date", "--due", help="YYYY-MM-DD.")],
    owner: Annotated[str | None, Opt()] = None,
    description: Annotated[str | None, Opt()] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a milestone."""
    from tools.services import milestones

    data = _set(title=title, due_date=due_date, owner=owner, description=description)
    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        found = milestones.create_milestone(
            session=session, actor=actor, project=project, data=data, today=get_container().today()
        )
        out = MilestonePublic.model_validate(found)
    emit(out, as_json, title=f"Added {out.key}: {out.title}, due {out.due_date}.")


@milestones_app.command("update")
def milestones_update(
    key: str,
    status: Annotated[str | None, Opt(help="planned, in_progress, completed or missed.")] = None,
    due_date: Annotated[str | None, Opt("--due-date", "--due")] = None,
    title: Annotated[str | None, Opt()] = None,
    owner: Annotated[str | None, Opt()] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change a milestone's status or due date."""
    from tools.services import milestones

    data = _set(status=status, due_date=due_date, title=title, owner=owner)
    if not data:
        fail("Nothing to change: give --status, --due-date, --title or --owner.")
    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        out = MilestonePublic.model_validate(
            milestones.update_milestone(
                session=session, actor=actor, key=key, data=data, today=get_container().today()
            )
        )
    emit(out, as_json, title=f"Updated {out.key} ({out.status}, due {out.due_date}).")


# -- status updates -------------------------------------------------------------------------------
@status_app.command("list")
def status_list(
    project: Annotated[str, Opt("--project", "-p", help="Project key.")],
    limit: Annotated[int, Opt(help="How many, newest first.")] = 10,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """A project's status updates, newest first."""
    from tools.services import status

    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        found = status.list_status_updates(session=session, actor=actor, project=project, limit=limit)
        rows = [StatusUpdatePublic.model_validate(u) for u in found]
    emit(rows, as_json, columns=STATUS_COLUMNS, title="Status updates")


@status_app.command("show")
def status_show(
    project: Annotated[str, typer.Argument(help="Project key.")],
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """The project's roll-up: latest RAG, open risks, top risks, milestones, decisions needed."""
    from tools.services import status

    container = get_container()
    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        out = status.project_status(session=session, actor=actor, project=project, today=container.today())
    if as_json:
        emit(out, True)
    else:
        typer.echo(render_rollup(out))


@status_app.command("create")
def status_create(
    project: Annotated[str, Opt("--project", "-p", help="Project key.")],
    overall: Annotated[str, Opt(help="green, amber or red.")],
    summary: Annotated[str, Opt(help="What happened and what is next.")],
    schedule: Annotated[str | None, Opt()] = None,
    budget: Annotated[str | None, Opt()] = None,
    scope: Annotated[str | None, Opt()] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Post a status update."""
    from tools.services import status

    data = _set(
        project=project, overall=overall, summary=summary, schedule=schedule, budget=budget, scope=scope
    )
    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        out = StatusUpdatePublic.model_validate(
            status.post_status_update(session=session, actor=actor, data=data, today=get_container().today())
        )
    emit(out, as_json, title=f"Posted {out.project} status ({out.overall}) as of {out.as_of}.")


def render_rollup(s: ProjectStatusPublic) -> str:
    """The roll-up as a short terminal report."""
    rag = ", ".join(
        f"{k} {v}" for k, v in (("schedule", s.schedule), ("budget", s.budget), ("scope", s.scope)) if v
    )
    lines = [f"{s.project}: {s.name} (as of {s.today})"]
    lines.append(f"Overall {s.overall or 'not reported yet'}" + (f" ({rag})" if rag else ""))
    if s.summary:
        lines.append(f"  {s.summary}")
    by_rating = ", ".join(f"{n} {r}" for r, n in s.open_risks.items() if n)
    lines.append(f"Open risks: {s.open_risk_total}" + (f" ({by_rating})" if by_rating else ""))
    for r in s.top_risks:
        extra = ", ".join(
            x for x in (r.owner and f"owner {r.owner}", r.due_date and f"due {r.due_date}") if x
        )
        lines.append(f"  {r.key} {r.rating} {r.score}: {r.title}" + (f" ({extra})" if extra else ""))
    for title, items in (
        ("Overdue milestones", s.overdue_milestones),
        ("Next milestones", s.upcoming_milestones),
    ):
        if items:
            lines.append(f"{title}:")
            lines.extend(f"  {m.key} {m.due_date} {m.status}: {m.title}" for m in items)
    if s.awaiting_decision:
        lines.append("Awaiting decision:")
        lines.extend(f"  {c.key} {c.status}: {c.title}" for c in s.awaiting_decision)
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    app.add_typer(crs_app, name="crs")
    app.add_typer(milestones_app, name="milestones")
    app.add_typer(status_app, name="status")
