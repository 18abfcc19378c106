"""The contract's `ask` tool (retrieval/tool.py) through the tool registry: answers within what the asker
may read, and a private project named by an outsider is 'not found', never searched."""

from __future__ import annotations

from datetime import date

import pytest

from retrieval.tool import ask_spec
from tests.builders import make_person
from tools.actor import Actor
from tools.errors import NotFound
from tools.registry import run_tool

TODAY = date(2026, 11, 25)


def test_ask_tool_answers_with_citations_within_the_askers_projects(kb) -> None:
    spec = ask_spec(lambda: kb.answerer)  # a provider: the index is only touched on the first question
    with kb.factory() as session:
        outsider = make_person(session, "U0OUTASK", "Olive Out", role="member")
        session.commit()
        actor = Actor(outsider.slack_id, "member")
        result = run_tool("ask", {"question": "What AUROC did the sepsis model reach?"}, session=session,
                          actor=actor, today=TODAY, specs=[spec])  # fmt: skip
        assert result["found"] and "AUROC" in result["answer"]
        assert result["citations"] and all("contract" not in c["source"] for c in result["citations"])
        hidden = run_tool("ask", {"question": "What exclusivity penalty does the Zebra vendor contract carry?"},
                          session=session, actor=actor, today=TODAY, specs=[spec])  # fmt: skip
        assert "two million" not in hidden["answer"]
        with pytest.raises(NotFound):
            run_tool("ask", {"question": "Zebra penalty?", "project": "PRIV"}, session=session, actor=actor,
                     today=TODAY, specs=[spec])  # fmt: skip


def test_ask_tool_lets_a_member_of_the_private_project_read_it(kb) -> None:
    spec = ask_spec(kb.answerer)
    with kb.factory() as session:
        result = run_tool("ask", {"question": "What exclusivity penalty does the Zebra vendor contract carry?",
                                  "project": "PRIV"}, session=session, actor=Actor("U0PMKB", "pm"), today=TODAY,
                          specs=[spec])  # fmt: skip
    assert result["found"] and "two million" in result["answer"]
