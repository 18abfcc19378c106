"""What every listener needs, built once by create_slack_app and passed in (never module globals)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from tools.actor import Actor
from tools.db import session_scope
from tools.services import people


@dataclass
class SlackDeps:
    assistant: Any  # bot.assistant.Assistant: .handle(Incoming) -> ChatResult
    session_factory: sessionmaker[Session]
    today: Callable[[], date]
    timezone: str = "America/Chicago"
    undo_minutes: int = 15
    build_digest: Callable[..., Any] | None = None
    render_blocks: Callable[..., list[dict]] | None = None
    render_text: Callable[..., str] | None = None
    heatmap_png: Callable[..., bytes] | None = None
    subscribe_digest: Callable[..., Any] | None = None

    @contextmanager
    def unit(self, user: str, **extra: str | None) -> Iterator[tuple[Session, Actor]]:
        """A session (committed at the end) and the Slack user as an actor (`thread` tags its audit)."""
        with session_scope(self.session_factory) as session:
            yield session, people.actor_for(session, user, via="slack", **extra)
