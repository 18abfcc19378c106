"""Risks, change requests and milestones: Create / Update / Public / Filter."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, computed_field, field_validator

from tools import scales
from tools.schemas.common import (
    Category,
    CRStatus,
    Input,
    IsoDate,
    Level,
    MilestoneStatus,
    Priority,
    ProjectKey,
    Public,
    Rating,
    Response,
    RiskStatus,
    Text,
    project_key_of,
)


class RiskCreate(Input):
    project: ProjectKey
    title: Text = Field(min_length=1, max_length=300)
    description: str | None = None
    category: Category = "other"
    probability: Level
    impact: Level
    owner: str | None = None
    response: Response | None = None
    mitigation: str | None = None
    trigger: str | None = None
    due_date: IsoDate | None = None
    review_date: IsoDate | None = None
    status: RiskStatus = "open"
    source_link: str | None = None


class RiskUpdate(Input):
    title: Text | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = None
    category: Category | None = None
    probability: Level | None = None
    impact: Level | None = None
    owner: str | None = None
    response: Response | None = None
    mitigation: str | None = None
    trigger: str | None = None
    due_date: IsoDate | None = None
    review_date: IsoDate | None = None
    status: RiskStatus | None = None


class RiskPublic(Public):
    key: str
    project: str
    title: str
    description: str | None = None
    category: str
    probability: int
    impact: int
    score: int
    rating: str
    owner: str | None = None
    response: str | None = None
    mitigation: str | None = None
    trigger: str | None = None
    due_date: date | None = None
    review_date: date | None = None
    status: str
    closed_reason: str | None = None
    closed_at: datetime | None = None
    created_by: str | None = None
    updated_by: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    _project = field_validator("project", mode="before")(project_key_of)


class RiskFilter(Input):
    project: ProjectKey | None = None
    status: RiskStatus | None = None
    min_rating: Rating | None = None
    owner: str | None = None
    category: Category | None = None
    open_only: bool = Field(default=False, description="leave out closed risks when no status is given")
    limit: int | None = Field(default=None, ge=1, le=1000)


class ChangeRequestCreate(Input):
    project: ProjectKey
    title: Text = Field(min_length=1, max_length=300)
    description: str | None = None
    reason: str | None = None
    schedule_days: int | None = Field(default=None, ge=-3650, le=3650)
    cost: float | None = Field(default=None, ge=-1e10, le=1e10)
    scope: str | None = None
    priority: Priority = "medium"
    source_link: str | None = None


class ChangeRequestUpdate(Input):
    title: Text | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = None
    reason: str | None = None
    schedule_days: int | None = Field(default=None, ge=-3650, le=3650)
    cost: float | None = Field(default=None, ge=-1e10, le=1e10)
    scope: str | None = None
    priority: Priority | None = None
    status: CRStatus | None = None


class ChangeRequestPublic(Public):
    key: str
    project: str
    title: str
    description: str | None = None
    reason: str | None = None
    schedule_days: int | None = None
    cost: float | None = None
    scope: str | None = None
    priority: str
    status: str
    requested_by: str | None = None
    decision: str | None = None
    decided_by: str | None = None
    decision_comment: str | None = None
    decided_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    _project = field_validator("project", mode="before")(project_key_of)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def next_statuses(self) -> list[str]:
        return list(scales.CR_TRANSITIONS.get(self.status, ()))


class ChangeRequestFilter(Input):
    project: ProjectKey | None = None
    status: CRStatus | None = None
    awaiting_decision: bool = Field(default=False, description="only submitted or under review")
    limit: int | None = Field(default=None, ge=1, le=1000)


class MilestoneCreate(Input):
    title: Text = Field(min_length=1, max_length=300)
    due_date: IsoDate
    description: str | None = None
    owner: str | None = None
    status: MilestoneStatus = "planned"
    completed_on: IsoDate | None = None


class MilestoneUpdate(Input):
    title: Text | None = Field(default=None, min_length=1, max_length=300)
    due_date: IsoDate | None = None
    description: str | None = None
    owner: str | None = None
    status: MilestoneStatus | None = None
    completed_on: IsoDate | None = None


class MilestonePublic(Public):
    key: str
    project: str
    title: str
    description: str | None = None
    owner: str | None = None
    due_date: date
    original_due_date: date | None = None
    status: str
    completed_on: date | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    _project = field_validator("project", mode="before")(project_key_of)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def slip_days(self) -> int:
        """Days the due date has moved from the original plan (negative when pulled in)."""
        if self.original_due_date is None:
            return 0
        return (self.due_date - self.original_due_date).days


class MilestoneFilter(Input):
    project: ProjectKey | None = None
    status: MilestoneStatus | None = None
    due_within_days: int | None = Field(default=None, ge=0, le=3650)
    overdue: bool = Field(default=False, description="only not-completed milestones past their due date")
    limit: int | None = Field(default=None, ge=1, le=1000)
