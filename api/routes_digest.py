"""POST /api/v1/digest and digest subscriptions; starts the digest scheduler with the app."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from api.deps import ActorDep, ContainerDep, SessionDep, TodayDep
from bot.digest.build import build_digest
from bot.digest.render import render_blocks, render_text
from bot.digest.subscriptions import (
    get_subscription,
    list_subscriptions,
    subscribe,
    subscription_dict,
    unsubscribe,
    update_subscription,
)
from tools.actor import Actor
from tools.errors import Forbidden, Invalid
from tools.services.access import readable_project

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/digest", tags=["digest"])


class DigestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    project: str | None = Field(default=None, description="Project key; omit for the portfolio digest.")
    dry_run: bool = Field(default=True, description="Only build it; false posts it to Slack too.")
    channel: str | None = Field(default=None, description="Where to post (default: the project's channel).")


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: str
    project: str | None = None
    day: str = "monday"
    time: str = "09:00"
    timezone: str | None = None


class SubscriptionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: str | None = None
    time: str | None = None
    timezone: str | None = None
    active: bool | None = None


def slack_client(container: Any) -> Any:
    """A Web API client for posting digests, or None when Slack is not configured."""
    settings = container.settings
    if not settings.slack_bot_token:
        return None
    from slack_sdk import WebClient

    kwargs = {"base_url": settings.slack_api_url.rstrip("/") + "/"} if settings.slack_api_url else {}
    return WebClient(token=settings.slack_bot_token, **kwargs)


def _post_channel(session: Session, actor: Actor, body: DigestRequest) -> str:
    project = readable_project(session, actor, body.project) if body.project else None
    channel = body.channel or (project.channel if project else None)
    if not channel:
        raise Invalid("Say which channel to post the digest to (`channel`), or link the project to one.")
    if project is not None and project.private and channel != project.channel:
        raise Forbidden(f"{project.key} is private: its digest is only posted to its own channel.")
    return channel


@router.post("", summary="Build a digest (and post it to Slack unless dry_run)")
def digest(body: DigestRequest, session: SessionDep, actor: ActorDep, today: TodayDep,
           container: ContainerDep) -> dict:  # fmt: skip
    tz = container.settings.tz
    channel = None if body.dry_run else _post_channel(session, actor, body)
    # What goes to a channel is built as for a scheduled post (no private projects in a portfolio digest).
    audience = None if channel and not body.project else actor
    built = build_digest(session, project=body.project, today=today, actor=audience, tz=tz)
    out = {"project": built.project, "title": built.title, "text": render_text(built),
           "summary": built.as_dict(), "blocks": render_blocks(built), "posted": False,
           "channel": channel}  # fmt: skip
    if channel:
        client = slack_client(container)
        if client is None:
            raise Invalid("Slack is not configured (SLACK_BOT_TOKEN), so the digest can only be a dry run.")
        from bot.digest.poster import slack_poster

        slack_poster(client)(channel, built)
        out["posted"] = True
    return out


@router.get("/subscriptions", summary="Digest subscriptions")
def subscriptions(session: SessionDep, actor: ActorDep, channel: str | None = None,
                  project: str | None = None, include_inactive: bool = False) -> dict:  # fmt: skip
    subs = list_subscriptions(session=session, actor=actor, channel=channel, project=project,
                              include_inactive=include_inactive)  # fmt: skip
    return {"items": [subscription_dict(s) for s in subs]}


@router.post("/subscriptions", status_code=201, summary="Subscribe a channel to a weekly digest")
def create_subscription(body: SubscriptionCreate, session: SessionDep, actor: ActorDep,
                        container: ContainerDep) -> dict:  # fmt: skip
    sub = subscribe(session=session, actor=actor, default_timezone=container.settings.timezone,
                    **body.model_dump())  # fmt: skip
    return subscription_dict(sub)


@router.get("/subscriptions/{subscription_id}", summary="One digest subscription")
def read_subscription(subscription_id: int, session: SessionDep, actor: ActorDep) -> dict:
    return subscription_dict(get_subscription(session=session, actor=actor, subscription_id=subscription_id))


@router.patch("/subscriptions/{subscription_id}", summary="Change a subscription's day, time, zone, active")
def patch_subscription(subscription_id: int, body: SubscriptionUpdate, session: SessionDep,
                       actor: ActorDep) -> dict:  # fmt: skip
    sub = update_subscription(session=session, actor=actor, subscription_id=subscription_id,
                              **body.model_dump(exclude_unset=True))  # fmt: skip
    return subscription_dict(sub)


@router.delete("/subscriptions/{subscription_id}", summary="Stop a subscription")
def delete_subscription(subscription_id: int, session: SessionDep, actor: ActorDep) -> dict:
    return subscription_dict(unsubscribe(session=session, actor=actor, subscription_id=subscription_id))


def make_scheduler(container: Any, metrics: Any = None) -> Any:
    """The digest scheduler over Slack, or None when Slack or the scheduler is off."""
    client = slack_client(container)
    if client is None or not container.settings.scheduler:
        return None
    from bot.digest.poster import slack_poster
    from bot.digest.scheduler import DigestScheduler

    on_run = (lambda status: metrics.digest_runs.labels(status).inc()) if metrics is not None else None
    return DigestScheduler(container.session_factory, slack_poster(client),
                           today=lambda: container.settings.today, on_run=on_run)  # fmt: skip


def install_digest(app: FastAPI, container: Any, metrics: Any = None) -> None:
    """Mount the digest routes and run the scheduler for the app's lifetime (when Slack is on)."""
    app.include_router(router)
    app.state.digest_scheduler = None
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: FastAPI) -> AsyncIterator[Any]:
        async with inner(a) as state:
            scheduler = make_scheduler(container, metrics)
            a.state.digest_scheduler = scheduler
            if scheduler is not None:
                scheduler.start()
                log.info("digest scheduler started (worker %s)", scheduler.worker_id)
            try:
                yield state
            finally:
                if scheduler is not None:
                    scheduler.shutdown()

    app.router.lifespan_context = lifespan
