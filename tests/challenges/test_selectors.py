"""Reads of challenges: who sees what, the filters, and where a challenge stands."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from civicflow.challenges import selectors
from civicflow.challenges.phases import PhaseDates
from civicflow.challenges.selectors import ChallengeFilters
from tests.challenges.conftest import NOW
from tests.factories import TeamFactory, UserFactory, member


def slugs(user, now=NOW, **filters):
    found = selectors.challenge_list(user=user, filters=ChallengeFilters(**filters), now=now)
    return sorted(challenge.slug for challenge in found)


@pytest.fixture
def spread(make_challenge, organisation, other_organisation):
    """Challenges in every status and audience, in two organisations."""
    other_lead = member(other_organisation, "innovation_lead")
    return {
        "draft": make_challenge(status="draft", title="draft", base=NOW),
        "public": make_challenge(title="public", base=NOW),
        "staff": make_challenge(title="staff", audience="staff", base=NOW),
        "closed": make_challenge(title="closed", status="closed", base=NOW),
        "archived": make_challenge(title="archived", status="archived", base=NOW),
        "other-draft": make_challenge(
            title="other-draft",
            status="draft",
            organisation=other_organisation,
            actor=other_lead,
            base=NOW,
        ),
        "other-staff": make_challenge(
            title="other-staff",
            audience="staff",
            organisation=other_organisation,
            actor=other_lead,
            base=NOW,
        ),
    }


PUBLIC = ["archived", "closed", "public"]


def test_the_public_see_published_closed_and_archived_challenges_not_for_staff_only(spread):
    assert slugs(AnonymousUser()) == PUBLIC
    assert slugs(UserFactory()) == PUBLIC


def test_staff_see_their_own_organisations_staff_only_challenges_but_not_drafts(spread, staff_user):
    assert slugs(staff_user) == sorted([*PUBLIC, "staff"])
    assert slugs(member(spread["public"].organisation, "assessor")) == sorted([*PUBLIC, "staff"])


def test_managers_see_their_own_drafts_only(spread, lead, admin_user):
    mine = sorted([*PUBLIC, "draft", "staff"])
    assert slugs(lead) == mine
    assert slugs(admin_user) == mine


def test_instance_administrators_see_everything(spread):
    assert slugs(UserFactory(is_superuser=True)) == sorted(spread)


def test_challenge_get_hides_what_the_person_may_not_see(spread, staff_user):
    def get(user, name):
        challenge = spread[name]
        return selectors.challenge_get(
            user=user, organisation_slug=challenge.organisation.slug, slug=challenge.slug
        )

    assert get(staff_user, "staff") is not None
    assert get(staff_user, "draft") is None
    assert get(AnonymousUser(), "staff") is None
    assert get(staff_user, "other-staff") is None
    assert get(AnonymousUser(), "public").title == "public"


def test_filters_by_organisation_kind_audience_and_status(
    make_challenge, spread, lead, other_organisation
):
    make_challenge(
        title="prize", kind="prize", audience="both", phases=[PhaseDates("develop", NOW, None)]
    )
    superuser = UserFactory(is_superuser=True)
    assert slugs(superuser, organisation=other_organisation.slug) == ["other-draft", "other-staff"]
    assert slugs(lead, kind="prize") == ["prize"]
    assert slugs(lead, audience="staff") == ["staff"]
    assert slugs(lead, status="draft") == ["draft"]
    assert slugs(AnonymousUser(), status="draft") == []
    assert slugs(lead, status="closed", kind="open_call") == ["closed"]


def test_open_now_and_phase_filters_use_the_time_given(make_challenge, organisation, lead):
    make_challenge(
        title="early",
        phases=[
            PhaseDates("discover", NOW - timedelta(days=5), NOW + timedelta(days=5)),
            PhaseDates("develop", NOW + timedelta(days=5), NOW + timedelta(days=15)),
        ],
    )
    make_challenge(title="later", phases=[PhaseDates("develop", NOW + timedelta(days=20), None)])
    make_challenge(
        title="shut",
        status="closed",
        phases=[PhaseDates("develop", NOW - timedelta(days=1), None)],
    )
    resident = UserFactory()
    assert slugs(resident, open_now=True) == ["early"]
    assert slugs(resident, phase="discover") == ["early"]
    assert slugs(resident, phase="develop") == []
    assert slugs(resident, now=NOW + timedelta(days=6), phase="develop") == ["early"]
    assert slugs(resident, now=NOW + timedelta(days=16), open_now=True) == []
    assert slugs(resident, now=NOW + timedelta(days=21), open_now=True) == ["later"]
    assert slugs(resident, now=NOW + timedelta(days=5), open_now=True) == ["early"]


def test_list_is_newest_first_with_a_total_order(make_challenge):
    first = make_challenge(title="first")
    second = make_challenge(title="second")
    found = list(selectors.challenge_list(user=AnonymousUser()))
    assert found == [second, first]


def test_the_list_reads_phases_in_a_fixed_number_of_queries(
    make_challenge, django_assert_num_queries
):
    for n in range(5):
        make_challenge(title=f"challenge {n}")
    resident = UserFactory()
    with django_assert_num_queries(3):  # roles, challenges, phases
        rows = selectors.challenge_rows(selectors.challenge_list(user=resident), NOW)
        assert len(rows) == 5
        assert all(row.challenge.organisation.name for row in rows)


def test_phase_state_and_timeline(make_challenge):
    challenge = make_challenge(base=NOW)  # develop open from NOW-10d to NOW+10d
    state = selectors.phase_state(challenge, NOW)
    assert (state.current.key, state.current_name, state.upcoming_name) == (
        "develop",
        "Develop",
        "Deliver",
    )
    assert state.allows == {"submit", "comment", "support"}
    timeline = selectors.phase_timeline(challenge, NOW)
    assert [(entry.key, entry.when) for entry in timeline] == [
        ("discover", "past"),
        ("define", "past"),
        ("develop", "now"),
        ("deliver", "later"),
    ]
    assert timeline[2].allows == ("submit", "comment", "support")


def test_a_closed_challenge_has_no_open_phase(make_challenge):
    challenge = make_challenge(status="closed", base=NOW)
    assert selectors.phase_state(challenge, NOW).current is None
    assert [entry.when for entry in selectors.phase_timeline(challenge, NOW)] == [
        "past",
        "past",
        "",
        "",
    ]


@pytest.mark.parametrize(
    ("who", "audience", "moment", "state", "actions"),
    [
        ("resident", "public", 0, "act", ("submit", "comment", "support")),
        ("anonymous", "public", 0, "sign_in", ()),
        ("resident", "staff", 0, "staff_only", ()),
        ("staff", "staff", 0, "act", ("submit", "comment", "support")),
        ("resident", "public", 15, "act", ("comment",)),
        ("assessor", "public", 15, "act", ("comment", "review")),
        ("resident", "public", -40, "upcoming", ()),
        ("resident", "public", 45, "ended", ()),
    ],
)
def test_participation_says_what_the_person_can_do_now(
    make_challenge, staff_user, assessor, who, audience, moment, state, actions
):
    challenge = make_challenge(audience=audience, base=NOW)
    user = {
        "resident": UserFactory(),
        "anonymous": AnonymousUser(),
        "staff": staff_user,
        "assessor": assessor,
    }[who]
    found = selectors.participation(user, challenge, NOW + timedelta(days=moment))
    assert (found.state, found.actions) == (state, actions)
    if state == "act" and moment == 0:
        assert found.until == NOW + timedelta(days=10)
        assert found.next_name == "Deliver"
    if state == "upcoming":
        assert found.opens_at == NOW - timedelta(days=30)
        assert found.next_allows == ("comment",)


def test_participation_in_the_panels_phase_is_watching(make_challenge, organisation):
    prize = make_challenge(
        kind="prize",
        phases=[PhaseDates("deliver", NOW - timedelta(days=1), NOW + timedelta(days=1))],
    )
    assert selectors.participation(UserFactory(), prize, NOW).state == "watch"
    assert selectors.participation(AnonymousUser(), prize, NOW).state == "watch"


@pytest.mark.parametrize("status", ["draft", "closed", "archived"])
def test_participation_when_not_running(make_challenge, lead, status):
    challenge = make_challenge(status=status, base=NOW)
    assert selectors.participation(lead, challenge, NOW).state == status


def test_following_and_teams(make_challenge, organisation, resident):
    from civicflow.challenges import services

    challenge = make_challenge()
    assert not selectors.is_following(user=resident, challenge=challenge)
    assert not selectors.is_following(user=AnonymousUser(), challenge=challenge)
    services.challenge_follow(user=resident, challenge=challenge)
    assert selectors.is_following(user=resident, challenge=challenge)
    assert list(selectors.challenge_followers(challenge=challenge)) == [resident.pk]
    TeamFactory(organisation=organisation, name="B team")
    TeamFactory(organisation=organisation, name="A team")
    names = [t.name for t in selectors.organisation_teams(organisation=organisation)]
    assert names == ["A team", "B team"]


# The rows kept in the shared cache ---------------------------------------------------------


def get(user, challenge, organisation_slug=None):
    return selectors.challenge_get(
        user=user,
        organisation_slug=organisation_slug or challenge.organisation.slug,
        slug=challenge.slug,
    )


def test_a_second_read_of_a_challenge_asks_the_database_nothing(make_challenge):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    challenge = make_challenge()
    first = get(AnonymousUser(), challenge)
    with CaptureQueriesContext(connection) as queries:
        again = get(AnonymousUser(), challenge)
    assert len(queries) == 0
    assert again is not first
    assert again.pk == challenge.pk
    assert [p.key for p in again.phase_dates()] == [p.key for p in first.phase_dates()]


def test_who_may_see_a_cached_challenge_is_decided_on_every_read(make_challenge, lead):
    draft = make_challenge(status="draft")
    assert get(lead, draft) is not None
    assert get(AnonymousUser(), draft) is None
    assert get(UserFactory(), draft) is None


def test_changes_through_the_services_show_at_once(make_challenge, lead):
    from civicflow.challenges import services

    challenge = make_challenge()
    get(lead, challenge)
    services.challenge_update(actor=lead, challenge=challenge, title="Fewer missed bins")
    assert get(lead, challenge).title == "Fewer missed bins"
    services.challenge_move(actor=lead, challenge=challenge, to="closed")
    assert get(AnonymousUser(), challenge).status == "closed"


def test_an_organisation_or_team_renamed_shows_at_once(make_challenge, organisation):
    team = TeamFactory(organisation=organisation, name="Ward 7")
    challenge = make_challenge(
        kind="improvement_board",
        team=team,
        audience="staff",
        phases=[PhaseDates("develop", NOW - timedelta(days=1), NOW + timedelta(days=30))],
    )
    lead = challenge.created_by
    assert get(lead, challenge).team.name == "Ward 7"
    team.name = "Ward Seven"
    team.save()
    assert get(lead, challenge).team.name == "Ward Seven"
    old_slug = organisation.slug
    organisation.name, organisation.slug = "Renamed Council", "renamed"
    organisation.save()
    assert get(lead, challenge, "renamed").organisation.name == "Renamed Council"
    assert get(lead, challenge, old_slug) is None


def test_a_deleted_challenge_is_not_served_from_the_cache(make_challenge, lead):
    challenge = make_challenge(status="draft")
    assert get(lead, challenge) is not None
    challenge.delete()
    assert get(lead, challenge) is None
