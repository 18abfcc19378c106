"""Small helpers the record routers share."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, create_model

from tools.schemas.common import Input

T = TypeVar("T")


class Items(BaseModel, Generic[T]):
    """Every list response: `{"items": [...]}`."""

    items: list[T]


def body_model(model: type[BaseModel], *, without: tuple[str, ...] = ("project",)) -> type[BaseModel]:
    """`model` minus the fields the URL supplies (validators and docs kept), for a request body."""
    fields: dict[str, Any] = {
        name: (field.annotation, field) for name, field in model.model_fields.items() if name not in without
    }
    return create_model(f"{model.__name__}Body", __base__=Input, **fields)


def with_project(body: BaseModel, key: str) -> dict[str, Any]:
    """The body's fields as set, plus the project key from the URL."""
    return {**body.model_dump(exclude_unset=True), "project": key}
