"""Append-only audit trail and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tools.models.base import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(32), index=True)
    actor_name: Mapped[str | None] = mapped_column(String(200))
    via: Mapped[str] = mapped_column(String(10))
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity_type: Mapped[str] = mapped_column(String(30), index=True)
    entity_key: Mapped[str | None] = mapped_column(String(40), index=True)
    project_key: Mapped[str | None] = mapped_column(String(10), index=True)
    # {field: [before, after]} for updates; {field: value} snapshot for creates.
    changes: Mapped[dict] = mapped_column(default=dict)
    detail: Mapped[dict] = mapped_column(default=dict)
    summary: Mapped[str | None] = mapped_column(Text)
    thread: Mapped[str | None] = mapped_column(String(64), index=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20), default="member")
    person_slack_id: Mapped[str | None] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
