"""The deployment files, checked structurally (docker cannot run here): compose, Dockerfile, nginx, docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def aliases() -> set[str]:
    return {f.alias for f in Settings.model_fields.values() if f.alias}


def test_services_and_dependencies(compose):
    services = compose["services"]
    assert {"postgres", "chroma", "migrate", "worker", "lb"} <= set(services)
    for name, service in services.items():
        for dep in service.get("depends_on", {}):
            assert dep in services, f"{name} depends on unknown service {dep}"
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in compose["volumes"], f"{name} uses undeclared volume {source}"
            else:
                assert (ROOT / source).exists(), f"{name} mounts missing file {source}"
    worker = services["worker"]
    assert worker["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["pmo", "db", "upgrade"]
    assert worker["deploy"]["replicas"] >= 2
    assert "ports" not in worker, "workers sit behind the load balancer"
    assert services["lb"]["ports"] and "readyz" in " ".join(worker["healthcheck"]["test"])
    assert "postgres" in services["postgres"]["image"] and "chromadb/chroma" in services["chroma"]["image"]


def test_worker_environment_is_http_mode_postgres_and_chroma(compose):
    env = compose["services"]["worker"]["environment"]
    assert (
        env["PMO_DATABASE_URL"].startswith("postgresql+psycopg://")
        and "@postgres:5432/" in env["PMO_DATABASE_URL"]
    )
    assert env["PMO_CHROMA_URL"] == "http://chroma:8000"
    assert "SLACK_SIGNING_SECRET" in env and "SLACK_APP_TOKEN" not in env  # HTTP mode, not Socket Mode
    assert env["PMO_SCHEDULER"] == "true"  # safe on every worker: digests are claimed in the database
    unknown = {k for k in env if k.startswith(("PMO_", "SLACK_"))} - aliases()
    assert not unknown, f"compose sets variables the app does not read: {unknown}"
    assert compose["services"]["migrate"]["environment"] == env


def test_secrets_are_required_not_defaulted():
    text = (ROOT / "docker-compose.yml").read_text()
    assert re.search(r"POSTGRES_PASSWORD:\?", text) and re.search(r"PMO_API_TOKEN:\?", text)
    example = (ROOT / "deploy" / "env.example").read_text()
    assert re.search(r"^POSTGRES_PASSWORD=$", example, re.M) and re.search(r"^PMO_API_TOKEN=$", example, re.M)


def test_dockerfile_and_nginx():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.1[1-9]", dockerfile, re.M)
    assert "download.pytorch.org/whl/cpu" in dockerfile and "USER pmo" in dockerfile
    assert 'CMD ["pmo", "serve", "--host", "0.0.0.0", "--port", "8000"]' in dockerfile
    for package in ("tools", "knowledge", "retrieval", "bot", "api"):
        assert f"COPY {package} ./{package}" in dockerfile
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server worker:8000" in nginx and "proxy_pass http://pmo_workers" in nginx
    assert "location = /metrics" in nginx


def test_operations_doc_covers_the_layout(compose):
    doc = (ROOT / "docs" / "OPERATIONS.md").read_text()
    for needle in ("docker compose", "/slack/events", "/readyz", "/metrics", "PMO_LOG_JSON", "pmo db upgrade",
                   "exactly once"):  # fmt: skip
        assert needle in doc, needle
    for name in compose["services"]["worker"]["environment"]:
        assert name in doc, f"{name} is not documented in docs/OPERATIONS.md"
