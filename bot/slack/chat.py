"""One user message in, the assistant's reply out: in the thread, as Block Kit, split under Slack's limits."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import select

from bot.assistant import Incoming
from bot.conversation import thread_key
from bot.slack import blocks as bk
from bot.slack import messages
from bot.slack.deps import SlackDeps
from tools.db import session_scope
from tools.models import Project
from tools.services import projects as project_service

log = logging.getLogger("pmo.slack")
SHARED_CHANNEL = re.compile(r"^[CG][A-Z0-9]{2,}$")  # public/private channels; DMs are D...
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


def private_projects_in(deps: SlackDeps, channel: str, result: Any) -> set[str]:
    """Private projects (other than the channel's own) that the reply names or draws on."""
    if not SHARED_CHANNEL.match(channel or ""):
        return set()
    with session_scope(deps.session_factory) as session:
        own = project_service.project_for_channel(session, channel)
        private = set(session.scalars(select(Project.key).where(Project.private.is_(True))))
    private -= {own.key} if own else set()
    if not private:
        return set()
    haystack = json.dumps(
        [bk.get(result, "reply"), bk.get(result, "actions"), bk.get(result, "citations")], default=str
    )
    return {key for key in private if re.search(rf"\b{re.escape(key)}(?:-(?:R|CR|M)\d+)?\b", haystack)}


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
    leaked = private_projects_in(deps, channel, result)
    if leaked:
        # Everyone in a shared channel would read it: the asker alone gets this answer.
        log.info("reply names private project(s) %s in %s; sent to %s only", sorted(leaked), channel, user)
        note = messages.PRIVATE_ONLY.format(keys=", ".join(sorted(leaked)))
        client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=note)
        post_reply(client, channel=user, thread_ts=None, result=result)
        return result
    post_reply(
        client, channel=channel, thread_ts=thread_ts, result=result, undo_thread=thread_key(user, thread_ts)
    )
    return result
