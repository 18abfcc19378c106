"""The chat JSON through every way in: ChatResult.as_json, POST /api/v1/chat, `pmo chat --json`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli_app
from api.container import Container
from api.settings import Settings
from bot.assistant import Assistant, ChatResult
from tests.bot.conftest import TODAY
from tools.actor import Actor
from tools.services import tokens

ADMIN = "pmo-bot-test-admin-token-0123456789"


def test_as_json_is_the_contract_shape():
    plain = ChatResult(reply="hi").as_json()
    assert plain == {"reply": "hi", "actions": [], "citations": []}
    asking = ChatResult(reply="Which project?", pending={"tool": "log_risk", "missing": ["project"]}).as_json()
    assert asking["pending"] == {"tool": "log_risk", "missing": ["project"]}


@pytest.fixture
def container(db_url: str, tmp_path: Path, portfolio, phi_redactor) -> Iterator[Container]:
    settings = Settings(_env_file=None, PMO_DATABASE_URL=db_url, PMO_DATA_DIR=str(tmp_path / "data"),  # type: ignore[call-arg]
                        PMO_TODAY=TODAY.isoformat(), PMO_API_TOKEN=ADMIN)
    c = Container(settings)
    # The real Assistant, without a document index (nothing here asks about documents).
    c.__dict__["assistant"] = Assistant(c.session_factory, settings=settings, today=TODAY, redactor=phi_redactor,
                                        specs=c.tool_specs)
    yield c
    c.close()


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), raise_server_exceptions=False) as c:
        c.headers["Authorization"] = f"Bearer {ADMIN}"
        yield c


def test_post_chat_writes_and_returns_the_chat_json(client):
    response = client.post("/api/v1/chat", json={
        "text": "log risk SEPSIS: blood culture results land ~48h late. prob 3 impact 4, owner <@U0AISHA01>",
        "user": "U0PRIYA01", "channel": "C0PMOHUB01"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"reply", "actions", "citations"}
    assert body["reply"].startswith("Logged SEPSIS-R6")
    [action] = body["actions"]
    assert set(action) == {"tool", "args", "ok", "result"} and action["tool"] == "log_risk" and action["ok"]
    assert client.get("/api/v1/risks/SEPSIS-R6").json()["key"] == "SEPSIS-R6"


def test_post_chat_follow_up_in_a_thread(client):
    first = client.post("/api/v1/chat", json={
        "text": "new risk: the Azure subscription hits its compute quota in jan. likely, high impact",
        "user": "U0PRIYA01", "channel": "D0PRIYA01", "thread": "th-1"}).json()
    assert first["actions"] == [] and first["pending"]["missing"] == ["project"]
    second = client.post("/api/v1/chat", json={"text": "for SEPSIS", "user": "U0PRIYA01", "channel": "D0PRIYA01",
                                               "thread": "th-1"}).json()
    assert second["actions"][0]["tool"] == "log_risk" and second["actions"][0]["args"]["project"] == "SEPSIS"
    assert "pending" not in second


def test_post_chat_auth_and_validation(client, container):
    with container.session() as session:
        _, member_token = tokens.create_token(session=session, actor=Actor.system("system"), name="kevin",
                                              role="member", person_slack_id="U0KEVIN01")
    anon = TestClient(client.app, raise_server_exceptions=False)
    assert anon.post("/api/v1/chat", json={"text": "hi", "user": "U0KEVIN01"}).status_code == 401
    as_kevin = {"Authorization": f"Bearer {member_token}"}
    spoof = client.post("/api/v1/chat", json={"text": "approve SEPSIS-CR1", "user": "U0GRACE01"}, headers=as_kevin)
    assert spoof.status_code == 403 and spoof.json()["error"]["kind"] == "forbidden"
    own = client.post("/api/v1/chat", json={"text": "approve SEPSIS-CR1", "user": "U0KEVIN01"}, headers=as_kevin)
    assert own.status_code == 200 and own.json()["actions"][0]["ok"] is False  # a member: refused, not written
    assert client.post("/api/v1/chat", json={"text": "", "user": "U0KEVIN01"}).status_code == 422


def test_pmo_chat_json(container):
    runner = CliRunner()
    result = runner.invoke(cli_app, ["chat", "--user", "U0PRIYA01", "--channel", "C0SEPSIS01", "--json",
                                     "SEPSIS status pls"], obj=container)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) == {"reply", "actions", "citations"} and body["actions"][0]["tool"] == "project_status"
    plain = runner.invoke(cli_app, ["chat", "--user", "U0PRIYA01", "--channel", "C0SEPSIS01", "help"],
                          obj=container)
    assert plain.exit_code == 0 and "Log a risk" in plain.stdout
