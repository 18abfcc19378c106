"""Socket Mode: the same app over a websocket; events are acked on the socket and answered via the Web API."""

from __future__ import annotations

import json

import pytest

from bot.slack.socket_mode import socket_mode_handler
from tests.slack import payloads as p
from tests.slack.conftest import MEMBER, SEPSIS_CH
from tests.slack.fake_socket import FakeSocketMode


@pytest.fixture
def socket_server(fake_slack):
    server = FakeSocketMode()
    fake_slack.ws_url = server.url
    yield server
    server.stop()


@pytest.fixture
def connected(slack_app, socket_server, fake_slack):
    handler = socket_mode_handler(slack_app, "xapp-1-test")
    handler.connect()
    assert socket_server.connected.wait(10)
    yield socket_server
    handler.close()


def test_socket_mode_event_is_acked_and_answered(connected, fake_slack):
    body, _ = p.mention("status of SEPSIS", user=MEMBER, channel=SEPSIS_CH, event_id="EvSOCK1")
    connected.send(
        {
            "envelope_id": "env-1",
            "type": "events_api",
            "payload": json.loads(body),
            "accepts_response_payload": False,
            "retry_attempt": 0,
            "retry_reason": "",
        }
    )
    assert connected.wait_ack("env-1")
    post = fake_slack.wait_for("chat.postMessage")[0]
    assert post.body["channel"] == SEPSIS_CH and "SEPSIS" in str(post.body)
    opened = fake_slack.calls_to("apps.connections.open")[0]
    assert opened.headers["authorization"] == "Bearer xapp-1-test"


def test_socket_mode_retry_is_deduplicated(connected, fake_slack):
    body, _ = p.mention("status of SEPSIS", user=MEMBER, channel=SEPSIS_CH, event_id="EvSOCK2")
    for n, env in enumerate(("env-a", "env-b")):
        connected.send(
            {
                "envelope_id": env,
                "type": "events_api",
                "payload": json.loads(body),
                "accepts_response_payload": False,
                "retry_attempt": n,
                "retry_reason": "timeout" if n else "",
            }
        )
        connected.wait_ack(env)
    fake_slack.wait_for("chat.postMessage")
    fake_slack.settle(quiet=0.6)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_socket_mode_slash_command_help_comes_back_in_the_ack(connected):
    payload = {
        "command": "/pmo",
        "text": "help",
        "user_id": MEMBER,
        "channel_id": SEPSIS_CH,
        "team_id": "T0001",
        "response_url": "http://127.0.0.1:9/respond",
        "trigger_id": "t.1",
    }
    connected.send(
        {
            "envelope_id": "env-cmd",
            "type": "slash_commands",
            "payload": payload,
            "accepts_response_payload": True,
        }
    )
    ack = connected.wait_ack("env-cmd")
    assert "/pmo status" in ack["payload"]["text"]
