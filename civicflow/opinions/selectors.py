"""Reads of opinion maps, limited to what the requesting person may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from civicflow.accounts.models import Membership, Role
from civicflow.challenges.models import Challenge, Phase
from civicflow.opinions import permissions
from civicflow.opinions.analysis.next_statement import Candidate, choose_next
from civicflow.opinions.models import (
    Analysis,
    Conversation,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)


def conversations_of(*, challenge: Challenge) -> QuerySet[Conversation]:
    """Return the conversations on ``challenge`` (which the caller may see), newest first,
    each with how many statements are open for votes and how many people have voted."""
    statements = (
        Statement.objects.filter(conversation=OuterRef("pk"), status=StatementStatus.ACCEPTED)
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    voters = (
        Vote.objects.filter(conversation=OuterRef("pk"))
        .order_by()
        .values("conversation")
        .annotate(n=Count("participant", distinct=True))
        .values("n")
    )
    return (
        Conversation.objects.filter(challenge=challenge)
        .annotate(
            statement_count=Coalesce(Subquery(statements, output_field=IntegerField()), 0),
            voter_count=Coalesce(Subquery(voters, output_field=IntegerField()), 0),
        )
        .order_by("-created_at", "-pk")
    )


def conversation_get(*, user: Any, pk: int) -> Conversation | None:
    """Return the conversation, or None if it does not exist or ``user`` may not see it."""
    conversation = (
        Conversation.objects.select_related("organisation", "challenge__organisation")
        .prefetch_related(
            Prefetch("challenge__phases", queryset=Phase.objects.order_by("starts_at"))
        )
        .filter(pk=pk)
        .first()
    )
    if conversation is None or not permissions.can_view_conversation(user, conversation):
        return None
    return conversation


def lead_ids(*, organisation: Any) -> list[int]:
    """Return the ids of the people who run the organisation's conversations (its innovation
    leads and administrators)."""
    return list(
        Membership.objects.filter(
            organisation=organisation, role__in=[Role.INNOVATION_LEAD, Role.ADMIN]
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def participant_of(*, user: Any, conversation: Conversation) -> Participant | None:
    """Return ``user``'s place in ``conversation``, or None if they have not taken part."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(conversation=conversation, user=user).first()


def statement_get(*, conversation: Conversation, pk: int) -> Statement | None:
    """Return a statement of ``conversation`` (any status: callers check it)."""
    return (
        Statement.objects.select_related("conversation")
        .filter(conversation=conversation, pk=pk)
        .first()
    )


def _separations(conversation: Conversation) -> dict[int, float]:
    result = (
        Analysis.objects.filter(conversation=conversation, ready=True)
        .values_list("result", flat=True)
        .first()
    )
    statements = (result or {}).get("statements", {})
    return {int(pk): float(figures["separation"]) for pk, figures in statements.items()}


@dataclass(frozen=True)
class Progress:
    """How far a participant has got: statements voted on of those open for votes."""

    voted: int
    total: int

    @property
    def remaining(self) -> int:
        return max(self.total - self.voted, 0)


def next_statement(*, user: Any, conversation: Conversation) -> tuple[Statement | None, Progress]:
    """Return the statement to show ``user`` next (None when they have voted on them all),
    and their progress. Statements people have not seen with few votes come first, then
    those that separate the groups (see ``analysis.next_statement``)."""
    participant = participant_of(user=user, conversation=conversation)
    statements = Statement.objects.filter(
        conversation=conversation, status=StatementStatus.ACCEPTED
    ).annotate(vote_count=Count("votes"))
    voted: set[int] = set()
    if participant is not None:
        voted = set(
            Vote.objects.filter(
                participant=participant, statement__status=StatementStatus.ACCEPTED
            ).values_list("statement_id", flat=True)
        )
    rows = list(statements.order_by().values_list("pk", "vote_count"))
    unseen = [(pk, count) for pk, count in rows if pk not in voted]
    progress = Progress(voted=len(voted), total=len(rows))
    if not unseen:
        return None, progress
    separations = _separations(conversation)
    # The same until the person votes, so a page shows one statement until it is answered.
    seed = (participant.pk if participant else 0) * 1_000_003 + len(voted)
    chosen = choose_next(
        [Candidate(pk, count, separations.get(pk)) for pk, count in unseen], seed=seed
    )
    assert chosen is not None
    return Statement.objects.get(pk=chosen), progress


def statements_with_votes(
    *, user: Any, conversation: Conversation, status: str = StatementStatus.ACCEPTED
) -> QuerySet[Statement]:
    """Return the conversation's statements of ``status``, oldest first, each with its agree,
    disagree and pass counts and ``my_vote`` (``user``'s vote, or None)."""
    participant = participant_of(user=user, conversation=conversation)
    mine = Vote.objects.filter(
        statement=OuterRef("pk"), participant_id=participant.pk if participant else 0
    ).values("value")[:1]
    return (
        Statement.objects.filter(conversation=conversation, status=status)
        .annotate(
            agrees=Count("votes", filter=Q(votes__value=1)),
            disagrees=Count("votes", filter=Q(votes__value=-1)),
            passes=Count("votes", filter=Q(votes__value=0)),
            my_vote=Subquery(mine, output_field=IntegerField()),
        )
        .select_related("author")
        .order_by("created_at", "pk")
    )


