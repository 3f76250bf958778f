"""Demo participatory budgets for the demo network (``civicflow.demo.network``).

Northbridge City Council shares out £1,000,000 between three districts. Each district has
projects and simulated residents in two groups of unequal size, so greedy (which funds the
larger group's favourites) and the Method of Equal Shares (which gives the smaller group its
share) choose differently; 450 ballots are written in bulk, as paper ballots would be, and
both results are published. A second, smaller budget for parks is open for voting, so demo
residents can vote. Loading twice changes nothing.
"""

from __future__ import annotations

import random

from civicflow.accounts.models import Organisation, User
from civicflow.budgets import services
from civicflow.budgets.models import Ballot, BallotKind, Budget, Phase

COUNCIL = "northbridge-council"
TITLE = "Northbridge city budget 2026"
PARKS = "Parks and play areas 2027"
SEED = 2026
BALLOTS_PER_DISTRICT = 150

DISTRICTS: dict[str, tuple[int, list[tuple[str, int, str]]]] = {
    "North": (
        400_000,
        [
            ("Resurface the Mill Lane cycle path", 180_000, "Transport"),
            ("Solar panels on North Library", 150_000, "Environment"),
            ("Youth club evening sessions", 60_000, "Community"),
            ("New benches along the canal", 40_000, "Public space"),
            ("Street trees on Station Road", 90_000, "Environment"),
            ("Free swimming lessons for children", 70_000, "Sport"),
        ],
    ),
    "Centre": (
        350_000,
        [
            ("Public toilets in the market square", 120_000, "Public space"),
            ("Safer crossing on High Street", 110_000, "Transport"),
            ("Community fridge and food hub", 50_000, "Community"),
            ("Outdoor gym in Victoria Park", 80_000, "Sport"),
            ("Murals by local artists", 30_000, "Culture"),
        ],
    ),
    "South": (
        250_000,
        [
            ("Repair the South Road playground", 90_000, "Play"),
            ("Lighting on the riverside path", 100_000, "Safety"),
            ("Allotments on Brook Field", 60_000, "Environment"),
            ("Wi-Fi in the community centre", 25_000, "Community"),
            ("Bus shelter seats", 35_000, "Transport"),
        ],
    ),
}

PARK_PROJECTS = (
    ("Accessible swings in Victoria Park", 40_000),
    ("Splash pad at Brook Field", 70_000),
    ("Wildflower meadow in North Park", 20_000),
    ("Skate park repairs", 50_000),
)


def load_demo() -> None:
    """Create the demo budgets, unless they are there already."""
    organisation = Organisation.objects.filter(slug=COUNCIL).first()
    if (
        organisation is None
        or Budget.objects.filter(organisation=organisation, title=TITLE).exists()
    ):
        return
    lead = User.objects.get(email=f"lead@{COUNCIL}.example")
    budget = services.budget_create(
        actor=lead,
        organisation=organisation,
        title=TITLE,
        description=(
            "Residents decide how to spend £1,000,000 in their district. Choose the projects "
            "you want in your district, up to its budget."
        ),
        total=sum(amount for amount, _projects in DISTRICTS.values()),
        ballot_kind=BallotKind.APPROVAL_BUDGET,
        areas={name: amount for name, (amount, _projects) in DISTRICTS.items()},
    )
    areas = {area.name: area for area in budget.areas.all()}
    for name, (_amount, projects) in DISTRICTS.items():
        for title, cost, category in projects:
            services.project_add(
                actor=lead,
                budget=budget,
                title=title,
                cost=cost,
                category=category,
                area=areas[name],
                location=f"{name} district",
            )
    services.budget_move_phase(actor=lead, budget=budget, phase=Phase.VOTING)
    _simulate_ballots(budget)
    services.results_publish(actor=lead, budget=budget, completion="add1")

    parks = services.budget_create(
        actor=lead,
        organisation=organisation,
        title=PARKS,
        description="Choose the park projects you want, up to £100,000 in all.",
        total=100_000,
        ballot_kind=BallotKind.APPROVAL_BUDGET,
    )
    for title, cost in PARK_PROJECTS:
        services.project_add(actor=lead, budget=parks, title=title, cost=cost)
    services.budget_move_phase(actor=lead, budget=parks, phase=Phase.VOTING)


def _simulate_ballots(budget: Budget) -> None:
    """Two groups per district: 60 % like the first half of the projects, 40 % the rest."""
    rng = random.Random(SEED)  # noqa: S311 (repeatable demo data, not secrets)
    ballots = []
    number = 0
    for area in budget.areas.all():
        projects = list(budget.projects.filter(area=area).order_by("id"))
        half = len(projects) // 2
        for voter in range(BALLOTS_PER_DISTRICT):
            liked = projects[:half] if voter < BALLOTS_PER_DISTRICT * 6 // 10 else projects[half:]
            chosen = [p for p in liked if rng.random() < 0.8] or [liked[0]]
            if rng.random() < 0.2:
                chosen.append(rng.choice(projects))
            picked: dict[str, int] = {}
            spent = 0
            for project in chosen:
                if str(project.pk) not in picked and spent + project.cost <= area.amount:
                    picked[str(project.pk)] = 1
                    spent += project.cost
            number += 1
            ballots.append(
                Ballot(budget=budget, area=area, reference=f"demo-{number}", choices=picked)
            )
    Ballot.objects.bulk_create(ballots)
