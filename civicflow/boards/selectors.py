"""Reads of improvement boards, their cards and the organisation's adopted changes.

Callers check ``permissions.can_view_boards`` (or ``BoardAccess.can_view``) first: every
member of an organisation may see all of its boards, so these reads take the organisation or
team the caller may see and return what is in it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from civicflow.accounts.models import Organisation, Team, TeamMembership, User
from civicflow.boards import permissions
from civicflow.boards.models import Board, BoardLead, Card, Status

# The Adopted and Dropped columns grow for ever; a board shows the latest of each.
CLOSED_COLUMN_LIMIT = 12
_CARD_RELATED = ("raised_by", "approved_by")


def board_access(*, user: Any, team: Team) -> permissions.BoardAccess:
    """Return what ``user`` may do on ``team``'s board (one query, none for outsiders)."""
    organisation = team.organisation
    can_view = permissions.can_view_boards(user, organisation)
    if not can_view:
        return permissions.BoardAccess(user_id=None, can_view=False, in_team=False, is_lead=False)
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            in_team=Exists(TeamMembership.objects.filter(team=team, user=OuterRef("pk"))),
            named_lead=Exists(BoardLead.objects.filter(board__team=team, user=OuterRef("pk"))),
        )
        .values("in_team", "named_lead")
        .first()
    ) or {"in_team": False, "named_lead": False}
    return permissions.BoardAccess(
        user_id=user.pk,
        can_view=True,
        in_team=bool(row["in_team"]),
        is_lead=permissions.leads_every_board(user, organisation) or bool(row["named_lead"]),
    )


def team_get(*, organisation: Organisation, slug: str) -> Team | None:
    """Return the team ``slug`` of ``organisation`` with its board (if it has one), or None."""
    return (
        Team.objects.filter(organisation=organisation, slug=slug)
        .select_related("organisation", "improvement_board")
        .first()
    )


def board_of(team: Team) -> Board | None:
    """Return ``team``'s board, or None before its first card or lead."""
    # A missing reverse one-to-one raises an error that is also an AttributeError.
    board: Board | None = getattr(team, "improvement_board", None)
    return board


def board_leads(*, team: Team) -> list[User]:
    """Return the people named as leads of ``team``'s board, by name."""
    return list(User.objects.filter(board_leads__board__team=team).order_by("name", "email", "pk"))


def team_members(*, team: Team) -> list[User]:
    """Return the members of ``team``, by name."""
    return list(User.objects.filter(team_memberships__team=team).order_by("name", "email", "pk"))


@dataclass
class Column:
    """One column of a board: its status, its cards and how many it holds in all."""

    status: str
    label: str
    cards: list[Card]
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.cards)


def _cards(board: Board) -> QuerySet[Card]:
    return Card.objects.filter(board=board).select_related(*_CARD_RELATED)


def board_columns(*, team: Team, show_all: bool = False) -> list[Column]:
    """Return the four columns of ``team``'s board in order, New to Dropped.

    New and Trying show every card; Adopted and Dropped show the latest
    ``CLOSED_COLUMN_LIMIT`` unless ``show_all``. Four queries, however many cards.
    """
    board = board_of(team)
    if board is None:
        return [Column(status.value, str(status.label), [], 0) for status in Status]
    totals = dict(
        Card.objects.filter(board=board)
        .order_by()
        .values_list("status")
        .annotate(total=Count("pk"))
        .values_list("status", "total")
    )
    open_cards = list(
        _cards(board)
        .filter(status__in=[Status.NEW, Status.TRYING])
        .order_by("-status_changed_at", "-created_at", "-pk")
    )
    by_status: dict[str, list[Card]] = {status.value: [] for status in Status}
    for card in open_cards:
        by_status[card.status].append(card)
    for status in (Status.ADOPTED, Status.DROPPED):
        cards = _cards(board).filter(status=status).order_by("-status_changed_at", "-pk")
        by_status[status] = list(cards if show_all else cards[:CLOSED_COLUMN_LIMIT])
    return [
        Column(status.value, str(status.label), by_status[status.value], totals.get(status, 0))
        for status in Status
    ]


def card_get(*, team: Team, card_id: int) -> Card | None:
    """Return the card ``card_id`` on ``team``'s board with the people named on it, or None."""
    return (
        Card.objects.filter(pk=card_id, board__team=team)
        .select_related(
            "organisation", "board__team", "raised_by", "approved_by", "effect_recorded_by"
        )
        .first()
    )


