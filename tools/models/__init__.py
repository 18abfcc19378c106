"""All tables. Importing this package registers every model module on `Base.metadata`."""

# Every model module, so that importing this package registers all tables on `Base.metadata`.
from tools.models import audit, conversation, digest, knowledge, records  # noqa: F401
from tools.models.audit import ApiToken, AuditEvent
from tools.models.base import Base
from tools.models.records import (
    ChangeRequest,
    Milestone,
    Person,
    Project,
    ProjectChannel,
    ProjectMember,
    Risk,
    StatusUpdate,
)

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "ChangeRequest",
    "Milestone",
    "Person",
    "Project",
    "ProjectChannel",
    "ProjectMember",
    "Risk",
    "StatusUpdate",
]
