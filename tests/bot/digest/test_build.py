"""Every digest section, built from real records and the audit trail on the test database."""

from __future__ import annotations

import pytest
from digest_data import HOSTILE

from bot.digest import build_digest, render_blocks, render_text
from tools.errors import NotFound


def keys(lines) -> list[str]:
    return [line.key for line in lines]


def test_project_digest_sections(session, portfolio):
    d = build_digest(session, project="sepsis", today=portfolio.today, actor=portfolio.pm)
    assert d.project == "SEPSIS" and not d.is_portfolio
    (p,) = d.projects
    assert (p.status.overall, p.status.schedule, p.status.budget, p.status.scope) == (
        "amber",
        "red",
        "green",
        "green",
    )
    assert "Validation cohort delayed" in p.status.summary
    assert keys(d.top_risks)[:3] == ["SEPSIS-R1", "SEPSIS-R4", "SEPSIS-R6"]  # 20, 16, 12 by score
    assert "SEPSIS-R3" not in keys(d.top_risks)  # closed
    top = d.top_risks[0]
    assert (top.score, top.rating, top.owner) == (20, "Critical", "U0PM")
    assert keys(d.overdue_actions) == ["SEPSIS-R1"]
    assert keys(d.stale_risks) == ["SEPSIS-R6"]
    assert keys(d.upcoming_milestones) == ["SEPSIS-M1", "SEPSIS-M4"]  # +5, moved to +9; +20 is too far
    assert keys(d.overdue_milestones) == ["SEPSIS-M5"]
    assert keys(d.decisions) == ["SEPSIS-CR1", "SEPSIS-CR3"]
    assert p.open_risks == {"Low": 1, "Medium": 1, "High": 1, "Critical": 1} | {"High": 2}
    assert sorted(d.heat) == sorted([(5, 4), (3, 3), (4, 4), (1, 3), (3, 4)])


def test_week_changes_come_from_the_audit_trail(session, portfolio):
    d = build_digest(session, project="SEPSIS", today=portfolio.today, actor=portfolio.pm)
    changes = {(c.kind, c.key) for c in d.changes}
    assert {("risk_opened", f"SEPSIS-R{n}") for n in (1, 2, 3, 4, 5)} <= changes
    assert ("risk_opened", "SEPSIS-R6") not in changes  # logged 40 days ago
    assert ("risk_closed", "SEPSIS-R3") in changes
    assert ("risk_rescored", "SEPSIS-R4") in changes
    assert {("cr_filed", "SEPSIS-CR1"), ("cr_filed", "SEPSIS-CR2"), ("cr_decided", "SEPSIS-CR2")} <= changes
    assert ("cr_decided", "SEPSIS-CR3") not in changes  # under review is not a decision
    assert ("milestone_hit", "SEPSIS-M3") in changes
    assert ("milestone_slipped", "SEPSIS-M4") in changes
    rescored = next(c for c in d.changes if c.kind == "risk_rescored")
    assert rescored.detail == "score 4 -> 16"
    decided = next(c for c in d.changes if c.kind == "cr_decided")
    assert decided.detail.startswith("approved")


def test_portfolio_respects_visibility(session, portfolio):
    as_pm = build_digest(session, project=None, today=portfolio.today, actor=portfolio.pm)
    assert [p.key for p in as_pm.projects] == ["PRIV", "SEPSIS"]
    as_outsider = build_digest(session, project=None, today=portfolio.today, actor=portfolio.outsider)
    assert [p.key for p in as_outsider.projects] == ["SEPSIS"]
    assert "Secret vendor" not in render_text(as_outsider)
    scheduled = build_digest(
        session, project=None, today=portfolio.today
    )  # a channel post: no private projects
    assert [p.key for p in scheduled.projects] == ["SEPSIS"]
    with pytest.raises(NotFound):
        build_digest(session, project="PRIV", today=portfolio.today, actor=portfolio.outsider)
    with pytest.raises(NotFound):
        build_digest(session, project="NOPE", today=portfolio.today, actor=portfolio.admin)
    assert as_pm.top_risks[0].key == "SEPSIS-R1"
    assert "PRIV-R1" in keys(as_pm.top_risks)


def test_render_text_has_every_section(session, portfolio):
    text = render_text(build_digest(session, project="SEPSIS", today=portfolio.today, actor=portfolio.pm))
    for heading in ("## Status", "## What changed this week", "## Top risks", "## Overdue risk actions",
                    "## Risks not reviewed in 30 days", "## Milestones due in the next 14 days",
                    "## Decisions needed"):  # fmt: skip
        assert heading in text
    assert "Overall AMBER | schedule RED | budget GREEN | scope GREEN" in text
    assert "SEPSIS-R1 [Critical 20] Label leakage in training data - Priya Patel, due" in text
    assert "SEPSIS-R2 [Medium 9] EHR vendor API rate limits - Sam Lee" in text  # a plain-name owner as given
    assert "Re-extract labels with a time cutoff" in text
    assert "SEPSIS-CR1 Add lactate feature (+14 days, $25,000) - high priority" in text
    assert "Risk re-scored: SEPSIS-R4 Model drift after go-live (score 4 -> 16)" in text


def test_render_blocks_are_valid_slack_and_escaped(session, portfolio):
    blocks = render_blocks(build_digest(session, project="SEPSIS", today=portfolio.today, actor=portfolio.pm))
    assert blocks[0]["type"] == "header" and len(blocks) <= 50
    for block in blocks:
        text = block.get("text", {}).get("text", "")
        assert len(text) <= 3000
    body = "\n".join(b.get("text", {}).get("text", "") for b in blocks)
    assert HOSTILE not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<@U0PM>" in body  # owners who are Slack users are mentioned


def test_empty_portfolio(session):
    from tools.actor import Actor

    d = build_digest(
        session, project=None, today=__import__("datetime").date(2026, 1, 5), actor=Actor.system()
    )
    assert d.projects == [] and "No projects to report on." in render_text(d)
    assert render_blocks(d)[0]["type"] == "header"
