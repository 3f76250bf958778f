"""Writing case studies: directly, or as a draft filled in from a finished initiative; and
submitting them for review."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from civicflow.core.audit import audit_record
from civicflow.library import permissions
from civicflow.library.models import (
    CaseOutcome,
    CaseStatus,
    CaseStudy,
    EvidenceLevel,
    Licence,
    Sharing,
)
from civicflow.library.services.checks import check_case
from civicflow.search.services import schedule_index

CASE_FIELDS = (
    "title",
    "summary",
    "problem",
    "approach",
    "costs",
    "lessons",
    "sector",
    "innovation_type",
    "evidence_level",
    "licence",
    "sharing",
    "contact_name",
    "contact_email",
    "started_on",
    "finished_on",
)
FINISHED_STAGES = ("evaluate", "scale")
SECTOR_BY_KIND = {
    "council": "local_government",
    "nhs_trust": "health",
    "police": "policing",
    "school_trust": "education",
    "agency": "central_government",
    "charity": "social_care",
}


def _duplicate_message(title: str) -> str:
    return _(
        "Your organisation already has a case study called ‘%(title)s’. Change that one, or "
        "give this one a title of its own."
    ) % {"title": title}


def _check(
    organisation: Any, fields: dict[str, Any], *, exclude: int | None = None
) -> dict[str, Any]:
    cleaned, errors = check_case(fields)
    if "title" not in errors:
        same = CaseStudy.objects.filter(organisation=organisation, title__iexact=cleaned["title"])
        if exclude is not None:
            same = same.exclude(pk=exclude)
        if same.exists():
            errors["title"] = _duplicate_message(cleaned["title"])
    if errors:
        raise ValidationError(errors)
    return cleaned


def _save_outcomes(case: CaseStudy, outcomes: list[dict[str, str]]) -> None:
    case.outcomes.all().delete()
    CaseOutcome.objects.bulk_create(
        [CaseOutcome(case=case, position=index, **item) for index, item in enumerate(outcomes)]
    )


def case_fields(case: CaseStudy) -> dict[str, Any]:
    """Return the case's fields and outcomes as ``case_create`` and ``case_edit`` take them."""
    fields = {name: getattr(case, name) for name in CASE_FIELDS}
    fields["outcomes"] = [
        {"area": o.area, "statement": o.statement, "figure": o.figure} for o in case.outcomes.all()
    ]
    return fields


def case_create(*, actor: Any, organisation: Any, **fields: Any) -> CaseStudy:
    """Draft a case study for ``organisation``, with its outcomes."""
    if not permissions.can_write_cases(actor, organisation):
        raise PermissionDenied(_("Only members of the organisation write its case studies."))
    source = fields.pop("source_initiative", None)
    cleaned = _check(organisation, fields)
    outcomes = cleaned.pop("outcomes")
    try:
        with transaction.atomic():
            case = CaseStudy.objects.create(
                organisation=organisation,
                source_initiative=source,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                **cleaned,
            )
            _save_outcomes(case, outcomes)
            audit_record(
                actor=actor,
                action="case.drafted",
                target=case,
                organisation=organisation,
                data={"initiative": getattr(source, "pk", None)},
            )
    except IntegrityError as error:  # the same title saved twice at once
        raise ValidationError({"title": _duplicate_message(cleaned["title"])}) from error
    return case


def case_edit(*, actor: Any, case: CaseStudy, reason: str = "", **fields: Any) -> CaseStudy:
    """Change a case study and its outcomes. A returned case stays returned until it is
    submitted again; a published one stays published and is re-indexed."""
    if not permissions.can_edit_case(actor, case):
        raise PermissionDenied(
            _(
                "Only the author changes a draft, and only the organisation's editors change a "
                "case waiting for review or published."
            )
        )
    cleaned = _check(case.organisation, fields, exclude=case.pk)
    outcomes = cleaned.pop("outcomes")
    before = {name: str(getattr(case, name)) for name in ("title", "sharing", "licence")}
    try:
        with transaction.atomic():
            for name, value in cleaned.items():
                setattr(case, name, value)
            case.save()
            _save_outcomes(case, outcomes)
            audit_record(
                actor=actor,
                action="case.edited",
                target=case,
                organisation=case.organisation,
                reason=(reason or "").strip()[:1000],
                data={"before": before},
            )
            schedule_index(case)
    except IntegrityError as error:
        raise ValidationError({"title": _duplicate_message(cleaned["title"])}) from error
    return case


