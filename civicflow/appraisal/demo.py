"""Demo appraisal for the demo network (``civicflow.demo.network``).

Four rounds, drawn from the examples in the source material, in our own words:

* **Northshire's challenge prize**, "Stopping repeat victimisation": a reward for whoever
  first or best meets the challenge, open to a much wider field than a grant would reach.
  £50,000 in three places; published criteria; entries from residents and staff of other
  bodies, with their eligibility answers; a blind panel of two, part-way through scoring,
  with one conflict of interest declared.
* **Northbridge's hack day** on the adult social care front door: an intense two-day event
  where frontline staff, carers, developers and designers build prototypes together, held
  over the last two days. People pitched ideas and registered with their skills; two teams
  formed around pitches and submitted prototypes (both still need skills; a third pitch
  has no team, and one person who came is in none); the panel is judging them, one review
  scored.
* **Riverside's Innovation and development fund**: grants of up to £5,000 for school staff;
  the round and its panel are set up before applications open.
* **Northbridge's Community innovation fund**, after the Camden fund that unlocks the
  creativity and resources already in a borough to find practical ways to reduce
  inequality: a finished round whose panel scored every application, with grants, award
  letters, a milestone report, a payment on an outcome achieved, and published results.

Everything goes through the services, so the audit log fills as in real use. Loading twice
changes nothing: each round is left alone once its panel exists.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from civicflow.accounts import services as accounts
from civicflow.accounts.models import Organisation, Role, User
from civicflow.appraisal import services
from civicflow.appraisal.models import Assignment, Panel
from civicflow.challenges import services as challenges
from civicflow.challenges.models import Challenge
from civicflow.challenges.phases import PhaseDates
from civicflow.ideas import services as ideas
from civicflow.ideas.models import Idea

COUNCIL = "northbridge-council"
PCC = "northshire-pcc"
SCHOOLS = "riverside-learning"

PRIZE_TITLE = "Stopping repeat victimisation"
HACK_TITLE = "Adult social care front door hack day"
SCHOOLS_FUND_TITLE = "Innovation and development fund"
FINISHED_TITLE = "Community innovation fund 2026"

# A second assessor in each organisation that runs a panel, so each entry gets two reviews.
SECOND_ASSESSORS = {
    COUNCIL: ("panel@northbridge-council.example", "Pat Panesar"),
    PCC: ("panel@northshire-pcc.example", "Morgan Ellis"),
    SCHOOLS: ("panel@riverside-learning.example", "Chris Nowak"),
}


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _lead(slug: str) -> User:
    return _user(f"lead@{slug}.example")


def _challenge(slug: str, title: str) -> Challenge | None:
    return (
        Challenge.objects.prefetch_related("phases")
        .select_related("organisation")
        .filter(organisation__slug=slug, title=title)
        .first()
    )


def _assessors(slug: str) -> list[User]:
    """The organisation's demo assessor and a second one, made here if need be."""
    from civicflow.demo.network import _person

    organisation = Organisation.objects.get(slug=slug)
    email, name = SECOND_ASSESSORS[slug]
    second = _person(email, name)
    accounts.member_set_roles(
        actor=_user(f"admin@{slug}.example"),
        organisation=organisation,
        user=second,
        roles=[Role.ASSESSOR],
        reason="Demo appraisal panels",
    )
    return [_user(f"assessor@{slug}.example"), second]


def _idea(author: User, challenge: Challenge, title: str, summary: str, description: str) -> Idea:
    existing = Idea.objects.filter(challenge=challenge, title=title).first()
    if existing is not None:
        return existing
    return ideas.idea_submit(
        author=author,
        challenge=challenge,
        title=title,
        summary=summary,
        description=description,
        innovation_type="service",
        scale="continuous",
        benefits=["improves_quality"],
    )


def _panel(
    lead: User, challenge: Challenge, assessors: list[User], *, k: int, blind: bool
) -> Panel:
    criteria = services.criteria_set_create(actor=lead, challenge=challenge)
    services.criteria_publish(actor=lead, criteria_set=criteria)
    panel = services.panel_create(
        actor=lead, challenge=challenge, reviews_per_submission=k, blind=blind
    )
    for assessor in assessors:
        services.panel_member_add(actor=lead, panel=panel, user=assessor)
    return panel


