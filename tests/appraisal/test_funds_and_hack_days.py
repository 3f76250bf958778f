"""Fund rounds (budget never exceeded, even by awards at the same moment) and hack days."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from civicflow.appraisal import selectors, services
from civicflow.appraisal.models import Application, Grant, Payment, Registration
from tests.appraisal.helpers import make_round, submit_idea
from tests.factories import UserFactory, member


@pytest.fixture
def fund(lead, organisation):
    challenge = make_round(lead, organisation, kind="fund_round", title="Innovation fund")
    return services.fund_round_create(
        actor=lead, challenge=challenge, budget=10_000, max_award=6_000, outcome_based=True
    )


def _apply(fund, author, amount, title="Lunch club"):
    idea = submit_idea(author, fund.challenge, title)
    return services.application_submit(
        actor=author,
        fund_round=fund,
        idea=idea,
        amount_requested=amount,
        plan="Start in spring.",
        milestones=[
            {"title": "Pilot", "payment": amount // 2, "outcome": "20 people attend"},
            {"title": "Roll-out", "payment": amount - amount // 2, "outcome": "3 venues"},
        ],
    )


@pytest.mark.django_db
def test_duplicate_applications_are_refused(fund, authors):
    _apply(fund, authors[0], 5_000)
    second = submit_idea(authors[0], fund.challenge, "Another")
    with pytest.raises(ValidationError, match="already applied"):
        services.application_submit(
            actor=authors[0], fund_round=fund, idea=second, amount_requested=10, plan="x"
        )
    assert Application.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "milestones", "field"),
    [
        (7_000, [], "amount_requested"),  # over the largest grant
        (0, [], "amount_requested"),
        (1_000, [{"title": "A", "payment": 2_000, "outcome": "x"}], "milestones"),
        (1_000, [{"title": "A", "payment": 500}], "milestones"),  # outcome-based: no outcome
    ],
)
def test_bad_applications_are_refused(fund, authors, amount, milestones, field):
    idea = submit_idea(authors[0], fund.challenge, "Lunch club")
    with pytest.raises(ValidationError) as error:
        services.application_submit(
            actor=authors[0],
            fund_round=fund,
            idea=idea,
            amount_requested=amount,
            plan="Plan",
            milestones=milestones,
        )
    assert field in error.value.message_dict
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_awards_never_exceed_what_is_left(fund, lead, authors):
    first = _apply(fund, authors[0], 6_000, "A")
    second = _apply(fund, authors[1], 5_000, "B")
    services.grant_award(actor=lead, application=first, amount=6_000, reason="Strong plan")
    assert selectors.fund_remaining(fund) == 4_000
    with pytest.raises(ValidationError, match="4,000 left"):
        services.grant_award(actor=lead, application=second, amount=5_000, reason="Good")
    grant = services.grant_award(actor=lead, application=second, amount=4_000, reason="Part")
    assert selectors.fund_remaining(fund) == 0
    assert "4,000" in grant.letter
    with pytest.raises(ValidationError, match="already has a grant"):
        services.grant_award(actor=lead, application=second, amount=1, reason="Again")


@pytest.mark.django_db
def test_outcome_based_payments_need_the_outcome_reported(fund, lead, authors):
    application = _apply(fund, authors[0], 6_000)
    grant = services.grant_award(actor=lead, application=application, amount=6_000, reason="Go")
    pilot = application.milestones.get(title="Pilot")
    with pytest.raises(ValidationError, match="outcome"):
        services.payment_record(actor=lead, grant=grant, amount=3_000, milestone=pilot)
    with pytest.raises(ValidationError, match="choose the milestone"):
        services.payment_record(actor=lead, grant=grant, amount=3_000)
    with pytest.raises(PermissionDenied):
        services.milestone_report(
            actor=authors[1], milestone=pilot, report="Done", outcome_achieved=True
        )
    services.milestone_report(
        actor=authors[0], milestone=pilot, report="24 came", outcome_achieved=True
    )
    services.payment_record(actor=lead, grant=grant, amount=3_000, milestone=pilot)
    with pytest.raises(ValidationError, match="3,000 of the grant is left"):
        services.payment_record(actor=lead, grant=grant, amount=3_001, milestone=pilot)
    assert selectors.fund_paid(fund) == 3_000
    assert Payment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_awards_never_take_the_fund_past_its_budget(lead, organisation):
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL: SQLite lets only one writer in at a time anyway")
    challenge = make_round(lead, organisation, kind="fund_round", title="Parallel fund")
    fund = services.fund_round_create(actor=lead, challenge=challenge, budget=10_000)
    applications = [_apply(fund, member(organisation), 3_000, f"Bid {i}") for i in range(6)]
    barrier = threading.Barrier(len(applications))
    outcomes: list[Any] = [None] * len(applications)

    def award(index: int) -> None:
        try:
            barrier.wait()
            services.grant_award(
                actor=lead, application=applications[index], amount=3_000, reason="Go"
            )
            outcomes[index] = "awarded"
        except ValidationError:
            outcomes[index] = "refused"
        except BaseException as error:  # reported below, not lost in the thread
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=award, args=(i,)) for i in range(len(applications))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["awarded"] * 3 + ["refused"] * 3, outcomes
    assert Grant.objects.filter(application__fund_round=fund).count() == 3
    assert selectors.fund_remaining(fund) == 1_000


@pytest.fixture
def hack_day(lead, organisation):
    challenge = make_round(lead, organisation, kind="hack_day", open_now="discover")
    now = timezone.now()
    return services.hack_day_create(
        actor=lead,
        challenge=challenge,
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=4),
        capacity=2,
        place="Town hall",
    )


@pytest.mark.django_db
def test_hack_day_needs_a_place_or_link_and_an_order(lead, organisation):
    challenge = make_round(lead, organisation, kind="hack_day", open_now="discover")
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.hack_day_create(
            actor=lead, challenge=challenge, starts_at=now, ends_at=now, capacity=0
        )
    assert {"ends_at", "capacity", "place"} <= set(error.value.message_dict)


@pytest.mark.django_db
def test_registration_up_to_capacity_teams_and_prototypes(hack_day, authors):
    services.hack_day_register(actor=authors[0], hack_day=hack_day, skills=["Python", "python"])
    with pytest.raises(ValidationError, match="already registered"):
        services.hack_day_register(actor=authors[0], hack_day=hack_day, skills=["Python"])
    services.hack_day_register(actor=authors[1], hack_day=hack_day, skills=["Design"])
    with pytest.raises(ValidationError, match="full"):
        services.hack_day_register(actor=UserFactory(), hack_day=hack_day, skills=["SQL"])
    assert Registration.objects.count() == 2
    assert Registration.objects.get(user=authors[0]).skills == ["Python"]
    idea = submit_idea(authors[0], hack_day.challenge, "Bed finder")
    team = services.hack_team_form(
        actor=authors[0],
        hack_day=hack_day,
        idea=idea,
        name="Bed finders",
        skills_needed=["Design", "Clinical"],
    )
    with pytest.raises(PermissionDenied):
        services.hack_team_join(actor=authors[2], team=team)
    services.hack_team_join(actor=authors[1], team=team)
    team.refresh_from_db()
    assert team.skills_needed == ["Clinical"]
    with pytest.raises(ValidationError, match="already in a team"):
        services.hack_team_join(actor=authors[1], team=team)
    with pytest.raises(ValidationError, match="screenshot"):
        services.prototype_submit(
            actor=authors[1], team=team, description="It works", screenshots=["not a link"]
        )
    services.prototype_submit(
        actor=authors[1],
        team=team,
        description="It works",
        link="https://example.org/beds",
        screenshots=["https://example.org/beds.png"],
    )
    lead_panel = services.panel_create(
        actor=hack_day.challenge.created_by, challenge=hack_day.challenge
    )
    assert list(selectors.panel_entries(lead_panel)) == [idea]
