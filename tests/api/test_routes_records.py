"""The records REST API end to end: every route, filters, lifecycles, permissions, audit history."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import auth


def test_people(client: TestClient, anon: TestClient, token_for) -> None:
    created = client.post("/api/v1/people", json={"slack_id": "U0NEWPERSON", "name": "Nia Park", "role": "pm"})
    assert created.status_code == 201
    assert created.json()["slack_id"] == "U0NEWPERSON" and created.json()["role"] == "pm"
    assert client.post("/api/v1/people", json={"slack_id": "U0NEWPERSON", "name": "Again"}).status_code == 409
    assert client.get("/api/v1/people/U0NEWPERSON").json()["name"] == "Nia Park"
    patched = client.patch("/api/v1/people/U0NEWPERSON", json={"title": "Senior PM"})
    assert patched.status_code == 200 and patched.json()["title"] == "Senior PM"
    assert [p["slack_id"] for p in client.get("/api/v1/people").json()["items"]] == ["U0NEWPERSON"]
    assert client.get("/api/v1/people/U0NOBODY").status_code == 404
    # Registering people is for admins.
    member = token_for("U0NEWPERSON", role="member")
    refused = anon.post("/api/v1/people", json={"slack_id": "U0OTHER1", "name": "X"}, headers=auth(member))
    assert refused.status_code == 403 and refused.json()["error"]["kind"] == "forbidden"


def test_projects(client: TestClient, anon: TestClient, team, token_for) -> None:
    created = client.post(
        "/api/v1/projects",
        json={"key": "radai", "name": "Chest X-ray triage", "pm": team.pm, "members": [team.member]},
    )
    assert created.status_code == 201
    body = created.json()
    assert body["key"] == "RADAI" and body["pm"] == team.pm and body["members"] == [team.member]
    assert client.post("/api/v1/projects", json={"key": "RADAI", "name": "dup"}).status_code == 409
    assert client.post("/api/v1/projects", json={"key": "bad key!", "name": "x"}).status_code == 422

    keys = [p["key"] for p in client.get("/api/v1/projects").json()["items"]]
    assert keys == ["RADAI", "SECRET", "SEPSIS"]
    assert client.get("/api/v1/projects/sepsis").json()["channel"] == "C0SEPSIS"
    patched = client.patch("/api/v1/projects/RADAI", json={"description": "PACS integration"})
    assert patched.json()["description"] == "PACS integration"
    added = client.post("/api/v1/projects/RADAI/members", json={"slack_id": team.approver})
    assert team.approver in added.json()["members"]
    linked = client.post("/api/v1/projects/RADAI/channels", json={"channel": "C0RADAI"})
    assert "C0RADAI" in linked.json()["channels"]

    # A member cannot see the private project (it answers 'not found', not 'forbidden').
    member = auth(token_for(team.member))
    visible = [p["key"] for p in anon.get("/api/v1/projects", headers=member).json()["items"]]
    assert "SECRET" not in visible and "SEPSIS" in visible
    assert anon.get("/api/v1/projects/SECRET", headers=member).status_code == 404
    # Only the PM or an admin changes project settings.
    assert anon.patch("/api/v1/projects/SEPSIS", json={"name": "x"}, headers=member).status_code == 403
    pm = auth(token_for(team.pm, role="pm"))
    assert anon.patch("/api/v1/projects/SEPSIS", json={"name": "Sepsis EWS"}, headers=pm).status_code == 200


def test_risks(client: TestClient, anon: TestClient, team, token_for) -> None:
    r1 = client.post(
        "/api/v1/projects/SEPSIS/risks",
        json={"title": "Label leakage", "probability": "high", "impact": 5, "category": "model", "owner": team.member},
    )
    assert r1.status_code == 201
    assert r1.json()["key"] == "SEPSIS-R1" and r1.json()["score"] == 20 and r1.json()["rating"] == "Critical"
    r2 = client.post(
        "/api/v1/projects/SEPSIS/risks",
        json={"title": "Vendor late", "probability": 2, "impact": 2, "category": "vendor", "due_date": "2026-12-01"},
    )
    assert r2.json()["key"] == "SEPSIS-R2" and r2.json()["rating"] == "Low"
    assert client.post("/api/v1/projects/NOPE/risks", json={"title": "t", "probability": 1, "impact": 1}).status_code == 404

    def keys(**params: str) -> list[str]:
        response = client.get("/api/v1/risks", params=params)
        assert response.status_code == 200, response.text
        return [r["key"] for r in response.json()["items"]]

    assert keys(project="SEPSIS") == ["SEPSIS-R1", "SEPSIS-R2"]
    assert keys(min_rating="High") == ["SEPSIS-R1"]
    assert keys(category="vendor") == ["SEPSIS-R2"]
    assert keys(owner=team.member) == ["SEPSIS-R1"]
    assert keys(status="closed") == []

    patched = client.patch("/api/v1/risks/SEPSIS-R1", json={"impact": 2, "status": "monitoring"})
    assert patched.status_code == 200
    assert patched.json()["score"] == 8 and patched.json()["status"] == "monitoring"
    assert client.patch("/api/v1/risks/SEPSIS-R1", json={"probability": 7}).status_code == 422
    assert client.patch("/api/v1/risks/SEPSIS-R1", json={"colour": "red"}).status_code == 422
    closed = client.post("/api/v1/risks/SEPSIS-R2/close", json={"reason": "Vendor delivered"})
    assert closed.json()["status"] == "closed" and closed.json()["closed_reason"] == "Vendor delivered"
    assert keys(status="closed") == ["SEPSIS-R2"]
    assert client.get("/api/v1/risks/sepsis-r1").json()["key"] == "SEPSIS-R1"

    history = client.get("/api/v1/risks/SEPSIS-R1/history").json()["items"]
    assert [e["action"] for e in history] == ["risk.create", "risk.update"]
    assert history[1]["changes"]["impact"] == [5, 2] and history[1]["via"] == "api"
    assert client.get("/api/v1/risks/SEPSIS-R9/history").status_code == 404

    # Someone who is not registered cannot write; the private project's risks stay hidden.
    outsider_token = auth(token_for("U0UNKNOWN"))
    denied = anon.post("/api/v1/projects/SEPSIS/risks", json={"title": "t", "probability": 1, "impact": 1}, headers=outsider_token)
    assert denied.status_code == 403
    client.post("/api/v1/projects/SECRET/risks", json={"title": "hidden", "probability": 3, "impact": 3})
    member = auth(token_for(team.member))
    member_keys = [r["key"] for r in anon.get("/api/v1/risks", headers=member).json()["items"]]
    assert "SECRET-R1" not in member_keys and "SEPSIS-R1" in member_keys
    assert anon.get("/api/v1/risks/SECRET-R1", headers=member).status_code == 404
    # The member's own writes are attributed to them.
    mine = anon.post("/api/v1/projects/SEPSIS/risks", json={"title": "Drift", "probability": 3, "impact": 3}, headers=member)
    assert mine.status_code == 201 and mine.json()["created_by"] == team.member


def test_change_request_lifecycle(client: TestClient, anon: TestClient, team, token_for) -> None:
    created = client.post(
        "/api/v1/projects/SEPSIS/change-requests",
        json={"title": "Extend silent mode", "schedule_days": 14, "cost": 12000, "priority": "high"},
    )
    assert created.status_code == 201
    assert created.json()["key"] == "SEPSIS-CR1" and created.json()["status"] == "submitted"
    assert client.get("/api/v1/change-requests", params={"status": "submitted"}).json()["items"][0]["key"] == "SEPSIS-CR1"

    review = client.patch("/api/v1/change-requests/SEPSIS-CR1", json={"status": "under_review"})
    assert review.status_code == 200 and review.json()["status"] == "under_review"
    illegal = client.patch("/api/v1/change-requests/SEPSIS-CR1", json={"status": "implemented"})
    assert illegal.status_code == 409 and "under review" in illegal.json()["error"]["message"].lower()

    member = auth(token_for(team.member))
    refused = anon.post("/api/v1/change-requests/SEPSIS-CR1/decision", json={"decision": "approve"}, headers=member)
    assert refused.status_code == 403
    approver = auth(token_for(team.approver, role="approver"))
    decided = anon.post(
        "/api/v1/change-requests/SEPSIS-CR1/decision",
        json={"decision": "approve", "comment": "Safety first"},
        headers=approver,
    )
    assert decided.status_code == 200
    body = decided.json()
    assert body["status"] == "approved" and body["decided_by"] == team.approver
    assert body["decision_comment"] == "Safety first"
    assert client.post("/api/v1/change-requests/SEPSIS-CR1/decision", json={"decision": "reject"}).status_code == 409
    assert client.post("/api/v1/change-requests/SEPSIS-CR1/decision", json={"decision": "maybe"}).status_code == 422

    for step in ("implemented", "closed"):
        assert client.patch("/api/v1/change-requests/SEPSIS-CR1", json={"status": step}).json()["status"] == step
    history = client.get("/api/v1/change-requests/SEPSIS-CR1/history").json()["items"]
    assert [e["changes"].get("status", [None, None])[1] for e in history][1:] == [
        "under_review", "approved", "implemented", "closed",
    ]  # fmt: skip
    assert client.get("/api/v1/change-requests/SEPSIS-CR1").json()["status"] == "closed"
    assert client.get("/api/v1/change-requests", params={"project": "SEPSIS"}).json()["items"][0]["status"] == "closed"


def test_milestones(client: TestClient, team) -> None:
    m1 = client.post("/api/v1/projects/SEPSIS/milestones", json={"title": "Validation report", "due_date": "2026-11-20"})
    assert m1.status_code == 201 and m1.json()["key"] == "SEPSIS-M1"
    client.post("/api/v1/projects/SEPSIS/milestones", json={"title": "Go-live", "due_date": "2026-12-10"})
    assert client.post("/api/v1/projects/SEPSIS/milestones", json={"title": "x", "due_date": "soonish"}).status_code == 422

    def keys(**params: str) -> list[str]:
        return [m["key"] for m in client.get("/api/v1/milestones", params=params).json()["items"]]

    assert keys(project="SEPSIS") == ["SEPSIS-M1", "SEPSIS-M2"]
    assert keys(overdue="true") == ["SEPSIS-M1"]  # PMO_TODAY is 2026-11-25
    assert keys(due_within_days="20") == ["SEPSIS-M2"]
    moved = client.patch("/api/v1/milestones/SEPSIS-M2", json={"due_date": "2026-12-24"})
    assert moved.json()["slip_days"] == 14 and moved.json()["original_due_date"] == "2026-12-10"
    done = client.patch("/api/v1/milestones/SEPSIS-M1", json={"status": "completed"})
    assert done.json()["status"] == "completed"
    assert client.get("/api/v1/milestones/SEPSIS-M1").json()["status"] == "completed"
    assert client.patch("/api/v1/milestones/SEPSIS-M1", json={"status": "finished-ish"}).status_code == 422
    assert len(client.get("/api/v1/milestones/SEPSIS-M2/history").json()["items"]) == 2


def test_status_updates_and_project_status(client: TestClient, team) -> None:
    posted = client.post(
        "/api/v1/projects/SEPSIS/status-updates",
        json={"overall": "amber", "schedule": "red", "summary": "Validation slipped two weeks."},
    )
    assert posted.status_code == 201
    assert posted.json()["as_of"] == "2026-11-25" and posted.json()["overall"] == "amber"
    assert client.post("/api/v1/projects/SEPSIS/status-updates", json={"overall": "purple", "summary": "x"}).status_code == 422
    items = client.get("/api/v1/status-updates", params={"project": "SEPSIS"}).json()["items"]
    assert [u["summary"] for u in items] == ["Validation slipped two weeks."]
    assert client.get("/api/v1/status-updates").status_code == 422  # project is required
    client.post("/api/v1/projects/SEPSIS/risks", json={"title": "Leakage", "probability": 5, "impact": 5})
    rollup = client.get("/api/v1/projects/SEPSIS/status").json()
    assert rollup["overall"] == "amber" and rollup["open_risk_total"] == 1
    assert rollup["top_risks"][0]["key"] == "SEPSIS-R1"
