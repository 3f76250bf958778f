"""Reads for initiatives, each a fixed number of queries."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.accounts.models import User
from civicflow.accounts.permissions import is_instance_admin
from civicflow.accounts.selectors import user_roles
from civicflow.appraisal.models import Decision as AppraisalDecision
from civicflow.appraisal.models import DecisionKind, Grant
from civicflow.core import versions
from civicflow.core.money import format_money
from civicflow.initiatives import permissions
from civicflow.initiatives.models import (
    STAGE_ORDER,
    EntryCriterion,
    GateDecision,
    Initiative,
    Milestone,
    ProgressUpdate,
    Stage,
    StagePlan,
    Status,
)

STALLED_DAYS = 30
CHALLENGE_ROWS_TTL = 300


def visible_initiatives(user: Any) -> QuerySet[Initiative]:
    """Public initiatives, and every initiative of the organisations ``user`` belongs to."""
    queryset = Initiative.objects.select_related(
        "organisation", "business_owner", "delivery_lead", "idea"
    )
    if is_instance_admin(user):
        return queryset
    return queryset.filter(Q(public=True) | Q(organisation_id__in=list(user_roles(user))))


@dataclass(frozen=True)
class PortfolioFilters:
    stage: str = ""
    status: str = ""
    stalled_days: int | None = None
    q: str = ""


def portfolio(
    *, user: Any, organisation: Any, filters: PortfolioFilters | None = None
) -> QuerySet[Initiative]:
    """The organisation's initiatives ``user`` may see, filtered, stalled ones first."""
    filters = filters or PortfolioFilters()
    queryset = visible_initiatives(user).filter(organisation=organisation)
    if filters.stage in Stage.values:
        queryset = queryset.filter(stage=filters.stage)
    if filters.status in Status.values:
        queryset = queryset.filter(status=filters.status)
    if filters.stalled_days is not None:
        queryset = stalled(queryset, days=filters.stalled_days)
    if filters.q:
        queryset = queryset.filter(title__icontains=filters.q)
    return queryset.order_by("last_update_at", "id")


def stalled(queryset: QuerySet[Initiative], *, days: int = STALLED_DAYS) -> QuerySet[Initiative]:
    """Those of ``queryset`` still going with no update, milestone or decision for ``days``."""
    since = timezone.now() - timedelta(days=days)
    return queryset.filter(last_update_at__lt=since).exclude(status=Status.STOPPED)


def board(initiatives: list[Initiative]) -> list[dict[str, Any]]:
    """Group ``initiatives`` into columns by stage, stopped ones in a column of their own."""
    columns: dict[str, list[Initiative]] = {stage: [] for stage in STAGE_ORDER}
    stopped_ones: list[Initiative] = []
    for initiative in initiatives:
        if initiative.status == Status.STOPPED:
            stopped_ones.append(initiative)
        else:
            columns[initiative.stage].append(initiative)
    out: list[dict[str, Any]] = [
        {"key": stage, "label": Stage(stage).label, "initiatives": items}
        for stage, items in columns.items()
    ]
    out.append({"key": Status.STOPPED, "label": Status.STOPPED.label, "initiatives": stopped_ones})
    return out


def initiative_get(*, user: Any, pk: int) -> Initiative | None:
    """Return initiative ``pk`` if ``user`` may see it."""
    initiative = (
        Initiative.objects.select_related(
            "organisation",
            "business_owner",
            "delivery_lead",
            "idea__challenge__organisation",
        )
        .filter(pk=pk)
        .first()
    )
    if initiative is None or not permissions.can_view_initiative(user, initiative):
        return None
    return initiative


def decisions_of(initiative: Initiative) -> list[GateDecision]:
    """The initiative's gate decisions, newest first, with who took them and what they
    corrected."""
    return list(
        initiative.decisions.select_related("decided_by", "corrects", "corrected_by").order_by(
            "-decided_at", "-id"
        )
    )


@dataclass(frozen=True)
class StageRow:
    key: str
    label: str
    number: int
    plan: StagePlan | None
    criteria: list[EntryCriterion]
    current: bool
    done: bool


