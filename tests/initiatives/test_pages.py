"""The initiative pages: the portfolio board, starting from an idea, the detail page with its
lineage and timeline, running an initiative, gate decisions, the register and its exports, the
public accountability page and the funnel."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicflow.initiatives import services
from civicflow.initiatives.models import Decision, GateDecision, Initiative, Stage, Status
from tests.factories import member

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's visible text, with runs of white space made single."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


def url(name: str, *args) -> str:
    return reverse(f"initiatives:{name}", args=args)


# The portfolio --------------------------------------------------------------------------------


def test_the_board_shows_initiatives_by_stage(
    client_for, staff_user, organisation, make_initiative
):
    make_initiative(title="Bin day texts")
    make_initiative(title="Shared bin stores", stage=Stage.SCALE)

    page = text(client_for(staff_user).get(url("portfolio", organisation.slug)))

    assert "Test (1)" in page
    assert "Scale (1)" in page
    assert page.index("Test (1)") < page.index("Bin day texts") < page.index("Implement (0)")
    assert "Owner: Olu Owner" in page


def test_stalled_initiatives_are_marked_and_filtered(
    client_for, staff_user, organisation, make_initiative
):
    old = make_initiative(title="Forgotten pilot")
    make_initiative(title="Busy pilot")
    Initiative.objects.filter(pk=old.pk).update(last_update_at=timezone.now() - timedelta(days=90))
    client = client_for(staff_user)

    page = text(client.get(url("portfolio", organisation.slug)))
    assert "Stalled" in page
    filtered = text(client.get(url("portfolio", organisation.slug) + "?stalled=60"))
    assert "Forgotten pilot" in filtered
    assert "Busy pilot" not in filtered


def test_people_outside_see_only_public_initiatives(
    client_for, resident, organisation, make_initiative
):
    make_initiative(title="Private pilot")
    make_initiative(title="Open pilot", public=True)

    page = text(client_for(resident).get(url("portfolio", organisation.slug)))
    assert "Open pilot" in page
    assert "Private pilot" not in page
    assert "Decision register" not in page


def test_the_board_costs_the_same_queries_however_many_initiatives(
    client_for, staff_user, organisation, make_initiative
):
    client = client_for(staff_user)
    make_initiative(title="One")
    address = url("portfolio", organisation.slug)
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        client.get(address)
    for number in range(8):
        make_initiative(title=f"More {number}", stage=Stage.IMPLEMENT)
    with CaptureQueriesContext(connection) as many:
        client.get(address)
    assert len(few) == len(many)


# Starting from an idea, and the lineage both ways ---------------------------------------------


def test_a_lead_starts_an_initiative_from_the_selected_idea(
    client_for, lead, owner, organisation, idea
):
    client = client_for(lead)
    form = client.get(url("start", organisation.slug) + f"?idea={idea.pk}")
    assert idea.title in text(form)

    response = client.post(
        url("start", organisation.slug),
        {"idea": idea.pk, "title": "Bin day texts", "business_owner": owner.pk},
    )

    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == initiative.get_absolute_url()
    assert initiative.idea == idea
    detail = text(client.get(initiative.get_absolute_url()))
    assert f"Challenge: {idea.challenge.title}" in detail
    assert f"Idea: {idea.title}" in detail
    idea_page = text(client.get(idea.get_absolute_url()))
    assert "Initiative: Bin day texts" in idea_page


def test_starting_without_a_title_shows_the_error(client_for, lead, organisation):
    response = client_for(lead).post(url("start", organisation.slug), {"title": ""})

    assert response.status_code == 400
    assert "Enter the title" in text(response)
    assert not Initiative.objects.exists()


def test_members_without_the_role_cannot_start(client_for, staff_user, organisation):
    assert client_for(staff_user).get(url("start", organisation.slug)).status_code == 403


# The detail page ----------------------------------------------------------------------------


def test_the_detail_page_shows_who_decided_and_why(client_for, staff_user, decider, initiative):
    services.gate_decide(
        actor=decider,
        initiative=initiative,
        decision=Decision.GO,
        reason="Missed collections fell by a third on the pilot rounds.",
        conditions="Report monthly to the waste board.",
        evidence_links=["https://example.org/pilot-report"],
    )
    services.progress_update_add(
        actor=initiative.business_owner, initiative=initiative, body="All rounds booked."
    )

    page = text(client_for(staff_user).get(initiative.get_absolute_url()))

    assert "Go: Test → Implement" in page
    assert "Dee Decider" in page
    assert "Missed collections fell by a third on the pilot rounds." in page
    assert "Report monthly to the waste board." in page
    assert "Update from Olu Owner" in page
    assert "Initiative started in the test stage" in page


def test_a_private_initiative_is_hidden_from_outsiders(client_for, outsider, initiative):
    assert client_for(outsider).get(initiative.get_absolute_url()).status_code == 404
    anonymous = client_for().get(initiative.get_absolute_url())
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))


# Gate decisions through the form ---------------------------------------------------------------


def test_a_decision_maker_records_a_go(client_for, decider, initiative):
    response = client_for(decider).post(
        url("decide", initiative.pk),
        {
            "decision": "go",
            "reason": "The pilot worked.",
            "evidence_links": "https://example.org/a\nhttps://example.org/b",
        },
    )

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.stage == Stage.IMPLEMENT
    assert GateDecision.objects.get().evidence_links == [
        "https://example.org/a",
        "https://example.org/b",
    ]


def test_a_decision_without_a_reason_is_refused_on_the_page(client_for, decider, initiative):
    response = client_for(decider).post(url("decide", initiative.pk), {"decision": "go"})

    assert response.status_code == 400
    assert "Enter the reason for the decision" in text(response)
    initiative.refresh_from_db()
    assert initiative.stage == Stage.TEST


def test_a_lead_cannot_decide(client_for, lead, initiative):
    response = client_for(lead).post(
        url("decide", initiative.pk), {"decision": "go", "reason": "x"}
    )

    assert response.status_code == 403
    assert not GateDecision.objects.exists()


def test_a_correction_through_the_form(client_for, decider, initiative):
    client = client_for(decider)
    client.post(url("decide", initiative.pk), {"decision": "stop", "reason": "No budget."})

    response = client.post(
        url("decide", initiative.pk),
        {"decision": "hold", "reason": "Stop was premature.", "correct_latest": "on"},
    )

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.ON_HOLD
    page = text(client.get(initiative.get_absolute_url()))
    assert "Corrected" in page
    assert "The Stop decision of" in page


# Running an initiative -------------------------------------------------------------------------


def test_the_owner_posts_updates_milestones_plans_and_an_evaluation_plan(
    client_for, owner, organisation, initiative
):
    client = client_for(owner)
    assert (
        client.post(
            url("progress", initiative.pk), {"action": "update", "body": "Live."}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url("progress", initiative.pk),
            {"action": "milestone", "m-title": "Pilot ends", "m-due_on": "2026-06-30"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            url("plan", initiative.pk),
            {
                "action": "plan",
                "plan-stage": "test",
                "plan-planned_start": "2026-01-05",
                "plan-planned_end": "2026-06-30",
                "plan-budget": "12500",
                "plan-spent": "3200.50",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            url("plan", initiative.pk),
            {"action": "criterion", "stage": "implement", "text": "Pilot results reviewed"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            url("evaluation", initiative.pk),
            {
                "question": "Do texts cut missed collections?",
                "design": "comparison",
                "review_dates": "2026-09-30\n2027-03-31",
            },
        ).status_code
        == 302
    )
    colleague = member(organisation, name="Cal Colleague")
    assert (
        client.post(
            url("team", initiative.pk), {"action": "add", "user": colleague.pk, "role": "Analyst"}
        ).status_code
        == 302
    )

    page = text(client.get(initiative.get_absolute_url()))
    assert "£12,500" in page
    assert "£3,200.50" in page
    assert "Pilot results reviewed" in page
    assert "Do texts cut missed collections?" in page
    assert "30 September 2026" in page
    assert "Cal Colleague, Analyst" in page
    assert "Milestone due: Pilot ends" in page


def test_a_bad_date_is_refused_with_a_message(client_for, owner, initiative):
    response = client_for(owner).post(
        url("evaluation", initiative.pk),
        {"question": "Q?", "design": "comparison", "review_dates": "next spring"},
    )

    assert response.status_code == 400
    assert "Line 1: enter a date like 30 9 2026 or 2026-09-30" in text(response)


def test_a_colleague_cannot_run_someone_elses_initiative(client_for, staff_user, initiative):
    for name in ("edit", "team", "plan", "progress", "evaluation"):
        assert client_for(staff_user).get(url(name, initiative.pk)).status_code == 403


# The register and its exports ------------------------------------------------------------------


def _decided(decider, make_initiative):
    one = make_initiative(title="Bin day texts", stage=Stage.IMPLEMENT)
    two = make_initiative(title="=Shared stores")
    services.gate_decide(
        actor=decider, initiative=two, decision="stop", reason="-Landlords said no."
    )
    return one, two


def test_the_register_lists_and_filters_every_decision(
    client_for, staff_user, decider, organisation, make_initiative
):
    _decided(decider, make_initiative)
    client = client_for(staff_user)

    page = text(client.get(url("register", organisation.slug)))
    assert "2 decisions" in page
    stops = text(client.get(url("register", organisation.slug) + "?decision=stop"))
    assert "1 decision" in stops
    assert "Landlords said no." in stops


def test_the_exports_hold_what_the_page_shows(
    client_for, staff_user, decider, organisation, make_initiative
):
    _decided(decider, make_initiative)
    client = client_for(staff_user)

    data = json.loads(
        client.get(url("register_json", organisation.slug) + "?decision=stop").content
    )
    assert [row["reason"] for row in data["decisions"]] == ["-Landlords said no."]
    assert data["decisions"][0]["decided_by"] == "Dee Decider"

    response = client.get(url("register_csv", organisation.slug))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    # A cell that a spreadsheet would run as a formula is quoted.
    assert {row["initiative"] for row in rows} == {"Bin day texts", "'=Shared stores"}
    assert "'-Landlords said no." in {row["reason"] for row in rows}


def test_outsiders_get_no_register(client_for, outsider, organisation):
    assert client_for(outsider).get(url("register", organisation.slug)).status_code == 404
    assert client_for(outsider).get(url("register_csv", organisation.slug)).status_code == 404


# Public pages -------------------------------------------------------------------------------


def test_the_accountability_page_shows_public_initiatives_and_their_decisions(
    client_for, decider, organisation, make_initiative
):
    shown = make_initiative(title="Open pilot", public=True)
    make_initiative(title="Private pilot")
    services.gate_decide(
        actor=decider, initiative=shown, decision="hold", reason="Waiting on data."
    )

    page = text(client_for().get(url("accountability", organisation.slug)))

    assert "Open pilot" in page
    assert "Waiting on data." in page
    assert "Private pilot" not in page


def test_the_index_lists_public_initiatives(client_for, make_initiative):
    make_initiative(title="Open pilot", public=True)
    make_initiative(title="Private pilot")

    page = text(client_for().get(url("index")))
    assert "Open pilot" in page
    assert "Private pilot" not in page


def test_the_funnel_is_an_svg_with_a_table(
    client_for, staff_user, organisation, idea, make_initiative
):
    make_initiative(title="Pilot")
    make_initiative(title="Scaled", stage=Stage.SCALE)

    response = client_for(staff_user).get(url("funnel", organisation.slug))
    body = response.content.decode()
    page = text(response)

    assert '<svg class="initiatives-funnel" role="img"' in body
    assert "Ideas 1" in page
    assert "Pilots 2" in page
    assert "Scaled 1" in page
