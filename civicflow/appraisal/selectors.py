"""Reads for appraisal, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet, Sum

from civicflow.accounts.models import TeamMembership
from civicflow.appraisal import permissions
from civicflow.appraisal.models import (
    Assignment,
    ConflictDeclaration,
    CriteriaSet,
    Decision,
    FundRound,
    Panel,
    Score,
)
from civicflow.appraisal.scoring import Criterion as PureCriterion
from civicflow.appraisal.scoring import RankBy, ScoreSheet, SubmissionResult, aggregate
from civicflow.challenges.models import Challenge, Kind
from civicflow.ideas.models import CLOSED_STATUSES, CoAuthor, CoAuthorStatus, Idea


def criteria_of(challenge: Challenge) -> CriteriaSet | None:
    """Return the challenge's criteria set with its criteria, or None."""
    return CriteriaSet.objects.filter(challenge=challenge).prefetch_related("criteria").first()


def panel_of(challenge: Challenge) -> Panel | None:
    return (
        Panel.objects.select_related("challenge__organisation").filter(challenge=challenge).first()
    )


def panel_entries(panel: Panel) -> QuerySet[Idea]:
    """The ideas a panel judges: open ideas of the challenge; in a fund round, those with an
    application; at a hack day, those whose team submitted a prototype."""
    ideas = (
        Idea.objects.filter(challenge_id=panel.challenge_id, hidden_at__isnull=True)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("author")
        .order_by("id")
    )
    kind = panel.challenge.kind
    if kind == Kind.FUND_ROUND:
        ideas = ideas.filter(application__isnull=False)
    elif kind == Kind.HACK_DAY:
        ideas = ideas.filter(hack_team__prototype__isnull=False)
    return ideas


def _teams_of(user_ids: set[int]) -> dict[int, set[int]]:
    teams: dict[int, set[int]] = {}
    for user_id, team_id in TeamMembership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "team_id"
    ):
        teams.setdefault(user_id, set()).add(team_id)
    return teams


def entry_people(ideas: list[Idea]) -> dict[int, set[int]]:
    """Return who wrote each idea (author, accepted co-authors, hack team members)."""
    people = {idea.pk: {idea.author_id} for idea in ideas}
    for idea_id, user_id in CoAuthor.objects.filter(
        idea_id__in=people, status=CoAuthorStatus.ACCEPTED
    ).values_list("idea_id", "user_id"):
        people[idea_id].add(user_id)
    for idea_id, user_id in Idea.objects.filter(
        pk__in=people, hack_team__members__isnull=False
    ).values_list("pk", "hack_team__members"):
        people[idea_id].add(user_id)
    return people


def parties(people: dict[int, set[int]]) -> dict[int, frozenset[str]]:
    """Return each key's parties for allocation: its people and their teams."""
    everyone = set().union(*people.values()) if people else set()
    teams = _teams_of(everyone)
    return {
        key: frozenset(
            {f"user:{u}" for u in members}
            | {f"team:{t}" for u in members for t in teams.get(u, ())}
        )
        for key, members in people.items()
    }


def panel_assessor_ids(panel: Panel) -> list[int]:
    return list(panel.members.order_by("user_id").values_list("user_id", flat=True))


def declared_conflicts(panel: Panel) -> set[tuple[int, int]]:
    """(assessor, idea) pairs where the assessor declared a conflict."""
    return set(
        ConflictDeclaration.objects.filter(panel=panel, has_conflict=True).values_list(
            "assessor_id", "idea_id"
        )
    )


def assessor_queue(*, panel: Panel, assessor: Any) -> QuerySet[Assignment]:
    """The assessor's reviews on ``panel``, not blocked by a conflict, oldest first."""
    return (
        Assignment.objects.filter(panel=panel, assessor=assessor, conflict_at__isnull=True)
        .select_related("idea")
        .order_by("id")
    )


def my_panels(user: Any) -> QuerySet[Panel]:
    """Panels ``user`` sits on, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Panel.objects.none()
    return (
        Panel.objects.filter(members__user=user)
        .select_related("challenge__organisation")
        .order_by("-created_at")
    )


def declarations_of(*, panel: Panel, assessor: Any) -> dict[int, ConflictDeclaration]:
    return {
        d.idea_id: d for d in ConflictDeclaration.objects.filter(panel=panel, assessor=assessor)
    }


def scores_of(assignment: Assignment) -> dict[int, Score]:
    """The assignment's scores by criterion id."""
    return {s.criterion_id: s for s in assignment.scores.all()}


@dataclass(frozen=True)
class Progress:
    assessor: Any
    assigned: int
    scored: int
    conflicts: int


def panel_progress(panel: Panel) -> list[Progress]:
    """How far each assessor has got: reviews assigned, scored, and blocked by conflict."""
    counts: dict[int, list[int]] = {}
    for assessor_id, conflict_at, submitted_at in Assignment.objects.filter(
        panel=panel
    ).values_list("assessor_id", "conflict_at", "submitted_at"):
        row = counts.setdefault(assessor_id, [0, 0, 0])
        if conflict_at is not None:
            row[2] += 1
            continue
        row[0] += 1
        if submitted_at is not None:
            row[1] += 1
    members = panel.members.select_related("user").order_by("id")
    return [Progress(m.user, *counts.get(m.user_id, [0, 0, 0])) for m in members]


