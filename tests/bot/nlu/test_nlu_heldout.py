"""Held-out chat messages (data/heldout.jsonl): realistic PM Slack phrasings written apart from the dev set.

Unlike the paraphrase cases, these are not each required to pass: the set measures how well understanding
generalizes, so the test reports the accuracy and holds it to the evaluation's targets. Writing anything
where the message asked for no write is never tolerated.
"""

from __future__ import annotations

from typing import Any

import pytest
from nlu_harness import HELDOUT, WRITE_TOOLS, load_cases, score_case

HELD = load_cases(HELDOUT)
ALL_TOOLS = {
    "ask",
    "project_status",
    "list_risks",
    "log_risk",
    "update_risk",
    "close_risk",
    "file_change_request",
    "decide_change_request",
    "list_change_requests",
    "list_milestones",
    "update_milestone",
    "post_status_update",
    "digest",
}


def test_heldout_set_is_large_and_covers_every_tool() -> None:
    assert len(HELD) >= 60
    assert len({c["id"] for c in HELD}) == len(HELD)
    tools = {c["expect"].get("tool") for c in HELD if "tool" in c["expect"]}
    assert tools >= ALL_TOOLS | {None}
    assert sum(1 for c in HELD if c["expect"].get("no_write")) >= 5
    assert sum(1 for c in HELD if len(c["turns"]) > 1) >= 3


@pytest.fixture(scope="module")
def scores(portfolio: dict[str, Any]) -> list[dict[str, Any]]:
    return [score_case(c, portfolio) for c in HELD]


def test_heldout_accuracy(scores: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    n = len(scores)
    tool = sum(s["tool_ok"] for s in scores) / n
    args = (
        sum(
            s["args_ok"] or (s["tool_ok"] and not c["expect"].get("tool"))
            for c, s in zip(HELD, scores, strict=True)
        )
        / n
    )
    asks = sum(s["asks_ok"] for s in scores) / n
    failed = [s for s in scores if not (s["tool_ok"] and s["args_ok"] is not False and s["asks_ok"])]
    report = [f"held-out: {n} cases, tool {tool:.3f}, args {args:.3f}, follow-ups {asks:.3f}"]
    report += [
        f"  {s['id']}: {s['problems'] or s['got'].get('tool') or s['got'].get('intent')}" for s in failed
    ]
    with capsys.disabled():
        print("\n" + "\n".join(report))
    assert tool >= 0.95, "\n".join(report)
    assert args >= 0.90, "\n".join(report)
    assert asks >= 0.95, "\n".join(report)


def test_heldout_never_writes_when_no_write_was_asked(scores: list[dict[str, Any]]) -> None:
    for case, s in zip(HELD, scores, strict=True):
        expect = case["expect"]
        if expect.get("no_write") or ("tool" in expect and expect["tool"] is None):
            got = s["got"]
            wrote = got.get("intent") == "tool" and got.get("tool") in WRITE_TOOLS
            assert not wrote, f"{case['id']}: {case['turns'][-1]['text']!r} -> {got}"
