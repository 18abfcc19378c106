"""The assistant end to end on the eval portfolio: real NLU, real services, real database."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select

from bot.assistant import Incoming
from tests.bot.conftest import TODAY, record_events, say
from tools.models import Person, Project, Risk


def test_logging_a_risk_replies_with_key_and_one_line_summary(assistant, portfolio):
    before = len(record_events(portfolio))
    result = say(
        assistant,
        "log risk SEPSIS: blood culture results land in the feature store ~48h late, so the model never "
        "sees them in time. prob 3 impact 4, owner <@U0AISHA01>, due 12/15",
        user="U0PRIYA01", channel="C0PMOHUB01",
    )
    assert result.reply.startswith("Logged SEPSIS-R6 '")
    assert "P3 × I4 = 12 High" in result.reply
    assert "owner @Aisha" in result.reply and "due 2026-12-15" in result.reply
    [action] = result.actions
    assert action["tool"] == "log_risk" and action["ok"] is True
    assert action["result"]["key"] == "SEPSIS-R6"
    with portfolio() as session:
        risk = session.scalar(select(Risk).where(Risk.key == "SEPSIS-R6"))
        assert risk.created_by == "U0PRIYA01" and risk.owner == "U0AISHA01" and risk.score == 12
    events = record_events(portfolio)[before:]
    assert [e.action for e in events] == ["risk.create"]
    assert events[0].via == "slack" and events[0].thread == "C0PMOHUB01/T1"


def test_project_from_channel_and_reads_do_not_write(assistant, portfolio):
    before = len(record_events(portfolio))
    result = say(assistant, "risk register pls", user="U0MARCO01", channel="C0CHATNV01")
    [action] = result.actions
    assert action["tool"] == "list_risks" and action["args"]["project"] == "CHATNAV" and action["ok"]
    assert "CHATNAV-R1" in result.reply and "CHATNAV-R4" not in result.reply  # closed risks are left out
    status = say(assistant, "SEPSIS status pls", user="U0PRIYA01", channel="C0PMOHUB01")
    assert status.actions[0]["tool"] == "project_status"
    assert status.reply.startswith("*SEPSIS*") and "SEPSIS-CR1" in status.reply
    assert len(record_events(portfolio)) == before


def test_domain_errors_become_a_sentence(assistant):
    result = say(assistant, "close CHATNAV-R4", user="U0MARCO01", channel="C0CHATNV01")
    assert result.reply == "I couldn't do that: CHATNAV-R4 is already closed."
    assert result.actions[0]["ok"] is False and result.actions[0]["result"]["kind"] == "conflict"
    missing = say(assistant, "close SEPSIS-R99", user="U0PRIYA01", channel="C0SEPSIS01", thread="T2")
    assert "no risk SEPSIS-R99" in missing.reply and "Traceback" not in missing.reply


@dataclass
class BrokenAnswerer:
    calls: list = field(default_factory=list)

    def ask(self, question, *, projects, today):
        raise RuntimeError("index exploded")


def test_unexpected_errors_reply_with_a_logged_reference(make_assistant, caplog):
    assistant = make_assistant(answerer=BrokenAnswerer())
    with caplog.at_level(logging.ERROR, logger="bot.assistant"):
        result = say(assistant, "what AUROC did the retrospective validation report give for the sepsis model?",
                     user="U0AISHA01", channel="D0AISHA01")
    assert result.reply.startswith("Sorry, something went wrong") and "index exploded" not in result.reply
    ref = result.reply.rsplit("reference ", 1)[1].rstrip(")")
    assert any(ref in r.getMessage() for r in caplog.records)
    assert result.actions == []


@dataclass
class Cite:
    source: str
    title: str | None
    snippet: str


@dataclass
class Answer:
    answer: str
    found: bool
    citations: list


@dataclass
class RecordingAnswerer:
    calls: list = field(default_factory=list)

    def ask(self, question, *, projects, today):
        self.calls.append((question, projects, today))
        return Answer("The retrospective AUROC was 0.86 [1].", True,
                      [Cite("docs/sepsis/validation.md", "Validation report", "AUROC 0.86 (95% CI 0.84-0.88)")])


def test_questions_go_to_retrieval_within_visible_projects_with_citations(make_assistant, portfolio):
    answerer = RecordingAnswerer()
    assistant = make_assistant(answerer=answerer)
    result = say(assistant, "what AUROC did the retrospective validation report give for the sepsis model?",
                 user="U0AISHA01", channel="D0AISHA01")
    assert result.actions[0]["tool"] == "ask" and result.actions[0]["args"]["project"] == "SEPSIS"
    assert answerer.calls[-1][1] == {"SEPSIS"} and answerer.calls[-1][2] == TODAY
    assert result.reply == "The retrospective AUROC was 0.86 [1]."
    assert result.citations == [{"source": "docs/sepsis/validation.md", "title": "Validation report",
                                 "snippet": "AUROC 0.86 (95% CI 0.84-0.88)"}]
    # A private project stays out of a non-member's DM search; its channel sees only itself.
    with portfolio.begin() as session:
        session.scalar(select(Project).where(Project.key == "RADSUM")).private = True
    say(assistant, "what did the steering committee decide last week?", user="U0KEVIN01", channel="D0KEVIN01")
    assert "RADSUM" not in (answerer.calls[-1][1] or {"everything"})
    say(assistant, "what did the steering committee decide last week?", user="U0KEVIN01", channel="C0SEPSIS01")
    assert answerer.calls[-1][1] == {"SEPSIS"}


def test_help_lists_every_capability_and_smalltalk_takes_no_action(assistant):
    reply = say(assistant, "help", user="U0KEVIN01", channel="D0KEVIN01").reply
    for words in ("Log a risk", "Update a risk", "List risks", "File a change request", "Decide a change request",
                  "Milestones", "Status", "Questions about documents", "Digest", "Undo"):
        assert words in reply
    chat = say(assistant, "morning bot ☀️ how's it going", user="U0KEVIN01", channel="C0CHATNV01")
    assert chat.actions == [] and chat.pending is None and "help" in chat.reply
    thanks = say(assistant, "thanks!", user="U0KEVIN01", channel="C0CHATNV01", thread="T9")
    assert thanks.actions == [] and thanks.reply == "You're welcome!"


def test_unknown_slack_users_are_registered_as_members(assistant, portfolio):
    result = assistant.handle(Incoming(text="SEPSIS status pls", user="U0NEWBIE1", channel="C0SEPSIS01",
                                       via="slack", user_name="Nia Newbie"))
    assert result.actions[0]["ok"]
    with portfolio() as session:
        person = session.scalar(select(Person).where(Person.slack_id == "U0NEWBIE1"))
        assert person is not None and person.role == "member" and person.name == "Nia Newbie"
