"""Demo themes and duplicates: Northbridge City Council asks how to bring people back to its
high street, and the ideas fall into clear themes, with two pairs of near-duplicates for its
innovation lead to merge or dismiss.

Everything goes through the services. Loading twice changes nothing: each idea is looked for
by title first. The themes are computed at the end, at once, rather than by the queued task.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from civicflow.accounts.models import Organisation, User
from civicflow.challenges import services as challenges
from civicflow.challenges.models import Challenge
from civicflow.challenges.phases import PhaseDates
from civicflow.ideas import services as ideas
from civicflow.ideas.models import Idea

COUNCIL = "northbridge-council"
TITLE = "A high street people want to visit"
# People who visit Northbridge but write no other demo ideas, so no one of them goes past the
# hourly limit on new ideas when the other demo loaders run again.
AUTHORS = (
    "assessor@northshire-pcc.example",
    "decider@northshire-pcc.example",
    "staff@northshire-pcc.example",
    "assessor@riverside-learning.example",
    "decider@riverside-learning.example",
    "admin@riverside-learning.example",
)

# (title, summary, description, innovation type, benefit)
IDEAS: list[tuple[str, str, str, str, str]] = [
    # Seats and shelter at bus stops
    (
        "Benches at every bus stop",
        "Put a bench at each bus stop so older people can sit while they wait for the bus.",
        "Several bus stops in the town centre have no seat at all. Older residents tell us "
        "they stop taking the bus into town because standing at the bus stop is too much.",
        "service",
        "improves_quality",
    ),
    (
        "Seats at the bus stops",
        "A bench at every bus stop, so older people can sit while waiting for the bus.",
        "Older people find it hard to stand at the bus stops while they wait. A simple bench "
        "at each bus stop would let them sit down until the bus comes.",
        "service",
        "improves_quality",
    ),
    (
        "Bus shelters with live bus times",
        "Covered bus shelters at each bus stop that show when the next bus is coming.",
        "People wait at the bus stop in the rain without knowing when the bus will come. A "
        "bus shelter with a screen of live bus times would make the bus a real choice.",
        "service",
        "improves_communication",
    ),
    (
        "Meinciau wrth yr arosfannau bws",
        "Meinciau a chysgod wrth bob arhosfan bws i bobl hŷn sy'n aros am y bws.",
        "Mae pobl hŷn yn aros am amser hir wrth yr arosfannau bws heb le i eistedd.",
        "service",
        "improves_quality",
    ),
    # Empty shops
    (
        "Pop-up shops in empty shop units",
        "Let local makers use empty shop units rent free for a month at a time.",
        "Empty shop units make the town centre feel closed. Short free lets of empty shops to "
        "local makers would fill the empty shop windows and bring people in.",
        "process",
        "saves_money",
    ),
    (
        "Art in empty shop windows",
        "Local schools and artists fill the windows of empty shops with their work.",
        "Boarded-up empty shops make the street look abandoned. Art from schools and local "
        "artists in empty shop windows costs little and makes people stop and look.",
        "communication",
        "other",
    ),
    (
        "A register of empty shops for new businesses",
        "Publish which shop units are empty and who owns them, so new businesses can ask.",
        "New businesses cannot find out which empty shops are available. An open register of "
        "empty shop units and their landlords would help them move in.",
        "process",
        "improves_communication",
    ),
    # Cycling
    (
        "Secure cycle parking by the market",
        "Covered, lockable cycle parking so people can cycle into town and leave the bike.",
        "People who cycle into town on the new cycle lanes have nowhere safe to leave a bike. "
        "Secure cycle parking by the market would let them cycle in and shop.",
        "service",
        "improves_quality",
    ),
    (
        "Cycle hire docks in the town centre",
        "Cycle hire docks so people can cycle in from the estates on a hire bike.",
        "Cycle hire docks in the town centre, linked to the estates by the new cycle lanes, "
        "would make it easy to cycle into town for people without a bike of their own.",
        "service",
        "improves_quality",
    ),
    (
        "Cargo bike deliveries for shops",
        "Shops share cargo bikes for local deliveries instead of vans.",
        "Delivery vans block the street all morning. Shared cargo bikes for local deliveries "
        "would free the street, and the cycle lanes, for people who cycle.",
        "organisational",
        "saves_money",
    ),
    # Public toilets
    (
        "Open the public toilets on Sundays",
        "Keep the market square public toilets open on Sundays and bank holidays.",
        "Families and older people cut their visits short because the public toilets are "
        "closed on Sundays. Opening the public toilets on Sundays would help them stay longer.",
        "service",
        "improves_quality",
    ),
    (
        "Public toilets open on Sundays",
        "The public toilets in the market square should open on Sundays too.",
        "The public toilets in the market square are closed every Sunday, so families and "
        "older people go home early. Please open the public toilets on Sundays.",
        "service",
        "improves_quality",
    ),
    (
        "A community toilet scheme with cafés",
        "Cafés open their toilets to the public, on Sundays too, for a small grant.",
        "There are too few public toilets, and they are closed on Sundays. A community toilet "
        "scheme pays cafés a small grant to open their toilets to the public every day.",
        "organisational",
        "saves_money",
    ),
]


def _person(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _challenge(council: Organisation, lead: User) -> Challenge:
    existing = Challenge.objects.filter(organisation=council, title=TITLE).first()
    if existing is not None:
        return Challenge.objects.prefetch_related("phases").get(pk=existing.pk)
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    challenge = challenges.challenge_create(
        actor=lead,
        organisation=council,
        kind="open_call",
        phases=[
            PhaseDates("define", today - timedelta(days=40), today - timedelta(days=20)),
            PhaseDates("develop", today - timedelta(days=20), today + timedelta(days=40)),
        ],
        title=TITLE,
        summary="What would bring you back to Northbridge high street?",
        problem="Footfall on the high street has fallen by a quarter in five years, and one "
        "shop in six stands empty.",
        driver="residents_concern",
        audience="both",
    )
    challenges.challenge_move(actor=lead, challenge=challenge, to="published")
    return Challenge.objects.prefetch_related("phases").get(pk=challenge.pk)


def load_demo() -> None:
    """Add the high street challenge, its ideas and their themes to the demo network."""
    from civicflow.similarity.services_themes import themes_compute

    council = Organisation.objects.filter(slug=COUNCIL).first()
    lead = _person(f"lead@{COUNCIL}.example")
    if council is None or lead is None:
        return
    authors = [person for person in map(_person, AUTHORS) if person is not None]
    with transaction.atomic():
        challenge = _challenge(council, lead)
        for number, (title, summary, description, kind, benefit) in enumerate(IDEAS):
            if Idea.objects.filter(challenge=challenge, title=title).exists():
                continue
            ideas.idea_submit(
                author=authors[number % len(authors)],
                challenge=challenge,
                title=title,
                summary=summary,
                description=description,
                innovation_type=kind,
                scale="continuous",
                benefits=[benefit],
                affected="People who live in, work in or visit Northbridge",
            )
    themes_compute(challenge=challenge)
