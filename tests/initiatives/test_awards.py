"""Starting an initiative from an award or grant: a fund round's grant or a panel's award,
pre-filled from the idea and the award, the test stage's budget the amount awarded, once per
award, audited, and linked both ways between the appraisal pages and the initiative."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from civicflow.appraisal.models import Application, Decision, FundRound, Grant, Panel
from civicflow.core.models import AuditEvent
from civicflow.initiatives import services
from civicflow.initiatives.models import Initiative, SourceKind, Stage
from tests.factories import member
from tests.initiatives.helpers import selected_idea
from tests.initiatives.test_api import _api
from tests.initiatives.test_pages import text

pytestmark = pytest.mark.django_db


def make_grant(idea, lead, *, amount: int = 25_000) -> Grant:
    """A fund round on the idea's challenge, the idea's application and its grant."""
    fund_round = FundRound.objects.create(challenge=idea.challenge, budget=100_000)
    application = Application.objects.create(
        fund_round=fund_round,
        idea=idea,
        applicant=lead,
        amount_requested=30_000,
        plan="Texts before bin day for the whole borough.",
    )
    return Grant.objects.create(
        application=application,
        amount=amount,
        reason="The strongest plan for the money.",
        letter="We are pleased to award you a grant.",
        awarded_by=lead,
    )


def make_award(idea, lead, *, kind: str = "awarded", amount: int | None = 5_000) -> Decision:
    """A closed panel on the idea's challenge and its decision on the idea."""
    panel, _created = Panel.objects.get_or_create(
        challenge=idea.challenge,
        defaults={"status": "closed", "closed_at": timezone.now()},
    )
    return Decision.objects.create(
        panel=panel,
        idea=idea,
        kind=kind,
        amount=amount,
        reason="It answers the challenge best.",
        decided_by=lead,
    )


@pytest.fixture
def grant(idea, lead) -> Grant:
    return make_grant(idea, lead)


@pytest.fixture
def award(lead, organisation) -> Decision:
    return make_award(selected_idea(lead, organisation, title="Shared night cover"), lead)


# The service ---------------------------------------------------------------------------------


def test_a_grant_starts_an_initiative_with_the_amount_as_the_test_budget(lead, owner, grant):
    initiative, started = services.initiative_start_from_award(
        actor=lead, award=grant, business_owner=owner
    )

    assert started
    idea = grant.application.idea
    assert initiative.source_kind == SourceKind.AWARD
    assert initiative.source_grant == grant
    assert initiative.source_award is None
    assert initiative.idea == idea
    assert initiative.title == idea.title
    assert initiative.summary == idea.summary
    assert initiative.stage == Stage.TEST
    plan = initiative.plans.get()
    assert (plan.stage, plan.budget) == (Stage.TEST, Decimal("25000.00"))
    event = AuditEvent.objects.get(action="initiative.started", target_id=str(initiative.pk))
    assert event.data["source"] == "award"
    assert event.data["grant"] == grant.pk
    assert event.data["amount"] == 25_000


def test_starting_from_the_same_award_again_returns_the_initiative_and_changes_nothing(
    lead, owner, grant
):
    first, _started = services.initiative_start_from_award(actor=lead, award=grant)
    again, started = services.initiative_start_from_award(
        actor=lead, award=grant, title="Another title", business_owner=owner
    )

    assert not started
    assert again.pk == first.pk
    assert Initiative.objects.count() == 1
    assert Initiative.objects.get().business_owner is None
    assert AuditEvent.objects.filter(action="initiative.started").count() == 1


def test_an_awarded_idea_already_carried_on_from_its_selection_is_not_started_twice(
    lead, idea, grant
):
    from_idea = services.initiative_start(
        actor=lead, organisation=idea.organisation, title="Bin day texts", idea=idea
    )

    initiative, started = services.initiative_start_from_award(actor=lead, award=grant)

    assert (initiative.pk, started) == (from_idea.pk, False)
    assert initiative.source_kind == SourceKind.IDEA


