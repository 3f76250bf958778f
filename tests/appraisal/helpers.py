"""Builders for appraisal tests: a round of any kind with ideas, a panel and scores."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from civicflow.appraisal import services
from civicflow.challenges import services as challenges
from civicflow.challenges.models import Challenge
from civicflow.challenges.phases import PhaseDates, phase_types
from civicflow.ideas import services as ideas

IDEA = {
    "summary": "A short summary.",
    "description": "What we would do, and for whom.",
    "innovation_type": "service",
    "scale": "continuous",
    "benefits": ["improves_quality"],
}


def make_round(
    lead: Any, organisation: Any, *, kind: str = "prize", open_now: str = "develop", **fields: Any
) -> Challenge:
    """A published challenge of ``kind`` with its ``open_now`` phase open now (10 days each)."""
    keys = [p.key for p in phase_types(kind)]
    now = timezone.now()
    start = now - timedelta(days=5) - timedelta(days=10 * keys.index(open_now))
    phases = [
        PhaseDates(
            key,
            start + timedelta(days=10 * i),
            start + timedelta(days=10 * (i + 1)) if i < len(keys) - 1 else None,
        )
        for i, key in enumerate(keys)
    ]
    challenge = challenges.challenge_create(
        actor=lead,
        organisation=organisation,
        kind=kind,
        phases=phases,
        title=fields.pop("title", f"A {kind} round"),
        summary="Help us.",
        problem="A problem worth solving.",
        driver="demand",
        audience=fields.pop("audience", "both"),
        **fields,
    )
    challenges.challenge_move(actor=lead, challenge=challenge, to="published")
    return Challenge.objects.prefetch_related("phases").get(pk=challenge.pk)


def move_phase(challenge: Challenge, open_now: str) -> Challenge:
    """Shift the challenge's phase dates so that ``open_now`` is open now."""
    keys = [p.key for p in phase_types(challenge.kind)]
    now = timezone.now()
    start = now - timedelta(days=5) - timedelta(days=10 * keys.index(open_now))
    for i, key in enumerate(keys):
        challenge.phases.filter(key=key).update(
            starts_at=start + timedelta(days=10 * i),
            ends_at=start + timedelta(days=10 * (i + 1)) if i < len(keys) - 1 else None,
        )
    return Challenge.objects.prefetch_related("phases").get(pk=challenge.pk)


def submit_idea(author: Any, challenge: Challenge, title: str) -> Any:
    return ideas.idea_submit(author=author, challenge=challenge, title=title, **IDEA)


def panel_with_scores(
    lead: Any,
    challenge: Challenge,
    assessors: list[Any],
    entries: list[Any],
    *,
    k: int = 2,
    blind: bool = False,
    score: int = 3,
) -> Any:
    """Criteria (published), a panel of ``assessors``, allocation, and every review scored."""
    criteria = services.criteria_set_create(actor=lead, challenge=challenge)
    services.criteria_publish(actor=lead, criteria_set=criteria)
    panel = services.panel_create(
        actor=lead, challenge=challenge, reviews_per_submission=k, blind=blind
    )
    for assessor in assessors:
        services.panel_member_add(actor=lead, panel=panel, user=assessor)
    services.panel_allocate(actor=lead, panel=panel)
    keys = [c.key for c in criteria.criteria.all()]
    for assignment in panel.assignments.select_related("idea", "assessor"):
        services.conflict_declare(
            actor=assignment.assessor, panel=panel, idea=assignment.idea, has_conflict=False
        )
        value = (score + assignment.idea_id + assignment.assessor_id) % 5
        services.score_submit(
            actor=assignment.assessor,
            assignment=assignment,
            scores=dict.fromkeys(keys, value),
        )
    return panel
