"""Writes about improvement boards: raise and edit cards, move, approve, record effects, leads.

Every service checks who is acting (``PermissionDenied`` if they may not), validates its input
(``ValidationError`` saying how to put it right), then changes the data, records it in the
audit log and tells the people concerned, in one transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicflow.accounts.models import Team, TeamMembership, User
from civicflow.boards import effects, permissions, selectors, workflow
from civicflow.boards.models import Board, BoardLead, Card, Status
from civicflow.core.audit import audit_record, register_actions
from civicflow.notifications.services import notify

register_actions(
    {
        "board.created": _("Improvement board started"),
        "board.lead_added": _("Made a lead of an improvement board"),
        "board.lead_removed": _("No longer a lead of an improvement board"),
        "board_card.raised": _("Improvement card raised"),
        "board_card.updated": _("Improvement card changed"),
        "board_card.moved": _("Improvement card moved"),
        "board_card.reopened": _("Adopted or dropped change reopened"),
        "board_card.approved": _("Quick win approved"),
        "board_card.effect_recorded": _("Effect of a change recorded"),
    }
)

TEXT_LIMITS = {"title": 120, "problem": 2000, "change": 2000}
TEXT_NAMES = {
    "title": "a short name for the change",
    "problem": "the problem you noticed",
    "change": "the change you propose",
}
UNIT_LIMIT = 60
NOTE_LIMIT = 2000
REASON_LIMIT = 500
EARLIEST_MEASUREMENT = date(2000, 1, 1)


# Validation ----------------------------------------------------------------------------------


def _clean_card_text(fields: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for name, value in fields.items():
        text = value.strip() if isinstance(value, str) else ""
        limit = TEXT_LIMITS[name]
        if not text:
            errors[name] = f"Enter {TEXT_NAMES[name]}."
        elif len(text) > limit:
            errors[name] = f"{TEXT_NAMES[name].capitalize()} must be {limit:,} characters or fewer."
        cleaned[name] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": f"The reason must be {REASON_LIMIT} characters or fewer."})
    return reason


def _access(actor: Any, team: Team) -> permissions.BoardAccess:
    access = selectors.board_access(user=actor, team=team)
    if not access.can_view:
        raise PermissionDenied("Only members of the organisation can use its boards.")
    return access


def _locked(card: Card) -> Card:
    """Return ``card`` read again under a row lock, so two people cannot move it at once."""
    return (
        Card.objects.select_for_update(of=("self",))
        .select_related("organisation", "board__team__organisation")
        .get(pk=card.pk)
    )


def _board_for(*, actor: Any, team: Team) -> Board:
    """Return ``team``'s board, starting it (and recording that) if it has none yet."""
    board, created = Board.objects.get_or_create(
        team=team, defaults={"organisation_id": team.organisation_id}
    )
    if created:
        audit_record(
            actor=actor, action="board.created", target=board, organisation=team.organisation
        )
    return board


def _lead_ids(board: Board) -> list[int]:
    return list(BoardLead.objects.filter(board=board).values_list("user_id", flat=True))


# Cards ---------------------------------------------------------------------------------------


def card_raise(*, actor: Any, team: Team, title: str, problem: str, change: str) -> Card:
    """Put a new card on ``team``'s board: the problem ``actor`` noticed and the change proposed.

    Members of the team and board leads raise cards. The board's named leads are told.
    """
    cleaned = _clean_card_text({"title": title, "problem": problem, "change": change})
    if not permissions.can_raise_card(_access(actor, team)):
        raise PermissionDenied("Only members of the team can raise cards on its board.")
    with transaction.atomic():
        board = _board_for(actor=actor, team=team)
        now = timezone.now()
        card = Card.objects.create(
            organisation_id=team.organisation_id,
            board=board,
            raised_by=actor,
            status=Status.NEW,
            status_changed_at=now,
            **cleaned,
        )
        audit_record(
            actor=actor, action="board_card.raised", target=card, organisation=team.organisation
        )
        notify(
            recipients=_lead_ids(board),
            kind="board.card_raised",
            title=f"New card on the {team.name} board: {card.title}",
            body=card.problem,
            url=card.get_absolute_url(),
            actor=actor,
        )
    return card


def card_update(
    *,
    actor: Any,
    card: Card,
    title: str | None = None,
    problem: str | None = None,
    change: str | None = None,
) -> Card:
    """Change what a card says; ``None`` leaves a field as it is.

    Leads edit any card; team members edit the cards they raised.
    """
    given = {
        name: value
        for name, value in (("title", title), ("problem", problem), ("change", change))
        if value is not None
    }
    cleaned = _clean_card_text(given)
    team = card.board.team
    if not permissions.can_edit_card(_access(actor, team), card):
        raise PermissionDenied("Only the person who raised this card or a lead can change it.")
    with transaction.atomic():
        card = _locked(card)
        changed = sorted(name for name, value in cleaned.items() if getattr(card, name) != value)
        if not changed:
            return card
        for name in changed:
            setattr(card, name, cleaned[name])
        card.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action="board_card.updated",
            target=card,
            organisation=team.organisation,
            data={"fields": changed},
        )
    return card


