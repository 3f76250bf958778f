"""Writes for participatory budgets: budgets, projects, phases, ballots, counts and results,
and pabulib ``.pb`` import and export.

Every service validates first and raises ``ValidationError`` with a message that says how to
fix the problem, then writes in one transaction with its audit record, so a refused request
stores nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicflow.budgets import permissions
from civicflow.budgets.counting import (
    Completion,
    CountError,
    Instance,
    Outcome,
    PbElection,
    PbFormatError,
    PbProject,
    PbVote,
    Rule,
    TieBreak,
    Utility,
    count,
    explain_outcome,
    parse_pb,
    write_pb,
)
from civicflow.budgets.counting.rules import greedy
from civicflow.budgets.models import (
    PHASE_ORDER,
    Area,
    Ballot,
    BallotKind,
    Budget,
    Eligibility,
    EligibleVoter,
    Phase,
    Project,
    Result,
    VotingCode,
)
from civicflow.core.audit import audit_record, register_actions


def register_audit_actions() -> None:
    register_actions(
        {
            "budget.created": gettext_lazy("Participatory budget created"),
            "budget.edited": gettext_lazy("Participatory budget changed"),
            "budget.phase_moved": gettext_lazy("Participatory budget moved to another phase"),
            "budget.project_added": gettext_lazy("Project added to a participatory budget"),
            "budget.project_edited": gettext_lazy("Project of a participatory budget changed"),
            "budget.paper_ballot_entered": gettext_lazy("Paper ballot entered"),
            "budget.imported": gettext_lazy("Participatory budget imported from a .pb file"),
            "budget.codes_issued": gettext_lazy("Voting codes issued"),
            "budget.eligible_voters_set": gettext_lazy("List of eligible voters replaced"),
            "budget.result_published": gettext_lazy("Participatory budget result published"),
        }
    )


def _require_manager(actor: Any, organisation: Any) -> None:
    if not permissions.can_manage_budgets(actor, organisation):
        raise PermissionDenied(_("Only innovation leads and administrators run budgets."))


# Budgets and projects ----------------------------------------------------------------------


# The largest counts (choices, points) and amounts of money the database columns hold, with room
# to spare: a 32-bit integer, and a thousand million million currency units.
LARGEST_COUNT = 2**31 - 1
LARGEST_AMOUNT = 10**15


def budget_create(
    *,
    actor: Any,
    organisation: Any,
    title: str,
    total: int,
    challenge: Any = None,
    description: str = "",
    currency: str = "GBP",
    ballot_kind: str = BallotKind.APPROVAL_BUDGET,
    min_choices: int = 0,
    max_choices: int | None = None,
    points: int | None = None,
    max_points_per_project: int | None = None,
    eligibility: str = Eligibility.RESIDENTS,
    voting_opens_at: datetime | None = None,
    voting_closes_at: datetime | None = None,
    areas: Mapping[str, int] | None = None,
) -> Budget:
    """Create a budget of ``total`` whole currency units, with optional districts."""
    _require_manager(actor, organisation)
    errors: dict[str, str] = {}
    title = title.strip()
    if not title:
        errors["title"] = _("Enter the budget's title.")
    if total is None or total <= 0:
        errors["total"] = _("Enter a total budget of more than 0.")
    elif total > LARGEST_AMOUNT:
        errors["total"] = _("Enter a total budget of at most 1,000,000,000,000,000.")
    for name, value, least in (
        ("min_choices", min_choices, 0),
        ("max_choices", max_choices, 1),
        ("points", points, 1),
        ("max_points_per_project", max_points_per_project, 1),
    ):
        if value is not None and not least <= value <= LARGEST_COUNT:
            errors[name] = _("Enter a whole number from %(least)s to %(most)s.") % {
                "least": least,
                "most": f"{LARGEST_COUNT:,}",
            }
    for name, amount in (areas or {}).items():
        if not str(name).strip() or amount is None or not 0 < amount <= LARGEST_AMOUNT:
            errors["areas"] = _("Give each district a name and a budget of more than 0.")
    if ballot_kind not in BallotKind.values:
        errors["ballot_kind"] = _("Choose a kind of ballot.")
    if eligibility not in Eligibility.values:
        errors["eligibility"] = _("Choose who may vote.")
    if max_choices is not None and max_choices < min_choices:
        errors["max_choices"] = _("The most projects must not be fewer than the fewest.")
    if ballot_kind == BallotKind.CUMULATIVE and not points:
        errors["points"] = _("Enter how many points each voter spreads.")
    if voting_opens_at and voting_closes_at and voting_closes_at <= voting_opens_at:
        errors["voting_closes_at"] = _("Voting must close after it opens.")
    if challenge is not None and challenge.organisation_id != organisation.pk:
        errors["challenge"] = _("Choose a challenge of this organisation.")
    if "areas" not in errors and areas and sum(areas.values()) > (total or 0):
        errors["total"] = _("The districts' budgets add up to more than the total.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        budget = Budget.objects.create(
            organisation=organisation,
            challenge=challenge,
            title=title,
            description=description.strip(),
            total=total,
            currency=currency.upper()[:3],
            ballot_kind=ballot_kind,
            min_choices=min_choices,
            max_choices=max_choices,
            points=points,
            max_points_per_project=max_points_per_project,
            eligibility=eligibility,
            voting_opens_at=voting_opens_at,
            voting_closes_at=voting_closes_at,
        )
        for name, amount in (areas or {}).items():
            Area.objects.create(budget=budget, name=name, amount=amount)
        audit_record(actor=actor, action="budget.created", target=budget, organisation=organisation)
    return budget


def budget_edit(
    *,
    actor: Any,
    budget: Budget,
    title: str,
    description: str = "",
    voting_opens_at: datetime | None = None,
    voting_closes_at: datetime | None = None,
    reason: str = "",
) -> Budget:
    """Change a budget's title, description and voting window until its results are out."""
    _require_manager(actor, budget.organisation)
    errors: dict[str, str] = {}
    title = title.strip()
    if not title:
        errors["title"] = _("Enter the budget's title.")
    if voting_opens_at and voting_closes_at and voting_closes_at <= voting_opens_at:
        errors["voting_closes_at"] = _("Voting must close after it opens.")
    if budget.phase == Phase.RESULTS:
        errors["title"] = _("The results are published, so the budget can no longer change.")
    if errors:
        raise ValidationError(errors)
    before = {
        "title": budget.title,
        "voting_opens_at": budget.voting_opens_at.isoformat() if budget.voting_opens_at else None,
        "voting_closes_at": (
            budget.voting_closes_at.isoformat() if budget.voting_closes_at else None
        ),
    }
    with transaction.atomic():
        budget.title = title
        budget.description = description.strip()
        budget.voting_opens_at = voting_opens_at
        budget.voting_closes_at = voting_closes_at
        budget.save()
        audit_record(
            actor=actor,
            action="budget.edited",
            target=budget,
            organisation=budget.organisation,
            reason=reason,
            data={"before": before},
        )
    return budget


