"""General understanding found weak on held-out messages: each case states a rule, not a sentence."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.nlu import NluContext, continue_pending, understand
from bot.nlu.engine import held_back

WRITES = {
    "log_risk",
    "update_risk",
    "close_risk",
    "file_change_request",
    "decide_change_request",
    "update_milestone",
    "post_status_update",
}


@pytest.mark.parametrize(
    "text",
    [
        "dont close R1 yet",
        "don't log this as a risk yet, the vendor may still deliver",
        "not sure if we should bump the impact on SEPSIS-R2",
        "we might need to log a risk if the BAA slips again",
        "should we approve CHATNAV-CR1 before the freeze",
        "let's not move the go-live milestone until the steering meeting",
    ],
)
def test_negated_or_hedged_writes_write_nothing(text: str, ctx_for: Callable[..., NluContext]) -> None:
    result = understand(text, ctx_for("U0GRACE01", "C0SEPSIS01"))
    assert not (result.intent == "tool" and result.tool in WRITES), result.to_dict()


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("don't forget to log risk: lab feed delayed, prob 3 impact 4", "log_risk"),
        ("log risk: we might need to re-run validation if lab codes change, prob 3 impact 4", "log_risk"),
        ("not approving CR1, defer it to january", "decide_change_request"),
        ("close SEPSIS-R1, drift is back within bounds", "close_risk"),
    ],
)
def test_plain_requests_are_not_held_back(text: str, tool: str, ctx_for: Callable[..., NluContext]) -> None:
    result = understand(text, ctx_for("U0GRACE01", "C0SEPSIS01"))
    assert result.tool == tool, result.to_dict()


def test_held_back_is_about_the_write_not_the_story() -> None:
    assert held_back("don't close it yet")
    assert not held_back("the vendor might need to re-run the export, prob 3 impact 4")


@pytest.mark.parametrize(
    ("text", "project"),
    [
        ("where do things stand w/ the patient nav chatbot", "CHATNAV"),
        ("how's the rad summarization work going", "RADSUM"),
    ],
)
def test_clipped_project_names(text: str, project: str, ctx_for: Callable[..., NluContext]) -> None:
    result = understand(text, ctx_for("U0GRACE01", "D0GRACE01"))
    assert (result.tool, result.args.get("project")) == ("project_status", project), result.to_dict()


def test_project_label_header_opens_a_new_record(ctx_for: Callable[..., NluContext]) -> None:
    risk = understand(
        "RADSUM risk: annotators leave in Jan. likely + high impact", ctx_for("U0MARCO01", "D0MARCO01")
    )
    assert (risk.tool, risk.args.get("project"), risk.args.get("probability"), risk.args.get("impact")) == (
        "log_risk",
        "RADSUM",
        4,
        4,
    )
    cr = understand("sepsis CR - add lactate from POC analyzers, 2 wks, no added cost", ctx_for())
    assert (cr.tool, cr.args.get("project"), cr.args.get("cost")) == ("file_change_request", "SEPSIS", 0)


def test_both_levels_without_a_verb_is_a_new_risk(ctx_for: Callable[..., NluContext]) -> None:
    result = understand(
        "heads up - the pathology feed moves to a new interface engine in jan. prob 3 impact 4",
        ctx_for("U0JULIA01", "C0TRIALM01"),
    )
    assert (result.tool, result.args.get("probability"), result.args.get("impact")) == ("log_risk", 3, 4)


def test_hyphenated_abbreviation_finds_the_record(ctx_for: Callable[..., NluContext]) -> None:
    result = understand("we can close the de-id risk now", ctx_for("U0TOMAS01", "C0RADSUM01"))
    assert (result.tool, result.args.get("risk")) == ("close_risk", "RADSUM-R1"), result.to_dict()


def test_record_named_first_without_article(ctx_for: Callable[..., NluContext]) -> None:
    result = understand("reader study milestone is in progress now", ctx_for("U0MARCO01", "C0RADSUM01"))
    assert (result.tool, result.args) == (
        "update_milestone",
        {"milestone": "RADSUM-M2", "status": "in_progress"},
    )


def test_response_verb_and_handover(ctx_for: Callable[..., NluContext]) -> None:
    esc = understand("escalate CHATNAV-R3 please, no interpreter capacity", ctx_for("U0GRACE01", "D0GRACE01"))
    assert esc.args.get("response") == "escalate", esc.to_dict()
    hand = understand("hand CHATNAV-R1 over to Kevin", ctx_for("U0HENRY01", "D0HENRY01"))
    assert hand.args.get("owner") == "U0KEVIN01", hand.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "reminder to self: close R1 once the IRB letter arrives",
        "if the nursing council says no we'll have to file a CR to change the threshold",
        "note to self - update SEPSIS-R2 after the sweep",
    ],
)
def test_notes_and_conditional_plans_write_nothing(text: str, ctx_for: Callable[..., NluContext]) -> None:
    result = understand(text, ctx_for("U0PRIYA01", "C0SEPSIS01"))
    assert not (result.intent == "tool" and result.tool in WRITES), result.to_dict()


def test_quarter_end_and_corrected_dates(ctx_for: Callable[..., NluContext]) -> None:
    ctx = ctx_for("U0JULIA01", "C0TRIALM01")  # today 2026-11-24
    q1 = understand("new risk - coordinators lack In Basket access. prob 3 impact 3, due end of Q1", ctx)
    assert q1.args.get("due_date") == "2027-03-31", q1.to_dict()
    fixed = understand("TRIALMATCH-M3 moved to EOY?? no wait, make it 3/15", ctx)
    assert fixed.args.get("due_date") == "2027-03-15", fixed.to_dict()


def test_owner_mentioned_first(ctx_for: Callable[..., NluContext]) -> None:
    result = understand("<@U0AISHA01> is the new owner of SEPSIS-R3", ctx_for("U0PRIYA01", "D0PRIYA01"))
    assert (result.tool, result.args.get("owner")) == ("update_risk", "U0AISHA01"), result.to_dict()


def test_project_answer_does_not_become_the_title(ctx_for: Callable[..., NluContext]) -> None:
    ctx = ctx_for("U0MARCO01", "D0MARCO01")
    first = understand("log risk", ctx)
    assert first.missing[:2] == ["project", "title"]
    second = continue_pending(first, "chatnav", ctx)
    assert second.args == {"project": "CHATNAV"} and second.missing[0] == "title", second.to_dict()
    third = continue_pending(second, "translation vendor might drop the Spanish contract", ctx)
    assert "translation vendor" in third.args.get("title", "").lower(), third.to_dict()
