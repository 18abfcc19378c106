"""The FastAPI app factory: routers, the one error mapping, health, OpenAPI."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.container import Container
from api.settings import Settings
from tools.errors import DomainError

log = logging.getLogger(__name__)

_HTTP_KINDS = {
    400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid", 429: "rate_limited",
}  # fmt: skip


def error_body(kind: str, message: str) -> dict[str, Any]:
    """The shape of every error the API returns."""
    return {"error": {"kind": kind, "message": message}}


def describe_request_errors(errors: Any) -> str:
    """One sentence per problem, naming the field without FastAPI's `body`/`query` prefixes."""
    parts = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
        where = ".".join(loc)
        msg = str(err.get("msg", "is not valid")).removeprefix("Value error, ").rstrip(".")
        if err.get("type") == "missing":
            msg = "is required"
        elif err.get("type") == "extra_forbidden":
            msg = "is not a field I know"
        elif err.get("type") == "json_invalid":
            msg = "the request body is not valid JSON"
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts) + "." if parts else "The request is not valid."


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_request: Request, exc: DomainError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        return JSONResponse(error_body(exc.kind, exc.message), status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body("invalid", describe_request_errors(exc.errors())), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = _HTTP_KINDS.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else "The request could not be handled."
        if exc.status_code == 404 and message == "Not Found":
            message = "There is nothing at this address."
        return JSONResponse(error_body(kind, message), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        ref = uuid.uuid4().hex[:12]
        log.exception("unhandled error (ref %s) on %s %s", ref, request.method, request.url.path)
        message = f"Something went wrong on our side; the logs have the details under reference {ref}."
        return JSONResponse(error_body("internal", message), status_code=500)


def install_health(app: FastAPI) -> None:
    @app.get("/healthz", tags=["operations"], summary="Liveness: the process is up and the database answers")
    def healthz(request: Request) -> JSONResponse:
        container: Container = request.app.state.container
        try:
            with container.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - reported, not raised: this is the health check
            log.exception("health check: database unreachable")
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"})


def install_features(app: FastAPI, container: Container) -> None:
    """Every feature's routes, one line each (imported here so CLI commands never pay for them)."""
    from api.observability import install_observability
    from api.routes import router as records_router
    from api.routes_chat import router as chat_router
    from api.routes_digest import install_digest
    from api.routes_knowledge import router as knowledge_router
    from api.web import install_web

    metrics = install_observability(app, container)  # /metrics, /readyz, request metrics, logging
    app.include_router(records_router)  # /api/v1 people, projects, risks, CRs, milestones, status
    app.include_router(chat_router)  # POST /api/v1/chat
    app.include_router(knowledge_router)  # POST /api/v1/search, /api/v1/ask
    install_digest(app, container, metrics)  # /api/v1/digest + the scheduler
    install_web(app)  # the dashboard
    if container.settings.slack_bot_token and container.settings.slack_signing_secret:
        from bot.slack.http import slack_router

        app.include_router(slack_router(lambda: container.slack_app))  # POST /slack/events


def create_app(config: Settings | Container | None = None, *, check_db: bool = True) -> FastAPI:
    """Build the app. Refuses (DatabaseNotMigrated, naming `pmo db upgrade`) on an un-migrated database."""
    container = config if isinstance(config, Container) else Container(config)
    if check_db:
        container.ensure_migrated()
        container.seed_admin_token()
    app = FastAPI(
        title="PMO Assistant",
        version="0.1.0",
        description="Project status, risks, change requests and milestones for a PMO, with cited answers.",
    )
    app.state.container = container
    install_error_handlers(app)
    install_health(app)
    install_features(app, container)
    return app
