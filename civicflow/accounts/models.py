"""People, organisations, their roles and teams, and personal API tokens."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicflow.core.models import TimeStampedModel

# How every page, email and API answer names a person whose account was closed and erased.
FORMER_PARTICIPANT = _("Former participant")
ERASED_EMAIL_DOMAIN = "erased.invalid"


class UserManager(BaseUserManager["User"]):
    """Create users identified by their email address."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address.

    Members of the public who take part need no organisation; staff belong to one or more
    organisations through memberships. ``is_staff`` means instance administrator (the Django
    admin), not staff of an organisation.
    """

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("full name"), max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]
        verbose_name = _("user")

    def __str__(self) -> str:
        if self.is_erased:
            return str(FORMER_PARTICIPANT)
        return self.name or self.email

    @property
    def is_erased(self) -> bool:
        """Return whether the person closed their account and their data was erased."""
        return not self.is_active and self.email.endswith(f"@{ERASED_EMAIL_DOMAIN}")

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else str(self)


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", _("Council")
    NHS_TRUST = "nhs_trust", _("NHS trust")
    POLICE = "police", _("Police")
    SCHOOL_TRUST = "school_trust", _("School trust")
    AGENCY = "agency", _("Government agency")
    CHARITY = "charity", _("Charity")


class Organisation(TimeStampedModel):
    """A public body or charity that runs innovation on the instance."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organisation", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    STAFF = "staff", _("Staff member")
    INNOVATION_LEAD = "innovation_lead", _("Innovation lead")
    ASSESSOR = "assessor", _("Assessor")
    DECISION_MAKER = "decision_maker", _("Decision maker")
    ADMIN = "admin", _("Organisation administrator")


class Membership(TimeStampedModel):
    """A person's place in an organisation: one row for each role they hold there.

    Every member holds the staff role; other roles are added beside it.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "role"], name="membership_unique_role"
            )
        ]
        indexes = [models.Index(fields=["user", "organisation"], name="membership_user_org_idx")]
        ordering = ["organisation", "user", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


class Team(TimeStampedModel):
    """A team, ward or service inside an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(max_length=80)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        "accounts.User", through="TeamMembership", related_name="teams"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="team_unique_slug"),
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMembership(TimeStampedModel):
    """A person in a team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="team_memberships")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="team_memberships"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        """Return the tokens that are neither revoked nor expired."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(TimeStampedModel):
    """A personal token a program uses to call the API as its owner.

    Only a SHA-256 digest of the secret is kept; the secret is shown once, when it is made.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )
