"""Demo initiatives for the demo network (``civicflow.demo.network``): one or more at every
stage, one stopped with its reason and two scaled, told in our own words from the examples in
the source material (keeping their figures).

Northbridge City Council carries a staff idea from its open call forward (selecting it first;
the ideas demo gives that idea no decision of its own); the other initiatives start directly.
Everything goes through the services, so the audit log, the register and notifications fill as
in real use. Then the history is dated as it would have happened: each initiative started
months ago and its gate decisions, updates and met criteria came weeks or months apart, so the
funnel's median days in each stage, the timelines, the register and the stalled initiatives
look as they would in real use. Loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from civicflow.accounts.models import Organisation, User
from civicflow.ideas.models import Idea, IdeaStatus
from civicflow.initiatives import services
from civicflow.initiatives.models import Decision, GateDecision, Initiative

COUNCIL = "northbridge-council"
HOSPITALS = "northbridge-hospitals"
POLICE = "northshire-pcc"
CREWS_IDEA = "Let crews redesign their own rounds"


@dataclass(frozen=True)
class DemoDecision:
    decision: str
    reason: str
    conditions: str = ""
    evidence: tuple[str, ...] = ()
    days_ago: int = 0


@dataclass(frozen=True)
class DemoInitiative:
    organisation: str
    title: str
    summary: str
    decisions: tuple[DemoDecision, ...] = ()
    public: bool = False
    budget: str = ""
    spent: str = ""
    criteria: tuple[tuple[str, str], ...] = ()
    updates: tuple[str, ...] = ()
    evaluation: dict[str, Any] = field(default_factory=dict)
    from_idea: str = ""
    started_days_ago: int = 30
    updated_days_ago: int = 10


def _go(days_ago: int, reason: str, conditions: str = "", *evidence: str) -> DemoDecision:
    return DemoDecision(Decision.GO, reason, conditions, evidence, days_ago)


INITIATIVES = [
    DemoInitiative(
        organisation=COUNCIL,
        from_idea=CREWS_IDEA,
        started_days_ago=200,
        updated_days_ago=18,
        title="Crews redesign their own rounds",
        summary=(
            "Each collection crew spends a day a quarter redesigning its own round with its "
            "supervisor. Piloted with two crews, now rolling out to every crew."
        ),
        public=True,
        budget="18000",
        spent="6400",
        criteria=(("implement", "Pilot results reviewed by the waste board"),),
        decisions=(
            _go(
                95,
                "On the two pilot rounds missed collections fell from 41 to 27 a month, and "
                "the crews finished their rounds earlier.",
                "Roll out crew by crew; report missed collections and overtime monthly.",
                "https://www.example.org/northbridge-council/crew-rounds-pilot",
            ),
        ),
        updates=("Eight of twenty-two crews have redesigned their rounds.",),
        evaluation={
            "question": "Do rounds redesigned by their crews reduce missed collections?",
            "design": "comparison",
            "sample": "Redesigned rounds compared with rounds still waiting their turn.",
            "measures": "Missed collections per 1,000 households; overtime; crews' "
            "satisfaction with their work.",
        },
    ),
    DemoInitiative(
        organisation=COUNCIL,
        title="Computing services from approved cloud suppliers",
        summary=(
            "Buy hosting and software from a catalogue of suppliers already approved for the "
            "public sector, instead of running our own servers, as central government did with "
            "its cloud catalogue."
        ),
        started_days_ago=420,
        budget="250000",
        spent="190000",
        decisions=(
            _go(300, "The first two services moved without an outage."),
            _go(
                60,
                "All planned services moved. Shared services and the cloud were expected to "
                "save around £1bn in public-sector ICT by 2014; we now measure our share.",
                "Evaluate running costs against the last year on our own servers.",
            ),
        ),
    ),
    DemoInitiative(
        organisation=COUNCIL,
        title="Talent pools instead of ‘at risk’ lists",
        summary=(
            "Staff whose posts are cut join a talent pool and are redeployed where their "
            "skills, knowledge and experience are needed, instead of being put on an ‘at risk’ "
            "list."
        ),
        public=True,
        started_days_ago=540,
        decisions=(
            _go(450, "Two directorates tried it and redeployed most of the people in the pool."),
            _go(250, "Adopted in every directorate, with the trade unions' agreement."),
            _go(
                70,
                "Redeployment kept skills in the council and cut recruitment costs; staff "
                "surveys were better in the pools than on the old lists.",
                "Offer the approach to the other members of the regional partnership.",
            ),
        ),
    ),
    DemoInitiative(
        organisation=COUNCIL,
        title="Shared back-office service with Southbridge",
        summary="One finance and payroll service for two neighbouring councils.",
        public=True,
        started_days_ago=160,
        decisions=(
            DemoDecision(
                Decision.STOP,
                "Southbridge withdrew after its leadership changed, not because the business "
                "case changed. We record the reason so that the case can be reopened on its "
                "merits, not on who is in charge.",
                "Revisit if a partner council asks; the business case is kept.",
                days_ago=75,
            ),
        ),
    ),
    DemoInitiative(
        organisation=HOSPITALS,
        title="Nurses' desks in the bays",
        summary=(
            "A ward team's improvement board moved nurses' desks from the central station into "
            "the bays, so nurses can watch older patients while they write notes."
        ),
        public=True,
        started_days_ago=480,
        budget="4000",
        spent="3650",
        decisions=(
            _go(442, "Ward 7 tried it for a month; staff and patients liked it."),
            _go(300, "All older people's wards moved their desks."),
            _go(
                115,
                "Falls on the wards went down by 80% in the six months after the change.",
                "Share it with the other hospital and the regional network.",
            ),
        ),
    ),
    DemoInitiative(
        organisation=HOSPITALS,
        title="Round-the-clock services shared between hospitals",
        summary=(
            "Specialist cover at night shared between our two hospitals, modelled on eight "
            "hospitals in Cumbria and Lancashire whose shared round-the-clock services saved "
            "lives and took £8m out of NHS budgets."
        ),
        started_days_ago=390,
        budget="1200000",
        spent="450000",
        decisions=(
            _go(330, "The night rota worked on the pilot weekends."),
            _go(70, "Both hospitals now run the shared rota every night."),
        ),
        evaluation={
            "question": "Does shared night cover keep outcomes as good and cost less?",
            "design": "before_after",
            "sample": "Every emergency admission at night, a year before and a year after.",
            "measures": "Mortality within 30 days; time to a specialist; cost of cover.",
        },
    ),
    DemoInitiative(
        organisation=HOSPITALS,
        title="Remote diagnosis for patients in rural areas",
        summary="Patients far from the hospital see a specialist by video from their GP surgery.",
        started_days_ago=75,
        updated_days_ago=9,
        budget="60000",
        criteria=(("implement", "Clinical safety case signed off"),),
        updates=("Three GP surgeries have the equipment; the first clinics are booked.",),
    ),
    DemoInitiative(
        organisation=POLICE,
        title="Video evidence suites for vulnerable witnesses",
        summary="Vulnerable witnesses give evidence by video from a suite away from the court.",
        started_days_ago=230,
        decisions=(
            DemoDecision(
                Decision.HOLD,
                "Wait until the court service confirms the link standard.",
                "Restart the pilot when the standard is confirmed.",
                days_ago=130,
            ),
        ),
    ),
]


def _person(local: str, slug: str) -> User:
    return User.objects.get(email=f"{local}@{slug}.example")


def _selected_idea(organisation: Organisation, lead: User, title: str) -> Idea | None:
    from civicflow.ideas import services as ideas

    idea = Idea.objects.filter(organisation=organisation, title=title).first()
    if idea is not None and idea.status != IdeaStatus.SELECTED and not idea.is_closed:
        ideas.idea_set_status(
            actor=lead,
            idea=idea,
            status=IdeaStatus.SELECTED,
            feedback="Selected: the waste team will pilot it with two crews.",
        )
        idea.refresh_from_db()
    return idea if idea is not None and idea.status == IdeaStatus.SELECTED else None


def _load(spec: DemoInitiative) -> None:
    organisation = Organisation.objects.filter(slug=spec.organisation).first()
    if (
        organisation is None
        or Initiative.objects.filter(organisation=organisation, title=spec.title).exists()
    ):
        return
    lead = _person("lead", spec.organisation)
    decider = _person("decider", spec.organisation)
    owner = _person("staff", spec.organisation)
    idea = _selected_idea(organisation, lead, spec.from_idea) if spec.from_idea else None
    initiative = services.initiative_start(
        actor=lead,
        organisation=organisation,
        title=spec.title,
        summary=spec.summary,
        idea=idea,
        public=spec.public,
        business_owner=owner,
        delivery_lead=lead,
    )
    services.team_member_add(
        actor=lead,
        initiative=initiative,
        user=_person("assessor", spec.organisation),
        role="Evaluation and data",
    )
    if spec.budget:
        first_gate = spec.decisions[0].days_ago if spec.decisions else -90
        services.stage_plan_set(
            actor=lead,
            initiative=initiative,
            stage="test",
            planned_start=timezone.localdate() - timedelta(days=spec.started_days_ago),
            planned_end=timezone.localdate() - timedelta(days=first_gate),
            budget=Decimal(spec.budget),
            spent=Decimal(spec.spent or "0"),
        )
    for stage, text in spec.criteria:
        criterion = services.criterion_add(
            actor=lead, initiative=initiative, stage=stage, text=text
        )
        if spec.decisions:
            services.criterion_set_met(actor=lead, criterion=criterion)
    if spec.evaluation:
        today = timezone.localdate()
        services.evaluation_plan_set(
            actor=lead,
            initiative=initiative,
            review_dates=[today + timedelta(days=182), today + timedelta(days=365)],
            **spec.evaluation,
        )
    for decision in spec.decisions:
        services.gate_decide(
            actor=decider,
            initiative=initiative,
            decision=decision.decision,
            reason=decision.reason,
            conditions=decision.conditions,
            evidence_links=decision.evidence,
        )
    for body in spec.updates:
        services.progress_update_add(actor=owner, initiative=initiative, body=body)
    _date_history(initiative, spec, idea)


def _days_ago(days: int, hour: int = 10) -> datetime:
    """A moment ``days`` before today, in working hours."""
    day = timezone.localdate() - timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _date_history(initiative: Initiative, spec: DemoInitiative, idea: Idea | None) -> None:
    """Date what the services recorded just now as it happened: started ``started_days_ago``,
    each decision on its ``days_ago``, criteria met a few days before the first gate, updates
    ``updated_days_ago``, the idea selected a fortnight before the start.

    Gate decisions are append-only for everyone else (their queryset refuses ``update``); the
    demo writes their dates once, through the plain queryset, right after recording them.
    """
    started = _days_ago(spec.started_days_ago, 9)
    moments = [started]
    entered = started
    decisions = list(GateDecision.objects.filter(initiative=initiative).order_by("id"))
    for decision, demo in zip(decisions, spec.decisions, strict=True):
        decided = _days_ago(demo.days_ago, 15)
        QuerySet(model=GateDecision).filter(pk=decision.pk).update(decided_at=decided)
        moments.append(decided)
        if decision.moved_stage:
            entered = decided
    if spec.decisions:
        met = _days_ago(spec.decisions[0].days_ago + 3)
        initiative.criteria.filter(met_at__isnull=False).update(met_at=met)
    if spec.updates:
        updated = _days_ago(spec.updated_days_ago, 11)
        initiative.updates.update(created_at=updated, updated_at=updated)
        moments.append(updated)
    Initiative.objects.filter(pk=initiative.pk).update(
        created_at=started,
        stage_entered_at=entered,
        last_update_at=max(moments),
    )
    if idea is not None and idea.feedback_at is not None and idea.feedback_at > started:
        Idea.objects.filter(pk=idea.pk).update(feedback_at=started - timedelta(days=14))


def load_demo() -> None:
    """Create the demo initiatives, unless they are there already."""
    for spec in INITIATIVES:
        _load(spec)


FUND_TITLE = "Community innovation fund 2026"
FUNDED_IDEA = "Homework club in the Kentish estate hall"


def load_award_demo() -> None:
    """Carry the first grant of Northbridge's finished community fund on as an initiative, so
    the grant's page and the initiative's link to each other. Runs after the appraisal demo,
    which makes the grant; starting twice returns the same initiative."""
    from civicflow.appraisal.models import Grant

    grant = (
        Grant.objects.select_related("application__idea__organisation")
        .filter(
            application__fund_round__challenge__organisation__slug=COUNCIL,
            application__fund_round__challenge__title=FUND_TITLE,
            application__idea__title=FUNDED_IDEA,
        )
        .first()
    )
    if grant is None:
        return
    initiative, started = services.initiative_start_from_award(
        actor=_person("lead", COUNCIL),
        award=grant,
        title="Homework club for children in temporary housing",
        public=True,
        business_owner=_person("staff", COUNCIL),
        delivery_lead=_person("lead", COUNCIL),
    )
    if started:
        services.progress_update_add(
            actor=_person("staff", COUNCIL),
            initiative=initiative,
            body="The club opened in the estate hall; the council pilots it with the group.",
        )
