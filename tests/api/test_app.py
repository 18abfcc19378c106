"""The app factory: health, OpenAPI, auth, the one error shape, refusing an un-migrated database."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from api.app import create_app
from api.container import Container
from tests.api.conftest import ADMIN_TOKEN, auth, make_settings
from tools.errors import DatabaseNotMigrated


def test_healthz_and_openapi(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/v1/people", "/api/v1/projects", "/api/v1/projects/{key}", "/api/v1/projects/{key}/risks",
        "/api/v1/projects/{key}/change-requests", "/api/v1/projects/{key}/milestones",
        "/api/v1/projects/{key}/status-updates", "/api/v1/risks", "/api/v1/risks/{key}",
        "/api/v1/risks/{key}/history", "/api/v1/change-requests/{key}/decision", "/api/v1/milestones/{key}",
        "/api/v1/status-updates",
    ):  # fmt: skip
        assert path in paths, path
    # Bodies for nested creates leave out the project (the URL gives it) but keep the real fields.
    schema_ref = paths["/api/v1/projects/{key}/risks"]["post"]["requestBody"]["content"]["application/json"]
    body = spec["components"]["schemas"][schema_ref["schema"]["$ref"].rsplit("/", 1)[1]]
    assert "probability" in body["properties"] and "project" not in body["properties"]


def test_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path / "data")
    with pytest.raises(DatabaseNotMigrated) as err:
        create_app(settings)
    assert "pmo db upgrade" in str(err.value)


def test_missing_and_bad_tokens_are_401(anon: TestClient, team) -> None:
    for headers in ({}, auth("not-a-real-token"), {"Authorization": "Basic abc"}):
        response = anon.get("/api/v1/projects", headers=headers)
        assert response.status_code == 401
        error = response.json()["error"]
        assert error["kind"] == "unauthenticated" and "token" in error["message"]
    assert anon.get("/healthz").status_code == 200  # health needs no token


def test_configured_admin_token_is_seeded_once(container: Container, client: TestClient) -> None:
    assert client.get("/api/v1/projects").status_code == 200
    create_app(container)  # a second worker seeding the same token must not fail or duplicate it
    from sqlalchemy import func, select

    from tools.models import ApiToken

    with container.session() as session:
        assert session.scalar(select(func.count()).select_from(ApiToken)) == 1
    assert client.get("/api/v1/projects", headers=auth(ADMIN_TOKEN)).status_code == 200


def test_error_shapes(client: TestClient, team) -> None:
    missing = client.get("/api/v1/risks/SEPSIS-R99")
    assert missing.status_code == 404
    assert missing.json() == {"error": {"kind": "not_found", "message": missing.json()["error"]["message"]}}
    assert "SEPSIS-R99" in missing.json()["error"]["message"]

    no_route = client.get("/api/v1/nothing-here")
    assert no_route.status_code == 404 and no_route.json()["error"]["kind"] == "not_found"

    bad_body = client.post("/api/v1/projects/SEPSIS/risks", json={"title": "x", "probability": "huge"})
    assert bad_body.status_code == 422
    error = bad_body.json()["error"]
    assert error["kind"] == "invalid"
    assert "probability" in error["message"] and "impact" in error["message"]
    assert "body" not in error["message"]

    not_json = client.post(
        "/api/v1/projects/SEPSIS/risks", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert not_json.status_code == 422 and not_json.json()["error"]["kind"] == "invalid"

    bad_query = client.get("/api/v1/risks", params={"min_rating": "enormous"})
    assert bad_query.status_code == 422 and "min_rating" in bad_query.json()["error"]["message"]

    client.post("/api/v1/projects/SEPSIS/risks", json={"title": "t", "probability": 2, "impact": 2})
    client.post("/api/v1/risks/SEPSIS-R1/close", json={})
    conflict = client.post("/api/v1/risks/SEPSIS-R1/close", json={})
    assert conflict.status_code == 409 and conflict.json()["error"]["kind"] == "conflict"


def test_unexpected_errors_are_500_with_a_reference(container: Container) -> None:
    app = create_app(container)
    router = APIRouter()

    @router.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    app.include_router(router)
    response = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["kind"] == "internal" and "reference" in error["message"]
    assert "secret internals" not in response.text
