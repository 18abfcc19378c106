"""Pydantic v2 input and output models; field names are the contract's argument names."""

from tools.schemas.common import describe_validation_error, parse
from tools.schemas.people import (
    PersonCreate,
    PersonPublic,
    PersonUpdate,
    ProjectCreate,
    ProjectPublic,
    ProjectUpdate,
)
from tools.schemas.records import (
    ChangeRequestCreate,
    ChangeRequestFilter,
    ChangeRequestPublic,
    ChangeRequestUpdate,
    MilestoneCreate,
    MilestoneFilter,
    MilestonePublic,
    MilestoneUpdate,
    RiskCreate,
    RiskFilter,
    RiskPublic,
    RiskUpdate,
)
from tools.schemas.status import (
    AuditEventPublic,
    ProjectStatusPublic,
    StatusUpdateCreate,
    StatusUpdatePublic,
)

__all__ = [
    "AuditEventPublic",
    "ChangeRequestCreate",
    "ChangeRequestFilter",
    "ChangeRequestPublic",
    "ChangeRequestUpdate",
    "MilestoneCreate",
    "MilestoneFilter",
    "MilestonePublic",
    "MilestoneUpdate",
    "PersonCreate",
    "PersonPublic",
    "PersonUpdate",
    "ProjectCreate",
    "ProjectPublic",
    "ProjectStatusPublic",
    "ProjectUpdate",
    "RiskCreate",
    "RiskFilter",
    "RiskPublic",
    "RiskUpdate",
    "StatusUpdateCreate",
    "StatusUpdatePublic",
    "describe_validation_error",
    "parse",
]
