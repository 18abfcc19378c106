"""Conversation state: pending follow-up questions, per-thread chat history, processed Slack events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tools.models.base import Base, utcnow


class PendingConversation(Base):
    """A question the assistant asked and is waiting on, one per (channel, thread).

    `thread` is the Slack thread ts, or `user:<id>` for a conversation outside a thread, so several
    workers and a restarted process all continue the same conversation from the database.
    """

    __tablename__ = "pending_conversations"
    __table_args__ = (UniqueConstraint("channel", "thread"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(64), index=True)
    thread: Mapped[str] = mapped_column(String(80))
    user: Mapped[str] = mapped_column(String(32))
    interpretation: Mapped[dict] = mapped_column(default=dict)
    question: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class ChatTurn(Base):
    """One message in a thread (the user's or the assistant's), the LLM engine's memory."""

    __tablename__ = "chat_turns"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(64), index=True)
    thread: Mapped[str] = mapped_column(String(80), index=True)
    user: Mapped[str | None] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(12))
    content: Mapped[str] = mapped_column(Text)
    actions: Mapped[list] = mapped_column(default=list)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ProcessedEvent(Base):
    """A Slack event already handled; the unique `event_id` makes retries and extra workers no-ops."""

    __tablename__ = "processed_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str | None] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
