"""Build an NluContext from the eval fixture and score cases (shared by the tests and the report)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from bot.nlu import Interpretation, NluContext, PersonRef, ProjectRef, RecordRef, continue_pending, understand
from bot.nlu.types import WRITE_TOOLS  # the contract's write tools; test_nlu_engine pins the list

# shared/ sits beside the repository: <root>/../shared/eval; tests/bot/fixtures holds a copy of the two files
# so the suite also runs from a clone somewhere else.
_SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "eval"
EVAL_DIR = (
    _SHARED if (_SHARED / "portfolio_fixture.json").exists() else Path(__file__).parents[1] / "fixtures"
)
FIXTURE = EVAL_DIR / "portfolio_fixture.json"
DEV_CASES = EVAL_DIR / "chat_dev_cases.jsonl"
HELDOUT = Path(__file__).parent / "data" / "heldout.jsonl"


def load_fixture(path: Path = FIXTURE) -> dict[str, Any]:
    return json.loads(path.read_text())


def context_for(fixture: dict[str, Any], user: str, channel: str) -> NluContext:
    projects = [
        ProjectRef(p["key"], p["name"], p.get("description", ""), p.get("channel"))
        for p in fixture["projects"]
    ]
    people = [PersonRef(u["id"], u["name"], u.get("role", "member")) for u in fixture["users"]]
    records: list[RecordRef] = []
    for p in fixture["projects"]:
        for kind, field in (
            ("risk", "risks"),
            ("change_request", "change_requests"),
            ("milestone", "milestones"),
        ):
            for r in p.get(field, []):
                records.append(
                    RecordRef(
                        r["key"],
                        kind,
                        p["key"],
                        r["title"],
                        r.get("status", ""),
                        r.get("description", ""),
                        r.get("due_date"),
                    )
                )
    channel_project = next((p["key"] for p in fixture["projects"] if p.get("channel") == channel), None)
    return NluContext(
        today=date.fromisoformat(fixture["evaluation_date"]),
        timezone=fixture["timezone"],
        user_id=user,
        channel=channel,
        channel_project=channel_project,
        projects=projects,
        people=people,
        records=records,
    )


def load_cases(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def play(case: dict[str, Any], fixture: dict[str, Any]) -> tuple[Interpretation, list[str]]:
    """Run every turn; return the final interpretation and the fields asked about on the way."""
    pending: Interpretation | None = None
    asked: list[str] = []
    result = Interpretation("unknown")
    for turn in case["turns"]:
        ctx = context_for(fixture, turn["user"], turn["channel"])
        result = continue_pending(pending, turn["text"], ctx) if pending else understand(turn["text"], ctx)
        # round-trip like the orchestrator does between turns
        result = Interpretation.from_dict(json.loads(json.dumps(result.to_dict())))
        if result.needs_followup:
            asked.extend(result.missing[:1])
            pending = result
        else:
            pending = None
    return result, asked


def arg_problems(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    problems = []
    for key, want in expected.items():
        if key.endswith("_contains"):
            field = key[: -len("_contains")]
            value = str(got.get(field) or "").lower()
            for piece in want:
                if piece.lower() not in value:
                    problems.append(f"{field} lacks {piece!r} (got {got.get(field)!r})")
        elif got.get(key) != want:
            problems.append(f"{key}: want {want!r} got {got.get(key)!r}")
    return problems


def score_case(case: dict[str, Any], fixture: dict[str, Any]) -> dict[str, Any]:
    result, asked = play(case, fixture)
    exp = case["expect"]
    tool = result.tool if result.intent == "tool" else None
    # `no_write` without a `tool`: any reading (or no tool) is fine, as long as nothing is written
    tool_ok = tool == exp.get("tool") if "tool" in exp or not exp.get("no_write") else True
    if exp.get("no_write") and tool in WRITE_TOOLS:
        tool_ok = False
    problems = arg_problems(exp.get("args", {}), result.args) if tool_ok and exp.get("tool") else []
    asks = exp.get("asks")
    asks_ok = not asks or all(a in asked for a in asks)
    return {
        "id": case["id"],
        "tool_ok": tool_ok,
        "args_ok": tool_ok and not problems,
        "asks_ok": asks_ok,
        "problems": problems,
        "got": result.to_dict(),
        "asked": asked,
    }
