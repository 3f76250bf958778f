"""Adoption: an organisation takes up another's published case by starting a challenge or an
initiative of its own, linked to the case, with a note of what it will adapt."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.core.audit import audit_record
from civicflow.library import permissions
from civicflow.library.models import (
    NOTE_MAX,
    SUMMARY_MAX,
    Adoption,
    AdoptionKind,
    CaseStudy,
    Sharing,
)
from civicflow.library.services.checks import HTML
from civicflow.notifications.services import notify

PHASE_DAYS = 28
CHALLENGE_SUMMARY_MAX = 300


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _phases(now: Any) -> list[Any]:
    """Four weeks for each phase of an open call, starting tomorrow: the lead changes them
    before publishing the challenge."""
    from civicflow.challenges.phases import PhaseDates

    start = (now + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    keys = ["discover", "define", "develop", "deliver"]
    return [
        PhaseDates(
            key,
            start + timedelta(days=PHASE_DAYS * index),
            start + timedelta(days=PHASE_DAYS * (index + 1)) if key != "deliver" else None,
        )
        for index, key in enumerate(keys)
    ]


def _check(
    actor: Any, case: CaseStudy | None, organisation: Any, kind: str, adaptations: str, sharing: str
) -> None:
    if case is None or not permissions.can_view_case(actor, case) or not case.is_published:
        raise ValidationError(
            {"case": _("There is no published case study with this number that you can see.")}
        )
    if not permissions.can_adopt(actor, organisation):
        raise PermissionDenied(
            _("Only innovation leads and administrators adopt cases for %(organisation)s.")
            % {"organisation": organisation.name}
        )
    errors: dict[str, str] = {}
    if case.organisation_id == organisation.pk:
        errors["organisation"] = _(
            "This is %(organisation)s's own case study: adopt cases from other organisations."
        ) % {"organisation": organisation.name}
    elif Adoption.objects.filter(case=case, organisation=organisation).exists():
        errors["organisation"] = _("%(organisation)s has adopted this case already.") % {
            "organisation": organisation.name
        }
    if kind not in AdoptionKind.values:
        errors["kind"] = _("Choose whether to start a challenge or an initiative.")
    if not adaptations:
        errors["adaptations"] = _(
            "Say what you will adapt for your organisation, for example who it is for or how it "
            "will be paid for."
        )
    elif len(adaptations) > NOTE_MAX:
        errors["adaptations"] = _("Keep what you will adapt to 5,000 characters or fewer.")
    elif HTML.search(adaptations):
        errors["adaptations"] = _("Take the HTML out of what you will adapt: write plain text.")
    if sharing not in Sharing.values:
        errors["sharing"] = _("Choose who can see this adoption: public, network or private.")
    if errors:
        raise ValidationError(errors)


def _start(
    actor: Any,
    case: CaseStudy,
    organisation: Any,
    kind: str,
    adaptations: str,
    business_owner: Any,
) -> Any:
    source = _("Adopted from ‘%(title)s’ by %(organisation)s.") % {
        "title": case.title,
        "organisation": case.organisation.name,
    }
    summary = f"{case.summary}\n\n{source}\n\n{adaptations}"[:SUMMARY_MAX]
    if kind == AdoptionKind.INITIATIVE:
        from civicflow.initiatives.services import initiative_start

        return initiative_start(
            actor=actor,
            organisation=organisation,
            title=case.title,
            summary=summary,
            source_case_id=case.pk,
            business_owner=business_owner,
        )
    from civicflow.challenges.services import challenge_create

    return challenge_create(
        actor=actor,
        organisation=organisation,
        kind="open_call",
        phases=_phases(timezone.now()),
        title=case.title,
        summary=_shorten(case.summary, CHALLENGE_SUMMARY_MAX),
        problem=case.problem,
        evidence=f"{source}\n\n{adaptations}",
        driver="strategic_objective",
        audience="staff",
    )


def case_adopt(
    *,
    actor: Any,
    case: CaseStudy | None,
    organisation: Any,
    kind: str,
    adaptations: str,
    sharing: str = Sharing.NETWORK,
    business_owner: Any = None,
) -> Adoption:
    """Adopt ``case`` for ``organisation``: start a draft challenge or a test-stage initiative
    (with ``business_owner``, if named) there, linked to the case, in one transaction with
    the adoption and its audit record."""
    adaptations = (adaptations or "").strip()
    _check(actor, case, organisation, kind, adaptations, sharing)
    assert case is not None
    try:
        with transaction.atomic():
            started = _start(actor, case, organisation, kind, adaptations, business_owner)
            adoption = Adoption.objects.create(
                case=case,
                organisation=organisation,
                kind=kind,
                challenge=started if kind == AdoptionKind.CHALLENGE else None,
                initiative=started if kind == AdoptionKind.INITIATIVE else None,
                adaptations=adaptations,
                sharing=sharing,
                adopted_by=actor,
            )
            audit_record(
                actor=actor,
                action="case.adopted",
                target=case,
                organisation=organisation,
                reason=adaptations,
                data={"kind": kind, "started": started.pk, "adoption": adoption.pk},
            )
            if case.created_by_id:
                notify(
                    recipients=[case.created_by_id],
                    kind="case.adopted",
                    title=_("%(organisation)s adopted your case study ‘%(title)s’")
                    % {"organisation": organisation.name, "title": case.title},
                    body=adaptations,
                    url=case.get_absolute_url(),
                    actor=actor,
                )
    except IntegrityError as error:  # adopted twice at once
        raise ValidationError(
            {
                "organisation": _("%(organisation)s has adopted this case already.")
                % {"organisation": organisation.name}
            }
        ) from error
    return adoption
