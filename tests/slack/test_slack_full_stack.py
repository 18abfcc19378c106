"""The whole product: `create_app` with Slack settings serves /slack/events; answers cite only what the
channel may see (a tiny real index with a hashing embedder, no model to load)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.container import Container
from api.settings import Settings
from tests.fakes import HashingEmbedder
from tests.slack import payloads as p
from tests.slack.conftest import GENERAL_CH, MEMBER, OUTSIDER, SECRET, SEPSIS_CH, Slack


@pytest.fixture
def product(seeded, db_url, tmp_path: Path, fake_slack):
    settings = Settings(
        _env_file=None,
        PMO_DATABASE_URL=db_url,
        PMO_DATA_DIR=str(tmp_path / "data"),  # type: ignore[call-arg]
        PMO_TODAY="2026-11-25",
        SLACK_BOT_TOKEN="xoxb-full-stack",
        SLACK_SIGNING_SECRET=SECRET,
        PMO_SLACK_API_URL=fake_slack.base_url,
        PMO_REDACT_PHI="false",
    )
    container = Container(settings, embedder=HashingEmbedder())
    docs = tmp_path / "docs"
    (docs / "sepsis").mkdir(parents=True)
    (docs / "priv").mkdir(parents=True)
    (docs / "sepsis" / "vendor.md").write_text(
        "# Sepsis vendor plan\n\nThe labeling vendor contract for the sepsis model renews in March. "
        "Vendor escalation goes to the PMO.\n"
    )
    (docs / "priv" / "contract.md").write_text(
        "# Zebra vendor contract\n\nThe Zebra vendor contract carries an exclusivity penalty of two million "
        "dollars. Vendor escalation goes to legal.\n"
    )
    container.ingestor.ingest([docs / "sepsis"], project="SEPSIS")
    container.ingestor.ingest([docs / "priv"], project="PRIV")
    app = create_app(container)
    yield Slack(TestClient(app), fake_slack)
    container.close()


def _everything_posted(fake_slack, channel: str) -> str:
    return json.dumps([c.body for c in fake_slack.calls if c.body.get("channel") == channel])


def test_api_app_mounts_slack_events_with_signature_checks(product, fake_slack):
    assert (
        product.post(
            p.mention("what does the vendor contract say?", user=MEMBER, channel=SEPSIS_CH), secret="wrong"
        ).status_code
        == 401
    )
    assert (
        product.post(
            p.mention("what does the vendor contract say?", user=MEMBER, channel=SEPSIS_CH)
        ).status_code
        == 200
    )
    fake_slack.wait_for("chat.postMessage", timeout=30)


def test_project_channel_question_does_not_cite_private_documents(product, fake_slack):
    product.post(
        p.mention("what does the vendor contract say about escalation?", user=MEMBER, channel=SEPSIS_CH)
    )
    fake_slack.wait_for("chat.postMessage", timeout=30)
    fake_slack.settle()
    posted = _everything_posted(fake_slack, SEPSIS_CH)
    assert "Zebra" not in posted and "two million" not in posted


def test_general_channel_question_never_shows_private_documents(product, fake_slack):
    product.post(
        p.mention(
            "what is the exclusivity penalty in the Zebra vendor contract?", user=MEMBER, channel=GENERAL_CH
        )
    )
    fake_slack.wait_for("chat.postMessage", timeout=30)
    fake_slack.settle()
    assert "two million" not in _everything_posted(fake_slack, GENERAL_CH)


def test_dm_searches_the_persons_projects(product, fake_slack):
    product.post(
        p.dm("what is the exclusivity penalty in the Zebra vendor contract?", user=OUTSIDER, channel="DOUT1")
    )
    fake_slack.wait_for("chat.postMessage", timeout=30)
    fake_slack.settle()
    assert "two million" not in _everything_posted(fake_slack, "DOUT1")
    product.post(
        p.dm("what is the exclusivity penalty in the Zebra vendor contract?", user=MEMBER, channel="DMEM1")
    )
    fake_slack.wait_for("chat.postMessage", where=lambda c: c.body.get("channel") == "DMEM1", timeout=30)
    assert "two million" in _everything_posted(fake_slack, "DMEM1")
