"""Builders for the initiatives app's tests: a selected idea, and initiatives at each stage."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from civicflow.challenges import services as challenges
from civicflow.challenges.phases import PhaseDates
from civicflow.ideas import services as ideas
from civicflow.ideas.models import IdeaStatus
from civicflow.initiatives import services
from civicflow.initiatives.models import STAGE_ORDER, Decision, Initiative


def selected_idea(lead: Any, organisation: Any, *, title: str = "Text people before bin day"):
    """A published open call with one idea, selected by ``lead`` (an innovation lead)."""
    now = timezone.now()
    start = now - timedelta(days=25)
    keys = ["discover", "define", "develop", "deliver"]
    phases = [
        PhaseDates(
            key,
            start + timedelta(days=10 * index),
            start + timedelta(days=10 * (index + 1)) if key != "deliver" else None,
        )
        for index, key in enumerate(keys)
    ]
    challenge = challenges.challenge_create(
        actor=lead,
        organisation=organisation,
        kind="open_call",
        phases=phases,
        title=f"Fewer missed bins ({title})",
        summary="Help us miss fewer bins.",
        problem="Too many bins are missed each week.",
        driver="cost_pressure",
        audience="both",
    )
    challenges.challenge_move(actor=lead, challenge=challenge, to="published")
    idea = ideas.idea_submit(
        author=lead,
        challenge=challenge,
        title=title,
        summary="A text message the evening before collection.",
        description="Residents who sign up get a reminder the evening before.",
        innovation_type="communication",
        scale="continuous",
        benefits=["saves_money"],
        affected="Residents",
    )
    ideas.idea_set_status(
        actor=lead, idea=idea, status=IdeaStatus.SELECTED, feedback="Selected for a pilot."
    )
    idea.refresh_from_db()
    return idea


def initiative_at(
    *,
    lead: Any,
    decider: Any,
    owner: Any,
    organisation: Any,
    stage: str = "test",
    title: str = "Bin day texts",
    **fields: Any,
) -> Initiative:
    """Start an initiative owned by ``owner`` and take it to ``stage`` with go decisions."""
    initiative = services.initiative_start(
        actor=lead, organisation=organisation, title=title, business_owner=owner, **fields
    )
    for _step in range(STAGE_ORDER.index(stage)):
        services.gate_decide(
            actor=decider,
            initiative=initiative,
            decision=Decision.GO,
            reason="The evidence so far supports going on.",
        )
    initiative.refresh_from_db()
    return initiative
