"""Conversation state in the database: pending follow-ups, per-thread history, processed Slack events.

Everything lives in tables (not memory) so a restart or another worker continues the same thread.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tools.models.conversation import ChatTurn, PendingConversation, ProcessedEvent


def thread_key(user: str, thread: str | None) -> str:
    """The conversation a message belongs to: its Slack thread, else the user's own line in the channel."""
    return thread if thread else f"user:{user}"


def audit_thread(channel: str, thread: str) -> str:
    """How audit events name a conversation: channel and thread (a `user:` key alone is not unique)."""
    return f"{channel}/{thread}"[:64]


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def load_pending(session: Session, channel: str, thread: str, *, now: datetime) -> PendingConversation | None:
    """The live pending follow-up of a thread; an expired one is deleted and ignored."""
    row = session.scalar(
        select(PendingConversation).where(
            PendingConversation.channel == channel, PendingConversation.thread == thread
        )
    )
    if row is not None and _aware(row.expires_at) <= now:
        session.delete(row)
        session.flush()
        return None
    return row


def save_pending(
    session: Session,
    channel: str,
    thread: str,
    *,
    user: str,
    interpretation: dict,
    question: str | None,
    now: datetime,
    minutes: int,
) -> PendingConversation:
    """Store (or replace) the follow-up a thread is waiting on."""
    clear_pending(session, channel, thread)
    row = PendingConversation(
        channel=channel,
        thread=thread,
        user=user,
        interpretation=interpretation,
        question=question,
        created_at=now,
        expires_at=now + timedelta(minutes=minutes),
    )
    session.add(row)
    session.flush()
    return row


def clear_pending(session: Session, channel: str, thread: str) -> None:
    session.execute(
        delete(PendingConversation).where(
            PendingConversation.channel == channel, PendingConversation.thread == thread
        )
    )


def purge_expired(session: Session, *, now: datetime) -> int:
    """Delete every expired follow-up; returns how many went (for a periodic job)."""
    result = session.execute(delete(PendingConversation).where(PendingConversation.expires_at <= now))
    return int(result.rowcount or 0)


def append_turn(
    session: Session,
    channel: str,
    thread: str,
    *,
    role: str,
    content: str,
    user: str | None = None,
    actions: list | None = None,
) -> None:
    session.add(
        ChatTurn(channel=channel, thread=thread, user=user, role=role, content=content, actions=actions or [])
    )


def recent_turns(session: Session, channel: str, thread: str, *, limit: int = 20) -> list[ChatTurn]:
    """The thread's last `limit` turns, oldest first."""
    rows = session.scalars(
        select(ChatTurn)
        .where(ChatTurn.channel == channel, ChatTurn.thread == thread)
        .order_by(ChatTurn.id.desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))


def claim_event(session: Session, event_id: str, *, kind: str | None = None) -> bool:
    """True the first time an event id is seen (in any worker); False for a retry or duplicate."""
    try:
        with session.begin_nested():
            session.add(ProcessedEvent(event_id=event_id, kind=kind))
            session.flush()
    except IntegrityError:
        return False
    return True
