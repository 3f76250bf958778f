"""Who may review a challenge's possible duplicates, and who may see and recompute its themes."""

from __future__ import annotations

from typing import Any

from civicflow.challenges.models import Challenge
from civicflow.challenges.permissions import can_view_challenge
from civicflow.ideas.permissions import can_moderate_ideas


def can_review_duplicates(user: Any, challenge: Challenge) -> bool:
    """The challenge's moderators (innovation leads and administrators of its organisation)
    review possible duplicates, merge them or say they are not duplicates."""
    return can_moderate_ideas(user, challenge.organisation)


def can_view_themes(user: Any, challenge: Challenge) -> bool:
    """Whoever may see the challenge sees its themes (made from ideas everyone may see)."""
    return can_view_challenge(user, challenge)


def can_recompute_themes(user: Any, challenge: Challenge) -> bool:
    """The challenge's moderators ask for its themes to be computed again."""
    return can_moderate_ideas(user, challenge.organisation)
