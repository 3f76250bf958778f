"""The rules of initiatives and gate decisions, each refused with a clear message and nothing
changed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civicflow.core.models import AppendOnlyError, AuditEvent
from civicflow.ideas.models import IdeaStatus
from civicflow.initiatives import services
from civicflow.initiatives.models import (
    Decision,
    GateDecision,
    Initiative,
    ReviewDate,
    Stage,
    Status,
)
from civicflow.notifications.models import Notification
from tests.factories import member

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> str:
    return " ".join(message for messages in error.message_dict.values() for message in messages)


def _decide(actor, initiative, decision=Decision.GO, reason="The pilot worked.", **extra):
    return services.gate_decide(
        actor=actor, initiative=initiative, decision=decision, reason=reason, **extra
    )


# Starting ------------------------------------------------------------------------------------


def test_a_lead_starts_an_initiative_from_a_selected_idea(lead, owner, organisation, idea):
    initiative = services.initiative_start(
        actor=lead,
        organisation=organisation,
        title="Bin day texts",
        idea=idea,
        business_owner=owner,
    )

    assert initiative.source_kind == "idea"
    assert initiative.idea == idea
    assert initiative.stage == Stage.TEST
    assert initiative.status == Status.ACTIVE
    assert AuditEvent.objects.for_target(initiative).get().action == "initiative.started"
    assert Notification.objects.get(recipient=owner).kind == "initiative.owner_named"


def test_only_a_selected_idea_becomes_an_initiative(lead, organisation, idea):
    from civicflow.ideas import services as ideas

    ideas.idea_set_status(
        actor=lead, idea=idea, status=IdeaStatus.SHORTLISTED, feedback="Back on the shortlist."
    )
    idea.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        services.initiative_start(actor=lead, organisation=organisation, title="X", idea=idea)

    assert "Only a selected idea can become an initiative" in _messages(caught.value)
    assert not Initiative.objects.exists()


def test_an_idea_has_one_initiative(lead, organisation, idea):
    services.initiative_start(actor=lead, organisation=organisation, title="First", idea=idea)

    with pytest.raises(ValidationError) as caught:
        services.initiative_start(actor=lead, organisation=organisation, title="Again", idea=idea)

    assert "already has an initiative" in _messages(caught.value)
    assert Initiative.objects.count() == 1


def test_an_idea_of_another_organisation_is_refused(lead, organisation, other_organisation):
    from tests.initiatives.helpers import selected_idea

    theirs = selected_idea(member(other_organisation, "innovation_lead"), other_organisation)

    with pytest.raises(ValidationError) as caught:
        services.initiative_start(actor=lead, organisation=organisation, title="X", idea=theirs)

    assert "Choose an idea put forward to" in _messages(caught.value)


def test_only_leads_start_initiatives(decider, owner, organisation):
    for person in (decider, owner):
        with pytest.raises(PermissionDenied):
            services.initiative_start(actor=person, organisation=organisation, title="X")
    assert not Initiative.objects.exists()


def test_the_owner_must_be_a_member(lead, organisation, outsider):
    with pytest.raises(ValidationError) as caught:
        services.initiative_start(
            actor=lead, organisation=organisation, title="X", business_owner=outsider
        )

    assert "The business owner must be a member" in _messages(caught.value)


def test_a_title_is_needed(lead, organisation):
    with pytest.raises(ValidationError) as caught:
        services.initiative_start(actor=lead, organisation=organisation, title="  ")

    assert "Enter the initiative's title." in _messages(caught.value)


# Gate decisions: the rules ---------------------------------------------------------------------


def test_a_go_moves_the_initiative_on_one_stage(decider, initiative, owner):
    decision = _decide(decider, initiative, conditions="Report monthly.")

    initiative.refresh_from_db()
    assert initiative.stage == Stage.IMPLEMENT
    assert (decision.from_stage, decision.to_stage) == (Stage.TEST, Stage.IMPLEMENT)
    event = AuditEvent.objects.for_target(initiative).filter(action="initiative.gate_decided")
    assert event.get().reason == "The pilot worked."
    assert Notification.objects.filter(recipient=owner, kind="initiative.gate_decided").exists()


def test_no_gate_without_an_owner(lead, decider, organisation):
    initiative = services.initiative_start(actor=lead, organisation=organisation, title="X")

    with pytest.raises(ValidationError) as caught:
        _decide(decider, initiative)

    assert "Name the initiative's business owner before any gate decision" in _messages(
        caught.value
    )
    initiative.refresh_from_db()
    assert initiative.stage == Stage.TEST
    assert not GateDecision.objects.exists()


def test_no_decision_without_a_reason(decider, initiative):
    with pytest.raises(ValidationError) as caught:
        _decide(decider, initiative, reason="   ")

    assert "Enter the reason for the decision" in _messages(caught.value)
    initiative.refresh_from_db()
    assert initiative.stage == Stage.TEST
    assert not GateDecision.objects.exists()


@pytest.mark.parametrize("role", ["staff", "innovation_lead", "assessor"])
def test_only_decision_makers_and_administrators_decide(role, organisation, initiative):
    person = member(organisation, *(() if role == "staff" else (role,)))

    with pytest.raises(PermissionDenied) as caught:
        _decide(person, initiative)

    assert "Only the organisation's decision makers and administrators" in str(caught.value)
    assert not GateDecision.objects.exists()


def test_an_organisation_administrator_decides(admin_user, initiative):
    _decide(admin_user, initiative, Decision.HOLD, "Wait for the budget.")

    initiative.refresh_from_db()
    assert initiative.status == Status.ON_HOLD


def test_a_decision_maker_of_another_organisation_cannot_decide(outsider, initiative):
    with pytest.raises(PermissionDenied):
        _decide(outsider, initiative)


def test_the_stage_changes_only_through_a_decision(lead, initiative):
    """No service but a go decision moves the stage; editing leaves it where it was."""
    services.initiative_edit(
        actor=lead,
        initiative=initiative,
        title="Renamed",
        business_owner=initiative.business_owner,
    )
    initiative.refresh_from_db()
    assert initiative.stage == Stage.TEST


@pytest.mark.parametrize(
    ("decision", "stage", "status"),
    [
        (Decision.HOLD, Stage.TEST, Status.ON_HOLD),
        (Decision.STOP, Stage.TEST, Status.STOPPED),
        (Decision.PIVOT, Stage.TEST, Status.ACTIVE),
    ],
)
def test_hold_stop_and_pivot_keep_the_stage(decider, initiative, decision, stage, status):
    _decide(decider, initiative, decision, "Because.")

    initiative.refresh_from_db()
    assert (initiative.stage, initiative.status) == (stage, status)


def test_a_go_needs_the_next_stage_entry_criteria_met(lead, decider, initiative):
    criterion = services.criterion_add(
        actor=lead, initiative=initiative, stage=Stage.IMPLEMENT, text="Roll-out budget agreed"
    )

    with pytest.raises(ValidationError) as caught:
        _decide(decider, initiative)

    assert "Before a go into Implement, meet its entry criteria: Roll-out budget agreed." in (
        _messages(caught.value)
    )
    services.criterion_set_met(actor=lead, criterion=criterion)
    _decide(decider, initiative)
    initiative.refresh_from_db()
    assert initiative.stage == Stage.IMPLEMENT


def test_there_is_no_go_after_scale(decider, make_initiative):
    initiative = make_initiative(stage=Stage.SCALE)

    with pytest.raises(ValidationError) as caught:
        _decide(decider, initiative)

    assert "Scale is the last stage" in _messages(caught.value)


def test_a_stopped_initiative_takes_no_new_decision(decider, initiative):
    _decide(decider, initiative, Decision.STOP, "Costs too much.")

    with pytest.raises(ValidationError) as caught:
        _decide(decider, initiative)

    assert "This initiative was stopped" in _messages(caught.value)


def test_evidence_links_must_be_web_addresses(decider, initiative):
    with pytest.raises(ValidationError) as caught:
        _decide(decider, initiative, evidence_links=["pilot report on the shared drive"])

    assert "is not a web address" in _messages(caught.value)
    decision = _decide(decider, initiative, evidence_links=["https://example.org/report", " "])
    assert decision.evidence_links == ["https://example.org/report"]


# Gate decisions: immutable, corrected by new decisions ------------------------------------------


def test_a_recorded_decision_cannot_be_changed_or_deleted(decider, initiative):
    decision = _decide(decider, initiative)

    decision.reason = "Something else"
    with pytest.raises(AppendOnlyError):
        decision.save()
    with pytest.raises(AppendOnlyError):
        decision.delete()
    with pytest.raises(AppendOnlyError):
        GateDecision.objects.filter(pk=decision.pk).update(reason="Something else")
    with pytest.raises(AppendOnlyError):
        GateDecision.objects.all().delete()
    assert GateDecision.objects.get(pk=decision.pk).reason == "The pilot worked."


def test_a_correction_is_a_new_decision_from_the_state_before(decider, initiative):
    wrong = _decide(decider, initiative)

    fixed = _decide(
        decider, initiative, Decision.HOLD, "Recorded as go by mistake.", corrects=wrong
    )

    initiative.refresh_from_db()
    assert (initiative.stage, initiative.status) == (Stage.TEST, Status.ON_HOLD)
    assert fixed.corrects == wrong
    assert GateDecision.objects.count() == 2
    assert list(GateDecision.objects.effective()) == [fixed]
    assert AuditEvent.objects.filter(action="initiative.gate_corrected").count() == 1


def test_a_stop_is_undone_only_by_correcting_it(decider, initiative):
    stop = _decide(decider, initiative, Decision.STOP, "No money.")

    _decide(decider, initiative, Decision.GO, "Funding was found after all.", corrects=stop)

    initiative.refresh_from_db()
    assert (initiative.stage, initiative.status) == (Stage.IMPLEMENT, Status.ACTIVE)


def test_only_the_latest_decision_can_be_corrected(decider, initiative):
    first = _decide(decider, initiative, Decision.PIVOT, "Try weekends.")
    _decide(decider, initiative, Decision.HOLD, "Wait.")

    with pytest.raises(ValidationError) as caught:
        _decide(decider, initiative, Decision.STOP, "Oops.", corrects=first)

    assert "Only the latest decision can be corrected" in _messages(caught.value)


def test_a_decision_is_corrected_once(decider, initiative):
    wrong = _decide(decider, initiative)
    _decide(decider, initiative, Decision.HOLD, "Mistake.", corrects=wrong)

    with pytest.raises(ValidationError) as caught:
        _decide(decider, initiative, Decision.STOP, "Another.", corrects=wrong)

    assert "That decision was corrected already" in _messages(caught.value)


def test_a_correction_of_a_correction_starts_from_the_original_state(decider, initiative):
    wrong = _decide(decider, initiative)
    second = _decide(decider, initiative, Decision.STOP, "Mistake.", corrects=wrong)

    _decide(decider, initiative, Decision.HOLD, "Hold, not stop.", corrects=second)

    initiative.refresh_from_db()
    assert (initiative.stage, initiative.status) == (Stage.TEST, Status.ON_HOLD)


def test_a_decision_of_another_initiative_cannot_be_corrected(decider, make_initiative):
    one = make_initiative(title="One")
    two = make_initiative(title="Two")
    decision = _decide(decider, one)

    with pytest.raises(ValidationError) as caught:
        _decide(decider, two, Decision.HOLD, "Wrong one.", corrects=decision)

    assert "Choose a decision on this initiative" in _messages(caught.value)


# Team, plans, progress --------------------------------------------------------------------------


def test_the_team_holds_members_with_roles(lead, organisation, outsider, initiative):
    analyst = member(organisation)
    services.team_member_add(actor=lead, initiative=initiative, user=analyst, role="Analyst")

    with pytest.raises(ValidationError) as caught:
        services.team_member_add(actor=lead, initiative=initiative, user=analyst, role="Again")
    assert "on the team already" in _messages(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.team_member_add(actor=lead, initiative=initiative, user=outsider, role="X")
    assert "Choose a member of" in _messages(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.team_member_add(
            actor=lead, initiative=initiative, user=member(organisation), role=""
        )
    assert "Enter their role" in _messages(caught.value)

    services.team_member_remove(actor=lead, initiative=initiative, user=analyst)
    assert not initiative.team.exists()


def test_the_owner_runs_their_initiative_and_others_may_not(owner, organisation, initiative):
    services.progress_update_add(actor=owner, initiative=initiative, body="Two rounds live.")

    with pytest.raises(PermissionDenied):
        services.progress_update_add(
            actor=member(organisation), initiative=initiative, body="Not mine."
        )


def test_stage_plans_keep_exact_money(lead, initiative):
    plan = services.stage_plan_set(
        actor=lead,
        initiative=initiative,
        stage=Stage.TEST,
        planned_start=date(2026, 1, 5),
        planned_end=date(2026, 3, 31),
        budget=Decimal("12500.50"),
        spent=Decimal("3200.25"),
    )
    assert plan.budget == Decimal("12500.50")

    with pytest.raises(ValidationError) as caught:
        services.stage_plan_set(
            actor=lead,
            initiative=initiative,
            stage=Stage.TEST,
            planned_start=date(2026, 3, 1),
            planned_end=date(2026, 1, 1),
            spent=Decimal("-1"),
        )
    text = _messages(caught.value)
    assert "The planned end must be on or after the planned start." in text
    assert "Enter an amount of 0 or more." in text


def test_progress_updates_and_milestones_keep_an_initiative_from_stalling(lead, initiative):
    before = initiative.last_update_at
    milestone = services.milestone_add(
        actor=lead, initiative=initiative, title="Pilot starts", due_on=date(2026, 2, 1)
    )
    services.milestone_reach(actor=lead, milestone=milestone)
    services.progress_update_add(actor=lead, initiative=initiative, body="Going well.")

    initiative.refresh_from_db()
    assert initiative.last_update_at > before
    with pytest.raises(ValidationError) as caught:
        services.progress_update_add(actor=lead, initiative=initiative, body="")
    assert "Enter the update" in _messages(caught.value)
    with pytest.raises(ValidationError):
        services.milestone_reach(
            actor=lead, milestone=milestone, done_on=timezone.localdate() + timedelta(days=2)
        )


# Evaluation plans and review reminders -----------------------------------------------------------


def test_an_evaluation_plan_needs_a_question_and_a_design(lead, initiative):
    with pytest.raises(ValidationError) as caught:
        services.evaluation_plan_set(actor=lead, initiative=initiative, question="", design="x")

    text = _messages(caught.value)
    assert "Enter the evaluation question" in text
    assert "Choose a design" in text


def test_review_dates_remind_the_owner_once_on_the_day(lead, owner, initiative):
    today = timezone.localdate()
    services.evaluation_plan_set(
        actor=lead,
        initiative=initiative,
        question="Do reminders cut missed collections?",
        design="comparison",
        sample="Two rounds with texts, two without.",
        measures="Missed collections per 1,000 households.",
        review_dates=[today + timedelta(days=180), today + timedelta(days=365)],
    )
    assert services.review_reminders_send(today=today) == 0

    assert services.review_reminders_send(today=today + timedelta(days=181)) == 1
    assert services.review_reminders_send(today=today + timedelta(days=181)) == 0
    reminder = Notification.objects.get(recipient=owner, kind="initiative.review_due")
    assert "Evaluation review due" in reminder.title
    assert ReviewDate.objects.filter(reminded_at__isnull=True).count() == 1


def test_changing_the_plan_keeps_reviews_already_reminded(lead, initiative):
    today = timezone.localdate()
    past = today - timedelta(days=1)
    services.evaluation_plan_set(
        actor=lead, initiative=initiative, question="Q?", design="before_after", review_dates=[past]
    )
    services.review_reminders_send(today=today)

    services.evaluation_plan_set(
        actor=lead,
        initiative=initiative,
        question="Q?",
        design="before_after",
        review_dates=[today + timedelta(days=30)],
    )

    assert sorted(ReviewDate.objects.values_list("due_on", flat=True)) == [
        past,
        today + timedelta(days=30),
    ]


def test_the_reminder_command_queues_the_task(lead, owner, initiative):
    from io import StringIO

    from django.core.management import call_command

    services.evaluation_plan_set(
        actor=lead,
        initiative=initiative,
        question="Q?",
        design="randomised",
        review_dates=[timezone.localdate()],
    )
    out = StringIO()
    call_command("send_review_reminders", stdout=out)  # tasks run at once in test mode

    assert "Queued" in out.getvalue()
    assert Notification.objects.filter(recipient=owner, kind="initiative.review_due").exists()
