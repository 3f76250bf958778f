"""Demo challenges for the demo network: every kind, in all four organisations.

Phases are placed around today, so that whenever the demo is loaded some challenges are open
now, one is about to open and one has closed. Everything is made through the services, so the
audit log fills as it would in real use. Loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from civicflow.accounts.models import Organisation, User
from civicflow.challenges import services
from civicflow.challenges.models import Challenge, Status
from civicflow.challenges.phases import PhaseDates

# Each phase as (key, first day, last day) counted from today; None for a phase with no end.
Days = tuple[str, int, int | None]


@dataclass(frozen=True)
class DemoChallenge:
    organisation: str
    kind: str
    title: str
    summary: str
    problem: str
    evidence: str
    driver: str
    audience: str
    phases: tuple[Days, ...]
    status: str = Status.PUBLISHED
    team: str = ""
    followers: tuple[str, ...] = field(default_factory=tuple)


CHALLENGES: tuple[DemoChallenge, ...] = (
    DemoChallenge(
        organisation="northbridge-council",
        kind="open_call",
        title="Fewer missed bin collections",
        summary=(
            "Missed collections cost us more every year. Help us find ways to get every bin "
            "emptied first time."
        ),
        problem=(
            "About 1,900 household bins are reported missed each month. Each one means a "
            "return visit by a crew, a call to the contact centre and an unhappy resident.\n\n"
            "Most missed bins are on narrow streets with parked cars, on new estates that are "
            "not yet on the crews' rounds, and where bins are put out late. We want ideas from "
            "residents and crews on any of these."
        ),
        evidence=(
            "Return visits cost about £38 each: £870,000 a year. Complaints about missed "
            "collections rose 30% in two years and are now the largest single reason people "
            "contact the council."
        ),
        driver="cost_pressure",
        audience="both",
        phases=(
            ("discover", -40, -26),
            ("define", -25, -15),
            ("develop", -14, 21),
            ("deliver", 22, 60),
        ),
        followers=("resident@demo.example", "staff@northbridge-council.example"),
    ),
    DemoChallenge(
        organisation="northbridge-council",
        kind="hack_day",
        title="Adult social care front door hack day",
        summary=(
            "A day to prototype a simpler way for people to ask for care and support, with the "
            "people who use it."
        ),
        problem=(
            "People asking for care and support are often passed between the contact centre, "
            "social work teams and health services before anyone helps them. Many give up.\n\n"
            "Bring ideas for the day; on the day, teams of staff, carers and residents build "
            "and test prototypes of a better front door."
        ),
        evidence="Four in ten first contacts are passed on at least twice before an assessment.",
        driver="demand",
        audience="both",
        phases=(("discover", 10, 24), ("develop", 25, 26), ("deliver", 27, 27)),
        followers=("resident2@demo.example",),
    ),
    DemoChallenge(
        organisation="northbridge-council",
        kind="open_call",
        title="Warmer homes for private renters",
        summary="Ideas to help private tenants in cold, damp homes.",
        problem=(
            "Many private tenants live in homes that are cold and damp but do not complain, "
            "for fear of losing their home."
        ),
        evidence="",
        driver="residents_concern",
        audience="public",
        phases=(("discover", 5, 30), ("develop", 31, 60)),
        status=Status.DRAFT,
    ),
    DemoChallenge(
        organisation="northbridge-hospitals",
        kind="open_call",
        title="Getting patients home sooner",
        summary=(
            "Patients who are well enough to leave wait too long for the last steps. Staff: "
            "tell us what would help."
        ),
        problem=(
            "On an average day 85 patients who no longer need a hospital bed are still in one. "
            "They wait for medicines to take home, transport, equipment or a care package.\n\n"
            "Staff on the wards see where the delays happen. We want their ideas first."
        ),
        evidence=(
            "Delayed discharges took up 2,900 bed days last quarter. Patients aged over 80 who "
            "stay in bed for ten days can lose a tenth of their muscle strength."
        ),
        driver="strategic_objective",
        audience="staff",
        phases=(("define", -21, -8), ("develop", -7, 28), ("deliver", 29, 70)),
        followers=("staff@northbridge-hospitals.example",),
    ),
    DemoChallenge(
        organisation="northbridge-hospitals",
        kind="improvement_board",
        title="Ward 7 improvement board",
        summary=(
            "Ward 7's own board: notice a problem, propose a small change, try it and record "
            "what it did."
        ),
        problem=(
            "Ward 7 cares for older people, many living with dementia. Small changes to how "
            "the ward works (mealtimes, noise at night, handovers) can make a big difference "
            "to patients and staff."
        ),
        evidence="Falls at night fell by a third after last year's quiet-hours trial.",
        driver="strategic_objective",
        audience="staff",
        phases=(("develop", -90, None),),
        team="Ward 7 (older people)",
        followers=("staff@northbridge-hospitals.example", "lead@northbridge-hospitals.example"),
    ),
    DemoChallenge(
        organisation="northshire-pcc",
        kind="prize",
        title="Stopping repeat victimisation",
        summary=(
            "A £50,000 prize for a way to protect people who are targeted by crime again and again."
        ),
        problem=(
            "A small number of people, often older or disabled, are victims of crime again and "
            "again: scams, burglary, antisocial behaviour. Each time it happens, the harm is "
            "worse and they trust services less.\n\n"
            "We will award the prize to the solution that best helps victims, police and "
            "partners spot repeat victimisation early and act on it."
        ),
        evidence=(
            "4% of victims experience 40% of recorded crime in Northshire. Most of them had "
            "been in contact with at least two services before the latest crime."
        ),
        driver="strategic_objective",
        audience="public",
        phases=(("define", -30, -11), ("develop", -10, 35), ("deliver", 36, 60)),
        followers=("resident@demo.example", "assessor@northshire-pcc.example"),
    ),
    DemoChallenge(
        organisation="northshire-pcc",
        kind="open_call",
        title="Safer journeys home at night",
        summary="Ideas to make women and girls feel safer travelling home after dark.",
        problem=(
            "In our survey, two in three women said they feel unsafe walking home at night in "
            "Northbridge town centre."
        ),
        evidence="Survey of 2,300 residents, autumn.",
        driver="residents_concern",
        audience="public",
        phases=(("discover", -120, -100), ("develop", -99, -60), ("deliver", -59, -20)),
        status=Status.CLOSED,
        followers=("resident2@demo.example",),
    ),
    DemoChallenge(
        organisation="riverside-learning",
        kind="fund_round",
        title="Innovation and development fund",
        summary=(
            "Grants of up to £5,000 for staff in our schools to try a new idea in teaching or "
            "back-office work, and share what they learn."
        ),
        problem=(
            "Good ideas in one classroom or school office rarely spread to the other eight "
            "schools. The fund pays for the time and materials to try an idea properly, "
            "measure it and write it up for everyone."
        ),
        evidence="Last year's round funded 11 projects; 4 are now used in every school.",
        driver="strategic_objective",
        audience="staff",
        phases=(("define", -7, 13), ("develop", 14, 45), ("deliver", 46, 75)),
        followers=("staff@riverside-learning.example",),
    ),
)


def _moment(today: datetime, days: int, hour: int) -> datetime:
    day = (today + timedelta(days=days)).date()
    return timezone.make_aware(datetime.combine(day, time(hour=hour)))


def _phases(spec: DemoChallenge, today: datetime) -> list[PhaseDates]:
    return [
        PhaseDates(
            key=key,
            starts_at=_moment(today, first, 9),
            ends_at=_moment(today, last, 17) if last is not None else None,
        )
        for key, first, last in spec.phases
    ]


def _load_one(spec: DemoChallenge, today: datetime) -> None:
    organisation = Organisation.objects.get(slug=spec.organisation)
    challenge = Challenge.objects.filter(organisation=organisation, title=spec.title).first()
    if challenge is None:
        domain = f"{spec.organisation}.example"
        lead = User.objects.get(email=f"lead@{domain}")
        team = organisation.teams.get(name=spec.team) if spec.team else None
        challenge = services.challenge_create(
            actor=lead,
            organisation=organisation,
            kind=spec.kind,
            phases=_phases(spec, today),
            title=spec.title,
            summary=spec.summary,
            problem=spec.problem,
            evidence=spec.evidence,
            driver=spec.driver,
            audience=spec.audience,
            team=team,
        )
        steps = {
            Status.DRAFT: [],
            Status.PUBLISHED: [Status.PUBLISHED],
            Status.CLOSED: [Status.PUBLISHED, Status.CLOSED],
        }[Status(spec.status)]
        for step in steps:
            services.challenge_move(
                actor=lead,
                challenge=challenge,
                to=step,
                reason="Closing date passed" if step == Status.CLOSED else "",
            )
    for email in spec.followers:
        services.challenge_follow(user=User.objects.get(email=email), challenge=challenge)


@transaction.atomic
def load_demo() -> None:
    """Add the demo challenges and follows to the demo network. Safe to run twice."""
    today = timezone.localtime()
    for spec in CHALLENGES:
        _load_one(spec, today)
