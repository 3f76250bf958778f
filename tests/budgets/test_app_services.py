"""Budget services: every ballot kind checked on the server, bad input refused with nothing
stored, paper ballots audited, results counted and published with a checksum, .pb import."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicflow.budgets import services
from civicflow.budgets.counting import parse_pb
from civicflow.budgets.models import Ballot, BallotKind, Eligibility, Phase, Project, Result
from civicflow.core.models import AuditEvent
from tests.budgets.helpers import city_budget, ids, window
from tests.factories import UserFactory, member


@pytest.fixture
def lead(organisation):
    return member(organisation, "innovation_lead", email="lead@testshire.example")


@pytest.fixture
def budget(lead, organisation):
    return city_budget(lead, organisation)


def test_budget_create_refuses_bad_input_and_non_leads(organisation, lead, staff_user):
    with pytest.raises(ValidationError) as caught:
        services.budget_create(actor=lead, organisation=organisation, title=" ", total=0)
    assert set(caught.value.message_dict) == {"title", "total"}
    with pytest.raises(PermissionDenied):
        services.budget_create(actor=staff_user, organisation=organisation, title="X", total=5)
    assert not organisation.budgets.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"points": -1, "ballot_kind": "cumulative"}, "points"),
        ({"max_points_per_project": 0}, "max_points_per_project"),
        ({"min_choices": -2}, "min_choices"),
        ({"max_choices": 2**31}, "max_choices"),
        ({"total": 10**16}, "total"),
        ({"areas": {"North": -5}}, "areas"),
        ({"areas": {" ": 5}}, "areas"),
    ],
)
def test_budget_create_refuses_numbers_out_of_range(organisation, lead, changes, field):
    with pytest.raises(ValidationError) as caught:
        services.budget_create(
            actor=lead, organisation=organisation, **{"title": "Parks", "total": 100, **changes}
        )
    assert field in caught.value.message_dict
    assert not organisation.budgets.exists()


def test_approval_within_budget_refuses_overspending(budget, resident):
    p = ids(budget)
    with pytest.raises(ValidationError, match="more than the budget"):
        services.ballot_cast(
            actor=resident,
            budget=budget,
            choices={p["Trees"]: "1", p["Benches"]: "1", p["Bins"]: 1},
        )
    assert not Ballot.objects.exists()
    ballot = services.ballot_cast(
        actor=resident, budget=budget, choices={p["Trees"]: "1", p["Benches"]: "1"}
    )
    assert ballot.choices == {p["Trees"]: 1, p["Benches"]: 1}


def test_voting_twice_changes_the_ballot(budget, resident):
    p = ids(budget)
    services.ballot_cast(actor=resident, budget=budget, choices={p["Trees"]: 1})
    services.ballot_cast(actor=resident, budget=budget, choices={p["Bins"]: 1})
    assert list(Ballot.objects.values_list("choices", flat=True)) == [{p["Bins"]: 1}]


def test_empty_ballot_and_unknown_project_are_refused(budget, resident):
    with pytest.raises(ValidationError, match="at least 1"):
        services.ballot_cast(actor=resident, budget=budget, choices={})
    with pytest.raises(ValidationError, match="not in this budget"):
        services.ballot_cast(actor=resident, budget=budget, choices={"999999": 1})
    assert not Ballot.objects.exists()


def test_approval_limits(lead, organisation, resident):
    budget = city_budget(
        lead, organisation, ballot_kind=BallotKind.APPROVAL, min_choices=2, max_choices=3
    )
    p = ids(budget)
    with pytest.raises(ValidationError, match="at least 2"):
        services.ballot_cast(actor=resident, budget=budget, choices={p["Trees"]: 1})
    with pytest.raises(ValidationError, match="at most 3"):
        services.ballot_cast(actor=resident, budget=budget, choices=dict.fromkeys(p.values(), 1))
    assert not Ballot.objects.exists()
    services.ballot_cast(
        actor=resident, budget=budget, choices={p["Trees"]: 1, p["Benches"]: 1, p["Bins"]: 1}
    )


def test_cumulative_points(lead, organisation, resident):
    budget = city_budget(
        lead,
        organisation,
        ballot_kind=BallotKind.CUMULATIVE,
        points=10,
        max_points_per_project=6,
    )
    p = ids(budget)
    with pytest.raises(ValidationError, match="you have 10"):
        services.ballot_cast(actor=resident, budget=budget, choices={p["Trees"]: 6, p["Bins"]: 5})
    with pytest.raises(ValidationError, match="at most 6"):
        services.ballot_cast(actor=resident, budget=budget, choices={p["Trees"]: 7})
    with pytest.raises(ValidationError, match="whole number"):
        services.ballot_cast(actor=resident, budget=budget, choices={p["Trees"]: "lots"})
    assert not Ballot.objects.exists()
    ballot = services.ballot_cast(
        actor=resident, budget=budget, choices={p["Trees"]: "6", p["Bins"]: "4"}
    )
    assert ballot.choices == {p["Trees"]: 6, p["Bins"]: 4}


def test_ranked(lead, organisation, resident):
    budget = city_budget(lead, organisation, ballot_kind=BallotKind.RANKED, max_choices=2)
    p = ids(budget)
    with pytest.raises(ValidationError, match="1, 2, 3"):
        services.ballot_cast(actor=resident, budget=budget, choices={p["Trees"]: 1, p["Bins"]: 3})
    with pytest.raises(ValidationError, match="at most 2"):
        services.ballot_cast(
            actor=resident, budget=budget, choices={p["Trees"]: 1, p["Bins"]: 2, p["Benches"]: 3}
        )
    services.ballot_cast(actor=resident, budget=budget, choices={p["Trees"]: 2, p["Bins"]: 1})


def test_outside_the_window_and_wrong_phase(lead, organisation, resident, budget):
    p = ids(budget)
    window(budget, opens=1, closes=2)
    with pytest.raises(ValidationError, match="not open"):
        services.ballot_cast(actor=resident, budget=budget, choices={p["Trees"]: 1})
    proposals = city_budget(lead, organisation, phase=Phase.PROPOSALS, title="Later")
    with pytest.raises(ValidationError, match="not open"):
        services.ballot_cast(actor=resident, budget=proposals, choices={ids(proposals)["Bins"]: 1})
    assert not Ballot.objects.exists()


def test_ineligible_voter_is_refused(lead, organisation, resident):
    budget = city_budget(lead, organisation, eligibility=Eligibility.LIST)
    budget.eligible_voters.create(email="listed@example.com")
    with pytest.raises(PermissionDenied, match="not on the list"):
        services.ballot_cast(actor=resident, budget=budget, choices={ids(budget)["Bins"]: 1})
    listed = UserFactory(email="Listed@example.com")
    services.ballot_cast(actor=listed, budget=budget, choices={ids(budget)["Bins"]: 1})
    assert Ballot.objects.count() == 1


def test_paper_ballots_with_codes_are_single_use_and_audited(lead, organisation):
    budget = city_budget(lead, organisation, eligibility=Eligibility.CODES)
    (code,) = services.codes_issue(actor=lead, budget=budget, how_many=1)
    assert not budget.codes.filter(code_hash=code).exists()  # only the hash is kept
    p = ids(budget)
    with pytest.raises(ValidationError):
        services.paper_ballot_enter(actor=lead, budget=budget, choices={p["Bins"]: 1}, code="NOPE")
    ballot = services.paper_ballot_enter(
        actor=lead, budget=budget, choices={p["Bins"]: 1}, code=code.lower()
    )
    assert ballot.entered_by == lead
    with pytest.raises(ValidationError, match="already been used"):
        services.paper_ballot_enter(actor=lead, budget=budget, choices={p["Bins"]: 1}, code=code)
    assert Ballot.objects.count() == 1
    assert AuditEvent.objects.filter(action="budget.paper_ballot_entered").count() == 1


def test_results_publish_counts_both_rules_with_a_checksum(budget, lead):
    p = ids(budget)
    for n in range(6):
        services.ballot_cast(
            actor=UserFactory(email=f"a{n}@example.com"),
            budget=budget,
            choices={p["Trees"]: 1, p["Bins"]: 1},
        )
    for n in range(4):
        services.ballot_cast(
            actor=UserFactory(email=f"b{n}@example.com"),
            budget=budget,
            choices={p["Benches"]: 1, p["Bike racks"]: 1},
        )
    results = services.results_publish(actor=lead, budget=budget, completion="none")
    by_rule = {r.rule: r for r in results}
    # Greedy gives the six everything; equal shares gives the four their benches.
    assert by_rule["greedy"].selected == [p["Trees"], p["Bins"]]
    assert set(by_rule["mes"].selected) == {p["Trees"], p["Benches"]}
    checksum = services.checksum_of(services.export_pb(budget=budget))
    assert {r.checksum for r in results} == {checksum}
    budget.refresh_from_db()
    assert budget.phase == Phase.RESULTS
    assert by_rule["mes"].explanation["mes_steps"]


def test_unknown_rule_is_refused(budget):
    with pytest.raises(ValidationError, match="Choose a counting rule"):
        services.budget_count(budget=budget, rule="borda")


def test_export_reads_back(budget, resident):
    p = ids(budget)
    services.ballot_cast(actor=resident, budget=budget, choices={p["Trees"]: 1})
    election = parse_pb(services.export_pb(budget=budget))
    assert election.budget == 1000
    assert [v.projects for v in election.votes] == [(p["Trees"],)]
    assert "resident" not in services.export_pb(budget=budget)


GOOD_PB = """META
key;value
description;Test
num_projects;2
num_votes;2
budget;100
vote_type;approval
PROJECTS
project_id;cost;name
1;60;Park
2;50;Pool
VOTES
voter_id;vote
v1;1,2
v2;2
"""


def test_pb_import_and_malformed_files(lead, organisation):
    budget = city_budget(lead, organisation, phase=Phase.PROPOSALS, title="Imported")
    Project.objects.filter(budget=budget).delete()
    bad = GOOD_PB.replace("v2;2", "v2;7")
    with pytest.raises(ValidationError) as caught:
        services.pb_import(actor=lead, budget=budget, text=bad)
    assert "Line" in str(caught.value)
    truncated = GOOD_PB.split("VOTES")[0] + "VOTES\nvoter_id;vote\n"
    with pytest.raises(ValidationError):
        services.pb_import(actor=lead, budget=budget, text=truncated)
    assert not budget.projects.exists() and not budget.ballots.exists()
    assert services.pb_import(actor=lead, budget=budget, text=GOOD_PB) == (2, 2)
    budget.refresh_from_db()
    assert budget.total == 100


REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "pb"


def test_real_file_round_trip(lead, organisation):
    files = sorted(REAL.glob("*.pb"), key=lambda f: f.stat().st_size) if REAL.exists() else []
    if not files:
        pytest.skip("no real .pb files here")
    source = files[0].read_text(encoding="utf-8-sig")
    budget = city_budget(lead, organisation, phase=Phase.PROPOSALS, title="Real")
    Project.objects.filter(budget=budget).delete()
    original = parse_pb(source)
    services.pb_import(actor=lead, budget=budget, text=source)
    again = parse_pb(services.export_pb(budget=budget))
    code_of = {str(p.pk): p.code for p in budget.projects.all()}
    assert again.budget == original.budget
    assert sorted(code_of[p] for p in again.projects) == sorted(original.projects)
    assert sorted(tuple(sorted(code_of[p] for p in v.projects)) for v in again.votes) == sorted(
        tuple(sorted(v.projects)) for v in original.votes
    )
    services.budget_move_phase(actor=lead, budget=budget, phase=Phase.VOTING)
    results = services.results_publish(actor=lead, budget=budget, completion="none")
    assert Result.objects.count() == len(results) == 2


def test_a_large_count_runs_in_the_background(
    budget, lead, resident, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "LARGE_COUNT", 0)
    services.ballot_cast(actor=resident, budget=budget, choices={ids(budget)["Bins"]: 1})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.results_publish_request(actor=lead, budget=budget) is True
    budget.refresh_from_db()
    assert budget.counting_since is not None and not Result.objects.exists()
    with pytest.raises(ValidationError, match="being counted already"):
        services.results_publish_request(actor=lead, budget=budget)
    for callback in callbacks:
        callback()
    budget.refresh_from_db()
    assert budget.counting_since is None and budget.phase == Phase.RESULTS
    assert Result.objects.count() == 2


def test_greedy_says_how_much_more_support_a_losing_project_needed(budget, lead):
    from fractions import Fraction

    from civicflow.budgets.counting import Instance, Rule, count

    p = ids(budget)
    groups = [({p["Trees"]: 1, p["Bins"]: 1}, 6), ({p["Benches"]: 1, p["Bike racks"]: 1}, 4)]
    for number, (choices, size) in enumerate(groups):
        for n in range(size):
            services.ballot_cast(
                actor=UserFactory(email=f"g{number}-{n}@example.com"),
                budget=budget,
                choices=choices,
            )
    results = services.results_publish(actor=lead, budget=budget, completion="none")
    greedy = next(r for r in results if r.rule == "greedy")
    needed = greedy.explanation["more_support_needed"]
    assert set(needed) == {p["Benches"], p["Bike racks"]}
    costs = {str(x.pk): Fraction(x.cost) for x in budget.projects.all()}
    ballots = [c for c, size in groups for _n in range(size)]

    def funded(extra: int) -> bool:
        instance = Instance(
            budget=Fraction(1000), costs=costs, ballots=ballots + [{p["Benches"]: 1}] * extra
        )
        return p["Benches"] in count(instance, rule=Rule.GREEDY, utility="approval").selected

    assert needed[p["Benches"]] in (2, 3)
    assert funded(needed[p["Benches"]]) and not funded(needed[p["Benches"]] - 1)


def test_mes_results_say_who_paid_what_and_what_each_loser_lacked(budget, lead, client):
    from fractions import Fraction

    from django.urls import reverse

    p = ids(budget)
    groups = [
        ({p["Trees"]: 1, p["Bins"]: 1}, 5),
        ({p["Benches"]: 1, p["Bins"]: 1}, 3),
        ({p["Bike racks"]: 1}, 1),
    ]
    for number, (choices, size) in enumerate(groups):
        for n in range(size):
            services.ballot_cast(
                actor=UserFactory(email=f"m{number}-{n}@example.com"),
                budget=budget,
                choices=choices,
            )
    results = services.results_publish(actor=lead, budget=budget, completion="none")
    mes = next(r for r in results if r.rule == "mes")
    costs = {str(x.pk): x.cost for x in budget.projects.all()}
    steps = mes.explanation["mes_steps"]
    assert steps
    for step in steps:
        paid = sum(g["voters"] * Fraction(g["paid"]) for g in step["payments"])
        assert paid == costs[step["project"]]
        assert sum(g["voters"] for g in step["payments"]) <= step["supporters"]
    losers = set(costs) - set(mes.selected)
    assert losers
    assert set(mes.explanation["mes_shortfalls"]) == losers
    assert set(mes.explanation["more_support_needed"]) == losers
    for pid in losers:
        shortfall = mes.explanation["mes_shortfalls"][pid]
        assert shortfall["extra_supporters"] is None or shortfall["extra_supporters"] >= 1
    page = client.get(reverse("budgets:results", args=[budget.pk])).content.decode()
    assert "voters paid" in page or "voter paid" in page
    assert "more supporter" in page
