"""All tables. Importing this package registers every model module on `Base.metadata`."""

from tools.models import audit, records  # noqa: F401
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

# Model modules owned by other layers' features (sync state, conversations, digests) register here too.
for _name in ("knowledge", "conversation", "digest"):
    try:
        __import__(f"tools.models.{_name}")
    except ModuleNotFoundError as exc:  # pragma: no cover - only while a module is not written yet
        if exc.name != f"tools.models.{_name}":
            raise

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