def moderation_queue(*, conversation: Conversation, status: str) -> QuerySet[Statement]:
    """Return the conversation's statements of ``status`` for its moderators, oldest first."""
    return (
        Statement.objects.filter(conversation=conversation, status=status)
        .select_related("moderated_by")
        .order_by("created_at", "pk")
    )


def status_counts(*, conversation: Conversation) -> dict[str, int]:
    """Return how many statements the conversation has in each moderation status."""
    counts = dict(
        Statement.objects.filter(conversation=conversation)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return {status: counts.get(status, 0) for status in StatementStatus.values}


# The report ----------------------------------------------------------------------------------


GROUP_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def group_name(group: int) -> str:
    """Return a group's name for people: group 0 is "Group A"."""
    return f"Group {GROUP_LETTERS[group % 26]}"


@dataclass(frozen=True)
class GroupView:
    """A share of one statement's votes in one group."""

    group: int
    name: str
    agree: int
    disagree: int
    votes: int

    @property
    def agree_percent(self) -> int:
        return round(100 * self.agree / self.votes) if self.votes else 0

    @property
    def disagree_percent(self) -> int:
        return round(100 * self.disagree / self.votes) if self.votes else 0


@dataclass(frozen=True)
class StatementView:
    """A statement picked by the map, with how each group voted on it."""

    statement_id: int
    text: str
    direction: str = ""
    groups: tuple[GroupView, ...] = ()
    #: For a group's representative statement: the group's own agree or disagree share.
    share: int = 0


@dataclass(frozen=True)
class GroupSummary:
    group: int
    name: str
    size: int
    representative: tuple[StatementView, ...]


@dataclass
class Report:
    """Everything the report page and the API show about a conversation's map."""

    analysis: Analysis | None
    computed_at: datetime | None
    groups: list[GroupSummary] = field(default_factory=list)
    consensus_agree: list[StatementView] = field(default_factory=list)
    consensus_disagree: list[StatementView] = field(default_factory=list)
    divisive: list[StatementView] = field(default_factory=list)
    #: The signed-in person's group, or None (not grouped, or no map yet).
    my_group: int | None = None
    my_participant_id: int | None = None

    @property
    def ready(self) -> bool:
        return self.analysis is not None and self.analysis.ready


def report_get(*, user: Any, conversation: Conversation) -> Report:
    """Return the conversation's last map with the text of the statements it picks."""
    analysis = Analysis.objects.filter(conversation=conversation).first()
    if analysis is None:
        return Report(analysis=None, computed_at=None)
    report = Report(analysis=analysis, computed_at=analysis.computed_at)
    if not analysis.ready:
        return report
    result = analysis.result
    statements = result.get("statements", {})
    wanted = {
        s["statement_id"] for chosen in result.get("repness", {}).values() for s in chosen
    } | {s["statement_id"] for side in result.get("consensus", {}).values() for s in side}
    wanted |= {s["statement_id"] for s in result.get("divisive", [])}
    texts = dict(Statement.objects.filter(pk__in=wanted).values_list("pk", "text"))

    def view(statement_id: int, direction: str = "", share: int = 0) -> StatementView:
        figures = statements.get(str(statement_id), {}).get("groups", [])
        return StatementView(
            statement_id=statement_id,
            text=texts.get(statement_id, ""),
            direction=direction,
            share=share,
            groups=tuple(
                GroupView(group, group_name(group), agree, disagree, votes)
                for group, (agree, disagree, votes) in enumerate(figures)
            ),
        )

    sizes = result.get("group_sizes", [])
    for group, size in enumerate(sizes):
        chosen = result.get("repness", {}).get(str(group), [])
        report.groups.append(
            GroupSummary(
                group=group,
                name=group_name(group),
                size=size,
                representative=tuple(
                    view(
                        s["statement_id"],
                        s["direction"],
                        round(100 * s["successes"] / s["trials"]) if s["trials"] else 0,
                    )
                    for s in chosen
                ),
            )
        )
    consensus = result.get("consensus", {})
    report.consensus_agree = [view(s["statement_id"], "agree") for s in consensus.get("agree", [])]
    report.consensus_disagree = [
        view(s["statement_id"], "disagree") for s in consensus.get("disagree", [])
    ]
    report.divisive = [view(s["statement_id"]) for s in result.get("divisive", [])]
    participant = participant_of(user=user, conversation=conversation)
    if participant is not None:
        report.my_participant_id = participant.pk
        participants = result.get("participants", {})
        try:
            index = participants.get("ids", []).index(participant.pk)
        except ValueError:
            index = -1
        if index >= 0 and participants["groups"][index] >= 0:
            report.my_group = int(participants["groups"][index])
    return report