def _score(panel: Panel, assignment: Assignment, values: dict[str, int], comment: str) -> None:
    services.conflict_declare(
        actor=assignment.assessor, panel=panel, idea=assignment.idea, has_conflict=False
    )
    services.score_submit(
        actor=assignment.assessor, assignment=assignment, scores=values, comment=comment
    )


def _values(panel: Panel, base: int, tilt: int) -> dict[str, int]:
    """A deterministic sheet: ``base`` on each criterion, ``tilt`` added to every other one."""
    keys = list(panel.challenge.criteria_set.criteria.values_list("key", flat=True))
    return {key: max(0, min(4, base + (tilt if i % 2 else 0))) for i, key in enumerate(keys)}


# Northshire's challenge prize: mid-way --------------------------------------------------------

PRIZE_ENTRIES = (
    (
        "resident@demo.example",
        "A named contact for people targeted again",
        "One trained volunteer stays in touch with each repeat victim for a year.",
        "After a second crime, the victim is offered one named contact who visits, checks in "
        "by phone and speaks to the police, housing and social care on their behalf.",
    ),
    (
        "resident2@demo.example",
        "Scam call blockers for people already scammed",
        "Fit call blockers for anyone reported as a scam victim, with their consent.",
        "Call blockers stop most nuisance and scam calls. Trading standards would fit them "
        "within a week of the report, and follow up after three months.",
    ),
    (
        "staff@northbridge-council.example",
        "Shared flag for repeat victims across services",
        "Housing, social care and police share a flag when someone is targeted again.",
        "A simple, consented flag lets each service see that a person has been a victim "
        "before, so the next contact starts from what is already known.",
    ),
    (
        "staff@riverside-learning.example",
        "Door cameras lent by the library",
        "Lend video doorbells to people who have been burgled, free, through libraries.",
        "Libraries already lend equipment. Doorbells would be fitted by volunteers and "
        "returned when the person feels safe again.",
    ),
)


def _load_prize() -> None:
    challenge = _challenge(PCC, PRIZE_TITLE)
    if challenge is None or Panel.objects.filter(challenge=challenge).exists():
        return
    lead = _lead(PCC)
    develop = next(p for p in challenge.phase_dates() if p.key == "develop")
    prize = services.prize_create(
        actor=lead,
        challenge=challenge,
        pot=50_000,
        closes_at=develop.ends_at or timezone.now() + timedelta(days=35),
        tiers=[("Winner", 30_000, 1), ("Runner-up", 10_000, 2)],
        questions=[
            "Will you test your solution with people in Northshire?",
            "Can you start within three months of winning?",
        ],
    )
    entries = [
        _idea(_user(email), challenge, title, summary, description)
        for email, title, summary, description in PRIZE_ENTRIES
    ]
    for idea in entries:
        services.eligibility_answer(
            actor=idea.author,
            prize=prize,
            idea=idea,
            answers={q.pk: True for q in prize.questions.all()},
        )
    services.business_case_save(
        actor=entries[0].author,
        idea=entries[0],
        point="Fewer people are targeted a third time.",
        justification="People who have one person to call report sooner and are believed.",
        illustration="A pilot in two wards found that most people offered a contact took it.",
        benefits="Fewer crimes against the same people; less repeat demand on every service.",
        costs="Volunteer training and a coordinator, two days a week.",
        involved_service_users=True,
        involvement="Designed with a victims' support group.",
        barriers={"top_down": "The volunteers' role is set by the people they support."},
    )
    assessors = _assessors(PCC)
    panel = _panel(lead, challenge, assessors, k=2, blind=True)
    services.panel_allocate(actor=lead, panel=panel)
    # Mid-way: the first assessor has scored two entries and declared a conflict with one;
    # the second has not started.
    first = list(panel.assignments.filter(assessor=assessors[0]).select_related("idea"))
    for index, assignment in enumerate(first[:2]):
        _score(panel, assignment, _values(panel, 3 - index, 1), "Clear and well evidenced.")
    if len(first) > 2:
        services.conflict_declare(
            actor=assessors[0],
            panel=panel,
            idea=first[2].idea,
            has_conflict=True,
            details="I have worked with the person who put this forward.",
        )


