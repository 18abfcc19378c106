"""Opening the risk / change request forms and saving what people submit (errors shown in the fields)."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack import blocks as bk
from bot.slack import messages, modals, prefill
from bot.slack.deps import SlackDeps
from bot.slack.errors import reported
from bot.slack.home import publish_home
from bot.slack.records import channel_project, project_choices, public
from tools.errors import DomainError
from tools.schemas import ChangeRequestCreate, ChangeRequestUpdate, RiskCreate, RiskUpdate
from tools.services import change_requests as cr_service
from tools.services import risks as risk_service

log = logging.getLogger("pmo.slack")
SCHEMAS = {
    ("risk", False): RiskCreate,
    ("risk", True): RiskUpdate,
    ("change_request", False): ChangeRequestCreate,
    ("change_request", True): ChangeRequestUpdate,
}
EDITABLE = {
    "risk": (
        "title",
        "description",
        "category",
        "probability",
        "impact",
        "owner",
        "response",
        "mitigation",
        "due_date",
        "status",
    ),
    "change_request": ("title", "description", "reason", "schedule_days", "cost", "scope", "priority"),
}


def open_form(
    deps: SlackDeps,
    client: WebClient,
    *,
    kind: str,
    trigger_id: str,
    user: str,
    channel: str | None,
    text: str = "",
    key: str | None = None,
    source_link: str | None = None,
    thread_ts: str | None = None,
) -> None:
    """Open the log/edit form for `kind`, prefilled from `text` (new) or from record `key` (edit)."""
    with deps.unit(user) as (session, actor):
        choices = project_choices(session, actor)
        here = channel_project(session, channel)
        if key:
            row = (risk_service.get_risk if kind == "risk" else cr_service.get_change_request)(
                session=session, actor=actor, key=key
            )
            values = public(kind, row)
        else:
            make = prefill.risk_values if kind == "risk" else prefill.cr_values
            values = make(
                text, known_projects={k for k, _ in choices}, channel_project=here, today=deps.today()
            )
    meta = {"kind": kind, "key": key, "channel": channel, "thread_ts": thread_ts, "source_link": source_link}
    build = modals.risk_modal if kind == "risk" else modals.cr_modal
    client.views_open(trigger_id=trigger_id, view=build(values, choices, meta))


def field_errors(exc: ValidationError, blocks: set[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors():
        field = str(err.get("loc", ("title",))[0])
        target = field if field in blocks else "title"
        msg = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
        errors.setdefault(target, ("This field is required." if err.get("type") == "missing" else msg)[:150])
    return errors


def _save(deps: SlackDeps, user: str, kind: str, meta: dict, state: dict, thread: str) -> dict:
    editing = bool(meta.get("key"))
    data = SCHEMAS[(kind, editing)].model_validate(
        {k: v for k, v in state.items() if not editing or k in EDITABLE[kind]}
        | ({"source_link": meta["source_link"]} if meta.get("source_link") and not editing else {})
    )
    with deps.unit(user, thread=thread, channel=meta.get("channel")) as (session, actor):
        if kind == "risk":
            row = (
                risk_service.update_risk(session=session, actor=actor, key=meta["key"], data=data)
                if editing
                else risk_service.log_risk(session=session, actor=actor, data=data)
            )
        else:
            row = (
                cr_service.update_change_request(session=session, actor=actor, key=meta["key"], data=data)
                if editing
                else cr_service.file_change_request(session=session, actor=actor, data=data)
            )
        session.flush()
        return public(kind, row)


def register(app: App, deps: SlackDeps) -> None:
    def make_submit(kind: str):
        def submit_form(ack: Ack, body: dict, view: dict, context: Any) -> None:
            meta, state = modals.meta_of(view), modals.read_state(view)
            blocks = {b["block_id"] for b in view.get("blocks") or [] if b.get("block_id")}
            if kind == "change_request":
                state, errors = modals.numbers(state)
                if errors:
                    ack(response_action="errors", errors=errors)
                    return
            try:
                thread = f"form:{view.get('id') or body.get('trigger_id')}"
                record = _save(deps, body["user"]["id"], kind, meta, state, thread)
            except ValidationError as exc:
                ack(response_action="errors", errors=field_errors(exc, blocks))
                return
            except DomainError as exc:
                target = (
                    "project" if "project" in blocks and exc.kind in ("not_found", "forbidden") else "title"
                )
                ack(response_action="errors", errors={target: exc.message[:150]})
                return
            context["pmo_record"] = {
                "kind": kind,
                "record": record,
                "created": not meta.get("key"),
                "undo": thread,
            }
            ack()

        submit_form.__name__ = f"submit_{kind}_form"
        return submit_form

    @reported
    def announce_saved(body: dict, client: WebClient, context: Any, respond: Any = None) -> None:
        saved = context.get("pmo_record")
        if not saved:
            return  # the form came back with errors; nothing was written
        user, meta = body["user"]["id"], modals.meta_of(body["view"])
        record, created = saved["record"], saved["created"]
        text = messages.RECORD_SAVED.format(verb="Logged" if created else "Updated", key=record["key"])
        if saved["kind"] == "change_request" and created:
            text = messages.RECORD_SAVED.format(verb="Filed", key=record["key"])
        cards = bk.record_card(saved["kind"], record, undo=saved["undo"])
        channel = meta.get("channel")
        try:
            client.chat_postMessage(
                channel=channel or user,
                thread_ts=meta.get("thread_ts"),
                text=text,
                blocks=[bk.section(f"<@{user}> {text}"), *cards],
            )
        except Exception as exc:  # noqa: BLE001 - e.g. not in the channel: tell the person privately instead
            log.info("could not post to %s (%s); sending to the user", channel, exc)
            client.chat_postMessage(channel=user, text=text, blocks=[bk.section(text), *cards])
        publish_home(deps, client, user)

    app.view(modals.RISK_CALLBACK)(ack=make_submit("risk"), lazy=[announce_saved])
    app.view(modals.CR_CALLBACK)(ack=make_submit("change_request"), lazy=[announce_saved])