def project_add(
    *,
    actor: Any,
    budget: Budget,
    title: str,
    cost: int,
    code: str = "",
    description: str = "",
    category: str = "",
    area: Area | None = None,
    location: str = "",
    idea: Any = None,
) -> Project:
    """Add a project to ``budget`` while it takes proposals or is being reviewed."""
    _require_manager(actor, budget.organisation)
    errors: dict[str, str] = {}
    title = title.strip()
    if not title:
        errors["title"] = _("Enter the project's title.")
    if cost is None or cost <= 0:
        errors["cost"] = _("Enter a cost of more than 0.")
    elif cost > budget.total:
        errors["cost"] = _("The cost is more than the whole budget.")
    if budget.phase not in (Phase.PROPOSALS, Phase.REVIEW):
        errors["title"] = _("Projects can only be added before voting starts.")
    if area is not None and area.budget_id != budget.pk:
        errors["area"] = _("Choose a district of this budget.")
    code = code.strip() or str(budget.projects.count() + 1)
    if budget.projects.filter(code=code).exists():
        errors["code"] = _("Another project already has this id.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        project = Project.objects.create(
            budget=budget,
            code=code,
            title=title,
            description=description.strip(),
            cost=cost,
            category=category.strip(),
            area=area,
            location=location.strip(),
            idea_id=getattr(idea, "pk", None),
        )
        audit_record(
            actor=actor,
            action="budget.project_added",
            target=project,
            organisation=budget.organisation,
        )
    return project


