"""Read-side helpers the Slack surfaces share: status and risk lists as Block Kit, projects for forms."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.slack import blocks as bk
from tools.actor import Actor
from tools.schemas import ChangeRequestPublic, RiskPublic
from tools.services import projects as project_service
from tools.services import risks as risk_service
from tools.services import status as status_service


def public(kind: str, row: Any) -> dict:
    model = RiskPublic if kind == "risk" else ChangeRequestPublic
    return model.model_validate(row).model_dump(mode="json")


def project_choices(session: Session, actor: Actor) -> list[tuple[str, str]]:
    return [(p.key, p.name) for p in project_service.list_projects(session=session, actor=actor)]


def channel_project(session: Session, channel: str | None) -> str | None:
    project = project_service.project_for_channel(session, channel) if channel else None
    return project.key if project else None


def status_blocks(session: Session, actor: Actor, project: str, today) -> tuple[str, list[dict]]:  # noqa: ANN001
    st = status_service.project_status(session=session, actor=actor, project=project, today=today)
    rag = st.overall or "not reported"
    head = (
        f"{bk.RAG_EMOJI.get(st.overall or '', ':white_circle:')} *{st.project}* {bk.escape(st.name)}: *{rag}*"
    )
    dims = " • ".join(f"{d} {getattr(st, d)}" for d in ("schedule", "budget", "scope") if getattr(st, d))
    lines = [head + (f" ({dims})" if dims else "")]
    if st.summary:
        lines.append(f"_{bk.escape(st.summary)}_")
    counts = ", ".join(f"{n} {r}" for r, n in st.open_risks.items() if n) or "none"
    lines.append(f"Open risks: {st.open_risk_total} ({counts})")
    out = [bk.section("\n".join(lines))]
    for risk in st.top_risks[:5]:
        out += bk.risk_card(risk.model_dump(mode="json"))
    if st.upcoming_milestones or st.overdue_milestones:
        ms = [bk.milestone_line(m) + " :warning: overdue" for m in st.overdue_milestones]
        ms += [bk.milestone_line(m) for m in st.upcoming_milestones]
        out.append(bk.section("*Milestones*\n" + "\n".join(ms[:10])))
    for cr in st.awaiting_decision[:5]:
        out += bk.change_request_card(cr.model_dump(mode="json"))
    return f"{st.project} is {rag}", out


def risk_list_blocks(
    session: Session, actor: Actor, project: str | None, limit: int = 15
) -> tuple[str, list[dict]]:
    rows = risk_service.list_risks(
        session=session, actor=actor, filters={"project": project, "open_only": True}
    )
    rows = sorted(rows, key=lambda r: (-r.score, r.key))
    where = f" in {project}" if project else ""
    if not rows:
        return f"No open risks{where}.", [bk.section(f"No open risks{where}.")]
    out = [bk.section(f"*{len(rows)} open risks{where}*, highest first:")]
    for risk in rows[:limit]:
        out += bk.risk_card(public("risk", risk))
    if len(rows) > limit:
        out.append(bk.context(f"…and {len(rows) - limit} more. Ask me for the rest by project or rating."))
    return f"{len(rows)} open risks{where}", out
