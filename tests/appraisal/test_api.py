"""Appraisal API: a prize, a fund round and a hack day run through the API, refusals that
change nothing, and blind mode: no endpoint gives a blind panel's assessors an author."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from civicflow.accounts import services as accounts_services
from civicflow.appraisal import selectors, services
from civicflow.appraisal.models import (
    Assignment,
    ConflictDeclaration,
    Decision,
    Grant,
    Payment,
    Registration,
    Score,
)
from tests.api.conftest import ApiClient
from tests.appraisal.helpers import make_round, panel_with_scores, submit_idea
from tests.factories import member

pytestmark = pytest.mark.django_db


def _api(user=None) -> ApiClient:
    if user is None:
        return ApiClient()
    _token, secret = accounts_services.api_token_create(user=user, name="Appraisal script")
    return ApiClient(secret)


def _c(challenge, rest=""):
    return f"/api/v1/challenges/{challenge.pk}{rest}"


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def test_a_lead_runs_a_prize_to_published_results(lead, prize_round, assessors, entries, resident):
    api = _api(lead)
    assert _api(resident).get(_c(prize_round, "/criteria")).status_code == 404
    criteria = api.send("POST", _c(prize_round, "/criteria"), {})
    assert criteria.status_code == 201
    keys = [c["key"] for c in criteria.json()["criteria"]]
    assert "service_users_involved" in keys
    assert criteria.json()["criteria"][0]["scale"][4] == {"score": 4, "meaning": "Excellent"}
    bad = api.send("POST", _c(prize_round, "/criteria/items"), {"name": "Reach", "weight": 0})
    assert _problem(bad, 422)["errors"][0]["field"] == "weight"
    added = api.send("POST", _c(prize_round, "/criteria/items"), {"name": "Reach", "weight": 2})
    assert added.status_code == 201 and added.json()["key"] == "reach"
    changed = api.send(
        "PUT", _c(prize_round, "/criteria/items/reach"), {"name": "Reach", "weight": 3}
    )
    assert changed.json()["weight"] == 3
    assert api.delete(_c(prize_round, "/criteria/items/reach")).status_code == 204
    assert api.post(_c(prize_round, "/criteria/publish")).json()["published"] is True
    assert _api(resident).get(_c(prize_round, "/criteria")).status_code == 200
    refused = api.send("POST", _c(prize_round, "/criteria/items"), {"name": "Late", "weight": 1})
    assert "published" in _problem(refused, 422)["detail"]

    now = timezone.now()
    prize = api.send(
        "POST",
        _c(prize_round, "/prize"),
        {
            "pot": 50_000,
            "closes_at": (now + timedelta(days=1)).isoformat(),
            "tiers": [
                {"name": "Winner", "amount": 30_000},
                {"name": "Runner-up", "amount": 10_000, "places": 2},
            ],
            "questions": ["Is your organisation based in the borough?"],
        },
    )
    assert prize.status_code == 201, prize.content
    assert [t["name"] for t in prize.json()["tiers"]] == ["Winner", "Runner-up"]
    question = prize.json()["questions"][0]["id"]
    entry = entries[0]
    answer = {"answers": [{"question_id": question, "answer": True}]}
    assert (
        _api(entry.author).send("PUT", f"/api/v1/ideas/{entry.pk}/eligibility", answer).status_code
        == 204
    )
    assert (
        _api(resident).send("PUT", f"/api/v1/ideas/{entry.pk}/eligibility", answer).status_code
        == 403
    )

    assert (
        api.send("POST", _c(prize_round, "/panel"), {"reviews_per_submission": 2}).status_code
        == 201
    )
    for assessor in assessors:
        assert (
            api.send(
                "POST", _c(prize_round, "/panel/assessors"), {"user_id": assessor.pk}
            ).status_code
            == 201
        )
    not_an_assessor = api.send(
        "POST", _c(prize_round, "/panel/assessors"), {"user_id": resident.pk}
    )
    _problem(not_an_assessor, 422)
    assert api.post(_c(prize_round, "/panel/allocate")).json() == {"added": 8}
    panel = api.get(_c(prize_round, "/panel")).json()
    assert panel["entries"] == 4
    assert sorted(p["assigned"] for p in panel["progress"]) == [2, 3, 3]

    judge = assessors[0]
    as_judge = _api(judge)
    queue = as_judge.get(_c(prize_round, "/panel/reviews")).json()["items"]
    assert queue and not queue[0]["declared"]
    review = _c(prize_round, f"/panel/reviews/{queue[0]['assignment_id']}")
    scores = dict.fromkeys(keys, 3)
    early = as_judge.send("PUT", f"{review}/scores", {"scores": scores})
    assert "Declare your interests" in _problem(early, 422)["detail"]
    declared = as_judge.send("PUT", f"{review}/declaration", {"has_conflict": False})
    assert declared.json()["declaration"] == {"has_conflict": False, "details": ""}
    off_scale = as_judge.send("PUT", f"{review}/scores", {"scores": {**scores, keys[0]: 9}})
    assert _problem(off_scale, 422)["errors"][0]["field"] == keys[0]
    assert not Score.objects.exists()
    scored = as_judge.send("PUT", f"{review}/scores", {"scores": scores, "comment": "Clear"})
    assert scored.status_code == 200 and scored.json()["submitted_at"]
    assert len(scored.json()["scores"]) == len(keys)

    ranking = api.get(_c(prize_round, "/panel/ranking")).json()["items"]
    assert ranking[0]["idea_id"] == queue[0]["idea_id"]
    assert ranking[0]["raw_mean"] == 3.0 and ranking[0]["rank"] == 1
    shortlist = {"idea_id": entry.pk, "kind": "shortlisted", "reason": "Bold and clear"}
    assert api.send("POST", _c(prize_round, "/panel/decisions"), shortlist).status_code == 201
    award = {"idea_id": entry.pk, "kind": "awarded", "reason": "Best", "tier_id": 999_999}
    _problem(api.send("POST", _c(prize_round, "/panel/decisions"), award), 422)
    assert api.send("POST", _c(prize_round, "/panel/close"), {}).json()["status"] == "closed"
    late = as_judge.send("PUT", f"{review}/scores", {"scores": dict.fromkeys(keys, 1)})
    assert "closed" in _problem(late, 422)["detail"]
    assert set(Score.objects.values_list("value", flat=True)) == {3}
    award["tier_id"] = prize.json()["tiers"][0]["id"]
    early_award = api.send("POST", _c(prize_round, "/panel/decisions"), award)
    assert "still open" in _problem(early_award, 422)["detail"]
    prize_row = prize_round.prize
    prize_row.closes_at = now - timedelta(minutes=1)
    prize_row.save()
    awarded = api.send("POST", _c(prize_round, "/panel/decisions"), award)
    assert awarded.status_code == 201 and awarded.json()["amount"] == 30_000
    assert api.get(_c(prize_round, "/panel/decisions")).json()["count"] == 2
    assert _api(resident).get(_c(prize_round, "/results")).status_code == 404
    published = api.send("POST", _c(prize_round, "/panel/results"), {"summary": "Well done"})
    assert published.status_code == 201
    results = _api().get(_c(prize_round, "/results")).json()
    assert results["summary"] == "Well done"
    assert results["results"][0]["reason"] == "Best"
    assert results["results"][0]["tier"] == "Winner"
    assert results["results"][0]["author"]["name"] == str(entry.author)
    reopen = api.send("POST", _c(prize_round, "/panel/reopen"), {"reason": "Oops"})
    assert "published" in _problem(reopen, 422)["detail"]


def test_who_may_call_what(lead, prize_round, assessors, entries, resident, other_organisation):
    panel_with_scores(lead, prize_round, assessors, entries)
    assert _problem(_api().get(_c(prize_round, "/panel")), 401)
    assert _problem(_api(assessors[0]).get(_c(prize_round, "/panel/ranking")), 403)
    assert _problem(_api(resident).get(_c(prize_round, "/panel/reviews")), 403)
    theirs = Assignment.objects.exclude(assessor=assessors[0]).first()
    other = _api(assessors[0]).get(_c(prize_round, f"/panel/reviews/{theirs.pk}"))
    assert _problem(other, 404)
    outsider = member(other_organisation, "innovation_lead")
    assert _problem(_api(outsider).get(_c(prize_round, "/panel")), 403)
    assert _problem(_api(lead).get("/api/v1/challenges/999999/criteria"), 404)


def test_a_declared_conflict_blocks_the_review(lead, prize_round, assessors, entries):
    panel = panel_with_scores(lead, prize_round, assessors, entries[:2], k=1)
    assignment = Assignment.objects.filter(assessor=assessors[0]).first()
    assignment.scores.all().delete()
    ConflictDeclaration.objects.filter(assessor=assessors[0]).delete()
    as_judge = _api(assessors[0])
    url = _c(prize_round, f"/panel/reviews/{assignment.pk}")
    vague = as_judge.send("PUT", f"{url}/declaration", {"has_conflict": True})
    assert _problem(vague, 422)["errors"][0]["field"] == "details"
    blocked = as_judge.send(
        "PUT", f"{url}/declaration", {"has_conflict": True, "details": "My sister wrote it"}
    )
    assert blocked.status_code == 200
    scores = dict.fromkeys(prize_round.criteria_set.criteria.values_list("key", flat=True), 2)
    refused = as_judge.send("PUT", f"{url}/scores", {"scores": scores})
    assert "conflict" in _problem(refused, 422)["detail"]
    assert panel.assignments.get(pk=assignment.pk).is_blocked


def _texts_of(*responses):
    for response in responses:
        yield response.content.decode()


def test_blind_mode_gives_the_panel_no_authors_through_any_endpoint(
    lead, organisation, assessors, authors
):
    fund = make_round(lead, organisation, kind="fund_round", title="Blind fund")
    fund_round = services.fund_round_create(actor=lead, challenge=fund, budget=20_000)
    ideas = []
    for i, author in enumerate(authors[:3]):
        idea = submit_idea(author, fund, f"Bid {i}")
        services.application_submit(
            actor=author,
            fund_round=fund_round,
            idea=idea,
            amount_requested=1_000,
            plan="Plan",
            organisation_name=f"Friends of Ward {i}",
        )
        services.business_case_save(actor=author, idea=idea, point="P", justification="J")
        ideas.append(idea)
    panel_with_scores(lead, fund, assessors, ideas, k=2, blind=True)
    secrets = [str(a) for a in authors[:3]] + [a.email for a in authors[:3]]
    secrets += [f"Friends of Ward {i}" for i in range(3)]
    judge = assessors[0]
    as_judge = _api(judge)
    reviews = as_judge.get(_c(fund, "/panel/reviews"))
    assert reviews.status_code == 200 and reviews.json()["items"]
    seen = [reviews]
    for item in reviews.json()["items"]:
        assert item["author"] is None
        review = as_judge.get(_c(fund, f"/panel/reviews/{item['assignment_id']}"))
        assert review.status_code == 200
        assert review.json()["submission"]["author"] is None
        assert review.json()["application"]["amount_requested"] == 1_000
        seen.append(review)
        seen.append(as_judge.get(f"/api/v1/ideas/{item['idea_id']}/business-case"))
    application = fund_round.applications.first()
    seen += [
        as_judge.get(_c(fund, "/panel/ranking")),
        as_judge.get(_c(fund, "/panel/decisions")),
        as_judge.get(_c(fund, "/fund/applications")),
        as_judge.get(f"/api/v1/fund-applications/{application.pk}"),
        as_judge.get(_c(fund, "/results")),
        as_judge.get(_c(fund, "/fund")),
    ]
    for text in _texts_of(*seen):
        assert not any(secret in text for secret in secrets), text
    # A lead who sits on the blind panel is blind too.
    lead.memberships.create(organisation=organisation, role="assessor")
    from civicflow.accounts.selectors import forget_user_roles

    forget_user_roles(lead)
    services.panel_member_add(actor=lead, panel=fund.panel, user=lead)
    as_lead = _api(lead)
    lead_views = [
        as_lead.get(_c(fund, "/panel/ranking")),
        as_lead.get(_c(fund, "/fund/applications")),
        as_lead.get(f"/api/v1/fund-applications/{application.pk}"),
    ]
    for response in lead_views:
        assert response.status_code == 200
    for text in _texts_of(*lead_views):
        assert not any(secret in text for secret in secrets), text
    # A lead who is not on the panel sees who applied.
    other_lead = member(organisation, "innovation_lead")
    listed = _api(other_lead).get(_c(fund, "/fund/applications")).json()["items"]
    assert {a["organisation_name"] for a in listed} == {f"Friends of Ward {i}" for i in range(3)}
    ranking = _api(other_lead).get(_c(fund, "/panel/ranking")).json()["items"]
    assert all(row["author"] for row in ranking)


def test_a_fund_round_through_the_api(lead, organisation, authors):
    fund = make_round(lead, organisation, kind="fund_round", title="Innovation fund")
    api = _api(lead)
    created = api.send(
        "POST", _c(fund, "/fund"), {"budget": 10_000, "max_award": 6_000, "outcome_based": True}
    )
    assert created.status_code == 201 and created.json()["remaining"] == 10_000
    assert _api().get(_c(fund, "/fund")).json()["remaining"] is None
    ideas = [submit_idea(a, fund, f"Bid {i}") for i, a in enumerate(authors[:2])]
    payload = {
        "idea_id": ideas[0].pk,
        "amount_requested": 6_000,
        "plan": "Start in spring.",
        "milestones": [
            {"title": "Pilot", "payment": 3_000, "outcome": "20 people attend"},
            {"title": "Roll-out", "payment": 3_000, "outcome": "3 venues"},
        ],
    }
    as_author = _api(authors[0])
    applied = as_author.send("POST", _c(fund, "/fund/applications"), payload)
    assert applied.status_code == 201, applied.content
    first = applied.json()
    again = as_author.send("POST", _c(fund, "/fund/applications"), payload)
    assert "already" in _problem(again, 422)["detail"]
    not_mine = _api(authors[1]).send("POST", _c(fund, "/fund/applications"), payload)
    _problem(not_mine, 403)
    second = (
        _api(authors[1])
        .send(
            "POST",
            _c(fund, "/fund/applications"),
            {"idea_id": ideas[1].pk, "amount_requested": 5_000, "plan": "Plan"},
        )
        .json()
    )
    url = f"/api/v1/fund-applications/{first['id']}"
    assert _problem(_api(authors[1]).get(url), 403)
    granted = api.send("POST", f"{url}/grant", {"amount": 6_000, "reason": "Strong plan"})
    assert granted.status_code == 201
    assert "6,000" in granted.json()["grant"]["letter"]
    assert api.get(_c(fund, "/fund")).json()["remaining"] == 4_000
    over = api.send(
        "POST",
        f"/api/v1/fund-applications/{second['id']}/grant",
        {"amount": 5_000, "reason": "Good"},
    )
    assert "4,000 left" in _problem(over, 422)["detail"]
    assert Grant.objects.count() == 1
    pilot = first["milestones"][0]["id"]
    unpaid = api.send("POST", f"{url}/payments", {"amount": 3_000, "milestone_id": pilot})
    assert "outcome" in _problem(unpaid, 422)["detail"]
    report = as_author.send(
        "POST",
        f"{url}/reports",
        {"milestone_id": pilot, "report": "24 came", "outcome_achieved": True},
    )
    assert report.status_code == 201 and report.json()["reports"][0]["outcome_achieved"]
    _problem(as_author.send("POST", f"{url}/payments", {"amount": 1, "milestone_id": pilot}), 403)
    paid = api.send("POST", f"{url}/payments", {"amount": 3_000, "milestone_id": pilot})
    assert paid.json()["grant"]["left_to_pay"] == 3_000
    too_much = api.send("POST", f"{url}/payments", {"amount": 3_001, "milestone_id": pilot})
    _problem(too_much, 422)
    assert Payment.objects.count() == 1
    summary = api.get(_c(fund, "/fund")).json()
    assert (summary["committed"], summary["remaining"], summary["paid"]) == (6_000, 4_000, 3_000)
    mine = as_author.get(url).json()
    assert mine["grant"]["amount"] == 6_000 and mine["applicant"]["id"] == authors[0].pk


def test_a_hack_day_through_the_api(lead, organisation, authors):
    challenge = make_round(lead, organisation, kind="hack_day", open_now="discover")
    api = _api(lead)
    now = timezone.now()
    event = {
        "starts_at": (now + timedelta(days=3)).isoformat(),
        "ends_at": (now + timedelta(days=3, hours=8)).isoformat(),
        "capacity": 2,
        "place": "Town hall",
        "online_link": "https://meet.example.org/hack",
    }
    wrong = api.send("POST", _c(challenge, "/hack-day"), {**event, "ends_at": event["starts_at"]})
    _problem(wrong, 422)
    assert api.send("POST", _c(challenge, "/hack-day"), event).status_code == 201
    register = _c(challenge, "/hack-day/registrations")
    assert _api(authors[0]).send("POST", register, {"skills": ["Python"]}).status_code == 201
    assert _api(authors[1]).send("POST", register, {"skills": ["Design"]}).status_code == 201
    full = _api(authors[2]).send("POST", register, {"skills": ["SQL"]})
    assert "full" in _problem(full, 422)["detail"]
    assert Registration.objects.count() == 2
    idea = submit_idea(authors[0], challenge, "Bed finder")
    team = _api(authors[0]).send(
        "POST",
        _c(challenge, "/hack-day/teams"),
        {"idea_id": idea.pk, "name": "Bed finders", "skills_needed": ["Design", "Clinical"]},
    )
    assert team.status_code == 201
    team_url = f"/api/v1/hack-teams/{team.json()['id']}"
    _problem(_api(authors[2]).post(f"{team_url}/members"), 403)
    joined = _api(authors[1]).post(f"{team_url}/members")
    assert joined.json()["skills_needed"] == ["Clinical"] and joined.json()["members"] == 2
    bad = _api(authors[1]).send(
        "PUT", f"{team_url}/prototype", {"description": "It works", "screenshots": ["nope"]}
    )
    _problem(bad, 422)
    built = _api(authors[1]).send(
        "PUT",
        f"{team_url}/prototype",
        {
            "description": "It works",
            "link": "https://example.org/beds",
            "screenshots": ["https://example.org/beds.png"],
        },
    )
    assert built.json()["prototype"]["link"] == "https://example.org/beds"
    shown = _api().get(_c(challenge, "/hack-day")).json()
    assert shown["places_left"] == 0
    assert shown["teams"][0]["prototype"]["screenshots"] == ["https://example.org/beds.png"]
    assert "email" not in json.dumps(shown)
    panel = services.panel_create(actor=lead, challenge=challenge)
    assert list(selectors.panel_entries(panel)) == [idea]


def test_business_case_through_the_api(entries, authors, lead):
    url = f"/api/v1/ideas/{entries[0].pk}/business-case"
    as_author = _api(authors[0])
    assert _problem(as_author.get(url), 404)
    case = {
        "point": "Fewer missed bins",
        "justification": "Texts work",
        "barriers": [{"kind": "top_down", "counter_measure": "Designed with crews"}],
    }
    _problem(_api(authors[1]).send("PUT", url, case), 403)
    bad = as_author.send(
        "PUT", url, {**case, "barriers": [{"kind": "nope", "counter_measure": "x"}]}
    )
    _problem(bad, 422)
    saved = as_author.send("PUT", url, case)
    assert saved.status_code == 200 and saved.json()["barriers"][0]["kind"] == "top_down"
    assert _api(lead).get(url).json()["point"] == "Fewer missed bins"
    _problem(_api(authors[1]).get(url), 403)
    assert Decision.objects.count() == 0


def test_the_ideas_own_pages_and_api_name_no_author_to_a_blind_panel(
    lead, organisation, assessors, authors, client_for
):
    from django.urls import reverse

    fund = make_round(lead, organisation, kind="prize", title="Blind ideas")
    ideas = [submit_idea(author, fund, f"Blind bid {i}") for i, author in enumerate(authors[:2])]
    from civicflow.ideas import services as idea_services

    idea_services.coauthor_invite(actor=authors[0], idea=ideas[0], email=authors[2].email)
    invite = ideas[0].coauthors.get()
    idea_services.coauthor_accept(user=authors[2], idea=ideas[0])
    idea_services.idea_update(actor=authors[2], idea=ideas[0], title="Blind bid, improved")
    panel_with_scores(lead, fund, assessors, ideas, k=1, blind=True)
    names = [str(a) for a in authors[:3]] + [a.email for a in authors[:3]]
    judge, outsider = assessors[0], authors[3]
    pages = [
        reverse("ideas:list", args=[organisation.slug, fund.slug]),
        ideas[0].get_absolute_url(),
        reverse("ideas:history", args=[ideas[0].pk]),
    ]
    api = [
        f"/api/v1/organisations/{organisation.slug}/challenges/{fund.slug}/ideas",
        f"/api/v1/ideas/{ideas[0].pk}",
        f"/api/v1/ideas/{ideas[0].pk}/versions",
        f"/api/v1/ideas/{ideas[0].pk}/coauthors",
    ]
    as_judge = client_for(judge)
    seen = [as_judge.get(path) for path in pages] + [_api(judge).get(path) for path in api]
    assert all(response.status_code == 200 for response in seen)
    for text in _texts_of(*seen):
        assert not any(name in text for name in names), text
    assert "judged blind" in seen[1].content.decode()
    # Everyone else still sees who wrote them.
    as_outsider = client_for(outsider)
    assert str(authors[0]) in as_outsider.get(ideas[0].get_absolute_url()).content.decode()
    assert _api(outsider).get(api[1]).json()["author"]["name"] == str(authors[0])
    assert invite.pk


def test_the_rounds_lists_come_a_page_at_a_time(lead, organisation, assessors, authors):
    """The ranking, the decisions, the applications and an assessor's reviews are paginated
    like every other list: ``page`` and ``page_size`` in, ``count``, ``pages`` and links out,
    and a page past the end is empty."""
    fund = make_round(lead, organisation, kind="fund_round", title="Paged fund")
    fund_round = services.fund_round_create(actor=lead, challenge=fund, budget=100_000)
    ideas = []
    for i, author in enumerate(authors):
        idea = submit_idea(author, fund, f"Bid {i}")
        services.application_submit(
            actor=author, fund_round=fund_round, idea=idea, amount_requested=1_000, plan="Plan"
        )
        ideas.append(idea)
    panel = panel_with_scores(lead, fund, assessors, ideas, k=2)
    for idea in ideas[:3]:
        services.decision_record(
            actor=lead, panel=panel, idea=idea, kind="shortlisted", reason="Promising"
        )
    api = _api(lead)

    whole = api.get(_c(fund, "/panel/ranking")).json()
    assert whole["count"] == 4 and whole["pages"] == 1 and whole["next"] is None
    first = api.get(_c(fund, "/panel/ranking?page_size=3")).json()
    assert (first["count"], first["page"], first["pages"]) == (4, 1, 2)
    assert len(first["items"]) == 3 and first["previous"] is None
    assert first["next"].endswith("/panel/ranking?page_size=3&page=2")
    second = api.get(first["next"]).json()
    assert len(second["items"]) == 1 and second["next"] is None
    ranked = [r["idea_id"] for r in first["items"] + second["items"]]
    assert ranked == [r["idea_id"] for r in whole["items"]]
    assert [r["rank"] for r in first["items"] + second["items"]] == [
        r["rank"] for r in whole["items"]
    ]

    decisions = api.get(_c(fund, "/panel/decisions?page_size=2&page=2")).json()
    assert (decisions["count"], decisions["pages"], len(decisions["items"])) == (3, 2, 1)
    assert decisions["items"][0]["idea_id"] == ideas[0].pk  # newest first: the first is last

    applications = api.get(_c(fund, "/fund/applications?page_size=3")).json()
    assert applications["count"] == 4 and len(applications["items"]) == 3
    assert [a["idea_id"] for a in applications["items"]] == [i.pk for i in ideas[:3]]
    past_the_end = api.get(_c(fund, "/fund/applications?page=9")).json()
    assert past_the_end["items"] == [] and past_the_end["count"] == 4

    reviews = _api(assessors[0]).get(_c(fund, "/panel/reviews?page_size=1")).json()
    assert reviews["count"] == Assignment.objects.filter(assessor=assessors[0]).count()
    assert len(reviews["items"]) == 1
    assert _problem(api.get(_c(fund, "/panel/decisions?page_size=101")), 422)
