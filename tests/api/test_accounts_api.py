"""The caller, organisations, members, teams, the audit log and tokens, as a program sees them."""

from __future__ import annotations

import pytest

from civicflow.accounts.models import ApiToken, Membership, Role, Team
from civicflow.core.models import AuditEvent
from tests.factories import TeamFactory, UserFactory, member

pytestmark = pytest.mark.django_db

PRIVATE_LISTS = ["members", "teams", "audit"]


def _roles(organisation, user) -> set[str]:
    return set(
        Membership.objects.filter(organisation=organisation, user=user).values_list(
            "role", flat=True
        )
    )


# The caller and organisations ----------------------------------------------------------------


def test_me_says_who_the_caller_is_and_their_roles(admin_user, other_organisation, api_client):
    Membership.objects.create(organisation=other_organisation, user=admin_user, role=Role.STAFF)

    body = api_client(admin_user).get("/api/v1/me").json()

    assert body == {
        "id": admin_user.pk,
        "email": admin_user.email,
        "name": admin_user.name,
        "memberships": [
            {"organisation": "elsewhere", "roles": ["staff"]},
            {"organisation": "testshire", "roles": ["staff", "admin"]},
        ],
    }


def test_a_member_of_the_public_belongs_nowhere(resident, api_client):
    assert api_client(resident).get("/api/v1/me").json()["memberships"] == []


def test_anyone_may_read_an_organisation(organisation, api_client):
    body = api_client().get("/api/v1/organisations/testshire").json()

    assert body == {
        "slug": "testshire",
        "name": "Testshire County Council",
        "kind": "council",
        "description": "A public body.",
        "website": "",
    }


# Tenancy: who may see an organisation's private lists -----------------------------------------


@pytest.mark.parametrize("what", PRIVATE_LISTS)
def test_a_member_of_another_organisation_is_told_nothing_is_there(
    organisation, other_organisation, api_client, assert_problem, what
):
    outsider = member(other_organisation, "admin")

    assert_problem(api_client(outsider).get(f"/api/v1/organisations/testshire/{what}"), 404)


@pytest.mark.parametrize("what", PRIVATE_LISTS)
def test_a_member_of_the_public_is_told_nothing_is_there(
    organisation, resident, api_client, assert_problem, what
):
    assert_problem(api_client(resident).get(f"/api/v1/organisations/testshire/{what}"), 404)


@pytest.mark.parametrize("what", PRIVATE_LISTS)
def test_nobody_signed_in_is_asked_to_sign_in(organisation, api_client, assert_problem, what):
    assert_problem(api_client().get(f"/api/v1/organisations/testshire/{what}"), 401)


@pytest.mark.parametrize("what", PRIVATE_LISTS)
def test_an_instance_administrator_sees_every_organisation(organisation, api_client, what):
    superuser = UserFactory(is_superuser=True, is_staff=True)

    assert api_client(superuser).get(f"/api/v1/organisations/testshire/{what}").status_code == 200


def test_a_staff_member_sees_colleagues_and_teams_but_not_the_audit_log(
    admin_user, staff_user, api_client, assert_problem
):
    client = api_client(staff_user)

    assert client.get("/api/v1/organisations/testshire/members").status_code == 200
    assert client.get("/api/v1/organisations/testshire/teams").status_code == 200
    assert_problem(client.get("/api/v1/organisations/testshire/audit"), 403)


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("POST", "/api/v1/organisations/{slug}/members", {"email": "resident@example.com"}),
        ("PUT", "/api/v1/organisations/{slug}/members/{colleague}", {"roles": ["admin"]}),
        ("DELETE", "/api/v1/organisations/{slug}/members/{colleague}", None),
        ("POST", "/api/v1/organisations/{slug}/teams", {"name": "Highways"}),
    ],
)
@pytest.mark.parametrize(
    ("who", "status"), [("staff", 403), ("outsider", 404), ("resident", 404), ("nobody", 401)]
)
def test_only_those_allowed_may_change_an_organisation(
    organisation,
    other_organisation,
    admin_user,
    staff_user,
    resident,
    api_client,
    assert_problem,
    method,
    path,
    payload,
    who,
    status,
):
    colleague = member(organisation, "assessor")
    caller = {
        "staff": staff_user,
        "outsider": member(other_organisation, "admin"),
        "resident": resident,
        "nobody": None,
    }[who]
    client = api_client(caller)
    before = (AuditEvent.objects.count(), Membership.objects.count(), Team.objects.count())

    response = client.send(method, path.format(slug="testshire", colleague=colleague.pk), payload)

    assert_problem(response, status)
    assert (AuditEvent.objects.count(), Membership.objects.count(), Team.objects.count()) == before


