"""/pmo: risk, cr, status, risks, link, digest, help. Ack at once; the work runs in a lazy listener."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack import blocks as bk
from bot.slack import digest_glue, messages
from bot.slack.deps import SlackDeps
from bot.slack.errors import reported
from bot.slack.forms import open_form
from bot.slack.records import channel_project, risk_list_blocks, status_blocks
from tools.services import projects as project_service

SUBCOMMANDS = ("risk", "cr", "status", "risks", "link", "digest", "help")
ALIASES = {
    "change": "cr",
    "change-request": "cr",
    "changerequest": "cr",
    "projectstatus": "status",
    "?": "help",
}


def split(text: str) -> tuple[str, str]:
    """('status', 'SEPSIS') from 'status SEPSIS'; an empty command is help."""
    head, _, rest = (text or "").strip().partition(" ")
    sub = head.lower()
    return ALIASES.get(sub, sub) or "help", rest.strip()


def _project_arg(deps: SlackDeps, session: Any, rest: str, channel: str) -> str | None:
    if rest:
        found = project_service.resolve_project(session, rest)
        return found.key if found else rest.strip().upper()
    return channel_project(session, channel)


def register(app: App, deps: SlackDeps) -> None:
    def ack_command(ack: Ack, command: dict) -> None:
        sub, _ = split(command.get("text") or "")
        if sub == "help":
            ack(text=messages.HELP, response_type="ephemeral")
        elif sub not in SUBCOMMANDS:
            ack(
                text=f"{messages.UNKNOWN_COMMAND.format(sub=sub)}\n{messages.HELP}", response_type="ephemeral"
            )
        else:
            ack()

    @reported
    def run_command(body: dict, client: WebClient, context: Any, respond: Any = None) -> None:
        sub, rest = split(body.get("text") or "")
        user, channel = body["user_id"], body["channel_id"]
        if sub in ("risk", "cr"):
            open_form(
                deps,
                client,
                kind="risk" if sub == "risk" else "change_request",
                trigger_id=body["trigger_id"],
                user=user,
                channel=channel,
                text=rest,
            )
        elif sub == "status":
            with deps.unit(user) as (session, actor):
                project = _project_arg(deps, session, rest, channel)
                if project is None:
                    respond(text=messages.NO_PROJECT_HERE, response_type="ephemeral")
                    return
                text, blocks = status_blocks(session, actor, project, deps.today())
            _respond_pages(respond, text, blocks)
        elif sub == "risks":
            with deps.unit(user) as (session, actor):
                project = _project_arg(deps, session, rest, channel)
                text, blocks = risk_list_blocks(session, actor, project)
            _respond_pages(respond, text, blocks)
        elif sub == "link":
            if not rest:
                respond(text="Which project? `/pmo link SEPSIS`", response_type="ephemeral")
                return
            with deps.unit(user) as (session, actor):
                project = project_service.link_channel(
                    session=session, actor=actor, key=rest.split()[0].upper(), channel=channel
                )
                text = messages.LINKED.format(key=project.key, name=bk.escape(project.name))
            respond(text=text, response_type="in_channel")
        elif sub == "digest":
            digest_glue.run(deps, client, respond, user=user, channel=channel, rest=rest)

    app.command("/pmo")(ack=ack_command, lazy=[run_command])


def _respond_pages(respond: Any, text: str, blocks: list[dict]) -> None:
    for i, page in enumerate(bk.paginate(blocks)):
        respond(text=bk.fallback_text(text), blocks=page, response_type="ephemeral", replace_original=False)
        if i == 0:
            text = "(continued)"