def test_a_panel_award_starts_an_initiative_with_its_amount(lead, award):
    initiative, started = services.initiative_start_from_award(
        actor=lead, award=award, title="  Night cover pilot  "
    )

    assert started
    assert initiative.title == "Night cover pilot"
    assert initiative.source_award == award
    assert initiative.plans.get().budget == Decimal("5000.00")


def test_an_award_without_an_amount_starts_without_a_budget(lead, organisation):
    award = make_award(selected_idea(lead, organisation, title="Ward desks"), lead, amount=None)

    initiative, _started = services.initiative_start_from_award(actor=lead, award=award)

    assert not initiative.plans.exists()


def test_an_award_changed_by_a_later_decision_is_refused(lead, award):
    make_award(award.idea, lead, kind="not_awarded")

    with pytest.raises(ValidationError) as caught:
        services.initiative_start_from_award(actor=lead, award=award)

    assert "later decision" in str(caught.value)
    assert not Initiative.objects.exists()


def test_only_leads_start_an_initiative_from_an_award(owner, decider, outsider, grant):
    for person in (owner, decider, outsider):
        with pytest.raises(PermissionDenied):
            services.initiative_start_from_award(actor=person, award=grant)
    assert not Initiative.objects.exists()


def test_the_database_refuses_an_award_initiative_without_its_award(organisation, idea):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.create(
            organisation=organisation,
            title="No award",
            source_kind=SourceKind.AWARD,
            idea=idea,
            stage_entered_at=now,
            last_update_at=now,
        )


def test_the_database_keeps_one_initiative_per_grant(lead, organisation, grant):
    services.initiative_start_from_award(actor=lead, award=grant)
    other = selected_idea(lead, organisation, title="Another idea")
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.create(
            organisation=organisation,
            title="Same grant",
            source_kind=SourceKind.AWARD,
            idea=other,
            source_grant=grant,
            stage_entered_at=now,
            last_update_at=now,
        )


# The pages -----------------------------------------------------------------------------------


def test_a_lead_starts_an_initiative_from_the_grant_page_and_the_pages_link_both_ways(
    client_for, lead, owner, organisation, grant
):
    client = client_for(lead)
    application_url = reverse("appraisal:application", args=[grant.application_id])
    start_url = reverse("initiatives:start", args=[organisation.slug]) + f"?grant={grant.pk}"

    page = client.get(application_url)
    assert page.status_code == 200
    assert "Start an initiative from this award" in text(page)
    assert start_url in page.content.decode()

    form = client.get(start_url)
    assert form.status_code == 200
    body = text(form)
    assert "From the grant of £25,000 to the idea Text people before bin day" in body
    assert 'value="Text people before bin day"' in form.content.decode()

    response = client.post(
        start_url,
        {
            "grant": grant.pk,
            "title": "Bin day texts",
            "summary": "Texts the evening before.",
            "business_owner": owner.pk,
        },
    )
    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == initiative.get_absolute_url()
    assert initiative.source_grant == grant
    assert initiative.business_owner == owner

    detail = client.get(initiative.get_absolute_url())
    assert "Grant of £25,000" in text(detail)
    assert f'href="{application_url}"' in detail.content.decode()
    assert "£25,000" in text(detail)  # the test stage's budget

    page = text(client.get(application_url))
    assert "Carried forward as the initiative Bin day texts" in page
    assert "Start an initiative from this award" not in page

    again = client.get(start_url)
    assert again.status_code == 302
    assert again["Location"] == initiative.get_absolute_url()
    twice = client.post(start_url, {"grant": grant.pk, "title": "Twice"})
    assert twice["Location"] == initiative.get_absolute_url()
    assert Initiative.objects.count() == 1