def stage_rows(initiative: Initiative) -> list[StageRow]:
    """Each stage with its plan and entry criteria (two queries)."""
    plans = {plan.stage: plan for plan in initiative.plans.all()}
    criteria: dict[str, list[EntryCriterion]] = {stage: [] for stage in STAGE_ORDER}
    for criterion in initiative.criteria.select_related("met_by").order_by("id"):
        criteria[criterion.stage].append(criterion)
    current = STAGE_ORDER.index(initiative.stage)
    return [
        StageRow(
            key=stage,
            label=str(Stage(stage).label),
            number=index + 1,
            plan=plans.get(stage),
            criteria=criteria[stage],
            current=index == current,
            done=index < current,
        )
        for index, stage in enumerate(STAGE_ORDER)
    ]


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str  # "update", "milestone", "decision", "started"
    item: Any


def timeline(initiative: Initiative, decisions: list[GateDecision]) -> list[TimelineItem]:
    """Progress updates, milestones and decisions, newest first (two queries)."""
    items = [TimelineItem(initiative.created_at, "started", initiative)]
    items.extend(TimelineItem(d.decided_at, "decision", d) for d in decisions)
    for update in ProgressUpdate.objects.filter(initiative=initiative).select_related("author"):
        items.append(TimelineItem(update.created_at, "update", update))
    for milestone in Milestone.objects.filter(initiative=initiative):
        moment = datetime.combine(
            milestone.done_on or milestone.due_on, datetime.min.time(), tzinfo=UTC
        )
        items.append(TimelineItem(moment, "milestone", milestone))
    return sorted(items, key=lambda entry: entry.at, reverse=True)


def team_of(initiative: Initiative) -> list[Any]:
    return list(initiative.team.select_related("user").order_by("user__name", "id"))


def members_of(organisation: Any) -> QuerySet[User]:
    """The organisation's members, to choose an owner, lead or team member from."""
    return (
        User.objects.filter(memberships__organisation=organisation, is_active=True)
        .distinct()
        .order_by("name", "email")
    )


# The decision register ---------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilters:
    decision: str = ""
    stage: str = ""
    initiative: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    public_only: bool = False


def register(
    *, organisation: Any, filters: RegisterFilters | None = None
) -> QuerySet[GateDecision]:
    """Every gate decision of the organisation, newest first, as the register shows it."""
    filters = filters or RegisterFilters()
    queryset = GateDecision.objects.filter(initiative__organisation=organisation).select_related(
        "initiative", "decided_by", "corrects", "corrected_by"
    )
    if filters.decision:
        queryset = queryset.filter(decision=filters.decision)
    if filters.stage:
        queryset = queryset.filter(Q(from_stage=filters.stage) | Q(to_stage=filters.stage))
    if filters.initiative:
        queryset = queryset.filter(initiative_id=filters.initiative)
    if filters.since:
        queryset = queryset.filter(decided_at__gte=filters.since)
    if filters.until:
        queryset = queryset.filter(decided_at__lt=filters.until)
    if filters.public_only:
        queryset = queryset.filter(initiative__public=True)
    return queryset.order_by("-decided_at", "-id")


def register_row(decision: GateDecision) -> dict[str, Any]:
    """One decision as the CSV and JSON exports and the API give it."""
    corrected_by = getattr(decision, "corrected_by", None)
    return {
        "id": decision.pk,
        "decided_at": decision.decided_at.isoformat(),
        "initiative_id": decision.initiative_id,
        "initiative": decision.initiative.title,
        "decision": decision.decision,
        "decided_by": str(decision.decided_by),
        "reason": decision.reason,
        "conditions": decision.conditions,
        "evidence_links": list(decision.evidence_links),
        "from_stage": decision.from_stage,
        "to_stage": decision.to_stage,
        "from_status": decision.from_status,
        "to_status": decision.to_status,
        "corrects": decision.corrects_id,
        "corrected_by": corrected_by.pk if corrected_by else None,
    }


# The funnel --------------------------------------------------------------------------------


@dataclass
class FunnelStep:
    key: str
    label: str
    count: int
    median_days: float | None = None
    stays: list[float] = field(default_factory=list)


