"""The chat evaluation: play scripted conversations against a freshly loaded portfolio and score them.

Each case runs on its own copy of a database loaded once from the fixture (through the services), with
today fixed to the fixture's evaluation date, so one case's writes never leak into another's.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.assistant import Assistant, ChatResult, Incoming
from bot.portfolio import evaluation_date, load_portfolio, read_fixture
from bot.safety import Redactor, is_write
from tools.db import make_engine, make_session_factory, session_scope, upgrade
from tools.errors import Invalid
from tools.models import AuditEvent

RECORD_TYPES = ("risk", "change_request", "milestone", "status_update")


@dataclass
class CaseOutcome:
    id: str
    tags: list[str]
    multi_turn: bool
    tool_ok: bool
    args_ok: bool | None  # None: the case expects no arguments
    asks_ok: bool | None
    refused_ok: bool | None
    forbidden_writes: int
    expected: dict[str, Any]
    got: dict[str, Any] | None
    replies: list[str]
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        checks = (self.args_ok, self.asks_ok, self.refused_ok)
        return self.tool_ok and all(c is not False for c in checks) and self.forbidden_writes == 0


@dataclass
class EvalReport:
    cases: int
    tool_accuracy: float
    arg_accuracy: float
    multi_turn_completion: float | None
    forbidden_writes: int
    passed: int
    per_tag: dict[str, dict[str, Any]]
    failures: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def read_cases(path: str | Path) -> list[dict[str, Any]]:
    cases = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except ValueError as exc:
            raise Invalid(f"{path} line {n} is not JSON: {exc}") from exc
        if not isinstance(case, dict) or not case.get("turns") or "expect" not in case:
            raise Invalid(f"{path} line {n} is not a chat case (it needs 'turns' and 'expect').")
        cases.append(case)
    return cases


def arg_matches(name: str, expected: Any, args: dict[str, Any]) -> bool:
    """`x_contains`: every listed piece is a case-insensitive substring of arg x; others compare equal."""
    if name.endswith("_contains"):
        actual = str(args.get(name.removesuffix("_contains")) or "").lower()
        wanted = expected if isinstance(expected, list) else [expected]
        return all(str(w).lower() in actual for w in wanted)
    actual = args.get(name)
    if isinstance(expected, bool) or expected is None:
        return actual == expected
    if isinstance(expected, int | float):
        try:
            return float(actual) == float(expected)
        except (TypeError, ValueError):
            return False
    if isinstance(expected, str):
        return (
            isinstance(actual, str | int | float) and str(actual).strip().lower() == expected.strip().lower()
        )
    return actual == expected


def score_case(case: dict[str, Any], results: Sequence[ChatResult], db_writes: int) -> CaseOutcome:
    expect = case["expect"]
    actions = [a for r in results for a in r.actions]
    last = actions[-1] if actions else None
    want_tool = expect.get("tool")
    refused = bool(expect.get("refused"))
    problems: list[str] = []
    writes = [a for a in actions if is_write(a["tool"]) or a["tool"] == "undo"]
    ok_writes = [a for a in writes if a["ok"]]
    if want_tool is None:
        tool_ok = not writes
        if not tool_ok:
            problems.append("a write was attempted where none was asked for")
    else:
        tool_ok = last is not None and last["tool"] == want_tool
        if not tool_ok:
            problems.append(f"last tool {last['tool'] if last else None!r}, expected {want_tool!r}")
    args_ok = None
    if expect.get("args") is not None and want_tool is not None:
        got_args = last["args"] if last else {}
        bad = [k for k, v in expect["args"].items() if not arg_matches(k, v, got_args)]
        args_ok = tool_ok and not bad
        if bad:
            problems.append("arguments differ: " + ", ".join(bad))
    asks_ok = None
    if expect.get("asks"):
        asked = {f for r in results[:-1] if r.pending for f in (r.pending.get("missing") or [])}
        asks_ok = all(f in asked for f in expect["asks"])
        if not asks_ok:
            problems.append(f"expected a follow-up for {expect['asks']}, asked for {sorted(asked)}")
    refused_ok = None
    if refused:
        refused_ok = last is not None and not last["ok"] and not ok_writes and db_writes == 0
        if not refused_ok:
            problems.append("expected a refusal with nothing written")
    allowed = 1 if (want_tool and is_write(want_tool) and not refused and tool_ok and last["ok"]) else 0
    forbidden = max(0, len(ok_writes) - allowed) + (1 if db_writes and not ok_writes else 0)
    if forbidden:
        problems.append(f"{forbidden} forbidden write(s)")
    got = {"tool": last["tool"], "args": last["args"], "ok": last["ok"]} if last else None
    return CaseOutcome(
        id=str(case.get("id")), tags=list(case.get("tags") or []), multi_turn=len(case["turns"]) > 1,
        tool_ok=tool_ok, args_ok=args_ok, asks_ok=asks_ok, refused_ok=refused_ok, forbidden_writes=forbidden,
        expected=expect, got=got, replies=[r.reply for r in results], problems=problems,
    )  # fmt: skip


def _rate(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def summarize(outcomes: Sequence[CaseOutcome]) -> EvalReport:
    tags: dict[str, list[CaseOutcome]] = defaultdict(list)
    for o in outcomes:
        for tag in o.tags or ["untagged"]:
            tags[tag].append(o)
    per_tag = {
        tag: {"cases": len(group), "tool_accuracy": _rate([o.tool_ok for o in group]),
              "arg_accuracy": _rate([bool(o.args_ok) for o in group if o.args_ok is not None]),
              "passed": sum(o.passed for o in group)}
        for tag, group in sorted(tags.items())
    }  # fmt: skip
    with_args = [o for o in outcomes if o.args_ok is not None and o.tool_ok]
    multi = [o for o in outcomes if o.multi_turn]
    return EvalReport(
        cases=len(outcomes),
        tool_accuracy=_rate([o.tool_ok for o in outcomes]) or 0.0,
        arg_accuracy=_rate([bool(o.args_ok) for o in with_args]) or 0.0,
        multi_turn_completion=_rate([o.passed for o in multi]),
        forbidden_writes=sum(o.forbidden_writes for o in outcomes),
        passed=sum(o.passed for o in outcomes),
        per_tag=per_tag,
        failures=[
            {"id": o.id, "problems": o.problems, "expected": o.expected, "got": o.got, "replies": o.replies}
            for o in outcomes if not o.passed
        ],
    )  # fmt: skip


AssistantFactory = Callable[..., Assistant]


def run_chat_eval(
    fixture_path: str | Path,
    cases_path: str | Path,
    *,
    make_assistant: AssistantFactory | None = None,
    workdir: str | Path | None = None,
    only: Sequence[str] | None = None,
) -> EvalReport:
    """Score every case; `make_assistant(session_factory, today=..., timezone=...)` builds the assistant."""
    fixture = read_fixture(fixture_path)
    cases = [c for c in read_cases(cases_path) if not only or c.get("id") in only]
    today = evaluation_date(fixture)
    timezone = fixture.get("timezone") or "America/Chicago"
    redactor = Redactor()  # one PHI analyzer for every case
    factory = make_assistant or (lambda sf, **kw: Assistant(sf, **kw))
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        template = Path(tmp) / "template.db"
        upgrade(f"sqlite:///{template}")
        engine = make_engine(f"sqlite:///{template}")
        with session_scope(make_session_factory(engine)) as session:
            load_portfolio(session, fixture, today=today)
        with engine.connect() as conn:
            base = int(conn.scalar(select(func.max(AuditEvent.id))) or 0)
        engine.dispose()
        outcomes = [
            _play(case, template, Path(tmp), base, factory, today, timezone, redactor) for case in cases
        ]
    return summarize(outcomes)


def _play(
    case: dict,
    template: Path,
    tmp: Path,
    base: int,
    factory: AssistantFactory,
    today: Any,
    timezone: str,
    redactor: Redactor,
) -> CaseOutcome:
    path = tmp / f"case-{abs(hash(case.get('id'))) % 10**8}.db"
    shutil.copyfile(template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        assistant = factory(make_session_factory(engine), today=today, timezone=timezone, redactor=redactor)
        thread = f"eval-{case.get('id')}"
        results = [
            assistant.handle(Incoming(text=t["text"], user=t["user"], channel=t.get("channel", ""),
                                      thread=t.get("thread", thread), via="api"))
            for t in case["turns"]
        ]  # fmt: skip
        with engine.connect() as conn:
            db_writes = int(
                conn.scalar(
                    select(func.count()).where(AuditEvent.id > base, AuditEvent.entity_type.in_(RECORD_TYPES))
                )
                or 0
            )
    finally:
        engine.dispose()
        path.unlink(missing_ok=True)
    return score_case(case, results, db_writes)


def render_text(report: EvalReport) -> str:
    lines = [
        f"cases {report.cases}, passed {report.passed}",
        f"tool accuracy {report.tool_accuracy:.3f}",
        f"argument accuracy {report.arg_accuracy:.3f}",
        "multi-turn completion "
        + ("n/a" if report.multi_turn_completion is None else f"{report.multi_turn_completion:.3f}"),
        f"forbidden writes {report.forbidden_writes}",
        "per tag:",
    ]
    for tag, row in report.per_tag.items():
        lines.append(
            f"  {tag:<22} n={row['cases']:<3} tool={row['tool_accuracy']} args={row['arg_accuracy']}"
        )
    if report.failures:
        lines.append("failures:")
        for f in report.failures:
            lines.append(f"  {f['id']}: {'; '.join(f['problems'])} (got {f['got']})")
    return "\n".join(lines)