def test_the_results_offer_a_prize_award_to_leads_only(client_for, lead, organisation, award):
    panel = award.panel
    panel.results_published_at = timezone.now()
    panel.save(update_fields=["results_published_at"])
    challenge_id = panel.challenge_id
    results_url = reverse("appraisal:results", args=[challenge_id])
    start_url = reverse("initiatives:start", args=[organisation.slug]) + f"?award={award.pk}"

    assert start_url in client_for(lead).get(results_url).content.decode()
    staff = member(organisation, email="staff@testshire.example")
    assert "Start an initiative" not in text(client_for(staff).get(results_url))

    response = client_for(lead).post(start_url, {"award": award.pk, "title": "Night cover"})
    initiative = Initiative.objects.get()
    assert response["Location"] == initiative.get_absolute_url()
    assert "Carried forward as the initiative Night cover" in text(
        client_for(staff).get(results_url)
    )
    detail = client_for(staff).get(initiative.get_absolute_url())
    assert "Award of £5,000" in text(detail)
    assert f'href="{results_url}"' in detail.content.decode()


def test_people_who_may_not_start_initiatives_cannot_start_from_an_award(
    client_for, owner, outsider, organisation, other_organisation, grant
):
    start_url = reverse("initiatives:start", args=[organisation.slug]) + f"?grant={grant.pk}"
    assert client_for(owner).get(start_url).status_code == 403
    assert client_for(outsider).get(start_url).status_code in (403, 404)
    # A lead elsewhere names the grant on their own organisation's page: it is not theirs.
    elsewhere = reverse("initiatives:start", args=[other_organisation.slug])
    assert client_for(outsider).get(f"{elsewhere}?grant={grant.pk}").status_code == 404
    assert client_for(outsider).get(f"{elsewhere}?grant=oops").status_code == 404
    assert not Initiative.objects.exists()


# The API -------------------------------------------------------------------------------------


def test_the_api_starts_from_a_grant_once(lead, owner, organisation, grant):
    api = _api(lead)
    path = f"/api/v1/organisations/{organisation.slug}/initiatives"

    first = api.send(
        "POST",
        path,
        {"title": "Bin day texts", "grant_id": grant.pk, "business_owner_id": owner.pk},
    )
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["source_kind"] == "award"
    assert body["source_grant_id"] == grant.pk
    assert body["source_award_id"] is None

    again = api.send("POST", path, {"title": "Again", "grant_id": grant.pk})
    assert again.status_code == 200, again.content
    assert again.json()["id"] == body["id"]

    both = api.send("POST", path, {"title": "Both", "grant_id": grant.pk, "idea_id": 1})
    assert both.status_code == 422
    missing = api.send("POST", path, {"title": "Missing", "award_id": 999_999})
    assert missing.status_code == 422
    assert Initiative.objects.count() == 1


def test_the_lead_starts_an_initiative_from_the_ranking_of_a_judged_open_call(
    client_for, lead, organisation
):
    from civicflow.appraisal import services as appraisal
    from tests.appraisal.helpers import make_round, panel_with_scores, submit_idea

    assessors = [
        member(organisation, "assessor", email=f"judge{i}@testshire.example") for i in (1, 2)
    ]
    challenge = make_round(lead, organisation, kind="open_call", title="Quieter streets")
    entries = [submit_idea(lead, challenge, f"Entry {i}") for i in (1, 2)]
    panel = panel_with_scores(lead, challenge, assessors, entries)
    appraisal.panel_close(actor=lead, panel=panel)
    award = appraisal.decision_record(
        actor=lead, panel=panel, idea=entries[0], kind="awarded", reason="Best value."
    )
    ranking_url = reverse("appraisal:ranking", args=[challenge.pk])
    start_url = reverse("initiatives:start", args=[organisation.slug]) + f"?award={award.pk}"
    client = client_for(lead)

    page = client.get(ranking_url).content.decode()
    assert page.count("Start an initiative from this award") == 1
    assert start_url in page

    response = client.post(start_url, {"award": award.pk, "title": "Quieter streets pilot"})
    initiative = Initiative.objects.get()
    assert response["Location"] == initiative.get_absolute_url()
    assert (initiative.source_award, initiative.idea, initiative.plans.count()) == (
        award,
        entries[0],
        0,  # an open call's award carries no amount
    )
    assert "Carried forward as the initiative Quieter streets pilot" in text(
        client.get(ranking_url)
    )
    detail = client.get(initiative.get_absolute_url())
    assert "Award: Quieter streets" in text(detail)
    assert f'href="{ranking_url}"' in detail.content.decode()
