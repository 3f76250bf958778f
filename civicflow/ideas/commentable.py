"""Ideas take comments and flags: the rules the discussion app applies to them."""

from __future__ import annotations

from typing import Any

from civicflow.discussion.registry import Commentable, register_commentable
from civicflow.ideas import permissions, selectors, services
from civicflow.ideas.blind import authors_hidden
from civicflow.ideas.models import Idea


def _set_hidden(idea: Idea, hidden: bool, reason: str, actor: Any = None) -> None:
    """Hide or restore ``idea`` as a moderator decided (the moderator, if given, is audited)."""
    services.idea_set_hidden(actor=actor, idea=idea, hidden=hidden, reason=reason)


def register() -> None:
    """Let people comment on ideas and flag them."""
    register_commentable(
        Commentable(
            model=Idea,
            organisation=lambda idea: idea.organisation,
            can_view=permissions.can_view_idea,
            can_comment=permissions.can_comment_on_idea,
            url=lambda idea: idea.get_absolute_url(),
            participants=selectors.author_ids,
            set_hidden=_set_hidden,
            authors=selectors.author_ids,
            # A blind panel sees no names in the discussion on the ideas it judges: a comment
            # by the author, or a reply to one, would say who wrote the idea.
            names_hidden=lambda user, idea: authors_hidden(user, idea.challenge),
        )
    )
