"""Who may see, write, support, decide on and moderate ideas.

The ``why_cannot_…`` functions return, in words for people, why an action is refused now (or
"" when it is allowed), so that pages can say why a button is missing and services can refuse
with the same message.
"""

from __future__ import annotations

from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from civicflow.accounts.permissions import is_instance_admin
from civicflow.accounts.selectors import has_role
from civicflow.challenges.models import Audience, Challenge, Status
from civicflow.challenges.permissions import MANAGERS, can_act, can_view_challenge, is_eligible
from civicflow.challenges.phases import Action, phase_type
from civicflow.ideas.models import Idea, IdeaStatus
from civicflow.ideas.selectors import accepted_coauthor_ids


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_moderate_ideas(user: Any, organisation: Any) -> bool:
    """Innovation leads and administrators decide on, merge and moderate their ideas."""
    return is_instance_admin(user) or has_role(user, organisation, *MANAGERS)


def is_idea_author(user: Any, idea: Idea) -> bool:
    """The author and the co-authors who accepted their invitation write the idea."""
    if not _signed_in(user):
        return False
    return user.pk == idea.author_id or user.pk in accepted_coauthor_ids(idea)


def can_see_hidden_idea(user: Any, idea: Idea) -> bool:
    """Moderators and the idea's authors see a hidden idea, with the reason it was hidden."""
    return can_moderate_ideas(user, idea.organisation) or is_idea_author(user, idea)


def can_view_idea(user: Any, idea: Idea) -> bool:
    """Whoever may see the challenge sees its ideas, except hidden ones."""
    if not can_view_challenge(user, idea.challenge):
        return False
    return not idea.is_hidden or can_see_hidden_idea(user, idea)


def can_edit_idea(user: Any, idea: Idea) -> bool:
    """The author and accepted co-authors change an idea; invited ones do not yet."""
    return is_instance_admin(user) or is_idea_author(user, idea)


def can_withdraw_idea(user: Any, idea: Idea) -> bool:
    """Only the author withdraws their idea."""
    return is_instance_admin(user) or (_signed_in(user) and user.pk == idea.author_id)


def can_manage_coauthors(user: Any, idea: Idea) -> bool:
    """Only the author invites co-authors and withdraws invitations."""
    return can_withdraw_idea(user, idea)


def can_comment_on_idea(user: Any, idea: Idea) -> bool:
    """People comment on visible, open ideas while the challenge's phase allows comments."""
    return (
        can_view_idea(user, idea)
        and not idea.is_closed
        and can_act(user, idea.challenge, Action.COMMENT)
    )


def can_withdraw_support(user: Any, idea: Idea) -> bool:
    """People change their minds while supporting is open; after that, supports are counted."""
    return can_act(user, idea.challenge, Action.SUPPORT)


def _when(moment: Any) -> str:
    return formats.date_format(moment, "j F Y") if moment else ""


def _phase_problem(challenge: Challenge, action: Action, doing: str) -> str:
    """Say when ``action`` is possible in ``challenge``, given that it is not possible now."""
    if challenge.status != Status.PUBLISHED:
        return _("This challenge is not open, so you cannot %(doing)s.") % {"doing": doing}
    allowing = [
        phase
        for phase in challenge.phase_dates()
        if action in phase_type(challenge.kind, phase.key).allows
    ]
    if not allowing:
        return _("This challenge does not let people %(doing)s.") % {"doing": doing}
    now = timezone.now()
    later = [phase for phase in allowing if phase.starts_at > now]
    if later:
        first = min(later, key=lambda phase: phase.starts_at)
        return _("You can %(doing)s from %(date)s, in the %(phase)s phase.") % {
            "doing": doing,
            "date": _when(first.starts_at),
            "phase": phase_type(challenge.kind, first.key).name,
        }
    last = max(allowing, key=lambda phase: phase.starts_at)
    if last.ends_at is None or last.is_open(now):
        return _("You cannot %(doing)s in this challenge now.") % {"doing": doing}
    return _("The time to %(doing)s ended on %(date)s.") % {
        "doing": doing,
        "date": _when(last.ends_at),
    }


def _eligibility_problem(user: Any, challenge: Challenge, doing: str) -> str:
    if not _signed_in(user):
        return _("Sign in to %(doing)s.") % {"doing": doing}
    if not is_eligible(user, challenge):
        if challenge.audience == Audience.STAFF:
            return _("Only staff of %(organisation)s can take part in this challenge.") % {
                "organisation": challenge.organisation.name
            }
        return _("Your account cannot take part in this challenge.")
    return ""


def why_cannot_submit(user: Any, challenge: Challenge) -> str:
    """Return why ``user`` cannot put forward an idea in ``challenge`` now, or ""."""
    doing = _("put forward ideas")
    if can_act(user, challenge, Action.SUBMIT):
        return ""
    if problem := _eligibility_problem(user, challenge, doing):
        return problem
    return _phase_problem(challenge, Action.SUBMIT, doing)


def why_cannot_support(user: Any, idea: Idea) -> str:
    """Return why ``user`` cannot support ``idea`` now, or ""."""
    doing = _("support ideas")
    if idea.status == IdeaStatus.MERGED:
        return _("This idea was merged into another. Support that one instead.")
    if idea.status == IdeaStatus.WITHDRAWN:
        return _("This idea was withdrawn by its author, so it cannot be supported.")
    if idea.is_hidden:
        return _("This idea is hidden by a moderator, so it cannot be supported.")
    if not can_act(user, idea.challenge, Action.SUPPORT):
        return _eligibility_problem(user, idea.challenge, doing) or _phase_problem(
            idea.challenge, Action.SUPPORT, doing
        )
    if is_idea_author(user, idea) and not idea.challenge.allow_self_support:
        return _("You cannot support your own idea in this challenge.")
    return ""
