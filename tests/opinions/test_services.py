"""Opinion map services: each rule, each message, and that refused input changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civicflow.core.models import AuditEvent
from civicflow.core.personal_data import personal_data_erase, personal_data_export
from civicflow.opinions import services
from civicflow.opinions.models import (
    Analysis,
    Conversation,
    Statement,
    StatementStatus,
    Vote,
)
from tests.opinions.conftest import open_call, vote_in_two_camps, voters


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# Conversations -------------------------------------------------------------------------------


def test_a_lead_starts_a_conversation_and_it_is_audited(bins):
    assert bins.conversation.organisation == bins.organisation
    assert bins.conversation.is_open
    event = AuditEvent.objects.get(action="opinion_conversation.started")
    assert event.actor == bins.lead


@pytest.mark.parametrize("who", ["staff", "resident", "outsider"])
def test_only_leads_start_conversations(bins, who):
    with pytest.raises(PermissionDenied):
        services.conversation_create(
            actor=getattr(bins, who), challenge=bins.challenge, question="Anything?"
        )


def test_a_conversation_needs_a_question(bins):
    with pytest.raises(ValidationError) as error:
        services.conversation_create(actor=bins.lead, challenge=bins.challenge, question="  ")
    assert "Enter the question" in _messages(error.value)
    assert Conversation.objects.count() == 1


def test_closing_a_conversation_is_audited_with_the_reason(bins):
    services.conversation_update(
        actor=bins.lead,
        conversation=bins.conversation,
        question=bins.conversation.question,
        description="",
        moderation="post",
        state="closed",
        reason="Enough votes",
    )
    event = AuditEvent.objects.get(action="opinion_conversation.closed")
    assert event.reason == "Enough votes"
    with pytest.raises(PermissionDenied, match="closed"):
        services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=1)


# Statements ----------------------------------------------------------------------------------


def test_seed_statements_are_accepted_at_once(bins):
    assert all(s.is_seed and s.status == StatementStatus.ACCEPTED for s in bins.seeds)


def test_a_participant_statement_is_accepted_under_post_moderation(bins):
    statement = services.statement_add(
        actor=bins.resident, conversation=bins.conversation, text="  Crews   need more time  "
    )
    assert statement.text == "Crews need more time"
    assert statement.status == StatementStatus.ACCEPTED
    assert not statement.is_seed
    assert statement.author.user == bins.resident


def test_under_pre_moderation_a_participant_statement_waits(bins):
    conversation = services.conversation_create(
        actor=bins.lead, challenge=bins.challenge, question="Pre?", moderation="pre"
    )
    statement = services.statement_add(
        actor=bins.resident, conversation=conversation, text="Crews need more time"
    )
    assert statement.status == StatementStatus.PENDING


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter your statement"),
        ("   \n ", "Enter your statement"),
        ("x" * 141, "140 characters or fewer"),
        ("...", "in words"),
        ("Parked cars are the main reason bins are missed", "already has that statement"),
        ("PARKED  cars are the main reason bins are missed!", "already has that statement"),
    ],
)
def test_bad_statements_are_refused_and_nothing_is_added(bins, text, message):
    before = Statement.objects.count()
    with pytest.raises(ValidationError) as error:
        services.statement_add(actor=bins.resident, conversation=bins.conversation, text=text)
    assert message in _messages(error.value)
    assert Statement.objects.count() == before


def test_a_statement_of_exactly_140_characters_is_fine(bins):
    services.statement_add(actor=bins.resident, conversation=bins.conversation, text="y" * 140)


def test_normalising_folds_case_spaces_and_end_punctuation():
    assert services.normalise("  Bins  WEEKLY!! ") == services.normalise("bins weekly")
    assert services.normalise("Ｂｉｎｓ") == "bins"


def test_outside_the_audience_of_a_staff_only_challenge_nobody_adds_statements(bins):
    staff_only = open_call(bins.lead, bins.organisation, audience="staff", title="Staff only")
    conversation = services.conversation_create(
        actor=bins.lead, challenge=staff_only, question="Staff?"
    )
    with pytest.raises(PermissionDenied, match="Only staff"):
        services.statement_add(actor=bins.resident, conversation=conversation, text="Hello")
    services.statement_add(actor=bins.staff, conversation=conversation, text="Hello")


def test_when_the_phase_does_not_allow_taking_part_nobody_votes_or_adds(bins):
    phase = bins.challenge.phases.get(key="develop")
    phase.ends_at = timezone.now() - timedelta(minutes=1)
    phase.starts_at = timezone.now() - timedelta(days=9)
    phase.save()
    bins.challenge.phases.filter(key="deliver").delete()
    conversation = Conversation.objects.get(pk=bins.conversation.pk)
    with pytest.raises(PermissionDenied, match="not open"):
        services.statement_add(actor=bins.resident, conversation=conversation, text="Late")
    with pytest.raises(PermissionDenied):
        services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=1)
    # The leads still add seed statements.
    services.statement_add(actor=bins.lead, conversation=conversation, text="A late seed")


# Moderation ----------------------------------------------------------------------------------


def test_rejecting_needs_a_reason_and_is_audited(bins):
    statement = services.statement_add(
        actor=bins.resident, conversation=bins.conversation, text="Something rude"
    )
    with pytest.raises(ValidationError, match="Say why"):
        services.statement_moderate(actor=bins.lead, statement=statement, status="rejected")
    services.statement_moderate(
        actor=bins.lead, statement=statement, status="rejected", reason="Offensive"
    )
    statement.refresh_from_db()
    assert statement.status == StatementStatus.REJECTED
    assert statement.moderated_by == bins.lead
    event = AuditEvent.objects.get(action="opinion_statement.rejected")
    assert (event.reason, event.target_id) == ("Offensive", str(statement.pk))


def test_moderating_to_the_same_status_records_nothing(bins):
    services.statement_moderate(actor=bins.lead, statement=bins.seeds[0], status="accepted")
    assert not AuditEvent.objects.filter(action__startswith="opinion_statement").exists()


@pytest.mark.parametrize("who", ["staff", "resident", "outsider"])
def test_only_leads_moderate(bins, who):
    with pytest.raises(PermissionDenied):
        services.statement_moderate(
            actor=getattr(bins, who), statement=bins.seeds[0], status="rejected", reason="No"
        )


# Votes ---------------------------------------------------------------------------------------


def test_one_vote_per_person_per_statement_and_it_can_change(bins):
    services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=1)
    services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=-1)
    vote = Vote.objects.get()
    assert vote.value == -1
    assert vote.participant.user == bins.resident


@pytest.mark.parametrize("status", [StatementStatus.PENDING, StatementStatus.REJECTED])
def test_votes_on_hidden_statements_are_refused(bins, status):
    statement = bins.seeds[0]
    Statement.objects.filter(pk=statement.pk).update(status=status)
    statement.refresh_from_db()
    with pytest.raises(ValidationError, match="not open for votes"):
        services.vote_cast(user=bins.resident, statement=statement, value=1)
    assert not Vote.objects.exists()


@pytest.mark.parametrize("value", [2, -2, 5])
def test_a_vote_is_agree_disagree_or_pass(bins, value):
    with pytest.raises(ValidationError, match="1 to agree"):
        services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=value)


def test_signing_in_is_needed_to_vote(bins):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied, match="Sign in"):
        services.vote_cast(user=AnonymousUser(), statement=bins.seeds[0], value=1)


# The background analysis ---------------------------------------------------------------------


def test_votes_bring_the_map_up_to_date_after_the_commit(bins, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        vote_in_two_camps(bins.conversation, bins.seeds)
    analysis = Analysis.objects.get(conversation=bins.conversation)
    assert analysis.ready
    assert analysis.groups == 2
    assert analysis.result["group_sizes"] == [6, 6]
    assert analysis.participants == 12
    conversation = Conversation.objects.get(pk=bins.conversation.pk)
    assert conversation.analysed_at == analysis.computed_at
    assert conversation.analysis_queued_at is None


def test_a_few_votes_give_not_enough_votes_yet_not_an_error(
    bins, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=1)
    analysis = Analysis.objects.get()
    assert not analysis.ready
    assert analysis.message.startswith("Not enough votes yet")
    assert analysis.votes == 1


def test_nothing_is_worked_out_inside_the_vote(bins, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=1)
    assert not Analysis.objects.exists()
    assert len(callbacks) == 1


def _fake_queue(monkeypatch) -> list[int]:
    """Replace the analysis task by one that only records what is queued."""
    from types import SimpleNamespace

    from civicflow.opinions import tasks

    queued: list[int] = []
    backend = SimpleNamespace(supports_defer=False)
    fake = SimpleNamespace(enqueue=queued.append, get_backend=lambda: backend)
    monkeypatch.setattr(tasks, "analyse_conversation", fake)
    return queued


def test_while_an_analysis_is_queued_more_votes_queue_nothing(
    bins, django_capture_on_commit_callbacks, monkeypatch
):
    queued = _fake_queue(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        for person in voters(3):
            services.vote_cast(user=person, statement=bins.seeds[0], value=1)
    assert queued == [bins.conversation.pk]
    # Once it starts, the next vote queues another.
    services.analysis_refresh(conversation_id=bins.conversation.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(user=bins.resident, statement=bins.seeds[1], value=1)
    assert queued == [bins.conversation.pk, bins.conversation.pk]


def test_an_analysis_queued_long_ago_is_taken_as_lost(
    bins, django_capture_on_commit_callbacks, monkeypatch
):
    queued = _fake_queue(monkeypatch)
    Conversation.objects.filter(pk=bins.conversation.pk).update(
        analysis_queued_at=timezone.now() - services.STALE_QUEUE - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=1)
    assert queued == [bins.conversation.pk]


def test_a_rejected_statement_leaves_the_map(bins, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        vote_in_two_camps(bins.conversation, bins.seeds)
        services.statement_moderate(
            actor=bins.lead, statement=bins.seeds[0], status="rejected", reason="Off topic"
        )
    result = Analysis.objects.get().result
    assert result["statements"][str(bins.seeds[0].pk)]["moderated_out"] is True
    chosen = {s["statement_id"] for group in result["repness"].values() for s in group}
    assert bins.seeds[0].pk not in chosen


def test_the_task_for_a_deleted_conversation_does_nothing(db):
    from civicflow.opinions.tasks import analyse_conversation

    assert analyse_conversation.call(123456) is False


# Personal data -------------------------------------------------------------------------------


def test_a_persons_statements_and_votes_are_in_their_download(bins):
    services.statement_add(
        actor=bins.resident, conversation=bins.conversation, text="Crews need more time"
    )
    services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=-1)
    data = personal_data_export(bins.resident)
    assert [s["text"] for s in data["opinion_statements"]] == ["Crews need more time"]
    assert [(v["statement"], v["vote"]) for v in data["opinion_votes"]] == [
        (bins.seeds[0].text, -1)
    ]


def test_erasure_removes_votes_and_keeps_statements_unsigned(bins):
    statement = services.statement_add(
        actor=bins.resident, conversation=bins.conversation, text="Crews need more time"
    )
    services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=-1)
    services.vote_cast(user=bins.staff, statement=bins.seeds[0], value=1)
    personal_data_erase(bins.resident)
    statement.refresh_from_db()
    assert statement.author is not None and statement.author.user is None
    assert list(Vote.objects.values_list("participant__user", flat=True)) == [bins.staff.pk]


def test_where_the_queue_can_wait_an_analysis_soon_after_the_last_is_delayed(
    bins, django_capture_on_commit_callbacks, monkeypatch
):
    from types import SimpleNamespace

    from civicflow.opinions import tasks

    delayed: list[object] = []

    class Deferred:
        def enqueue(self, conversation_id: int) -> None:
            delayed.append(conversation_id)

    backend = SimpleNamespace(supports_defer=True)
    fake = SimpleNamespace(
        get_backend=lambda: backend,
        using=lambda run_after: delayed.append(run_after) or Deferred(),
        enqueue=lambda conversation_id: pytest.fail("queued without waiting"),
    )
    monkeypatch.setattr(tasks, "analyse_conversation", fake)
    last = timezone.now()
    Conversation.objects.filter(pk=bins.conversation.pk).update(analysed_at=last)
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=1)
    assert delayed == [last + services.MIN_INTERVAL, bins.conversation.pk]


def test_leads_are_told_when_a_statement_waits_and_authors_when_it_is_rejected(bins):
    from civicflow.notifications.models import Notification

    conversation = services.conversation_create(
        actor=bins.lead, challenge=bins.challenge, question="Pre?", moderation="pre"
    )
    statement = services.statement_add(
        actor=bins.resident, conversation=conversation, text="Crews need more time"
    )
    told = Notification.objects.get(kind="opinion_statement.waiting", recipient=bins.lead)
    assert "Crews need more time" in told.title
    assert told.url == f"/conversations/{conversation.pk}/moderation/"
    assert Notification.objects.filter(kind="opinion_statement.waiting").count() == 2  # + admin
    services.statement_moderate(
        actor=bins.lead, statement=statement, status="rejected", reason="Said already"
    )
    rejected = Notification.objects.get(kind="opinion_statement.rejected")
    assert (rejected.recipient, rejected.body) == (bins.resident, "Said already")
