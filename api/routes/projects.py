"""Projects, their members and channels, their status roll-up, and the records filed under them."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from api.deps import ActorDep, SessionDep, TodayDep
from api.routes.common import Items, body_model, with_project
from tools.schemas import (
    ChangeRequestCreate,
    ChangeRequestPublic,
    MilestoneCreate,
    MilestonePublic,
    ProjectCreate,
    ProjectPublic,
    ProjectStatusPublic,
    ProjectUpdate,
    RiskCreate,
    RiskPublic,
    StatusUpdateCreate,
    StatusUpdatePublic,
)
from tools.services import change_requests, milestones, projects, risks
from tools.services import status as status_service

router = APIRouter(prefix="/projects", tags=["projects"])

RiskCreateBody = body_model(RiskCreate)
ChangeRequestCreateBody = body_model(ChangeRequestCreate)
StatusUpdateCreateBody = body_model(StatusUpdateCreate)


class MemberBody(BaseModel):
    slack_id: str = Field(description="the person's Slack user id (or a registered name)")


class ChannelBody(BaseModel):
    channel: str = Field(description="a Slack channel id, e.g. C0123ABCD")


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a project (PMs and admins)")
def create_project(body: ProjectCreate, session: SessionDep, actor: ActorDep) -> ProjectPublic:
    return ProjectPublic.model_validate(projects.create_project(session=session, actor=actor, data=body))


@router.get("", summary="Projects the caller can see")
def list_projects(session: SessionDep, actor: ActorDep) -> Items[ProjectPublic]:
    rows = projects.list_projects(session=session, actor=actor)
    return Items[ProjectPublic](items=[ProjectPublic.model_validate(p) for p in rows])


@router.get("/{key}", summary="One project")
def get_project(key: str, session: SessionDep, actor: ActorDep) -> ProjectPublic:
    return ProjectPublic.model_validate(projects.get_project(session=session, actor=actor, key=key))


@router.patch("/{key}", summary="Change a project's name, description, channel, PM, privacy or status")
def update_project(key: str, body: ProjectUpdate, session: SessionDep, actor: ActorDep) -> ProjectPublic:
    project = projects.update_project(session=session, actor=actor, key=key, data=body)
    return ProjectPublic.model_validate(project)


@router.post("/{key}/members", summary="Add a member (the project's PM or an admin)")
def add_member(key: str, body: MemberBody, session: SessionDep, actor: ActorDep) -> ProjectPublic:
    project = projects.add_member(session=session, actor=actor, key=key, slack_id=body.slack_id)
    return ProjectPublic.model_validate(project)


@router.post("/{key}/channels", summary="Link a Slack channel (the project's PM or an admin)")
def link_channel(key: str, body: ChannelBody, session: SessionDep, actor: ActorDep) -> ProjectPublic:
    project = projects.link_channel(session=session, actor=actor, key=key, channel=body.channel)
    return ProjectPublic.model_validate(project)


@router.get("/{key}/status", summary="Latest RAG, open risks by rating, top risks, milestones, pending CRs")
def project_status(key: str, session: SessionDep, actor: ActorDep, today: TodayDep) -> ProjectStatusPublic:
    return status_service.project_status(session=session, actor=actor, project=key, today=today)


@router.post("/{key}/risks", status_code=status.HTTP_201_CREATED, summary="Log a risk")
def log_risk(key: str, body: RiskCreateBody, session: SessionDep, actor: ActorDep) -> RiskPublic:  # type: ignore[valid-type]
    risk = risks.log_risk(session=session, actor=actor, data=with_project(body, key))
    return RiskPublic.model_validate(risk)


@router.post("/{key}/change-requests", status_code=status.HTTP_201_CREATED, summary="File a change request")
def file_change_request(
    key: str,
    body: ChangeRequestCreateBody,  # type: ignore[valid-type]
    session: SessionDep,
    actor: ActorDep,
) -> ChangeRequestPublic:
    cr = change_requests.file_change_request(session=session, actor=actor, data=with_project(body, key))
    return ChangeRequestPublic.model_validate(cr)


@router.post("/{key}/milestones", status_code=status.HTTP_201_CREATED, summary="Add a milestone")
def create_milestone(
    key: str, body: MilestoneCreate, session: SessionDep, actor: ActorDep, today: TodayDep
) -> MilestonePublic:
    milestone = milestones.create_milestone(session=session, actor=actor, project=key, data=body, today=today)
    return MilestonePublic.model_validate(milestone)


@router.post("/{key}/status-updates", status_code=status.HTTP_201_CREATED, summary="Post a status update")
def post_status_update(
    key: str,
    body: StatusUpdateCreateBody,  # type: ignore[valid-type]
    session: SessionDep,
    actor: ActorDep,
    today: TodayDep,
) -> StatusUpdatePublic:
    data = with_project(body, key)
    update = status_service.post_status_update(session=session, actor=actor, data=data, today=today)
    return StatusUpdatePublic.model_validate(update)
