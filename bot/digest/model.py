"""What a digest says, as plain data: built once, rendered as text, Slack blocks, JSON or a heat map."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

# What changed this week, in the order a reader scans it.
CHANGE_KINDS: dict[str, str] = {
    "risk_opened": "Risk opened",
    "risk_rescored": "Risk re-scored",
    "risk_closed": "Risk closed",
    "cr_filed": "Change request filed",
    "cr_decided": "Change request decided",
    "milestone_hit": "Milestone hit",
    "milestone_slipped": "Milestone slipped",
}


@dataclass(frozen=True)
class StatusLine:
    overall: str
    schedule: str | None
    budget: str | None
    scope: str | None
    summary: str
    as_of: date
    author: str | None = None


@dataclass(frozen=True)
class RiskLine:
    key: str
    project: str
    title: str
    probability: int
    impact: int
    score: int
    rating: str
    status: str
    owner: str | None
    due_date: date | None
    last_reviewed: date | None = None
    mitigation: str | None = None
    owner_name: str | None = None


@dataclass(frozen=True)
class MilestoneLine:
    key: str
    project: str
    title: str
    due_date: date
    status: str
    owner: str | None
    days_left: int
    owner_name: str | None = None


@dataclass(frozen=True)
class DecisionLine:
    key: str
    project: str
    title: str
    status: str
    priority: str
    schedule_days: int | None
    cost: float | None
    requested_by: str | None
    waiting_days: int


@dataclass(frozen=True)
class ChangeLine:
    kind: str
    key: str
    project: str
    title: str
    detail: str
    on: date
    by: str | None = None

    @property
    def label(self) -> str:
        return CHANGE_KINDS.get(self.kind, self.kind)


@dataclass
class ProjectDigest:
    key: str
    name: str
    status: StatusLine | None
    open_risks: dict[str, int]
    heat: list[tuple[int, int]]
    changes: list[ChangeLine] = field(default_factory=list)
    top_risks: list[RiskLine] = field(default_factory=list)
    overdue_actions: list[RiskLine] = field(default_factory=list)
    stale_risks: list[RiskLine] = field(default_factory=list)
    upcoming_milestones: list[MilestoneLine] = field(default_factory=list)
    overdue_milestones: list[MilestoneLine] = field(default_factory=list)
    decisions: list[DecisionLine] = field(default_factory=list)


@dataclass
class Digest:
    """One project's digest, or the portfolio's (`project is None`) over every project it covers."""

    project: str | None
    title: str
    today: date
    since: date
    projects: list[ProjectDigest]
    top_limit: int = 5

    @property
    def is_portfolio(self) -> bool:
        return self.project is None

    def _all(self, attr: str) -> list:
        return [item for p in self.projects for item in getattr(p, attr)]

    @property
    def changes(self) -> list[ChangeLine]:
        return sorted(self._all("changes"), key=lambda c: (list(CHANGE_KINDS).index(c.kind), c.key))

    @property
    def top_risks(self) -> list[RiskLine]:
        risks = sorted(self._all("top_risks"), key=lambda r: (-r.score, r.due_date or date.max, r.key))
        return risks[: self.top_limit]

    @property
    def overdue_actions(self) -> list[RiskLine]:
        return sorted(self._all("overdue_actions"), key=lambda r: (r.due_date or date.max, r.key))

    @property
    def stale_risks(self) -> list[RiskLine]:
        return sorted(self._all("stale_risks"), key=lambda r: (r.last_reviewed or date.min, r.key))

    @property
    def upcoming_milestones(self) -> list[MilestoneLine]:
        return sorted(self._all("upcoming_milestones"), key=lambda m: (m.due_date, m.key))

    @property
    def overdue_milestones(self) -> list[MilestoneLine]:
        return sorted(self._all("overdue_milestones"), key=lambda m: (m.due_date, m.key))

    @property
    def decisions(self) -> list[DecisionLine]:
        return sorted(self._all("decisions"), key=lambda d: (-d.waiting_days, d.key))

    @property
    def heat(self) -> list[tuple[int, int]]:
        return self._all("heat")

    def as_dict(self) -> dict:
        """A JSON-able structured summary (dates as ISO strings)."""
        return _jsonable(
            {
                "project": self.project,
                "title": self.title,
                "today": self.today,
                "since": self.since,
                "projects": [asdict(p) for p in self.projects],
                "changes": [dict(asdict(c), label=c.label) for c in self.changes],
                "top_risks": [asdict(r) for r in self.top_risks],
                "overdue_actions": [asdict(r) for r in self.overdue_actions],
                "stale_risks": [asdict(r) for r in self.stale_risks],
                "upcoming_milestones": [asdict(m) for m in self.upcoming_milestones],
                "overdue_milestones": [asdict(m) for m in self.overdue_milestones],
                "decisions": [asdict(d) for d in self.decisions],
            }
        )


def _jsonable(value):  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
