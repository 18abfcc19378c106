"""Follow-up questions live in the database: they survive a restart, expire, and belong to their asker."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot import conversation as convo
from tests.bot.conftest import say
from tools.models import Risk
from tools.models.conversation import PendingConversation

FIRST = "log risk - oncology fellows may not have time to adjudicate the matches, owner <@U0JULIA01>, probability medium"


def test_missing_field_asks_one_question_and_a_new_process_continues(make_assistant, portfolio):
    first = say(make_assistant(), FIRST, user="U0JULIA01", channel="C0TRIALM01")
    assert first.actions == []
    assert first.pending is not None and "impact" in first.pending["missing"]
    assert first.as_json()["pending"]["question"] == first.reply and "?" in first.reply
    with portfolio() as session:
        [row] = session.scalars(select(PendingConversation)).all()
        assert (row.channel, row.thread, row.user) == ("C0TRIALM01", "T1", "U0JULIA01")

    restarted = make_assistant()  # a new instance, as after a restart or on another worker
    second = say(restarted, "critical tbh", user="U0JULIA01", channel="C0TRIALM01")
    [action] = second.actions
    assert action["tool"] == "log_risk" and action["ok"]
    assert action["args"]["impact"] == 5 and action["args"]["probability"] == 3
    assert second.pending is None and "pending" not in second.as_json()
    assert second.reply.startswith("Logged TRIALMATCH-R5")
    with portfolio() as session:
        assert session.scalars(select(PendingConversation)).all() == []
        assert session.scalar(select(Risk).where(Risk.key == "TRIALMATCH-R5")).impact == 5


def test_pending_questions_expire(make_assistant, portfolio, clock):
    assistant = make_assistant(pending_minutes=30)
    assert say(assistant, FIRST, user="U0JULIA01", channel="C0TRIALM01").pending
    clock.advance(minutes=31)
    late = say(assistant, "critical tbh", user="U0JULIA01", channel="C0TRIALM01")
    assert not any(a["tool"] == "log_risk" for a in late.actions)
    with portfolio() as session:
        assert session.scalar(select(Risk).where(Risk.key == "TRIALMATCH-R5")) is None
        assert session.scalars(select(PendingConversation)).all() == []


def test_someone_else_in_the_thread_does_not_answer_for_the_asker(assistant, portfolio):
    assert say(assistant, FIRST, user="U0JULIA01", channel="C0TRIALM01").pending
    other = say(assistant, "critical tbh", user="U0TOMAS01", channel="C0TRIALM01")
    assert not any(a["tool"] == "log_risk" for a in other.actions)
    mine = say(assistant, "critical tbh", user="U0JULIA01", channel="C0TRIALM01")
    assert mine.actions and mine.actions[0]["tool"] == "log_risk" and mine.actions[0]["ok"]


def test_threads_without_a_thread_id_are_per_user(assistant):
    asked = say(assistant, "new risk: the Azure subscription hits its compute quota in jan. likely, high impact",
                user="U0PRIYA01", channel="D0PRIYA01", thread=None)
    assert asked.pending and asked.pending["missing"] == ["project"]
    done = say(assistant, "for SEPSIS", user="U0PRIYA01", channel="D0PRIYA01", thread=None)
    assert done.actions[0]["tool"] == "log_risk" and done.actions[0]["args"]["project"] == "SEPSIS"


def test_processed_events_are_claimed_once(portfolio):
    with portfolio.begin() as session:
        assert convo.claim_event(session, "Ev123", kind="message") is True
        assert convo.claim_event(session, "Ev123", kind="message") is False
    with portfolio.begin() as session:
        assert convo.claim_event(session, "Ev123") is False
        assert convo.claim_event(session, "Ev124") is True


def test_history_is_kept_per_thread(assistant, portfolio):
    say(assistant, "SEPSIS status pls", user="U0PRIYA01", channel="C0SEPSIS01", thread="A")
    say(assistant, "risk register pls", user="U0PRIYA01", channel="C0SEPSIS01", thread="B")
    with portfolio() as session:
        turns = convo.recent_turns(session, "C0SEPSIS01", "A")
        assert [t.role for t in turns] == ["user", "assistant"] and turns[0].content == "SEPSIS status pls"
        assert convo.purge_expired(session, now=datetime.now(UTC)) == 0
