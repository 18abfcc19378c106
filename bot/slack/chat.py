"""One user message in, the assistant's reply out: in the thread, as Block Kit, split under Slack's limits."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_sdk import WebClient

from bot.assistant import Incoming
from bot.conversation import thread_key
from bot.slack import blocks as bk
from bot.slack.deps import SlackDeps

log = logging.getLogger("pmo.slack")
_MENTION = re.compile(r"^\s*<@[UW][A-Z0-9]+>[\s,:]*")
CARD_TOOLS = {
    "log_risk": "risk",
    "update_risk": "risk",
    "close_risk": "risk",
    "file_change_request": "change_request",
    "decide_change_request": "change_request",
    "update_milestone": "milestone",
}


def strip_mention(text: str, bot_user_id: str | None = None) -> str:
    """Drop the leading @PMO mention ('<@U123> what is...' -> 'what is...')."""
    if bot_user_id:
        text = text.replace(f"<@{bot_user_id}>", " ").strip()
    return _MENTION.sub("", text).strip()


def reply_blocks(result: Any, undo_thread: str | None = None) -> list[dict]:
    """The reply text, a card per record the assistant wrote (Undo on the last one), then citations."""
    out = bk.text_blocks(str(bk.get(result, "reply") or ""))
    written = [
        a
        for a in bk.get(result, "actions") or []
        if bk.get(a, "ok")
        and bk.get(a, "tool") in CARD_TOOLS
        and isinstance(bk.get(a, "result"), dict)
        and bk.get(a, "result").get("key")
    ]
    for i, action in enumerate(written):
        last = i == len(written) - 1
        out += bk.record_card(
            CARD_TOOLS[bk.get(action, "tool")], bk.get(action, "result"), undo=undo_thread if last else None
        )
    extra = bk.get(result, "blocks") or []
    out += [b for b in extra if isinstance(b, dict) and b.get("type")]
    out += bk.citation_blocks(bk.get(result, "citations") or [])
    return out


def wrote(result: Any) -> bool:
    return any(bk.get(a, "ok") and bk.get(a, "tool") in CARD_TOOLS for a in bk.get(result, "actions") or [])


def post_reply(
    client: WebClient, *, channel: str, thread_ts: str | None, result: Any, undo_thread: str | None = None
) -> list[str]:
    """Post `result` in the thread; several messages when it exceeds 50 blocks. Returns their ts."""
    text = bk.fallback_text(str(bk.get(result, "reply") or ""))
    posted: list[str] = []
    for page in bk.paginate(reply_blocks(result, undo_thread)) or [[]]:
        resp = client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text=text,
            blocks=page or None,
            unfurl_links=False,
            unfurl_media=False,
        )
        posted.append(resp.get("ts"))
        text = "(continued)"
    return posted


def answer(
    deps: SlackDeps,
    client: WebClient,
    *,
    text: str,
    user: str,
    channel: str,
    thread_ts: str | None,
    message_ts: str | None,
) -> Any:
    """Run the assistant on a Slack message and post its reply in the message's thread."""
    incoming = Incoming(
        text=text, user=user, channel=channel, thread=thread_ts, via="slack", message_ts=message_ts
    )
    result = deps.assistant.handle(incoming)
    post_reply(
        client, channel=channel, thread_ts=thread_ts, result=result, undo_thread=thread_key(user, thread_ts)
    )
    return result
