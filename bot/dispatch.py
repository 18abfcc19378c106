"""The built-in engine's turn: understand (or continue a follow-up), then act through the tools."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any

from bot import replies
from bot.context import Scope
from bot.nlu import continue_pending, understand
from bot.nlu.types import Interpretation
from bot.safety import has_pasted_material, is_write, needs_decider, own_words
from tools.actor import Actor
from tools.db import session_scope
from tools.errors import DomainError
from tools.services.audit import jsonable

if TYPE_CHECKING:
    from bot.assistant import Assistant, ChatResult

log = logging.getLogger(__name__)


def action(tool: str, args: dict[str, Any], ok: bool, result: Any, *, writes: bool = False) -> dict[str, Any]:
    return {"tool": tool, "args": jsonable(args), "ok": ok, "result": jsonable(result), "writes": writes}


class Dispatcher:
    def __init__(self, assistant: Assistant) -> None:
        self.a = assistant

    @property
    def specs(self) -> dict[str, Any]:
        """The contract's record tools plus the extra ones the wiring passed in (digest, ...)."""
        from tools.registry import TOOL_SPECS

        return {**TOOL_SPECS, **{s.name: s for s in self.a.extra_specs}}

    def run(
        self, text: str, *, actor: Actor, scope: Scope, today: date, pending: Interpretation | None
    ) -> ChatResult:
        from bot.assistant import ChatResult

        interp = continue_pending(pending, text, scope.ctx) if pending else understand(text, scope.ctx)
        if interp.needs_followup:
            question = replies.question(interp.question, interp.options)
            return ChatResult(
                reply=question,
                pending={"tool": interp.tool, "missing": list(interp.missing), "question": question,
                         "options": list(interp.options), "args": jsonable(interp.args),
                         "_interpretation": interp.to_dict()},
            )  # fmt: skip
        if interp.intent == "help":
            return ChatResult(reply=replies.help_text(self.a.undo_minutes))
        if interp.intent == "smalltalk":
            return ChatResult(reply=replies.smalltalk(text, interp.notes))
        if interp.intent != "tool" or not interp.tool:
            return ChatResult(reply=replies.UNKNOWN)
        if interp.tool != "ask" and is_write(interp.tool, self.specs) and has_pasted_material(text):
            # Only the user's own words may ask for a write: re-read the message without what they pasted.
            mine = understand(own_words(text), scope.ctx)
            if mine.intent != "tool" or mine.tool != interp.tool:
                return ChatResult(
                    reply=replies.NOT_WRITTEN_QUOTED.format(what=replies.TOOL_VERBS[interp.tool])
                )
        return self.execute(interp.tool, dict(interp.args), actor=actor, scope=scope, today=today)

    def execute(
        self, tool: str, args: dict[str, Any], *, actor: Actor, scope: Scope, today: date
    ) -> ChatResult:
        """Run one tool call for `actor` (refusing what their role does not allow) and say what happened."""
        from bot.assistant import ChatResult

        if tool == "ask":
            return self.ask(args, scope=scope, today=today)
        writes = is_write(tool, self.specs)
        if needs_decider(tool) and not actor.can_decide:
            message = replies.refusal_decide(scope.approvers)
            return ChatResult(
                reply=message, actions=[action(tool, args, False, {"error": message}, writes=True)]
            )
        if tool == "digest" and "digest" not in self.specs:
            return ChatResult(
                reply=replies.NO_DIGEST, actions=[action(tool, args, False, {"error": replies.NO_DIGEST})]
            )
        from tools.registry import run_tool

        try:
            with session_scope(self.a.session_factory) as session:
                result = run_tool(tool, args, session=session, actor=actor, today=today, specs=self.specs)
        except DomainError as exc:
            return ChatResult(
                reply=replies.domain_error(exc.message),
                actions=[action(tool, args, False, {"error": exc.message, "kind": exc.kind}, writes=writes)],
            )
        reply = replies.tool_done(tool, result, scope.names)
        blocks = result.get("blocks") if isinstance(result, dict) and tool == "digest" else None
        return ChatResult(
            reply=reply, actions=[action(tool, args, True, result, writes=writes)], blocks=blocks
        )

    def ask(self, args: dict[str, Any], *, scope: Scope, today: date) -> ChatResult:
        """A question about documents and records, answered only from projects this person may see."""
        from bot.assistant import ChatResult

        question = str(args.get("question") or "").strip()
        projects = scope.search_projects(args.get("project"))
        if self.a.answerer is None:
            return ChatResult(
                reply=replies.NO_SEARCH, actions=[action("ask", args, False, {"error": replies.NO_SEARCH})]
            )
        if projects is not None and not projects:
            reply = replies.NOT_FOUND_ANSWER
            return ChatResult(
                reply=reply, actions=[action("ask", args, True, {"answer": reply, "found": False})]
            )
        answer = self.a.answerer.ask(question, projects=projects, today=today)
        citations = [
            {"source": c.source, "title": getattr(c, "title", None), "snippet": c.snippet}
            for c in (answer.citations or [])
        ]
        result = {"answer": answer.answer, "found": bool(answer.found), "citations": citations}
        return ChatResult(
            reply=replies.ask_answer(answer.answer, answer.found),
            actions=[action("ask", args, True, result)],
            citations=citations,
        )