def test_an_innovation_lead_may_create_teams_but_not_manage_members(
    organisation, api_client, assert_problem
):
    lead = member(organisation, "innovation_lead")
    client = api_client(lead)

    created = client.send("POST", "/api/v1/organisations/testshire/teams", {"name": "Highways"})
    refused = client.send(
        "POST", "/api/v1/organisations/testshire/members", {"email": "resident@example.com"}
    )

    assert created.status_code == 201
    assert_problem(refused, 403)


# Members -------------------------------------------------------------------------------------


def test_members_are_listed_with_roles_and_teams(organisation, admin_user, staff_user, api_client):
    team = TeamFactory(organisation=organisation, name="Libraries", slug="libraries")
    team.members.add(staff_user)

    items = api_client(admin_user).get("/api/v1/organisations/testshire/members").json()["items"]

    by_id = {item["id"]: item for item in items}
    assert by_id[admin_user.pk]["roles"] == ["staff", "admin"]
    assert by_id[staff_user.pk] == {
        "id": staff_user.pk,
        "name": staff_user.name,
        "email": staff_user.email,
        "roles": ["staff"],
        "teams": ["libraries"],
    }


def test_only_administrators_see_members_email_addresses(admin_user, staff_user, api_client):
    items = api_client(staff_user).get("/api/v1/organisations/testshire/members").json()["items"]

    assert {item["email"] for item in items} == {None}


def test_an_administrator_adds_a_person_by_their_account_email(
    organisation, admin_user, resident, api_client
):
    response = api_client(admin_user).send(
        "POST",
        "/api/v1/organisations/testshire/members",
        {"email": "  Resident@Example.com ", "roles": ["assessor"], "reason": "New panel"},
    )

    assert response.status_code == 201
    assert response.json() == {
        "id": resident.pk,
        "name": resident.name,
        "email": resident.email,
        "roles": ["staff", "assessor"],
        "teams": [],
    }
    assert _roles(organisation, resident) == {"staff", "assessor"}
    event = AuditEvent.objects.for_target(resident).get()
    assert (event.action, event.actor, event.reason) == (
        "membership.joined",
        admin_user,
        "New panel",
    )


def test_adding_an_email_with_no_account_says_so_and_changes_nothing(
    admin_user, api_client, assert_problem
):
    client = api_client(admin_user)
    before = (AuditEvent.objects.count(), Membership.objects.count())

    response = client.send(
        "POST", "/api/v1/organisations/testshire/members", {"email": "nobody@example.com"}
    )

    body = assert_problem(response, 422)
    assert body["detail"].startswith("No account uses this email address.")
    assert body["errors"] == [{"field": "email", "message": body["detail"]}]
    assert (AuditEvent.objects.count(), Membership.objects.count()) == before


def test_adding_someone_who_is_already_a_member_is_refused(
    admin_user, staff_user, api_client, assert_problem
):
    response = api_client(admin_user).send(
        "POST", "/api/v1/organisations/testshire/members", {"email": staff_user.email}
    )

    assert assert_problem(response, 422)["detail"] == "This person is already a member."


def test_adding_with_a_role_that_does_not_exist_changes_nothing(
    organisation, admin_user, resident, api_client, assert_problem
):
    response = api_client(admin_user).send(
        "POST",
        "/api/v1/organisations/testshire/members",
        {"email": resident.email, "roles": ["overlord"]},
    )

    assert_problem(response, 422)
    assert _roles(organisation, resident) == set()


def test_an_administrator_sets_a_members_roles(organisation, admin_user, staff_user, api_client):
    response = api_client(admin_user).send(
        "PUT",
        f"/api/v1/organisations/testshire/members/{staff_user.pk}",
        {"roles": ["assessor", "decision_maker"], "reason": "Joined the board"},
    )

    assert response.status_code == 200
    assert response.json()["roles"] == ["staff", "assessor", "decision_maker"]
    assert _roles(organisation, staff_user) == {"staff", "assessor", "decision_maker"}
    event = AuditEvent.objects.for_target(staff_user).latest("id")
    assert event.action == "membership.roles_changed"
    assert event.data == {"added": ["assessor", "decision_maker"], "removed": []}