# Northbridge's hack day: held this week, teams and prototypes, judging under way -------------

HACK_REGISTRATIONS = (
    ("staff@northbridge-council.example", ["social work", "the contact centre's scripts"]),
    ("resident@demo.example", ["lived experience of caring", "user research"]),
    ("staff@northbridge-hospitals.example", ["discharge planning", "nursing"]),
    ("resident2@demo.example", ["Python", "web design"]),
)

# The pitches: (author, title, summary, description).
HACK_PITCHES = (
    (
        "resident@demo.example",
        "One call, one conversation",
        "A social worker answers the first call, so nobody is passed on before they are heard.",
        "When I first asked for help for my mother I was passed on four times. A social "
        "worker on the front line for part of each day would hear what people need, sort "
        "what they can there and then, and book the right next step while the caller is "
        "still on the phone.",
    ),
    (
        "resident2@demo.example",
        "Care and support finder",
        "A short online guide that asks the few questions that matter and says who can help.",
        "Carers told us the website sends them round in circles. A guide of six or seven "
        "plain questions would point people to the right team, or to help in the community, "
        "and send their answers ahead so they are not asked twice.",
    ),
    (
        "staff@northbridge-hospitals.example",
        "Hospital-to-home handover card",
        "One card that follows a patient home with what the ward and the care team agreed.",
        "Discharge plans are written on the ward and rewritten by the council. One shared "
        "card, filled in once, would travel with the patient and be read by everyone who "
        "visits them at home.",
    ),
)

# The teams on the day: (name, pitch, who formed it, who joined, skills still needed,
# prototype description, link).
HACK_TEAMS: tuple[tuple[str, str, str, list[str], list[str], str, str], ...] = (
    (
        "First call",
        "One call, one conversation",
        "resident@demo.example",
        ["staff@northbridge-hospitals.example"],
        ["social work", "telephony"],
        "A call script and a one-page triage sheet, tested with twelve role-played calls: "
        "nine were settled on the first call, against about four in ten today.",
        "https://prototypes.example.org/first-call",
    ),
    (
        "Finder",
        "Care and support finder",
        "resident2@demo.example",
        [],
        ["content design", "accessibility"],
        "A clickable guide of seven questions that ends on the right team or a community "
        "group, tried with five carers on the day; all five reached the right place.",
        "https://prototypes.example.org/care-finder",
    ),
)


def _at(day: datetime, days: int, hour: int) -> datetime:
    moment = datetime.combine((day + timedelta(days=days)).date(), time(hour=hour))
    return timezone.make_aware(moment)


