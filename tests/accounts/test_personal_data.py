"""People can download their data and close their account."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.urls import reverse

from civicflow.accounts import selectors, services
from civicflow.accounts.models import ApiToken, User
from civicflow.core.models import AuditEvent
from tests.factories import PASSWORD, member


def test_download_holds_account_memberships_and_actions(client_for, organisation, admin_user):
    services.api_token_create(user=admin_user, name="Dashboard")
    response = client_for(admin_user).get(reverse("accounts:data_export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == admin_user.email
    assert {"organisation": organisation.name, "role": "admin"} in data["memberships"]
    assert data["api_tokens"][0]["name"] == "Dashboard"
    assert "secret" not in json.dumps(data["api_tokens"])
    assert any(action["action"] == "api_token.created" for action in data["actions"])


def test_closing_an_account_erases_personal_data_and_keeps_the_record(
    client_for, organisation, admin_user, staff_user
):
    services.api_token_create(user=staff_user, name="t")
    client = client_for(staff_user)
    response = client.post(
        reverse("accounts:account_erase"), {"password": PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 302
    erased = User.objects.get(pk=staff_user.pk)
    assert erased.email.endswith("@erased.invalid")
    assert erased.name == ""
    assert not erased.is_active
    assert not erased.has_usable_password()
    assert not selectors.organisations_of(erased).exists()
    assert not ApiToken.objects.filter(user=erased).exists()
    assert not EmailAddress.objects.filter(user=erased).exists()
    assert authenticate(email="staff@testshire.example", password=PASSWORD) is None
    assert AuditEvent.objects.filter(action="account.erased", target_id=str(erased.pk)).exists()
    labels = AuditEvent.objects.values_list("actor_label", "target_label")
    assert not [pair for pair in labels if staff_user.name in pair or staff_user.email in pair]
    assert client.get(reverse("accounts:profile")).status_code == 302  # signed out


def test_a_wrong_password_changes_nothing(client_for, staff_user):
    response = client_for(staff_user).post(
        reverse("accounts:account_erase"), {"password": "wrong", "confirm": "on"}
    )
    assert response.status_code == 400
    assert b"The password is not right" in response.content
    assert b"govuk-error-summary" in response.content
    assert User.objects.get(pk=staff_user.pk).is_active


def test_the_only_administrator_cannot_close_their_account(organisation, admin_user):
    with pytest.raises(ValidationError, match="only administrator"):
        services.user_erase(user=admin_user)
    member(organisation, "admin")
    services.user_erase(user=admin_user)