def project_edit(
    *,
    actor: Any,
    project: Project,
    title: str,
    cost: int,
    description: str = "",
    category: str = "",
    location: str = "",
    idea: Any = None,
) -> Project:
    """Change a project while the budget takes proposals or reviews feasibility and cost."""
    budget = project.budget
    _require_manager(actor, budget.organisation)
    errors: dict[str, str] = {}
    title = title.strip()
    if not title:
        errors["title"] = _("Enter the project's title.")
    if cost is None or cost <= 0:
        errors["cost"] = _("Enter a cost of more than 0.")
    elif cost > budget.total:
        errors["cost"] = _("The cost is more than the whole budget.")
    if budget.phase not in (Phase.PROPOSALS, Phase.REVIEW):
        errors["title"] = _("Projects can only be changed before voting starts.")
    if errors:
        raise ValidationError(errors)
    before = {"title": project.title, "cost": project.cost}
    with transaction.atomic():
        project.title = title
        project.cost = cost
        project.description = description.strip()
        project.category = category.strip()
        project.location = location.strip()
        project.idea_id = getattr(idea, "pk", None)
        project.save()
        audit_record(
            actor=actor,
            action="budget.project_edited",
            target=project,
            organisation=budget.organisation,
            data={"before": before, "after": {"title": title, "cost": cost}},
        )
    return project


def budget_move_phase(*, actor: Any, budget: Budget, phase: str, reason: str = "") -> Budget:
    """Move ``budget`` to ``phase`` (forwards or back one step at a time, or to any later)."""
    _require_manager(actor, budget.organisation)
    if phase not in Phase.values:
        raise ValidationError({"phase": _("Choose a phase.")})
    if phase == budget.phase:
        raise ValidationError({"phase": _("The budget is already in this phase.")})
    if phase == Phase.VOTING and not budget.projects.exists():
        raise ValidationError({"phase": _("Add at least one project before voting starts.")})
    before = budget.phase
    with transaction.atomic():
        budget.phase = phase
        budget.save(update_fields=["phase", "updated_at"])
        audit_record(
            actor=actor,
            action="budget.phase_moved",
            target=budget,
            organisation=budget.organisation,
            reason=reason,
            data={"from": before, "to": phase},
        )
    return budget


def next_phases(budget: Budget) -> list[str]:
    """The phases a budget may move to from its current one."""
    return [str(p) for p in PHASE_ORDER if p != budget.phase]


# Ballots -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BallotCheck:
    """A ballot's choices made clean, and its total cost."""

    choices: dict[str, int]
    total_cost: int


def _parse_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def ballot_check(
    *, budget: Budget, choices: Mapping[str, Any], projects: list[Project] | None = None
) -> BallotCheck:
    """Validate ``choices`` (project id → points or rank, or truthy for approval) against the
    budget's ballot kind; raise ``ValidationError`` saying what to change."""
    projects = projects if projects is not None else list(budget.projects.all())
    by_id = {str(p.pk): p for p in projects}
    clean: dict[str, int] = {}
    kind = budget.ballot_kind
    for key, raw in choices.items():
        key = str(key)
        if key not in by_id:
            raise ValidationError(_("One of the projects you chose is not in this budget."))
        if kind in (BallotKind.APPROVAL, BallotKind.APPROVAL_BUDGET):
            if raw in (None, "", False, 0, "0"):
                continue
            clean[key] = 1
            continue
        number = _parse_int(raw)
        if raw in (None, "") or number == 0:
            continue
        if number is None or number < 0:
            raise ValidationError(
                _("Enter a whole number for %(project)s.") % {"project": by_id[key].title}
            )
        clean[key] = number
    total_cost = sum(by_id[k].cost for k in clean)
    chosen = len(clean)
    if kind == BallotKind.CUMULATIVE:
        spent = sum(clean.values())
        if budget.points and spent > budget.points:
            raise ValidationError(
                _("You gave %(spent)s points, but you have %(points)s. Take some away.")
                % {"spent": spent, "points": budget.points}
            )
        cap = budget.max_points_per_project
        for key, given in clean.items():
            if cap and given > cap:
                raise ValidationError(
                    _("Give %(project)s at most %(cap)s points.")
                    % {"project": by_id[key].title, "cap": cap}
                )
    if kind == BallotKind.RANKED:
        ranks = sorted(clean.values())
        if ranks != list(range(1, chosen + 1)):
            raise ValidationError(
                _("Number the projects you rank 1, 2, 3 and so on, using each number once.")
            )
    if budget.max_choices is not None and chosen > budget.max_choices:
        raise ValidationError(
            _("Choose at most %(max)s projects; you chose %(chosen)s.")
            % {"max": budget.max_choices, "chosen": chosen}
        )
    if chosen < max(budget.min_choices, 1):
        raise ValidationError(
            _("Choose at least %(min)s projects; you chose %(chosen)s.")
            % {"min": max(budget.min_choices, 1), "chosen": chosen}
        )
    if kind == BallotKind.APPROVAL_BUDGET:
        limit = _voter_limit(budget, projects, clean)
        if total_cost > limit:
            raise ValidationError(
                _(
                    "The projects you chose cost %(cost)s %(currency)s, which is more than the "
                    "budget of %(limit)s %(currency)s. Take some away."
                )
                % {"cost": total_cost, "limit": limit, "currency": budget.currency}
            )
    return BallotCheck(choices=clean, total_cost=total_cost)


