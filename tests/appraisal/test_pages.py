"""Appraisal pages: a prize run from criteria to published results, and blind mode."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicflow.appraisal import services
from civicflow.appraisal.models import Assignment, Decision, Score
from tests.appraisal.helpers import panel_with_scores

pytestmark = pytest.mark.django_db


def _url(name, challenge, *args):
    return reverse(f"appraisal:{name}", args=[challenge.pk, *args])


def test_a_lead_runs_a_prize_from_criteria_to_published_results(
    client_for, lead, prize_round, assessors, entries, resident
):
    as_lead = client_for(lead)
    assert as_lead.post(_url("criteria_edit", prize_round), {"action": "create"}).status_code == 302
    response = as_lead.post(
        _url("criteria_edit", prize_round), {"action": "add", "name": "", "weight": "3"}
    )
    assert response.status_code == 400
    as_lead.post(_url("criteria_edit", prize_round), {"action": "publish"})
    public = client_for(resident).get(_url("criteria", prize_round))
    assert public.status_code == 200
    assert "Service users involved" in public.content.decode()
    as_lead.post(
        _url("panel", prize_round),
        {"action": "settings", "reviews_per_submission": "2", "rank_by": "standardised"},
    )
    for assessor in assessors:
        as_lead.post(_url("panel", prize_round), {"action": "add_assessor", "user": assessor.pk})
    as_lead.post(_url("panel", prize_round), {"action": "allocate"})
    assert Assignment.objects.count() == 8
    judge = assessors[0]
    as_judge = client_for(judge)
    queue = as_judge.get(_url("queue", prize_round))
    assert queue.status_code == 200
    assignment = Assignment.objects.filter(assessor=judge).first()
    review = _url("review", prize_round, assignment.pk)
    assert "Declare your interests" in as_judge.get(review).content.decode()
    as_judge.post(review, {"action": "declare", "has_conflict": "no"})
    keys = list(prize_round.criteria_set.criteria.values_list("key", flat=True))
    bad = {f"score-{k}": "3" for k in keys} | {f"score-{keys[0]}": "9", "action": "score"}
    response = as_judge.post(review, bad)
    assert response.status_code == 400
    assert "from 0 to 4" in response.content.decode()
    assert not Score.objects.exists()
    good = {f"score-{k}": "3" for k in keys} | {"action": "score", "comment": "Promising"}
    assert as_judge.post(review, good).status_code == 302
    assert Score.objects.count() == len(keys)
    ranking = as_lead.get(_url("ranking", prize_round))
    assert ranking.status_code == 200 and "Raw mean" in ranking.content.decode()
    as_lead.post(
        _url("ranking", prize_round),
        {"action": "decide", "idea": assignment.idea_id, "kind": "shortlisted", "reason": "Bold"},
    )
    assert Decision.objects.get().reason == "Bold"
    as_lead.post(_url("panel", prize_round), {"action": "close"})
    as_lead.post(_url("ranking", prize_round), {"action": "publish", "summary": "Well done"})
    results = client_for(resident).get(_url("results", prize_round))
    assert results.status_code == 200
    body = results.content.decode()
    assert "Bold" in body and assignment.idea.title in body
    export = as_lead.get(_url("export", prize_round))
    assert export["Content-Type"].startswith("text/csv")
    assert "Promising" in export.content.decode() and "Bold" in export.content.decode()


def test_results_are_hidden_until_published(client_for, lead, prize_round, assessors, entries):
    panel_with_scores(lead, prize_round, assessors, entries)
    assert client_for(assessors[0]).get(_url("results", prize_round)).status_code == 404
    assert client_for(lead).get(_url("results", prize_round)).status_code == 200


def test_blind_mode_hides_authors_from_the_panel_everywhere(
    client_for, lead, prize_round, assessors, entries
):
    panel = panel_with_scores(lead, prize_round, assessors, entries, blind=True)
    names = [str(e.author) for e in entries]
    judge = assessors[0]
    as_judge = client_for(judge)
    pages = [as_judge.get(_url("queue", prize_round))]
    pages += [
        as_judge.get(_url("review", prize_round, a.pk))
        for a in Assignment.objects.filter(assessor=judge)
    ]
    for page in pages:
        assert page.status_code == 200
        assert not any(name in page.content.decode() for name in names)
    # A lead who sits on a blind panel is blind too: ranking and export carry no names.
    services.panel_member_add(
        actor=lead, panel=panel, user=_make_assessor(lead, prize_round.organisation)
    )
    lead.memberships.create(organisation=prize_round.organisation, role="assessor")
    from civicflow.accounts.selectors import forget_user_roles

    forget_user_roles(lead)
    services.panel_member_add(actor=lead, panel=panel, user=lead)
    as_lead = client_for(lead)
    for page in (
        as_lead.get(_url("ranking", prize_round)),
        as_lead.get(_url("export", prize_round)),
    ):
        assert not any(name in page.content.decode() for name in names)


def _make_assessor(lead, organisation):
    from tests.factories import member

    return member(organisation, "assessor")


def test_an_assessor_cannot_open_someone_elses_review(
    client_for, lead, prize_round, assessors, entries
):
    panel_with_scores(lead, prize_round, assessors, entries)
    other = Assignment.objects.exclude(assessor=assessors[0]).first()
    response = client_for(assessors[0]).get(_url("review", prize_round, other.pk))
    assert response.status_code == 404


def test_business_case_form_for_authors(client_for, entries, authors):
    url = reverse("appraisal:business_case", args=[entries[0].pk])
    assert client_for(authors[1]).get(url).status_code == 403
    as_author = client_for(authors[0])
    assert as_author.get(url).status_code == 200
    response = as_author.post(url, {"point": "Fewer missed bins", "justification": ""})
    assert response.status_code == 400
    response = as_author.post(
        url,
        {
            "point": "Fewer missed bins",
            "justification": "Texts work",
            "barrier_top_down": "Designed with crews",
        },
    )
    assert response.status_code == 302
    assert entries[0].business_case.barriers.get().kind == "top_down"
