"""`pmo risks ...`: the register, one risk, log, update, close, history, import and export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli_common import AsOption, JsonOption, PmoGroup, cli_actor, emit, fail, unit_of_work
from tools.schemas import AuditEventPublic, RiskPublic

risks_app = typer.Typer(cls=PmoGroup, help="The risk register.", no_args_is_help=True)

RISK_COLUMNS = (
    "key",
    "title",
    "category",
    "probability",
    "impact",
    "score",
    "rating",
    "owner",
    "status",
    "due_date",
)
HISTORY_COLUMNS = ("at", "actor", "via", "action", "summary")

ProjectOpt = Annotated[str | None, typer.Option("--project", "-p", help="Project key.")]
Opt = typer.Option


def _set(**fields: object) -> dict[str, object]:
    return {k: v for k, v in fields.items() if v is not None}


@risks_app.command("list")
def risks_list(
    project: ProjectOpt = None,
    status: Annotated[str | None, Opt(help="open, monitoring or closed.")] = None,
    min_rating: Annotated[str | None, Opt(help="Low, Medium, High or Critical.")] = None,
    owner: Annotated[str | None, Opt(help="Owner's Slack id or name.")] = None,
    category: Annotated[str | None, Opt(help="e.g. data, model, privacy, vendor.")] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """The register, highest score first."""
    from tools.services import risks

    filters = _set(project=project, status=status, min_rating=min_rating, owner=owner, category=category)
    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        rows = [
            RiskPublic.model_validate(r)
            for r in risks.list_risks(session=session, actor=actor, filters=filters)
        ]
    emit(rows, as_json, columns=RISK_COLUMNS, title="Risks")


@risks_app.command("show")
def risks_show(key: str, as_user: AsOption = None, as_json: JsonOption = False) -> None:
    """One risk."""
    from tools.services import risks

    with unit_of_work() as session:
        out = RiskPublic.model_validate(
            risks.get_risk(session=session, actor=cli_actor(session, as_user), key=key)
        )
    emit(out, as_json)


@risks_app.command("history")
def risks_history(key: str, as_user: AsOption = None, as_json: JsonOption = False) -> None:
    """Every audited change to a risk."""
    from tools.services import audit, risks

    with unit_of_work() as session:
        risk = risks.get_risk(session=session, actor=cli_actor(session, as_user), key=key)
        rows = [AuditEventPublic.model_validate(e) for e in audit.history(session, "risk", risk.key)]
    emit(rows, as_json, columns=HISTORY_COLUMNS, title=f"History of {key.upper()}")


@risks_app.command("create")
def risks_create(
    project: Annotated[str, Opt("--project", "-p", help="Project key.")],
    title: Annotated[str, Opt(help="What could go wrong.")],
    probability: Annotated[str, Opt(help="1-5 or a word (low, likely, very high...).")],
    impact: Annotated[str, Opt(help="1-5 or a word.")],
    description: Annotated[str | None, Opt()] = None,
    category: Annotated[str | None, Opt()] = None,
    owner: Annotated[str | None, Opt(help="Slack id or name.")] = None,
    response: Annotated[str | None, Opt(help="avoid, mitigate, transfer, accept, escalate.")] = None,
    mitigation: Annotated[str | None, Opt()] = None,
    due_date: Annotated[str | None, Opt("--due-date", "--due", help="YYYY-MM-DD.")] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Log a risk."""
    from tools.services import risks

    data = _set(
        project=project, title=title, probability=probability, impact=impact, description=description,
        category=category, owner=owner, response=response, mitigation=mitigation, due_date=due_date,
    )  # fmt: skip
    with unit_of_work() as session:
        out = RiskPublic.model_validate(
            risks.log_risk(session=session, actor=cli_actor(session, as_user), data=data)
        )
    emit(out, as_json, title=f"Logged {out.key}: {out.title} ({out.rating}, score {out.score}).")


@risks_app.command("update")
def risks_update(
    key: str,
    title: Annotated[str | None, Opt()] = None,
    probability: Annotated[str | None, Opt()] = None,
    impact: Annotated[str | None, Opt()] = None,
    owner: Annotated[str | None, Opt()] = None,
    status: Annotated[str | None, Opt(help="open, monitoring or closed.")] = None,
    response: Annotated[str | None, Opt()] = None,
    mitigation: Annotated[str | None, Opt()] = None,
    category: Annotated[str | None, Opt()] = None,
    description: Annotated[str | None, Opt()] = None,
    due_date: Annotated[str | None, Opt("--due-date", "--due")] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Re-score, re-assign or otherwise change a risk."""
    from tools.services import risks

    data = _set(
        title=title, probability=probability, impact=impact, owner=owner, status=status, response=response,
        mitigation=mitigation, category=category, description=description, due_date=due_date,
    )  # fmt: skip
    if not data:
        fail("Nothing to change: give at least one option (see `pmo risks update --help`).")
    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        out = RiskPublic.model_validate(risks.update_risk(session=session, actor=actor, key=key, data=data))
    emit(out, as_json, title=f"Updated {out.key} ({out.rating}, score {out.score}, {out.status}).")


@risks_app.command("close")
def risks_close(
    key: str,
    reason: Annotated[str | None, Opt(help="Why it is closed.")] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Close a risk."""
    from tools.services import risks

    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        out = RiskPublic.model_validate(
            risks.close_risk(session=session, actor=actor, key=key, reason=reason)
        )
    emit(out, as_json, title=f"Closed {out.key}.")


@risks_app.command("import")
def risks_import(
    file: Annotated[Path, typer.Argument(help="A .csv or .xlsx risk register.", exists=True, dir_okay=False)],
    project: Annotated[str, Opt("--project", "-p", help="Project key to import into.")],
    as_user: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import a risk register; every row is checked first and nothing is written if any row is bad."""
    from tools.services import risk_register

    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        created = risk_register.import_risks(session=session, actor=actor, project=project, path=file)
        rows = [RiskPublic.model_validate(r) for r in created]
    if as_json:
        emit(rows, True)
    else:
        typer.echo(f"Imported {len(rows)} risks into {project.upper()}: " + ", ".join(r.key for r in rows))


@risks_app.command("export")
def risks_export(
    project: Annotated[str, Opt("--project", "-p", help="Project key.")],
    fmt: Annotated[str, Opt("--format", "-f", help="csv or xlsx.")] = "csv",
    out: Annotated[Path | None, Opt("--out", "-o", help="File to write (default: stdout for csv).")] = None,
    as_user: AsOption = None,
) -> None:
    """Export a project's register with the columns `pmo risks import` reads."""
    from tools.services import risk_register

    fmt = fmt.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        fail(f"'{fmt}' is not a format I can write; use csv or xlsx.")
    if fmt == "xlsx" and out is None:
        out = Path(f"{project.upper()}-risks.xlsx")
    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        data = risk_register.export_risks(session=session, actor=actor, project=project, fmt=fmt)
    if out is None:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    out.write_bytes(data)
    typer.echo(f"Wrote {out}.", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(risks_app, name="risks")