def card_move(*, actor: Any, card: Card, status: str, reason: str = "") -> Card:
    """Move ``card`` to the column ``status``, following New → Trying → Adopted or Dropped.

    Leads move any card and reopen adopted or dropped ones into Trying. Whoever raised a card
    moves it too: into Trying once a lead has approved it as a quick win, into Adopted once
    its effect is recorded, or into Dropped. The person who raised it is told.
    """
    reason = _clean_reason(reason)
    if status not in Status.values:
        raise ValidationError({"status": "Select New, Trying, Adopted or Dropped."})
    team = card.board.team
    access = _access(actor, team)
    if not permissions.can_move_card(access, card):
        raise PermissionDenied("Only the person who raised this card or a lead can move it.")
    with transaction.atomic():
        card = _locked(card)
        current = card.status
        _check_move(access, card, status)
        now = timezone.now()
        card.status = status
        card.status_changed_at = now
        if status == Status.ADOPTED:
            card.adopted_at = now
        elif current == Status.ADOPTED:
            card.adopted_at = None
        card.save(update_fields=["status", "status_changed_at", "adopted_at", "updated_at"])
        _record_move(actor=actor, card=card, current=current, reason=reason)
    return card


def _check_move(access: permissions.BoardAccess, card: Card, wanted: str) -> None:
    current = card.status
    if wanted == current:
        raise ValidationError({"status": f"This card is already in {Status(current).label}."})
    if not workflow.is_move(current, wanted):
        allowed = " or ".join(str(Status(s).label) for s in workflow.MOVES[current])
        raise ValidationError(
            {"status": f"A card in {Status(current).label} can only move to {allowed}."}
        )
    if workflow.is_reopening(current, wanted) and not access.is_lead:
        raise PermissionDenied("Only a lead can reopen an adopted or dropped change.")
    if (
        current == Status.NEW
        and wanted == Status.TRYING
        and not access.is_lead
        and card.approved_at is None
    ):
        raise ValidationError(
            {"status": "Ask a lead to approve this quick win before you start trying it."}
        )
    if wanted == Status.ADOPTED and card.effect_before is None:
        raise ValidationError(
            {"status": "Record the effect of the change before you mark it as adopted."}
        )


def _record_move(*, actor: Any, card: Card, current: str, reason: str) -> None:
    team = card.board.team
    reopened = workflow.is_reopening(current, card.status)
    audit_record(
        actor=actor,
        action="board_card.reopened" if reopened else "board_card.moved",
        target=card,
        organisation=team.organisation,
        reason=reason,
        data={"from": current, "to": card.status},
    )
    notify(
        recipients=[card.raised_by_id] if card.raised_by_id else [],
        kind="board.card_moved",
        title=f"Your card ‘{card.title}’ is now in {Status(card.status).label}",
        body=reason,
        url=card.get_absolute_url(),
        actor=actor,
    )


def card_approve(*, actor: Any, card: Card) -> Card:
    """Approve ``card`` as a quick win the team may try now (board leads)."""
    team = card.board.team
    if not permissions.can_approve_card(_access(actor, team)):
        raise PermissionDenied("Only a lead of this board can approve quick wins.")
    with transaction.atomic():
        card = _locked(card)
        if card.approved_at is not None:
            raise ValidationError("This quick win is already approved.")
        if not workflow.can_be_approved(card.status, approved=False):
            raise ValidationError("Only new cards and cards being tried can be approved.")
        card.approved_by = actor
        card.approved_at = timezone.now()
        card.save(update_fields=["approved_by", "approved_at", "updated_at"])
        audit_record(
            actor=actor, action="board_card.approved", target=card, organisation=team.organisation
        )
        notify(
            recipients=[card.raised_by_id] if card.raised_by_id else [],
            kind="board.card_approved",
            title=f"Your quick win ‘{card.title}’ is approved: you can start trying it",
            url=card.get_absolute_url(),
            actor=actor,
        )
    return card


