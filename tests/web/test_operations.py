"""/metrics (private registry per app), /readyz checks, JSON logs with reference ids, tool-call counting."""

from __future__ import annotations

import io
import json
import logging

from conftest import auth
from fastapi.testclient import TestClient

from api.app import create_app
from api.container import Container
from api.observability import Metrics, configure_logging, instrument_specs, log_error, readiness
from bot.digest.tool import digest_spec
from tools.errors import NotFound
from tools.registry import TOOL_SPECS, run_tool


def metric(text: str, name: str, **labels: str) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        if line.startswith(f"{name}{{{want}}}" if labels else f"{name} "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_per_app(client, pm_token, container):
    client.get("/dashboard", headers=auth(pm_token))
    client.get("/dashboard", headers=auth(pm_token))
    client.get("/dashboard/projects/SEPSIS", headers=auth(pm_token))
    text = client.get("/metrics").text
    assert metric(text, "pmo_http_requests_total", method="GET", route="/dashboard", status="200") == 2
    assert (
        metric(text, "pmo_http_requests_total", method="GET", route="/dashboard/projects/{key}", status="200")
        == 1
    )
    assert 'pmo_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/dashboard"}' in text
    for family in ("pmo_tool_calls", "pmo_slack_events", "pmo_ingest_documents", "pmo_ingest_chunks",
                   "pmo_digest_runs"):  # fmt: skip
        assert f"# TYPE {family}" in text
    # A second app has its own registry: no duplicate-registration error, counts start at zero.
    with TestClient(create_app(container)) as other:
        assert metric(other.get("/metrics").text, "pmo_http_requests_total", method="GET", route="/dashboard",
                      status="200") == 0  # fmt: skip


def test_readyz(client, container, tmp_path):
    r = client.get("/readyz")
    assert r.status_code == 200, r.text
    checks = r.json()["checks"]
    assert (
        checks["database"] == "ok"
        and checks["vector_store"].startswith("ok")
        and checks["model"].startswith("ok")
    )
    broken = Container(container.settings.model_copy(update={"embedding_model": str(tmp_path / "missing"),
                                                              "chroma_url": "http://127.0.0.1:9"}))  # fmt: skip
    ready, results = readiness(broken)
    assert not ready and results["model"].startswith("error") and results["vector_store"].startswith("error")
    assert results["database"] == "ok"
    broken.close()


def test_readyz_reports_unmigrated_database(tmp_path):
    from api.settings import Settings

    empty = Container(Settings(_env_file=None, PMO_DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}",
                               PMO_DATA_DIR=str(tmp_path)))  # fmt: skip
    ready, results = readiness(empty)
    assert not ready and "pmo db upgrade" in results["database"]
    empty.close()


def test_json_logs_with_reference_id():
    handler = configure_logging(json_logs=True, level="INFO")
    stream = io.StringIO()
    handler.setStream(stream)
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            ref = log_error(logging.getLogger("pmo.test"), "digest failed for %s", "SEPSIS")
        line = json.loads(stream.getvalue().strip().splitlines()[-1])
        assert line["level"] == "error" and line["ref"] == ref and len(ref) == 12
        assert (
            line["message"] == f"digest failed for SEPSIS (ref {ref})" and "ValueError: boom" in line["exc"]
        )
    finally:
        configure_logging(json_logs=False)


def test_tool_calls_are_counted(session, portfolio):
    metrics = Metrics()
    specs = instrument_specs([*TOOL_SPECS.values(), digest_spec()], metrics)
    run_tool("digest", {"project": "SEPSIS"}, session=session, actor=portfolio.pm, today=portfolio.today,
             specs=specs)  # fmt: skip
    try:
        run_tool("project_status", {"project": "NOPE"}, session=session, actor=portfolio.pm,
                 today=portfolio.today, specs=specs)  # fmt: skip
    except NotFound:
        pass
    text = metrics.render().decode()
    assert metric(text, "pmo_tool_calls_total", outcome="ok", tool="digest") == 1
    assert metric(text, "pmo_tool_calls_total", outcome="refused", tool="project_status") == 1
    metrics.slack_middleware()({"type": "event_callback", "event": {"type": "app_mention"}}, lambda: None)
    assert metric(metrics.render().decode(), "pmo_slack_events_total", type="event:app_mention") == 1


def test_ingest_reports_are_counted():
    from knowledge.types import SyncReport

    class FakeIngestor:
        def ingest(self, paths, project=None, progress=None):
            return SyncReport(files=5, unchanged=1, chunks_added=12, skipped=[("a.exe", "type")],
                              errors=[("b.pdf", "broken")])  # fmt: skip

    metrics = Metrics()
    ingestor = FakeIngestor()
    metrics.count_ingests(ingestor)
    assert ingestor.ingest(["x"], project="SEPSIS").chunks_added == 12
    text = metrics.render().decode()
    assert metric(text, "pmo_ingest_documents_total", outcome="indexed") == 2
    assert metric(text, "pmo_ingest_documents_total", outcome="failed") == 1
    assert metric(text, "pmo_ingest_chunks_total") == 12


def test_container_counts_the_assistants_tool_calls(app, container, session, portfolio):
    specs = container.tool_specs  # what the assistant (and so Slack, chat, the agent) runs tools through
    assert {s.name for s in specs} >= {"digest", "list_risks", "log_risk"}
    run_tool("list_risks", {"project": "SEPSIS"}, session=session, actor=portfolio.pm, today=portfolio.today,
             specs=specs)  # fmt: skip
    text = app.state.metrics.render().decode()
    assert metric(text, "pmo_tool_calls_total", outcome="ok", tool="list_risks") == 1
