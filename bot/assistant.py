"""The assistant: one message in (Slack, HTTP, CLI), the right tool or follow-up, one reply out."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot import conversation as convo
from bot import replies
from bot.context import Scope, build_scope
from bot.dispatch import Dispatcher
from bot.nlu.types import Interpretation
from bot.safety import Redactor, is_undo
from bot.undo import undo_last
from tools.actor import VIAS, Actor
from tools.db import session_scope
from tools.services import audit
from tools.services import people as people_service

log = logging.getLogger(__name__)


@dataclass
class Incoming:
    """One message as an interface received it."""

    text: str
    user: str
    channel: str = ""
    thread: str | None = None
    via: str = "api"
    message_ts: str | None = None
    user_name: str | None = None


@dataclass
class ChatResult:
    """The assistant's answer; `as_json()` is the contract's chat JSON."""

    reply: str
    actions: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    pending: dict[str, Any] | None = None
    blocks: list[dict[str, Any]] | None = None
    engine: str = "builtin"

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"reply": self.reply, "actions": self.actions, "citations": self.citations}
        if self.pending is not None:
            out["pending"] = self.pending
        return out


def _setting(settings: Any, name: str, default: Any) -> Any:
    return getattr(settings, name, default) if settings is not None else default


class Assistant:
    """Understands a message (built-in engine, or the LLM agent when one is configured), acts, replies."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        answerer: Any = None,
        searcher: Any = None,
        timezone: str | None = None,
        today: Callable[[], date] | date | None = None,
        undo_minutes: int | None = None,
        pending_minutes: int | None = None,
        llm: Any = None,
        specs: Sequence[Any] = (),
        redact_phi: bool | None = None,
        settings: Any = None,
        redactor: Any = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.session_factory = session_factory
        self._answerer = answerer
        self._searcher = searcher
        self.timezone = timezone or _setting(settings, "timezone", "America/Chicago")
        self._today = today if today is not None else _setting(settings, "current_date", None)
        self.undo_minutes = (
            undo_minutes if undo_minutes is not None else _setting(settings, "undo_minutes", 15)
        )
        self.pending_minutes = (
            pending_minutes if pending_minutes is not None else _setting(settings, "pending_minutes", 60)
        )
        self.llm = llm
        self.extra_specs = list(specs)
        enabled = redact_phi if redact_phi is not None else _setting(settings, "redact_phi", True)
        # `redactor`: a shared knowledge.phi.PhiRedactor or a bot.safety.Redactor (building one is slow).
        if isinstance(redactor, Redactor):
            self.redact = redactor
        else:
            self.redact = Redactor(enabled=bool(enabled), impl=redactor)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.dispatcher = Dispatcher(self)
        self._agent: Any = None

    @property
    def answerer(self) -> Any:
        """The retrieval Answerer; a zero-argument provider is called on the first question (the index
        and embedding model load only when someone asks something)."""
        if self._answerer is not None and not hasattr(self._answerer, "ask") and callable(self._answerer):
            self._answerer = self._answerer()
        return self._answerer

    @property
    def searcher(self) -> Any:
        if self._searcher is not None and not hasattr(self._searcher, "search") and callable(self._searcher):
            self._searcher = self._searcher()
        return self._searcher

    # -- time -------------------------------------------------------------------------------------
    def today(self) -> date:
        if isinstance(self._today, date):
            return self._today
        if callable(self._today):
            return self._today()
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo(self.timezone)).date()

    # -- entry point ------------------------------------------------------------------------------
    def handle(self, msg: Incoming) -> ChatResult:
        """Handle one message; never raises (unexpected failures reply with a logged reference id)."""
        ref = uuid.uuid4().hex[:10]
        text = (msg.text or "").strip()
        try:
            result = self._handle(msg, text)
            for action in result.actions:
                action.pop("writes", None)
            outcome = "ok" if all(a.get("ok") for a in result.actions) else "refused_or_failed"
        except Exception:
            log.exception("chat message failed (ref %s, user %s, channel %s)", ref, msg.user, msg.channel)
            result = ChatResult(reply=replies.UNEXPECTED.format(ref=ref))
            outcome = "error"
        try:
            self._audit(msg, text, result, outcome, ref)
        except Exception:  # the reply stands; the log keeps what the audit trail missed
            log.exception("could not audit chat message (ref %s)", ref)
        return result

    def _handle(self, msg: Incoming, text: str) -> ChatResult:
        now = self.clock()
        today = self.today()
        channel = msg.channel or "direct"
        tkey = convo.thread_key(msg.user, msg.thread)
        with session_scope(self.session_factory) as session:
            actor = self._actor(session, msg, convo.audit_thread(channel, tkey))
            scope = build_scope(
                session, actor=actor, channel=msg.channel, today=today, timezone=self.timezone
            )
            if is_undo(text):
                reply, action = undo_last(
                    session,
                    actor=actor,
                    thread=convo.audit_thread(channel, tkey),
                    now=now,
                    minutes=self.undo_minutes,
                    names=scope.names,
                )
                convo.clear_pending(session, channel, tkey)
                return ChatResult(reply=reply, actions=[action] if action else [])
            row = convo.load_pending(session, channel, tkey, now=now)
            pending = None
            if row is not None and row.user == msg.user:
                pending = Interpretation.from_dict(row.interpretation)
                convo.clear_pending(session, channel, tkey)
            history = [(t.role, t.content) for t in convo.recent_turns(session, channel, tkey)]
        result = None
        if self.llm is not None and pending is None:
            result = self._try_agent(text, actor, scope, today, history)
        if result is None:
            result = self.dispatcher.run(text, actor=actor, scope=scope, today=today, pending=pending)
        with session_scope(self.session_factory) as session:
            if result.pending is not None:
                interp = result.pending.pop("_interpretation")
                convo.save_pending(
                    session, channel, tkey, user=msg.user, interpretation=interp,
                    question=result.pending.get("question"), now=now, minutes=self.pending_minutes,
                )  # fmt: skip
            convo.append_turn(session, channel, tkey, role="user", content=self.redact(text), user=msg.user)
            done = [{"tool": a["tool"], "ok": a["ok"]} for a in result.actions]
            convo.append_turn(session, channel, tkey, role="assistant", content=result.reply, actions=done)
        return result

    def _actor(self, session: Session, msg: Incoming, tkey: str) -> Actor:
        via = msg.via if msg.via in VIAS else "api"
        actor = people_service.actor_for(session, msg.user, via, thread=tkey, channel=msg.channel)
        if actor.person_id is None and msg.user.startswith(("U", "W")):
            # Unknown Slack users are registered as members on first contact, through the service.
            from tools.schemas import PersonCreate

            people_service.create_person(
                session=session, actor=Actor.system(via),
                data=PersonCreate(slack_id=msg.user, name=msg.user_name or msg.user, role="member"),
            )  # fmt: skip
            session.flush()
            actor = people_service.actor_for(session, msg.user, via, thread=tkey, channel=msg.channel)
        return actor

    def _try_agent(
        self, text: str, actor: Actor, scope: Scope, today: date, history: list[tuple[str, str]]
    ) -> ChatResult | None:
        from bot.agent import AgentEngine, AgentUnavailable

        if self._agent is None:
            self._agent = AgentEngine(self)
        try:
            return self._agent.run(text, actor=actor, scope=scope, today=today, history=history)
        except AgentUnavailable as exc:
            log.warning("LLM engine unavailable (%s); using the built-in engine", exc)
            return None

    # -- audit --------------------------------------------------------------------------------------
    def _audit(self, msg: Incoming, text: str, result: ChatResult, outcome: str, ref: str) -> None:
        tkey = convo.audit_thread(msg.channel or "direct", convo.thread_key(msg.user, msg.thread))
        actions = [
            {"tool": a.get("tool"), "ok": a.get("ok"), "args": _redact_args(a.get("args") or {}, self.redact),
             "key": _key_of(a.get("result"))}
            for a in result.actions
        ]  # fmt: skip
        via = msg.via if msg.via in VIAS else "api"
        actor = Actor(user_id=msg.user[:32], via=via, name=msg.user_name)
        with session_scope(self.session_factory) as session:
            audit.record(
                session, actor, "chat.message", "conversation", None, None,
                summary=self.redact(text)[:500],
                detail={"channel": msg.channel or "direct", "thread": tkey, "text": self.redact(text),
                        "actions": actions, "outcome": outcome, "engine": result.engine, "ref": ref,
                        "pending": bool(result.pending)},
                thread=tkey,
            )  # fmt: skip


def _key_of(result: Any) -> str | None:
    return result.get("key") if isinstance(result, dict) and isinstance(result.get("key"), str) else None


def _redact_args(args: dict[str, Any], redact: Callable[[str], str]) -> dict[str, Any]:
    return {k: redact(v) if isinstance(v, str) else v for k, v in args.items()}
