"""HTTP mode: signatures, url_verification, the 3-second ack, retries deduplicated in the database."""

from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from tests.slack import payloads
from tests.slack.conftest import MEMBER, SECRET, SEPSIS_CH
from tools.db import session_scope
from tools.models import Risk
from tools.models.conversation import ProcessedEvent


def test_url_verification_challenge_is_answered(slack):
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    resp = slack.post((body, "application/json"))
    assert resp.status_code == 200
    assert resp.json()["challenge"] == "abc123"


def test_forged_signature_is_rejected(slack, fake_slack):
    resp = slack.post(payloads.mention("status", user=MEMBER, channel=SEPSIS_CH), secret="not-the-secret")
    assert resp.status_code == 401
    fake_slack.settle()
    assert not fake_slack.calls_to("chat.postMessage")


def test_stale_signature_is_rejected(slack, fake_slack):
    old = int(time.time()) - 60 * 10
    resp = slack.post(payloads.mention("status", user=MEMBER, channel=SEPSIS_CH), timestamp=old)
    assert resp.status_code == 401


def test_tampered_body_is_rejected(slack):
    body, ctype = payloads.mention("status", user=MEMBER, channel=SEPSIS_CH)
    headers = payloads.signed_headers(SECRET, body, ctype)
    resp = slack.http.post("/slack/events", content=body.replace("status", "st4tus"), headers=headers)
    assert resp.status_code == 401


def test_event_is_acknowledged_before_the_slow_work(slack, fake_slack, assistant, monkeypatch):
    real = assistant.handle

    def slow(incoming):
        time.sleep(1.5)
        return real(incoming)

    monkeypatch.setattr(assistant, "handle", slow)
    started = time.time()
    resp = slack.post(payloads.mention("what are the risks on SEPSIS?", user=MEMBER, channel=SEPSIS_CH))
    assert resp.status_code == 200
    assert time.time() - started < 1.0, "the ack waited for the assistant"
    fake_slack.wait_for("chat.postMessage")


def test_retried_event_never_makes_a_second_record_or_reply(slack, fake_slack, seeded):
    body = payloads.mention(
        "log a risk on SEPSIS: GPU delivery slips, probability 4 impact 3",
        user=MEMBER,
        channel=SEPSIS_CH,
        event_id="EvRETRY1",
    )
    assert slack.post(body).status_code == 200
    fake_slack.wait_for("chat.postMessage")
    for n in (1, 2):
        resp = slack.post(body, headers={"x-slack-retry-num": str(n), "x-slack-retry-reason": "http_timeout"})
        assert resp.status_code == 200
    fake_slack.settle(quiet=0.6)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    with session_scope(seeded) as s:
        assert s.scalar(select(func.count()).select_from(Risk).where(Risk.title.ilike("%GPU%"))) == 1
        assert (
            s.scalar(
                select(func.count()).select_from(ProcessedEvent).where(ProcessedEvent.event_id == "EvRETRY1")
            )
            == 1
        )


def test_two_workers_share_the_dedup(slack_app, seeded, assistant, fake_slack):
    """A second app instance (another worker) on the same database skips an event the first took."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from bot.slack.app import create_slack_app
    from bot.slack.client import make_web_client
    from bot.slack.http import slack_router
    from tests.slack.conftest import Slack

    other = create_slack_app(
        assistant=assistant,
        session_factory=seeded,
        signing_secret=SECRET,
        client=make_web_client("xoxb-2", base_url=fake_slack.base_url),
    )
    workers = []
    for app in (slack_app, other):
        api = FastAPI()
        api.include_router(slack_router(app))
        workers.append(Slack(TestClient(api), fake_slack))
    body = payloads.mention("what is the status of SEPSIS?", user=MEMBER, channel=SEPSIS_CH, event_id="EvTWO")
    assert workers[0].post(body).status_code == 200
    assert workers[1].post(body, headers={"x-slack-retry-num": "1"}).status_code == 200
    fake_slack.wait_for("chat.postMessage")
    fake_slack.settle(quiet=0.6)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
