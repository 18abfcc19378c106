"""POST /api/v1/search and /api/v1/ask, and `pmo search/ask --json`, within what the caller may see."""

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
from tests.api.conftest import ADMIN_TOKEN, auth, make_settings
from tests.builders import make_person, make_project
from tests.fakes import HashingEmbedder
from tests.retrieval.conftest import write_docs
from tools.actor import Actor
from tools.services import tokens

PM, MEMBER, OUTSIDER = "U0PMDANA", "U0MEMSAM", "U0OUTLEE"
PUBLIC_DOC = {"vendor.md": "# Sepsis vendor plan\n\n## Renewal\n\nThe labeling vendor contract for the sepsis "
              "model renews in March. Vendor escalation goes to the PMO.\n"}  # fmt: skip
SECRET_DOC = {"zebra.md": "# Zebra vendor contract\n\n## Terms\n\nThe Zebra vendor contract carries an "
              "exclusivity penalty of two million dollars.\n"}  # fmt: skip


@pytest.fixture(params=["hashing", "model"])
def container(request, db_url: str, tmp_path: Path) -> Iterator[Container]:  # type: ignore[no-untyped-def]
    """Indexed SEPSIS (public) and SECRET (private; PM only) documents, with either embedder."""
    embedder = HashingEmbedder() if request.param == "hashing" else request.getfixturevalue("embedder")
    c = Container(make_settings(db_url, tmp_path / "data", PMO_REDACT_PHI="false"), embedder=embedder)
    with c.session() as session:
        pm = make_person(session, PM, "Dana Whitfield", role="pm")
        member = make_person(session, MEMBER, "Sam Patel", role="member")
        make_person(session, OUTSIDER, "Lee Outsider", role="member")
        make_project(session, "SEPSIS", "Sepsis early warning", pm=pm, members=[member])
        make_project(session, "SECRET", "Private pilot", pm=pm, private=True)
        session.commit()
    c.ingestor.ingest([write_docs(tmp_path / "docs" / "sepsis", PUBLIC_DOC)], project="SEPSIS")
    c.ingestor.ingest([write_docs(tmp_path / "docs" / "secret", SECRET_DOC)], project="SECRET")
    yield c
    c.close()


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), raise_server_exceptions=False) as c:
        yield c


def token(container: Container, slack_id: str, role: str = "member") -> dict[str, str]:
    with container.session() as session:
        _, plaintext = tokens.create_token(session=session, actor=Actor.system("system"), name=f"t-{slack_id}",
                                           role=role, person_slack_id=slack_id)  # fmt: skip
        session.commit()
    return auth(plaintext)


def test_search_endpoint_returns_contract_hits_within_permissions(client, container) -> None:
    r = client.post(
        "/api/v1/search", json={"query": "vendor contract", "k": 5}, headers=token(container, MEMBER)
    )
    assert r.status_code == 200, r.text
    hits = r.json()["hits"]
    assert hits and all({"source", "project", "kind", "text", "score"} <= set(h) for h in hits)
    assert {h["project"] for h in hits} == {"SEPSIS"} and "Zebra" not in r.text

    pm = client.post(
        "/api/v1/search", json={"query": "Zebra exclusivity penalty", "k": 5}, headers=token(container, PM)
    )
    assert pm.json()["hits"][0]["project"] == "SECRET"
    admin = client.post("/api/v1/search", json={"query": "Zebra exclusivity penalty", "k": 1},
                        headers=auth(ADMIN_TOKEN))  # fmt: skip
    assert len(admin.json()["hits"]) == 1 and admin.json()["hits"][0]["project"] == "SECRET"


def test_search_endpoint_project_scope_and_errors(client, container) -> None:
    member = token(container, MEMBER)
    scoped = client.post("/api/v1/search", json={"query": "vendor", "project": "sepsis"}, headers=member)
    assert scoped.status_code == 200 and {h["project"] for h in scoped.json()["hits"]} == {"SEPSIS"}
    # a private project the caller cannot read looks exactly like one that does not exist
    secret = client.post("/api/v1/search", json={"query": "vendor", "project": "SECRET"}, headers=member)
    assert secret.status_code == 404 and "Zebra" not in secret.text
    assert (
        client.post("/api/v1/search", json={"query": "vendor", "project": "NOPE"}, headers=member).status_code
        == 404
    )
    assert client.post("/api/v1/search", json={"query": ""}, headers=member).status_code == 422
    assert client.post("/api/v1/search", json={"query": "vendor", "k": 0}, headers=member).status_code == 422
    assert (
        client.post("/api/v1/search", json={"query": "vendor", "bogus": 1}, headers=member).status_code == 422
    )
    assert client.post("/api/v1/search", json={"query": "vendor"}).status_code == 401


def test_ask_endpoint_answers_with_citations_or_says_it_does_not_know(client, container) -> None:
    member = token(container, MEMBER)
    r = client.post(
        "/api/v1/ask", json={"question": "When does the labeling vendor contract renew?"}, headers=member
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"answer", "found", "citations"}
    assert body["found"] and "renews in March" in body["answer"]
    assert body["citations"][0]["source"].endswith("vendor.md")

    hidden = client.post(
        "/api/v1/ask", json={"question": "What is the Zebra exclusivity penalty?"}, headers=member
    )
    assert "two million" not in hidden.text and all(
        "zebra" not in c["source"] for c in hidden.json()["citations"]
    )

    unknown = client.post(
        "/api/v1/ask", json={"question": "What is on the cafeteria menu on Friday?"}, headers=member
    )
    assert unknown.json()["found"] is False and unknown.json()["citations"] == []
    assert "couldn't find" in unknown.json()["answer"]
    assert (
        client.post("/api/v1/ask", json={"question": "x", "project": "SECRET"}, headers=member).status_code
        == 404
    )
    assert client.post("/api/v1/ask", json={"question": "x"}).status_code == 401


def test_cli_search_and_ask_json(container) -> None:
    runner = CliRunner()

    def pmo(*args: str) -> dict:
        result = runner.invoke(cli_app, list(args), obj=container)
        assert result.exit_code == 0, (result.stdout, result.exception)
        return json.loads(result.stdout)

    hits = pmo("search", "Zebra exclusivity penalty", "-k", "3", "--json")["hits"]
    assert hits[0]["project"] == "SECRET"  # the CLI acts as an admin unless told otherwise
    as_member = pmo("search", "Zebra exclusivity penalty", "--as", MEMBER, "--json")["hits"]
    assert all(h["project"] != "SECRET" for h in as_member)
    answer = pmo("ask", "When does the labeling vendor contract renew?", "--project", "SEPSIS", "--json")
    assert answer["found"] and "renews in March" in answer["answer"] and answer["citations"]
    unknown = pmo("ask", "What is on the cafeteria menu on Friday?", "--json")
    assert unknown["found"] is False
    denied = runner.invoke(
        cli_app, ["ask", "penalty", "--project", "SECRET", "--as", OUTSIDER, "--json"], obj=container
    )
    assert denied.exit_code != 0
