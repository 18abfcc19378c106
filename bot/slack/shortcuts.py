"""Shortcuts: "Log as risk" on a message (prefilled, linked to it) and the global "File change request"."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack.deps import SlackDeps
from bot.slack.errors import reported
from bot.slack.forms import open_form

LOG_AS_RISK, FILE_CR = "pmo_log_as_risk", "pmo_file_change_request"


def register(app: App, deps: SlackDeps) -> None:
    def ack_shortcut(ack: Ack) -> None:
        ack()

    @reported
    def open_risk_from_message(body: dict, client: WebClient, context: Any, respond: Any = None) -> None:
        message, channel = body.get("message") or {}, (body.get("channel") or {}).get("id")
        link = client.chat_getPermalink(channel=channel, message_ts=message["ts"]).get("permalink")
        open_form(
            deps,
            client,
            kind="risk",
            trigger_id=body["trigger_id"],
            user=body["user"]["id"],
            channel=channel,
            text=message.get("text") or "",
            source_link=link,
            thread_ts=message.get("thread_ts") or message["ts"],
        )

    @reported
    def open_change_request(body: dict, client: WebClient, context: Any, respond: Any = None) -> None:
        open_form(
            deps,
            client,
            kind="change_request",
            trigger_id=body["trigger_id"],
            user=body["user"]["id"],
            channel=None,
        )

    app.message_shortcut(LOG_AS_RISK)(ack=ack_shortcut, lazy=[open_risk_from_message])
    app.global_shortcut(FILE_CR)(ack=ack_shortcut, lazy=[open_change_request])
