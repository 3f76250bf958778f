"""Appraisal services: criteria, panels, allocation, declarations, scoring, decisions; every
bad input refused with nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civicflow.accounts.services import team_add_member
from civicflow.appraisal import selectors, services
from civicflow.appraisal.models import (
    Assignment,
    BusinessCase,
    ConflictDeclaration,
    Criterion,
    Decision,
    Score,
)
from civicflow.core.models import AuditEvent
from civicflow.ideas.services import coauthor_accept, coauthor_invite
from tests.appraisal.helpers import move_phase, panel_with_scores
from tests.factories import TeamFactory, member

pytestmark = pytest.mark.django_db


def _criteria(lead, challenge, publish=True):
    criteria = services.criteria_set_create(actor=lead, challenge=challenge)
    if publish:
        services.criteria_publish(actor=lead, criteria_set=criteria)
    return criteria


def _panel(lead, challenge, assessors, **fields):
    panel = services.panel_create(actor=lead, challenge=challenge, **fields)
    for assessor in assessors:
        services.panel_member_add(actor=lead, panel=panel, user=assessor)
    return panel


def test_the_default_criteria_come_from_the_seeds_and_cover_more_than_money(lead, prize_round):
    criteria = _criteria(lead, prize_round, publish=False)
    keys = [c.key for c in criteria.criteria.all()]
    assert keys == [
        "strategic_fit",
        "saves_money",
        "improves_quality",
        "improves_communication",
        "staff_satisfaction",
        "service_users_involved",
        "feasibility",
        "risk",
    ]
    assert all(len(c.descriptors) == 5 for c in criteria.criteria.all())
    assert AuditEvent.objects.filter(action="appraisal.criteria_changed").exists()


def test_published_criteria_cannot_change(lead, prize_round):
    criteria = _criteria(lead, prize_round)
    with pytest.raises(ValidationError, match="published"):
        services.criterion_save(actor=lead, criteria_set=criteria, name="Speed", weight=2)
    with pytest.raises(ValidationError):
        services.criterion_remove(actor=lead, criterion=criteria.criteria.first())
    assert criteria.criteria.count() == 8


def test_only_leads_set_criteria(prize_round, assessors):
    with pytest.raises(PermissionDenied):
        services.criteria_set_create(actor=assessors[0], challenge=prize_round)


def test_criterion_weights_are_1_to_10(lead, prize_round):
    criteria = _criteria(lead, prize_round, publish=False)
    with pytest.raises(ValidationError, match="weight"):
        services.criterion_save(actor=lead, criteria_set=criteria, name="Speed", weight=11)
    added = services.criterion_save(actor=lead, criteria_set=criteria, name="Speed", weight=4)
    assert added.key == "speed" and added.descriptors[0] == "No evidence"


def test_only_assessors_of_the_organisation_join_the_panel(lead, prize_round, authors):
    panel = _panel(lead, prize_round, [])
    with pytest.raises(ValidationError, match="assessor role"):
        services.panel_member_add(actor=lead, panel=panel, user=authors[0])


def test_allocation_gives_k_reviews_and_skips_own_coauthored_and_team_work(
    lead, prize_round, assessors, authors, entries, organisation
):
    _criteria(lead, prize_round)
    # assessor 0 co-authors entry 0; assessor 1 shares a team with the author of entry 1.
    coauthor_invite(actor=authors[0], idea=entries[0], email=assessors[0].email)
    coauthor_accept(user=assessors[0], idea=entries[0])
    team = TeamFactory(organisation=organisation)
    team_add_member(actor=None, team=team, user=assessors[1])
    team_add_member(actor=None, team=team, user=authors[1])
    panel = _panel(lead, prize_round, assessors, reviews_per_submission=2)
    added = services.panel_allocate(actor=lead, panel=panel)
    assert added == 8
    pairs = set(panel.assignments.values_list("assessor_id", "idea_id"))
    assert (assessors[0].pk, entries[0].pk) not in pairs
    assert (assessors[1].pk, entries[1].pk) not in pairs
    loads = [panel.assignments.filter(assessor=a).count() for a in assessors]
    assert max(loads) - min(loads) <= 1
    # Running it again adds nothing.
    assert services.panel_allocate(actor=lead, panel=panel) == 0


def test_allocation_that_cannot_be_done_is_refused_and_changes_nothing(
    lead, prize_round, assessors, entries
):
    panel = _panel(lead, prize_round, assessors[:1], reviews_per_submission=2)
    with pytest.raises(ValidationError, match="fewer than 2 assessors"):
        services.panel_allocate(actor=lead, panel=panel)
    assert not panel.assignments.exists()


def test_assigning_by_hand_keeps_the_rules(lead, prize_round, assessors, authors, entries):
    panel = _panel(lead, prize_round, assessors)
    services.conflict_declare(
        actor=assessors[2], panel=panel, idea=entries[3], has_conflict=True, details="My sister"
    )
    with pytest.raises(ValidationError, match="conflict"):
        services.assignment_add(actor=lead, panel=panel, idea=entries[3], assessor=assessors[2])
    services.assignment_add(actor=lead, panel=panel, idea=entries[0], assessor=assessors[0])
    with pytest.raises(ValidationError, match="already"):
        services.assignment_add(actor=lead, panel=panel, idea=entries[0], assessor=assessors[0])
    outsider = member(prize_round.organisation, "assessor")
    with pytest.raises(ValidationError, match="on the panel"):
        services.assignment_add(actor=lead, panel=panel, idea=entries[0], assessor=outsider)


def test_a_declared_conflict_blocks_the_review_and_allocation_fills_the_gap(
    lead, prize_round, assessors, entries
):
    _criteria(lead, prize_round)
    panel = _panel(lead, prize_round, assessors, reviews_per_submission=2)
    services.panel_allocate(actor=lead, panel=panel)
    assignment = panel.assignments.select_related("idea").first()
    services.conflict_declare(
        actor=assignment.assessor,
        panel=panel,
        idea=assignment.idea,
        has_conflict=True,
        details="I manage the author.",
    )
    assignment.refresh_from_db()
    assert assignment.is_blocked
    assert assignment not in selectors.assessor_queue(panel=panel, assessor=assignment.assessor)
    with pytest.raises(ValidationError, match="conflict"):
        services.score_submit(
            actor=assignment.assessor,
            assignment=assignment,
            scores=dict.fromkeys(["strategic_fit"], 3),
        )
    # It cannot be taken back.
    with pytest.raises(ValidationError, match="stands"):
        services.conflict_declare(
            actor=assignment.assessor, panel=panel, idea=assignment.idea, has_conflict=False
        )
    assert services.panel_allocate(actor=lead, panel=panel) == 1
    live = panel.assignments.filter(idea=assignment.idea, conflict_at__isnull=True)
    assert live.count() == 2
    assert assignment.assessor_id not in set(live.values_list("assessor_id", flat=True))


def test_a_conflict_needs_details(lead, prize_round, assessors, entries):
    panel = _panel(lead, prize_round, assessors)
    with pytest.raises(ValidationError, match="Say what"):
        services.conflict_declare(
            actor=assessors[0], panel=panel, idea=entries[0], has_conflict=True
        )
    assert not ConflictDeclaration.objects.exists()


def _one_assignment(lead, prize_round, assessors, entries):
    criteria = _criteria(lead, prize_round)
    panel = _panel(lead, prize_round, assessors)
    assignment = services.assignment_add(
        actor=lead, panel=panel, idea=entries[0], assessor=assessors[0]
    )
    return criteria, panel, assignment


def _all(criteria, value=3):
    return {c.key: value for c in criteria.criteria.all()}


def test_scoring_without_a_declaration_is_refused(lead, prize_round, assessors, entries):
    criteria, _, assignment = _one_assignment(lead, prize_round, assessors, entries)
    with pytest.raises(ValidationError, match="Declare your interests"):
        services.score_submit(actor=assessors[0], assignment=assignment, scores=_all(criteria))
    assert not Score.objects.exists()


@pytest.mark.parametrize("bad", [5, -1, "4.5", "three", None, True])
def test_scores_outside_the_scale_are_refused(lead, prize_round, assessors, entries, bad):
    criteria, panel, assignment = _one_assignment(lead, prize_round, assessors, entries)
    services.conflict_declare(actor=assessors[0], panel=panel, idea=entries[0], has_conflict=False)
    scores = {**_all(criteria), "risk": bad}
    with pytest.raises(ValidationError) as error:
        services.score_submit(actor=assessors[0], assignment=assignment, scores=scores)
    assert "risk" in error.value.message_dict
    assert not Score.objects.exists()
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_an_unknown_criterion_or_a_missing_one_is_refused(lead, prize_round, assessors, entries):
    criteria, panel, assignment = _one_assignment(lead, prize_round, assessors, entries)
    services.conflict_declare(actor=assessors[0], panel=panel, idea=entries[0], has_conflict=False)
    with pytest.raises(ValidationError):
        services.score_submit(
            actor=assessors[0], assignment=assignment, scores={**_all(criteria), "speed": 2}
        )
    partial = _all(criteria)
    partial.pop("risk")
    with pytest.raises(ValidationError):
        services.score_submit(actor=assessors[0], assignment=assignment, scores=partial)
    assert not Score.objects.exists()


def test_only_the_assigned_assessor_scores(lead, prize_round, assessors, entries):
    criteria, _, assignment = _one_assignment(lead, prize_round, assessors, entries)
    with pytest.raises(PermissionDenied):
        services.score_submit(actor=assessors[1], assignment=assignment, scores=_all(criteria))


def test_scoring_after_the_panel_closes_is_refused(lead, prize_round, assessors, entries):
    criteria, panel, assignment = _one_assignment(lead, prize_round, assessors, entries)
    services.conflict_declare(actor=assessors[0], panel=panel, idea=entries[0], has_conflict=False)
    services.score_submit(
        actor=assessors[0], assignment=assignment, scores=_all(criteria, 2), comment="Good"
    )
    services.panel_close(actor=lead, panel=panel)
    assignment.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.score_submit(actor=assessors[0], assignment=assignment, scores=_all(criteria, 4))
    assert set(Score.objects.values_list("value", flat=True)) == {2}
    with pytest.raises(ValidationError, match="closed"):
        services.conflict_declare(
            actor=assessors[0], panel=panel, idea=entries[1], has_conflict=False
        )


def test_scores_are_audited_and_can_change_while_open(lead, prize_round, assessors, entries):
    criteria, panel, assignment = _one_assignment(lead, prize_round, assessors, entries)
    services.conflict_declare(actor=assessors[0], panel=panel, idea=entries[0], has_conflict=False)
    services.score_submit(actor=assessors[0], assignment=assignment, scores=_all(criteria, 1))
    services.score_submit(actor=assessors[0], assignment=assignment, scores=_all(criteria, 4))
    assert set(Score.objects.values_list("value", flat=True)) == {4}
    assert AuditEvent.objects.filter(action="appraisal.scored").count() == 2


def test_ranking_puts_raw_and_standardised_side_by_side(lead, prize_round, assessors, entries):
    panel = panel_with_scores(lead, prize_round, assessors, entries)
    rows = selectors.panel_ranking(panel)
    assert len(rows) == 4
    assert all(row.result.reviews == 2 for row in rows)
    assert [row.result.rank for row in rows] == sorted(row.result.rank for row in rows)
    progress = selectors.panel_progress(panel)
    assert sum(p.scored for p in progress) == 8


def test_decisions_need_a_reason_and_awards_a_closed_panel(lead, prize_round, assessors, entries):
    panel = panel_with_scores(lead, prize_round, assessors, entries)
    with pytest.raises(ValidationError, match="Say why"):
        services.decision_record(
            actor=lead, panel=panel, idea=entries[0], kind="shortlisted", reason=" "
        )
    services.decision_record(
        actor=lead, panel=panel, idea=entries[0], kind="shortlisted", reason="Strong on quality"
    )
    with pytest.raises(ValidationError, match="Close the panel"):
        services.decision_record(
            actor=lead, panel=panel, idea=entries[0], kind="awarded", reason="Best"
        )
    event = AuditEvent.objects.get(action="appraisal.decided")
    assert event.reason == "Strong on quality" and event.actor == lead
    with pytest.raises(ValidationError, match="Close the panel"):
        services.results_publish(actor=lead, panel=panel)


def test_decisions_are_append_only_and_the_latest_stands(lead, prize_round, assessors, entries):
    panel = panel_with_scores(lead, prize_round, assessors, entries)
    services.decision_record(
        actor=lead, panel=panel, idea=entries[0], kind="shortlisted", reason="Strong"
    )
    services.decision_record(
        actor=lead, panel=panel, idea=entries[0], kind="not_shortlisted", reason="Ineligible"
    )
    assert Decision.objects.count() == 2
    assert selectors.latest_decisions(panel)[entries[0].pk].kind == "not_shortlisted"


def test_blind_mode_cannot_change_once_reviews_are_assigned(lead, prize_round, assessors, entries):
    panel = panel_with_scores(lead, prize_round, assessors, entries, blind=True)
    with pytest.raises(ValidationError, match="blind"):
        services.panel_update(
            actor=lead, panel=panel, reviews_per_submission=2, blind=False, rank_by="raw"
        )
    panel.refresh_from_db()
    assert panel.blind


def test_business_case_by_its_authors_with_barriers_and_counter_measures(
    prize_round, entries, authors
):
    with pytest.raises(PermissionDenied):
        services.business_case_save(actor=authors[1], idea=entries[0], point="P", justification="J")
    with pytest.raises(ValidationError) as error:
        services.business_case_save(
            actor=authors[0],
            idea=entries[0],
            point="P",
            justification="J",
            barriers={"top_down": "", "bogus": "x"},
        )
    assert "barrier_top_down" in error.value.message_dict
    assert not BusinessCase.objects.exists()
    case = services.business_case_save(
        actor=authors[0],
        idea=entries[0],
        point="Text people before bin day",
        justification="Fewer missed bins",
        illustration="Leeds did it",
        involved_service_users=True,
        barriers={"top_down": "Designed with the crews", "distracted_by_cuts": "Saves money"},
    )
    assert sorted(b.kind for b in case.barriers.all()) == ["distracted_by_cuts", "top_down"]


def test_removing_an_assessor_who_has_scored_is_refused(lead, prize_round, assessors, entries):
    panel = panel_with_scores(lead, prize_round, assessors, entries)
    with pytest.raises(ValidationError, match="scored"):
        services.panel_member_remove(actor=lead, panel=panel, user=assessors[0])
    assert panel.members.count() == 3


def test_reviews_of_an_unpublished_criteria_set_are_refused(lead, prize_round, assessors, entries):
    criteria = _criteria(lead, prize_round, publish=False)
    panel = _panel(lead, prize_round, assessors)
    assignment = services.assignment_add(
        actor=lead, panel=panel, idea=entries[0], assessor=assessors[0]
    )
    services.conflict_declare(actor=assessors[0], panel=panel, idea=entries[0], has_conflict=False)
    with pytest.raises(ValidationError, match="published"):
        services.score_submit(actor=assessors[0], assignment=assignment, scores=_all(criteria))
    assert Criterion.objects.count() == 8
    assert Assignment.objects.count() == 1


def test_prize_awards_respect_tiers_the_pot_and_eligibility(lead, prize_round, assessors, entries):
    prize = services.prize_create(
        actor=lead,
        challenge=prize_round,
        pot=15_000,
        closes_at=timezone.now() - timedelta(days=1),
        tiers=[("Winner", 10_000, 1), ("Runner-up", 2_500, 2)],
        questions=["Are you based in the county?"],
    )
    with pytest.raises(ValidationError, match="more than the pot"):
        services.prize_create(
            actor=lead,
            challenge=prize_round,
            pot=1,
            closes_at=timezone.now(),
            tiers=[("Winner", 10, 1)],
        )
    winner, runner_up = prize.tiers.all()
    question = prize.questions.get()
    for idea in entries:
        services.eligibility_answer(
            actor=idea.author, prize=prize, idea=idea, answers={question.pk: idea != entries[3]}
        )
    panel = panel_with_scores(lead, prize_round, assessors, entries)
    services.panel_close(actor=lead, panel=panel)
    services.decision_record(
        actor=lead, panel=panel, idea=entries[0], kind="awarded", reason="Best", tier=winner
    )
    with pytest.raises(ValidationError, match="already awarded"):
        services.decision_record(
            actor=lead, panel=panel, idea=entries[1], kind="awarded", reason="Also", tier=winner
        )
    with pytest.raises(ValidationError, match="not eligible"):
        services.decision_record(
            actor=lead, panel=panel, idea=entries[3], kind="awarded", reason="x", tier=runner_up
        )
    services.decision_record(
        actor=lead, panel=panel, idea=entries[1], kind="awarded", reason="Close", tier=runner_up
    )
    services.decision_record(
        actor=lead, panel=panel, idea=entries[2], kind="awarded", reason="Close", tier=runner_up
    )
    services.results_publish(actor=lead, panel=panel, summary="A strong field.")
    results = selectors.published_results(panel)
    assert [(idea.pk, d.tier.name) for idea, d in results] == [
        (entries[0].pk, "Winner"),
        (entries[1].pk, "Runner-up"),
        (entries[2].pk, "Runner-up"),
    ]
    with pytest.raises(ValidationError, match="published"):
        services.decision_record(
            actor=lead, panel=panel, idea=entries[3], kind="not_awarded", reason="x"
        )


def test_a_prize_cannot_be_awarded_before_entries_close(lead, prize_round, assessors, entries):
    prize = services.prize_create(
        actor=lead,
        challenge=prize_round,
        pot=100,
        closes_at=timezone.now() + timedelta(days=1),
        tiers=[("Winner", 100, 1)],
    )
    panel = panel_with_scores(lead, prize_round, assessors, entries)
    services.panel_close(actor=lead, panel=panel)
    with pytest.raises(ValidationError, match="still open"):
        services.decision_record(
            actor=lead,
            panel=panel,
            idea=entries[0],
            kind="awarded",
            reason="Best",
            tier=prize.tiers.get(),
        )
    assert not Decision.objects.exists()


def test_the_panel_judges_after_the_develop_phase(lead, prize_round, entries):
    moved = move_phase(prize_round, "deliver")
    assert moved.phases.count() == 3
