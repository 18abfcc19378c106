"""Every dev evaluation case: tool, arguments and follow-ups must match (own held-out messages:
test_nlu_heldout.py)."""

from __future__ import annotations

from typing import Any

import pytest
from nlu_harness import DEV_CASES, load_cases, score_case

DEV = load_cases(DEV_CASES) if DEV_CASES.exists() else []


def _check(case: dict[str, Any], portfolio: dict[str, Any]) -> None:
    result = score_case(case, portfolio)
    assert result["tool_ok"], f"tool: expected {case['expect'].get('tool')}, got {result['got']}"
    assert result["args_ok"], f"args: {result['problems']} (got {result['got']['args']})"
    assert result["asks_ok"], f"follow-ups: expected {case['expect'].get('asks')}, asked {result['asked']}"


@pytest.mark.skipif(not DEV, reason="shared/eval/chat_dev_cases.jsonl not found")
@pytest.mark.parametrize("case", DEV, ids=[c["id"] for c in DEV])
def test_dev_case(case: dict[str, Any], portfolio: dict[str, Any]) -> None:
    _check(case, portfolio)


@pytest.mark.skipif(not DEV, reason="no dev cases found")
def test_accuracy_meets_targets(portfolio: dict[str, Any]) -> None:
    scores = [score_case(c, portfolio) for c in DEV]
    n = len(scores)
    assert sum(s["tool_ok"] for s in scores) / n >= 0.95
    assert sum(s["args_ok"] for s in scores) / n >= 0.90
