"""Services for organisations, memberships, teams, profiles and API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicflow.accounts import selectors, services
from civicflow.accounts.models import ApiToken, Membership, Organisation, Role, TeamMembership
from civicflow.core.models import AuditEvent
from tests.factories import TeamFactory, UserFactory, member


def test_organisation_create_records_who_created_it(db, admin_user):
    organisation = services.organisation_create(
        actor=admin_user, name="  Seaside District Council ", kind="council"
    )
    assert organisation.name == "Seaside District Council"
    assert organisation.slug == "seaside-district-council"
    event = AuditEvent.objects.for_target(organisation).get()
    assert event.action == "organisation.created"
    assert event.actor == admin_user


@pytest.mark.parametrize(
    ("name", "kind", "field"),
    [
        ("", "council", "name"),
        ("Somewhere", "pub", "kind"),
        ("Testshire County Council", "council", "name"),
    ],
)
def test_organisation_create_refuses_bad_input_and_changes_nothing(organisation, name, kind, field):
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as error:
        services.organisation_create(actor=None, name=name, kind=kind)
    assert field in error.value.message_dict
    assert Organisation.objects.count() == before


def test_staff_role_is_always_held(organisation, resident):
    roles = services.member_set_roles(
        actor=None, organisation=organisation, user=resident, roles=["assessor"]
    )
    assert roles == {"staff", "assessor"}
    assert selectors.roles_in(resident, organisation) == {"staff", "assessor"}


def test_member_add_needs_an_existing_account(organisation, admin_user):
    with pytest.raises(ValidationError) as error:
        services.member_add(
            actor=admin_user, organisation=organisation, email="nobody@example.com", roles=[]
        )
    assert "No account uses this email address" in error.value.message_dict["email"][0]


def test_member_add_is_case_insensitive_and_refuses_duplicates(organisation, admin_user):
    person = UserFactory(email="pat@example.com")
    services.member_add(
        actor=admin_user, organisation=organisation, email="PAT@Example.com", roles=[]
    )
    assert selectors.is_member(person, organisation)
    with pytest.raises(ValidationError, match="already a member"):
        services.member_add(
            actor=admin_user, organisation=organisation, email="pat@example.com", roles=[]
        )


def test_role_changes_are_audited_with_the_reason(organisation, admin_user, staff_user):
    services.member_set_roles(
        actor=admin_user,
        organisation=organisation,
        user=staff_user,
        roles=["decision_maker"],
        reason="Joined the board",
    )
    event = AuditEvent.objects.filter(action="membership.roles_changed").get()
    assert event.reason == "Joined the board"
    assert event.data == {"added": ["decision_maker"], "removed": []}
    assert event.organisation == organisation


def test_unknown_roles_are_refused(organisation, staff_user):
    with pytest.raises(ValidationError):
        services.member_set_roles(
            actor=None, organisation=organisation, user=staff_user, roles=["emperor"]
        )
    assert selectors.roles_in(staff_user, organisation) == {"staff"}


def test_the_last_administrator_cannot_be_removed_or_demoted(organisation, admin_user):
    with pytest.raises(ValidationError, match="only administrator"):
        services.member_set_roles(
            actor=admin_user, organisation=organisation, user=admin_user, roles=[]
        )
    with pytest.raises(ValidationError, match="only administrator"):
        services.member_remove(actor=admin_user, organisation=organisation, user=admin_user)
    assert Membership.objects.filter(user=admin_user, role=Role.ADMIN).exists()


def test_a_second_administrator_allows_stepping_down(organisation, admin_user):
    member(organisation, "admin")
    services.member_set_roles(
        actor=admin_user, organisation=organisation, user=admin_user, roles=[]
    )
    assert Role.ADMIN not in selectors.roles_in(admin_user, organisation)


def test_member_remove_takes_them_out_of_teams(organisation, admin_user, staff_user):
    team = TeamFactory(organisation=organisation)
    services.team_add_member(actor=admin_user, team=team, user=staff_user)
    services.member_remove(actor=admin_user, organisation=organisation, user=staff_user)
    assert not selectors.is_member(staff_user, organisation)
    assert not TeamMembership.objects.filter(user=staff_user).exists()


def test_only_members_join_teams(organisation, other_organisation, admin_user):
    team = TeamFactory(organisation=organisation)
    outsider = member(other_organisation)
    with pytest.raises(ValidationError, match="Only members"):
        services.team_add_member(actor=admin_user, team=team, user=outsider)


def test_team_names_are_unique_in_an_organisation(organisation, other_organisation):
    services.team_create(actor=None, organisation=organisation, name="Ward 7")
    services.team_create(actor=None, organisation=other_organisation, name="Ward 7")
    with pytest.raises(ValidationError, match="already exists"):
        services.team_create(actor=None, organisation=organisation, name="Ward 7")


def test_profile_name_is_trimmed_and_limited(resident):
    services.user_update_profile(user=resident, name="  Rosa Resident ")
    resident.refresh_from_db()
    assert resident.name == "Rosa Resident"
    with pytest.raises(ValidationError):
        services.user_update_profile(user=resident, name="x" * 151)


class TestApiTokens:
    def test_secret_is_shown_once_and_stored_only_as_a_digest(self, resident):
        token, secret = services.api_token_create(user=resident, name="Export script")
        assert secret.startswith("cfp_")
        stored = ApiToken.objects.get(pk=token.pk)
        assert secret not in {stored.digest, stored.prefix, stored.name}
        assert services.api_token_authenticate(secret) == resident

    def test_revoked_expired_and_wrong_tokens_do_not_authenticate(self, resident):
        token, secret = services.api_token_create(user=resident, name="a")
        services.api_token_revoke(user=resident, token=token)
        assert services.api_token_authenticate(secret) is None
        token2, secret2 = services.api_token_create(user=resident, name="b", expires_in_days=1)
        ApiToken.objects.filter(pk=token2.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        assert services.api_token_authenticate(secret2) is None
        assert services.api_token_authenticate("cfp_nonsense") is None
        assert services.api_token_authenticate("") is None

    def test_inactive_people_cannot_use_their_tokens(self, resident):
        _token, secret = services.api_token_create(user=resident, name="a")
        resident.is_active = False
        resident.save()
        assert services.api_token_authenticate(secret) is None

    def test_only_the_owner_revokes(self, resident, staff_user):
        token, _secret = services.api_token_create(user=resident, name="a")
        with pytest.raises(ValidationError):
            services.api_token_revoke(user=staff_user, token=token)

    @pytest.mark.parametrize("days", [0, 367, -1])
    def test_expiry_must_be_in_range(self, resident, days):
        with pytest.raises(ValidationError):
            services.api_token_create(user=resident, name="a", expires_in_days=days)
        assert not ApiToken.objects.exists()

    def test_creating_and_revoking_is_audited(self, resident):
        token, _secret = services.api_token_create(user=resident, name="a")
        services.api_token_revoke(user=resident, token=token)
        actions = list(
            AuditEvent.objects.for_target(token).order_by("id").values_list("action", flat=True)
        )
        assert actions == ["api_token.created", "api_token.revoked"]


def test_a_new_organisation_gets_its_first_administrator(db):
    founder = UserFactory(email="chief@newtown.example")
    organisation = services.organisation_create(
        actor=None,
        name="New Town Council",
        kind="council",
        administrator_email="CHIEF@newtown.example",
    )
    assert selectors.roles_in(founder, organisation) == {"staff", "admin"}


def test_a_new_organisation_needs_a_real_administrator_account(db):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            actor=None,
            name="New Town Council",
            kind="council",
            administrator_email="nobody@example.com",
        )
    assert "administrator_email" in error.value.message_dict
    assert not Organisation.objects.exists()


def test_reserved_words_are_not_organisation_addresses(db):
    with pytest.raises(ValidationError):
        services.organisation_create(actor=None, name="New", kind="council")
