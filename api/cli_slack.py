"""`pmo slack`: run the Slack app in Socket Mode (SLACK_BOT_TOKEN + SLACK_APP_TOKEN, no public URL)."""

from __future__ import annotations

import typer

from api.cli_common import fail, get_container


def slack() -> None:
    """Connect to Slack over Socket Mode and serve every Slack surface until interrupted."""
    container = get_container()
    settings = container.settings
    if not settings.slack_bot_token or not settings.slack_app_token:
        fail(
            "Socket Mode needs SLACK_BOT_TOKEN (xoxb-...) and SLACK_APP_TOKEN (xapp-...); see docs/SLACK.md."
        )
    container.ensure_migrated()
    from api.routes_digest import make_scheduler
    from bot.slack.socket_mode import socket_mode_handler

    scheduler = make_scheduler(container)  # weekly digests (claimed in the database: safe with `pmo serve`)
    if scheduler is not None:
        scheduler.start()
    typer.echo("Connecting to Slack in Socket Mode... (Ctrl+C to stop)", err=True)
    try:
        socket_mode_handler(container.slack_app, settings.slack_app_token).start()
    finally:
        if scheduler is not None:
            scheduler.shutdown()


def register(app: typer.Typer) -> None:
    app.command("slack")(slack)
