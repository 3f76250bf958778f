"""A commentable for tests: challenges, registered only while tests run.

The discussion app knows no other app. Its tests register ``challenges.Challenge`` with rules
of their own, so they exercise the registry as ideas, cards and initiatives use it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from civicflow.accounts.models import Organisation
from civicflow.accounts.selectors import is_member
from civicflow.challenges.models import Challenge, Phase
from civicflow.challenges.permissions import can_view_challenge
from civicflow.discussion.registry import Commentable, register_commentable, registered

LABEL = "challenges.challenge"
# What moderators decided about each challenge, by id: (hidden, reason, actor).
HIDDEN: dict[int, tuple[bool, str, Any]] = {}


def _can_comment(user: Any, challenge: Challenge) -> bool:
    if challenge.status != "published" or not getattr(user, "is_authenticated", False):
        return False
    return challenge.audience != "staff" or is_member(user, challenge.organisation)


def _set_hidden(challenge: Challenge, hidden: bool, reason: str, actor: Any = None) -> None:
    HIDDEN[challenge.pk] = (hidden, reason, actor)


def _author_ids(challenge: Challenge) -> list[int]:
    return [challenge.created_by_id] if challenge.created_by_id else []


def challenge_rules() -> Commentable:
    """Return the rules the tests give challenges."""
    return Commentable(
        model=Challenge,
        organisation=lambda challenge: challenge.organisation,
        can_view=can_view_challenge,
        can_comment=_can_comment,
        url=lambda challenge: reverse(
            "discussion:thread", kwargs={"label": LABEL, "object_id": challenge.pk}
        ),
        participants=_author_ids,
        set_hidden=_set_hidden,
        authors=_author_ids,
    )


def register_challenges() -> Commentable | None:
    """Register the test rules for challenges; return the rules they replace, if any."""
    before = registered().get(LABEL)
    register_commentable(challenge_rules())
    return before


def make_challenge(
    organisation: Organisation,
    *,
    created_by: Any = None,
    title: str = "Fewer missed bin collections",
    audience: str = "public",
    status: str = "published",
) -> Challenge:
    """Create a challenge in ``organisation``, open for comments unless ``status`` says not."""
    now = timezone.now()
    count = Challenge.objects.filter(organisation=organisation).count()
    challenge = Challenge.objects.create(
        organisation=organisation,
        title=title,
        slug=f"challenge-{count + 1}",
        summary="How can we miss fewer bin collections?",
        problem="Collections are missed on narrow streets.",
        driver="residents_concern",
        audience=audience,
        kind="open_call",
        status=status,
        created_by=created_by,
        published_at=now if status != "draft" else None,
    )
    Phase.objects.create(challenge=challenge, key="develop", starts_at=now - timedelta(days=1))
    return challenge
