"""Choosing which of its initiative's measured results a case study publishes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicflow.core.audit import audit_record
from civicflow.library import permissions
from civicflow.library.models import CaseStudy


def case_measures_publish(
    *, actor: Any, case: CaseStudy, kpis: Iterable[int], appraisals: Iterable[int]
) -> CaseStudy:
    """Publish with ``case`` exactly these KPIs and appraisals of the initiative it was
    drafted from (by id); the others stay off the case, wherever it is shown or exported.

    Its editors choose, and only those who may see the initiative itself: they decide what of
    it the case's readers see."""
    from civicflow.initiatives.permissions import can_view_initiative

    initiative = case.source_initiative
    if not permissions.can_edit_case(actor, case):
        raise PermissionDenied(_("Only those who may change this case choose what it publishes."))
    if initiative is None:
        raise ValidationError(
            {"kpis": _("This case was not drafted from an initiative, so it has no measures.")}
        )
    if not can_view_initiative(actor, initiative):
        raise PermissionDenied(_("Only those who may see the initiative publish its measures."))
    wanted_kpis, wanted_appraisals = set(kpis), set(appraisals)
    own_kpis = {k.pk: k for k in initiative.kpis.all()}
    own_appraisals = {a.pk: a for a in initiative.appraisals.all()}
    errors: dict[str, str] = {}
    if wanted_kpis - set(own_kpis):
        errors["kpis"] = _("Choose only KPIs of ‘%(title)s’.") % {"title": initiative.title}
    if wanted_appraisals - set(own_appraisals):
        errors["appraisals"] = _("Choose only appraisals of ‘%(title)s’.") % {
            "title": initiative.title
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case.published_kpis.set([own_kpis[pk] for pk in wanted_kpis])
        case.published_appraisals.set([own_appraisals[pk] for pk in wanted_appraisals])
        audit_record(
            actor=actor,
            action="case.measures_published",
            target=case,
            organisation=case.organisation,
            data={
                "kpis": sorted(own_kpis[pk].name for pk in wanted_kpis),
                "appraisals": sorted(own_appraisals[pk].title for pk in wanted_appraisals),
            },
        )
    return case
