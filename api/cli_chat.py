"""`pmo chat` (talk to the assistant) and `pmo eval chat` (score it on scripted conversations)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from api.cli_common import PmoGroup, get_container

ExistingFile = Annotated[Path, typer.Option(exists=True, dir_okay=False, readable=True)]


def chat(
    text: Annotated[list[str], typer.Argument(help="The message (quote it, or several words).")],
    user: Annotated[str, typer.Option(help="Slack user id of the person speaking.")],
    channel: Annotated[str, typer.Option(help="Slack channel id (gives the project context).")] = "",
    thread: Annotated[str | None, typer.Option(help="Thread id: continue a follow-up question.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the contract's chat JSON.")] = False,
) -> None:
    """Send one message to the assistant, as USER in CHANNEL (same JSON as POST /api/v1/chat)."""
    from bot.assistant import Incoming

    container = get_container()
    container.ensure_migrated()
    message = Incoming(text=" ".join(text), user=user, channel=channel, thread=thread, via="cli")
    result = container.assistant.handle(message)
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2, default=str))
        return
    typer.echo(result.reply)
    for citation in result.citations:
        typer.echo(f"  [{citation.get('title') or citation['source']}] {citation['source']}")


def eval_chat(
    fixture: ExistingFile,
    cases: ExistingFile,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    llm: Annotated[bool, typer.Option("--llm/--builtin", help="Use the configured LLM engine.")] = False,
    case: Annotated[list[str] | None, typer.Option(help="Only these case ids (repeatable).")] = None,
) -> None:
    """Load FIXTURE into fresh databases, play CASES through the assistant, report accuracy."""
    from bot.assistant import Assistant
    from bot.evaluation import render_text, run_chat_eval

    container = get_container()
    model = container.llm if llm else None
    specs = list(getattr(container, "tool_specs", None) or _extra_specs())

    def make(session_factory, **kwargs):  # type: ignore[no-untyped-def]
        return Assistant(session_factory, llm=model, specs=specs, **kwargs)

    report = run_chat_eval(fixture, cases, make_assistant=make, only=case or None)
    typer.echo(json.dumps(report.as_dict(), indent=2, default=str) if as_json else render_text(report))


def _extra_specs() -> list:
    """Tool specs from other features (the digest), when this build has them."""
    try:
        from bot.digest.tool import digest_spec
    except ImportError:
        return []
    return [digest_spec()]


def register(app: typer.Typer) -> None:
    """Add `pmo chat` and `pmo eval chat` (joining an existing `eval` group if another feature made one)."""
    app.command("chat")(chat)
    group = next((g.typer_instance for g in app.registered_groups if g.name == "eval"), None)
    if group is None:
        group = typer.Typer(
            cls=PmoGroup, help="Evaluations against the shared fixtures.", no_args_is_help=True
        )
        app.add_typer(group, name="eval")
    group.command("chat")(eval_chat)
