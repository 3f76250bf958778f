"""The demo case library: seventeen cases drawn from the examples in the source material, told
in our own words with their published figures, and adoptions by other demo organisations so
that spread pages have something to show. Two cases told from the same examples as the demo
hospital trust's initiatives publish those initiatives' measured results (a KPI and a
cost-benefit analysis each), and two adopted initiatives measure KPIs of their own, so the
case and spread pages show measured results beside reported ones.

Each demo organisation publishes the cases of its own sector (a council those of local and
central government, the hospital trust the health cases...), saying where the example comes
from. Where the source gives no figure, the outcome says so and its figure is left empty.
Everything goes through the services (drafted by the innovation lead, published by the
administrator against the checklist), so the audit log fills as in real use. Loading twice
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from civicflow.accounts.models import Organisation, User
from civicflow.library import services
from civicflow.library.models import Adoption, CaseStudy

COUNCIL = "northbridge-council"
HOSPITALS = "northbridge-hospitals"
POLICE = "northshire-pcc"
SCHOOLS = "riverside-learning"
CHECKLIST = ["public_sector", "new_in_context", "implemented", "evidence"]
NO_FIGURE = "The source gives no figure for this."


@dataclass(frozen=True)
class DemoCase:
    organisation: str
    title: str
    sector: str
    innovation_type: str
    evidence_level: int
    summary: str
    problem: str
    approach: str
    outcomes: tuple[tuple[str, str, str], ...]
    lessons: str = ""
    costs: str = ""
    sharing: str = "public"
    licence: str = "OGL-UK-3.0"
    started_on: str = ""
    finished_on: str = ""


@dataclass(frozen=True)
class DemoAdoption:
    case: str
    organisation: str
    kind: str
    adaptations: str
    sharing: str = "network"


def _o(area: str, statement: str, figure: str = "") -> tuple[str, str, str]:
    return (area, statement if figure else f"{statement} {NO_FIGURE}", figure)


CASES: list[DemoCase] = [
    DemoCase(
        HOSPITALS,
        "Kaizen boards on hospital wards (Worthing Hospital)",
        "health",
        "process",
        2,
        "Ward teams at Worthing Hospital write post-it notes on a board about how their systems "
        "could work better, and try the best suggestions. One change, moving nurses' desks "
        "onto the wards, went with an 80 % fall in patient falls.",
        "Nurses did their paperwork at a central station, out of sight of the older patients "
        "most likely to fall.",
        "A kaizen board on each ward collects staff suggestions as they come up. The team "
        "reviews them regularly and tries the promising ones. Nurses' desks were moved to the "
        "wards so that nurses can keep an eye on elderly patients while doing paperwork.",
        (_o("safety", "Patient falls came down", "80 %"),),
        lessons="Continuous, small improvements by the people doing the work add up; the "
        "board makes them visible and gets them tried.",
    ),
    DemoCase(
        SCHOOLS,
        "Technology to help teachers with marking (a free school)",
        "education",
        "process",
        1,
        "The Michaela school, a free school, brought in technology to help with marking, "
        "borrowing ideas from outside the public sector to cut teachers' workload.",
        "Marking takes a large share of teachers' time outside lessons.",
        "The school adopted technology that takes on part of the marking work, an example of "
        "disruptive innovation brought in from outside the sector.",
        (_o("staff", "Teachers' marking workload went down"),),
    ),
    DemoCase(
        POLICE,
        "Video evidence suites near where people live (Sussex)",
        "policing",
        "service",
        1,
        "The Sussex Police and Crime Commissioner set up video suites in the places where "
        "people live, not only in courts, so that giving evidence is easier and officers "
        "spend less time at court.",
        "With up to 3,000 cases heard in magistrates' courts each day, attending court takes "
        "up a large amount of police officers' time.",
        "Video suites were set up in local communities, so that witnesses and officers give "
        "evidence by video link instead of travelling to court.",
        (
            _o("access", "Cases heard in magistrates' courts each day", "up to 3,000"),
            _o("staff", "Officers' time released for other work"),
        ),
    ),
    DemoCase(
        HOSPITALS,
        "Round-the-clock services shared by eight hospitals (Cumbria and Lancashire)",
        "health",
        "organisational",
        2,
        "Eight hospitals in Cumbria and Lancashire organised round-the-clock services together. "
        "The change has saved lives and taken £8m off NHS budgets.",
        "Each hospital struggled to staff every specialist service at all hours on its own.",
        "The hospitals share round-the-clock services across the network instead of each "
        "providing them alone, giving more tailored services and efficiencies.",
        (
            _o("money", "Taken off NHS budgets", "£8m"),
            _o("health", "Lives saved"),
        ),
    ),
    DemoCase(
        HOSPITALS,
        "A community healthcare spin-off run as a social enterprise (Provide)",
        "social_care",
        "organisational",
        2,
        "Staff took a community healthcare service out of the public sector as an independent "
        "social enterprise that sells its services back to the council and to other markets. "
        "Provide is now a £32m business, has doubled in size and has won awards.",
        "Services faced cuts and staff faced redundancy, while commissioners wanted a provider "
        "they knew and trusted.",
        "The service became an independent business owned by its purpose. It has since worked "
        "in the NHS, libraries, school support, woodland management and social care.",
        (
            _o("money", "Size of the business", "£32m"),
            _o("quality", "Grew and won awards", "doubled in size"),
        ),
        lessons="Spin-offs empower staff and can improve quality, save money and raise staff "
        "satisfaction.",
    ),
    DemoCase(
        COUNCIL,
        "GOV.UK: one online home for government services",
        "central_government",
        "service",
        1,
        "Government brought its online services and information together in one place, "
        "expected to save more than £60m a year in online publishing costs.",
        "Each department ran its own websites, duplicating publishing work and confusing users.",
        "A single online hub replaced departmental websites for e-government services.",
        (_o("money", "Expected saving in online publishing costs each year", "over £60m"),),
    ),
    DemoCase(
        COUNCIL,
        "G-Cloud: a catalogue of approved cloud suppliers",
        "central_government",
        "process",
        1,
        "Government published an online catalogue of approved cloud suppliers, so public "
        "bodies can move computing services to the cloud knowing every supplier is approved.",
        "Buying cloud services meant long procurements for each public body.",
        "Suppliers are approved once and listed in an online catalogue that any public body can "
        "browse and buy from.",
        (_o("money", "Easier and cheaper buying of cloud computing"),),
        lessons="The source puts the savings from shared services, cloud computing and shared "
        "networks together at around £1bn in ICT costs by 2014, not G-Cloud's alone.",
    ),
    DemoCase(
        COUNCIL,
        "Talent pools instead of ‘at risk’ lists",
        "local_government",
        "organisational",
        1,
        "Instead of listing staff as ‘at risk’ of redundancy, the council put them in talent "
        "pools, so their skills, knowledge and experience could be redeployed elsewhere in "
        "the organisation.",
        "Restructures put staff on ‘at risk’ lists and the council lost their experience.",
        "The council changed how it recruits and develops internally: staff join talent pools "
        "from which new roles are filled.",
        (_o("staff", "Staff skills and experience redeployed instead of lost"),),
    ),
    DemoCase(
        COUNCIL,
        "An internal job market to keep a no-redundancy commitment",
        "local_government",
        "organisational",
        1,
        "A council created an internal job market to keep its commitment of no redundancies "
        "while it reshaped its services, offering security of a job rather than of a role.",
        "Radical redesign of services would normally mean redundancies.",
        "Vacancies are offered first on an internal job market, so staff move to where the "
        "work now is, building a flexible and adaptable workforce.",
        (_o("employment", "Services redesigned under a commitment of zero redundancies"),),
        sharing="network",
    ),
    DemoCase(
        HOSPITALS,
        "Remote diagnosis for patients in rural areas",
        "health",
        "service",
        1,
        "Remote diagnosis systems let clinicians care for patients in rural areas without the "
        "patient travelling to hospital.",
        "Patients in rural areas live far from specialist care.",
        "Clinicians assess and diagnose patients remotely with diagnostic systems and video.",
        (_o("access", "Patient care provided remotely in rural areas"),),
    ),
    DemoCase(
        COUNCIL,
        "GenIUS York: staff and residents help face the council's challenges",
        "local_government",
        "conceptual",
        1,
        "York City Council built a platform and processes to get staff and the community to "
        "help with strategic and operational challenges, moving from ‘a big tanker to a "
        "flotilla of active networked organisations and individuals’.",
        "The council could not solve its challenges alone, within severe funding constraints.",
        "Challenges are posted on an open platform where staff and residents put forward and "
        "develop solutions with the council.",
        (_o("participation", "Staff and residents taking part in the council's challenges"),),
        lessons="Be brave and proceed until apprehended: action matters more than a perfect plan.",
    ),
    DemoCase(
        COUNCIL,
        "Camden's Innovation and Development Fund",
        "local_government",
        "process",
        1,
        "Camden Council runs a fund to unlock the creativity and resources in the borough, "
        "finding practical ways to reduce inequality and help residents reach their full "
        "potential.",
        "Inequality in the borough, and ideas and resources in the community left unused.",
        "The fund makes grants to practical projects from the borough. It needed a cultural "
        "shift within the council.",
        (_o("participation", "Community projects funded to reduce inequality"),),
        lessons="It is a learning process: the journey matters as much as the end point.",
    ),
    DemoCase(
        HOSPITALS,
        "NHS Hack Days",
        "health",
        "conceptual",
        1,
        "Doctors, developers and designers committed to the NHS meet for one or two intense "
        "days to build prototypes that promote health. The first was held in London in May "
        "2012.",
        "The NHS was seen not to make effective use of IT.",
        "Hack days bring clinicians and technologists together around real problems; many "
        "prototypes have come out of them.",
        (_o("participation", "Prototypes built by clinicians and developers together"),),
        started_on="2012-05-01",
    ),
    DemoCase(
        COUNCIL,
        "Redesigning services with the Double Diamond (Barking and Dagenham)",
        "local_government",
        "process",
        1,
        "Barking and Dagenham Council used the Design Council's Double Diamond, first defining "
        "the challenge and then resolving it, through the Design Leadership Programme.",
        "Services needed long-term improvement, not quick fixes.",
        "The council worked through the two diamonds: discover and define the real problem, "
        "then develop and deliver solutions, supported by the Design Council.",
        (_o("quality", "Long-term improvements to services"),),
    ),
    DemoCase(
        COUNCIL,
        "Nesta's Big Green Challenge",
        "central_government",
        "conceptual",
        1,
        "Nesta's Centre for Challenge Prizes ran the Big Green Challenge, a prize for whoever "
        "could first or most effectively meet a defined challenge, reaching a much wider "
        "audience than grant funding.",
        "Grant funding reaches only the usual applicants.",
        "A challenge prize with a defined goal, open to anyone, with support from Nesta's "
        "Centre for Challenge Prizes.",
        (_o("environment", "Community-led responses to climate change"),),
        licence="CC-BY-4.0",
    ),
    DemoCase(
        COUNCIL,
        "Job services paid by outcomes",
        "central_government",
        "process",
        1,
        "Government pays job services for the number of people they actually get into work, "
        "rather than for the number of unemployed people they help.",
        "Paying for services delivered, not results, rewards activity instead of jobs.",
        "Outcomes-based commissioning frees providers to innovate in how they help people "
        "into work.",
        (_o("employment", "People into work"),),
    ),
    DemoCase(
        COUNCIL,
        "Personal budgets in social care",
        "social_care",
        "service",
        1,
        "People who need social care hold their own budgets and choose how to pay for the "
        "services they need.",
        "One-size-fits-all services do not fit people's lives.",
        "Personalisation: each person gets a budget and chooses their own services. The "
        "approach could be extended to other sectors.",
        (_o("quality", "Care chosen by the people who receive it"),),
    ),
]

ADOPTIONS: list[DemoAdoption] = [
    DemoAdoption(
        "Kaizen boards on hospital wards (Worthing Hospital)",
        COUNCIL,
        "challenge",
        "Improvement boards for our adult social care teams, starting with home care.",
        "public",
    ),
    DemoAdoption(
        "Kaizen boards on hospital wards (Worthing Hospital)",
        SCHOOLS,
        "initiative",
        "A staff-room board in two primary schools, for ideas that save teachers' time.",
    ),
    DemoAdoption(
        "Video evidence suites near where people live (Sussex)",
        COUNCIL,
        "initiative",
        "A suite in our customer service centre for witnesses in council prosecutions.",
        "public",
    ),
    DemoAdoption(
        "Talent pools instead of ‘at risk’ lists",
        HOSPITALS,
        "initiative",
        "Talent pools for administrative staff while outpatients move to electronic records.",
    ),
    DemoAdoption(
        "Technology to help teachers with marking (a free school)",
        COUNCIL,
        "challenge",
        "Ask our adult learning tutors what marking help would free them the most time.",
        "private",
    ),
]


def _person(local: str, slug: str) -> User:
    return User.objects.get(email=f"{local}@{slug}.example")


def _fields(spec: DemoCase) -> dict[str, Any]:
    return {
        "title": spec.title,
        "summary": spec.summary,
        "problem": spec.problem,
        "approach": spec.approach,
        "costs": spec.costs or NO_FIGURE.replace("this", "its costs"),
        "lessons": spec.lessons,
        "sector": spec.sector,
        "innovation_type": spec.innovation_type,
        "evidence_level": spec.evidence_level,
        "licence": spec.licence,
        "sharing": spec.sharing,
        "contact_name": "",
        "contact_email": "",
        "started_on": spec.started_on,
        "finished_on": spec.finished_on,
        "outcomes": [
            {"area": area, "statement": statement, "figure": figure}
            for area, statement, figure in spec.outcomes
        ],
    }


def _publish(spec: DemoCase) -> None:
    organisation = Organisation.objects.get(slug=spec.organisation)
    if CaseStudy.objects.filter(organisation=organisation, title=spec.title).exists():
        return
    lead = _person("lead", spec.organisation)
    fields = _fields(spec)
    fields["contact_name"], fields["contact_email"] = lead.name, lead.email
    case = services.case_create(actor=lead, organisation=organisation, **fields)
    services.case_submit(actor=lead, case=case)
    services.case_review(
        actor=_person("admin", spec.organisation),
        case=case,
        decision="published",
        checklist=CHECKLIST,
    )


def _adopt(spec: DemoAdoption) -> None:
    organisation = Organisation.objects.get(slug=spec.organisation)
    case = CaseStudy.objects.get(title=spec.case)
    if Adoption.objects.filter(case=case, organisation=organisation).exists():
        return
    services.case_adopt(
        actor=_person("lead", spec.organisation),
        case=case,
        organisation=organisation,
        kind=spec.kind,
        adaptations=spec.adaptations,
        sharing=spec.sharing,
        business_owner=_person("staff", spec.organisation) if spec.kind == "initiative" else None,
    )


# Measured results -------------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenUp:
    """A demo case told from the same example as a demo initiative with outcomes, and the
    measures its editors publish with it."""

    case: str
    initiative: str
    kpis: tuple[str, ...]
    appraisals: tuple[str, ...]


WRITTEN_UP: list[WrittenUp] = [
    WrittenUp(
        "Kaizen boards on hospital wards (Worthing Hospital)",
        "Nurses' desks in the bays",
        ("Falls on the older people's wards a month",),
        ("Three-year cost-benefit analysis of the desks",),
    ),
    WrittenUp(
        "Round-the-clock services shared by eight hospitals (Cumbria and Lancashire)",
        "Round-the-clock services shared between hospitals",
        ("Minutes to a specialist at night",),
        ("Five-year cost-benefit analysis of shared night cover",),
    ),
]


@dataclass(frozen=True)
class AdoptedKpi:
    """A KPI the organisation that adopted a case measures on the initiative it started."""

    case: str
    organisation: str
    name: str
    unit: str
    direction: str
    baseline: str
    target: str
    readings: tuple[tuple[int, str], ...]  # (months ago, value)
    source: str


ADOPTED_KPIS: list[AdoptedKpi] = [
    AdoptedKpi(
        "Kaizen boards on hospital wards (Worthing Hospital)",
        SCHOOLS,
        "Ideas from the staff-room board tried a month",
        "ideas",
        "higher",
        "0",
        "6",
        ((3, "2"), (2, "3"), (1, "5")),
        "The board's log (illustrative)",
    ),
    AdoptedKpi(
        "Video evidence suites near where people live (Sussex)",
        COUNCIL,
        "Witnesses giving evidence from the suite a month",
        "witnesses",
        "higher",
        "0",
        "10",
        ((2, "3"), (1, "4")),
        "Court listings (illustrative)",
    ),
]


def _months_ago(months: int) -> date:
    return timezone.localdate() - timedelta(days=30 * months)


def _write_up(spec: WrittenUp) -> None:
    """Link the case to its initiative, as if drafted from it, and publish the chosen
    measures, unless that is done. The demo's cases are told from the source material
    directly, so they are linked here rather than drafted from the initiatives."""
    from civicflow.initiatives.models import Initiative

    case = CaseStudy.objects.filter(title=spec.case).select_related("organisation").first()
    initiative = Initiative.objects.filter(
        title=spec.initiative, organisation__slug=HOSPITALS
    ).first()
    if case is None or initiative is None or case.source_initiative_id:
        return
    if CaseStudy.objects.filter(source_initiative=initiative).exists():
        return
    CaseStudy.objects.filter(pk=case.pk).update(source_initiative=initiative)
    case.refresh_from_db()
    services.case_measures_publish(
        actor=_person("admin", case.organisation.slug),
        case=case,
        kpis=initiative.kpis.filter(name__in=spec.kpis).values_list("pk", flat=True),
        appraisals=initiative.appraisals.filter(title__in=spec.appraisals).values_list(
            "pk", flat=True
        ),
    )


def _measure_adoption(spec: AdoptedKpi) -> None:
    from civicflow.outcomes import services as outcomes

    adoption = Adoption.objects.filter(
        case__title=spec.case, organisation__slug=spec.organisation
    ).first()
    initiative = adoption.initiative if adoption is not None else None
    if initiative is None or initiative.kpis.filter(name=spec.name).exists():
        return
    lead = _person("lead", spec.organisation)
    if not initiative.public:
        # Its KPIs reach the case's spread page only for readers who may see the initiative.
        from civicflow.initiatives.services import initiative_edit

        initiative_edit(
            actor=lead,
            initiative=initiative,
            title=initiative.title,
            summary=initiative.summary,
            public=True,
            business_owner=initiative.business_owner,
            delivery_lead=initiative.delivery_lead,
            reason="Shared with the network alongside the case it adopted",
        )
    started = _months_ago(4)
    kpi = outcomes.kpi_create(
        actor=lead,
        owner=initiative,
        name=spec.name,
        unit=spec.unit,
        direction=spec.direction,
        baseline_value=spec.baseline,
        baseline_on=started,
        target_value=spec.target,
        target_on=started + timedelta(days=365),
    )
    rows = ["date,value,source"]
    rows += [
        f"{_months_ago(months).isoformat()},{value},{spec.source}"
        for months, value in spec.readings
    ]
    outcomes.kpi_readings_import(actor=lead, kpi=kpi, content="\n".join(rows) + "\n")


def load_demo() -> None:
    """Publish the demo cases and the adoptions, link the cases told from the demo
    initiatives to their measured results, and give some adopted initiatives KPIs. Safe to
    run twice."""
    for spec in CASES:
        _publish(spec)
    for adoption in ADOPTIONS:
        _adopt(adoption)
    for written in WRITTEN_UP:
        _write_up(written)
    for measured in ADOPTED_KPIS:
        _measure_adoption(measured)
