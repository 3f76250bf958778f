"""Background tasks for accounts."""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task()
def send_email(message: dict[str, Any]) -> int:
    """Send one email built by a service; return how many were sent."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message.get("from_email"),
        to=message["to"],
    )
    for content, mimetype in message.get("alternatives", []):
        email.attach_alternative(content, mimetype)
    return email.send()