def _voter_limit(budget: Budget, projects: list[Project], clean: Mapping[str, int]) -> int:
    areas = {p.area_id for p in projects if str(p.pk) in clean and p.area_id}
    if len(areas) == 1:
        area = Area.objects.filter(pk=areas.pop()).first()
        if area is not None:
            return area.amount
    return budget.total


def _ballot_area(projects: list[Project], clean: Mapping[str, int]) -> int | None:
    areas = {p.area_id for p in projects if str(p.pk) in clean}
    if len(areas) > 1:
        raise ValidationError(_("Choose projects from one district only."))
    return next(iter(areas), None)


def ballot_cast(*, actor: Any, budget: Budget, choices: Mapping[str, Any]) -> Ballot:
    """Cast or change ``actor``'s ballot; a second vote replaces the first until voting closes."""
    reason = permissions.why_cannot_vote(actor, budget)
    if reason:
        if budget.voting_is_open() and getattr(actor, "is_authenticated", False):
            raise PermissionDenied(reason)
        raise ValidationError(reason)
    projects = list(budget.projects.all())
    checked = ballot_check(budget=budget, choices=choices, projects=projects)
    area_id = _ballot_area(projects, checked.choices)
    with transaction.atomic():
        ballot, _created = Ballot.objects.select_for_update().update_or_create(
            budget=budget,
            voter=actor,
            defaults={"choices": checked.choices, "area_id": area_id},
        )
    return ballot


