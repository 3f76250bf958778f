"""Writes about challenges: every rule, every message, and that bad input changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicflow.challenges import services
from civicflow.challenges.models import Challenge, Follow, Phase
from civicflow.challenges.phases import PhaseDates
from civicflow.core.audit import action_label
from civicflow.core.models import AuditEvent
from civicflow.notifications.models import Notification
from tests.challenges.conftest import days, open_call_phases
from tests.factories import TeamFactory

GOOD = {
    "title": "Fewer missed bin collections",
    "summary": "Help us miss fewer bins.",
    "problem": "Too many bins are missed each week.",
    "driver": "cost_pressure",
    "audience": "public",
}


def create(organisation, lead, **changes):
    values = {"kind": "open_call", "phases": open_call_phases(timezone.now()), **GOOD, **changes}
    return services.challenge_create(actor=lead, organisation=organisation, **values)


def nothing_saved():
    return not Challenge.objects.exists() and not Phase.objects.exists()


def test_create_drafts_a_challenge_with_its_phases_and_records_it(organisation, lead):
    challenge = create(organisation, lead, evidence="  Complaints rose 30%.  ")
    assert challenge.status == "draft"
    assert challenge.slug == "fewer-missed-bin-collections"
    assert challenge.evidence == "Complaints rose 30%."
    assert challenge.created_by == lead
    assert [p.key for p in challenge.phases.order_by("starts_at")] == [
        "discover",
        "define",
        "develop",
        "deliver",
    ]
    event = AuditEvent.objects.get(action="challenge.created")
    assert event.actor == lead and event.organisation == organisation
    assert action_label("challenge.created") == "Challenge drafted"


def test_slugs_are_unique_in_an_organisation_and_never_new(organisation, lead):
    first = create(organisation, lead)
    second = create(organisation, lead)
    assert (first.slug, second.slug) == (
        "fewer-missed-bin-collections",
        "fewer-missed-bin-collections-2",
    )
    assert create(organisation, lead, title="New").slug == "new-2"
    assert create(organisation, lead, title="!!!").slug == "challenge"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "   "}, "title", "Enter the title."),
        ({"summary": ""}, "summary", "Enter the summary."),
        ({"problem": "\n"}, "problem", "Enter the problem statement."),
        ({"title": "x" * 201}, "title", "The title must be 200 characters or fewer."),
        ({"summary": "x" * 301}, "summary", "The summary must be 300 characters or fewer."),
        ({"evidence": "x" * 20_001}, "evidence", "The evidence must be 20,000 characters"),
        ({"driver": "whim"}, "driver", "Select what is driving this challenge."),
        ({"audience": "martians"}, "audience", "Select who can take part."),
        ({"kind": "bake_off"}, "kind", "Select the kind of challenge."),
        ({"phases": []}, "phases", "Give the dates of at least one phase."),
        (
            {"kind": "prize", "phases": [PhaseDates("discover", days(0), days(1))]},
            "phases",
            "A challenge prize has no discover phase.",
        ),
        (
            {
                "phases": [
                    PhaseDates("define", days(0), days(5)),
                    PhaseDates("develop", days(4), days(9)),
                ]
            },
            "phases",
            "The Develop phase must start after the Define phase ends.",
        ),
        ({"kind": "improvement_board"}, "team", "Select the team whose board this is."),
    ],
)
def test_bad_input_is_refused_and_saves_nothing(organisation, lead, changes, field, message):
    if changes.get("kind") == "improvement_board":
        changes["phases"] = [PhaseDates("develop", days(0), None)]
    with pytest.raises(ValidationError) as caught:
        create(organisation, lead, **changes)
    assert any(message in text for text in caught.value.message_dict[field])
    assert nothing_saved()
    assert not AuditEvent.objects.filter(action__startswith="challenge.").exists()


def test_a_board_belongs_to_a_team_of_the_same_organisation(organisation, other_organisation, lead):
    phases = [PhaseDates("develop", days(0), None)]
    elsewhere = TeamFactory(organisation=other_organisation)
    with pytest.raises(ValidationError) as caught:
        create(organisation, lead, kind="improvement_board", phases=phases, team=elsewhere)
    assert caught.value.message_dict["team"] == ["Select a team of this organisation."]
    ward = TeamFactory(organisation=organisation)
    board = create(organisation, lead, kind="improvement_board", phases=phases, team=ward)
    assert board.team == ward


def test_update_changes_only_what_changed_and_records_why(organisation, lead):
    challenge = create(organisation, lead)
    services.challenge_update(
        actor=lead,
        challenge=challenge,
        title="Fewer missed bins",
        summary=challenge.summary,
        reason="Shorter title",
    )
    challenge.refresh_from_db()
    assert challenge.title == "Fewer missed bins"
    event = AuditEvent.objects.get(action="challenge.updated")
    assert event.data == {"changed": ["title"]}
    assert event.reason == "Shorter title"
    services.challenge_update(actor=lead, challenge=challenge, title="Fewer missed bins")
    assert AuditEvent.objects.filter(action="challenge.updated").count() == 1


def test_update_replaces_phase_dates_and_followers_hear_of_it(organisation, lead, resident):
    challenge = create(organisation, lead)
    services.challenge_move(actor=lead, challenge=challenge, to="published")
    services.challenge_follow(user=resident, challenge=challenge)
    new = [PhaseDates("develop", days(-1), days(60))]
    services.challenge_update(actor=lead, challenge=challenge, phases=new)
    assert [(p.key, p.ends_at) for p in challenge.phase_dates()] == [("develop", new[0].ends_at)]
    assert AuditEvent.objects.get(action="challenge.updated").data == {"changed": ["phases"]}
    notification = Notification.objects.get(recipient=resident)
    assert notification.kind == "challenge.dates_changed"
    assert notification.url == challenge.get_absolute_url()
    # The same dates again are no change.
    services.challenge_update(actor=lead, challenge=challenge, phases=new)
    assert AuditEvent.objects.filter(action="challenge.updated").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"problem": "x" * 20_001}, "problem"),
        ({"audience": "nobody"}, "audience"),
        ({"phases": [PhaseDates("develop", days(2), days(1))]}, "phases"),
        ({"reason": "x" * 1001}, "reason"),
    ],
)
def test_bad_changes_are_refused_and_change_nothing(organisation, lead, changes, field):
    challenge = create(organisation, lead)
    before = list(Phase.objects.values_list("key", "starts_at", "ends_at"))
    with pytest.raises(ValidationError) as caught:
        services.challenge_update(actor=lead, challenge=challenge, **changes)
    assert field in caught.value.message_dict
    challenge.refresh_from_db()
    assert challenge.title == GOOD["title"]
    assert list(Phase.objects.values_list("key", "starts_at", "ends_at")) == before
    assert not AuditEvent.objects.filter(action="challenge.updated").exists()


def test_the_kind_cannot_be_changed(organisation, lead):
    challenge = create(organisation, lead)
    with pytest.raises(ValidationError, match="cannot be changed: kind"):
        services.challenge_update(actor=lead, challenge=challenge, kind="prize")


def test_lifecycle_moves_are_recorded_and_followers_told(organisation, lead, resident):
    challenge = create(organisation, lead)
    services.challenge_move(actor=lead, challenge=challenge, to="published", reason="Ready")
    assert challenge.status == "published" and challenge.published_at is not None
    services.challenge_follow(user=resident, challenge=challenge)
    services.challenge_move(actor=lead, challenge=challenge, to="closed")
    assert challenge.closed_at is not None
    services.challenge_move(actor=lead, challenge=challenge, to="published")
    services.challenge_move(actor=lead, challenge=challenge, to="closed")
    services.challenge_move(actor=lead, challenge=challenge, to="archived", reason="Done")
    challenge.refresh_from_db()
    assert challenge.status == "archived" and challenge.archived_at is not None
    actions = list(
        AuditEvent.objects.filter(action__startswith="challenge.")
        .order_by("pk")
        .values_list("action", "reason")
    )
    assert actions == [
        ("challenge.created", ""),
        ("challenge.published", "Ready"),
        ("challenge.closed", ""),
        ("challenge.reopened", ""),
        ("challenge.closed", ""),
        ("challenge.archived", "Done"),
    ]
    assert list(
        Notification.objects.filter(recipient=resident)
        .order_by("pk")
        .values_list("kind", flat=True)
    ) == ["challenge.closed", "challenge.reopened", "challenge.closed", "challenge.archived"]
    assert not Notification.objects.filter(recipient=lead).exists()  # not told of their own act


@pytest.mark.parametrize(
    ("path", "to", "message"),
    [
        ([], "closed", "A draft challenge cannot be closed. Publish it first."),
        ([], "archived", "Only a closed challenge can be archived. Close it first."),
        (["published"], "published", "This challenge is already published."),
        (["published"], "archived", "Only a closed challenge can be archived."),
        (["published"], "draft", "A challenge cannot go back to being a draft."),
        (["published"], "deleted", "Choose published, closed or archived."),
        (["published", "closed", "archived"], "published", "An archived challenge cannot be"),
    ],
)
def test_illegal_moves_are_refused_and_change_nothing(organisation, lead, path, to, message):
    challenge = create(organisation, lead)
    for step in path:
        services.challenge_move(actor=lead, challenge=challenge, to=step)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.challenge_move(actor=lead, challenge=challenge, to=to)
    assert message in caught.value.message_dict["status"][0]
    assert AuditEvent.objects.count() == events
    assert Challenge.objects.get().status == (path[-1] if path else "draft")


def test_a_long_reason_is_refused(organisation, lead):
    challenge = create(organisation, lead)
    with pytest.raises(ValidationError):
        services.challenge_move(actor=lead, challenge=challenge, to="published", reason="x" * 1001)
    assert Challenge.objects.get().status == "draft"


def test_an_archived_challenge_is_frozen(organisation, lead, resident):
    challenge = create(organisation, lead)
    for step in ("published", "closed", "archived"):
        services.challenge_move(actor=lead, challenge=challenge, to=step)
    with pytest.raises(ValidationError, match="archived challenge cannot be changed"):
        services.challenge_update(actor=lead, challenge=challenge, title="Something else")
    with pytest.raises(ValidationError, match="archived"):
        services.challenge_follow(user=resident, challenge=challenge)
    assert Challenge.objects.get().title == GOOD["title"]


def test_follow_is_idempotent_and_drafts_cannot_be_followed(organisation, lead, resident):
    challenge = create(organisation, lead)
    with pytest.raises(ValidationError, match="draft"):
        services.challenge_follow(user=resident, challenge=challenge)
    services.challenge_move(actor=lead, challenge=challenge, to="published")
    services.challenge_follow(user=resident, challenge=challenge)
    services.challenge_follow(user=resident, challenge=challenge)
    assert Follow.objects.filter(user=resident).count() == 1
    services.challenge_unfollow(user=resident, challenge=challenge)
    services.challenge_unfollow(user=resident, challenge=challenge)
    assert not Follow.objects.exists()


def test_a_phase_with_no_end_is_kept(organisation, lead):
    board = create(
        organisation,
        lead,
        kind="improvement_board",
        team=TeamFactory(organisation=organisation),
        phases=[PhaseDates("develop", days(-1), None)],
    )
    assert board.phase_dates()[0].ends_at is None


def test_created_by_is_empty_for_the_system(organisation):
    challenge = create(organisation, None)
    assert challenge.created_by is None
    assert AuditEvent.objects.get().actor_label == "system"


def test_dates_read_with_the_challenge_are_replaced_when_the_dates_change(organisation, lead):
    from civicflow.challenges import selectors

    challenge = create(organisation, lead)
    read = selectors.challenge_get(
        user=lead, organisation_slug=organisation.slug, slug=challenge.slug
    )
    assert read is not None
    assert [p.key for p in read.phase_dates()] == [p.key for p in challenge.phase_dates()]
    new = [PhaseDates("develop", days(-1), days(60))]
    services.challenge_update(actor=lead, challenge=read, phases=new)
    assert [(p.key, p.ends_at) for p in read.phase_dates()] == [("develop", new[0].ends_at)]