def case_submit(*, actor: Any, case: CaseStudy) -> CaseStudy:
    """Send a draft or returned case to the organisation's editors for review."""
    if not permissions.can_edit_case(actor, case):
        raise PermissionDenied(_("Only the author and the organisation's editors submit a case."))
    if case.status not in (CaseStatus.DRAFT, CaseStatus.RETURNED):
        raise ValidationError(
            {"status": _("Only a draft or a returned case can be submitted for review.")}
        )
    _check(case.organisation, case_fields(case), exclude=case.pk)
    if not case.outcomes.exists():
        raise ValidationError(
            {
                "outcomes": _(
                    "Add at least one outcome before submitting: what changed, with its figure "
                    "if there is one."
                )
            }
        )
    with transaction.atomic():
        case.status = CaseStatus.SUBMITTED
        case.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor, action="case.submitted", target=case, organisation=case.organisation
        )
    return case


def _money(value: Decimal | None) -> str:
    return f"£{value:,.2f}" if value is not None else ""


def initiative_draft_fields(initiative: Any) -> dict[str, Any]:
    """What a finished initiative's record says, as a case study's fields for its owner to
    edit: its title and summary, its stages and gate decisions, money spent and its owner as
    the contact."""
    from civicflow.initiatives.models import GateDecision

    decisions = list(
        GateDecision.objects.effective()
        .filter(initiative=initiative)
        .order_by("decided_at", "id")
        .values_list("decision", "reason")
    )
    totals = initiative.plans.aggregate(budget=Sum("budget"), spent=Sum("spent"))
    steps = "\n".join(f"- {decision.title()}: {reason}" for decision, reason in decisions)
    approach = initiative.summary or initiative.title
    if steps:
        approach += "\n\n" + _("Gate decisions on the way:") + "\n" + steps
    costs = ""
    if totals["spent"] or totals["budget"]:
        costs = _("Spent %(spent)s against a budget of %(budget)s.") % {
            "spent": _money(totals["spent"]) or "£0.00",
            "budget": _money(totals["budget"]) or _("no set amount"),
        }
    owner = initiative.business_owner
    idea = initiative.idea
    problem = idea.challenge.problem if idea is not None else ""
    return {
        "title": initiative.title,
        "summary": initiative.summary or initiative.title,
        "problem": problem,
        "approach": approach,
        "costs": costs,
        "lessons": "",
        "sector": SECTOR_BY_KIND.get(initiative.organisation.kind, "local_government"),
        "innovation_type": getattr(idea, "innovation_type", "") or "service",
        "evidence_level": EvidenceLevel.CHANGE,
        "licence": Licence.OGL,
        "sharing": Sharing.PUBLIC if initiative.public else Sharing.PRIVATE,
        "contact_name": owner.name if owner is not None else "",
        "contact_email": owner.email if owner is not None else "",
        "started_on": initiative.created_at.date(),
        "finished_on": None,
        "outcomes": [],
    }


def case_draft_from_initiative(*, actor: Any, initiative: Any) -> CaseStudy:
    """Draft a case study from a finished initiative (one that reached evaluation or scale),
    filled in from its record for its owner to complete (its outcomes, lessons and the
    problem where it did not come from a challenge) before submitting it."""
    from civicflow.initiatives.permissions import can_run_initiative

    if not can_run_initiative(actor, initiative):
        raise PermissionDenied(
            _("Only the initiative's owner, delivery lead, innovation leads and administrators.")
        )
    if initiative.stage not in FINISHED_STAGES or initiative.status == "stopped":
        raise ValidationError(
            {
                "initiative": _(
                    "Write up an initiative once it has reached evaluation or scale; before "
                    "then there are no results to share."
                )
            }
        )
    existing = CaseStudy.objects.filter(source_initiative=initiative).first()
    if existing is not None:
        raise ValidationError(
            {"initiative": _("This initiative already has a case study: change that one.")}
        )
    fields = initiative_draft_fields(initiative)
    fields.pop("outcomes")
    title = fields["title"]
    if CaseStudy.objects.filter(organisation=initiative.organisation, title__iexact=title):
        raise ValidationError({"title": _duplicate_message(title)})
    try:
        with transaction.atomic():
            case = CaseStudy.objects.create(
                organisation=initiative.organisation,
                source_initiative=initiative,
                created_by=actor,
                **fields,
            )
            audit_record(
                actor=actor,
                action="case.drafted",
                target=case,
                organisation=initiative.organisation,
                data={"initiative": initiative.pk},
            )
    except IntegrityError as error:
        raise ValidationError(
            {"initiative": _("This initiative already has a case study: change that one.")}
        ) from error
    return case