def my_ballot(*, user: Any, budget: Budget) -> Ballot | None:
    """Return ``user``'s ballot in ``budget``, if they have cast one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Ballot.objects.filter(budget=budget, voter=user).first()


def eligible_voters_set(*, actor: Any, budget: Budget, emails: list[str]) -> int:
    """Replace the list of people who may vote in ``budget``; return how many are on it."""
    _require_manager(actor, budget.organisation)
    from django.core.validators import validate_email

    clean: list[str] = []
    for number, email in enumerate(emails, 1):
        email = email.strip().lower()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError as error:
            raise ValidationError(
                {"emails": _("Line %(number)s is not an email address.") % {"number": number}}
            ) from error
        if email not in clean:
            clean.append(email)
    with transaction.atomic():
        budget.eligible_voters.all().delete()
        EligibleVoter.objects.bulk_create(
            [EligibleVoter(budget=budget, email=email) for email in clean]
        )
        audit_record(
            actor=actor,
            action="budget.eligible_voters_set",
            target=budget,
            organisation=budget.organisation,
            data={"count": len(clean)},
        )
    return len(clean)


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def codes_issue(*, actor: Any, budget: Budget, how_many: int) -> list[str]:
    """Make ``how_many`` single-use paper voting codes; only their hashes are kept."""
    _require_manager(actor, budget.organisation)
    if how_many < 1 or how_many > 10000:
        raise ValidationError({"how_many": _("Make between 1 and 10,000 codes at a time.")})
    codes = [secrets.token_hex(5).upper() for _i in range(how_many)]
    with transaction.atomic():
        VotingCode.objects.bulk_create(
            [VotingCode(budget=budget, code_hash=_hash_code(c)) for c in codes]
        )
        audit_record(
            actor=actor,
            action="budget.codes_issued",
            target=budget,
            organisation=budget.organisation,
            data={"count": how_many},
        )
    return codes


def paper_ballot_enter(
    *, actor: Any, budget: Budget, choices: Mapping[str, Any], code: str = "", reference: str = ""
) -> Ballot:
    """Enter a paper ballot for an official, with its voting code if the vote uses codes."""
    _require_manager(actor, budget.organisation)
    if budget.phase != Phase.VOTING:
        raise ValidationError(_("Paper ballots can only be entered while voting is open."))
    projects = list(budget.projects.all())
    checked = ballot_check(budget=budget, choices=choices, projects=projects)
    area_id = _ballot_area(projects, checked.choices)
    voting_code = None
    if budget.eligibility == Eligibility.CODES:
        voting_code = VotingCode.objects.filter(budget=budget, code_hash=_hash_code(code)).first()
        if voting_code is None:
            raise ValidationError({"code": _("This voting code is not valid for this budget.")})
        if voting_code.used_at is not None:
            raise ValidationError({"code": _("This voting code has already been used.")})
    reference = reference.strip() or f"paper-{secrets.token_hex(6)}"
    with transaction.atomic():
        if voting_code is not None:
            updated = VotingCode.objects.filter(pk=voting_code.pk, used_at__isnull=True).update(
                used_at=timezone.now()
            )
            if not updated:
                raise ValidationError({"code": _("This voting code has already been used.")})
        try:
            with transaction.atomic():
                ballot = Ballot.objects.create(
                    budget=budget,
                    area_id=area_id,
                    code=voting_code,
                    reference=reference,
                    choices=checked.choices,
                    entered_by=actor,
                )
        except IntegrityError as error:
            raise ValidationError(
                {"reference": _("A ballot with this reference was already entered.")}
            ) from error
        audit_record(
            actor=actor,
            action="budget.paper_ballot_entered",
            target=ballot,
            organisation=budget.organisation,
            data={"reference": reference},
        )
    return ballot


# Counting and results ----------------------------------------------------------------------


def election_of(budget: Budget, area: Area | None = None) -> PbElection:
    """The budget (or one district) as a pabulib election, ballots anonymised and in id order."""
    projects = list(budget.projects.filter(area=area) if area else budget.projects.all())
    points = budget.ballot_kind == BallotKind.CUMULATIVE
    ranked = budget.ballot_kind == BallotKind.RANKED
    ids = {str(p.pk) for p in projects}
    ballots = Ballot.objects.filter(budget=budget)
    if area is not None:
        ballots = ballots.filter(area=area)
    votes = []
    for number, choices in enumerate(ballots.order_by("id").values_list("choices", flat=True), 1):
        chosen = [(k, v) for k, v in sorted(choices.items(), key=lambda kv: int(kv[0])) if k in ids]
        if ranked:
            chosen.sort(key=lambda kv: kv[1])
        votes.append(
            PbVote(
                voter_id=str(number),
                projects=tuple(k for k, _v in chosen),
                points=tuple(Fraction(v) for _k, v in chosen) if points else None,
            )
        )
    amount = area.amount if area else budget.total
    vote_type = {
        BallotKind.CUMULATIVE: "cumulative",
        BallotKind.RANKED: "ordinal",
    }.get(BallotKind(budget.ballot_kind), "approval")
    meta = {
        "description": budget.title,
        "country": "",
        "unit": area.name if area else budget.organisation.name,
        "instance": str(budget.pk),
        "num_projects": str(len(projects)),
        "num_votes": str(len(votes)),
        "budget": str(amount),
        "vote_type": vote_type,
        "rule": "greedy",
        "currency": budget.currency,
    }
    return PbElection(
        meta=meta,
        budget=Fraction(amount),
        vote_type=vote_type,
        projects={
            str(p.pk): PbProject(
                project_id=str(p.pk),
                cost=Fraction(p.cost),
                fields={"name": p.title, "category": p.category},
            )
            for p in projects
        },
        votes=votes,
        project_columns=("name", "category"),
    )


def export_pb(*, budget: Budget, area: Area | None = None) -> str:
    """The budget's projects and anonymised ballots as a ``.pb`` file."""
    return write_pb(election_of(budget, area), anonymise=True)


def checksum_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _instance(election: PbElection) -> Instance:
    return Instance(
        budget=election.budget,
        costs={pid: p.cost for pid, p in election.projects.items()},
        ballots=[
            {
                pid: (vote.points[i] if vote.points is not None else Fraction(1))
                for i, pid in enumerate(vote.projects)
            }
            for vote in election.votes
        ],
        has_points=election.has_points,
    )


def _int(value: Fraction) -> int:
    return int(value) if value.denominator == 1 else round(value)


