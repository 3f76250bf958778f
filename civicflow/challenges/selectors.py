"""Reads of challenges, limited to what the requesting person may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from civicflow.accounts.models import Role
from civicflow.accounts.permissions import is_instance_admin
from civicflow.accounts.selectors import user_roles
from civicflow.challenges.models import Audience, Challenge, Follow, Phase, Status
from civicflow.challenges.phases import PhaseDates, current_phase, next_phase, phase_type


def visible_challenges(user: Any) -> QuerySet[Challenge]:
    """Return the challenges ``user`` may see, with their organisation and phases."""
    queryset = Challenge.objects.select_related("organisation", "team").prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("starts_at"))
    )
    if is_instance_admin(user):
        return queryset
    roles = user_roles(user)
    member_of = list(roles)
    manager_of = [
        org_id for org_id, held in roles.items() if held & {Role.ADMIN, Role.INNOVATION_LEAD}
    ]
    visible = Q(status__in=[Status.PUBLISHED, Status.CLOSED, Status.ARCHIVED]) & (
        ~Q(audience=Audience.STAFF) | Q(organisation_id__in=member_of)
    )
    return queryset.filter(visible | Q(organisation_id__in=manager_of))


@dataclass(frozen=True)
class ChallengeFilters:
    """The filters of the challenge list; empty values mean 'any'."""

    organisation: str = ""
    kind: str = ""
    phase: str = ""
    audience: str = ""
    open_now: bool = False
    status: str = ""


def _open_phase(now: datetime, key: str = "") -> Q:
    phase = Q(phases__starts_at__lte=now) & (
        Q(phases__ends_at__isnull=True) | Q(phases__ends_at__gt=now)
    )
    if key:
        phase &= Q(phases__key=key)
    return phase


def challenge_list(
    *, user: Any, filters: ChallengeFilters | None = None, now: datetime | None = None
) -> QuerySet[Challenge]:
    """Return the challenges ``user`` may see that match ``filters``, newest first."""
    filters = filters or ChallengeFilters()
    now = now or timezone.now()
    queryset = visible_challenges(user)
    if filters.organisation:
        queryset = queryset.filter(organisation__slug=filters.organisation)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.audience:
        queryset = queryset.filter(audience=filters.audience)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.phase or filters.open_now:
        open_phase = Phase.objects.filter(challenge=OuterRef("pk"), starts_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )
        if filters.phase:
            open_phase = open_phase.filter(key=filters.phase)
        queryset = queryset.filter(Exists(open_phase), status=Status.PUBLISHED)
    return queryset.order_by("-published_at", "-created_at", "-pk")


def challenge_get(*, user: Any, organisation_slug: str, slug: str) -> Challenge | None:
    """Return the challenge, or None if it does not exist or ``user`` may not see it."""
    return visible_challenges(user).filter(organisation__slug=organisation_slug, slug=slug).first()


def is_following(*, user: Any, challenge: Challenge) -> bool:
    """Return whether ``user`` follows ``challenge``."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, challenge=challenge).exists()


def challenge_followers(*, challenge: Challenge) -> QuerySet[Any]:
    """Return the ids of the people following ``challenge``."""
    return Follow.objects.filter(challenge=challenge).values_list("user_id", flat=True)


@dataclass(frozen=True)
class PhaseState:
    """Where a challenge is in its phases, for saying plainly what can be done now."""

    current: PhaseDates | None
    current_name: str
    current_description: str
    allows: frozenset[str]
    upcoming: PhaseDates | None
    upcoming_name: str


def phase_state(challenge: Challenge, now: datetime | None = None) -> PhaseState:
    """Return the phase open now and the next one, with their names."""
    now = now or timezone.now()
    dates = challenge.phase_dates()
    current = current_phase(dates, now) if challenge.status == Status.PUBLISHED else None
    upcoming = next_phase(dates, now) if challenge.status == Status.PUBLISHED else None
    current_type = phase_type(challenge.kind, current.key) if current else None
    upcoming_type = phase_type(challenge.kind, upcoming.key) if upcoming else None
    return PhaseState(
        current=current,
        current_name=current_type.name if current_type else "",
        current_description=current_type.description if current_type else "",
        allows=frozenset(str(action) for action in current_type.allows)
        if current_type
        else frozenset(),
        upcoming=upcoming,
        upcoming_name=upcoming_type.name if upcoming_type else "",
    )
