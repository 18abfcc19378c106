"""POST /api/v1/digest, subscription CRUD, `pmo digest ...`, and posting to a fake Slack Web API."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import ADMIN_TOKEN, auth
from typer.testing import CliRunner

from api.cli import app as cli_app
from api.container import Container

runner = CliRunner()


def pmo(container: Container, *args: str):
    return runner.invoke(cli_app, list(args), obj=container)


def test_digest_endpoint(client, pm_token, outsider_token):
    r = client.post("/api/v1/digest", json={"project": "SEPSIS"}, headers=auth(pm_token))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["posted"] is False and body["project"] == "SEPSIS"
    assert body["text"].startswith("# Weekly digest: Sepsis Early Warning (SEPSIS)")
    assert body["summary"]["overdue_actions"][0]["key"] == "SEPSIS-R1"
    assert body["blocks"][0]["type"] == "header"
    whole = client.post("/api/v1/digest", json={}, headers=auth(outsider_token)).json()
    assert [p["key"] for p in whole["summary"]["projects"]] == ["SEPSIS"]
    assert (
        client.post("/api/v1/digest", json={"project": "PRIV"}, headers=auth(outsider_token)).status_code
        == 404
    )
    assert client.post("/api/v1/digest", json={}).status_code == 401
    assert client.post("/api/v1/digest", json={"bogus": 1}, headers=auth(pm_token)).status_code == 422
    no_slack = client.post(
        "/api/v1/digest", json={"project": "SEPSIS", "dry_run": False}, headers=auth(pm_token)
    )
    assert no_slack.status_code == 422 and "Slack is not configured" in no_slack.json()["error"]["message"]


def test_subscription_crud(client, pm_token, outsider_token):
    h = auth(pm_token)
    made = client.post("/api/v1/digest/subscriptions", json={"channel": "C0SEPSIS", "project": "SEPSIS",
                                                             "day": "tuesday", "time": "08:30"}, headers=h)  # fmt: skip
    assert made.status_code == 201, made.text
    sub = made.json()
    assert (sub["day"], sub["time"], sub["timezone"], sub["active"]) == (
        "tuesday",
        "08:30",
        "America/Chicago",
        True,
    )
    sid = sub["id"]
    assert client.get(f"/api/v1/digest/subscriptions/{sid}", headers=h).json()["project"] == "SEPSIS"
    patched = client.patch(f"/api/v1/digest/subscriptions/{sid}", json={"time": "10:00"}, headers=h).json()
    assert (patched["id"], patched["time"], patched["day"]) == (sid, "10:00", "tuesday")
    assert [s["id"] for s in client.get("/api/v1/digest/subscriptions", headers=h).json()["items"]] == [sid]
    bad = client.post("/api/v1/digest/subscriptions", json={"channel": "C1", "time": "26:00"}, headers=h)
    assert bad.status_code == 422 and "HH:MM" in bad.json()["error"]["message"]
    private = client.post(
        "/api/v1/digest/subscriptions", json={"channel": "C2", "project": "PRIV"}, headers=h
    ).json()
    assert (
        client.get(f"/api/v1/digest/subscriptions/{private['id']}", headers=auth(outsider_token)).status_code
        == 404
    )
    stopped = client.delete(f"/api/v1/digest/subscriptions/{sid}", headers=h).json()
    assert stopped["active"] is False and stopped["next_run"] is None
    listed = client.get("/api/v1/digest/subscriptions?include_inactive=true", headers=h).json()["items"]
    assert {s["id"] for s in listed} == {sid, private["id"]}


def test_cli_digest_and_subscriptions(container, portfolio):
    out = pmo(container, "digest", "--project", "SEPSIS", "--dry-run")
    assert out.exit_code == 0, out.output
    assert (
        "# Weekly digest: Sepsis Early Warning (SEPSIS)" in out.output and "## Decisions needed" in out.output
    )
    as_json = json.loads(pmo(container, "digest", "--json", "--dry-run").output)
    assert as_json["project"] is None and {p["key"] for p in as_json["summary"]["projects"]} == {
        "PRIV",
        "SEPSIS",
    }
    unposted = pmo(container, "digest", "--project", "SEPSIS")
    assert unposted.exit_code == 0 and "Not posted: Slack is not configured" in unposted.output
    assert pmo(container, "digest", "--project", "NOPE").exit_code == 1
    sub = pmo(container, "digest", "subscribe", "--channel", "C0SEPSIS", "--project", "SEPSIS", "--day", "friday",
              "--time", "16:00")  # fmt: skip
    assert sub.exit_code == 0 and "every Friday at 16:00 America/Chicago" in sub.output
    listed = json.loads(pmo(container, "digest", "list", "--json").output)["items"]
    assert [(s["channel"], s["day"]) for s in listed] == [("C0SEPSIS", "friday")]
    bad = pmo(container, "digest", "subscribe", "--channel", "C1", "--day", "someday")
    assert bad.exit_code == 1 and "not a day of the week" in bad.output
    assert pmo(container, "digest", "unsubscribe", str(listed[0]["id"])).exit_code == 0
    assert json.loads(pmo(container, "digest", "list", "--json").output)["items"] == []


class FakeSlack(BaseHTTPRequestHandler):
    """Just enough of Slack's Web API for chat.postMessage and files_upload_v2 (3 calls)."""

    calls: list[tuple[str, dict | bytes]] = []

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length)
        path = self.path.strip("/")
        if path == "upload":
            self.calls.append((path, raw))
            self._reply({"ok": True}, raw_text=True)
            return
        ctype = self.headers.get("content-type", "")
        data = json.loads(raw) if "json" in ctype else dict(
            __import__("urllib.parse").parse.parse_qsl(raw.decode()))  # fmt: skip
        self.calls.append((path, data))
        port = self.server.server_address[1]
        replies = {
            "chat.postMessage": {"ok": True, "channel": data.get("channel"), "ts": "1700000000.000100"},
            "files.getUploadURLExternal": {
                "ok": True,
                "upload_url": f"http://127.0.0.1:{port}/upload",
                "file_id": "F0HEAT",
            },  # fmt: skip
            "files.completeUploadExternal": {"ok": True, "files": [{"id": "F0HEAT", "title": "heat"}]},
        }
        self._reply(replies.get(path, {"ok": False, "error": "unknown_method"}))

    def _reply(self, body: dict, raw_text: bool = False) -> None:
        payload = b"OK" if raw_text else json.dumps(body).encode()
        self.send_response(200)
        self.send_header("content-type", "text/plain" if raw_text else "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture
def fake_slack():
    FakeSlack.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSlack)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", FakeSlack.calls
    server.shutdown()


