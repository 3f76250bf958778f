"""Pages for prizes, fund rounds and hack days, from set-up to the grant, the team and the
prototype; refusals that change nothing; and the links from the challenge's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civicflow.appraisal import selectors, services
from civicflow.appraisal.models import (
    Application,
    EligibilityAnswer,
    FundRound,
    Grant,
    HackDay,
    HackTeam,
    Payment,
    Prize,
    Registration,
)
from tests.appraisal.helpers import make_round, panel_with_scores, submit_idea

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"appraisal:{name}", args=args)


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_lead_sets_up_a_prize_and_an_entrant_answers_its_questions(
    client_for, lead, prize_round, authors, resident
):
    as_lead = client_for(lead)
    setup = _url("prize_setup", prize_round.pk)
    assert client_for(resident).get(setup).status_code == 403
    assert client_for(resident).get(_url("prize", prize_round.pk)).status_code == 404
    closes = _local(timezone.now() + timedelta(days=20))
    over = as_lead.post(
        setup,
        {
            "pot": "1000",
            "closes_at": closes,
            "tier_1_name": "Winner",
            "tier_1_amount": "2000",
            "tier_1_places": "1",
        },
    )
    assert over.status_code == 400 and "more than the pot" in over.content.decode()
    assert not Prize.objects.exists()
    response = as_lead.post(
        setup,
        {
            "pot": "50000",
            "closes_at": closes,
            "tier_1_name": "Winner",
            "tier_1_amount": "30000",
            "tier_1_places": "1",
            "tier_2_name": "Runner-up",
            "tier_2_amount": "10000",
            "tier_2_places": "2",
            "questions": "Are you based in the borough?\nIs the team under 50 people?",
        },
    )
    assert response.status_code == 302
    prize = Prize.objects.get()
    assert [t.name for t in prize.tiers.all()] == ["Winner", "Runner-up"]
    assert prize.questions.count() == 2
    page = client_for(resident).get(_url("prize", prize_round.pk)).content.decode()
    assert "£50,000" in page and "Runner-up" in page and "based in the borough" in page
    idea = submit_idea(authors[0], prize_round, "Cleaner bus stops")
    as_author = client_for(authors[0])
    assert (
        "answer the eligibility questions"
        in as_author.get(_url("prize", prize_round.pk)).content.decode()
    )
    url = _url("eligibility", idea.pk)
    assert client_for(authors[1]).get(url).status_code == 403
    questions = list(prize.questions.all())
    half = as_author.post(url, {f"q_{questions[0].pk}": "yes"})
    assert half.status_code == 400
    assert not EligibilityAnswer.objects.exists()
    done = as_author.post(url, {f"q_{q.pk}": "yes" for q in questions})
    assert done.status_code == 302
    assert EligibilityAnswer.objects.filter(answer=True).count() == 2


@pytest.fixture
def fund_challenge(lead, organisation):
    return make_round(lead, organisation, kind="fund_round", title="Camden innovation fund")


def test_a_fund_round_from_set_up_to_payments(client_for, lead, fund_challenge, authors):
    as_lead = client_for(lead)
    assert (
        as_lead.post(
            _url("fund_setup", fund_challenge.pk),
            {"budget": "10000", "max_award": "6000", "outcome_based": "on"},
        ).status_code
        == 302
    )
    fund_round = FundRound.objects.get()
    assert fund_round.outcome_based
    ideas = [submit_idea(a, fund_challenge, f"Bid {i}") for i, a in enumerate(authors[:2])]
    as_author = client_for(authors[0])
    apply_url = _url("fund_apply", fund_challenge.pk)
    assert as_author.get(apply_url).status_code == 200
    bad = as_author.post(
        apply_url,
        {
            "idea": ideas[0].pk,
            "amount_requested": "6000",
            "plan": "Lunch clubs in three libraries.",
            "m_1_title": "Pilot",
            "m_1_payment": "3000",
        },
    )
    assert bad.status_code == 400 and "which outcome" in bad.content.decode()
    assert not Application.objects.exists()
    good = as_author.post(
        apply_url,
        {
            "idea": ideas[0].pk,
            "amount_requested": "6000",
            "plan": "Lunch clubs in three libraries.",
            "organisation_name": "Friends of Kentish Town",
            "m_1_title": "Pilot",
            "m_1_due_on": "2027-03-31",
            "m_1_payment": "3000",
            "m_1_outcome": "20 people attend",
            "m_2_title": "Roll-out",
            "m_2_payment": "3000",
            "m_2_outcome": "3 venues",
        },
    )
    assert good.status_code == 302
    application = Application.objects.get()
    assert application.milestones.count() == 2
    services.application_submit(
        actor=authors[1],
        fund_round=fund_round,
        idea=ideas[1],
        amount_requested=5_000,
        plan="Repair cafe.",
    )
    awards = _url("fund_awards", fund_challenge.pk)
    assert client_for(authors[0]).get(awards).status_code == 403
    page = as_lead.get(awards).content.decode()
    assert "£10,000" in page and "Friends of Kentish Town" in page
    assert (
        as_lead.post(
            awards, {"application": application.pk, "amount": "6000", "reason": "Strong plan"}
        ).status_code
        == 302
    )
    assert "£4,000" in as_lead.get(awards).content.decode()
    second = Application.objects.exclude(pk=application.pk).get()
    over = as_lead.post(awards, {"application": second.pk, "amount": "5000", "reason": "Good"})
    assert over.status_code == 400 and "4,000 left" in over.content.decode()
    assert Grant.objects.count() == 1
    letter = as_author.get(_url("award_letter", application.pk))
    assert letter.status_code == 200 and "6,000" in letter.content.decode()
    assert client_for(authors[1]).get(_url("award_letter", application.pk)).status_code == 403
    page_url = _url("application", application.pk)
    pilot = application.milestones.get(title="Pilot")
    refused = as_lead.post(page_url, {"action": "pay", "amount": "3000", "milestone": pilot.pk})
    assert refused.status_code == 400 and "outcome" in refused.content.decode()
    assert as_author.post(page_url, {"action": "pay", "amount": "1"}).status_code == 403
    reported = as_author.post(
        page_url,
        {"action": "report", "milestone": pilot.pk, "report": "24 came", "outcome_achieved": "yes"},
    )
    assert reported.status_code == 302
    paid = as_lead.post(page_url, {"action": "pay", "amount": "3000", "milestone": pilot.pk})
    assert paid.status_code == 302
    assert Payment.objects.get().amount == 3_000
    assert "£3,000 left to pay" in as_author.get(page_url).content.decode()
    fund_page = as_lead.get(_url("fund", fund_challenge.pk)).content.decode()
    assert "Left to award" in fund_page and "£4,000" in fund_page


def test_a_hack_day_event_with_registration_teams_and_prototypes(
    client_for, lead, organisation, authors, assessors
):
    challenge = make_round(lead, organisation, kind="hack_day", open_now="discover")
    as_lead = client_for(lead)
    assert as_lead.get(_url("hack_day", challenge.pk)).status_code == 302
    start = timezone.now() + timedelta(days=3)
    wrong = as_lead.post(
        _url("hack_day_setup", challenge.pk),
        {"starts_at": _local(start), "ends_at": _local(start), "capacity": "2"},
    )
    assert wrong.status_code == 400 and not HackDay.objects.exists()
    assert (
        as_lead.post(
            _url("hack_day_setup", challenge.pk),
            {
                "starts_at": _local(start),
                "ends_at": _local(start + timedelta(hours=8)),
                "place": "St Thomas' Hospital",
                "online_link": "https://meet.example.org/nhshack",
                "capacity": "2",
            },
        ).status_code
        == 302
    )
    page = _url("hack_day", challenge.pk)
    body = client_for().get(page)
    assert body.status_code == 200 and "2 of 2 left" in body.content.decode()
    for author, skills in ((authors[0], "Python, nursing"), (authors[1], "Design")):
        response = client_for(author).post(page, {"action": "register", "skills": skills})
        assert response.status_code == 302
    full = client_for(authors[2]).get(page).content.decode()
    assert "The hack day is full" in full
    assert Registration.objects.get(user=authors[0]).skills == ["Python", "nursing"]
    idea = submit_idea(authors[0], challenge, "Bed finder")
    as_first = client_for(authors[0])
    nameless = as_first.post(page, {"action": "form_team", "idea": idea.pk, "name": ""})
    assert nameless.status_code == 400
    formed = as_first.post(
        page,
        {
            "action": "form_team",
            "idea": idea.pk,
            "name": "Bed finders",
            "skills_needed": "Design, Clinical",
        },
    )
    assert formed.status_code == 302
    team = HackTeam.objects.get()
    joined = client_for(authors[1]).post(page, {"action": "join", "team": team.pk})
    assert joined.status_code == 302
    team.refresh_from_db()
    assert team.skills_needed == ["Clinical"]
    shown = client_for(authors[2]).get(page).content.decode()
    assert "Clinical" in shown and str(authors[0]) in shown
    prototype = _url("prototype", team.pk)
    assert client_for(authors[2]).get(prototype).status_code == 403
    bad = client_for(authors[1]).post(prototype, {"description": "It works", "link": "nope"})
    assert bad.status_code == 400
    saved = client_for(authors[1]).post(
        prototype,
        {
            "description": "Shows free beds by ward",
            "link": "https://example.org/beds",
            "screenshots": "https://example.org/beds.png",
        },
    )
    assert saved.status_code == 302
    assert "Screenshot 1" in client_for().get(page).content.decode()
    # Judging through the panel: blind, so the panel sees no team members' names.
    panel_with_scores(lead, challenge, assessors, [idea], k=1, blind=True)
    judged = client_for(assessors[0]).get(page).content.decode()
    assert str(authors[0]) not in judged and str(authors[1]) not in judged
    assert list(selectors.panel_entries(challenge.panel)) == [idea]


def test_the_challenge_page_links_to_its_round(client_for, lead, prize_round, resident):
    detail = prize_round.get_absolute_url()
    body = client_for(resident).get(detail).content.decode()
    assert _url("prize", prize_round.pk) in body
    assert _url("results", prize_round.pk) not in body
    as_lead = client_for(lead).get(detail).content.decode()
    assert _url("panel", prize_round.pk) in as_lead
    open_call = make_round(lead, prize_round.organisation, kind="open_call", title="Open call")
    assert (
        _url("prize", open_call.pk)
        not in client_for(resident).get(open_call.get_absolute_url()).content.decode()
    )


def test_blind_results_page_names_no_authors_to_the_panel(
    client_for, lead, prize_round, assessors, entries
):
    panel = panel_with_scores(lead, prize_round, assessors, entries, blind=True)
    services.panel_close(actor=lead, panel=panel)
    services.decision_record(
        actor=lead, panel=panel, idea=entries[0], kind="shortlisted", reason="Bold"
    )
    services.results_publish(actor=lead, panel=panel)
    name = str(entries[0].author)
    assert (
        name not in client_for(assessors[0]).get(_url("results", prize_round.pk)).content.decode()
    )
    assert name in client_for(lead).get(_url("results", prize_round.pk)).content.decode()


def test_co_authors_apply_for_and_enter_the_ideas_they_co_write(
    client_for, lead, organisation, prize_round, authors
):
    from civicflow.ideas.services import coauthor_accept, coauthor_invite

    fund_challenge = make_round(lead, organisation, kind="fund_round", title="Co-written fund")
    services.fund_round_create(actor=lead, challenge=fund_challenge, budget=10_000)
    owner, coauthor, invited = authors[:3]
    shared = submit_idea(owner, fund_challenge, "Shared lunch club")
    coauthor_invite(actor=owner, idea=shared, email=coauthor.email)
    coauthor_accept(user=coauthor, idea=shared)
    coauthor_invite(actor=owner, idea=shared, email=invited.email)  # not yet accepted
    own = submit_idea(coauthor, fund_challenge, "My own repair cafe")
    apply_url = _url("fund_apply", fund_challenge.pk)

    form = client_for(coauthor).get(apply_url).content.decode()
    assert "Shared lunch club" in form and "My own repair cafe" in form
    assert "co-write" in form
    # An invitation not yet accepted does not make someone an author.
    waiting = client_for(invited).get(apply_url).content.decode()
    assert "Shared lunch club" not in waiting and "Put your idea forward" in waiting

    applied = client_for(coauthor).post(
        apply_url, {"idea": shared.pk, "amount_requested": "4000", "plan": "Three libraries."}
    )
    assert applied.status_code == 302
    application = Application.objects.get(idea=shared)
    assert application.applicant == coauthor
    fund_page = client_for(owner).get(_url("fund", fund_challenge.pk)).content.decode()
    assert "Shared lunch club" in fund_page  # the author sees the application for their idea
    # The idea has its application, so it is no longer offered; the co-author's own idea is.
    form = client_for(owner).get(apply_url).content.decode()
    assert "Shared lunch club" not in form
    assert not Application.objects.filter(idea=own).exists()

    # A prize's co-authors answer its eligibility questions from the prize page too.
    services.prize_create(
        actor=lead,
        challenge=prize_round,
        pot=1_000,
        closes_at=timezone.now() + timedelta(days=5),
        tiers=[("Winner", 1_000, 1)],
        questions=["Are you based in the borough?"],
    )
    entry = submit_idea(owner, prize_round, "Cleaner bus stops")
    coauthor_invite(actor=owner, idea=entry, email=coauthor.email)
    coauthor_accept(user=coauthor, idea=entry)
    prize_page = client_for(coauthor).get(_url("prize", prize_round.pk)).content.decode()
    assert "Cleaner bus stops" in prize_page and _url("eligibility", entry.pk) in prize_page
