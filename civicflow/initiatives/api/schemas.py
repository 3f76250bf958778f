"""The API's shapes for initiatives, and the filters read from the query string.

No ``from __future__ import annotations`` here: Ninja reads the annotations as real objects
(the query parameters of paginated operations, typed with this app's choices, from outside the
module)."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Query, Schema

from civicflow.initiatives.models import (
    Decision,
    EvaluationDesign,
    Stage,
)
from civicflow.initiatives.models import Status as InitiativeStatus

MAX_ID = 2**63 - 1


ID = Field(..., ge=1, le=MAX_ID)


class InitiativePersonOut(Schema):
    id: int
    name: str


class InitiativeOut(Schema):
    id: int
    organisation: str = Field(description="The organisation's slug.")
    title: str
    summary: str
    source_kind: str = Field(description="direct, idea, award or case.")
    idea_id: int | None
    challenge_id: int | None
    source_grant_id: int | None = Field(description="The grant it was started from, if any.")
    source_award_id: int | None = Field(
        description="The panel's award decision it was started from, if any."
    )
    public: bool
    stage: Stage
    status: InitiativeStatus
    business_owner: InitiativePersonOut | None
    delivery_lead: InitiativePersonOut | None
    stage_entered_at: datetime
    last_update_at: datetime
    created_at: datetime


class InitiativeTeamMemberOut(Schema):
    user: InitiativePersonOut
    role: str


class InitiativeCriterionOut(Schema):
    id: int
    text: str
    met: bool
    met_at: datetime | None


class InitiativeStageOut(Schema):
    stage: Stage
    planned_start: date | None
    planned_end: date | None
    budget: Decimal | None
    spent: Decimal | None
    entry_criteria: list[InitiativeCriterionOut]


class InitiativeDecisionOut(Schema):
    id: int
    initiative_id: int
    decision: Decision
    decided_by: str
    decided_at: datetime
    reason: str
    conditions: str
    evidence_links: list[str]
    from_stage: Stage
    to_stage: Stage
    from_status: InitiativeStatus
    to_status: InitiativeStatus
    corrects: int | None = Field(description="The decision this one corrects, if any.")
    corrected_by: int | None = Field(description="The later decision that corrects this one.")


class InitiativeUpdateOut(Schema):
    id: int
    author: str
    body: str
    created_at: datetime


class InitiativeMilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    done_on: date | None


class InitiativeEvaluationOut(Schema):
    question: str
    design: EvaluationDesign
    sample: str
    measures: str
    review_dates: list[date]


class InitiativeDetailOut(InitiativeOut):
    team: list[InitiativeTeamMemberOut]
    stages: list[InitiativeStageOut]
    decisions: list[InitiativeDecisionOut]
    updates: list[InitiativeUpdateOut]
    milestones: list[InitiativeMilestoneOut]
    evaluation_plan: InitiativeEvaluationOut | None


class InitiativeStartIn(Schema):
    title: str = Field(..., max_length=200)
    summary: str = Field("", max_length=2000)
    idea_id: int | None = Field(None, ge=1, le=MAX_ID, description="A selected idea.")
    grant_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="A fund round's grant to an idea of the organisation."
    )
    award_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="A panel's standing decision to award an idea of the organisation.",
    )
    public: bool = False
    business_owner_id: int | None = Field(None, ge=1, le=MAX_ID)
    delivery_lead_id: int | None = Field(None, ge=1, le=MAX_ID)


class InitiativeEditIn(Schema):
    title: str = Field(..., max_length=200)
    summary: str = Field("", max_length=2000)
    public: bool = False
    business_owner_id: int | None = Field(None, ge=1, le=MAX_ID)
    delivery_lead_id: int | None = Field(None, ge=1, le=MAX_ID)
    reason: str = Field("", max_length=1000)


class InitiativeTeamIn(Schema):
    user_id: int = ID
    role: str = Field(..., max_length=120)


class InitiativePlanIn(Schema):
    planned_start: date | None = None
    planned_end: date | None = None
    budget: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    spent: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)


class InitiativeCriterionIn(Schema):
    stage: Stage
    text: str = Field(..., max_length=300)


class InitiativeCriterionMetIn(Schema):
    met: bool = True


class InitiativeUpdateIn(Schema):
    body: str = Field(..., max_length=10_000)


class InitiativeMilestoneIn(Schema):
    title: str = Field(..., max_length=200)
    due_on: date


class InitiativeMilestoneReachedIn(Schema):
    done_on: date | None = Field(None, description="Today if left out.")


class InitiativeEvaluationIn(Schema):
    question: str = Field(..., max_length=5000)
    design: EvaluationDesign
    sample: str = Field("", max_length=5000)
    measures: str = Field("", max_length=5000)
    review_dates: list[date] = Field(default_factory=list, max_length=12)


class InitiativeDecisionIn(Schema):
    decision: Decision
    reason: str = Field(..., max_length=5000)
    conditions: str = Field("", max_length=5000)
    evidence_links: list[str] = Field(default_factory=list, max_length=20)
    corrects_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="The latest decision, when this one corrects it."
    )


class InitiativeFunnelStepOut(Schema):
    key: str
    label: str
    count: int
    median_days: float | None


STAGE_QUERY = Query(None, description="Only this stage (for decisions: from or into it).")


STATUS_QUERY = Query(None, description="Only this status.")


STALLED_QUERY = Query(
    None, ge=1, le=3650, description="Only those with no update for so many days."
)


DECISION_QUERY = Query(None, description="Only this decision.")


SINCE_QUERY = Query(None, description="Decided on or after this day.")


UNTIL_QUERY = Query(None, description="Decided on or before this day.")
