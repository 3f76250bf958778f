"""Challenge prizes: the pot, its tiers and eligibility questions; entrants' answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from civicflow.appraisal.models import (
    Assignment,
    Decision,
    EligibilityAnswer,
    EligibilityQuestion,
    Prize,
    PrizeTier,
)
from civicflow.appraisal.services.base import clean, require_author, require_runner
from civicflow.appraisal.services.notices import review_window
from civicflow.challenges.models import Kind
from civicflow.core.audit import audit_record

MONEY_MAX = 10**12


def prize_create(
    *,
    actor: Any,
    challenge: Any,
    pot: int,
    closes_at: datetime,
    tiers: Sequence[tuple[str, int, int]],
    questions: Sequence[str] = (),
    currency: str = "GBP",
) -> Prize:
    """Set up a challenge prize: ``tiers`` as (name, award for each place, places)."""
    require_runner(actor, challenge)
    errors: dict[str, str] = {}
    if challenge.kind != Kind.PRIZE:
        errors["pot"] = _("Only a challenge-prize challenge has a prize.")
    if pot is None or not 0 < pot <= MONEY_MAX:
        errors["pot"] = _("Enter a prize pot of more than 0.")
    if closes_at is None:
        errors["closes_at"] = _("Enter when entries close.")
    cleaned = [(clean(name), amount, places) for name, amount, places in tiers]
    if problem := _tiers_problem(cleaned, pot if "pot" not in errors else None):
        errors["tiers"] = problem
    texts = [clean(q) for q in questions if clean(q)]
    if any(len(q) > 300 for q in texts):
        errors["questions"] = _("Keep each question under 300 characters.")
    if Prize.objects.filter(challenge=challenge).exists():
        errors["pot"] = _("This challenge already has a prize.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        prize = Prize.objects.create(
            challenge=challenge, pot=pot, closes_at=closes_at, currency=currency.upper()[:3]
        )
        PrizeTier.objects.bulk_create(
            PrizeTier(prize=prize, name=name[:120], amount=amount, places=places, position=i)
            for i, (name, amount, places) in enumerate(cleaned)
        )
        EligibilityQuestion.objects.bulk_create(
            EligibilityQuestion(prize=prize, text=text, position=i) for i, text in enumerate(texts)
        )
        audit_record(
            actor=actor,
            action="appraisal.prize_created",
            target=prize,
            organisation=challenge.organisation,
        )
    return prize


def _tiers_problem(tiers: Sequence[tuple[str, int, int]], pot: int | None) -> str:
    """What is wrong with a prize's tiers, as (name, award for each place, places), or ""."""
    if not tiers:
        return _("Add at least one tier, such as the winner.")
    for name, amount, places in tiers:
        if not name or amount is None or amount <= 0 or not places or places < 1:
            return _("Give every tier a name, an award of more than 0 and a place.")
        if len(name) > 120 or amount > MONEY_MAX or places > 100:
            return _("Keep tier names under 120 characters and places to 100 at most.")
    if len({name.casefold() for name, _a, _p in tiers}) != len(tiers):
        return _("Give every tier a different name.")
    if pot is not None and sum(amount * places for _n, amount, places in tiers) > pot:
        return _("The tiers add up to more than the pot.")
    return ""


def judging_begun(prize: Prize) -> str:
    """Why the prize's tiers are fixed (judging has begun), or "" while they can change.

    Judging begins when the challenge's judging phase opens, when an assessor scores an entry
    or when an award is made, whichever comes first.
    """
    window = review_window(prize.challenge)
    if window is not None and window.starts_at <= timezone.now():
        return _("Judging began on %(date)s, so the tiers can no longer change.") % {
            "date": date_format(timezone.localtime(window.starts_at), "j F Y")
        }
    challenge_id = prize.challenge_id
    if Assignment.objects.filter(
        panel__challenge_id=challenge_id, submitted_at__isnull=False
    ).exists():
        return _("Assessors have started scoring, so the tiers can no longer change.")
    if Decision.objects.filter(panel__challenge_id=challenge_id, tier__isnull=False).exists():
        return _("Awards have been made, so the tiers can no longer change.")
    return ""