def _stays(
    initiative: Initiative, decisions: list[GateDecision], now: datetime
) -> list[tuple[str, float]]:
    """Return (stage, days) for each stay of ``initiative`` in a stage, the current one
    counted up to ``now``. Corrected decisions are left out; a stop ends the last stay."""
    stage, since = Stage.TEST.value, initiative.created_at
    stays: list[tuple[str, float]] = []
    for decision in decisions:
        if decision.to_status == Status.STOPPED:
            stays.append((stage, (decision.decided_at - since).total_seconds() / 86400))
            return stays
        if decision.to_stage != stage:
            stays.append((stage, (decision.decided_at - since).total_seconds() / 86400))
            stage, since = decision.to_stage, decision.decided_at
    stays.append((stage, (now - since).total_seconds() / 86400))
    return stays


def funnel(*, user: Any, organisation: Any, now: datetime | None = None) -> list[FunnelStep]:
    """Ideas, then initiatives that reached each stage, with the median days spent in each
    stage (three queries)."""
    from civicflow.ideas.selectors import visible_ideas

    moment = now or timezone.now()
    queryset = Initiative.objects.filter(organisation=organisation)
    if not permissions.can_see_portfolio(user, organisation):
        queryset = queryset.filter(public=True)
    initiatives = list(
        queryset.prefetch_related(
            Prefetch(
                "decisions",
                queryset=GateDecision.objects.effective().order_by("decided_at", "id"),
                to_attr="effective_decisions",
            )
        )
    )
    idea_count = visible_ideas(user).filter(organisation=organisation).count()
    reached = dict.fromkeys(STAGE_ORDER, 0)
    stays: dict[str, list[float]] = {stage: [] for stage in STAGE_ORDER}
    for initiative in initiatives:
        furthest = 0
        for stage, length in _stays(initiative, initiative.effective_decisions, moment):
            stays[stage].append(length)
            furthest = max(furthest, STAGE_ORDER.index(stage))
        for stage in STAGE_ORDER[: furthest + 1]:
            reached[stage] += 1
    labels: dict[str, Any] = {
        Stage.TEST: _("Pilots"),
        Stage.IMPLEMENT: _("Implemented"),
        Stage.EVALUATE: _("Evaluated"),
        Stage.SCALE: _("Scaled"),
    }
    steps = [FunnelStep("ideas", str(_("Ideas")), idea_count)]
    for stage in STAGE_ORDER:
        days = stays[stage]
        steps.append(
            FunnelStep(
                stage,
                str(labels[stage]),
                reached[stage],
                round(statistics.median(days), 1) if days else None,
                days,
            )
        )
    return steps


# Awards and grants -------------------------------------------------------------------------

Award = Grant | AppraisalDecision


def award_idea(award: Award) -> Any:
    """The idea an award or grant was made to."""
    if isinstance(award, Grant):
        return award.application.idea
    return award.idea


def award_is_standing(award: Award) -> bool:
    """A grant stands once made (grants are append-only); a panel's award stands while it is
    the latest decision on the submission."""
    if isinstance(award, Grant):
        return True
    if award.kind != DecisionKind.AWARDED:
        return False
    latest = (
        AppraisalDecision.objects.filter(panel_id=award.panel_id, idea_id=award.idea_id)
        .order_by("-id")
        .values_list("pk", flat=True)
        .first()
    )
    return latest == award.pk


def initiative_of_award(award: Award) -> Initiative | None:
    """The initiative that carries the awarded idea on, however it was started."""
    idea_id = award.application.idea_id if isinstance(award, Grant) else award.idea_id
    return Initiative.objects.filter(idea_id=idea_id).first()


@dataclass(frozen=True)
class AwardSource:
    """Where an initiative from an award came from, as its page shows it."""

    label: str
    amount: str
    round_title: str
    href: str


