"""The contract's `digest` tool: a project's (or the portfolio's) weekly digest as text + summary."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from bot.digest.build import build_digest
from bot.digest.render import render_blocks, render_text
from tools.actor import Actor
from tools.registry import ToolSpec


class DigestArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    project: str | None = Field(
        default=None, description="Project key, e.g. SEPSIS. Omit for the portfolio digest of every project."
    )


def _digest(args: DigestArgs, *, session: Session, actor: Actor, today: date) -> dict[str, Any]:
    digest = build_digest(session, project=args.project or None, today=today, actor=actor)
    return {"text": render_text(digest), "summary": digest.as_dict(), "blocks": render_blocks(digest)}


def digest_spec() -> ToolSpec:
    return ToolSpec(
        name="digest",
        description=(
            "The weekly digest of a project (or, with no project, of the whole portfolio): RAG status, "
            "what changed this week, top risks, overdue actions, risks not reviewed in 30 days, milestones "
            "due in the next 14 days and change requests awaiting a decision. Read-only."
        ),
        args_schema=DigestArgs,
        func=_digest,
        writes=False,
    )
