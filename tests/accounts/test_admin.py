"""The Django admin is for instance administrators and keeps the services' rules."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import UserFactory


def test_admin_sign_in_goes_through_the_main_sign_in(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_people_cannot_be_deleted_in_the_admin(client_for, db):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    victim = UserFactory()
    client = client_for(superuser)
    page = client.get(reverse("admin:accounts_user_delete", args=[victim.pk]))
    assert page.status_code == 403