def prize_tiers_change(
    *, actor: Any, prize: Prize, tiers: Sequence[tuple[int | None, str, int, int]]
) -> Prize:
    """Replace the prize's tiers until judging begins: ``tiers`` as (id of a tier to keep and
    change, or None for a new one; name; award for each place; places), in order. A tier
    left out is removed. They may not add up to more than the pot."""
    require_runner(actor, prize.challenge)
    if why := judging_begun(prize):
        raise ValidationError({"tiers": why})
    existing = {tier.pk: tier for tier in prize.tiers.all()}
    cleaned = [(tier_id, clean(name), amount, places) for tier_id, name, amount, places in tiers]
    errors: dict[str, str] = {}
    if problem := _tiers_problem([(n, a, p) for _i, n, a, p in cleaned], prize.pot):
        errors["tiers"] = problem
    kept = [tier_id for tier_id, *_rest in cleaned if tier_id is not None]
    if any(tier_id not in existing for tier_id in kept) or len(set(kept)) != len(kept):
        errors["tiers"] = _("Change only this prize's own tiers, each once.")
    if errors:
        raise ValidationError(errors)
    before = [(t.name, t.amount, t.places) for t in existing.values()]
    with transaction.atomic():
        # Lock the prize so two people changing its tiers at once take turns.
        Prize.objects.select_for_update().filter(pk=prize.pk).first()
        if why := judging_begun(prize):
            raise ValidationError({"tiers": why})
        prize.tiers.exclude(pk__in=kept).delete()
        # Kept tiers may swap names: free every name first, as each name is unique.
        for kept_id in kept:
            PrizeTier.objects.filter(pk=kept_id).update(name=f"(renaming {kept_id})")
        for position, (tier_id, name, amount, places) in enumerate(cleaned):
            if tier_id is None:
                PrizeTier.objects.create(
                    prize=prize, name=name, amount=amount, places=places, position=position
                )
            else:
                PrizeTier.objects.filter(pk=tier_id).update(
                    name=name, amount=amount, places=places, position=position
                )
        audit_record(
            actor=actor,
            action="appraisal.prize_tiers_changed",
            target=prize,
            organisation=prize.challenge.organisation,
            data={
                "before": [list(t) for t in before],
                "after": [[n, a, p] for _i, n, a, p in cleaned],
            },
        )
    return Prize.objects.prefetch_related("tiers", "questions").get(pk=prize.pk)


def eligibility_answer(*, actor: Any, prize: Prize, idea: Any, answers: Mapping[int, bool]) -> None:
    """The entrant answers every eligibility question for their idea."""
    require_author(actor, idea)
    if idea.challenge_id != prize.challenge_id:
        raise ValidationError(_("Choose an entry to this prize."))
    questions = list(prize.questions.all())
    missing = [q for q in questions if q.pk not in answers]
    if missing:
        raise ValidationError({"answers": _("Answer every question.")})
    with transaction.atomic():
        for question in questions:
            EligibilityAnswer.objects.update_or_create(
                question=question, idea=idea, defaults={"answer": bool(answers[question.pk])}
            )
        audit_record(
            actor=actor,
            action="appraisal.eligibility_answered",
            target=idea,
            organisation=prize.challenge.organisation,
        )


def why_not_eligible(prize: Prize, idea: Any) -> str:
    """Return why ``idea`` cannot win ``prize``, or "" if it can."""
    questions = list(prize.questions.all())
    if not questions:
        return ""
    answers = dict(
        EligibilityAnswer.objects.filter(question__prize=prize, idea=idea).values_list(
            "question_id", "answer"
        )
    )
    for question in questions:
        if question.pk not in answers:
            return _("The entrant has not answered the eligibility questions.")
        if answers[question.pk] != question.required_answer:
            return _("The entry is not eligible: %(question)s") % {"question": question.text}
    return ""