def test_posting_sends_message_and_heat_map(fake_slack, session_factory, portfolio):
    from slack_sdk import WebClient

    from bot.digest import build_digest
    from bot.digest.poster import slack_poster

    url, calls = fake_slack
    with session_factory() as s:
        digest = build_digest(s, project="SEPSIS", today=portfolio.today, actor=portfolio.pm)
    slack_poster(WebClient(token="xoxb-test", base_url=url))("C0SEPSIS", digest)
    methods = [c[0] for c in calls]
    assert (
        methods[0] == "chat.postMessage"
        and "upload" in methods
        and methods[-1] == "files.completeUploadExternal"
    )
    message = calls[0][1]
    blocks = message["blocks"] if isinstance(message["blocks"], list) else json.loads(message["blocks"])
    assert message["channel"] == "C0SEPSIS" and blocks[0]["type"] == "header"
    upload = next(c[1] for c in calls if c[0] == "upload")
    assert b"\x89PNG\r\n\x1a\n" in upload
    complete = calls[-1][1]
    assert complete.get("channel_id") == "C0SEPSIS" and complete.get("thread_ts") == "1700000000.000100"


def test_api_posts_to_the_project_channel(fake_slack, settings, portfolio, pm_token):
    from fastapi.testclient import TestClient

    from api.app import create_app

    url, calls = fake_slack
    configured = settings.model_copy(update={"slack_bot_token": "xoxb-test", "slack_api_url": url})
    container = Container(configured)
    with TestClient(create_app(container)) as c:
        r = c.post("/api/v1/digest", json={"project": "SEPSIS", "dry_run": False}, headers=auth(pm_token))
        assert r.status_code == 200, r.text
        assert r.json()["posted"] is True and r.json()["channel"] == "C0SEPSIS"
        priv = c.post("/api/v1/digest", json={"project": "PRIV", "dry_run": False, "channel": "C0SEPSIS"},
                      headers=auth(ADMIN_TOKEN))  # fmt: skip
        assert priv.status_code == 403
    container.close()
    assert [c[0] for c in calls].count("chat.postMessage") == 1


def test_app_runs_the_scheduler_for_its_lifetime(fake_slack, settings, session_factory, portfolio):
    from datetime import UTC, datetime, timedelta

    from fastapi.testclient import TestClient

    from api.app import create_app
    from bot.digest.subscriptions import subscribe
    from tools.db import session_scope

    url, calls = fake_slack
    with session_scope(session_factory) as s:
        sub = subscribe(session=s, actor=portfolio.pm, channel="C0SEPSIS", project="SEPSIS")
        sub.created_at = datetime.now(UTC) - timedelta(days=8)  # so this week's moment has passed
    configured = settings.model_copy(
        update={"slack_bot_token": "xoxb-test", "slack_api_url": url, "scheduler": True}
    )
    container = Container(configured)
    app = create_app(container)
    with TestClient(app):
        scheduler = app.state.digest_scheduler
        assert scheduler is not None
        posted = 'pmo_digest_runs_total{status="posted"} 1.0'
        for _ in range(200):  # counted after the post and its run row are complete
            text = app.state.metrics.render().decode()
            if posted in text:
                break
            threading.Event().wait(0.05)
    container.close()
    assert [c[0] for c in calls].count("chat.postMessage") == 1
    assert posted in text
    assert scheduler._scheduler is None  # shut down with the app
