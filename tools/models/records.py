"""The PMO's records: people, projects, risks, change requests, milestones, status updates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tools.models.base import Base, Timestamped, utcnow
from tools.scales import CR_PRIORITIES, CR_STATUSES, MILESTONE_STATUSES, RAG, RISK_STATUSES


def _one_of(column: str, values: tuple[str, ...], name: str, nullable: bool = False) -> CheckConstraint:
    """A database-level guard that `column` holds one of the contract's values."""
    listed = ", ".join(f"'{v}'" for v in values)
    condition = f"{column} IN ({listed})"
    return CheckConstraint(f"{column} IS NULL OR {condition}" if nullable else condition, name=name)


class Person(Timestamped, Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_id: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="member")
    email: Mapped[str | None] = mapped_column(String(320))
    title: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Project(Timestamped, Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(10), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(String(32), index=True)
    pm_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="active")
    # Per-project counters; incremented with UPDATE ... RETURNING inside the writing transaction so
    # keys are consecutive and collision-free under concurrent writers.
    risk_seq: Mapped[int] = mapped_column(Integer, default=0)
    cr_seq: Mapped[int] = mapped_column(Integer, default=0)
    milestone_seq: Mapped[int] = mapped_column(Integer, default=0)

    pm: Mapped[Person | None] = relationship(foreign_keys=[pm_id], lazy="joined")
    memberships: Mapped[list[ProjectMember]] = relationship(
        back_populates="project", cascade="all, delete-orphan", lazy="selectin"
    )
    channels: Mapped[list[ProjectChannel]] = relationship(
        back_populates="project", cascade="all, delete-orphan", lazy="selectin"
    )


class ProjectMember(Base):
    __tablename__ = "project_members"
    __table_args__ = (UniqueConstraint("project_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[Project] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(lazy="joined")


class ProjectChannel(Base):
    """A Slack channel linked to a project (a project may have several; a channel belongs to one)."""

    __tablename__ = "project_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    linked_by: Mapped[str | None] = mapped_column(String(32))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[Project] = relationship(back_populates="channels")


class Risk(Timestamped, Base):
    __tablename__ = "risks"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        CheckConstraint("probability BETWEEN 1 AND 5", name="probability_1_5"),
        CheckConstraint("impact BETWEEN 1 AND 5", name="impact_1_5"),
        CheckConstraint("score = probability * impact", name="score_is_product"),
        _one_of("status", RISK_STATUSES, "status_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(24), unique=True, index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20), default="other")
    probability: Mapped[int] = mapped_column(Integer)
    impact: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer, index=True)
    rating: Mapped[str] = mapped_column(String(10))
    owner: Mapped[str | None] = mapped_column(String(200))
    response: Mapped[str | None] = mapped_column(String(20))
    mitigation: Mapped[str | None] = mapped_column(Text)
    trigger: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[date | None] = mapped_column(Date)
    review_date: Mapped[date | None] = mapped_column(Date)
    last_reviewed_at: Mapped[datetime | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    closed_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column()
    source_link: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str | None] = mapped_column(String(32))
    updated_by: Mapped[str | None] = mapped_column(String(32))

    project: Mapped[Project] = relationship(lazy="joined")


class ChangeRequest(Timestamped, Base):
    __tablename__ = "change_requests"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        _one_of("status", CR_STATUSES, "status_valid"),
        _one_of("priority", CR_PRIORITIES, "priority_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(24), unique=True, index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    schedule_days: Mapped[int | None] = mapped_column(Integer)
    cost: Mapped[float | None] = mapped_column(Float)
    scope: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(10), default="medium")
    status: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    requested_by: Mapped[str | None] = mapped_column(String(32))
    decision: Mapped[str | None] = mapped_column(String(10))
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decision_comment: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column()
    source_link: Mapped[str | None] = mapped_column(String(500))
    updated_by: Mapped[str | None] = mapped_column(String(32))

    project: Mapped[Project] = relationship(lazy="joined")


class Milestone(Timestamped, Base):
    __tablename__ = "milestones"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        _one_of("status", MILESTONE_STATUSES, "status_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(24), unique=True, index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    original_due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    completed_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str | None] = mapped_column(String(32))
    updated_by: Mapped[str | None] = mapped_column(String(32))

    project: Mapped[Project] = relationship(lazy="joined")


class StatusUpdate(Base):
    __tablename__ = "status_updates"
    __table_args__ = (
        _one_of("overall", RAG, "overall_rag"),
        _one_of("schedule", RAG, "schedule_rag", nullable=True),
        _one_of("budget", RAG, "budget_rag", nullable=True),
        _one_of("scope", RAG, "scope_rag", nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    overall: Mapped[str] = mapped_column(String(10))
    schedule: Mapped[str | None] = mapped_column(String(10))
    budget: Mapped[str | None] = mapped_column(String(10))
    scope: Mapped[str | None] = mapped_column(String(10))
    summary: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(32))
    as_of: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    project: Mapped[Project] = relationship(lazy="joined")