def card_record_effect(
    *,
    actor: Any,
    card: Card,
    before: Any,
    after: Any,
    unit: str,
    measured_on: date | None,
    note: str = "",
    adopt: bool = False,
) -> Card:
    """Record what the change did: the figure ``before`` it and ``after`` it, in ``unit``.

    Board leads record effects once a change is being tried. With ``adopt``, a change being
    tried is also marked as adopted, in the same step. Figures are exact decimals.
    """
    values = _clean_effect(
        before=before, after=after, unit=unit, measured_on=measured_on, note=note
    )
    team = card.board.team
    access = _access(actor, team)
    if not permissions.can_record_effect(access):
        raise PermissionDenied("Only a lead of this board can record the effect of a change.")
    with transaction.atomic():
        card = _locked(card)
        if not workflow.can_take_effect(card.status):
            raise ValidationError(
                "Move the card to Trying before you record the effect of the change."
            )
        adopting = adopt and card.status != Status.ADOPTED
        if adopting and not workflow.is_move(card.status, Status.ADOPTED):
            raise ValidationError(
                {"adopt": "Only a change being tried can be marked as adopted. Reopen it first."}
            )
        now = timezone.now()
        card.effect_before = values["before"]
        card.effect_after = values["after"]
        card.effect_unit = values["unit"]
        card.effect_measured_on = values["measured_on"]
        card.effect_note = values["note"]
        card.effect_recorded_by = actor
        card.effect_recorded_at = now
        current = card.status
        if adopting:
            card.status = Status.ADOPTED
            card.status_changed_at = now
            card.adopted_at = now
        card.save()
        effect = card.effect
        assert effect is not None  # both figures were just set
        audit_record(
            actor=actor,
            action="board_card.effect_recorded",
            target=card,
            organisation=team.organisation,
            data={
                "before": str(effect.before),
                "after": str(effect.after),
                "unit": effect.unit,
                "measured_on": values["measured_on"].isoformat(),
            },
        )
        if adopting:
            _record_move(actor=actor, card=card, current=current, reason="")
    return card


def _clean_effect(
    *, before: Any, after: Any, unit: str, measured_on: date | None, note: str
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, raw in (("before", before), ("after", after)):
        try:
            values[name] = effects.parse_figure(raw, name=f"the {name} figure")
        except effects.FigureError as error:
            errors[name] = f"{error}."
    values["unit"] = unit.strip() if isinstance(unit, str) else ""
    if not values["unit"]:
        errors["unit"] = "Enter what the figures count, like falls per month."
    elif len(values["unit"]) > UNIT_LIMIT:
        errors["unit"] = f"The unit must be {UNIT_LIMIT} characters or fewer."
    if not isinstance(measured_on, date) or hasattr(measured_on, "hour"):
        errors["measured_on"] = "Enter the date the after figure was measured."
    elif measured_on > timezone.localdate():
        errors["measured_on"] = "The date the after figure was measured must be today or earlier."
    elif measured_on < EARLIEST_MEASUREMENT:
        errors["measured_on"] = "The date the after figure was measured must be in 2000 or later."
    values["measured_on"] = measured_on
    values["note"] = note.strip() if isinstance(note, str) else ""
    if len(values["note"]) > NOTE_LIMIT:
        errors["note"] = f"The note must be {NOTE_LIMIT:,} characters or fewer."
    if errors:
        raise ValidationError(errors)
    return values


# Board leads ---------------------------------------------------------------------------------


def board_lead_add(*, actor: Any, team: Team, user: User, reason: str = "") -> BoardLead:
    """Make ``user``, a member of ``team``, a lead of its board.

    Innovation leads and administrators of the organisation choose the leads.
    """
    reason = _clean_reason(reason)
    if not permissions.can_manage_board_leads(actor, team.organisation):
        raise PermissionDenied("Only innovation leads and administrators choose board leads.")
    if not TeamMembership.objects.filter(team=team, user=user).exists():
        raise ValidationError({"user": "Only members of the team can lead its board."})
    with transaction.atomic():
        board = _board_for(actor=actor, team=team)
        if BoardLead.objects.filter(board=board, user=user).exists():
            raise ValidationError({"user": f"{user} already leads this board."})
        lead = BoardLead.objects.create(board=board, user=user, added_by=actor)
        audit_record(
            actor=actor,
            action="board.lead_added",
            target=board,
            organisation=team.organisation,
            reason=reason,
            data={"user": user.pk},
        )
        notify(
            recipients=[user],
            kind="board.lead_added",
            title=f"You are now a lead of the {team.name} improvement board",
            url=_board_url(team),
            actor=actor,
        )
    return lead


def board_lead_remove(*, actor: Any, team: Team, user: User, reason: str = "") -> None:
    """Stop ``user`` leading ``team``'s board."""
    reason = _clean_reason(reason)
    if not permissions.can_manage_board_leads(actor, team.organisation):
        raise PermissionDenied("Only innovation leads and administrators choose board leads.")
    with transaction.atomic():
        deleted, _ = BoardLead.objects.filter(board__team=team, user=user).delete()
        if deleted:
            board = Board.objects.get(team=team)
            audit_record(
                actor=actor,
                action="board.lead_removed",
                target=board,
                organisation=team.organisation,
                reason=reason,
                data={"user": user.pk},
            )


def _board_url(team: Team) -> str:
    return reverse("boards:board", kwargs={"slug": team.organisation.slug, "team_slug": team.slug})
