"""Status updates, audit events and the project status roll-up."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field, field_validator

from tools.schemas.common import Input, IsoDate, ProjectKey, Public, Rag, Text, project_key_of
from tools.schemas.records import ChangeRequestPublic, MilestonePublic, RiskPublic


class StatusUpdateCreate(Input):
    project: ProjectKey
    overall: Rag
    summary: Text = Field(min_length=1, max_length=20000)
    schedule: Rag | None = None
    budget: Rag | None = None
    scope: Rag | None = None
    as_of: IsoDate | None = None


class StatusUpdatePublic(Public):
    id: int
    project: str
    overall: str
    schedule: str | None = None
    budget: str | None = None
    scope: str | None = None
    summary: str
    author: str | None = None
    as_of: date
    created_at: datetime | None = None

    _project = field_validator("project", mode="before")(project_key_of)


class AuditEventPublic(Public):
    id: int
    at: datetime
    actor: str
    actor_name: str | None = None
    via: str
    action: str
    entity_type: str
    entity_key: str | None = None
    project_key: str | None = None
    changes: dict[str, Any] = Field(default_factory=dict)
    detail: dict[str, Any] = Field(default_factory=dict)
    summary: str | None = None
    thread: str | None = None


class ProjectStatusPublic(Public):
    project: str
    name: str
    today: date
    latest_status: StatusUpdatePublic | None = None
    overall: str | None = Field(default=None, description="latest overall RAG, None before any update")
    schedule: str | None = None
    budget: str | None = None
    scope: str | None = None
    summary: str | None = None
    open_risks: dict[str, int] = Field(default_factory=dict, description="open + monitoring by rating")
    open_risk_total: int = 0
    top_risks: list[RiskPublic] = Field(default_factory=list)
    upcoming_milestones: list[MilestonePublic] = Field(default_factory=list)
    overdue_milestones: list[MilestonePublic] = Field(default_factory=list)
    awaiting_decision: list[ChangeRequestPublic] = Field(default_factory=list)
