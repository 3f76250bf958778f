"""Reads of challenges, limited to what the requesting person may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from civicflow.accounts.models import Organisation, Role, Team
from civicflow.accounts.permissions import is_instance_admin
from civicflow.accounts.selectors import user_roles
from civicflow.challenges.models import Audience, Challenge, Follow, Phase, Status
from civicflow.challenges.permissions import can_act, can_view_challenge, is_eligible
from civicflow.challenges.phases import (
    Action,
    PhaseDates,
    current_phase,
    next_phase,
    phase_type,
    phase_types,
)
from civicflow.core import versions
from civicflow.core.models import AuditEvent
from civicflow.core.selectors import audit_events_for_target


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


def challenge_list(
    *, user: Any, filters: ChallengeFilters | None = None, now: datetime | None = None
) -> QuerySet[Challenge]:
    """Return the challenges ``user`` may see that match ``filters``, newest first."""
    queryset = filter_challenges(visible_challenges(user), filters or ChallengeFilters(), now)
    return queryset.order_by("-published_at", "-created_at", "-pk")


def filter_challenges(
    queryset: QuerySet[Challenge], filters: ChallengeFilters, now: datetime | None = None
) -> QuerySet[Challenge]:
    """Narrow ``queryset`` to the challenges that match ``filters`` at ``now``."""
    now = now or timezone.now()
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
    return queryset


ROW_TTL = 300


def _version_key(organisation_slug: str) -> str:
    return f"challenges:version:{organisation_slug}"


def _row_key(organisation_slug: str, slug: str) -> str:
    return f"challenges:row:{organisation_slug}:{slug}"


def organisation_changed(*organisation_slugs: str) -> None:
    """Say that challenges of these organisations (or the organisations) have changed.

    Called on every save of a challenge, an organisation or a team (``challenges.apps``): the
    challenges read through ``challenge_get`` are kept in the shared cache until then.
    """
    versions.move_on(*(_version_key(slug) for slug in organisation_slugs if slug))


def challenge_get(*, user: Any, organisation_slug: str, slug: str) -> Challenge | None:
    """Return the challenge, or None if it does not exist or ``user`` may not see it.

    The same rule as ``visible_challenges``, checked on the one row (``can_view_challenge``).
    Every page of a challenge and its ideas starts here, so the row, its organisation, its team
    and its phases' dates are kept in the shared cache, under the organisation's version
    (``core.versions``), which every save of a challenge, organisation or team moves on. Who
    may see it is decided afresh on every request.
    """
    version_key = _version_key(organisation_slug)
    row_key = _row_key(organisation_slug, slug)
    found = cache.get_many([version_key, row_key])
    current = found.get(version_key)
    if current is None:
        current = versions.current(version_key)
    stored = found.get(row_key)
    if stored is not None and stored[0] == current:
        challenge = stored[1]
    else:
        challenge = _challenge_row(organisation_slug, slug)
        if challenge is None:
            return None
        cache.set(row_key, (current, challenge), ROW_TTL)
    if not can_view_challenge(user, challenge):
        return None
    return challenge


def _challenge_row(organisation_slug: str, slug: str) -> Challenge | None:
    try:
        challenge = Challenge.objects.select_related("organisation", "team").get(
            organisation__slug=organisation_slug, slug=slug
        )
    except Challenge.DoesNotExist:
        return None
    # The dates alone, as plain rows: building Phase objects through the prefetch machinery
    # cost more than the query itself.
    challenge.__dict__["_phase_dates"] = tuple(
        PhaseDates(key=key, starts_at=starts_at, ends_at=ends_at)
        for key, starts_at, ends_at in Phase.objects.filter(challenge_id=challenge.pk)
        .order_by("starts_at")
        .values_list("key", "starts_at", "ends_at")
    )
    return challenge


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


@dataclass(frozen=True)
class ChallengeRow:
    """A challenge in a list, with where it stands in its phases."""

    challenge: Challenge
    state: PhaseState


def challenge_rows(challenges: Any, now: datetime | None = None) -> list[ChallengeRow]:
    """Return each of ``challenges`` (with phases prefetched) beside its phase state."""
    now = now or timezone.now()
    return [ChallengeRow(challenge=c, state=phase_state(c, now)) for c in challenges]


@dataclass(frozen=True)
class TimelineEntry:
    """One scheduled phase of a challenge, in order, and whether it is past, open or to come."""

    key: str
    name: str
    description: str
    allows: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime | None
    when: str  # "past", "now", "later", or "" when the challenge is not running


def phase_timeline(challenge: Challenge, now: datetime | None = None) -> list[TimelineEntry]:
    """Return the challenge's scheduled phases in the order its kind runs them."""
    now = now or timezone.now()
    dates = {phase.key: phase for phase in challenge.phase_dates()}
    running = challenge.status == Status.PUBLISHED
    entries = []
    for phase in phase_types(challenge.kind):
        scheduled = dates.get(str(phase.key))
        if scheduled is None:
            continue
        when = ""
        if scheduled.ends_at is not None and scheduled.ends_at <= now:
            when = "past"
        elif running:
            when = "now" if scheduled.is_open(now) else "later"
        entries.append(
            TimelineEntry(
                key=str(phase.key),
                name=phase.name,
                description=phase.description,
                allows=tuple(str(action) for action in Action if action in phase.allows),
                starts_at=scheduled.starts_at,
                ends_at=scheduled.ends_at,
                when=when,
            )
        )
    return entries


