"""Weekly digest subscriptions and the runs that claim each posting period exactly once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tools.models.base import Base, Timestamped, utcnow
from tools.models.records import Project


class DigestSubscription(Timestamped, Base):
    """A channel's standing order for a digest: one project's, or the portfolio's when project is null."""

    __tablename__ = "digest_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer, default=0)  # Monday = 0, as datetime.weekday()
    time: Mapped[str] = mapped_column(String(5), default="09:00")  # HH:MM, local to `timezone`
    timezone: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_by: Mapped[str | None] = mapped_column(String(32))

    project: Mapped[Project | None] = relationship(lazy="joined")


class DigestRun(Base):
    """One posting of a subscription for one period; the unique row is the claim that makes it once."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("subscription_id", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("digest_subscriptions.id", ondelete="CASCADE"), index=True
    )
    period_key: Mapped[str] = mapped_column(String(20))
    claimed_by: Mapped[str] = mapped_column(String(100))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="claimed")  # claimed, posted, failed
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    posted_at: Mapped[datetime | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
