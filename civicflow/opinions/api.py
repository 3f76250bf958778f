"""API endpoints for opinion maps: conversations, statements, votes, the map and the Pol.is
export.

Reading is open to anyone for the conversations they may see. A conversation (or challenge)
the caller may not see answers 404, or 401 to an anonymous caller, who might see it once
signed in. The map is worked out in the background: ``GET …/analysis`` gives the last one,
with the time it was worked out, or says there are not enough votes yet.
"""

# No ``from __future__ import annotations`` here: ninja reads the list's filters from the
# signature of the paginated view, whose wrapper cannot resolve names given as strings.
import re
from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from civicflow.api.auth import PUBLIC, signed_in_user
from civicflow.api.errors import ApiProblem
from civicflow.api.pagination import PageNumberPagination
from civicflow.challenges import selectors as challenge_selectors
from civicflow.challenges.models import Challenge
from civicflow.opinions import exchange, permissions, selectors, services
from civicflow.opinions.models import STATEMENT_LIMIT, Conversation, Statement, StatementStatus
from civicflow.opinions.selectors import group_name

router = Router(tags=["Opinion maps"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")

ModerationChoice = Literal["post", "pre"]
ConversationStateChoice = Literal["open", "closed"]
StatementStatusChoice = Literal["accepted", "pending", "rejected"]
VoteChoice = Literal[-1, 0, 1]
ExportFile = Literal["zip", "comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"]


# Schemas -------------------------------------------------------------------------------------


class ConversationOut(Schema):
    id: int
    url: str = Field(description="The conversation's page.")
    organisation: str = Field(description="The organisation's slug.")
    challenge: str = Field(description="The challenge's slug.")
    question: str
    description: str
    moderation: ModerationChoice = Field(
        description="post: statements appear at once; pre: a moderator accepts each first."
    )
    state: ConversationStateChoice
    created_at: datetime
    analysed_at: datetime | None = Field(description="When the map was last worked out.")

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj["url"] if isinstance(obj, dict) else obj.get_absolute_url())

    @staticmethod
    def resolve_organisation(obj: Any) -> str:
        return str(obj["organisation"] if isinstance(obj, dict) else obj.organisation.slug)

    @staticmethod
    def resolve_challenge(obj: Any) -> str:
        return str(obj["challenge"] if isinstance(obj, dict) else obj.challenge.slug)


class ConversationDetailOut(ConversationOut):
    statements: int = Field(description="How many statements are open for votes.")
    voted: int = Field(description="How many of them you have voted on.")
    allowed_actions: list[str] = Field(
        description="What you may do now: vote, add_statement, and for leads moderate, edit, "
        "export."
    )


class ConversationIn(Schema):
    question: str = Field(max_length=services.QUESTION_LIMIT)
    description: str = Field("", max_length=services.DESCRIPTION_LIMIT)
    moderation: ModerationChoice = "post"


class ConversationPatch(Schema):
    question: str | None = Field(None, max_length=services.QUESTION_LIMIT)
    description: str | None = Field(None, max_length=services.DESCRIPTION_LIMIT)
    moderation: ModerationChoice | None = None
    state: ConversationStateChoice | None = None
    reason: str = Field("", max_length=services.REASON_LIMIT, description="For the audit log.")


class StatementOut(Schema):
    id: int
    text: str
    status: StatementStatusChoice
    is_seed: bool
    created_at: datetime
    agrees: int | None = Field(None, description="Votes to agree (in lists).")
    disagrees: int | None = Field(None, description="Votes to disagree (in lists).")
    passes: int | None = Field(None, description="Votes to pass (in lists).")
    my_vote: VoteChoice | None = Field(None, description="Your vote, if you have voted.")


class StatementIn(Schema):
    text: str = Field(
        max_length=1000, description=f"One idea, in {STATEMENT_LIMIT} characters or fewer."
    )


class StatementFilterIn(Schema):
    status: StatementStatusChoice = Field(
        "accepted", description="Leads may list statements waiting for moderation or rejected."
    )


class NextStatementOut(Schema):
    statement: StatementOut | None = Field(
        description="The statement to vote on next; null when you have voted on them all."
    )
    voted: int
    total: int = Field(description="Statements open for votes.")


class VoteIn(Schema):
    value: VoteChoice = Field(description="1 agree, -1 disagree, 0 pass.")


class VoteOut(Schema):
    statement: int
    value: VoteChoice
    updated_at: datetime


class ModerationIn(Schema):
    status: Literal["accepted", "rejected"]
    reason: str = Field(
        "", max_length=services.REASON_LIMIT, description="Needed to reject; for the audit log."
    )


class GroupShareOut(Schema):
    group: int
    agrees: int
    disagrees: int
    votes: int


class MapStatementOut(Schema):
    statement: int
    text: str
    direction: Literal["agree", "disagree", ""] = ""
    share: int = Field(0, description="For a group's statement: its share voting that way, %.")
    groups: list[GroupShareOut]


class MapGroupOut(Schema):
    group: int
    name: str
    size: int
    representative: list[MapStatementOut]


class MapPointOut(Schema):
    participant: int
    x: float
    y: float
    group: int = Field(description="-1 for someone not in a group (too few votes).")


class AnalysisOut(Schema):
    state: Literal["ready", "not_enough_votes", "waiting"] = Field(
        description="waiting: nobody has voted since the conversation started."
    )
    message: str
    computed_at: datetime | None
    participants: int
    grouped_participants: int
    votes: int
    k: int = Field(description="The number of groups.")
    groups: list[MapGroupOut]
    consensus_agree: list[MapStatementOut]
    consensus_disagree: list[MapStatementOut]
    divisive: list[MapStatementOut]
    points: list[MapPointOut] = Field(description="Where each participant sits on the map.")
    your_group: int | None = Field(description="Your group, if you are in one.")


# Helpers -------------------------------------------------------------------------------------


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


def _conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    conversation = selectors.conversation_get(user=_caller(request), pk=conversation_id)
    if conversation is None:
        raise _not_visible(request)
    return conversation


def _run(request: HttpRequest, conversation_id: int) -> Conversation:
    user = signed_in_user(request)
    conversation = _conversation(request, conversation_id)
    if not permissions.can_run_conversation(user, conversation):
        raise PermissionDenied("Only the organisation's innovation leads can do this.")
    return conversation


def _statement(conversation: Conversation, statement_id: int) -> Statement:
    statement = selectors.statement_get(conversation=conversation, pk=statement_id)
    if statement is None:
        raise Http404
    return statement


def _conversation_out(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": conversation.pk,
        "url": conversation.get_absolute_url(),
        "organisation": conversation.organisation.slug,
        "challenge": conversation.challenge.slug,
        "question": conversation.question,
        "description": conversation.description,
        "moderation": conversation.moderation,
        "state": conversation.state,
        "created_at": conversation.created_at,
        "analysed_at": conversation.analysed_at,
    }


def _detail_out(request: HttpRequest, conversation: Conversation) -> dict[str, Any]:
    user = _caller(request)
    _statement_shown, progress = selectors.next_statement(user=user, conversation=conversation)
    runs = permissions.can_run_conversation(user, conversation)
    wanted = {
        "vote": permissions.can_take_part(user, conversation),
        "add_statement": not permissions.why_cannot_add_statement(user, conversation),
        "moderate": runs,
        "edit": runs,
        "export": runs,
    }
    return {
        **_conversation_out(conversation),
        "statements": progress.total,
        "voted": progress.voted,
        "allowed_actions": [action for action, allowed in wanted.items() if allowed],
    }


def _statement_out(statement: Statement) -> dict[str, Any]:
    return {
        "id": statement.pk,
        "text": statement.text,
        "status": statement.status,
        "is_seed": statement.is_seed,
        "created_at": statement.created_at,
        "agrees": getattr(statement, "agrees", None),
        "disagrees": getattr(statement, "disagrees", None),
        "passes": getattr(statement, "passes", None),
        "my_vote": getattr(statement, "my_vote", None),
    }


def _map_statement(view: selectors.StatementView) -> dict[str, Any]:
    return {
        "statement": view.statement_id,
        "text": view.text,
        "direction": view.direction,
        "share": view.share,
        "groups": [
            {"group": g.group, "agrees": g.agree, "disagrees": g.disagree, "votes": g.votes}
            for g in view.groups
        ],
    }


# Conversations -------------------------------------------------------------------------------


@router.get(
    "/organisations/{slug}/challenges/{challenge_slug}/conversations",
    response=list[ConversationOut],
    summary="List a challenge's opinion map conversations, newest first",
    **PUBLIC,
)
@paginate(PageNumberPagination)
def conversation_list(request: HttpRequest, slug: str, challenge_slug: str) -> Any:
    challenge = _challenge(request, slug, challenge_slug)
    return selectors.conversations_of(challenge=challenge).select_related(
        "organisation", "challenge"
    )


@router.post(
    "/organisations/{slug}/challenges/{challenge_slug}/conversations",
    response={201: ConversationDetailOut},
    summary="Start a conversation on a challenge (its innovation leads)",
)
def conversation_create(
    request: HttpRequest, slug: str, challenge_slug: str, payload: ConversationIn
) -> Status[Any]:
    user = signed_in_user(request)
    challenge = _challenge(request, slug, challenge_slug)
    conversation = services.conversation_create(
        actor=user,
        challenge=challenge,
        question=payload.question,
        description=payload.description,
        moderation=payload.moderation,
    )
    return Status(201, _detail_out(request, _conversation(request, conversation.pk)))


IMPORT_FILE = File(None, description="A file of the Pol.is export.")
IMPORT_ARCHIVE = File(None, description="The whole export as one zip file.")
IMPORT_QUESTION = Form("", description="The question; empty to use the export's topic.")


@router.post(
    "/organisations/{slug}/challenges/{challenge_slug}/conversations/import",
    response={201: ConversationDetailOut},
    summary="Import a conversation from a Pol.is export's files (the challenge's leads)",
    description="Send the export as multipart form data: one zip file as `archive`, or "
    "`comments` with `votes` or `participants_votes` (or both), and `summary` if you have it. "
    "A file that cannot be read answers 422, naming the file and line.",
)
def conversation_import(
    request: HttpRequest,
    slug: str,
    challenge_slug: str,
    question: str = IMPORT_QUESTION,
    archive: UploadedFile | None = IMPORT_ARCHIVE,
    comments: UploadedFile | None = IMPORT_FILE,
    votes: UploadedFile | None = IMPORT_FILE,
    participants_votes: UploadedFile | None = IMPORT_FILE,
    summary: UploadedFile | None = IMPORT_FILE,
) -> Status[Any]:
    user = signed_in_user(request)
    challenge = _challenge(request, slug, challenge_slug)
    if not permissions.can_start_conversation(user, challenge):
        raise PermissionDenied("Only the challenge's innovation leads can import a conversation.")
    if archive is None and comments is None:
        raise ApiProblem(422, "Send the export as one zip file, or its comments.csv and votes.")
    export = exchange.read_uploads(
        {
            "comments.csv": comments,
            "votes.csv": votes,
            "participants-votes.csv": participants_votes,
            "summary.csv": summary,
        },
        archive=archive,
    )
    conversation = exchange.conversation_import(
        actor=user, challenge=challenge, export=export, question=question
    )
    return Status(201, _detail_out(request, _conversation(request, conversation.pk)))


@router.get(
    "/conversations/{conversation_id}",
    response=ConversationDetailOut,
    summary="One conversation, with your progress and what you may do",
    **PUBLIC,
)
def conversation_detail(request: HttpRequest, conversation_id: int) -> dict[str, Any]:
    return _detail_out(request, _conversation(request, conversation_id))


@router.patch(
    "/conversations/{conversation_id}",
    response=ConversationDetailOut,
    summary="Change a conversation's question or moderation, or close or reopen it (leads)",
)
def conversation_update(
    request: HttpRequest, conversation_id: int, payload: ConversationPatch
) -> dict[str, Any]:
    conversation = _run(request, conversation_id)
    services.conversation_update(
        actor=_caller(request),
        conversation=conversation,
        question=payload.question if payload.question is not None else conversation.question,
        description=(
            payload.description if payload.description is not None else conversation.description
        ),
        moderation=payload.moderation or conversation.moderation,
        state=payload.state or conversation.state,
        reason=payload.reason,
    )
    return _detail_out(request, _conversation(request, conversation_id))


# Statements and votes ------------------------------------------------------------------------


@router.get(
    "/conversations/{conversation_id}/statements",
    response=list[StatementOut],
    summary="List a conversation's statements with their votes and yours, oldest first",
    **PUBLIC,
)
@paginate(PageNumberPagination)
def conversation_statement_list(
    request: HttpRequest, conversation_id: int, filters: Query[StatementFilterIn]
) -> Any:
    conversation = _conversation(request, conversation_id)
    user = _caller(request)
    if filters.status != StatementStatus.ACCEPTED and not permissions.can_run_conversation(
        user, conversation
    ):
        raise PermissionDenied("Only the conversation's leads see statements not accepted.")
    return selectors.statements_with_votes(
        user=user, conversation=conversation, status=filters.status
    )


@router.post(
    "/conversations/{conversation_id}/statements",
    response={201: StatementOut},
    summary="Add a statement (seed statements by leads; pending under pre-moderation)",
)
def conversation_statement_add(
    request: HttpRequest, conversation_id: int, payload: StatementIn
) -> Status[Any]:
    user = signed_in_user(request)
    conversation = _conversation(request, conversation_id)
    statement = services.statement_add(actor=user, conversation=conversation, text=payload.text)
    return Status(201, _statement_out(statement))


@router.get(
    "/conversations/{conversation_id}/next",
    response=NextStatementOut,
    summary="The statement for you to vote on next, chosen to teach the map the most",
    **PUBLIC,
)
def conversation_next_statement(request: HttpRequest, conversation_id: int) -> dict[str, Any]:
    conversation = _conversation(request, conversation_id)
    statement, progress = selectors.next_statement(user=_caller(request), conversation=conversation)
    return {
        "statement": _statement_out(statement) if statement is not None else None,
        "voted": progress.voted,
        "total": progress.total,
    }


@router.put(
    "/conversations/{conversation_id}/statements/{statement_id}/vote",
    response=VoteOut,
    summary="Agree, disagree or pass on a statement; voting again changes your vote",
)
def conversation_vote(
    request: HttpRequest, conversation_id: int, statement_id: int, payload: VoteIn
) -> dict[str, Any]:
    user = signed_in_user(request)
    conversation = _conversation(request, conversation_id)
    statement = _statement(conversation, statement_id)
    vote = services.vote_cast(user=user, statement=statement, value=payload.value)
    return {"statement": statement.pk, "value": vote.value, "updated_at": vote.updated_at}


@router.post(
    "/conversations/{conversation_id}/statements/{statement_id}/moderation",
    response=StatementOut,
    summary="Accept or reject a statement, saying why (leads)",
)
def conversation_statement_moderate(
    request: HttpRequest, conversation_id: int, statement_id: int, payload: ModerationIn
) -> dict[str, Any]:
    conversation = _run(request, conversation_id)
    statement = _statement(conversation, statement_id)
    services.statement_moderate(
        actor=_caller(request), statement=statement, status=payload.status, reason=payload.reason
    )
    statement.refresh_from_db()
    return _statement_out(statement)


# The map and the export ----------------------------------------------------------------------


@router.get(
    "/conversations/{conversation_id}/analysis",
    response=AnalysisOut,
    summary="The conversation's opinion map as last worked out, or why there is none yet",
    **PUBLIC,
)
def conversation_analysis(request: HttpRequest, conversation_id: int) -> dict[str, Any]:
    conversation = _conversation(request, conversation_id)
    report = selectors.report_get(user=_caller(request), conversation=conversation)
    analysis = report.analysis
    empty: dict[str, Any] = {
        "groups": [],
        "consensus_agree": [],
        "consensus_disagree": [],
        "divisive": [],
        "points": [],
        "your_group": None,
        "k": 0,
    }
    if analysis is None:
        return {
            **empty,
            "state": "waiting",
            "message": "Not enough votes yet: nobody has voted.",
            "computed_at": None,
            "participants": 0,
            "grouped_participants": 0,
            "votes": 0,
        }
    counts = {
        "computed_at": analysis.computed_at,
        "participants": analysis.participants,
        "grouped_participants": analysis.grouped_participants,
        "votes": analysis.votes,
    }
    if not analysis.ready:
        return {**empty, **counts, "state": "not_enough_votes", "message": analysis.message}
    participants = analysis.result.get("participants", {})
    return {
        **counts,
        "state": "ready",
        "message": "",
        "k": analysis.groups,
        "groups": [
            {
                "group": group.group,
                "name": group_name(group.group),
                "size": group.size,
                "representative": [_map_statement(s) for s in group.representative],
            }
            for group in report.groups
        ],
        "consensus_agree": [_map_statement(s) for s in report.consensus_agree],
        "consensus_disagree": [_map_statement(s) for s in report.consensus_disagree],
        "divisive": [_map_statement(s) for s in report.divisive],
        "points": [
            {"participant": pid, "x": x, "y": y, "group": group}
            for pid, x, y, group in zip(
                participants.get("ids", []),
                participants.get("x", []),
                participants.get("y", []),
                participants.get("groups", []),
                strict=True,
            )
        ],
        "your_group": report.my_group,
    }


BINARY = {"type": "string", "format": "binary"}
EXPORT_FILE = Query("zip", description="zip for all four files, or one file's name.")


@router.get(
    "/conversations/{conversation_id}/export",
    response={200: None},
    summary="The conversation as a Pol.is export: a zip of the four files, or one of them (leads)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The zip file, or the CSV file asked for.",
                "content": {
                    "application/zip": {"schema": BINARY},
                    "text/csv": {"schema": {"type": "string"}},
                },
            }
        }
    },
)
def conversation_export(
    request: HttpRequest,
    conversation_id: int,
    file: ExportFile = EXPORT_FILE,
) -> HttpResponse:
    conversation = _run(request, conversation_id)
    if file == "zip":
        response = HttpResponse(exchange.export_zip(conversation), content_type="application/zip")
        name = f"conversation-{conversation.pk}-polis-export.zip"
    else:
        response = HttpResponse(
            exchange.export_files(conversation)[file], content_type="text/csv; charset=utf-8"
        )
        name = f"conversation-{conversation.pk}-{file}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
