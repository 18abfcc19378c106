"""Slack's AI assistant pane (bolt's Assistant): suggested prompts; user messages go to our assistant."""

from __future__ import annotations

from typing import Any

from slack_bolt import Assistant
from slack_sdk import WebClient

from bot.slack import messages
from bot.slack.chat import answer, wrote
from bot.slack.deps import SlackDeps
from bot.slack.errors import reported
from bot.slack.home import publish_home

PROMPTS = [
    {"title": "Top risks", "message": "What are the top risks across my projects?"},
    {"title": "Project status", "message": "What's the status of my projects?"},
    {"title": "Decisions waiting", "message": "Which change requests are waiting for a decision?"},
    {"title": "Log a risk", "message": "Log a risk: "},
]


def build_assistant(deps: SlackDeps) -> Assistant:
    assistant = Assistant()

    def ack_assistant_event() -> None:
        return None  # the Assistant acknowledges on its own; the work happens in the lazy listeners

    @reported
    def greet_thread(body: dict, client: WebClient, context: Any, respond: Any = None) -> None:
        thread = body["event"]["assistant_thread"]
        channel, ts = thread["channel_id"], thread["thread_ts"]
        client.chat_postMessage(channel=channel, thread_ts=ts, text=messages.ASSISTANT_GREETING)
        client.assistant_threads_setSuggestedPrompts(
            channel_id=channel, thread_ts=ts, prompts=PROMPTS, title="Try one of these:"
        )

    @reported
    def answer_in_assistant_thread(body: dict, client: WebClient, context: Any, respond: Any = None) -> None:
        event = body["event"]
        channel, thread = event["channel"], event.get("thread_ts") or event["ts"]
        client.assistant_threads_setStatus(channel_id=channel, thread_ts=thread, status="is thinking...")
        try:
            result = answer(
                deps,
                client,
                text=event.get("text") or "",
                user=event["user"],
                channel=channel,
                thread_ts=thread,
                message_ts=event["ts"],
            )
        finally:
            client.assistant_threads_setStatus(channel_id=channel, thread_ts=thread, status="")
        if wrote(result):
            publish_home(deps, client, event["user"])

    assistant.thread_started(lazy=[greet_thread])(ack_assistant_event)
    assistant.user_message(lazy=[answer_in_assistant_thread])(ack_assistant_event)
    return assistant
