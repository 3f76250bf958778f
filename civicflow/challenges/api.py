"""API endpoints for challenges: list, read, create, change, move through the lifecycle, follow.

Reading is open to anyone for what they may see. A challenge a caller may not see answers 404
(401 to an anonymous caller, who might see it once signed in; 403 to a member of its
organisation, for whom only drafts are hidden). Writing is for the organisation's innovation
leads and administrators, following for anyone signed in who can see the challenge.
"""

import re
from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import WithJsonSchema, field_validator

from civicflow.accounts.models import Organisation, Team
from civicflow.accounts.selectors import is_member, organisation_get
from civicflow.api.auth import PUBLIC, signed_in_user
from civicflow.api.errors import ApiProblem
from civicflow.api.pagination import PageNumberPagination
from civicflow.challenges import permissions, selectors, services
from civicflow.challenges.models import (
    Audience,
    Challenge,
    Driver,
    Kind,
    PhaseName,
)
from civicflow.challenges.models import (
    Status as ChallengeStatus,
)
from civicflow.challenges.phases import PhaseDates, phase_type

router = Router(tags=["Challenges"])

# The API document names an enum after its class, and a board card's status is a ``Status``
# too: spelling the choices out keeps each one's own in the document.
ChallengeStatusChoice = Annotated[
    ChallengeStatus,
    WithJsonSchema({"title": "ChallengeStatus", "type": "string", "enum": ChallengeStatus.values}),
]

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
MAX_PHASES = 8


# Schemas -------------------------------------------------------------------------------------


class PhaseIn(Schema):
    key: PhaseName = Field(description="Which phase of the Double Diamond.")
    starts_at: datetime = Field(description="When it starts. Without a time zone: UK time.")
    ends_at: datetime | None = Field(
        None, description="When it ends; null if it does not end (the last phase only)."
    )

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and timezone.is_naive(value):
            return value.replace(tzinfo=timezone.get_current_timezone())
        return value


class ChallengeIn(Schema):
    kind: Kind = Field(description="The kind of challenge; it sets the phases. Fixed once made.")
    title: str = Field(description="Up to 200 characters.")
    summary: str = Field(description="Up to 300 characters, shown in lists.")
    problem: str = Field(description="The problem statement.")
    evidence: str = ""
    driver: Driver
    audience: Audience
    team: str | None = Field(
        None, description="The slug of the team whose board it is (team improvement boards)."
    )
    allow_self_support: bool = False
    phases: list[PhaseIn] = Field(
        max_length=MAX_PHASES, description="The dates of the phases it runs through."
    )


class ChallengeChangesIn(Schema):
    title: str | None = None
    summary: str | None = None
    problem: str | None = None
    evidence: str | None = None
    driver: Driver | None = None
    audience: Audience | None = None
    team: str | None = Field(None, description="A team's slug.")
    allow_self_support: bool | None = None
    phases: list[PhaseIn] | None = Field(
        None, max_length=MAX_PHASES, description="Replaces every phase's dates."
    )
    reason: str = Field("", description="Why, for the challenge's history.")


class ChallengeStatusIn(Schema):
    status: ChallengeStatusChoice = Field(
        description="published (publish, or reopen a closed one), closed or archived."
    )
    reason: str = Field("", description="Why, for the challenge's history.")


class PhaseOut(Schema):
    key: str
    name: str = Field(description="What this kind of challenge calls the phase.")
    description: str
    allows: list[str] = Field(
        description="What it lets people do: submit, comment, support, review."
    )
    starts_at: datetime
    ends_at: datetime | None
    open_now: bool


class ChallengeSummaryOut(Schema):
    organisation: str = Field(description="The organisation's slug.")
    organisation_name: str
    slug: str
    title: str
    summary: str
    kind: str
    driver: str
    audience: str
    status: str
    team: str | None = Field(description="The team's slug, for a team improvement board.")
    published_at: datetime | None
    closed_at: datetime | None
    current_phase: PhaseOut | None = Field(description="The phase open now, if any.")
    next_phase: PhaseOut | None = Field(description="The next phase to start, if any.")
    url: str = Field(description="The challenge's page.")


class ChallengeOut(ChallengeSummaryOut):
    problem: str
    evidence: str
    allow_self_support: bool
    phases: list[PhaseOut]
    following: bool = Field(description="Whether you follow it.")
    allowed_actions: list[str] = Field(
        description=(
            "What you may do now: submit, comment, support, review (as the open phase allows "
            "and your roles permit), follow or unfollow, and for managers edit, publish, "
            "close, reopen and archive."
        )
    )
    created_at: datetime
    updated_at: datetime