def board_overview(*, organisation: Organisation) -> QuerySet[Team]:
    """Return ``organisation``'s teams, each with how many cards its board holds in each column."""
    cards = "improvement_board__cards__status"
    return (
        Team.objects.filter(organisation=organisation)
        .annotate(
            new_count=Count("improvement_board__cards", filter=Q(**{cards: Status.NEW})),
            trying_count=Count("improvement_board__cards", filter=Q(**{cards: Status.TRYING})),
            adopted_count=Count("improvement_board__cards", filter=Q(**{cards: Status.ADOPTED})),
            dropped_count=Count("improvement_board__cards", filter=Q(**{cards: Status.DROPPED})),
        )
        .order_by("name", "pk")
    )


# The roll-up of adopted changes --------------------------------------------------------------

# The periods the roll-up can be limited to, by key: how many days back each reaches.
PERIOD_DAYS = {"3m": 91, "6m": 182, "12m": 365}


def period_start(period: str, *, now: datetime | None = None) -> datetime | None:
    """Return when the period ``period`` ("3m", "6m", "12m") began, or None for any time."""
    days = PERIOD_DAYS.get(period)
    if days is None:
        return None
    return (now or timezone.now()) - timedelta(days=days)


def improvements(
    *, organisation: Organisation, team: Team | None = None, since: datetime | None = None
) -> QuerySet[Card]:
    """Return the changes adopted across ``organisation``'s teams, latest first.

    Only ``team``'s with a team; only those adopted at or after ``since`` with a date.
    """
    cards = Card.objects.filter(organisation=organisation, status=Status.ADOPTED)
    if team is not None:
        cards = cards.filter(board__team=team)
    if since is not None:
        cards = cards.filter(adopted_at__gte=since)
    return cards.select_related("board__team", "raised_by").order_by("-adopted_at", "-pk")


def improvement_counts(
    *, organisation: Organisation, since: datetime | None = None
) -> list[dict[str, Any]]:
    """Return, for each team of ``organisation`` that has a board, how many changes it adopted."""
    adopted = Q(improvement_board__cards__status=Status.ADOPTED)
    if since is not None:
        adopted &= Q(improvement_board__cards__adopted_at__gte=since)
    teams = (
        Team.objects.filter(organisation=organisation, improvement_board__isnull=False)
        .annotate(adopted=Count("improvement_board__cards", filter=adopted))
        .order_by("name", "pk")
    )
    return [{"team": team, "adopted": team.adopted} for team in teams]


def teams_with_boards(*, organisation: Organisation) -> QuerySet[Team]:
    """Return the teams of ``organisation`` that have a board, by name."""
    return Team.objects.filter(organisation=organisation, improvement_board__isnull=False).order_by(
        "name", "pk"
    )


IMPROVEMENT_CSV_COLUMNS = [
    "team",
    "change",
    "problem",
    "change_proposed",
    "raised_by",
    "adopted_at",
    "before",
    "after",
    "unit",
    "change_in_figure",
    "percent_change",
    "measured_on",
    "note",
]


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A cell that starts like a formula is neutralised so that a spreadsheet shows it as text.
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


def _plain(number: Decimal) -> str:
    """Return ``number`` as a spreadsheet reads it: no exponent, no trailing zeros (-8, 2.5)."""
    return format(number.normalize(), "f")


class _Echo:
    def write(self, value: str) -> str:
        return value


def improvement_csv_lines(cards: Iterable[Card]) -> Iterator[str]:
    """Yield the lines of a CSV of adopted changes, header first; figures as exact decimals."""
    writer = csv.writer(_Echo())
    yield writer.writerow(IMPROVEMENT_CSV_COLUMNS)
    for card in cards:
        effect = card.effect
        percent = effect.percent_change if effect is not None else None
        row = [
            card.board.team.name,
            card.title,
            card.problem,
            card.change,
            str(card.raised_by) if card.raised_by else "",
            card.adopted_at.isoformat() if card.adopted_at else "",
            _plain(effect.before) if effect else "",
            _plain(effect.after) if effect else "",
            card.effect_unit,
            _plain(effect.change) if effect else "",
            _plain(percent) if percent is not None else "",
            card.effect_measured_on.isoformat() if card.effect_measured_on else "",
            card.effect_note,
        ]
        # Figures stay numbers; only text people wrote is neutralised.
        yield writer.writerow(
            [
                value if index in _NUMERIC_COLUMNS else _cell(value)
                for index, value in enumerate(row)
            ]
        )


_NUMERIC_COLUMNS = {
    IMPROVEMENT_CSV_COLUMNS.index(name)
    for name in ("before", "after", "change_in_figure", "percent_change")
}
