"""The `pmo` CLI through Typer's CliRunner on the test database: every command, --json, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.container import Container
from tests.api.conftest import make_settings

runner = CliRunner()


@pytest.fixture
def pmo(container: Container):  # type: ignore[no-untyped-def]
    """Run `pmo ARGS...`; returns the result (exit code, stdout, stderr)."""

    def run(*args: str, ok: bool = True):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, list(args), obj=container)
        if ok:
            assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
        return result

    return run


def as_json(result) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(result.stdout)


def test_people_and_projects(pmo, team) -> None:
    pmo("people", "create", "U0NEWPM", "--name", "Nia Park", "--role", "pm", "--title", "PM")
    shown = as_json(pmo("people", "show", "U0NEWPM", "--json"))
    assert shown["name"] == "Nia Park" and shown["role"] == "pm"
    pmo("people", "update", "U0NEWPM", "--email", "nia@example.org")
    listed = as_json(pmo("people", "list", "--role", "pm", "--json"))["items"]
    assert {p["slack_id"] for p in listed} == {team.pm, "U0NEWPM"}
    assert "Nia Park" in pmo("people", "list").stdout

    created = as_json(pmo("projects", "create", "RADAI", "--name", "X-ray triage", "--pm", "U0NEWPM", "--channel", "C0RAD", "--json"))
    assert created["key"] == "RADAI" and created["channel"] == "C0RAD"
    pmo("projects", "update", "RADAI", "--description", "PACS", "--add-member", team.member)
    shown = as_json(pmo("projects", "show", "radai", "--json"))
    assert shown["description"] == "PACS" and team.member in shown["members"]
    keys = [p["key"] for p in as_json(pmo("projects", "list", "--json"))["items"]]
    assert keys == ["RADAI", "SECRET", "SEPSIS"]
    # Acting as a member hides the private project.
    keys = [p["key"] for p in as_json(pmo("projects", "list", "--as", team.member, "--json"))["items"]]
    assert "SECRET" not in keys


def test_risks(pmo, team) -> None:
    out = pmo("risks", "create", "-p", "SEPSIS", "--title", "Label leakage", "--probability", "likely",
              "--impact", "very high", "--category", "model", "--owner", "Sam Patel", "--due", "2026-12-01")
    assert "Logged SEPSIS-R1" in out.stdout and "Critical" in out.stdout
    risk = as_json(pmo("risks", "show", "SEPSIS-R1", "--json"))
    assert risk["score"] == 20 and risk["owner"] == team.member and risk["due_date"] == "2026-12-01"
    pmo("risks", "update", "SEPSIS-R1", "--impact", "2", "--as", team.member)
    assert as_json(pmo("risks", "show", "SEPSIS-R1", "--json"))["updated_by"] == team.member
    listed = as_json(pmo("risks", "list", "--project", "SEPSIS", "--min-rating", "medium", "--json"))["items"]
    assert [r["key"] for r in listed] == ["SEPSIS-R1"]
    assert "SEPSIS-R1" in pmo("risks", "list").stdout
    pmo("risks", "close", "SEPSIS-R1", "--reason", "Features removed")
    history = as_json(pmo("risks", "history", "SEPSIS-R1", "--json"))["items"]
    assert [e["via"] for e in history] == ["cli", "cli", "cli"]
    assert history[1]["actor"] == team.member


def test_change_requests_milestones_status(pmo, team) -> None:
    filed = as_json(pmo("crs", "create", "-p", "SEPSIS", "--title", "Extend silent mode", "--schedule-days", "14",
                        "--cost", "12000", "--priority", "high", "--json"))
    assert filed["key"] == "SEPSIS-CR1" and filed["status"] == "submitted"
    pmo("crs", "update", "SEPSIS-CR1", "--status", "under_review")
    refused = pmo("crs", "decide", "SEPSIS-CR1", "approve", "--as", team.member, ok=False)
    assert refused.exit_code == 1 and "approver" in refused.stderr.lower() and "Traceback" not in refused.output
    decided = as_json(pmo("crs", "decide", "SEPSIS-CR1", "approve", "--as", team.approver, "--comment", "ok", "--json"))
    assert decided["status"] == "approved" and decided["decided_by"] == team.approver
    assert [c["key"] for c in as_json(pmo("crs", "list", "--status", "approved", "--json"))["items"]] == ["SEPSIS-CR1"]
    assert as_json(pmo("crs", "show", "SEPSIS-CR1", "--json"))["decision_comment"] == "ok"
    assert len(as_json(pmo("crs", "history", "SEPSIS-CR1", "--json"))["items"]) == 3

    m = as_json(pmo("milestones", "create", "-p", "SEPSIS", "--title", "Go-live", "--due", "2026-12-10", "--json"))
    assert m["key"] == "SEPSIS-M1"
    pmo("milestones", "update", "SEPSIS-M1", "--due-date", "2026-12-20")
    assert as_json(pmo("milestones", "show", "SEPSIS-M1", "--json"))["slip_days"] == 10
    assert [x["key"] for x in as_json(pmo("milestones", "list", "--due-within-days", "30", "--json"))["items"]] == ["SEPSIS-M1"]
    assert as_json(pmo("milestones", "list", "--overdue", "--json"))["items"] == []

    posted = as_json(pmo("status", "create", "-p", "SEPSIS", "--overall", "amber", "--summary", "Slipping", "--json"))
    assert posted["as_of"] == "2026-11-25"
    assert as_json(pmo("status", "list", "-p", "SEPSIS", "--json"))["items"][0]["summary"] == "Slipping"
    rollup = as_json(pmo("status", "show", "SEPSIS", "--json"))
    assert rollup["overall"] == "amber" and rollup["upcoming_milestones"][0]["key"] == "SEPSIS-M1"
    text = pmo("status", "show", "SEPSIS").stdout
    assert "Overall amber" in text and "SEPSIS-M1" in text and "Slipping" in text


def test_domain_errors_are_one_sentence_and_exit_1(pmo, team) -> None:
    for args in (
        ("risks", "show", "SEPSIS-R42"),
        ("risks", "create", "-p", "SEPSIS", "--title", "x", "--probability", "hi", "--impact", "3"),
        ("projects", "create", "SEPSIS", "--name", "dup"),
        ("crs", "decide", "NOPE-CR1", "approve"),
        ("risks", "update", "SEPSIS-R1"),
    ):
        result = pmo(*args, ok=False)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("Error: ") and "Traceback" not in result.output, args
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_db_upgrade_token_and_unmigrated_database(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'fresh.db'}", tmp_path / "data")
    fresh = Container(settings)
    before = runner.invoke(app, ["risks", "list"], obj=fresh)
    assert before.exit_code == 1 and "pmo db upgrade" in before.stderr
    assert runner.invoke(app, ["db", "upgrade"], obj=fresh).exit_code == 0
    assert runner.invoke(app, ["db", "upgrade"], obj=fresh).exit_code == 0  # idempotent
    created = runner.invoke(app, ["token", "create", "ci", "--role", "admin"], obj=fresh)
    assert created.exit_code == 0
    token = created.stdout.strip()
    assert token.startswith("pmo_") and "shown only this once" in created.stderr

    from fastapi.testclient import TestClient

    from api.app import create_app

    client = TestClient(create_app(fresh))
    assert client.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert runner.invoke(app, ["token", "create", "x", "--role", "wizard"], obj=fresh).exit_code == 1
    fresh.close()


def test_bad_settings_are_reported_not_raised(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PMO_API_TOKEN", "changeme")
    result = runner.invoke(app, ["risks", "list"])
    assert result.exit_code == 1 and "placeholder" in result.stderr and "Traceback" not in result.output


def test_serve_is_the_default_and_refuses_an_unmigrated_database(container: Container, tmp_path: Path, monkeypatch) -> None:
    import uvicorn

    calls: list[tuple] = []
    monkeypatch.setattr(uvicorn, "run", lambda web, **kw: calls.append((web, kw)))
    warmed: list[bool] = []
    monkeypatch.setattr(Container, "warm_up", lambda self: warmed.append(True))
    assert runner.invoke(app, [], obj=container).exit_code == 0
    assert runner.invoke(app, ["serve", "--host", "0.0.0.0", "--port", "9001", "--no-warm"], obj=container).exit_code == 0
    assert [kw for _, kw in calls] == [
        {"host": "127.0.0.1", "port": 8000, "log_level": "info"},
        {"host": "0.0.0.0", "port": 9001, "log_level": "info"},
    ]
    assert calls[0][0].title == "PMO Assistant" and warmed == [True]

    fresh = Container(make_settings(f"sqlite:///{tmp_path / 'new.db'}", tmp_path / "data"))
    refused = runner.invoke(app, ["serve"], obj=fresh)
    assert refused.exit_code == 1 and "pmo db upgrade" in refused.stderr and len(calls) == 2
