"""Buttons on record cards: Edit, Undo (author only), Approve / Reject / Defer (approvers only)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack import blocks as bk
from bot.slack import messages
from bot.slack.deps import SlackDeps
from bot.slack.errors import reported, tell_user
from bot.slack.forms import open_form
from bot.slack.home import publish_home
from bot.slack.records import public
from bot.undo import last_write, undo_last
from tools.services import change_requests as cr_service

DECISIONS = {"pmo_cr_approve": "approve", "pmo_cr_reject": "reject", "pmo_cr_defer": "defer"}


def _where(body: dict) -> tuple[str | None, str | None]:
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    return channel, container.get("thread_ts") or (body.get("message") or {}).get("thread_ts")


def _private(client: WebClient, body: dict, respond: Any, text: str) -> None:
    channel, thread = _where(body)
    tell_user(
        client,
        text=text,
        user=body["user"]["id"],
        channel=channel,
        thread_ts=thread,
        respond=respond if body.get("response_url") else None,
    )


def register(app: App, deps: SlackDeps) -> None:
    def ack_action(ack: Ack) -> None:
        ack()

    @reported
    def edit_record(body: dict, client: WebClient, context: Any, respond: Any = None) -> None:
        kind, _, key = body["actions"][0]["value"].partition(":")
        channel, thread = _where(body)
        open_form(
            deps,
            client,
            kind=kind,
            key=key,
            trigger_id=body["trigger_id"],
            user=body["user"]["id"],
            channel=channel,
            thread_ts=thread,
        )

    @reported
    def undo_record(body: dict, client: WebClient, context: Any, respond: Any = None) -> None:
        key, _, thread = body["actions"][0]["value"].partition("|")
        user = body["user"]["id"]
        with deps.unit(user, thread=thread) as (session, actor):
            event = last_write(session, thread)
            if event is None or event.entity_key != key:
                reply = f"{key} was changed again after this card, so undo it from the latest change."
                if event is None:
                    reply = "There's nothing left to undo here."
            elif event.actor != user:
                reply = messages.NOT_AUTHOR_UNDO
            else:
                reply, _action = undo_last(
                    session,
                    actor=actor,
                    thread=thread,
                    now=datetime.now(UTC),
                    minutes=deps.undo_minutes,
                    names={},
                )
        _private(client, body, respond, reply)
        publish_home(deps, client, user)

    @reported
    def decide(body: dict, client: WebClient, context: Any, respond: Any = None) -> None:
        action, user = body["actions"][0], body["user"]["id"]
        key, decision = action["value"], DECISIONS[action["action_id"]]
        with deps.unit(user) as (session, actor):
            if not actor.can_decide:
                refusal = messages.NOT_APPROVER
            else:
                cr = cr_service.decide_change_request(
                    session=session, actor=actor, key=key, decision=decision
                )
                record, refusal = public("change_request", cr), None
        if refusal:
            _private(client, body, respond, refusal)
            return
        _update_card(client, body, key, record)
        channel, thread = _where(body)
        note = f"<@{user}> {record['status'].replace('_', ' ')} *{key}*."
        if channel and body.get("container", {}).get("type") == "message":
            client.chat_postMessage(
                channel=channel, thread_ts=thread or body["container"].get("message_ts"), text=note
            )
        publish_home(deps, client, user)

    app.action("pmo_edit")(ack=ack_action, lazy=[edit_record])
    app.action("pmo_undo")(ack=ack_action, lazy=[undo_record])
    for action_id in DECISIONS:
        app.action(action_id)(ack=ack_action, lazy=[decide])


def _update_card(client: WebClient, body: dict, key: str, record: dict) -> None:
    """Replace the decided card in the original message (buttons gone, new status shown)."""
    message = body.get("message")
    container = body.get("container") or {}
    if not message or container.get("type") != "message":
        return
    new_blocks: list[dict] = []
    skip_actions = False
    for block in message.get("blocks") or []:
        if block.get("block_id") == f"card:{key}":
            skip_actions = True
            continue
        new_blocks.append(block)
    if skip_actions:
        card = bk.change_request_card(record)
        index = next(
            (i for i, b in enumerate(new_blocks) if key in str((b.get("text") or {}).get("text", ""))), None
        )
        if index is not None:
            new_blocks[index : index + 1] = card
        else:
            new_blocks += card
    client.chat_update(
        channel=container["channel_id"],
        ts=container["message_ts"],
        text=message.get("text") or key,
        blocks=new_blocks,
    )
