"""Who may see a challenge, manage it, and take part in it now."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from civicflow.accounts.models import Role
from civicflow.accounts.permissions import is_instance_admin
from civicflow.accounts.selectors import has_role, is_member
from civicflow.challenges.models import Audience, Challenge, Status
from civicflow.challenges.phases import Action, current_phase, phase_type

MANAGERS = (Role.ADMIN, Role.INNOVATION_LEAD)


def can_manage_challenges(user: Any, organisation: Any) -> bool:
    """Innovation leads and administrators create, edit, publish, close and archive."""
    return is_instance_admin(user) or has_role(user, organisation, *MANAGERS)


def can_view_challenge(user: Any, challenge: Challenge) -> bool:
    """Drafts: managers only. Staff-only challenges: members only. Others: everyone."""
    if can_manage_challenges(user, challenge.organisation):
        return True
    if challenge.status == Status.DRAFT:
        return False
    if challenge.audience == Audience.STAFF:
        return is_member(user, challenge.organisation)
    return True


def is_eligible(user: Any, challenge: Challenge) -> bool:
    """Whether ``user`` belongs to the challenge's audience (signed in, and staff if it says)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if challenge.audience == Audience.STAFF:
        return is_member(user, challenge.organisation)
    return True


def open_actions(challenge: Challenge, now: datetime | None = None) -> frozenset[Action]:
    """Return what the phase open now allows; nothing unless the challenge is published."""
    if challenge.status != Status.PUBLISHED:
        return frozenset()
    phase = current_phase(challenge.phase_dates(), now or timezone.now())
    if phase is None:
        return frozenset()
    return phase_type(challenge.kind, phase.key).allows


def can_act(user: Any, challenge: Challenge, action: Action, now: datetime | None = None) -> bool:
    """Whether ``user`` may ``action`` in ``challenge`` now (review needs the assessor role)."""
    if action not in open_actions(challenge, now):
        return False
    if action == Action.REVIEW:
        return has_role(user, challenge.organisation, Role.ASSESSOR) or is_instance_admin(user)
    return is_eligible(user, challenge)


def can_follow(user: Any, challenge: Challenge) -> bool:
    """Anyone signed in who can see a published or closed challenge may follow it."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and challenge.status in (Status.PUBLISHED, Status.CLOSED)
        and can_view_challenge(user, challenge)
    )


# The lifecycle moves a manager can make from each status, as (target status, verb).
MOVES_FROM: dict[str, tuple[tuple[str, str], ...]] = {
    Status.DRAFT: ((Status.PUBLISHED, "publish"),),
    Status.PUBLISHED: ((Status.CLOSED, "close"),),
    Status.CLOSED: ((Status.PUBLISHED, "reopen"), (Status.ARCHIVED, "archive")),
    Status.ARCHIVED: (),
}


def can_edit_challenge(user: Any, challenge: Challenge) -> bool:
    """Managers change a challenge until it is archived."""
    return challenge.status != Status.ARCHIVED and can_manage_challenges(
        user, challenge.organisation
    )


def available_moves(user: Any, challenge: Challenge) -> tuple[tuple[str, str], ...]:
    """Return the lifecycle moves ``user`` may make now, as (target status, verb)."""
    if not can_manage_challenges(user, challenge.organisation):
        return ()
    return MOVES_FROM[challenge.status]


def allowed_actions(
    user: Any, challenge: Challenge, *, following: bool = False, now: datetime | None = None
) -> list[str]:
    """Return everything ``user`` may do to ``challenge`` now, as the API names it.

    Taking part (submit, comment, support, review), following (follow or unfollow) and, for
    managers, edit and the lifecycle moves (publish, close, reopen, archive).
    """
    actions = [str(action) for action in Action if can_act(user, challenge, action, now)]
    if following and getattr(user, "is_authenticated", False):
        actions.append("unfollow")
    elif can_follow(user, challenge):
        actions.append("follow")
    if can_edit_challenge(user, challenge):
        actions.append("edit")
    actions.extend(verb for _status, verb in available_moves(user, challenge))
    return actions
