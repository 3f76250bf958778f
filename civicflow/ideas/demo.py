"""Demo ideas for the demo network: supported, decided on, co-written, edited and merged.

Everything goes through the services, so the audit log and notifications fill as in real use.
Loading twice changes nothing: each step looks for what it would make first. It puts ideas in
Northbridge City Council's open call for ideas (making a small one if the challenges demo has
not), and in Northbridge Hospitals' staff call if that is open for ideas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from civicflow.accounts.models import Organisation, User
from civicflow.challenges import services as challenges
from civicflow.challenges.models import Challenge, Status
from civicflow.challenges.permissions import open_actions
from civicflow.challenges.phases import Action, PhaseDates
from civicflow.ideas import services
from civicflow.ideas.models import CoAuthor, Idea, IdeaStatus, Support

COUNCIL = "northbridge-council"
HOSPITALS = "northbridge-hospitals"
FALLBACK_TITLE = "Cleaner streets after collection day"


@dataclass(frozen=True)
class DemoIdea:
    author: str
    title: str
    summary: str
    description: str
    innovation_type: str
    scale: str
    benefits: tuple[str, ...]
    affected: str
    supporters: tuple[str, ...] = ()
    status: str = ""
    feedback: str = ""
    coauthor: str = ""
    edit: dict[str, Any] = field(default_factory=dict)


COUNCIL_IDEAS = [
    DemoIdea(
        author="resident@demo.example",
        title="Text residents the evening before bin day",
        summary="A free text reminder the evening before each collection, for anyone who signs up.",
        description=(
            "Many missed collections are bins that were not out in time. A reminder the evening "
            "before, sent only to people who ask for it, would help.\n\n"
            "The council already holds each street's round; the text could also say which bins "
            "go out that week."
        ),
        innovation_type="communication",
        scale="continuous",
        benefits=("saves_money", "improves_communication"),
        affected="Households on every round, especially those with alternate-week collections.",
        supporters=(
            "staff@northbridge-council.example",
            "assessor@northbridge-council.example",
            "decider@northbridge-council.example",
            "resident2@demo.example",
        ),
        status=IdeaStatus.SHORTLISTED,
        feedback=(
            "Shortlisted: cheap to try on two rounds first. We will check the cost of texts "
            "with the contact centre before the panel meets."
        ),
    ),
    DemoIdea(
        author="resident2@demo.example",
        title="Bin day reminders by text message",
        summary="Send a text the night before collection so people remember to put bins out.",
        description="A text message the night before collection day, for residents who want one.",
        innovation_type="communication",
        scale="continuous",
        benefits=("improves_communication",),
        affected="Residents.",
        supporters=("admin@northbridge-council.example", "staff@northbridge-council.example"),
    ),
    DemoIdea(
        author="staff@northbridge-council.example",
        title="Crews photograph blocked streets",
        summary="When parked cars block a lorry, the crew takes a photo so the street is not "
        "marked as a missed collection by the crew's fault.",
        description=(
            "Crews already carry tablets. A photo with the time and place would show why a "
            "street was missed, and would tell us which streets need parking enforcement on "
            "collection day."
        ),
        innovation_type="process",
        scale="continuous",
        benefits=("improves_quality", "staff_satisfaction"),
        affected="Collection crews, the contact centre and residents of narrow streets.",
        supporters=("resident@demo.example", "resident2@demo.example"),
        status=IdeaStatus.UNDER_REVIEW,
        feedback="The waste team is checking whether the tablets can attach photos to rounds.",
        coauthor="assessor@northbridge-council.example",
        edit={
            "summary": "When parked cars block a lorry, the crew takes a photo, so we know why "
            "the street was missed and where parking enforcement would help."
        },
    ),
    DemoIdea(
        author="decider@northbridge-council.example",
        title="Shared bin stores for blocks of flats",
        summary="Replace individual bins at small blocks of flats with one shared, locked store.",
        description="Shared stores take fewer lifts and keep pavements clear.",
        innovation_type="service",
        scale="disruptive",
        benefits=("saves_money", "other"),
        affected="Residents of blocks of flats and their landlords.",
        supporters=("resident@demo.example",),
        status=IdeaStatus.NOT_SELECTED,
        feedback=(
            "Not selected for this round: most blocks need the landlord's agreement, which "
            "would take longer than the challenge runs. We have passed it to the housing team."
        ),
    ),
    DemoIdea(
        author="assessor@northbridge-council.example",
        title="Let crews redesign their own rounds",
        summary="Crews know where time is lost. Give them a day a quarter to redesign rounds.",
        description="A quarterly workshop where each crew proposes changes to its own round.",
        innovation_type="organisational",
        scale="disruptive",
        benefits=("staff_satisfaction", "improves_quality"),
        affected="Collection crews and their supervisors.",
    ),
]

HOSPITAL_IDEAS = [
    DemoIdea(
        author="staff@northbridge-hospitals.example",
        title="Start discharge letters the day before",
        summary="Draft the discharge letter the day before a planned discharge.",
        description="Waiting for the letter holds up many discharges after noon.",
        innovation_type="process",
        scale="continuous",
        benefits=("improves_quality", "saves_money"),
        affected="Patients going home and ward staff.",
        supporters=(
            "assessor@northbridge-hospitals.example",
            "decider@northbridge-hospitals.example",
        ),
    ),
]

DUPLICATE = ("Bin day reminders by text message", "Text residents the evening before bin day")
MERGE_REASON = "Both ask for a text reminder the evening before collection day."


def _person(email: str) -> User:
    return User.objects.get(email=email)


def _open_for_ideas(organisation: Organisation, kind: str) -> Challenge | None:
    """Return the first published challenge of ``kind`` that takes ideas and support now."""
    wanted = {Action.SUBMIT, Action.SUPPORT}
    candidates = (
        Challenge.objects.filter(organisation=organisation, kind=kind, status=Status.PUBLISHED)
        .select_related("organisation")
        .prefetch_related("phases")
        .order_by("created_at", "pk")
    )
    return next((c for c in candidates if wanted <= open_actions(c)), None)


def _council_challenge(organisation: Organisation) -> Challenge:
    """Return an open call of the council's open for ideas, making a small one if none is."""
    found = _open_for_ideas(organisation, "open_call")
    if found is not None:
        return found
    lead = _person(f"lead@{COUNCIL}.example")
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    challenge = challenges.challenge_create(
        actor=lead,
        organisation=organisation,
        kind="open_call",
        phases=[
            PhaseDates("define", today - timedelta(days=30), today - timedelta(days=10)),
            PhaseDates("develop", today - timedelta(days=10), today + timedelta(days=50)),
        ],
        title=FALLBACK_TITLE,
        summary="How can we keep streets clean after the bins have been collected?",
        problem="Litter from split bags and overflowing bins is the top complaint after "
        "collections.",
        driver="residents_concern",
        audience="both",
    )
    challenges.challenge_move(actor=lead, challenge=challenge, to="published")
    return Challenge.objects.prefetch_related("phases").get(pk=challenge.pk)


