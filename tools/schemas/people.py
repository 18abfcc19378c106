"""People and projects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AliasChoices, Field, field_validator, model_validator

from tools.schemas.common import Channel, Input, ProjectKey, Public, Role, Text


class PersonCreate(Input):
    slack_id: str = Field(
        validation_alias=AliasChoices("slack_id", "id", "user"), min_length=2, max_length=32
    )
    name: Text = Field(min_length=1, max_length=200)
    role: Role = "member"
    email: str | None = None
    title: str | None = None
    active: bool = True

    @field_validator("slack_id")
    @classmethod
    def _slack_id(cls, value: str) -> str:
        value = value.strip().removeprefix("<@").removesuffix(">").split("|")[0]
        if not value.replace("_", "").isalnum():
            raise ValueError(f"'{value}' is not a Slack user id (like U0123ABCD)")
        return value


class PersonUpdate(Input):
    name: Text | None = Field(default=None, min_length=1, max_length=200)
    role: Role | None = None
    email: str | None = None
    title: str | None = None
    active: bool | None = None


class PersonPublic(Public):
    slack_id: str
    name: str
    role: str
    email: str | None = None
    title: str | None = None
    active: bool = True


class ProjectCreate(Input):
    key: ProjectKey = Field(pattern=r"^[A-Z0-9]{2,10}$", description="2-10 upper-case letters or digits")
    name: Text = Field(min_length=1, max_length=200)
    description: str | None = None
    channel: Channel | None = None
    pm: str | None = Field(default=None, description="the project manager: Slack id or a known name")
    members: list[str] = Field(default_factory=list)
    private: bool = False


class ProjectUpdate(Input):
    name: Text | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = None
    channel: Channel | None = None
    pm: str | None = None
    private: bool | None = None
    status: str | None = Field(default=None, pattern=r"^(active|on_hold|closed)$")


class ProjectPublic(Public):
    key: str
    name: str
    description: str | None = None
    channel: str | None = None
    channels: list[str] = Field(default_factory=list)
    pm: str | None = None
    pm_name: str | None = None
    members: list[str] = Field(default_factory=list)
    private: bool = False
    status: str = "active"
    created_at: datetime | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_orm(cls, obj: Any) -> Any:
        if isinstance(obj, dict) or not hasattr(obj, "memberships"):
            return obj
        return {
            "key": obj.key,
            "name": obj.name,
            "description": obj.description,
            "channel": obj.channel,
            "channels": sorted(c.channel for c in obj.channels),
            "pm": obj.pm.slack_id if obj.pm else None,
            "pm_name": obj.pm.name if obj.pm else None,
            "members": sorted(m.person.slack_id for m in obj.memberships),
            "private": bool(obj.private),
            "status": obj.status,
            "created_at": obj.created_at,
        }
