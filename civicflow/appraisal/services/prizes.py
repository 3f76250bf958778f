"""Challenge prizes: the pot, its tiers and eligibility questions; entrants' answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicflow.appraisal.models import EligibilityAnswer, EligibilityQuestion, Prize, PrizeTier
from civicflow.appraisal.services.base import clean, require_author, require_runner
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
    if not cleaned:
        errors["tiers"] = _("Add at least one tier, such as the winner.")
    for name, amount, places in cleaned:
        if not name or amount is None or amount <= 0 or not places or places < 1:
            errors["tiers"] = _("Give every tier a name, an award of more than 0 and a place.")
    if len({name for name, _a, _p in cleaned}) != len(cleaned):
        errors["tiers"] = _("Give every tier a different name.")
    if not errors and sum(amount * places for _n, amount, places in cleaned) > pot:
        errors["tiers"] = _("The tiers add up to more than the pot.")
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