@dataclass(frozen=True)
class RankingRow:
    idea: Idea
    result: SubmissionResult
    decision: Decision | None


def _pure_criteria(criteria_set: CriteriaSet) -> list[PureCriterion]:
    return [
        PureCriterion(c.key, c.weight, criteria_set.scale_min, criteria_set.scale_max)
        for c in criteria_set.criteria.all()
    ]


def score_sheets(panel: Panel, criteria_set: CriteriaSet) -> list[ScoreSheet]:
    """Every submitted, unblocked review of the panel as a pure score sheet."""
    keys = {c.pk: c.key for c in criteria_set.criteria.all()}
    sheets: dict[int, ScoreSheet] = {}
    rows = Score.objects.filter(
        assignment__panel=panel,
        assignment__conflict_at__isnull=True,
        assignment__submitted_at__isnull=False,
    ).values_list(
        "assignment_id", "assignment__assessor_id", "assignment__idea_id", "criterion_id", "value"
    )
    for assignment_id, assessor_id, idea_id, criterion_id, value in rows:
        sheet = sheets.setdefault(
            assignment_id, ScoreSheet(assessor=assessor_id, submission=idea_id, scores={})
        )
        sheet.scores[keys[criterion_id]] = value  # type: ignore[index]
    return [s for s in sheets.values() if set(s.scores) == set(keys.values())]


def latest_decisions(panel: Panel) -> dict[int, Decision]:
    """The decision that stands for each idea: the latest one."""
    latest: dict[int, Decision] = {}
    for decision in panel.decisions.select_related("tier", "decided_by").order_by("id"):
        latest[decision.idea_id] = decision
    return latest


def panel_ranking(panel: Panel) -> list[RankingRow]:
    """Every submission with its raw and standardised scores, flag and rank, best first."""
    criteria_set = criteria_of(panel.challenge)
    entries = {idea.pk: idea for idea in panel_entries(panel)}
    if criteria_set is None or not criteria_set.criteria.all():
        return []
    sheets = [s for s in score_sheets(panel, criteria_set) if s.submission in entries]
    results = aggregate(
        criteria=_pure_criteria(criteria_set),
        sheets=sheets,
        submissions=list(entries),
        rank_by=RankBy(panel.rank_by),
    )
    decisions = latest_decisions(panel)
    return [RankingRow(entries[r.submission], r, decisions.get(r.submission)) for r in results]


def published_results(panel: Panel) -> list[tuple[Idea, Decision]]:
    """The decisions that stand and are public: shortlisted and awarded, best tier first."""
    decisions = latest_decisions(panel)
    public = [d for d in decisions.values() if d.kind in ("shortlisted", "awarded")]
    ideas = {
        i.pk: i
        for i in Idea.objects.filter(pk__in=[d.idea_id for d in public]).select_related("author")
    }
    public.sort(
        key=lambda d: (
            d.kind != "awarded",
            d.tier.position if d.tier else 99,
            -(d.amount or 0),
            d.idea_id,
        )
    )
    return [(ideas[d.idea_id], d) for d in public if d.idea_id in ideas]


def fund_committed(fund_round: FundRound) -> int:
    """What the round's grants add up to."""
    total = fund_round.applications.filter(grant__isnull=False).aggregate(
        total=Sum("grant__amount")
    )["total"]
    return int(total or 0)


def fund_remaining(fund_round: FundRound) -> int:
    """What is left in the fund to award."""
    return fund_round.budget - fund_committed(fund_round)


def fund_paid(fund_round: FundRound) -> int:
    total = fund_round.applications.aggregate(total=Sum("grant__payments__amount"))["total"]
    return int(total or 0)


def mean_as_decimal(value: Fraction | None) -> str:
    return "" if value is None else f"{float(value):.2f}"


def can_see(user: Any, panel: Panel) -> bool:
    return permissions.can_run_appraisal(user, panel.challenge) or permissions.is_on_panel(
        user, panel
    )


def export_rows(panel: Panel) -> list[list[Any]]:
    """Every score and every decision of the panel, as rows for the CSV export."""
    rows: list[list[Any]] = []
    scores = (
        Score.objects.filter(assignment__panel=panel)
        .select_related("assignment__idea__author", "assignment__assessor", "criterion")
        .order_by("assignment__idea_id", "assignment__assessor_id", "criterion__position")
    )
    for score in scores:
        a = score.assignment
        rows.append(
            [
                "score",
                a.idea_id,
                a.idea.title,
                str(a.idea.author),
                str(a.assessor),
                score.criterion.key,
                score.value,
                score.comment,
                "",
                "",
            ]
        )
    reviews = (
        panel.assignments.exclude(comment="")
        .select_related("idea__author", "assessor")
        .order_by("idea_id", "assessor_id")
    )
    for a in reviews:
        rows.append(
            [
                "review",
                a.idea_id,
                a.idea.title,
                str(a.idea.author),
                str(a.assessor),
                "",
                "",
                a.comment,
                "",
                "",
            ]
        )
    for decision in panel.decisions.select_related("idea__author", "decided_by", "tier").order_by(
        "id"
    ):
        rows.append(
            [
                "decision",
                decision.idea_id,
                decision.idea.title,
                str(decision.idea.author),
                "",
                decision.kind,
                decision.tier.name if decision.tier else (decision.amount or ""),
                "",
                str(decision.decided_by or ""),
                decision.reason,
            ]
        )
    return rows
