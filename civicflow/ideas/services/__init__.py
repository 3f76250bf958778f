"""Writes about ideas: put forward, edit, withdraw, decide, support, co-write, merge, hide.

Every service validates first, then changes data in one transaction that also writes the audit
log and the notifications. Services that change an idea's supporters lock the idea's row
first, so its supporters count stays exact when many people support it at once, and so that
every writer takes its locks in the same order (the idea, then its supports).
"""

from civicflow.ideas.services.coauthors import (
    coauthor_accept,
    coauthor_decline,
    coauthor_invite,
    coauthor_withdraw,
)
from civicflow.ideas.services.decisions import idea_set_hidden, idea_set_status
from civicflow.ideas.services.merging import idea_merge, idea_merge_undo
from civicflow.ideas.services.support import (
    ALREADY_SUPPORTED,
    NOT_SUPPORTED,
    idea_support,
    idea_unsupport,
    supports_withdraw_all,
)
from civicflow.ideas.services.writing import (
    DEFAULT_LIMIT_PER_HOUR,
    EDITABLE,
    idea_submit,
    idea_update,
    idea_withdraw,
)

__all__ = [
    "ALREADY_SUPPORTED",
    "DEFAULT_LIMIT_PER_HOUR",
    "EDITABLE",
    "NOT_SUPPORTED",
    "coauthor_accept",
    "coauthor_decline",
    "coauthor_invite",
    "coauthor_withdraw",
    "idea_merge",
    "idea_merge_undo",
    "idea_set_hidden",
    "idea_set_status",
    "idea_submit",
    "idea_support",
    "idea_unsupport",
    "idea_update",
    "idea_withdraw",
    "supports_withdraw_all",
]
