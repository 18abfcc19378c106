"""Request dependencies: the container, one session per request, the acting person, today.

Routers elsewhere in `api/` use these as `Annotated` types, e.g. `def route(session: SessionDep,
actor: ActorDep, today: TodayDep)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.container import Container
from tools.actor import Actor
from tools.db import session_scope
from tools.errors import Forbidden, Unauthenticated
from tools.models import ApiToken, Person

_bearer = HTTPBearer(auto_error=False, description="An API token from `pmo token create` or PMO_API_TOKEN")


def get_container(request: Request) -> Container:
    return request.app.state.container


ContainerDep = Annotated[Container, Depends(get_container)]


def get_session(container: ContainerDep) -> Iterator[Session]:
    """One unit of work per request: committed before the response is sent, rolled back on error."""
    with session_scope(container.session_factory) as session:
        yield session


# scope="function": the commit happens before the response leaves, so a 2xx means it is stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_today(container: ContainerDep) -> date:
    return container.today()


TodayDep = Annotated[date, Depends(get_today)]


def actor_for_token(session: Session, token: ApiToken) -> Actor:
    """The token's role, acting as its linked person when it has one."""
    person = None
    if token.person_slack_id:
        person = session.scalar(select(Person).where(Person.slack_id == token.person_slack_id))
    if person is not None:
        return Actor(
            user_id=person.slack_id, role=token.role, via="api", name=person.name, person_id=person.id
        )
    user_id = token.person_slack_id or f"api:{token.prefix}"
    return Actor(user_id=user_id[:32], role=token.role, via="api", name=token.name)


def get_actor(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    from tools.services import tokens

    if credentials is None or not credentials.credentials:
        raise Unauthenticated(
            "This needs an API token: send `Authorization: Bearer <token>` "
            "(create one with `pmo token create`)."
        )
    return actor_for_token(session, tokens.authenticate(session, credentials.credentials))


ActorDep = Annotated[Actor, Depends(get_actor)]


def require_admin(actor: ActorDep) -> Actor:
    if not actor.is_admin:
        raise Forbidden("Only an admin token can do that.")
    return actor


AdminDep = Annotated[Actor, Depends(require_admin)]
