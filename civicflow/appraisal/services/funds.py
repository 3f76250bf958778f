"""Fund rounds: applications, grants within the remaining budget, milestone reports and
payments. Grants are awarded with the round's row locked (``select_for_update``), so awards
made at the same moment are counted one after the other and never exceed the budget."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from civicflow.appraisal import permissions
from civicflow.appraisal.models import (
    Application,
    Decision,
    DecisionKind,
    FundRound,
    Grant,
    Milestone,
    MilestoneReport,
    Panel,
    Payment,
)
from civicflow.appraisal.models.funds import TEXT_MAX
from civicflow.appraisal.services.base import clean, require_author, require_runner
from civicflow.challenges.models import Kind
from civicflow.challenges.permissions import can_act
from civicflow.challenges.phases import Action
from civicflow.core.audit import audit_record

MONEY_MAX = 10**12


def fund_round_create(
    *,
    actor: Any,
    challenge: Any,
    budget: int,
    currency: str = "GBP",
    max_award: int | None = None,
    outcome_based: bool = False,
) -> FundRound:
    """Set up the fund round of a fund-round challenge."""
    require_runner(actor, challenge)
    errors: dict[str, str] = {}
    if challenge.kind != Kind.FUND_ROUND:
        errors["budget"] = _("Only a fund-round challenge has a fund.")
    if budget is None or not 0 < budget <= MONEY_MAX:
        errors["budget"] = _("Enter a budget of more than 0.")
    if max_award is not None and not 0 < max_award <= (budget or 0):
        errors["max_award"] = _("The largest grant must be more than 0 and within the budget.")
    if FundRound.objects.filter(challenge=challenge).exists():
        errors["budget"] = _("This challenge already has a fund round.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fund_round = FundRound.objects.create(
            challenge=challenge,
            budget=budget,
            currency=(currency or "GBP").upper()[:3],
            max_award=max_award,
            outcome_based=outcome_based,
        )
        audit_record(
            actor=actor,
            action="appraisal.fund_round_created",
            target=fund_round,
            organisation=challenge.organisation,
        )
    return fund_round


def application_submit(
    *,
    actor: Any,
    fund_round: FundRound,
    idea: Any,
    amount_requested: int,
    plan: str,
    outcomes: str = "",
    organisation_name: str = "",
    milestones: Sequence[dict[str, Any]] = (),
) -> Application:
    """Apply for a grant for ``idea``, with the plan and its milestones. One application per
    applicant per round, and one per idea."""
    require_author(actor, idea)
    errors: dict[str, str] = {}
    if idea.challenge_id != fund_round.challenge_id:
        errors["idea"] = _("Choose an idea put forward in this fund round.")
    if not can_act(actor, fund_round.challenge, Action.SUBMIT):
        errors["idea"] = _("Applications are not open in this round.")
    if amount_requested is None or not 0 < amount_requested <= MONEY_MAX:
        errors["amount_requested"] = _("Enter the amount you ask for, more than 0.")
    elif fund_round.max_award is not None and amount_requested > fund_round.max_award:
        errors["amount_requested"] = _("The round gives grants of at most %(max)s.") % {
            "max": f"{fund_round.max_award:,}"
        }
    elif amount_requested > fund_round.budget:
        errors["amount_requested"] = _("The amount is more than the whole fund.")
    if not clean(plan):
        errors["plan"] = _("Enter your plan.")
    if len(clean(plan)) > TEXT_MAX or len(clean(outcomes)) > TEXT_MAX:
        errors["plan"] = _("Keep the plan and the outcomes under 10,000 characters each.")
    cleaned: list[dict[str, Any]] = []
    for index, milestone in enumerate(milestones):
        title = clean(milestone.get("title"))
        payment = milestone.get("payment") or 0
        outcome = clean(milestone.get("outcome"))
        if not title:
            errors["milestones"] = _("Give every milestone a title.")
        if not isinstance(payment, int) or payment < 0:
            errors["milestones"] = _("Enter each milestone's payment as 0 or more.")
            payment = 0
        if fund_round.outcome_based and payment and not outcome:
            errors["milestones"] = _(
                "This round pays on outcomes: say which outcome each payment is for."
            )
        cleaned.append(
            {
                "title": title[:200],
                "due_on": milestone.get("due_on"),
                "payment": payment,
                "outcome": outcome[:300],
                "position": index,
            }
        )
    if sum(m["payment"] for m in cleaned) > (amount_requested or 0):
        errors["milestones"] = _("The milestones' payments add up to more than you ask for.")
    if Application.objects.filter(fund_round=fund_round, applicant=actor).exists():
        errors["idea"] = _("You have already applied to this round.")
    if Application.objects.filter(idea=idea).exists():
        errors["idea"] = _("This idea already has an application.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                fund_round=fund_round,
                idea=idea,
                applicant=actor,
                organisation_name=clean(organisation_name)[:200],
                amount_requested=amount_requested,
                plan=clean(plan),
                outcomes=clean(outcomes),
            )
            Milestone.objects.bulk_create(
                Milestone(application=application, **milestone) for milestone in cleaned
            )
            audit_record(
                actor=actor,
                action="appraisal.application_submitted",
                target=application,
                organisation=fund_round.challenge.organisation,
            )
    except IntegrityError as error:
        raise ValidationError({"idea": _("You have already applied to this round.")}) from error
    return application


def _letter(application: Application, amount: int, currency: str) -> str:
    return _(
        "We are pleased to offer a grant of %(amount)s %(currency)s from %(fund)s for "
        "“%(title)s”. Payments are made against the milestones in your plan, as each is "
        "reported."
    ) % {
        "amount": f"{amount:,}",
        "currency": currency,
        "fund": application.fund_round.challenge.title,
        "title": application.idea.title,
    }


def grant_award(
    *, actor: Any, application: Application, amount: int, reason: str, letter: str = ""
) -> Grant:
    """Award a grant, never more than the fund has left, with the reason and a letter."""
    fund_round = application.fund_round
    require_runner(actor, fund_round.challenge)
    reason = clean(reason)
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Say why: the reason is kept on record and may be published.")
    if amount is None or amount <= 0:
        errors["amount"] = _("Enter a grant of more than 0.")
    elif amount > application.amount_requested:
        errors["amount"] = _("The grant is more than the applicant asked for.")
    panel = Panel.objects.filter(challenge=fund_round.challenge).first()
    if panel is not None and panel.results_published:
        errors["amount"] = _("The results are published, so no more grants can be made.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = FundRound.objects.select_for_update().get(pk=fund_round.pk)
        committed = (
            Grant.objects.filter(application__fund_round=locked).aggregate(total=Sum("amount"))[
                "total"
            ]
            or 0
        )
        remaining = locked.budget - committed
        if Grant.objects.filter(application=application).exists():
            raise ValidationError({"amount": _("This application already has a grant.")})
        if amount > remaining:
            raise ValidationError(
                {
                    "amount": _("The fund has %(left)s left, so it cannot award %(amount)s.")
                    % {"left": f"{remaining:,}", "amount": f"{amount:,}"}
                }
            )
        grant = Grant.objects.create(
            application=application,
            amount=amount,
            reason=reason,
            letter=clean(letter) or _letter(application, amount, locked.currency),
            awarded_by=actor,
        )
        if panel is not None:
            Decision.objects.create(
                panel=panel,
                idea=application.idea,
                kind=DecisionKind.AWARDED,
                amount=amount,
                reason=reason,
                decided_by=actor,
            )
        audit_record(
            actor=actor,
            action="appraisal.grant_awarded",
            target=application,
            organisation=locked.challenge.organisation,
            reason=reason,
            data={"amount": amount, "remaining": remaining - amount},
        )
    return grant


def milestone_report(
    *, actor: Any, milestone: Milestone, report: str, outcome_achieved: bool
) -> MilestoneReport:
    """The grant holder (or a lead) reports on a milestone of a funded application."""
    application = milestone.application
    challenge = application.fund_round.challenge
    if not (
        permissions.is_author(actor, application.idea)
        or permissions.can_run_appraisal(actor, challenge)
    ):
        raise PermissionDenied(_("Only the grant holder or the fund's leads report milestones."))
    if not Grant.objects.filter(application=application).exists():
        raise ValidationError(_("Milestones are reported once a grant is awarded."))
    report = clean(report)
    if not report:
        raise ValidationError({"report": _("Say what happened.")})
    if len(report) > TEXT_MAX:
        raise ValidationError({"report": _("Keep the report under 10,000 characters.")})
    with transaction.atomic():
        made = MilestoneReport.objects.create(
            milestone=milestone,
            report=report,
            outcome_achieved=outcome_achieved,
            reported_by=actor,
        )
        audit_record(
            actor=actor,
            action="appraisal.milestone_reported",
            target=application,
            organisation=challenge.organisation,
            data={"milestone": milestone.pk, "outcome_achieved": outcome_achieved},
        )
    return made


def payment_record(
    *,
    actor: Any,
    grant: Grant,
    amount: int,
    milestone: Milestone | None = None,
    note: str = "",
) -> Payment:
    """Record a payment against a grant: never more than the grant; in a round that pays on
    outcomes, only for a milestone whose outcome was reported achieved."""
    application = grant.application
    fund_round = application.fund_round
    require_runner(actor, fund_round.challenge)
    errors: dict[str, str] = {}
    if amount is None or amount <= 0:
        errors["amount"] = _("Enter a payment of more than 0.")
    if milestone is not None and milestone.application_id != application.pk:
        errors["milestone"] = _("Choose a milestone of this grant.")
    if fund_round.outcome_based:
        if milestone is None:
            errors["milestone"] = _("This round pays on outcomes: choose the milestone.")
        elif not milestone.reports.filter(outcome_achieved=True).exists():
            errors["milestone"] = _(
                "This round pays on outcomes: the milestone's outcome has not been reported "
                "achieved."
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Grant.objects.select_for_update().get(pk=grant.pk)
        paid = locked.payments.aggregate(total=Sum("amount"))["total"] or 0
        if paid + amount > locked.amount:
            raise ValidationError(
                {
                    "amount": _("%(left)s of the grant is left to pay.")
                    % {"left": f"{locked.amount - paid:,}"}
                }
            )
        payment = Payment.objects.create(
            grant=locked, milestone=milestone, amount=amount, note=clean(note)[:300], paid_by=actor
        )
        audit_record(
            actor=actor,
            action="appraisal.payment_recorded",
            target=application,
            organisation=fund_round.challenge.organisation,
            data={"amount": amount, "milestone": milestone.pk if milestone else None},
        )
    return payment