def _load_hack_day() -> None:
    """The event was held over the last two days: people pitched ideas, registered, formed
    teams and built prototypes, and the panel is judging them (one review scored so far).
    The "Pitches" phase led up to it; the show and tell runs for the next two weeks."""
    challenge = _challenge(COUNCIL, HACK_TITLE)
    if challenge is None or Panel.objects.filter(challenge=challenge).exists():
        return
    lead = _lead(COUNCIL)
    today = timezone.localtime()
    held_from, held_to = _at(today, -2, 9), _at(today, -1, 17)
    # While the day is on, pitches can still be put forward and prototypes built.
    challenges.challenge_update(
        actor=lead,
        challenge=challenge,
        phases=[
            PhaseDates("discover", _at(today, -21, 9), held_from),
            PhaseDates("develop", held_from, _at(today, 1, 17)),
            PhaseDates("deliver", _at(today, 1, 17), _at(today, 14, 17)),
        ],
        reason="The hack day is brought forward to this week.",
    )
    challenge = _challenge(COUNCIL, HACK_TITLE)
    assert challenge is not None
    hack_day = services.hack_day_create(
        actor=lead,
        challenge=challenge,
        starts_at=held_from,
        ends_at=held_to,
        capacity=60,
        place="Northbridge Central Library, first-floor community room",
        online_link="https://meet.example.org/northbridge-care-hack",
    )
    for email, skills in HACK_REGISTRATIONS:
        services.hack_day_register(actor=_user(email), hack_day=hack_day, skills=skills)
    pitches = {
        title: _idea(_user(email), challenge, title, summary, description)
        for email, title, summary, description in HACK_PITCHES
    }
    # They were pitched in the weeks before the day (and so count for nobody's hourly limit
    # on putting ideas forward).
    for days, idea in enumerate(pitches.values(), start=8):
        Idea.objects.filter(pk=idea.pk).update(created_at=_at(today, -days, 10))
    for name, pitch, founder, joiners, needed, prototype, link in HACK_TEAMS:
        team = services.hack_team_form(
            actor=_user(founder),
            hack_day=hack_day,
            idea=pitches[pitch],
            name=name,
            skills_needed=needed,
        )
        for email in joiners:
            services.hack_team_join(actor=_user(email), team=team)
        services.prototype_submit(
            actor=_user(founder),
            team=team,
            description=prototype,
            link=link,
            screenshots=[f"{link}/screenshot-1.png"],
        )
    assessors = _assessors(COUNCIL)
    panel = _panel(lead, challenge, assessors, k=2, blind=False)
    services.panel_allocate(actor=lead, panel=panel)
    # The day is over; the show and tell and judging run now.
    challenges.challenge_update(
        actor=lead,
        challenge=challenge,
        phases=[
            PhaseDates("discover", _at(today, -21, 9), held_from),
            PhaseDates("develop", held_from, held_to),
            PhaseDates("deliver", held_to, _at(today, 14, 17)),
        ],
        reason="The hack day is over; judging has begun.",
    )
    first = (
        Assignment.objects.filter(panel=panel, assessor=assessors[0])
        .select_related("idea")
        .order_by("id")
        .first()
    )
    if first is not None:
        services.conflict_declare(
            actor=assessors[0], panel=panel, idea=first.idea, has_conflict=False
        )
        keys = [c.key for c in panel.challenge.criteria_set.criteria.all()]
        services.score_submit(
            actor=assessors[0],
            assignment=first,
            scores=dict.fromkeys(keys, 3),
            comment="Tested with real callers on the day; the numbers are small but clear.",
        )


# Riverside's fund: set up before applications open ---------------------------------------------


def _load_schools_fund() -> None:
    challenge = _challenge(SCHOOLS, SCHOOLS_FUND_TITLE)
    if challenge is None or Panel.objects.filter(challenge=challenge).exists():
        return
    lead = _lead(SCHOOLS)
    services.fund_round_create(actor=lead, challenge=challenge, budget=55_000, max_award=5_000)
    _panel(lead, challenge, _assessors(SCHOOLS), k=2, blind=True)


# Northbridge's Community innovation fund: finished, results published ---------------------------

FINISHED_APPLICATIONS = (
    (
        "resident@demo.example",
        "Homework club in the Kentish estate hall",
        "Three evenings a week of help with homework for children in temporary housing.",
        9_000,
        "Friends of Kentish Estate",
        [
            ("Club open three evenings a week", 4_000, "20 children attend each week"),
            ("Term report to parents and schools", 5_000, "Attendance above 80% for a term"),
        ],
    ),
    (
        "resident2@demo.example",
        "Repair café for white goods",
        "Volunteers repair fridges and washing machines so families keep them running.",
        6_000,
        "Northbridge Repair Café",
        [("First monthly café", 6_000, "40 repairs in the first three months")],
    ),
    (
        "staff@northbridge-hospitals.example",
        "Benefits advice on the children's ward",
        "A benefits adviser on the ward one day a week for families with long stays.",
        12_000,
        "",
        [("Adviser in post", 12_000, "50 families advised")],
    ),
)