def test_setting_roles_of_someone_who_is_not_a_member_is_a_404(
    admin_user, resident, api_client, assert_problem
):
    response = api_client(admin_user).send(
        "PUT", f"/api/v1/organisations/testshire/members/{resident.pk}", {"roles": []}
    )

    assert_problem(response, 404)


def test_the_only_administrator_cannot_lose_the_role(
    organisation, admin_user, api_client, assert_problem
):
    client = api_client(admin_user)
    before = AuditEvent.objects.count()

    response = client.send(
        "PUT", f"/api/v1/organisations/testshire/members/{admin_user.pk}", {"roles": []}
    )

    body = assert_problem(response, 422)
    assert "only administrator" in body["detail"]
    assert _roles(organisation, admin_user) == {"staff", "admin"}
    assert AuditEvent.objects.count() == before


def test_the_only_administrator_cannot_be_removed(
    organisation, admin_user, api_client, assert_problem
):
    client = api_client(admin_user)
    before = AuditEvent.objects.count()

    response = client.send("DELETE", f"/api/v1/organisations/testshire/members/{admin_user.pk}")

    body = assert_problem(response, 422)
    assert "only administrator" in body["detail"]
    assert _roles(organisation, admin_user) == {"staff", "admin"}
    assert AuditEvent.objects.count() == before


def test_an_administrator_may_step_down_when_another_remains(organisation, admin_user, api_client):
    member(organisation, "admin")

    response = api_client(admin_user).send(
        "DELETE", f"/api/v1/organisations/testshire/members/{admin_user.pk}"
    )

    assert response.status_code == 204
    assert _roles(organisation, admin_user) == set()


def test_an_administrator_removes_a_member_from_the_organisation_and_its_teams(
    organisation, admin_user, staff_user, api_client
):
    team = TeamFactory(organisation=organisation)
    team.members.add(staff_user)

    response = api_client(admin_user).send(
        "DELETE", f"/api/v1/organisations/testshire/members/{staff_user.pk}?reason=Left+the+council"
    )

    assert response.status_code == 204
    assert response.content == b""
    assert _roles(organisation, staff_user) == set()
    assert not team.members.filter(pk=staff_user.pk).exists()
    event = AuditEvent.objects.for_target(staff_user).latest("id")
    assert (event.action, event.actor, event.reason) == (
        "membership.removed",
        admin_user,
        "Left the council",
    )


def test_a_member_of_another_organisation_cannot_be_reached_through_this_one(
    other_organisation, admin_user, api_client, assert_problem
):
    outsider = member(other_organisation)

    response = api_client(admin_user).send(
        "DELETE", f"/api/v1/organisations/testshire/members/{outsider.pk}"
    )

    assert_problem(response, 404)
    assert _roles(other_organisation, outsider) == {"staff"}


# Teams ---------------------------------------------------------------------------------------


def test_an_administrator_creates_a_team(organisation, admin_user, api_client):
    response = api_client(admin_user).send(
        "POST",
        "/api/v1/organisations/testshire/teams",
        {"name": "Adult Social Care", "description": "Care at home."},
    )

    assert response.status_code == 201
    assert response.json() == {
        "slug": "adult-social-care",
        "name": "Adult Social Care",
        "description": "Care at home.",
        "members": [],
    }
    team = Team.objects.get(organisation=organisation, slug="adult-social-care")
    assert AuditEvent.objects.for_target(team).get().action == "team.created"


def test_a_team_name_used_already_is_refused(organisation, admin_user, api_client, assert_problem):
    TeamFactory(organisation=organisation, name="Highways", slug="highways")

    response = api_client(admin_user).send(
        "POST", "/api/v1/organisations/testshire/teams", {"name": "Highways"}
    )

    body = assert_problem(response, 422)
    assert body["errors"][0]["field"] == "name"


def test_a_team_name_longer_than_the_database_holds_is_refused(
    admin_user, api_client, assert_problem
):
    response = api_client(admin_user).send(
        "POST", "/api/v1/organisations/testshire/teams", {"name": "x" * 151}
    )

    assert assert_problem(response, 422)["errors"][0]["field"] == "name"


