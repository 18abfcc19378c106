"""Rate limits, failures with reference ids, long answers, the assistant pane, the manifest."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import yaml

from bot.slack import blocks as bk
from bot.slack.chat import reply_blocks
from tests.slack import payloads as p
from tests.slack.conftest import MEMBER, SEPSIS_CH

ROOT = Path(__file__).resolve().parents[2]


def test_rate_limited_calls_are_retried_after_retry_after(slack, fake_slack):
    fake_slack.rate_limit(2)
    slack.post(p.mention("status of SEPSIS", user=MEMBER, channel=SEPSIS_CH))
    posted = fake_slack.wait_for("chat.postMessage", timeout=15)
    assert len(posted) == 1
    assert len([c for c in fake_slack.calls if c.method.endswith("[429]")]) == 2


def test_failure_gives_ephemeral_error_with_reference_in_logs(
    slack, fake_slack, assistant, monkeypatch, caplog
):
    def broken(_incoming):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(assistant, "handle", broken)
    with caplog.at_level(logging.ERROR, logger="pmo.slack"):
        slack.post(p.mention("status of SEPSIS", user=MEMBER, channel=SEPSIS_CH))
        note = fake_slack.wait_for("chat.postEphemeral")[0]
    ref = re.search(r"Reference `([0-9A-F]{8})`", note.body["text"]).group(1)
    assert note.body["user"] == MEMBER and "database on fire" not in note.body["text"]
    assert any(ref in r.getMessage() for r in caplog.records)


def test_command_failure_is_reported_through_response_url(slack, fake_slack, monkeypatch):
    from bot.slack import records

    def broken(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(records.status_service, "project_status", broken)
    slack.command("status SEPSIS", user=MEMBER, channel=SEPSIS_CH)
    reply = fake_slack.wait_for("respond")[0]
    assert reply.body["response_type"] == "ephemeral" and "Reference" in reply.body["text"]


def test_long_answers_split_under_slack_limits(fake_slack):
    long = "\n\n".join(f"Paragraph {i}: " + "word " * 150 for i in range(40))
    result = {
        "reply": long,
        "actions": [],
        "citations": [{"source": "https://x/doc", "title": "Plan", "snippet": "<!channel> s"}] * 3,
    }
    blocks = reply_blocks(result)
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    assert "<!channel>" not in str(blocks)
    pages = bk.paginate(blocks + [bk.section("x")] * 60)
    assert len(pages) >= 2 and all(len(page) <= 50 for page in pages)


def test_assistant_pane_suggests_prompts_and_answers(slack, fake_slack):
    started = {
        "type": "assistant_thread_started",
        "event_ts": p.ts(),
        "assistant_thread": {
            "user_id": MEMBER,
            "channel_id": "D0USER",
            "thread_ts": "1700000000.000001",
            "context": {},
        },
    }
    slack.post(p.event(started))
    prompts = fake_slack.wait_for("assistant.threads.setSuggestedPrompts")[0]
    assert prompts.body["channel_id"] == "D0USER" and prompts.body["prompts"]
    slack.post(p.dm("status of SEPSIS", user=MEMBER, channel="D0USER", thread_ts="1700000000.000001"))
    reply = fake_slack.wait_for("chat.postMessage", where=lambda c: "SEPSIS" in str(c.body))[0]
    assert reply.body["thread_ts"] == "1700000000.000001"
    assert fake_slack.calls_to("assistant.threads.setStatus")


def test_manifest_declares_exactly_what_the_app_uses(slack_app):
    manifest = yaml.safe_load((ROOT / "manifest.yaml").read_text())
    features = manifest["features"]
    assert [c["command"] for c in features["slash_commands"]] == ["/pmo"]
    assert {s["callback_id"] for s in features["shortcuts"]} == {"pmo_log_as_risk", "pmo_file_change_request"}
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == {
        "app_mention",
        "app_home_opened",
        "assistant_thread_started",
        "assistant_thread_context_changed",
        "message.im",
    }
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert features["app_home"]["home_tab_enabled"] is True and "assistant_view" in features
    source = "".join(f.read_text() for f in (ROOT / "bot" / "slack").glob("*.py"))
    for callback in ("pmo_log_as_risk", "pmo_file_change_request"):
        assert callback in source
