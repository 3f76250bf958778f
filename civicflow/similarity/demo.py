"""Demo data for similarity: ideas that say what another idea already says, and ideas that a
case study in the library already answers, so "has this been done already?", the duplicates
for moderators and the themes all have something to show. Then everything is embedded (with
TF-IDF when no model is installed), so the demo needs no worker for similarity.

Loading twice changes nothing: each idea is looked for by its title first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from civicflow.accounts.models import User
from civicflow.ideas import services as ideas
from civicflow.ideas.models import Idea

# The ideas demo's ideas whose challenges these join.
COUNCIL_ANCHOR = "Text residents the evening before bin day"
HOSPITAL_ANCHOR = "Start discharge letters the day before"


@dataclass(frozen=True)
class DemoIdea:
    anchor: str  # an idea in the challenge to join
    author: str
    title: str
    summary: str
    description: str
    innovation_type: str
    benefits: tuple[str, ...]
    affected: str


IDEAS = [
    # Near-duplicates of ideas already in the council's call.
    DemoIdea(
        anchor=COUNCIL_ANCHOR,
        author="lead@northbridge-council.example",
        title="Evening text reminders before collection day",
        summary="Residents who sign up get a text message the evening before their bins go out.",
        description=(
            "Missed collections are often bins put out too late. A text the night before, "
            "for anyone who asks for one, would remind people which bins go out."
        ),
        innovation_type="communication",
        benefits=("saves_money", "improves_communication"),
        affected="Households on every collection round.",
    ),
    DemoIdea(
        anchor=COUNCIL_ANCHOR,
        author="admin@northbridge-council.example",
        title="Crews report blocked streets with photos",
        summary="Collection crews take a photo when parked cars block a street, so it can be "
        "fixed before the next round.",
        description=(
            "Crews photograph blocked streets from the cab; the photos, with the time and "
            "place, go to parking enforcement and to the round's planner."
        ),
        innovation_type="process",
        benefits=("improves_quality",),
        affected="Collection crews and residents of narrow streets.",
    ),
    # Ideas the library's case studies already answer, in the hospitals' staff call.
    DemoIdea(
        anchor=HOSPITAL_ANCHOR,
        author="staff@northbridge-hospitals.example",
        title="Move the nurses' desks into the bays to prevent falls",
        summary="Nurses write their notes in the bays, where they can watch older patients who "
        "are likely to fall.",
        description=(
            "Older patients fall while nurses are at the central station doing paperwork. "
            "Desks in the bays would keep patients in sight. Staff could put ideas like this "
            "on a kaizen board on the ward."
        ),
        innovation_type="process",
        benefits=("improves_quality",),
        affected="Older patients on the wards and ward nurses.",
    ),
    DemoIdea(
        anchor=HOSPITAL_ANCHOR,
        author="assessor@northbridge-hospitals.example",
        title="Share night cover with the neighbouring hospitals",
        summary="One round-the-clock rota for specialist cover at night, shared between "
        "hospitals instead of each paying for its own.",
        description=(
            "Each of our hospitals pays for its own specialist cover at night and at weekends. "
            "Sharing round-the-clock services across hospitals would save money and keep "
            "every site covered."
        ),
        innovation_type="organisational",
        benefits=("saves_money", "improves_quality"),
        affected="Patients admitted at night and the doctors on call.",
    ),
]


def _submit(spec: DemoIdea) -> Idea | None:
    anchor = Idea.objects.filter(title=spec.anchor).select_related("challenge").first()
    author = User.objects.filter(email=spec.author).first()
    if anchor is None or author is None:
        return None  # the ideas demo did not make this challenge
    existing = Idea.objects.filter(challenge=anchor.challenge, title=spec.title).first()
    if existing is not None:
        return existing
    return ideas.idea_submit(
        author=author,
        challenge=anchor.challenge,
        title=spec.title,
        summary=spec.summary,
        description=spec.description,
        innovation_type=spec.innovation_type,
        scale="continuous",
        benefits=list(spec.benefits),
        affected=spec.affected,
    )


def load_demo() -> None:
    """Add the similarity demo ideas, then embed everything that has no current vector."""
    from civicflow.similarity.services import embed_all

    with transaction.atomic():
        for spec in IDEAS:
            _submit(spec)
        embed_all()