def _load_finished_fund() -> None:
    organisation = Organisation.objects.get(slug=COUNCIL)
    lead = _lead(COUNCIL)
    challenge = _challenge(COUNCIL, FINISHED_TITLE)
    if challenge is not None and Panel.objects.filter(challenge=challenge).exists():
        return
    today = timezone.localtime()
    if challenge is None:
        challenge = challenges.challenge_create(
            actor=lead,
            organisation=organisation,
            kind="fund_round",
            phases=[
                PhaseDates("define", _at(today, -30, 9), _at(today, 0, 0)),
                PhaseDates("develop", _at(today, 0, 0), _at(today, 1, 17)),
                PhaseDates("deliver", _at(today, 2, 9), _at(today, 20, 17)),
            ],
            title=FINISHED_TITLE,
            summary=(
                "Grants for residents and community groups with practical ways to reduce "
                "inequality in Northbridge, paid as the outcomes they promise are achieved."
            ),
            problem=(
                "Northbridge has creativity and resources in its communities that the council "
                "cannot reach on its own. The fund backs residents and groups who can help "
                "people in the city reach their full potential, and learns with them: how "
                "the round is run matters as much as what it pays for."
            ),
            evidence="One child in three in the city's poorest wards lives in a low-income home.",
            driver="residents_concern",
            audience="both",
        )
        challenges.challenge_move(actor=lead, challenge=challenge, to="published")
        challenge = _challenge(COUNCIL, FINISHED_TITLE)
        assert challenge is not None
    fund_round = services.fund_round_create(
        actor=lead, challenge=challenge, budget=25_000, max_award=12_000, outcome_based=True
    )
    applications = []
    for email, title, summary, amount, group, milestones in FINISHED_APPLICATIONS:
        author = _user(email)
        idea = _idea(author, challenge, title, summary, summary)
        applications.append(
            services.application_submit(
                actor=author,
                fund_round=fund_round,
                idea=idea,
                amount_requested=amount,
                plan=summary,
                outcomes="; ".join(outcome for _t, _p, outcome in milestones),
                organisation_name=group,
                milestones=[
                    {"title": t, "payment": p, "outcome": outcome} for t, p, outcome in milestones
                ],
            )
        )
    panel = _panel(lead, challenge, _assessors(COUNCIL), k=2, blind=False)
    services.panel_allocate(actor=lead, panel=panel)
    strength = {a.idea_id: 3 - i for i, a in enumerate(applications)}
    for assignment in panel.assignments.select_related("idea", "assessor").order_by("id"):
        lenient = 1 if assignment.assessor.email.startswith("panel@") else 0
        _score(
            panel,
            assignment,
            _values(panel, strength[assignment.idea_id] + lenient, -1),
            "Scored against the published criteria.",
        )
    services.panel_close(actor=lead, panel=panel, reason="Every application is scored.")
    homework, repair, advice = applications
    grant = services.grant_award(
        actor=lead,
        application=homework,
        amount=9_000,
        reason="The panel ranked it first: clear outcomes for children who most need them.",
    )
    services.grant_award(
        actor=lead,
        application=repair,
        amount=6_000,
        reason="Cheap to run, and it keeps families' money in their pockets.",
    )
    services.decision_record(
        actor=lead,
        panel=panel,
        idea=advice.idea,
        kind="not_awarded",
        reason="A strong idea that the hospital's own charity is better placed to fund.",
    )
    first = homework.milestones.order_by("position").first()
    assert first is not None
    services.milestone_report(
        actor=homework.applicant,
        milestone=first,
        report="The club opened in week two; 23 children came in the first month.",
        outcome_achieved=True,
    )
    services.payment_record(
        actor=lead, grant=grant, amount=first.payment, milestone=first, note="First milestone"
    )
    services.results_publish(
        actor=lead,
        panel=panel,
        summary="Two grants awarded from a fund of £25,000; £10,000 carries into next year.",
    )
    # The round is over: its dates move into the past.
    challenges.challenge_update(
        actor=lead,
        challenge=challenge,
        phases=[
            PhaseDates("define", _at(today, -90, 9), _at(today, -61, 17)),
            PhaseDates("develop", _at(today, -60, 9), _at(today, -31, 17)),
            PhaseDates("deliver", _at(today, -30, 9), _at(today, -1, 17)),
        ],
        reason="The round has finished.",
    )


def load_demo() -> None:
    """Add the demo rounds, each in its own transaction. Safe to run twice."""
    for load in (_load_prize, _load_hack_day, _load_schools_fund, _load_finished_fund):
        with transaction.atomic():
            load()
