"""App Home: my open risks, change requests awaiting my decision, my projects' RAG and milestones."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack import blocks as bk
from bot.slack.deps import SlackDeps
from bot.slack.errors import describe
from bot.slack.records import public
from tools.services import access
from tools.services import change_requests as cr_service
from tools.services import projects as project_service
from tools.services import risks as risk_service
from tools.services import status as status_service

MAX_CARDS = 10


def home_view(deps: SlackDeps, user: str) -> dict:
    today = deps.today()
    with deps.unit(user) as (session, actor):
        person = access.actor_person(session, actor)
        mine = risk_service.list_risks(
            session=session, actor=actor, filters={"owner": user, "open_only": True}
        )
        blocks: list[dict] = [
            {"type": "header", "text": {"type": "plain_text", "text": "PMO Assistant"}},
            bk.context(f"Hi <@{user}>. Updated {today.isoformat()}. Try `/pmo help`."),
            {"type": "header", "text": {"type": "plain_text", "text": f"My open risks ({len(mine)})"}},
        ]
        for risk in sorted(mine, key=lambda r: -r.score)[:MAX_CARDS]:
            blocks += bk.risk_card(public("risk", risk))
        if not mine:
            blocks.append(bk.section("_No open risks assigned to you._"))
        if actor.can_decide:
            waiting = cr_service.list_change_requests(
                session=session, actor=actor, filters={"awaiting_decision": True}
            )
            blocks.append(
                {
                    "type": "header",
                    "text": {"type": "plain_text", "text": f"Awaiting my decision ({len(waiting)})"},
                }
            )
            for cr in waiting[:MAX_CARDS]:
                blocks += bk.change_request_card(public("change_request", cr))
            if not waiting:
                blocks.append(bk.section("_No change requests are waiting for a decision._"))
        projects = [
            p
            for p in project_service.list_projects(session=session, actor=actor)
            if access.is_member(p, person)
        ]
        blocks.append(
            {"type": "header", "text": {"type": "plain_text", "text": f"My projects ({len(projects)})"}}
        )
        for project in projects[:MAX_CARDS]:
            st = status_service.project_status(session=session, actor=actor, project=project.key, today=today)
            line = (
                f"{bk.RAG_EMOJI.get(st.overall or '', ':white_circle:')} *{st.project}* "
                f"{bk.escape(st.name)} - {st.overall or 'no status yet'} • {st.open_risk_total} open risks"
            )
            nxt = [bk.milestone_line(m) for m in (st.overdue_milestones + st.upcoming_milestones)[:3]]
            blocks.append(bk.section("\n".join([line, *nxt])))
        if not projects:
            blocks.append(bk.section("_You are not a member of any project yet._"))
    return {"type": "home", "blocks": blocks[: bk.BLOCK_LIMIT]}


def publish_home(deps: SlackDeps, client: WebClient, user: str) -> None:
    """Refresh `user`'s App Home; if building it fails, the tab says so with a logged reference id."""
    try:
        view = home_view(deps, user)
    except Exception as exc:  # noqa: BLE001
        view = {"type": "home", "blocks": [bk.section(describe(exc))]}
    client.views_publish(user_id=user, view=view)
