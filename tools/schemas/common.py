"""Shared pydantic pieces: validators that speak the contract's scales and turn errors into sentences."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, field_validator

from tools import scales
from tools.errors import DomainError, Invalid

M = TypeVar("M", bound=BaseModel)


def _as_value_error(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Pydantic only collects ValueErrors; our parsers raise Invalid with the sentence we want to keep."""

    def wrapped(value: Any) -> Any:
        if value is None:
            return None
        try:
            return fn(value)
        except DomainError as exc:
            raise ValueError(exc.message) from None

    return wrapped


def _choice(allowed: tuple[str, ...], what: str) -> Callable[[Any], Any]:
    return _as_value_error(lambda v: scales.choice(v, allowed, what))


def _key(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _channel(value: Any) -> Any:
    """`<#C123|name>` (how Slack writes a channel mention) or `#C123` becomes `C123`."""
    if not isinstance(value, str):
        return value
    match = re.fullmatch(r"<#([A-Z0-9]+)(\|[^>]*)?>", value.strip())
    return match.group(1) if match else value.strip().lstrip("#")


def _text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


Level = Annotated[int, BeforeValidator(_as_value_error(scales.parse_level))]
IsoDate = Annotated[date, BeforeValidator(_as_value_error(scales.parse_date))]
Category = Annotated[str, BeforeValidator(_choice(scales.CATEGORIES, "risk category"))]
Response = Annotated[str, BeforeValidator(_choice(scales.RESPONSES, "risk response"))]
RiskStatus = Annotated[str, BeforeValidator(_choice(scales.RISK_STATUSES, "risk status"))]
CRStatus = Annotated[str, BeforeValidator(_choice(scales.CR_STATUSES, "change request status"))]
Priority = Annotated[str, BeforeValidator(_choice(scales.CR_PRIORITIES, "priority"))]
MilestoneStatus = Annotated[str, BeforeValidator(_choice(scales.MILESTONE_STATUSES, "milestone status"))]
Rag = Annotated[str, BeforeValidator(_choice(scales.RAG, "RAG colour (green, amber or red)"))]
Role = Annotated[str, BeforeValidator(_choice(scales.ROLES, "role"))]
Rating = Annotated[str, BeforeValidator(_as_value_error(scales.parse_rating))]
ProjectKey = Annotated[str, BeforeValidator(_key)]
RecordKey = Annotated[str, BeforeValidator(_key)]
Channel = Annotated[str, BeforeValidator(_channel)]
Text = Annotated[str, BeforeValidator(_text)]


class Input(BaseModel):
    """Base for Create/Update/Filter models: strips strings, refuses unknown fields."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    def changes(self) -> dict[str, Any]:
        """Only the fields the caller actually set (what an update should touch)."""
        return self.model_dump(exclude_unset=True)


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    @field_validator("*", mode="after")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        """SQLite hands back naive timestamps; every stored timestamp is UTC."""
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def project_key_of(value: Any) -> Any:
    """ORM relationships hold a Project; the public field is its key."""
    return getattr(value, "key", value)


def describe_validation_error(exc: ValidationError) -> str:
    """One readable sentence per problem, e.g. "probability: 'huge' is not a level I know ..."."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "__root__")
        msg = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
        if err.get("type") == "missing":
            msg = "is required"
        elif err.get("type") == "extra_forbidden":
            msg = "is not an argument I know"
        msg = msg.rstrip(".")
        parts.append(f"{where} {msg}" if where and msg[:1].islower() else f"{where}: {msg}" if where else msg)
    return "; ".join(parts) + "."


def parse(model: type[M], data: Any) -> M:
    """`model.model_validate(data)` raising Invalid with a readable sentence instead of ValidationError."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid(describe_validation_error(exc)) from None
