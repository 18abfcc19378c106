"""The chat evaluation: scoring semantics, the CLI, and the built-in engine's targets on the dev cases."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from api.cli import app as cli_app
from bot.assistant import ChatResult
from bot.evaluation import arg_matches, read_cases, run_chat_eval, score_case
from tests.bot.conftest import DEV_CASES, FIXTURE
from tools.errors import Invalid


def test_argument_matching_semantics():
    args = {"title": "Blood culture results land late", "probability": 3, "cost": 55000.0, "project": "sepsis"}
    assert arg_matches("title_contains", ["blood CULTURE", "late"], args)
    assert not arg_matches("title_contains", ["blood", "early"], args)
    assert arg_matches("probability", 3, args) and not arg_matches("probability", 4, args)
    assert arg_matches("cost", 55000, args) and arg_matches("project", "SEPSIS", args)
    assert not arg_matches("owner", "U0AISHA01", args)


def _action(tool, args, ok=True):
    return {"tool": tool, "args": args, "ok": ok, "result": {}}


def test_scoring_asks_refusals_and_forbidden_writes():
    asks = {"id": "a", "turns": [{}, {}], "expect": {"tool": "log_risk", "args": {"impact": 5}, "asks": ["impact"]}}
    turns = [ChatResult("Impact?", pending={"missing": ["impact"]}),
             ChatResult("Logged", actions=[_action("log_risk", {"impact": 5})])]
    outcome = score_case(asks, turns, db_writes=1)
    assert outcome.passed and outcome.multi_turn and outcome.forbidden_writes == 0
    no_question = score_case(asks, [ChatResult("?"), turns[1]], db_writes=1)
    assert no_question.asks_ok is False and not no_question.passed

    refused = {"id": "r", "turns": [{}], "expect": {"tool": "decide_change_request", "args": {}, "refused": True}}
    assert score_case(refused, [ChatResult("no", actions=[_action("decide_change_request", {}, ok=False)])], 0).passed
    wrote = score_case(refused, [ChatResult("ok", actions=[_action("decide_change_request", {})])], 1)
    assert not wrote.passed and wrote.forbidden_writes == 1

    quiet = {"id": "q", "turns": [{}], "expect": {"tool": None, "no_write": True}}
    assert score_case(quiet, [ChatResult("hi")], 0).passed
    assert score_case(quiet, [ChatResult("hi", actions=[_action("list_risks", {})])], 0).passed
    assert not score_case(quiet, [ChatResult("x", actions=[_action("close_risk", {"risk": "A-R1"})])], 1).passed


def test_bad_case_files_are_refused(tmp_path):
    bad = tmp_path / "cases.jsonl"
    bad.write_text('{"id": "x"}\n')
    with pytest.raises(Invalid, match="line 1"):
        read_cases(bad)


def test_pmo_eval_chat_cli_on_a_subset():
    result = CliRunner().invoke(cli_app, ["eval", "chat", "--fixture", str(FIXTURE), "--cases", str(DEV_CASES),
                                          "--case", "chat-016", "--case", "chat-042", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["cases"] == 2 and report["tool_accuracy"] == 1.0 and report["forbidden_writes"] == 0


def test_built_in_engine_meets_the_targets_on_the_dev_cases():
    report = run_chat_eval(FIXTURE, DEV_CASES)
    detail = json.dumps(report.failures, indent=1, default=str)
    assert report.cases == 30
    assert report.tool_accuracy >= 0.95, detail
    assert report.arg_accuracy >= 0.90, detail
    assert report.forbidden_writes == 0, detail
    assert report.multi_turn_completion == 1.0, detail
