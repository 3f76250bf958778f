"""Factories for test data. Memberships go through the service, as real ones do."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from civicflow.accounts import services
from civicflow.accounts.models import Organisation, OrganisationKind, Team, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.COUNCIL
    description = "A public body."


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


def member(organisation: Organisation, *roles: str, **user_fields) -> User:
    """Return a new user who holds ``roles`` (beside staff) in ``organisation``."""
    user = UserFactory(**user_fields)
    services.member_set_roles(actor=None, organisation=organisation, user=user, roles=roles)
    return user
