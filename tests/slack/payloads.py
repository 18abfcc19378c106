"""Slack request bodies as Slack sends them, and the signing Slack does (v0 HMAC-SHA256)."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from urllib.parse import urlencode

TEAM = "T0001"
_ids = itertools.count(1)


def sign(secret: str, timestamp: str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: str, content_type: str, *, timestamp: int | None = None) -> dict:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "content-type": content_type,
        "x-slack-request-timestamp": ts,
        "x-slack-signature": sign(secret, ts, body),
    }


def ts() -> str:
    return f"{1700000000 + next(_ids)}.000200"


def event(ev: dict, *, event_id: str | None = None) -> tuple[str, str]:
    body = {
        "token": "x",
        "team_id": TEAM,
        "api_app_id": "A0001",
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):06d}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}],
        "event": ev,
    }
    return json.dumps(body), "application/json"


def mention(text: str, *, user: str, channel: str, thread_ts: str | None = None, event_id: str | None = None):
    ev = {
        "type": "app_mention",
        "user": user,
        "text": f"<@UBOT> {text}",
        "ts": ts(),
        "channel": channel,
        "event_ts": ts(),
    }
    if thread_ts:
        ev["thread_ts"] = thread_ts
    return event(ev, event_id=event_id)


def dm(
    text: str,
    *,
    user: str,
    channel: str = "D0USER",
    thread_ts: str | None = None,
    event_id: str | None = None,
):
    ev = {
        "type": "message",
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": ts(),
        "channel": channel,
        "event_ts": ts(),
    }
    if thread_ts:
        ev["thread_ts"] = thread_ts
    return event(ev, event_id=event_id)


def command(text: str, *, user: str, channel: str, response_url: str) -> tuple[str, str]:
    form = {
        "token": "x",
        "team_id": TEAM,
        "channel_id": channel,
        "channel_name": channel.lower(),
        "user_id": user,
        "user_name": user.lower(),
        "command": "/pmo",
        "text": text,
        "response_url": response_url,
        "trigger_id": f"trig.{next(_ids)}",
        "api_app_id": "A0001",
    }
    return urlencode(form), "application/x-www-form-urlencoded"


def interactive(payload: dict) -> tuple[str, str]:
    payload.setdefault("team", {"id": TEAM})
    payload.setdefault("api_app_id", "A0001")
    payload.setdefault("token", "x")
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"


def block_action(
    action_id: str,
    value: str,
    *,
    user: str,
    channel: str | None,
    message: dict | None = None,
    response_url: str | None = None,
    container_type: str = "message",
) -> tuple[str, str]:
    msg = message or {"ts": ts(), "text": "card", "blocks": []}
    payload: dict = {
        "type": "block_actions",
        "user": {"id": user},
        "trigger_id": f"trig.{next(_ids)}",
        "actions": [
            {"type": "button", "action_id": action_id, "block_id": "card", "value": value, "action_ts": ts()}
        ],
    }
    if container_type == "message":
        payload |= {
            "container": {"type": "message", "message_ts": msg["ts"], "channel_id": channel},
            "channel": {"id": channel},
            "message": msg,
        }
        if response_url:
            payload["response_url"] = response_url
    else:
        payload |= {
            "container": {"type": "view", "view_id": "VHOME"},
            "view": {"id": "VHOME", "type": "home"},
        }
    return interactive(payload)


def view_submission(view: dict, values: dict[str, dict], *, user: str) -> tuple[str, str]:
    """Submit `view` (as our app built it) with `values` {block_id: element_state}."""
    submitted = dict(
        view, id=f"V{next(_ids)}", state={"values": {b: {"value": v} for b, v in values.items()}}
    )
    return interactive(
        {
            "type": "view_submission",
            "user": {"id": user},
            "trigger_id": f"trig.{next(_ids)}",
            "view": submitted,
        }
    )


def text_value(v: str) -> dict:
    return {"type": "plain_text_input", "value": v}


def select_value(v: str) -> dict:
    return {
        "type": "static_select",
        "selected_option": {"value": v, "text": {"type": "plain_text", "text": v}},
    }


def date_value(v: str) -> dict:
    return {"type": "datepicker", "selected_date": v}
