"""The `pmo` command line: serve (the default), db, token, records, import/export, demo."""

from __future__ import annotations

from typing import Annotated

import typer

from api import cli_changes, cli_chat, cli_digest, cli_knowledge, cli_records, cli_risks, cli_slack
from api.cli_common import PmoGroup, fail, get_container, unit_of_work
from tools.actor import Actor

app = typer.Typer(
    name="pmo",
    cls=PmoGroup,
    help="PMO Assistant: project status, risks, change requests and milestones. With no command: serve.",
    invoke_without_command=True,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(cls=PmoGroup, help="The relational store.", no_args_is_help=True)
token_app = typer.Typer(cls=PmoGroup, help="API bearer tokens.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(token_app, name="token")

HostOption = Annotated[str, typer.Option(help="Interface to listen on.")]
PortOption = Annotated[int, typer.Option(help="Port to listen on.")]


@app.callback()
def root(ctx: typer.Context) -> None:
    """With no command, `pmo` serves the app on 127.0.0.1:8000."""
    if ctx.invoked_subcommand is None:
        serve(host="127.0.0.1", port=8000, warm=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to the latest revision (safe to repeat)."""
    from tools.db import upgrade

    container = get_container()
    upgrade(container.settings.db_url)
    typer.echo("Database is up to date.")


@app.command()
def serve(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    warm: Annotated[bool, typer.Option("--warm/--no-warm", help="Load the model in the background.")] = True,
) -> None:
    """Serve the API, the dashboard and (with Slack credentials) /slack/events."""
    import uvicorn

    from api.app import create_app

    container = get_container()
    web = create_app(container)
    if warm:
        container.warm_up()
    typer.echo(f"PMO Assistant on http://{host}:{port}  (API docs: /docs)")
    uvicorn.run(web, host=host, port=port, log_level=container.settings.log_level.lower())


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Argument(help="What the token is for, e.g. 'ci' or 'dashboard'.")],
    role: Annotated[str, typer.Option(help="pm, approver, member or admin.")] = "member",
    person: Annotated[str | None, typer.Option(help="Act as this person (Slack user id).")] = None,
) -> None:
    """Create an API token and print it once (only its hash is stored)."""
    from tools.services import tokens

    with unit_of_work() as session:
        token, plaintext = tokens.create_token(
            session=session, actor=Actor.system("cli"), name=name, role=role, person_slack_id=person
        )
        label = f"{token.name} ({token.role}{', as ' + person if person else ''})"
    typer.echo(plaintext)
    typer.echo(f"Created token {label}; it is shown only this once.", err=True)


@app.command()
def demo(
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the app after loading.")
    ] = True,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    ingest: Annotated[bool, typer.Option("--ingest/--no-ingest", help="Index the demo documents.")] = True,
) -> None:
    """Load the demo portfolio (idempotent), index its documents, then serve."""
    from api.demo import load_demo

    container = get_container()
    container.ensure_migrated()
    report = load_demo(container, ingest=ingest, progress=typer.echo)
    typer.echo(report.summary())
    if serve_after:
        serve(host=host, port=port, warm=True)


cli_records.register(app)
cli_risks.register(app)
cli_changes.register(app)
cli_knowledge.register(app)  # before cli_chat: both add to the `eval` group
cli_chat.register(app)
cli_digest.register(app)
cli_slack.register(app)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        fail("Interrupted.", code=130)
