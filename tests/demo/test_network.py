"""The demo network is complete and deterministic."""

from __future__ import annotations

from django.contrib.auth import authenticate

from civicflow.accounts import selectors
from civicflow.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from civicflow.core.models import AuditEvent
from civicflow.demo.network import DEMO_PASSWORD, demo_load, demo_sign_ins


def test_demo_network_has_every_kind_of_body_and_every_role(db):
    demo_load()
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {
        OrganisationKind.COUNCIL,
        OrganisationKind.NHS_TRUST,
        OrganisationKind.POLICE,
        OrganisationKind.SCHOOL_TRUST,
    } <= kinds
    for organisation in Organisation.objects.all():
        roles = set(
            Membership.objects.filter(organisation=organisation).values_list("role", flat=True)
        )
        assert roles == set(Role.values), organisation
        assert organisation.teams.count() >= 2
    assert AuditEvent.objects.filter(action="membership.joined").count() >= 20


def test_every_printed_sign_in_works(db):
    demo_load()
    sign_ins = demo_sign_ins()
    assert len({row["email"] for row in sign_ins}) == len(sign_ins)
    for row in sign_ins:
        assert row["password"] == DEMO_PASSWORD
        assert authenticate(email=row["email"], password=row["password"]) is not None, row
    public = User.objects.get(email="resident@demo.example")
    assert not selectors.organisations_of(public).exists()


def test_loading_twice_changes_nothing(db):
    demo_load()
    counts = (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    demo_load()
    assert (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == counts
