"""How django-allauth sends mail: after the transaction commits, through the task queue."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from civicflow.accounts.tasks import send_email


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("Enter a correct email address and password"),
        "enter_current_password": _("Enter your current password"),
        "incorrect_code": _("The code is not right. Check your authenticator app and try again"),
        "incorrect_password": _("The password is not right"),
        "invalid_or_expired_key": _("This link has expired or was already used"),
        "invalid_password_reset": _(
            "This link to reset your password has expired or was already used. Ask for a new one"
        ),
        "email_taken": _("An account already uses this email address. Sign in instead"),
        "too_many_login_attempts": _(
            "Too many failed attempts to sign in. Wait 5 minutes and try again"
        ),
        "unknown_email": _("No account uses this email address"),
        "rate_limited": _("You have asked too many times. Wait a few minutes and try again"),
        "same_as_current": _("Enter a value different from the current one"),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
        payload = {
            "subject": message.subject,
            "body": message.body,
            "from_email": message.from_email,
            "to": list(message.to),
            "alternatives": [
                [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
            ],
        }
        transaction.on_commit(lambda: send_email.enqueue(payload))
