"""Built-in (no LLM) message understanding: text + context -> a contract tool call or a follow-up."""

from bot.nlu.engine import understand
from bot.nlu.followup import continue_pending
from bot.nlu.types import (
    READ_TOOLS,
    REQUIRED,
    WRITE_TOOLS,
    Interpretation,
    NluContext,
    PersonRef,
    ProjectRef,
    RecordRef,
)

__all__ = [
    "READ_TOOLS",
    "REQUIRED",
    "WRITE_TOOLS",
    "Interpretation",
    "NluContext",
    "PersonRef",
    "ProjectRef",
    "RecordRef",
    "continue_pending",
    "understand",
]
