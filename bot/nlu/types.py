"""What the built-in understanding engine reads (NluContext) and what it returns (Interpretation)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

# The contract's tools that change records. Anything else only reads.
WRITE_TOOLS: frozenset[str] = frozenset(
    {
        "log_risk",
        "update_risk",
        "close_risk",
        "file_change_request",
        "decide_change_request",
        "update_milestone",
        "post_status_update",
    }
)
READ_TOOLS: frozenset[str] = frozenset(
    {"ask", "project_status", "list_risks", "list_change_requests", "list_milestones", "digest"}
)
# Arguments each tool cannot run without (the engine asks for the first missing one).
REQUIRED: dict[str, tuple[str, ...]] = {
    "ask": ("question",),
    "project_status": ("project",),
    "log_risk": ("project", "title", "probability", "impact"),
    "update_risk": ("risk",),
    "close_risk": ("risk",),
    "file_change_request": ("project", "title"),
    "decide_change_request": ("change_request", "decision"),
    "update_milestone": ("milestone",),
    "post_status_update": ("project", "overall", "summary"),
}
INTENTS = ("tool", "ask", "help", "smalltalk", "clarify", "unknown")


@dataclass(frozen=True)
class ProjectRef:
    key: str
    name: str
    description: str = ""
    channel: str | None = None


@dataclass(frozen=True)
class PersonRef:
    slack_id: str
    name: str
    role: str = "member"


@dataclass(frozen=True)
class RecordRef:
    key: str
    kind: str  # 'risk' | 'change_request' | 'milestone'
    project: str
    title: str
    status: str
    description: str = ""
    due_date: str | None = None  # ISO; lets "slip M2 by two weeks" move the current date


@dataclass
class NluContext:
    today: date
    timezone: str
    user_id: str
    channel: str
    channel_project: str | None
    projects: list[ProjectRef] = field(default_factory=list)
    people: list[PersonRef] = field(default_factory=list)
    records: list[RecordRef] = field(default_factory=list)

    def project(self, key: str | None) -> ProjectRef | None:
        return next((p for p in self.projects if p.key == key), None)

    def record(self, key: str | None) -> RecordRef | None:
        if not key:
            return None
        up = key.upper()
        return next((r for r in self.records if r.key.upper() == up), None)


@dataclass
class Interpretation:
    """The engine's reading of one message.

    intent:
      - 'tool': run `tool` with `args` (includes the `ask` tool for questions).
      - 'ask': a required argument is missing; `tool`/`args` hold what we have, `missing` names the
        field(s), `question` is the ONE follow-up to post. Store it and call `continue_pending`.
      - 'clarify': a reference is ambiguous; like 'ask' but `options` lists the candidates (keys).
      - 'help': the user wants to know what the assistant can do.
      - 'smalltalk': greeting, thanks, out of scope, pasted text to summarize, or a cancelled follow-up
        (`notes` then holds 'cancelled'); no tool runs.
      - 'unknown': not understood; reply with a hint (no tool).
    """

    intent: str
    tool: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    question: str | None = None
    options: list[str] = field(default_factory=list)
    confidence: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def needs_followup(self) -> bool:
        return self.intent in ("ask", "clarify")

    @property
    def is_write(self) -> bool:
        return self.intent == "tool" and self.tool in WRITE_TOOLS

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Interpretation:
        return cls(
            intent=str(data.get("intent", "unknown")),
            tool=data.get("tool"),
            args=dict(data.get("args") or {}),
            missing=list(data.get("missing") or []),
            question=data.get("question"),
            options=list(data.get("options") or []),
            confidence=float(data.get("confidence") or 0.0),
            notes=list(data.get("notes") or []),
        )
