"""Who is acting, and through which interface: every service call and audit event carries one."""

from __future__ import annotations

from dataclasses import dataclass, field

VIAS = ("slack", "api", "cli", "agent", "system")


@dataclass(frozen=True)
class Actor:
    """The acting person (by Slack user id) as the interfaces resolved them."""

    user_id: str
    role: str = "member"
    via: str = "system"
    name: str | None = None
    person_id: int | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_decide(self) -> bool:
        return self.role in ("approver", "admin")

    @classmethod
    def system(cls, via: str = "system") -> Actor:
        return cls(user_id="system", role="admin", via=via, name="PMO Assistant")

    def label(self) -> str:
        return self.name or self.user_id
