"""What every idea service shares: the audit log's names for idea actions, who hears about
a decision, and the rule that merged and withdrawn ideas are closed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicflow.core.audit import register_actions
from civicflow.ideas import selectors
from civicflow.ideas.models import Idea, IdeaStatus
from civicflow.notifications.kinds import IDEAS, register_kinds

register_actions(
    {
        "idea.submitted": gettext_lazy("Idea put forward"),
        "idea.edited": gettext_lazy("Idea changed"),
        "idea.withdrawn": gettext_lazy("Idea withdrawn by its author"),
        "idea.status_changed": gettext_lazy("Idea status changed, with feedback"),
        "idea.supported": gettext_lazy("Idea supported"),
        "idea.support_withdrawn": gettext_lazy("Support for an idea withdrawn"),
        "idea.coauthor_invited": gettext_lazy("Co-author invited"),
        "idea.coauthor_accepted": gettext_lazy("Co-author invitation accepted"),
        "idea.coauthor_declined": gettext_lazy("Co-author invitation declined"),
        "idea.coauthor_withdrawn": gettext_lazy("Co-author invitation withdrawn"),
        "idea.merged": gettext_lazy("Duplicate idea merged into another"),
        "idea.merge_undone": gettext_lazy("Merge of ideas undone"),
        "idea.hidden": gettext_lazy("Idea hidden by a moderator"),
        "idea.restored": gettext_lazy("Hidden idea restored"),
    }
)


register_kinds(
    {
        "idea.edited": gettext_lazy("A co-author changed an idea you write"),
        "idea.withdrawn": gettext_lazy("An idea you support or co-write was withdrawn"),
        "idea.coauthor_answered": gettext_lazy("Someone answered your invitation to co-write"),
        "idea.coauthor_withdrawn": gettext_lazy("You are no longer invited to co-write an idea"),
        "idea.merged": gettext_lazy("An idea you support or write was merged into another"),
        "idea.merge_undone": gettext_lazy("A merge of ideas you write was undone"),
    },
    group=IDEAS,
)


def short(text: str, limit: int = 80) -> str:
    """Return ``text`` cut to ``limit`` characters, for a notification's title."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def audience(idea: Idea) -> set[int]:
    """Return who hears about a decision on ``idea``: its authors and its supporters."""
    return selectors.author_ids(idea) | set(selectors.supporter_ids(idea))


def check_open(idea: Idea, doing: str) -> None:
    """Refuse to ``doing`` to a merged or withdrawn idea, saying why."""
    if idea.status == IdeaStatus.MERGED:
        raise ValidationError(
            _("This idea was merged into another, so you cannot %(doing)s.") % {"doing": doing}
        )
    if idea.status == IdeaStatus.WITHDRAWN:
        raise ValidationError(
            _("This idea was withdrawn, so you cannot %(doing)s.") % {"doing": doing}
        )
