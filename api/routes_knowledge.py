"""POST /api/v1/search and /api/v1/ask: the knowledge index, within what the token's person may see."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ActorDep, ContainerDep, SessionDep
from tools.services.access import search_scope

router = APIRouter(prefix="/api/v1", tags=["knowledge"])


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=2000, description="What to look for.")
    project: str | None = Field(default=None, max_length=32, description="Search within this project.")
    k: int = Field(default=8, ge=1, le=100, description="How many hits.")


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=2000, description="A question about documents, records.")
    project: str | None = Field(default=None, max_length=32, description="Answer within this project.")


def _scope(session: Any, actor: Any, project: str | None) -> tuple[set[str] | None, str | None]:
    """The projects the caller may read, and the named project (404 when unknown or not visible to them)."""
    projects, scope = search_scope(session, actor, project)
    session.commit()  # hold no transaction while the index works
    return projects, scope


@router.post("/search", summary="Hybrid search over documents and records")
async def search(body: SearchRequest, container: ContainerDep, actor: ActorDep, session: SessionDep) -> dict:
    projects, scope = _scope(session, actor, body.project)

    def run() -> list[Any]:
        return container.searcher.search(
            body.query, projects=projects, k=body.k, today=container.today(), project=scope
        )

    hits = await run_in_threadpool(run)
    return {"hits": [h.as_dict() for h in hits]}


@router.post("/ask", summary="An answer quoted from the documents and records, with citations")
async def ask(body: AskRequest, container: ContainerDep, actor: ActorDep, session: SessionDep) -> dict:
    projects, scope = _scope(session, actor, body.project)

    def run() -> Any:
        return container.answerer.ask(
            body.question, projects=projects, today=container.today(), llm=container.llm, project=scope
        )

    answer = await run_in_threadpool(run)
    return answer.as_dict()
