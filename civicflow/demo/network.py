"""The demo network: four public bodies, named people in every role, and their teams.

Everything is made through the services, so the demo also fills the audit log the way real
use would. Loading is deterministic: the same names, emails and roles every time. Each later
capability adds its own demo data in a function called from ``demo_load``.
"""

from __future__ import annotations

import functools
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction

from civicflow.accounts import services as accounts
from civicflow.accounts.models import Organisation, OrganisationKind, Role, User

DEMO_PASSWORD = "civicflow-demo"

ORGANISATIONS: list[dict[str, Any]] = [
    {
        "slug": "northbridge-council",
        "name": "Northbridge City Council",
        "kind": OrganisationKind.COUNCIL,
        "description": (
            "A unitary city council serving 260,000 residents. Its staff and community "
            "innovation programme asks residents and frontline staff to help with strategic "
            "and day-to-day challenges."
        ),
        "website": "https://www.example.org/northbridge-council",
        "domain": "northbridge-council.example",
        "teams": ["Adult social care", "Waste and recycling", "Customer services"],
    },
    {
        "slug": "northbridge-hospitals",
        "name": "Northbridge Hospitals NHS Foundation Trust",
        "kind": OrganisationKind.NHS_TRUST,
        "description": (
            "An acute hospital trust running two hospitals. Ward teams use continuous "
            "improvement boards to test small changes with patients and staff."
        ),
        "website": "https://www.example.org/northbridge-hospitals",
        "domain": "northbridge-hospitals.example",
        "teams": ["Ward 7 (older people)", "Emergency department", "Outpatients"],
    },
    {
        "slug": "northshire-pcc",
        "name": "Office of the Police and Crime Commissioner for Northshire",
        "kind": OrganisationKind.POLICE,
        "description": (
            "The commissioner's office sets the police and crime plan for Northshire and "
            "funds community safety projects with partners."
        ),
        "website": "https://www.example.org/northshire-pcc",
        "domain": "northshire-pcc.example",
        "teams": ["Victims' services", "Community safety fund"],
    },
    {
        "slug": "riverside-learning",
        "name": "Riverside Learning Trust",
        "kind": OrganisationKind.SCHOOL_TRUST,
        "description": (
            "A multi-academy trust of nine primary and secondary schools that shares "
            "improvements in teaching and back-office work across its schools."
        ),
        "website": "https://www.example.org/riverside-learning",
        "domain": "riverside-learning.example",
        "teams": ["Primary schools", "Trust operations"],
    },
]

# One person for each role in each organisation: (local part, name, roles beside staff).
PEOPLE: list[tuple[str, str, list[str], str]] = [
    ("admin", "Alex Admin", [Role.ADMIN], "organisation administrator"),
    ("lead", "Lee Lead", [Role.INNOVATION_LEAD], "innovation lead"),
    ("assessor", "Asha Assessor", [Role.ASSESSOR], "assessor"),
    ("decider", "Dee Decider", [Role.DECISION_MAKER], "decision maker"),
    ("staff", "Sam Staff", [], "staff member"),
]
FIRST_NAMES = {
    "northbridge-council": ("Priya", "Tom", "Grace", "Martin", "Ola"),
    "northbridge-hospitals": ("Nadia", "Owen", "Ruth", "Imran", "Beth"),
    "northshire-pcc": ("Carl", "Fatima", "Hugh", "Jess", "Kemi"),
    "riverside-learning": ("Lucy", "Dev", "Marta", "Neil", "Zara"),
}
SURNAMES = ("Patel", "Hughes", "Okafor", "Reid", "Shaw")

RESIDENTS: list[tuple[str, str]] = [
    ("resident@demo.example", "Rosa Resident"),
    ("resident2@demo.example", "Ray Resident"),
]
INSTANCE_ADMIN = ("instance-admin@demo.example", "Ingrid Instance-Admin")


def demo_sign_ins() -> list[dict[str, str]]:
    """Return every demo sign-in: email, password and what the person can do."""
    rows = [
        {
            "email": INSTANCE_ADMIN[0],
            "password": DEMO_PASSWORD,
            "description": "instance administrator (Django admin at /admin/)",
        }
    ]
    for organisation in ORGANISATIONS:
        for local, _name, _roles, label in PEOPLE:
            rows.append(
                {
                    "email": f"{local}@{organisation['domain']}",
                    "password": DEMO_PASSWORD,
                    "description": f"{label}, {organisation['name']}",
                }
            )
    for email, _name in RESIDENTS:
        rows.append(
            {
                "email": email,
                "password": DEMO_PASSWORD,
                "description": "member of the public (no organisation)",
            }
        )
    return rows


@functools.cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def _person(email: str, name: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        # Hash the shared demo password once: a strong hash takes a noticeable time.
        user = User(email=email, name=name, is_staff=superuser, is_superuser=superuser)
        user.password = _demo_password_hash()
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _organisation(spec: dict[str, Any], actor: User) -> Organisation:
    existing = Organisation.objects.filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    return accounts.organisation_create(
        actor=actor,
        name=spec["name"],
        kind=spec["kind"],
        description=spec["description"],
        website=spec["website"],
        slug=spec["slug"],
    )


def demo_load() -> None:
    """Create (or complete) the demo network and every capability's demo data. Safe to run
    twice."""
    from civicflow.appraisal.demo import load_demo as load_appraisal
    from civicflow.boards.demo import load_demo as load_boards
    from civicflow.budgets.demo import load_demo as load_budgets
    from civicflow.challenges.demo import load_demo as load_challenges
    from civicflow.ideas.demo import load_demo as load_ideas
    from civicflow.initiatives.demo import load_award_demo as load_initiatives_from_awards
    from civicflow.initiatives.demo import load_demo as load_initiatives
    from civicflow.library.demo import load_demo as load_library
    from civicflow.opinions.demo import load_demo as load_opinions
    from civicflow.outcomes.demo import load_demo as load_outcomes
    from civicflow.search.services import reindex_all
    from civicflow.similarity.demo import load_demo as load_similarity
    from civicflow.similarity.demo_themes import load_demo as load_themes

    with transaction.atomic():
        _load_network()
    for load in (
        load_challenges,
        load_ideas,
        load_boards,
        load_opinions,
        load_budgets,
        load_initiatives,
        load_outcomes,
        load_appraisal,
        load_initiatives_from_awards,
        load_library,
        load_themes,
        load_similarity,  # last: it embeds everything the others made
    ):
        with transaction.atomic():
            load()
    reindex_all()


def _load_network() -> None:
    admin = _person(*INSTANCE_ADMIN, superuser=True)
    for email, name in RESIDENTS:
        _person(email, name)
    for spec in ORGANISATIONS:
        organisation = _organisation(spec, admin)
        firsts = FIRST_NAMES[spec["slug"]]
        people = []
        for index, (local, _label_name, roles, _label) in enumerate(PEOPLE):
            person = _person(f"{local}@{spec['domain']}", f"{firsts[index]} {SURNAMES[index]}")
            accounts.member_set_roles(
                actor=admin,
                organisation=organisation,
                user=person,
                roles=roles,
                reason="Demo network set-up",
            )
            people.append(person)
        for index, team_name in enumerate(spec["teams"]):
            team = organisation.teams.filter(name=team_name).first() or accounts.team_create(
                actor=people[0], organisation=organisation, name=team_name
            )
            accounts.team_add_member(actor=people[0], team=team, user=people[4])
            accounts.team_add_member(actor=people[0], team=team, user=people[index % 4])