def _idea(challenge: Challenge, spec: DemoIdea) -> Idea:
    existing = Idea.objects.filter(challenge=challenge, title=spec.title).first()
    if existing is not None:
        return existing
    return services.idea_submit(
        author=_person(spec.author),
        challenge=challenge,
        title=spec.title,
        summary=spec.summary,
        description=spec.description,
        innovation_type=spec.innovation_type,
        scale=spec.scale,
        benefits=spec.benefits,
        affected=spec.affected,
    )


def _complete(idea: Idea, spec: DemoIdea, lead: User) -> None:
    """Add what ``spec`` says the idea has: co-author, edit, supports and decision."""
    if idea.status == IdeaStatus.MERGED:
        return  # its supports and co-authors live on in the idea it was merged into
    if spec.coauthor and not CoAuthor.objects.filter(idea=idea).exists():
        author = _person(spec.author)
        services.coauthor_invite(actor=author, idea=idea, email=spec.coauthor)
        services.coauthor_accept(user=_person(spec.coauthor), idea=idea)
    if spec.edit and idea.version == 1:
        idea = services.idea_update(actor=_person(spec.author), idea=idea, **spec.edit)
    for email in spec.supporters:
        supporter = _person(email)
        if not Support.objects.filter(idea=idea, user=supporter).exists():
            services.idea_support(user=supporter, idea=idea)
    if spec.status and idea.status != spec.status:
        services.idea_set_status(actor=lead, idea=idea, status=spec.status, feedback=spec.feedback)


def _load(challenge: Challenge, specs: list[DemoIdea], lead: User) -> dict[str, Idea]:
    ideas = {}
    for spec in specs:
        idea = _idea(challenge, spec)
        idea.challenge = challenge  # with its phases, read once
        _complete(idea, spec, lead)
        ideas[spec.title] = Idea.objects.select_related("challenge", "organisation").get(pk=idea.pk)
    return ideas


@transaction.atomic
def load_demo() -> None:
    """Add the demo ideas to the demo network (made by ``civicflow.demo.network``)."""
    council = Organisation.objects.get(slug=COUNCIL)
    council_lead = _person(f"lead@{COUNCIL}.example")
    ideas = _load(_council_challenge(council), COUNCIL_IDEAS, council_lead)
    duplicate, keeper = (ideas[title] for title in DUPLICATE)
    if duplicate.status != IdeaStatus.MERGED:
        services.idea_merge(
            actor=council_lead, source=duplicate, target=keeper, reason=MERGE_REASON
        )
    hospitals = Organisation.objects.filter(slug=HOSPITALS).first()
    ward_call = _open_for_ideas(hospitals, "open_call") if hospitals else None
    if ward_call is not None:
        _load(ward_call, HOSPITAL_IDEAS, _person(f"lead@{HOSPITALS}.example"))
