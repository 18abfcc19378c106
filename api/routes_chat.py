"""POST /api/v1/chat: one message to the assistant, the contract's chat JSON back."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ActorDep, ContainerDep, SessionDep
from tools.errors import Forbidden

router = APIRouter(prefix="/api/v1", tags=["chat"])


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=20000, description="The message, as the person wrote it.")
    user: str = Field(min_length=2, max_length=32, description="Slack user id of the person speaking.")
    channel: str | None = Field(default=None, max_length=64, description="Slack channel (project context).")
    thread: str | None = Field(default=None, max_length=80, description="Continue this conversation.")


class ChatAction(BaseModel):
    tool: str
    args: dict[str, Any]
    ok: bool
    result: Any = None


class ChatCitation(BaseModel):
    source: str
    title: str | None = None
    snippet: str


class ChatResponse(BaseModel):
    reply: str
    actions: list[ChatAction]
    citations: list[ChatCitation]
    pending: dict[str, Any] | None = None


@router.post(
    "/chat",
    response_model=ChatResponse,
    response_model_exclude_unset=True,
    summary="Talk to the assistant as a person (it may ask a follow-up in the same thread)",
)
async def chat(
    body: ChatRequest, container: ContainerDep, actor: ActorDep, session: SessionDep
) -> dict[str, Any]:
    """Admin tokens may speak for anyone; a token linked to a person speaks only as that person."""
    if not actor.is_admin and actor.user_id != body.user.strip():
        raise Forbidden(f"This token can only chat as {actor.user_id}.")
    from bot.assistant import Incoming

    # The assistant runs its own units of work; end the request's (token bookkeeping) first so it holds
    # no write lock while the message is handled.
    session.commit()

    incoming = Incoming(
        text=body.text, user=body.user.strip(), channel=body.channel or "", thread=body.thread, via="api"
    )
    result = await run_in_threadpool(container.assistant.handle, incoming)
    return result.as_json()
