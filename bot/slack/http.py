"""HTTP mode: POST /slack/events as a FastAPI router over bolt's FastAPI (Starlette) adapter."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request, Response
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool


def slack_router(app: App | Callable[[], App], path: str = "/slack/events") -> APIRouter:
    """Events, commands, interactivity and options all arrive at `path` (the manifest's request URLs).

    bolt's sync handler would dispatch on the event loop; the app's ack functions touch the database,
    so dispatch runs in the thread pool and the server keeps answering other requests meanwhile.
    `app` may be a callable so the Bolt app (and the assistant behind it) is built on the first request.
    """
    router = APIRouter(tags=["slack"])

    @router.post(path, include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        body = await request.body()
        bolt_app = app if isinstance(app, App) else await run_in_threadpool(app)
        bolt_response = await run_in_threadpool(bolt_app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    return router
