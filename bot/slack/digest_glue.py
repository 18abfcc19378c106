"""/pmo digest (post this week's digest here) and /pmo digest subscribe DAY HH:MM (weekly)."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_sdk import WebClient

from bot.slack import messages
from bot.slack.deps import SlackDeps
from bot.slack.records import channel_project
from tools.services import projects as project_service

log = logging.getLogger("pmo.slack")
_SUBSCRIBE = re.compile(
    r"^subscribe\b\s*(?P<day>[a-z]+)?\s*(?P<time>\d{1,2}(:\d{2})?\s*(am|pm)?)?\s*(?P<rest>.*)$", re.I
)


def run(deps: SlackDeps, client: WebClient, respond: Any, *, user: str, channel: str, rest: str) -> None:
    m = _SUBSCRIBE.match(rest)
    if m:
        subscribe(
            deps,
            respond,
            user=user,
            channel=channel,
            day=m.group("day") or "monday",
            time=(m.group("time") or "09:00").replace(" ", ""),
            project_text=m.group("rest"),
        )
        return
    with deps.unit(user) as (session, actor):
        project = _project(session, rest, channel)
        here = channel_project(session, channel)
        # Posted for the whole channel: a private project's digest only in its own channel, and the
        # portfolio digest built without the person's extra grants (public projects only).
        private = project is not None and _is_private(session, project)
        audience = "in_channel" if not private or project == here else "ephemeral"
        digest = deps.build_digest(
            session, project=project, today=deps.today(), actor=actor if project else None
        )
        blocks = deps.render_blocks(digest)
        text = deps.render_text(digest) if deps.render_text else getattr(digest, "title", "Digest")
    respond(text=text[:3000], blocks=blocks, response_type=audience, replace_original=False)


def _is_private(session: Any, key: str) -> bool:
    found = project_service.resolve_project(session, key)
    return bool(found is not None and found.private)


def _project(session: Any, text: str, channel: str) -> str | None:
    if text.strip():
        found = project_service.resolve_project(session, text)
        return found.key if found else text.strip().upper()
    return channel_project(session, channel)


def subscribe(
    deps: SlackDeps, respond: Any, *, user: str, channel: str, day: str, time: str, project_text: str
) -> None:
    if deps.subscribe_digest is None:
        respond(text=messages.DIGEST_UNAVAILABLE, response_type="ephemeral")
        return
    with deps.unit(user) as (session, actor):
        project = _project(session, project_text, channel)
        sub = deps.subscribe_digest(
            session=session,
            actor=actor,
            channel=channel,
            project=project,
            day=day,
            time=time,
            default_timezone=deps.timezone,
        )
        what = f"*{sub.project.key}*" if getattr(sub, "project", None) else "portfolio"
        text = messages.SUBSCRIBED.format(what=what, day=day.capitalize(), time=sub.time, tz=sub.timezone)
    respond(text=text, response_type="in_channel")
