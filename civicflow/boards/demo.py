"""Demo improvement boards for the demo network (``civicflow.demo.network``).

The hospital trust's older people's ward keeps a full board, with cards in every column, and
its emergency department has a couple of cards. Everything is made through the services, so
the audit log and notifications fill as real use would fill them. Loading is deterministic and
safe to repeat: a card already on its board is left alone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from civicflow.accounts.models import Organisation, Team, User
from civicflow.boards import services
from civicflow.boards.models import BoardLead, Card, Status

HOSPITALS = "northbridge-hospitals"
DOMAIN = "northbridge-hospitals.example"
WARD = "Ward 7 (older people)"
EMERGENCY = "Emergency department"

# Who does what, by the local part of their demo email address: staff raise most cards; the
# ward manager (the trust's administrator in the demo) leads the ward's board; the innovation
# lead leads every board.
WARD_CARDS: list[dict[str, Any]] = [
    {
        "title": "Move the nurses’ desks into the bays",
        "problem": (
            "Nurses write up notes at the central station, out of sight of the bays. Older "
            "patients at risk of falling get up on their own while nobody can see them."
        ),
        "change": (
            "Put a small desk in each bay so that whoever is writing notes can still see the "
            "patients."
        ),
        "raised_by": "staff",
        "approved": True,
        "status": Status.ADOPTED,
        "effect": {
            "before": "10",
            "after": "2",
            "unit": "falls per month",
            "measured_on": date(2025, 3, 31),
            "note": (
                "Falls recorded on the ward in the three months before the desks moved "
                "(30 falls) against the three months after (6 falls): an 80% drop."
            ),
        },
    },
    {
        "title": "Start discharge checklists the day before",
        "problem": (
            "Patients going home wait most of the day for their discharge paperwork, and "
            "their beds stay full."
        ),
        "change": "Start the discharge checklist the afternoon before a planned discharge.",
        "raised_by": "admin",
        "approved": False,
        "status": Status.ADOPTED,
        "effect": {
            "before": "4.5",
            "after": "2.5",
            "unit": "hours from decision to leaving the ward",
            "measured_on": date(2025, 5, 31),
            "note": "Average over the month before and the month after the change.",
        },
    },
    {
        "title": "Water jugs within reach at mealtimes",
        "problem": "Jugs are left on the far side of the table after meals are cleared.",
        "change": "The housekeeper checks every jug is within reach at 12:00 and 17:00.",
        "raised_by": "staff",
        "approved": True,
        "status": Status.TRYING,
    },
    {
        "title": "Ten-minute standing handover",
        "problem": "Handover between shifts runs 20 minutes over most days.",
        "change": "Hold a standing handover at the ward board, ten minutes at most.",
        "raised_by": "admin",
        "approved": False,
        "status": Status.TRYING,
        "effect": {
            "before": "35",
            "after": "18",
            "unit": "minutes per handover",
            "measured_on": date(2025, 6, 15),
            "note": "Two weeks of timings so far; the trial runs for another month.",
        },
    },
    {
        "title": "Call bells left out of reach",
        "problem": "After bed baths the call bell is often left on the locker.",
        "change": "Add ‘call bell in reach’ to the bed-bath checklist.",
        "raised_by": "staff",
        "approved": False,
        "status": Status.NEW,
    },
    {
        "title": "Keep the spare slings in one place",
        "problem": "Night staff lose time looking for a sling to hoist a patient.",
        "change": "One labelled cupboard for slings, next to bay C.",
        "raised_by": "staff",
        "approved": True,
        "status": Status.NEW,
    },
    {
        "title": "Glasses go missing on transfer",
        "problem": "Patients’ glasses are lost when they move between wards.",
        "change": "A labelled glasses case that travels with the patient.",
        "raised_by": "admin",
        "approved": False,
        "status": Status.NEW,
    },
    {
        "title": "Map of the bays at the ward entrance",
        "problem": "Visitors queue at the nurses’ station to ask where their relative is.",
        "change": "Put a map of the bays by the entrance.",
        "raised_by": "staff",
        "approved": True,
        "status": Status.DROPPED,
        "reason": "Visitors still asked: bed moves made the map wrong within a day.",
    },
    {
        "title": "Quiet mode on infusion pumps at night",
        "problem": "Pump alarms wake the whole bay several times a night.",
        "change": "Switch pumps to quiet mode between 23:00 and 06:00.",
        "raised_by": "staff",
        "approved": False,
        "status": Status.DROPPED,
        "reason": "The medical devices policy does not allow it; raised with the trust instead.",
    },
]

EMERGENCY_CARDS: list[dict[str, Any]] = [
    {
        "title": "Triage notes straight onto tablets",
        "problem": "Triage notes are written on paper and typed up again later.",
        "change": "Record triage on a tablet at the front desk.",
        "raised_by": "lead",
        "approved": True,
        "status": Status.TRYING,
    },
    {
        "title": "Signs to the minor injuries queue",
        "problem": "Walk-in patients with minor injuries join the main queue by mistake.",
        "change": "Floor signs from the entrance to the minor injuries desk.",
        "raised_by": "staff",
        "approved": False,
        "status": Status.NEW,
    },
]


def _person(local: str) -> User:
    return User.objects.get(email=f"{local}@{DOMAIN}")


def _put_card(team: Team, spec: dict[str, Any], lead: User) -> None:
    """Raise the card in ``spec`` on ``team``'s board and take it to its column."""
    if Card.objects.filter(board__team=team, title=spec["title"]).exists():
        return
    card = services.card_raise(
        actor=_person(spec["raised_by"]),
        team=team,
        title=spec["title"],
        problem=spec["problem"],
        change=spec["change"],
    )
    if spec["approved"]:
        services.card_approve(actor=lead, card=card)
    if spec["status"] == Status.NEW:
        return
    services.card_move(actor=lead, card=card, status=Status.TRYING)
    if "effect" in spec:
        services.card_record_effect(
            actor=lead, card=card, adopt=spec["status"] == Status.ADOPTED, **spec["effect"]
        )
    if spec["status"] == Status.DROPPED:
        services.card_move(actor=lead, card=card, status=Status.DROPPED, reason=spec["reason"])


@transaction.atomic
def load_demo() -> None:
    """Fill the demo hospital trust's boards. Needs the demo network; safe to run twice."""
    organisation = Organisation.objects.filter(slug=HOSPITALS).first()
    if organisation is None:
        raise LookupError("Load the demo network first: the hospital trust is missing.")
    ward = Team.objects.get(organisation=organisation, name=WARD)
    emergency = Team.objects.get(organisation=organisation, name=EMERGENCY)
    innovation_lead = _person("lead")
    ward_manager = _person("admin")
    if not BoardLead.objects.filter(board__team=ward, user=ward_manager).exists():
        services.board_lead_add(
            actor=innovation_lead,
            team=ward,
            user=ward_manager,
            reason="Ward manager, who runs the weekly board huddle",
        )
    for spec in WARD_CARDS:
        _put_card(ward, spec, lead=ward_manager)
    for spec in EMERGENCY_CARDS:
        _put_card(emergency, spec, lead=innovation_lead)
