"""API endpoints for ideas: list, read, put forward, change, withdraw, decide, support,
co-authors, merge and undo.

Reading is open to anyone for the ideas they may see. An idea (or challenge) the caller may
not see answers 404, or 401 to an anonymous caller, who might see it once signed in.
"""

# No ``from __future__ import annotations`` here: ninja reads the list's filters from the
# signature of the paginated view, whose wrapper cannot resolve names given as strings.
import re
from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from civicflow.api.auth import PUBLIC, signed_in_user
from civicflow.api.errors import ApiProblem
from civicflow.api.pagination import PageNumberPagination
from civicflow.challenges import selectors as challenge_selectors
from civicflow.challenges.models import Challenge
from civicflow.ideas import permissions, selectors, services, theme_filter
from civicflow.ideas.blind import authors_hidden
from civicflow.ideas.models import (
    AFFECTED_MAX,
    DESCRIPTION_MAX,
    FEEDBACK_MAX,
    REASON_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Benefit,
    CoAuthor,
    Idea,
    IdeaStatus,
    InnovationType,
    Merge,
    Scale,
)

router = Router(tags=["Ideas"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")

DecisionStatus = Literal["submitted", "under_review", "shortlisted", "selected", "not_selected"]


# Schemas -------------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str


class _IdeaFields(Schema):
    """What every idea answer holds; the summary reads it from the model."""

    id: int
    url: str = Field(description="The idea's page.")
    organisation: str = Field(description="The organisation's slug.")
    challenge: str = Field(description="The challenge's slug.")
    title: str
    summary: str
    innovation_type: InnovationType
    scale: Scale
    benefits: list[Benefit]
    status: IdeaStatus
    supporters_count: int = Field(description="How many people support it, each once.")
    author: PersonOut | None = Field(
        description="null for someone on the challenge's blind appraisal panel."
    )
    merged_into: int | None = Field(description="The idea it was merged into, if merged.")
    hidden: bool = Field(description="Hidden by a moderator (only they and its authors see it).")
    created_at: datetime
    updated_at: datetime


class IdeaSummaryOut(_IdeaFields):
    @staticmethod
    def resolve_url(idea: Idea) -> str:
        return idea.get_absolute_url()

    @staticmethod
    def resolve_organisation(idea: Idea) -> str:
        return idea.organisation.slug

    @staticmethod
    def resolve_challenge(idea: Idea) -> str:
        return idea.challenge.slug

    @staticmethod
    def resolve_author(idea: Idea, context: Any = None) -> dict[str, Any] | None:
        return None if _blind(context, idea) else _person(idea.author)

    @staticmethod
    def resolve_merged_into(idea: Idea) -> int | None:
        return idea.merged_into_id

    @staticmethod
    def resolve_hidden(idea: Idea) -> bool:
        return idea.is_hidden


class IdeaOut(_IdeaFields):
    description: str
    affected: str = Field(description="Who it would affect.")
    coauthors: list[PersonOut] = Field(
        description="Co-authors who accepted; empty for someone on the challenge's blind "
        "appraisal panel."
    )
    feedback: str = Field(description="The official feedback on its latest status.")
    feedback_at: datetime | None
    feedback_by: PersonOut | None
    hidden_reason: str = Field(description="Why it was hidden; empty unless hidden.")
    version: int = Field(description="Send it back with a change to refuse stale edits.")
    supported: bool = Field(description="Whether you support it.")
    allowed_actions: list[str] = Field(
        description=(
            "What you may do now: support, unsupport, edit, withdraw, invite (co-authors), "
            "set_status, merge."
        )
    )


class IdeaIn(Schema):
    title: str = Field(max_length=TITLE_MAX)
    summary: str = Field(max_length=SUMMARY_MAX, description="Shown in lists.")
    description: str = Field(max_length=DESCRIPTION_MAX)
    innovation_type: InnovationType
    scale: Scale
    benefits: list[Benefit] = Field(min_length=1, description="One or more.")
    affected: str = Field("", max_length=AFFECTED_MAX, description="Who it would affect.")


class IdeaChangesIn(Schema):
    title: str | None = Field(None, max_length=TITLE_MAX)
    summary: str | None = Field(None, max_length=SUMMARY_MAX)
    description: str | None = Field(None, max_length=DESCRIPTION_MAX)
    innovation_type: InnovationType | None = None
    scale: Scale | None = None
    benefits: list[Benefit] | None = Field(None, min_length=1)
    affected: str | None = Field(None, max_length=AFFECTED_MAX)
    version: int | None = Field(
        None,
        description="The version you changed. If someone saved a newer one, the change is refused.",
    )


class IdeaFilterIn(Schema):
    innovation_type: InnovationType | None = None
    scale: Scale | None = None
    benefit: Benefit | None = None
    status: IdeaStatus | None = Field(None, description="Without it, merged ideas are left out.")
    sort: Literal["newest", "supported"] = "newest"
    theme: int | None = Field(
        None,
        ge=1,
        le=2**63 - 1,
        description="A theme of the challenge (see its themes); an unknown theme is ignored.",
    )


class WithdrawIn(Schema):
    reason: str = Field("", max_length=REASON_MAX, description="Told to supporters.")


class StatusIn(Schema):
    status: DecisionStatus
    feedback: str = Field(max_length=FEEDBACK_MAX, description="Sent to authors and supporters.")


class SupportOut(Schema):
    supported: bool = Field(description="Whether you support it now.")
    supporters_count: int


class CoAuthorOut(Schema):
    id: int = Field(description="The person's id.")
    name: str
    status: Literal["invited", "accepted"]


class InviteIn(Schema):
    email: str = Field(max_length=254, description="The email address of their account.")


class AnswerOut(Schema):
    id: int
    name: str
    status: Literal["accepted", "declined"]


class ChangeOut(Schema):
    field: str
    before: Any
    after: Any


class VersionOut(Schema):
    number: int
    edited_by: PersonOut | None
    created_at: datetime
    changes: list[ChangeOut] = Field(description="Empty for the first version.")

    @staticmethod
    def resolve_edited_by(version: Any, context: Any = None) -> dict[str, Any] | None:
        if version.edited_by is None or _blind(context, version.idea):
            return None
        return _person(version.edited_by)


class MergeIn(Schema):
    into: int = Field(description="The id of the idea to merge this one into.")
    reason: str = Field(max_length=REASON_MAX, description="Why they are duplicates.")


class MergeOut(Schema):
    source: int = Field(description="The idea merged (the duplicate).")
    target: int = Field(description="The idea it was merged into.")
    reason: str
    merged_at: datetime
    undone_at: datetime | None
    supports_moved: int
    coauthors_moved: int


# Helpers -------------------------------------------------------------------------------------


def _person(user: Any) -> dict[str, Any]:
    return {"id": user.pk, "name": str(user)}


def _blind(context: Any, idea: Idea) -> bool:
    """Whether the caller must not learn who wrote ``idea`` (a blind appraisal panel)."""
    request = (context or {}).get("request")
    return request is not None and authors_hidden(_caller(request), idea.challenge)


def _caller(request: HttpRequest) -> Any:
    return request.auth.user  # type: ignore[attr-defined]


def _not_visible(request: HttpRequest) -> Exception:
    if not _caller(request).is_authenticated:
        return ApiProblem(401, "Sign in, or send a personal API token, to see this.")
    return Http404()


def _challenge(request: HttpRequest, slug: str, challenge_slug: str) -> Challenge:
    challenge = None
    if SLUG.fullmatch(slug) and SLUG.fullmatch(challenge_slug):
        challenge = challenge_selectors.challenge_get(
            user=_caller(request), organisation_slug=slug, slug=challenge_slug
        )
    if challenge is None:
        raise _not_visible(request)
    return challenge


def _idea(request: HttpRequest, idea_id: int) -> Idea:
    idea = selectors.idea_get(user=_caller(request), pk=idea_id)
    if idea is None:
        raise _not_visible(request)
    return idea


def _allowed(user: Any, idea: Idea, *, supported: bool) -> list[str]:
    closed = idea.is_closed
    moderator = permissions.can_moderate_ideas(user, idea.organisation)
    wanted = {
        "support": not supported and not permissions.why_cannot_support(user, idea),
        "unsupport": supported and permissions.can_withdraw_support(user, idea),
        "edit": not closed and permissions.can_edit_idea(user, idea),
        "withdraw": not closed and permissions.can_withdraw_idea(user, idea),
        "invite": not closed and permissions.can_manage_coauthors(user, idea),
        "set_status": not closed and moderator,
        "merge": not closed and moderator,
    }
    return [action for action, allowed in wanted.items() if allowed]


def _idea_out(request: HttpRequest, idea: Idea) -> dict[str, Any]:
    user = _caller(request)
    supported = selectors.supports_idea(user=user, idea=idea)
    blind = authors_hidden(user, idea.challenge)
    return {
        **IdeaSummaryOut.model_validate(idea, context={"request": request}).model_dump(),
        "description": idea.description,
        "affected": idea.affected,
        "coauthors": []
        if blind
        else [_person(coauthor.user) for coauthor in selectors.idea_coauthors(idea=idea)],
        "feedback": idea.feedback,
        "feedback_at": idea.feedback_at,
        "feedback_by": _person(idea.feedback_by) if idea.feedback_by else None,
        "hidden_reason": idea.hidden_reason,
        "version": idea.version,
        "supported": supported,
        "allowed_actions": _allowed(user, idea, supported=supported),
    }


def _merge_out(merge: Merge) -> dict[str, Any]:
    return {
        "source": merge.source_id,
        "target": merge.target_id,
        "reason": merge.reason,
        "merged_at": merge.created_at,
        "undone_at": merge.undone_at,
        "supports_moved": len(merge.moved_supports),
        "coauthors_moved": len(merge.moved_coauthors) + len(merge.added_coauthors),
    }


def _coauthor_out(coauthor: CoAuthor) -> dict[str, Any]:
    return {**_person(coauthor.user), "status": coauthor.status}


def _conflict(error: ValidationError, *codes: str) -> ApiProblem | None:
    """Return a 409 problem if ``error`` is one of ``codes`` (a state, not bad input)."""
    if getattr(error, "code", None) in codes:
        return ApiProblem(409, " ".join(error.messages))
    return None


# Endpoints -----------------------------------------------------------------------------------


@router.get(
    "/organisations/{slug}/challenges/{challenge_slug}/ideas",
    response=list[IdeaSummaryOut],
    summary="List a challenge's ideas, with filters",
    **PUBLIC,
)
@paginate(PageNumberPagination)
def idea_list(
    request: HttpRequest, slug: str, challenge_slug: str, filters: Query[IdeaFilterIn]
) -> Any:
    challenge = _challenge(request, slug, challenge_slug)
    chosen = selectors.IdeaFilters(
        innovation_type=filters.innovation_type or "",
        scale=filters.scale or "",
        benefit=filters.benefit or "",
        status=filters.status or "",
        sort=filters.sort,
        theme=theme_filter.chosen(challenge.pk, {"theme": filters.theme or ""}),
    )
    return selectors.idea_list(
        user=_caller(request), challenge=challenge, filters=chosen
    ).select_related("organisation", "challenge")


@router.post(
    "/organisations/{slug}/challenges/{challenge_slug}/ideas",
    response={201: IdeaOut},
    summary="Put forward an idea (while the challenge's phase allows it)",
)
def idea_create(
    request: HttpRequest, slug: str, challenge_slug: str, payload: IdeaIn
) -> Status[Any]:
    user = signed_in_user(request)
    challenge = _challenge(request, slug, challenge_slug)
    idea = services.idea_submit(
        author=user,
        challenge=challenge,
        title=payload.title,
        summary=payload.summary,
        description=payload.description,
        innovation_type=payload.innovation_type,
        scale=payload.scale,
        benefits=[str(benefit) for benefit in payload.benefits],
        affected=payload.affected,
    )
    return Status(201, _idea_out(request, _idea(request, idea.pk)))


@router.get("/ideas/{idea_id}", response=IdeaOut, summary="One idea", **PUBLIC)
def idea_detail(request: HttpRequest, idea_id: int) -> dict[str, Any]:
    return _idea_out(request, _idea(request, idea_id))


@router.patch(
    "/ideas/{idea_id}",
    response=IdeaOut,
    summary="Change an idea (its author and accepted co-authors)",
)
def idea_update(request: HttpRequest, idea_id: int, payload: IdeaChangesIn) -> dict[str, Any]:
    user = signed_in_user(request)
    idea = _idea(request, idea_id)
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    changes = {name: value for name, value in changes.items() if value is not None}
    if "benefits" in changes:
        changes["benefits"] = [str(benefit) for benefit in changes["benefits"]]
    try:
        services.idea_update(actor=user, idea=idea, expected_version=payload.version, **changes)
    except ValidationError as error:
        raise _conflict(error, "stale") or error from None
    return _idea_out(request, _idea(request, idea_id))


@router.post(
    "/ideas/{idea_id}/withdraw",
    response=IdeaOut,
    summary="Withdraw an idea (its author)",
)
def idea_withdraw(request: HttpRequest, idea_id: int, payload: WithdrawIn) -> dict[str, Any]:
    user = signed_in_user(request)
    idea = _idea(request, idea_id)
    services.idea_withdraw(actor=user, idea=idea, reason=payload.reason)
    return _idea_out(request, _idea(request, idea_id))


@router.put(
    "/ideas/{idea_id}/status",
    response=IdeaOut,
    summary="Set an idea's status with feedback (innovation leads and administrators)",
)
def idea_set_status(request: HttpRequest, idea_id: int, payload: StatusIn) -> dict[str, Any]:
    user = signed_in_user(request)
    idea = _idea(request, idea_id)
    if not permissions.can_moderate_ideas(user, idea.organisation):
        raise PermissionDenied
    services.idea_set_status(
        actor=user, idea=idea, status=payload.status, feedback=payload.feedback
    )
    return _idea_out(request, _idea(request, idea_id))


@router.put(
    "/ideas/{idea_id}/support",
    response=SupportOut,
    summary="Support an idea (once; 409 if you already do)",
)
def idea_support(request: HttpRequest, idea_id: int) -> dict[str, Any]:
    user = signed_in_user(request)
    idea = _idea(request, idea_id)
    try:
        count = services.idea_support(user=user, idea=idea)
    except ValidationError as error:
        raise _conflict(error, services.ALREADY_SUPPORTED) or error from None
    return {"supported": True, "supporters_count": count}


@router.delete(
    "/ideas/{idea_id}/support",
    response=SupportOut,
    summary="Withdraw your support for an idea (409 if you do not support it)",
)
def idea_unsupport(request: HttpRequest, idea_id: int) -> dict[str, Any]:
    user = signed_in_user(request)
    idea = _idea(request, idea_id)
    try:
        count = services.idea_unsupport(user=user, idea=idea)
    except ValidationError as error:
        raise _conflict(error, services.NOT_SUPPORTED) or error from None
    return {"supported": False, "supporters_count": count}


@router.get(
    "/ideas/{idea_id}/versions",
    response=list[VersionOut],
    summary="An idea's versions, newest first: who changed what, and when",
    **PUBLIC,
)
@paginate(PageNumberPagination)
def idea_versions(request: HttpRequest, idea_id: int) -> Any:
    # With the idea and its challenge: who edited is hidden from a blind panel.
    return selectors.idea_versions(idea=_idea(request, idea_id)).select_related("idea__challenge")


@router.get(
    "/ideas/{idea_id}/coauthors",
    response=list[CoAuthorOut],
    summary="An idea's co-authors (its author also sees open invitations)",
    **PUBLIC,
)
def idea_coauthor_list(request: HttpRequest, idea_id: int) -> list[dict[str, Any]]:
    idea = _idea(request, idea_id)
    if authors_hidden(_caller(request), idea.challenge):
        return []
    include_open = permissions.can_manage_coauthors(_caller(request), idea)
    return [
        _coauthor_out(coauthor)
        for coauthor in selectors.idea_coauthors(idea=idea, include_open=include_open)
    ]


@router.post(
    "/ideas/{idea_id}/coauthors",
    response={201: CoAuthorOut},
    summary="Invite a co-author (the idea's author)",
)
def idea_coauthor_invite(request: HttpRequest, idea_id: int, payload: InviteIn) -> Status[Any]:
    user = signed_in_user(request)
    idea = _idea(request, idea_id)
    if not permissions.can_manage_coauthors(user, idea):
        raise PermissionDenied
    coauthor = services.coauthor_invite(actor=user, idea=idea, email=payload.email)
    return Status(201, _coauthor_out(coauthor))


@router.delete(
    "/ideas/{idea_id}/coauthors/{user_id}",
    response={204: None},
    summary="Withdraw an invitation or remove a co-author (the idea's author)",
)
def idea_coauthor_withdraw(request: HttpRequest, idea_id: int, user_id: int) -> Status[None]:
    user = signed_in_user(request)
    idea = _idea(request, idea_id)
    if not permissions.can_manage_coauthors(user, idea):
        raise PermissionDenied
    if selectors.coauthor_get(idea=idea, user_id=user_id) is None:
        raise Http404
    services.coauthor_withdraw(actor=user, idea=idea, user_id=user_id)
    return Status(204, None)


def _answer(request: HttpRequest, idea_id: int, *, accept: bool) -> dict[str, Any]:
    user = signed_in_user(request)
    idea = _idea(request, idea_id)
    if selectors.coauthor_invitation(user=user, idea=idea) is None:
        raise Http404
    if accept:
        coauthor = services.coauthor_accept(user=user, idea=idea)
    else:
        coauthor = services.coauthor_decline(user=user, idea=idea)
    return {**_person(user), "status": coauthor.status}


@router.post(
    "/ideas/{idea_id}/invitation/accept",
    response=AnswerOut,
    summary="Accept your invitation to co-write an idea",
)
def idea_invitation_accept(request: HttpRequest, idea_id: int) -> dict[str, Any]:
    return _answer(request, idea_id, accept=True)


@router.post(
    "/ideas/{idea_id}/invitation/decline",
    response=AnswerOut,
    summary="Decline your invitation to co-write an idea",
)
def idea_invitation_decline(request: HttpRequest, idea_id: int) -> dict[str, Any]:
    return _answer(request, idea_id, accept=False)


@router.post(
    "/ideas/{idea_id}/merge",
    response=MergeOut,
    summary="Merge this idea, a duplicate, into another (innovation leads and administrators)",
)
def idea_merge(request: HttpRequest, idea_id: int, payload: MergeIn) -> dict[str, Any]:
    user = signed_in_user(request)
    idea = _idea(request, idea_id)
    if not permissions.can_moderate_ideas(user, idea.organisation):
        raise PermissionDenied
    target = selectors.idea_get(user=user, pk=payload.into)
    if target is None:
        raise ValidationError({"into": "Give the id of an open idea in the same challenge."})
    merge = services.idea_merge(actor=user, source=idea, target=target, reason=payload.reason)
    return _merge_out(merge)


@router.delete(
    "/ideas/{idea_id}/merge",
    response=MergeOut,
    summary="Undo the merge of this idea into another (innovation leads and administrators)",
)
def idea_merge_undo(request: HttpRequest, idea_id: int) -> dict[str, Any]:
    user = signed_in_user(request)
    idea = _idea(request, idea_id)
    if not permissions.can_moderate_ideas(user, idea.organisation):
        raise PermissionDenied
    return _merge_out(services.idea_merge_undo(actor=user, source=idea))
