"""Decisions on submissions (shortlists, awards) with reasons, and publishing the results."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.appraisal import selectors
from civicflow.appraisal.models import Decision, DecisionKind, Panel, Prize, PrizeTier
from civicflow.appraisal.models.panels import REASON_MAX
from civicflow.appraisal.services.base import clean, require_runner
from civicflow.challenges.models import Kind
from civicflow.core.audit import audit_record


def _check_prize_award(panel: Panel, idea: Any, tier: PrizeTier | None) -> None:
    """Refuse an award the prize cannot make: no tier, tier full, pot spent, not eligible."""
    prize = Prize.objects.select_for_update().filter(challenge=panel.challenge).first()
    if prize is None:
        raise ValidationError(_("Set up the prize before awarding it."))
    if tier is None or tier.prize_id != prize.pk:
        raise ValidationError({"tier": _("Choose one of the prize's tiers.")})
    if timezone.now() < prize.closes_at:
        raise ValidationError(_("Entries are still open, so the prize cannot be awarded yet."))
    from civicflow.appraisal.services.prizes import why_not_eligible

    if problem := why_not_eligible(prize, idea):
        raise ValidationError(problem)
    standing = [
        d
        for d in selectors.latest_decisions(panel).values()
        if d.kind == DecisionKind.AWARDED and d.idea_id != idea.pk
    ]
    if sum(1 for d in standing if d.tier_id == tier.pk) >= tier.places:
        raise ValidationError({"tier": _("Every place in this tier is already awarded.")})
    if sum(d.amount or 0 for d in standing) + tier.amount > prize.pot:
        raise ValidationError({"tier": _("This award would take the prize past its pot.")})


def decision_record(
    *,
    actor: Any,
    panel: Panel,
    idea: Any,
    kind: str,
    reason: str,
    tier: PrizeTier | None = None,
) -> Decision:
    """Record a decision on a submission, with the reason. A prize award names its tier;
    fund-round awards are grants (``grant_award``)."""
    require_runner(actor, panel.challenge)
    reason = clean(reason)
    errors: dict[str, str] = {}
    if kind not in DecisionKind.values:
        errors["kind"] = _("Choose a decision.")
    if not reason:
        errors["reason"] = _("Say why: the reason is kept on record and may be published.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("Keep the reason under 5,000 characters.")
    if not selectors.panel_entries(panel).filter(pk=idea.pk).exists():
        errors["kind"] = _("Choose a submission to this challenge.")
    if panel.results_published:
        errors["kind"] = _("The results are published, so decisions can no longer change.")
    if kind == DecisionKind.AWARDED and panel.challenge.kind == Kind.FUND_ROUND:
        errors["kind"] = _("Award a fund round's grants from the application.")
    if kind in (DecisionKind.AWARDED, DecisionKind.NOT_AWARDED) and panel.is_open:
        errors["kind"] = _("Close the panel before making awards.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        amount = None
        if kind == DecisionKind.AWARDED and panel.challenge.kind == Kind.PRIZE:
            _check_prize_award(panel, idea, tier)
            amount = tier.amount if tier else None
        elif kind == DecisionKind.AWARDED:
            tier = None
        else:
            tier = None
        decision = Decision.objects.create(
            panel=panel,
            idea=idea,
            kind=kind,
            tier=tier,
            amount=amount,
            reason=reason,
            decided_by=actor,
        )
        audit_record(
            actor=actor,
            action="appraisal.decided",
            target=idea,
            organisation=panel.challenge.organisation,
            reason=reason,
            data={"decision": kind, "tier": tier.name if tier else None, "amount": amount},
        )
    return decision


def results_publish(*, actor: Any, panel: Panel, summary: str = "") -> Panel:
    """Publish the decisions that stand, with their reasons, once the panel is closed."""
    require_runner(actor, panel.challenge)
    if panel.results_published:
        raise ValidationError(_("The results are already published."))
    if panel.is_open:
        raise ValidationError(_("Close the panel before publishing its results."))
    if not panel.decisions.exists():
        raise ValidationError(_("Record the panel's decisions before publishing them."))
    with transaction.atomic():
        panel.results_published_at = timezone.now()
        panel.results_summary = clean(summary)
        panel.save(update_fields=["results_published_at", "results_summary", "updated_at"])
        audit_record(
            actor=actor,
            action="appraisal.results_published",
            target=panel,
            organisation=panel.challenge.organisation,
        )
    return panel