def more_support_needed(
    *,
    budget: Fraction,
    costs: Mapping[str, Fraction],
    scores: Mapping[str, int],
    project_id: str,
    tie_break: TieBreak,
) -> int | None:
    """How many more supporters ``project_id`` needed for greedy to fund it, everything else
    unchanged, or None if no number would do (it costs more than the budget).

    Greedy reads only each project's score, so one ballot giving each project its score as
    points ranks the projects as the real ballots do; the count is tried with more support for
    the project, halving the range each time (more support only moves it earlier).
    """
    if costs[project_id] > budget:
        return None
    own = scores.get(project_id, 0)

    def funded(extra: int) -> bool:
        points = {p: Fraction(s) for p, s in scores.items() if s > 0}
        points[project_id] = Fraction(own + extra)
        instance = Instance(budget=budget, costs=costs, ballots=[points], has_points=True)
        return project_id in greedy(instance, Utility.POINTS, tie_break)

    low, high = 1, max(scores.values(), default=0) - own + 1
    if funded(0):
        return 0
    if not funded(high):
        return None
    while low < high:
        middle = (low + high) // 2
        if funded(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _pennies(value: Fraction) -> str:
    """An exact amount of money as people read it, to the penny (rounded half up)."""
    return str(
        (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
    )


def _mes_details(outcome: Outcome, election: PbElection) -> tuple[dict[str, Any], dict[str, Any]]:
    """For a count by the Method of Equal Shares: who paid what for each project bought, and,
    for each project not bought, how many more supporters it needed and the money it lacked."""
    if outcome.rule != Rule.MES or outcome.mes_share is None:
        return {}, {}
    explanation = explain_outcome(_instance(election), outcome)
    payments = {
        purchase.project_id: [
            {
                "voters": group.voters,
                "paid": _fraction(group.payment),
                "paid_display": _pennies(group.payment),
                "all_they_had": group.all_they_had,
            }
            for group in purchase.payments
            if group.payment  # supporters with nothing left paid nothing: not listed
        ]
        for purchase in explanation.purchases
    }
    shortfalls = {
        shortfall.project_id: {
            "extra_supporters": shortfall.extra_supporters,
            "money_short": _fraction(shortfall.money_short),
            "money_short_display": _pennies(shortfall.money_short),
        }
        for shortfall in explanation.shortfalls
    }
    return payments, shortfalls


def _explain(outcome: Outcome, election: PbElection) -> dict[str, Any]:
    supporters: dict[str, int] = {}
    for vote in election.votes:
        for pid in vote.projects:
            supporters[pid] = supporters.get(pid, 0) + 1
    payments, mes_shortfalls = _mes_details(outcome, election)
    steps = []
    for step in outcome.mes_steps:
        steps.append(
            {
                "payments": payments.get(step.project_id, []),
                "project": step.project_id,
                "supporters": supporters.get(step.project_id, 0),
                # The most a supporter paid per unit of utility, exact as a fraction.
                "rho": f"{step.rho.numerator}/{step.rho.denominator}",
                "rho_display": f"{float(step.rho):.4f}",
                "each_paid_at_most": str(
                    _int(step.rho * election.projects[step.project_id].cost)
                    if outcome.utility == Utility.COST
                    else _int(step.rho)
                ),
            }
        )
    return {
        "supporters": supporters,
        "mes_steps": steps,
        "mes_share": (
            f"{outcome.mes_share.numerator}/{outcome.mes_share.denominator}"
            if outcome.mes_share is not None
            else None
        ),
        "mes_share_display": (
            str(_int(outcome.mes_share)) if outcome.mes_share is not None else None
        ),
        "mes_counts": outcome.mes_counts,
        "more_support_needed": (
            {pid: found["extra_supporters"] for pid, found in mes_shortfalls.items()}
            if outcome.rule == Rule.MES
            else _greedy_shortfalls(outcome, election, supporters)
        ),
        "mes_shortfalls": mes_shortfalls,
    }


def _greedy_shortfalls(
    outcome: Outcome, election: PbElection, supporters: Mapping[str, int]
) -> dict[str, int | None]:
    """For greedy by supporters: each unfunded project's shortfall in supporters."""
    if outcome.rule != Rule.GREEDY or outcome.utility != Utility.APPROVAL:
        return {}
    costs = {pid: p.cost for pid, p in election.projects.items()}
    chosen = set(outcome.selected)
    return {
        pid: more_support_needed(
            budget=election.budget,
            costs=costs,
            scores=supporters,
            project_id=pid,
            tie_break=outcome.tie_break,
        )
        for pid in costs
        if pid not in chosen
    }


@dataclass(frozen=True)
class Counted:
    """A count of a budget (or one district), not yet published."""

    area: Area | None
    outcome: Outcome
    explanation: dict[str, Any]
    checksum: str
    ballots: int


def budget_count(
    *,
    budget: Budget,
    rule: str,
    utility: str = Utility.COST,
    completion: str = Completion.NONE,
    tie_break: str = TieBreak.ID,
) -> list[Counted]:
    """Count the budget, and each district on its own if it has districts."""
    try:
        parameters = (Rule(rule), Utility(utility), Completion(completion), TieBreak(tie_break))
    except ValueError as error:
        raise ValidationError(_("Choose a counting rule and parameters from the list.")) from error
    areas: list[Area | None] = list(budget.areas.all()) or [None]
    counted = []
    for area in areas:
        election = election_of(budget, area)
        try:
            outcome = count(
                _instance(election),
                rule=parameters[0],
                utility=parameters[1],
                completion=parameters[2],
                tie_break=parameters[3],
            )
        except CountError as error:
            raise ValidationError(str(error)) from error
        counted.append(
            Counted(
                area=area,
                outcome=outcome,
                explanation=_explain(outcome, election),
                checksum=checksum_of(write_pb(election, anonymise=True)),
                ballots=len(election.votes),
            )
        )
    return counted


def results_publish(
    *,
    actor: Any,
    budget: Budget,
    utility: str = Utility.COST,
    completion: str = Completion.ADD1,
    tie_break: str = TieBreak.ID,
) -> list[Result]:
    """Count with greedy and with the Method of Equal Shares, publish both side by side, and
    move the budget to its results phase. Publishing again replaces the published results."""
    _require_manager(actor, budget.organisation)
    if budget.phase not in (Phase.VOTING, Phase.RESULTS):
        raise ValidationError(_("Results can only be published once voting has started."))
    if budget.voting_is_open() and budget.voting_closes_at is not None:
        raise ValidationError(_("Wait until voting closes before publishing results."))
    greedy_utility = Utility.POINTS if utility == Utility.POINTS else Utility.APPROVAL
    greedy = budget_count(
        budget=budget, rule=Rule.GREEDY, utility=greedy_utility, tie_break=tie_break
    )
    mes = budget_count(
        budget=budget, rule=Rule.MES, utility=utility, completion=completion, tie_break=tie_break
    )
    with transaction.atomic():
        budget.results.all().delete()
        results = [
            Result.objects.create(
                budget=budget,
                area=c.area,
                rule=c.outcome.rule,
                utility=c.outcome.utility,
                completion=c.outcome.completion,
                tie_break=c.outcome.tie_break,
                selected=list(c.outcome.selected),
                total_cost=_int(c.outcome.total_cost),
                amount=_int(c.outcome.budget),
                explanation=c.explanation,
                checksum=c.checksum,
                ballots_counted=c.ballots,
                published_by=actor,
            )
            for c in greedy + mes
        ]
        budget.phase = Phase.RESULTS
        budget.save(update_fields=["phase", "updated_at"])
        audit_record(
            actor=actor,
            action="budget.result_published",
            target=budget,
            organisation=budget.organisation,
            data={"utility": utility, "completion": completion, "tie_break": tie_break},
        )
    return results


#: Counts of more ballots than this run in the background, not in the request.
LARGE_COUNT = 5000
#: A queued count not finished after this long is taken as lost, and may be queued again.
STALE_COUNT = timedelta(minutes=30)


def results_publish_request(
    *,
    actor: Any,
    budget: Budget,
    utility: str = Utility.COST,
    completion: str = Completion.ADD1,
    tie_break: str = TieBreak.ID,
) -> bool:
    """Publish the results now, or, for many ballots, queue the count to run in the
    background once this transaction commits. Return whether it was queued."""
    _require_manager(actor, budget.organisation)
    try:
        Utility(utility), Completion(completion), TieBreak(tie_break)
    except ValueError as error:
        raise ValidationError(_("Choose a counting rule and parameters from the list.")) from error
    if budget.ballots.count() <= LARGE_COUNT:
        results_publish(
            actor=actor, budget=budget, utility=utility, completion=completion, tie_break=tie_break
        )
        return False
    if budget.phase not in (Phase.VOTING, Phase.RESULTS):
        raise ValidationError(_("Results can only be published once voting has started."))
    now = timezone.now()
    claimed = Budget.objects.filter(
        Q(counting_since__isnull=True) | Q(counting_since__lt=now - STALE_COUNT), pk=budget.pk
    ).update(counting_since=now)
    if not claimed:
        raise ValidationError(_("The ballots are being counted already. Wait for the results."))
    budget_id, actor_id = budget.pk, actor.pk

    def enqueue() -> None:
        from civicflow.budgets.tasks import publish_results

        publish_results.enqueue(budget_id, actor_id, str(utility), str(completion), str(tie_break))

    transaction.on_commit(enqueue)
    return True


def results_publish_queued(
    *, budget_id: int, actor_id: int, utility: str, completion: str, tie_break: str
) -> bool:
    """Run a count queued by :func:`results_publish_request`; return whether it published."""
    from django.contrib.auth import get_user_model

    budget = Budget.objects.select_related("organisation").filter(pk=budget_id).first()
    actor = get_user_model().objects.filter(pk=actor_id).first()
    if budget is None or actor is None:
        return False
    try:
        results_publish(
            actor=actor, budget=budget, utility=utility, completion=completion, tie_break=tie_break
        )
    except (ValidationError, PermissionDenied):
        return False
    finally:
        Budget.objects.filter(pk=budget_id).update(counting_since=None)
    return True


# Import --------------------------------------------------------------------------------------


def pb_import(*, actor: Any, budget: Budget, text: str) -> tuple[int, int]:
    """Import the projects and ballots of a ``.pb`` file into ``budget``, which must have none
    yet. A file that cannot be read is refused with a message naming the line; nothing is
    stored."""
    _require_manager(actor, budget.organisation)
    try:
        election = parse_pb(text)
    except PbFormatError as error:
        raise ValidationError({"file": str(error)}) from error
    if budget.projects.exists() or budget.ballots.exists():
        raise ValidationError(
            {"file": _("This budget already has projects or ballots; import into a new one.")}
        )
    for project in election.projects.values():
        if project.cost.denominator != 1 or project.cost <= 0:
            raise ValidationError(
                {
                    "file": _("Project %(id)s has a cost that is not a whole amount above 0.")
                    % {"id": project.project_id}
                }
            )
    with transaction.atomic():
        if election.budget.denominator == 1 and election.budget > 0:
            budget.total = int(election.budget)
        if election.has_points:
            budget.ballot_kind = BallotKind.CUMULATIVE
            budget.points = budget.points or int(
                max((sum(v.points or ()) for v in election.votes), default=Fraction(1))
            )
        elif election.vote_type == "ordinal":
            budget.ballot_kind = BallotKind.RANKED
        budget.save()
        created = Project.objects.bulk_create(
            [
                Project(
                    budget=budget,
                    code=p.project_id,
                    title=(p.fields.get("name") or f"Project {p.project_id}")[:200],
                    category=(p.fields.get("category") or "")[:120],
                    cost=int(p.cost),
                )
                for p in election.projects.values()
            ]
        )
        pk_of = {p.code: str(p.pk) for p in created}
        if any(p.pk is None for p in created):
            pk_of = dict(
                Project.objects.filter(budget=budget).values_list("code", "pk")  # type: ignore[arg-type]
            )
            pk_of = {k: str(v) for k, v in pk_of.items()}
        ranked = election.vote_type == "ordinal"
        ballots = []
        for number, vote in enumerate(election.votes, 1):
            if vote.points is not None:
                choices = {
                    pk_of[p]: _int(pt) for p, pt in zip(vote.projects, vote.points, strict=True)
                }
            elif ranked:
                choices = {pk_of[p]: rank for rank, p in enumerate(vote.projects, 1)}
            else:
                choices = {pk_of[p]: 1 for p in vote.projects}
            ballots.append(
                Ballot(
                    budget=budget,
                    reference=f"pb-{number}",
                    choices=choices,
                    entered_by=actor,
                )
            )
        Ballot.objects.bulk_create(ballots, batch_size=2000)
        audit_record(
            actor=actor,
            action="budget.imported",
            target=budget,
            organisation=budget.organisation,
            data={"projects": len(created), "ballots": len(ballots)},
        )
    return len(created), len(ballots)