class ChallengeFilterIn(Schema):
    organisation: str = Field("", description="An organisation's slug.")
    kind: Kind | None = None
    phase: PhaseName | None = Field(None, description="Only challenges in this phase now.")
    audience: Audience | None = None
    status: ChallengeStatusChoice | None = None
    open_now: bool = Field(False, description="Only challenges with a phase open now.")


# Helpers -------------------------------------------------------------------------------------


def _phase_out(kind: str, phase: PhaseDates | None, now: datetime) -> dict[str, Any] | None:
    if phase is None:
        return None
    described = phase_type(kind, phase.key)
    return {
        "key": phase.key,
        "name": described.name,
        "description": described.description,
        "allows": sorted(str(action) for action in described.allows),
        "starts_at": phase.starts_at,
        "ends_at": phase.ends_at,
        "open_now": phase.is_open(now),
    }


def _summary_out(challenge: Challenge, now: datetime) -> dict[str, Any]:
    state = selectors.phase_state(challenge, now)
    return {
        "organisation": challenge.organisation.slug,
        "organisation_name": challenge.organisation.name,
        "slug": challenge.slug,
        "title": challenge.title,
        "summary": challenge.summary,
        "kind": challenge.kind,
        "driver": challenge.driver,
        "audience": challenge.audience,
        "status": challenge.status,
        "team": challenge.team.slug if challenge.team else None,
        "published_at": challenge.published_at,
        "closed_at": challenge.closed_at,
        "current_phase": _phase_out(challenge.kind, state.current, now),
        "next_phase": _phase_out(challenge.kind, state.upcoming, now),
        "url": challenge.get_absolute_url(),
    }


def _challenge_out(request: HttpRequest, challenge: Challenge) -> dict[str, Any]:
    user = request.auth.user  # type: ignore[attr-defined]
    now = timezone.now()
    following = selectors.is_following(user=user, challenge=challenge)
    return {
        **_summary_out(challenge, now),
        "problem": challenge.problem,
        "evidence": challenge.evidence,
        "allow_self_support": challenge.allow_self_support,
        "phases": [_phase_out(challenge.kind, phase, now) for phase in challenge.phase_dates()],
        "following": following,
        "allowed_actions": permissions.allowed_actions(
            user, challenge, following=following, now=now
        ),
        "created_at": challenge.created_at,
        "updated_at": challenge.updated_at,
    }


def _organisation(slug: str) -> Organisation:
    if not SLUG.fullmatch(slug):
        raise Http404
    organisation = organisation_get(slug=slug)
    if organisation is None:
        raise Http404
    return organisation


def _visible_challenge(request: HttpRequest, slug: str, challenge_slug: str) -> Challenge:
    """Return the challenge if the caller may see it; else 401, 403 or 404 as above."""
    user = request.auth.user  # type: ignore[attr-defined]
    organisation = _organisation(slug)
    if SLUG.fullmatch(challenge_slug):
        challenge = selectors.challenge_get(user=user, organisation_slug=slug, slug=challenge_slug)
        if challenge is not None:
            return challenge
    if not user.is_authenticated:
        signed_in_user(request)  # answers 401
    if (
        SLUG.fullmatch(challenge_slug)
        and is_member(user, organisation)
        and Challenge.objects.filter(organisation=organisation, slug=challenge_slug).exists()
    ):
        raise PermissionDenied
    raise Http404


def _managed_organisation(request: HttpRequest, slug: str) -> Organisation:
    user = signed_in_user(request)
    organisation = _organisation(slug)
    if permissions.can_manage_challenges(user, organisation):
        return organisation
    if is_member(user, organisation):
        raise PermissionDenied
    raise Http404


def _managed_challenge(request: HttpRequest, slug: str, challenge_slug: str) -> Challenge:
    _managed_organisation(request, slug)
    challenge = (
        selectors.challenge_get(user=request.user, organisation_slug=slug, slug=challenge_slug)
        if SLUG.fullmatch(challenge_slug)
        else None
    )
    if challenge is None:
        raise Http404
    return challenge


def _team(organisation: Organisation, slug: str | None) -> Team | None:
    if slug is None:
        return None
    team = selectors.organisation_teams(organisation=organisation).filter(slug=slug).first()
    if team is None:
        raise ValidationError({"team": "Give the slug of a team of this organisation."})
    return team


def _phases(phases: list[PhaseIn]) -> list[PhaseDates]:
    return [
        PhaseDates(key=str(phase.key), starts_at=phase.starts_at, ends_at=phase.ends_at)
        for phase in phases
    ]


# Endpoints -----------------------------------------------------------------------------------


