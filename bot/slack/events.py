"""@mentions in channels and direct messages: ack at once, answer in the thread from a lazy listener."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack.chat import answer, strip_mention, wrote
from bot.slack.deps import SlackDeps
from bot.slack.errors import reported
from bot.slack.home import publish_home

IGNORED_SUBTYPES = {
    "bot_message",
    "message_changed",
    "message_deleted",
    "channel_join",
    "channel_leave",
    "thread_broadcast",
    "message_replied",
}


def is_direct_message(event: dict) -> bool:
    """A person's own new message in a DM with the app (not an edit, not a bot, not in a thread)."""
    return (
        event.get("channel_type") == "im"
        and not event.get("bot_id")
        and event.get("subtype") in (None, "file_share")
        and not event.get("thread_ts")
    )


def register(app: App, deps: SlackDeps) -> None:
    def ack_event(ack: Ack) -> None:
        ack()

    @reported
    def answer_mention(body: dict, client: WebClient, context: Any, respond: Any = None) -> None:
        event = body["event"]
        if event.get("bot_id") or event.get("subtype") in IGNORED_SUBTYPES:
            return
        text = strip_mention(event.get("text") or "", context.bot_user_id)
        thread = event.get("thread_ts") or event["ts"]
        result = answer(
            deps,
            client,
            text=text,
            user=event["user"],
            channel=event["channel"],
            thread_ts=thread,
            message_ts=event["ts"],
        )
        if wrote(result):
            publish_home(deps, client, event["user"])

    @reported
    def answer_direct_message(body: dict, client: WebClient, context: Any, respond: Any = None) -> None:
        event = body["event"]
        # A DM is a conversation of its own: the reply stays in the DM's main line, and a follow-up
        # answered there continues it (the assistant keys it by user when there is no thread).
        result = answer(
            deps,
            client,
            text=strip_mention(event.get("text") or "", context.bot_user_id),
            user=event["user"],
            channel=event["channel"],
            thread_ts=None,
            message_ts=event["ts"],
        )
        if wrote(result):
            publish_home(deps, client, event["user"])

    app.event("app_mention")(ack=ack_event, lazy=[answer_mention])
    app.event("message", matchers=[lambda event: is_direct_message(event)])(
        ack=ack_event, lazy=[answer_direct_message]
    )
    # Other message events (edits, joins, channel chatter) are acknowledged and dropped.
    app.event("message")(ack_event)

    @reported
    def refresh_home(body: dict, client: WebClient, context: Any, respond: Any = None) -> None:
        if (body["event"].get("tab") or "home") == "home":
            publish_home(deps, client, body["event"]["user"])

    app.event("app_home_opened")(ack=ack_event, lazy=[refresh_home])
