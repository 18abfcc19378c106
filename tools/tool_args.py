"""Argument schemas of the record tools. Names are the contract's; descriptions are written for an LLM.

Types are deliberately loose (a level may be 4 or "high", a date a string): the services validate
and answer with a sentence the model can act on.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

PROJECT = "Project key, e.g. SEPSIS (upper-case letters/digits)."
LEVEL = (
    "1-5, or a word: very low/rare=1, low/unlikely=2, medium/moderate/possible=3, high/likely=4, "
    "very high/almost certain/critical=5."
)
OWNER = "Who owns it: a Slack user id (U...), a mention <@U...>, or a person's name."
DATE = "ISO date YYYY-MM-DD."
RISK_KEY = "Risk key like SEPSIS-R3."


class ToolArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProjectStatusArgs(ToolArgs):
    project: str = Field(description=PROJECT)


class ListRisksArgs(ToolArgs):
    project: str | None = Field(default=None, description=PROJECT + " Omit for every project you can see.")
    status: str | None = Field(
        default=None,
        description="open, monitoring or closed; 'all' for every status. Omit for risks that are not closed.",
    )
    min_rating: str | None = Field(
        default=None, description="Lowest rating to include: Low, Medium, High or Critical."
    )
    owner: str | None = Field(default=None, description=OWNER)
    category: str | None = Field(
        default=None,
        description="schedule, budget, scope, resource, technical, data, model, privacy, security, "
        "regulatory, vendor, clinical, operational or other.",
    )


class LogRiskArgs(ToolArgs):
    project: str = Field(description=PROJECT)
    title: str = Field(description="Short name of the risk.")
    description: str | None = Field(default=None, description="What could happen and why.")
    category: str | None = Field(default=None, description="Risk category (see list_risks); default other.")
    probability: int | str = Field(description="Probability " + LEVEL)
    impact: int | str = Field(description="Impact " + LEVEL)
    owner: str | None = Field(default=None, description=OWNER)
    response: str | None = Field(default=None, description="avoid, mitigate, transfer, accept or escalate.")
    mitigation: str | None = Field(default=None, description="What is being done about it.")
    due_date: str | None = Field(default=None, description="When the response is due, " + DATE)


class UpdateRiskArgs(ToolArgs):
    risk: str = Field(description=RISK_KEY)
    probability: int | str | None = Field(default=None, description="New probability " + LEVEL)
    impact: int | str | None = Field(default=None, description="New impact " + LEVEL)
    owner: str | None = Field(default=None, description=OWNER)
    status: str | None = Field(default=None, description="open, monitoring or closed.")
    response: str | None = Field(default=None, description="avoid, mitigate, transfer, accept or escalate.")
    mitigation: str | None = Field(default=None, description="New mitigation text.")
    due_date: str | None = Field(default=None, description=DATE)


class CloseRiskArgs(ToolArgs):
    risk: str = Field(description=RISK_KEY)
    reason: str | None = Field(default=None, description="Why the risk no longer applies.")


class FileChangeRequestArgs(ToolArgs):
    project: str = Field(description=PROJECT)
    title: str = Field(description="Short name of the change.")
    description: str | None = Field(default=None, description="What changes.")
    reason: str | None = Field(default=None, description="Why the change is needed.")
    schedule_days: int | None = Field(default=None, description="Schedule impact in days (may be negative).")
    cost: float | None = Field(default=None, description="Cost impact in USD.")
    scope: str | None = Field(default=None, description="Scope impact, in words.")
    priority: str | None = Field(default=None, description="low, medium, high or urgent; default medium.")


class DecideChangeRequestArgs(ToolArgs):
    change_request: str = Field(description="Change request key like SEPSIS-CR2.")
    decision: str = Field(description="approve, reject or defer.")
    comment: str | None = Field(default=None, description="The reason for the decision.")


class ListChangeRequestsArgs(ToolArgs):
    project: str | None = Field(default=None, description=PROJECT + " Omit for every project you can see.")
    status: str | None = Field(
        default=None,
        description="submitted, under_review, approved, rejected, deferred, implemented or closed; "
        "'awaiting_decision' for submitted and under review.",
    )


class ListMilestonesArgs(ToolArgs):
    project: str | None = Field(default=None, description=PROJECT + " Omit for every project you can see.")
    due_within_days: int | None = Field(
        default=None, description="Only open milestones due between today and this many days from now."
    )
    status: str | None = Field(
        default=None,
        description="planned, in_progress, completed or missed; 'overdue' for open ones past due.",
    )


class UpdateMilestoneArgs(ToolArgs):
    milestone: str = Field(description="Milestone key like SEPSIS-M2.")
    status: str | None = Field(default=None, description="planned, in_progress, completed or missed.")
    due_date: str | None = Field(default=None, description="New due date, " + DATE)


class PostStatusUpdateArgs(ToolArgs):
    project: str = Field(description=PROJECT)
    overall: str = Field(description="Overall RAG: green, amber or red.")
    summary: str = Field(description="What happened this period and what comes next.")
    schedule: str | None = Field(default=None, description="Schedule RAG: green, amber or red.")
    budget: str | None = Field(default=None, description="Budget RAG: green, amber or red.")
    scope: str | None = Field(default=None, description="Scope RAG: green, amber or red.")