def test_teams_are_listed_by_name_with_their_members(
    organisation, other_organisation, admin_user, staff_user, api_client
):
    libraries = TeamFactory(organisation=organisation, name="Libraries", slug="libraries")
    libraries.members.add(staff_user, admin_user)
    TeamFactory(organisation=organisation, name="Bins", slug="bins")
    TeamFactory(organisation=other_organisation, name="Wards", slug="wards")

    items = api_client(admin_user).get("/api/v1/organisations/testshire/teams").json()["items"]

    assert [item["slug"] for item in items] == ["bins", "libraries"]
    assert sorted(items[1]["members"]) == sorted([staff_user.pk, admin_user.pk])


# The audit log -------------------------------------------------------------------------------


def test_the_audit_log_shows_who_did_what_newest_first(
    organisation, other_organisation, admin_user, staff_user, api_client
):
    client = api_client(admin_user)
    client.send(
        "PUT",
        f"/api/v1/organisations/testshire/members/{staff_user.pk}",
        {"roles": ["assessor"], "reason": "Panel"},
    )
    member(other_organisation)

    items = client.get("/api/v1/organisations/testshire/audit").json()["items"]

    assert items[0] == {
        "occurred_at": items[0]["occurred_at"],
        "actor": str(admin_user),
        "action": "membership.roles_changed",
        "target_type": "accounts.user",
        "target_id": str(staff_user.pk),
        "target": str(staff_user),
        "reason": "Panel",
        "data": {"added": ["assessor"], "removed": []},
    }
    assert AuditEvent.objects.filter(organisation=other_organisation).exists()
    assert len(items) == AuditEvent.objects.filter(organisation=organisation).count()


# Tokens --------------------------------------------------------------------------------------


def test_tokens_are_listed_without_their_secrets(admin_user, staff_user, api_client, token_for):
    token_for(staff_user, name="Someone else's")

    items = api_client(admin_user).get("/api/v1/tokens").json()["items"]

    assert [item["name"] for item in items] == ["Test script"]
    assert items[0]["prefix"].startswith("cfp_")
    assert items[0]["active"] is True
    assert "secret" not in items[0]


def test_someone_elses_token_cannot_be_revoked(
    admin_user, staff_user, api_client, token_for, assert_problem
):
    token_for(staff_user)
    theirs = ApiToken.objects.get(user=staff_user)

    assert_problem(api_client(admin_user).send("DELETE", f"/api/v1/tokens/{theirs.pk}"), 404)
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_revoking_twice_is_harmless(admin_user, api_client):
    client = api_client(admin_user)
    created = client.send("POST", "/api/v1/tokens", {"name": "Once"}).json()

    first = client.send("DELETE", f"/api/v1/tokens/{created['id']}")
    second = client.send("DELETE", f"/api/v1/tokens/{created['id']}")

    assert (first.status_code, second.status_code) == (204, 204)
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


# Every change is in the audit log ------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "payload", "action"),
    [
        (
            "POST",
            "/api/v1/organisations/testshire/members",
            {"email": "resident@example.com"},
            "membership.joined",
        ),
        (
            "PUT",
            "/api/v1/organisations/testshire/members/{staff}",
            {"roles": ["assessor"]},
            "membership.roles_changed",
        ),
        ("DELETE", "/api/v1/organisations/testshire/members/{staff}", None, "membership.removed"),
        ("POST", "/api/v1/organisations/testshire/teams", {"name": "Parks"}, "team.created"),
        ("POST", "/api/v1/tokens", {"name": "Backup"}, "api_token.created"),
        ("DELETE", "/api/v1/tokens/{spare_token}", None, "api_token.revoked"),
    ],
)
def test_every_change_made_through_the_api_is_in_the_audit_log(
    admin_user, staff_user, resident, api_client, token_for, method, path, payload, action
):
    token_for(admin_user, name="Spare")
    spare = ApiToken.objects.get(user=admin_user, name="Spare")
    client = api_client(admin_user)
    before = set(AuditEvent.objects.values_list("pk", flat=True))

    response = client.send(method, path.format(staff=staff_user.pk, spare_token=spare.pk), payload)

    assert response.status_code in {200, 201, 204}, response.content
    new = AuditEvent.objects.exclude(pk__in=before)
    assert [(event.action, event.actor) for event in new] == [(action, admin_user)]
