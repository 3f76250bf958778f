"""Uniqueness holds under parallel requests because the database enforces it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from civicflow.accounts import services
from civicflow.accounts.models import Membership
from civicflow.core.models import AuditEvent
from tests.factories import OrganisationFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_parallel_role_grants_make_one_row_each():
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: SQLite serialises writers anyway")
    organisation = OrganisationFactory()
    person = UserFactory()
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def grant() -> None:
        try:
            barrier.wait()
            services.member_set_roles(
                actor=None, organisation=organisation, user=person, roles=["assessor"]
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=grant) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    rows = Membership.objects.filter(organisation=organisation, user=person)
    assert sorted(rows.values_list("role", flat=True)) == ["assessor", "staff"]
    joined = AuditEvent.objects.filter(action="membership.joined", target_id=str(person.pk))
    assert joined.count() == 1