@router.get(
    "/challenges",
    response=list[ChallengeSummaryOut],
    summary="List the challenges you may see, with filters",
    **PUBLIC,
)
@paginate(PageNumberPagination)
def challenge_list(
    request: HttpRequest,
    filters: ChallengeFilterIn = Query(...),  # noqa: B008
) -> Any:
    user = request.auth.user  # type: ignore[attr-defined]
    now = timezone.now()
    chosen = selectors.ChallengeFilters(
        organisation=filters.organisation,
        kind=filters.kind or "",
        phase=filters.phase or "",
        audience=filters.audience or "",
        status=filters.status or "",
        open_now=filters.open_now,
    )
    challenges = selectors.challenge_list(user=user, filters=chosen, now=now)
    return _SummaryPage(challenges, now)


class _SummaryPage:
    """A queryset of challenges that the paginator slices, read out as summaries."""

    def __init__(self, challenges: Any, now: datetime) -> None:
        self.challenges = challenges
        self.now = now

    def count(self) -> int:
        return int(self.challenges.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [_summary_out(challenge, self.now) for challenge in self.challenges[index]]


@router.get(
    "/organisations/{slug}/challenges/{challenge_slug}",
    response=ChallengeOut,
    summary="One challenge, its phases, and what you may do in it now",
    **PUBLIC,
)
def challenge_detail(request: HttpRequest, slug: str, challenge_slug: str) -> dict[str, Any]:
    return _challenge_out(request, _visible_challenge(request, slug, challenge_slug))


@router.post(
    "/organisations/{slug}/challenges",
    response={201: ChallengeOut},
    summary="Draft a challenge (innovation leads and administrators)",
)
def challenge_create(request: HttpRequest, slug: str, payload: ChallengeIn) -> Status[Any]:
    organisation = _managed_organisation(request, slug)
    challenge = services.challenge_create(
        actor=request.user,
        organisation=organisation,
        kind=payload.kind,
        phases=_phases(payload.phases),
        title=payload.title,
        summary=payload.summary,
        problem=payload.problem,
        evidence=payload.evidence,
        driver=payload.driver,
        audience=payload.audience,
        team=_team(organisation, payload.team),
        allow_self_support=payload.allow_self_support,
    )
    challenge = (
        selectors.challenge_get(
            user=request.user, organisation_slug=organisation.slug, slug=challenge.slug
        )
        or challenge
    )
    return Status(201, _challenge_out(request, challenge))


@router.patch(
    "/organisations/{slug}/challenges/{challenge_slug}",
    response=ChallengeOut,
    summary="Change a challenge (innovation leads and administrators)",
)
def challenge_update(
    request: HttpRequest, slug: str, challenge_slug: str, payload: ChallengeChangesIn
) -> dict[str, Any]:
    challenge = _managed_challenge(request, slug, challenge_slug)
    given = payload.model_dump(exclude_unset=True)
    reason = given.pop("reason", "")
    given.pop("phases", None)
    phases = _phases(payload.phases) if payload.phases is not None else None
    if "team" in given:
        given["team"] = _team(challenge.organisation, payload.team)
    nulls = sorted(name for name, value in given.items() if value is None and name != "team")
    if nulls:
        raise ApiProblem(
            422,
            "Leave out a field you do not want to change, rather than sending null.",
            errors=[{"field": name, "message": "Must not be null."} for name in nulls],
        )
    services.challenge_update(
        actor=request.user, challenge=challenge, phases=phases, reason=reason, **given
    )
    refreshed = selectors.challenge_get(
        user=request.user, organisation_slug=slug, slug=challenge.slug
    )
    return _challenge_out(request, refreshed or challenge)


@router.post(
    "/organisations/{slug}/challenges/{challenge_slug}/status",
    response=ChallengeOut,
    summary="Publish, close, reopen or archive a challenge (innovation leads and administrators)",
)
def challenge_set_status(
    request: HttpRequest, slug: str, challenge_slug: str, payload: ChallengeStatusIn
) -> dict[str, Any]:
    challenge = _managed_challenge(request, slug, challenge_slug)
    services.challenge_move(
        actor=request.user, challenge=challenge, to=payload.status, reason=payload.reason
    )
    return _challenge_out(request, challenge)


@router.put(
    "/organisations/{slug}/challenges/{challenge_slug}/follow",
    response={204: None},
    summary="Follow a challenge, to hear what happens in it",
)
def challenge_follow(request: HttpRequest, slug: str, challenge_slug: str) -> Status[None]:
    user = signed_in_user(request)
    challenge = _visible_challenge(request, slug, challenge_slug)
    services.challenge_follow(user=user, challenge=challenge)
    return Status(204, None)


@router.delete(
    "/organisations/{slug}/challenges/{challenge_slug}/follow",
    response={204: None},
    summary="Stop following a challenge",
)
def challenge_unfollow(request: HttpRequest, slug: str, challenge_slug: str) -> Status[None]:
    user = signed_in_user(request)
    challenge = _visible_challenge(request, slug, challenge_slug)
    services.challenge_unfollow(user=user, challenge=challenge)
    return Status(204, None)
