"""Criteria sets: the default set from the seeds, changes until published, publishing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from civicflow.appraisal.models import DEFAULT_CRITERIA, CriteriaSet, Criterion
from civicflow.appraisal.models.criteria import DEFAULT_DESCRIPTORS
from civicflow.appraisal.permissions import APPRAISED_KINDS
from civicflow.appraisal.services.base import clean, require_runner
from civicflow.core.audit import audit_record


def _descriptors(points: int, given: Sequence[str] | None) -> list[str]:
    given = [clean(d) for d in (given or [])]
    if len(given) == points and all(given):
        return given
    if points == len(DEFAULT_DESCRIPTORS):
        return [str(d) for d in DEFAULT_DESCRIPTORS]
    return [str(p) for p in range(points)]


def criteria_set_create(
    *, actor: Any, challenge: Any, scale_min: int = 0, scale_max: int = 4, defaults: bool = True
) -> CriteriaSet:
    """Start a challenge's criteria, with the default set from the seeds unless told not to."""
    require_runner(actor, challenge)
    if challenge.kind not in APPRAISED_KINDS:
        raise ValidationError(_("Team improvement boards are not appraised by a panel."))
    if CriteriaSet.objects.filter(challenge=challenge).exists():
        raise ValidationError(_("This challenge already has criteria."))
    if not 0 <= scale_min < scale_max <= 10:
        raise ValidationError({"scale_max": _("Use a scale of two to eleven points, up to 10.")})
    points = scale_max - scale_min + 1
    with transaction.atomic():
        criteria_set = CriteriaSet.objects.create(
            challenge=challenge, scale_min=scale_min, scale_max=scale_max
        )
        if defaults:
            Criterion.objects.bulk_create(
                Criterion(
                    criteria_set=criteria_set,
                    key=key,
                    name=name,
                    description=description,
                    weight=weight,
                    position=position,
                    descriptors=_descriptors(points, None),
                )
                for position, (key, name, description, weight) in enumerate(DEFAULT_CRITERIA)
            )
        audit_record(
            actor=actor,
            action="appraisal.criteria_changed",
            target=criteria_set,
            organisation=challenge.organisation,
        )
    return criteria_set


def criterion_save(
    *,
    actor: Any,
    criteria_set: CriteriaSet,
    name: str,
    weight: int,
    description: str = "",
    descriptors: Sequence[str] | None = None,
    criterion: Criterion | None = None,
) -> Criterion:
    """Add a criterion, or change ``criterion``, while the criteria are unpublished."""
    challenge = criteria_set.challenge
    require_runner(actor, challenge)
    errors: dict[str, str] = {}
    if criteria_set.is_published:
        errors["name"] = _("The criteria are published, so they can no longer change.")
    name = clean(name)
    if not name:
        errors["name"] = _("Enter the criterion's name.")
    if weight is None or not 1 <= weight <= 10:
        errors["weight"] = _("Enter a weight from 1 to 10.")
    if criterion is not None and criterion.criteria_set_id != criteria_set.pk:
        errors["name"] = _("Choose a criterion of this challenge.")
    key = criterion.key if criterion is not None else slugify(name)[:40].replace("-", "_")
    if criterion is None and (not key or criteria_set.criteria.filter(key=key).exists()):
        errors["name"] = _("Another criterion already has this name.")
    if errors:
        raise ValidationError(errors)
    points = len(criteria_set.points)
    with transaction.atomic():
        if criterion is None:
            criterion = Criterion(
                criteria_set=criteria_set, key=key, position=criteria_set.criteria.count()
            )
        criterion.name = name
        criterion.weight = weight
        criterion.description = clean(description)
        criterion.descriptors = _descriptors(points, descriptors)
        criterion.save()
        audit_record(
            actor=actor,
            action="appraisal.criteria_changed",
            target=criteria_set,
            organisation=challenge.organisation,
            data={"criterion": key},
        )
    return criterion


def criterion_remove(*, actor: Any, criterion: Criterion) -> None:
    criteria_set = criterion.criteria_set
    require_runner(actor, criteria_set.challenge)
    if criteria_set.is_published:
        raise ValidationError(_("The criteria are published, so they can no longer change."))
    with transaction.atomic():
        key = criterion.key
        criterion.delete()
        audit_record(
            actor=actor,
            action="appraisal.criteria_changed",
            target=criteria_set,
            organisation=criteria_set.challenge.organisation,
            data={"removed": key},
        )


def criteria_publish(*, actor: Any, criteria_set: CriteriaSet) -> CriteriaSet:
    """Publish the criteria to participants; from now on they cannot change."""
    require_runner(actor, criteria_set.challenge)
    if criteria_set.is_published:
        raise ValidationError(_("The criteria are already published."))
    if not criteria_set.criteria.exists():
        raise ValidationError(_("Add at least one criterion before publishing."))
    with transaction.atomic():
        criteria_set.published_at = timezone.now()
        criteria_set.published_by = actor
        criteria_set.save(update_fields=["published_at", "published_by", "updated_at"])
        audit_record(
            actor=actor,
            action="appraisal.criteria_published",
            target=criteria_set,
            organisation=criteria_set.challenge.organisation,
        )
    return criteria_set
