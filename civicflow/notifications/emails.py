"""The emails notifications send: one for a notification, or a weekly digest of several.

Every email is plain text, links to what it is about, and ends with a one-click unsubscribe
link, also given in the RFC 8058 ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` headers so
that mail programs can offer their own unsubscribe button.
"""

from __future__ import annotations

import email.message
import email.policy
import re
from collections.abc import Sequence
from email.policy import Policy
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from civicflow.notifications import kinds, links
from civicflow.notifications.models import Notification
from civicflow.notifications.tokens import unsubscribe_token

# How many notifications a digest lists; it says how many more there are and links to them.
DIGEST_SHOWN = 50


class NotificationEmail(EmailMessage):
    """A plain-text email whose header lines are never folded.

    Python folds a header line longer than 78 characters, and a long address with no space in
    it can only be folded by encoding it (RFC 2047), which mail programs do not read in
    ``List-Unsubscribe``. Lines up to 998 characters are allowed (RFC 5322), so none is folded.
    """

    def message(self, *, policy: Policy | None = None) -> email.message.EmailMessage:
        unfolded = (policy or email.policy.default).clone(max_line_length=998)
        return super().message(policy=unfolded)


def _subject(text: str) -> str:
    """Return ``text`` as a one-line subject of reasonable length."""
    line = re.sub(r"\s+", " ", text).strip()
    return line if len(line) <= 150 else f"{line[:149].rstrip()}…"


def _message(
    *,
    subject: str,
    template: str,
    context: dict[str, Any],
    to: str,
    groups: Sequence[str],
    user_id: int,
) -> EmailMessage:
    unsubscribe_url = links.absolute_reverse(
        "notifications:unsubscribe", token=unsubscribe_token(user_id=user_id, groups=groups)
    )
    body = render_to_string(
        template,
        {
            **context,
            "service_name": settings.CIVICFLOW_SERVICE_NAME,
            "settings_url": links.absolute_reverse("notifications:settings"),
            "unsubscribe_url": unsubscribe_url,
        },
    ).strip()
    return NotificationEmail(
        subject=_subject(subject),
        body=f"{body}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def notification_email(notification: Notification) -> EmailMessage:
    """Return the email that tells the recipient about ``notification`` straight away."""
    group = kinds.group_of(notification.kind)
    reason = _(
        "You are getting this email because your notification settings say to email you "
        "straight away about %(group)s."
    ) % {"group": str(group.label).lower()}
    return _message(
        subject=f"{settings.CIVICFLOW_SERVICE_NAME}: {notification.title}",
        template="notifications/email/notification.txt",
        context={
            "title": notification.title,
            "body": notification.body.strip(),
            "link": links.absolute(notification.url),
            "reason": reason,
        },
        to=notification.recipient.email,
        groups=[group.key],
        user_id=notification.recipient_id,
    )


def digest_email(user: Any, notifications: Sequence[Notification]) -> EmailMessage:
    """Return the weekly digest email that lists ``notifications`` (newest first), by group."""
    shown = list(notifications[:DIGEST_SHOWN])
    sections = []
    for group in kinds.GROUPS:
        items = [
            {"title": notification.title, "link": links.absolute(notification.url)}
            for notification in shown
            if kinds.group_of(notification.kind).key == group.key
        ]
        if items:
            sections.append({"label": f"{group.label} ({len(items)})", "items": items})
    groups = sorted({kinds.group_of(notification.kind).key for notification in notifications})
    total = len(notifications)
    return _message(
        subject=_("%(service)s: your weekly summary")
        % {"service": settings.CIVICFLOW_SERVICE_NAME},
        template="notifications/email/digest.txt",
        context={
            "name": user.name.split(" ")[0] if user.name else "",
            "total": total,
            "sections": sections,
            "more": total - len(shown),
            "list_url": links.absolute_reverse("notifications:list"),
            "reason": _(
                "You are getting this email because your notification settings say to send "
                "you a weekly email digest."
            ),
        },
        to=user.email,
        groups=groups,
        user_id=user.pk,
    )