def award_source(*, user: Any, initiative: Initiative) -> AwardSource | None:
    """The grant or award ``initiative`` was started from, with a link to the page ``user``
    may read about it: the application for its authors and the round's leads, otherwise the
    fund round; the ranking for leads, the results once published, otherwise no link. One
    query, none for an initiative not started from an award."""
    from civicflow.appraisal.permissions import can_run_appraisal, can_view_results, is_author

    if initiative.source_grant_id is not None:
        grant = Grant.objects.select_related("application__fund_round__challenge").get(
            pk=initiative.source_grant_id
        )
        fund_round = grant.application.fund_round
        challenge = fund_round.challenge
        sees_application = can_run_appraisal(user, challenge) or (
            initiative.idea is not None and is_author(user, initiative.idea)
        )
        href = (
            reverse("appraisal:application", args=[grant.application_id])
            if sees_application
            else reverse("appraisal:fund", args=[challenge.pk])
        )
        amount = format_money(grant.amount, fund_round.currency)
        return AwardSource(_("Grant"), amount, challenge.title, href)
    if initiative.source_award_id is not None:
        award = AppraisalDecision.objects.select_related("panel__challenge", "tier__prize").get(
            pk=initiative.source_award_id
        )
        panel = award.panel
        challenge = panel.challenge
        href = ""
        if can_run_appraisal(user, challenge):
            href = reverse("appraisal:ranking", args=[challenge.pk])
        elif can_view_results(user, panel):
            href = reverse("appraisal:results", args=[challenge.pk])
        label = _("Award: %(tier)s") % {"tier": award.tier.name} if award.tier else _("Award")
        currency = award.tier.prize.currency if award.tier else "GBP"
        amount = format_money(award.amount, currency) if award.amount is not None else ""
        return AwardSource(label, amount, challenge.title, href)
    return None


# A challenge's initiatives -------------------------------------------------------------------


@dataclass(frozen=True)
class ChallengeInitiative:
    """An initiative started from one of a challenge's ideas, as the challenge page lists it."""

    pk: int
    title: str
    stage: str
    status: str
    public: bool

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", args=[self.pk])

    def get_stage_display(self) -> str:
        return str(Stage(self.stage).label)


def _organisation_version_key(organisation_id: int) -> str:
    return f"initiatives:version:{organisation_id}"


def _challenge_rows_key(challenge_id: int) -> str:
    return f"initiatives:challenge:{challenge_id}"


def initiatives_changed(organisation_id: int) -> None:
    """Say that an initiative of the organisation was saved or deleted (model signals, see
    ``initiatives.apps``), so the challenge pages' lists are read again after the commit."""
    versions.move_on(_organisation_version_key(organisation_id))


def _challenge_rows(challenge_id: int) -> tuple[tuple[Any, ...], ...]:
    return tuple(
        Initiative.objects.filter(idea__challenge_id=challenge_id)
        .order_by("created_at", "id")
        .values_list("pk", "title", "stage", "status", "public")
    )


def challenge_saved(*, challenge_id: int, organisation_id: int, created: bool) -> None:
    """Prepare the challenge page's list when the challenge is saved, so the page read next
    finds it: a new challenge has no ideas, so no initiatives, and needs no query. Stored
    under the version current now; an initiative saved meanwhile moves it on."""
    current = versions.current(_organisation_version_key(organisation_id))
    rows = () if created else _challenge_rows(challenge_id)
    cache.set(_challenge_rows_key(challenge_id), (current, rows), CHALLENGE_ROWS_TTL)


def challenge_initiatives(*, user: Any, challenge: Any) -> list[ChallengeInitiative]:
    """The initiatives started from ``challenge``'s ideas that ``user`` may see, oldest first.

    The challenge page is read far more often than initiatives change, so the rows are kept in
    the shared cache under the organisation's initiatives version (``core.versions``, as the
    challenge row itself, ADR 0018), which every save of one of its initiatives moves on: one
    cache round trip and no query while the copy stands. Who may see each is decided afresh:
    the organisation's members (and instance administrators) see them all, everyone else the
    public ones. Every initiative of a challenge's idea belongs to the challenge's
    organisation.
    """
    version_key = _organisation_version_key(challenge.organisation_id)
    rows_key = _challenge_rows_key(challenge.pk)
    found = cache.get_many([version_key, rows_key])
    current = found.get(version_key)
    if current is None:
        current = versions.current(version_key)
    stored = found.get(rows_key)
    if stored is not None and stored[0] == current:
        rows = stored[1]
    else:
        rows = _challenge_rows(challenge.pk)
        cache.set(rows_key, (current, rows), CHALLENGE_ROWS_TTL)
    sees_all = permissions.can_see_portfolio(user, challenge.organisation)
    return [ChallengeInitiative(*row) for row in rows if sees_all or row[4]]