@dataclass(frozen=True)
class Participation:
    """What one person can do in a challenge now, and until when, for saying it plainly.

    ``state`` is one of: "draft", "closed", "archived", "ended" (every phase is over),
    "upcoming" (no phase is open yet), "act" (the person can do something now), "sign_in"
    (someone signed in could take part), "staff_only" (only the organisation's staff can
    take part) and "watch" (the open phase is for the panel, or lets nobody act).
    """

    state: str
    actions: tuple[str, ...] = ()
    phase_name: str = ""
    phase_description: str = ""
    until: datetime | None = None
    next_name: str = ""
    next_allows: tuple[str, ...] = ()
    opens_at: datetime | None = None


def participation(user: Any, challenge: Challenge, now: datetime | None = None) -> Participation:
    """Return what ``user`` can do in ``challenge`` at ``now``."""
    now = now or timezone.now()
    if challenge.status != Status.PUBLISHED:
        return Participation(state=str(challenge.status))
    state = phase_state(challenge, now)
    upcoming = state.upcoming
    next_allows = (
        tuple(
            str(action)
            for action in Action
            if action in phase_type(challenge.kind, upcoming.key).allows
        )
        if upcoming is not None
        else ()
    )
    opens_at = upcoming.starts_at if upcoming is not None else None
    if state.current is None:
        return Participation(
            state="upcoming" if upcoming else "ended",
            next_name=state.upcoming_name,
            next_allows=next_allows,
            opens_at=opens_at,
        )
    actions = tuple(str(action) for action in Action if can_act(user, challenge, action, now))
    open_to_public = state.allows - {Action.REVIEW}
    if actions:
        kind = "act"
    elif open_to_public and not getattr(user, "is_authenticated", False):
        kind = "sign_in"
    elif open_to_public and not is_eligible(user, challenge):
        kind = "staff_only"
    else:
        kind = "watch"
    return Participation(
        state=kind,
        actions=actions,
        phase_name=state.current_name,
        phase_description=state.current_description,
        until=state.current.ends_at,
        next_name=state.upcoming_name,
        next_allows=next_allows,
        opens_at=opens_at,
    )


def challenge_history(*, challenge: Challenge) -> QuerySet[AuditEvent]:
    """Return what has been done to ``challenge``, newest first (for its managers)."""
    return audit_events_for_target(target=challenge)


def filter_organisations() -> QuerySet[Organisation]:
    """Return the organisations people can filter the list by (their names are public)."""
    return Organisation.objects.order_by("name").only("pk", "slug", "name")


def organisation_teams(*, organisation: Organisation) -> QuerySet[Team]:
    """Return the teams of ``organisation``, by name, for choosing whose board it is."""
    return Team.objects.filter(organisation=organisation).order_by("name")
