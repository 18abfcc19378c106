"""People: register, list, read, update."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import ActorDep, SessionDep
from api.routes.common import Items
from tools.schemas import PersonCreate, PersonPublic, PersonUpdate
from tools.services import people

router = APIRouter(prefix="/people", tags=["people"])


@router.post("", status_code=status.HTTP_201_CREATED, summary="Register a person (admins)")
def create_person(body: PersonCreate, session: SessionDep, actor: ActorDep) -> PersonPublic:
    return PersonPublic.model_validate(people.create_person(session=session, actor=actor, data=body))


@router.get("", summary="Everyone registered")
def list_people(session: SessionDep, actor: ActorDep, role: str | None = None) -> Items[PersonPublic]:
    rows = people.list_people(session=session, actor=actor, role=role)
    return Items[PersonPublic](items=[PersonPublic.model_validate(p) for p in rows])


@router.get("/{slack_id}", summary="One person")
def get_person(slack_id: str, session: SessionDep, actor: ActorDep) -> PersonPublic:
    return PersonPublic.model_validate(people.get_person(session=session, actor=actor, slack_id=slack_id))


@router.patch("/{slack_id}", summary="Change a person's name, role, email, title or active flag")
def update_person(slack_id: str, body: PersonUpdate, session: SessionDep, actor: ActorDep) -> PersonPublic:
    person = people.update_person(session=session, actor=actor, slack_id=slack_id, data=body)
    return PersonPublic.model_validate(person)
