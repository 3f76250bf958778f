"""Demo outcomes and evidence for the demo initiatives (``civicflow.initiatives.demo``): KPIs
with their readings, a cost-benefit analysis and an SROI, evidence levels with quotes, a
survey with answers, a follow-up survey, and cashable savings.

The figures the source material gives are kept: falls on the older people's wards down by
80 % after the nurses' desks moved into the bays, and £8m taken out of NHS budgets by eight
hospitals sharing round-the-clock services. Every other figure is illustrative, chosen to make
the pages worth looking at, and the notes or the source of each reading say so. Dates are
counted back from today, so the charts always end in the recent past.

Everything goes through the services, so the audit log fills as in real use. Loading twice
changes nothing: each piece is made only if it is not there yet.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from civicflow.accounts.models import User
from civicflow.initiatives.models import Initiative
from civicflow.outcomes import services
from civicflow.outcomes.models import Appraisal, Kpi, Survey

COUNCIL = "northbridge-council"
HOSPITALS = "northbridge-hospitals"
DESKS = "Nurses' desks in the bays"
NIGHT_COVER = "Round-the-clock services shared between hospitals"
ROUNDS = "Crews redesign their own rounds"
ILLUSTRATIVE = "Illustrative figure for the demo."


def _person(local: str, slug: str) -> User:
    return User.objects.get(email=f"{local}@{slug}.example")


def _initiative(slug: str, title: str) -> Initiative | None:
    return Initiative.objects.filter(organisation__slug=slug, title=title).first()


def _months_ago(months: int) -> date:
    return timezone.localdate() - timedelta(days=30 * months)


def _kpi(
    lead: User,
    initiative: Initiative,
    *,
    readings: list[tuple[int, str]],
    source: str,
    **fields: Any,
) -> None:
    """Add the KPI, and its readings (months ago, value) from a CSV file, as an analyst
    would; unless the KPI is there already."""
    if Kpi.objects.filter(initiative=initiative, name=fields["name"]).exists():
        return
    kpi = services.kpi_create(actor=lead, owner=initiative, **fields)
    rows = ["date,value,source"]
    rows += [f"{_months_ago(months).isoformat()},{value},{source}" for months, value in readings]
    services.kpi_readings_import(actor=lead, kpi=kpi, content="\n".join(rows) + "\n")


def _appraisal(lead: User, initiative: Initiative, kind: str, title: str, **fields: Any) -> None:
    if not Appraisal.objects.filter(initiative=initiative, title=title).exists():
        services.appraisal_save(actor=lead, initiative=initiative, kind=kind, title=title, **fields)


def _evidence(lead: User, initiative: Initiative, level: int, justification: str) -> None:
    if not initiative.evidence_assessments.exists():
        services.evidence_assess(
            actor=lead, initiative=initiative, level=level, justification=justification
        )


def _quote(lead: User, initiative: Initiative, text: str, attributed_to: str) -> None:
    if not initiative.qualitative_evidence.filter(text=text).exists():
        services.qualitative_evidence_add(
            actor=lead,
            initiative=initiative,
            kind="quote",
            text=text,
            attributed_to=attributed_to,
            collected_on=_months_ago(1),
        )


def _savings(lead: User, initiative: Initiative, year: int, **amounts: Any) -> None:
    if not initiative.savings.filter(financial_year=year).exists():
        services.savings_set(actor=lead, initiative=initiative, financial_year=year, **amounts)


# The nurses' desks ------------------------------------------------------------------------


def _desks() -> None:
    initiative = _initiative(HOSPITALS, DESKS)
    if initiative is None:
        return
    lead = _person("lead", HOSPITALS)
    # The source gives the 80 % fall; the counts a month are illustrative.
    _kpi(
        lead,
        initiative,
        name="Falls on the older people's wards a month",
        unit="falls",
        direction="lower",
        baseline_value="20",
        baseline_on=_months_ago(7),
        target_value="5",
        target_on=_months_ago(7) + timedelta(days=365),
        readings=[(6, "17"), (5, "13"), (4, "10"), (3, "7"), (2, "5"), (1, "4")],
        source="Incident reports (illustrative counts; the 80 % fall is the reported one)",
    )
    _kpi(
        lead,
        initiative,
        name="Share of patients who say a nurse was near when they needed one",
        unit="%",
        direction="higher",
        baseline_value="62",
        baseline_on=_months_ago(7),
        target_value="85",
        target_on=_months_ago(7) + timedelta(days=365),
        readings=[(5, "66"), (3, "71"), (1, "74")],
        source="Ward patient survey (illustrative)",
    )
    _appraisal(
        lead,
        initiative,
        "cba",
        "Three-year cost-benefit analysis of the desks",
        notes=(
            "Costs: the £4,000 budget for moving the desks, and an hour of each nurse's time "
            "to learn the new layout. Benefits: falls avoided, valued at an illustrative "
            "£1,500 each in staff time and treatment, which is not cash the trust can take "
            "out of its budget; 16 fewer falls a month is the reported 80 % of an "
            "illustrative 20. Green Book discounting, 20 % optimism bias on the costs."
        ),
        inputs={
            "discount": "green-book",
            "optimism_bias": "0.2",
            "costs": [
                {"year": 0, "amount": "4000", "cashable": True, "label": "Moving the desks"},
                {"year": 0, "amount": "2500", "cashable": False, "label": "Nurses' time"},
            ],
            "benefits": [
                {"year": year, "amount": "288000", "cashable": False, "label": "Falls avoided"}
                for year in (1, 2, 3)
            ],
        },
    )
    _evidence(
        lead,
        initiative,
        2,
        "Falls on the wards fell by 80 % in the six months after the desks moved. There was "
        "no comparison ward, so we cannot yet say the desks caused all of the fall: level 2.",
    )
    _quote(
        lead,
        initiative,
        "I can see every bed in the bay while I write my notes. I get to people before they "
        "try to get up on their own.",
        "A staff nurse on Ward 7",
    )
    _survey(lead, initiative)


def _survey(lead: User, initiative: Initiative) -> None:
    title = "Do the desks in the bays help?"
    if Survey.objects.filter(initiative=initiative, title=title).exists():
        return
    survey = services.survey_create(
        actor=lead,
        owner=initiative,
        title=title,
        introduction="Tell us what the desks in the bays have changed for you.",
    )
    questions = [
        services.question_add(
            actor=lead,
            survey=survey,
            kind="satisfaction",
            text="How satisfied are you with the desks in the bays?",
        ),
        services.question_add(
            actor=lead, survey=survey, kind="yes_no", text="Do you see patients sooner?"
        ),
        services.question_add(
            actor=lead,
            survey=survey,
            kind="text",
            text="What else should we change?",
            required=False,
        ),
    ]
    services.survey_set_status(actor=lead, survey=survey, status="open")
    answers = [
        ("staff", "5", "yes", "Put a call-bell display on each desk."),
        ("assessor", "4", "yes", ""),
        ("decider", "4", "yes", "Try it on the surgical wards."),
        ("admin", "3", "no", "Noisier bays at night."),
    ]
    for local, rating, sooner, text in answers:
        services.survey_answer(
            survey=survey,
            user=_person(local, HOSPITALS),
            answers={questions[0].pk: rating, questions[1].pk: sooner, questions[2].pk: text},
        )


# Shared night cover -----------------------------------------------------------------------


def _night_cover() -> None:
    initiative = _initiative(HOSPITALS, NIGHT_COVER)
    if initiative is None:
        return
    lead = _person("lead", HOSPITALS)
    _kpi(
        lead,
        initiative,
        name="Minutes to a specialist at night",
        unit="minutes",
        direction="lower",
        baseline_value="95",
        baseline_on=_months_ago(5),
        target_value="45",
        target_on=_months_ago(5) + timedelta(days=365),
        readings=[(4, "90"), (3, "82"), (2, "78"), (1, "74")],
        source="Rota records (illustrative)",
    )
    year = timezone.localdate().year
    _appraisal(
        lead,
        initiative,
        "cba",
        "Five-year cost-benefit analysis of shared night cover",
        notes=(
            "Benefits follow the eight hospitals in Cumbria and Lancashire whose shared "
            "round-the-clock services took £8m out of NHS budgets: £1m a hospital. We assume, "
            "as an illustration, that it came over five years, so £200,000 a hospital a year, "
            "£400,000 for our two. The set-up cost is the initiative's budget; the running "
            "cost is illustrative. Green Book discounting, 20 % optimism bias on the costs."
        ),
        inputs={
            "discount": "green-book",
            "optimism_bias": "0.2",
            "costs": [
                {"year": 0, "amount": "1200000", "cashable": True, "label": "Setting up"},
            ]
            + [
                {"year": y, "amount": "40000", "cashable": True, "label": "Running the rota"}
                for y in range(1, 6)
            ],
            "benefits": [
                {"year": y, "amount": "400000", "cashable": True, "label": "Agency cover saved"}
                for y in range(1, 6)
            ],
        },
    )
    _evidence(
        lead,
        initiative,
        1,
        "Eight hospitals elsewhere saved lives and money with shared round-the-clock services, "
        "so there is a logical reason it should work here; our own before-and-after "
        "evaluation has just started.",
    )
    _savings(
        lead,
        initiative,
        year - 1,
        planned="400000",
        realised="310000",
        kept_by_service="100000",
        note=ILLUSTRATIVE,
    )
    _savings(lead, initiative, year, planned="400000", note=ILLUSTRATIVE)
    title = "Six months on: has shared night cover made a difference?"
    if not Survey.objects.filter(initiative=initiative, title=title).exists():
        survey = services.survey_create(
            actor=lead, owner=initiative, title=title, follow_up_weeks=26
        )
        services.question_add(
            actor=lead,
            survey=survey,
            kind="yes_no",
            text="Did a specialist see you or your patient sooner at night?",
        )
        services.survey_set_status(actor=lead, survey=survey, status="open")


# The crews' rounds ------------------------------------------------------------------------


def _rounds() -> None:
    initiative = _initiative(COUNCIL, ROUNDS)
    if initiative is None:
        return
    lead = _person("lead", COUNCIL)
    # 41 and 27 are the pilot's figures in the initiative's decision; the rest illustrative.
    _kpi(
        lead,
        initiative,
        name="Missed collections a month on the pilot rounds",
        unit="collections",
        direction="lower",
        baseline_value="41",
        baseline_on=_months_ago(6),
        target_value="20",
        target_on=_months_ago(6) + timedelta(days=365),
        readings=[(5, "38"), (4, "33"), (3, "30"), (2, "27"), (1, "29")],
        source="Missed-collection reports",
    )
    _appraisal(
        lead,
        initiative,
        "sroi",
        "Social return of crews redesigning their rounds",
        notes=(
            "Inputs: the pilot's spend so far. Outcomes and their financial proxies are "
            "illustrative: each missed collection avoided saves a return trip and a complaint; "
            "crews who shape their own work are likelier to stay. Deadweight, attribution and "
            "drop-off are our estimates."
        ),
        inputs={
            "discount_rate": "0.035",
            "inputs": [{"label": "Crew days and supervision", "value": "6400"}],
            "outcomes": [
                {
                    "label": "Missed collections avoided",
                    "quantity": "168",
                    "proxy": "35",
                    "duration": 3,
                    "deadweight": "0.1",
                    "displacement": "0",
                    "attribution": "0.2",
                    "drop_off": "0.1",
                },
                {
                    "label": "Crew members who stay in the job",
                    "quantity": "2",
                    "proxy": "4500",
                    "duration": 2,
                    "deadweight": "0.5",
                    "displacement": "0",
                    "attribution": "0.3",
                    "drop_off": "0.5",
                },
            ],
        },
    )
    _evidence(
        lead,
        initiative,
        2,
        "Missed collections on the two pilot rounds fell from 41 to 27 a month; the comparison "
        "with rounds still waiting their turn is under way.",
    )
    _quote(
        lead,
        initiative,
        "We know where the cars park on bin day. Now the round goes round them.",
        "A driver on one of the pilot crews",
    )


def load_demo() -> None:
    """Add the demo outcomes, unless they are there already."""
    _desks()
    _night_cover()
    _rounds()
