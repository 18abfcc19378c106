"""`pmo digest`: print (and post) a digest; `pmo digest subscribe|list|unsubscribe` manage schedules."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli_common import (
    AsOption,
    JsonOption,
    PmoGroup,
    cli_actor,
    emit,
    get_container,
    print_json,
    unit_of_work,
)
from bot.digest.build import build_digest
from bot.digest.render import render_text
from bot.digest.subscriptions import list_subscriptions, subscribe, subscription_dict, unsubscribe

digest_app = typer.Typer(cls=PmoGroup, help="Weekly digests: print or post one, manage subscriptions.",
                         invoke_without_command=True)  # fmt: skip

ProjectOption = Annotated[
    str | None, typer.Option("--project", "-p", help="Project key; omit for the portfolio.")
]
ChannelOption = Annotated[str, typer.Option("--channel", "-c", help="Slack channel id, e.g. C0123ABCD.")]
COLUMNS = ["id", "channel", "project", "day", "time", "timezone", "active", "next_run"]


@digest_app.callback()
def digest(
    ctx: typer.Context,
    project: ProjectOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print only; never post to Slack.")] = False,
    channel: Annotated[str | None, typer.Option(help="Post here (default: the project's channel).")] = None,
    as_json: JsonOption = False,
    as_user: AsOption = None,
) -> None:
    """Print this week's digest; without --dry-run it is also posted when Slack is configured."""
    if ctx.invoked_subcommand is not None:
        return
    container = get_container()
    with unit_of_work() as session:
        actor = cli_actor(session, as_user)
        built = build_digest(session, project=project, today=container.today(), actor=actor,
                             tz=container.settings.tz)  # fmt: skip
        target = channel or (_project_channel(session, built.project) if not dry_run else None)
    if as_json:
        print_json({"project": built.project, "title": built.title, "text": render_text(built),
                    "summary": built.as_dict()})  # fmt: skip
    else:
        typer.echo(render_text(built), nl=False)
    if dry_run:
        return
    from api.routes_digest import slack_client

    client = slack_client(container)
    if client is None or not target:
        why = "Slack is not configured" if client is None else "no channel is known (use --channel)"
        typer.echo(f"Not posted: {why}.", err=True)
        return
    from bot.digest.poster import slack_poster

    slack_poster(client)(target, built)
    typer.echo(f"Posted to {target}.", err=True)


def _project_channel(session, key: str | None) -> str | None:  # type: ignore[no-untyped-def]
    from tools.services.access import find_project

    project = find_project(session, key) if key else None
    return project.channel if project else None


@digest_app.command("subscribe")
def subscribe_cmd(
    channel: ChannelOption,
    project: ProjectOption = None,
    day: Annotated[str, typer.Option(help="Day of the week.")] = "monday",
    time: Annotated[str, typer.Option(help="Local time, HH:MM.")] = "09:00",
    timezone: Annotated[str | None, typer.Option(help="Time zone (default: PMO_TIMEZONE).")] = None,
    as_user: AsOption = None,
) -> None:
    """Post a project's (or the portfolio's) digest to CHANNEL every week."""
    container = get_container()
    with unit_of_work() as session:
        sub = subscribe(session=session, actor=cli_actor(session, as_user), channel=channel, project=project,
                        day=day, time=time, timezone=timezone,
                        default_timezone=container.settings.timezone)  # fmt: skip
        shown = subscription_dict(sub)
    what = f"the {shown['project']} digest" if shown["project"] else "the portfolio digest"
    typer.echo(f"Subscription {shown['id']}: {shown['channel']} gets {what} every "
               f"{shown['day'].capitalize()} at {shown['time']} {shown['timezone']}.")  # fmt: skip


@digest_app.command("list")
def list_cmd(
    channel: Annotated[str | None, typer.Option(help="Only this channel.")] = None,
    project: ProjectOption = None,
    include_inactive: Annotated[bool, typer.Option("--all", help="Include stopped subscriptions.")] = False,
    as_json: JsonOption = False,
    as_user: AsOption = None,
) -> None:
    """List digest subscriptions."""
    with unit_of_work() as session:
        subs = list_subscriptions(session=session, actor=cli_actor(session, as_user), channel=channel,
                                  project=project, include_inactive=include_inactive)  # fmt: skip
        rows = [subscription_dict(s) for s in subs]
    emit(rows, as_json, columns=COLUMNS, title="Digest subscriptions")


@digest_app.command("unsubscribe")
def unsubscribe_cmd(
    subscription_id: Annotated[
        int | None, typer.Argument(help="Subscription id (see `pmo digest list`).")
    ] = None,
    channel: Annotated[
        str | None, typer.Option(help="Or: the channel (with --project, or the portfolio).")
    ] = None,
    project: ProjectOption = None,
    as_user: AsOption = None,
) -> None:
    """Stop a digest subscription."""
    with unit_of_work() as session:
        sub = unsubscribe(session=session, actor=cli_actor(session, as_user), subscription_id=subscription_id,
                          channel=channel, project=project)  # fmt: skip
        shown = subscription_dict(sub)
    typer.echo(f"Subscription {shown['id']} stopped.")


def register(app: typer.Typer) -> None:
    app.add_typer(digest_app, name="digest")
