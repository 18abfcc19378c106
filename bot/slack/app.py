"""create_slack_app: the Bolt app with every PMO surface, built from the dependencies it is handed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.digest.build import build_digest
from bot.digest.render import render_blocks, render_text
from bot.digest.subscriptions import subscribe
from bot.slack import actions, commands, events, forms, shortcuts
from bot.slack.assistant_pane import build_assistant
from bot.slack.client import make_web_client
from bot.slack.dedup import dedup_middleware
from bot.slack.deps import SlackDeps
from bot.slack.errors import handle_listener_error


def create_slack_app(
    *,
    assistant: Any,
    session_factory: sessionmaker[Session],
    client: WebClient | None = None,
    settings: Any = None,
    signing_secret: str | None = None,
    token_verification: bool = False,
    process_before_response: bool = True,
    today: Callable[[], date] | None = None,
    timezone: str | None = None,
    undo_minutes: int | None = None,
    digest_builder: Callable[..., Any] | None = None,
    digest_renderer: Callable[..., list[dict]] | None = None,
    digest_subscriber: Callable[..., Any] | None = None,
    logger: logging.Logger | None = None,
) -> App:
    """The Bolt app. HTTP mode verifies `signing_secret`; Socket Mode passes none (no HTTP to verify).

    `process_before_response=True` (the default) runs each ack function before the HTTP response goes
    back and leaves slow work to lazy listeners, as bolt's docs ask for HTTP / FaaS deployments; it is
    equally correct under Socket Mode. Digest hooks default to bot.digest's builders. `settings`
    (api.settings.Settings) fills whatever is not passed: token, API URL, signing secret, time zone.
    """
    if client is None:
        client = make_web_client(
            getattr(settings, "slack_bot_token", None), base_url=getattr(settings, "slack_api_url", None)
        )
    signing_secret = signing_secret or getattr(settings, "slack_signing_secret", None)
    if today is None and settings is not None:
        today = settings.current_date
    deps = SlackDeps(
        assistant=assistant,
        session_factory=session_factory,
        today=today or getattr(assistant, "today", None) or date.today,
        timezone=timezone or getattr(settings, "timezone", None) or "America/Chicago",
        undo_minutes=undo_minutes if undo_minutes is not None else getattr(settings, "undo_minutes", 15),
        build_digest=digest_builder or build_digest,
        render_blocks=digest_renderer or render_blocks,
        render_text=render_text if digest_renderer is None else None,
        subscribe_digest=digest_subscriber or subscribe,
    )
    app = App(
        client=client,
        signing_secret=signing_secret or "",
        request_verification_enabled=bool(signing_secret),
        token_verification_enabled=token_verification,
        process_before_response=process_before_response,
        logger=logger,
        name="pmo",
    )
    app.use(dedup_middleware(session_factory))
    app.error(handle_listener_error)
    app.assistant(build_assistant(deps))
    events.register(app, deps)
    commands.register(app, deps)
    forms.register(app, deps)
    shortcuts.register(app, deps)
    actions.register(app, deps)
    return app
