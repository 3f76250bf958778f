"""Signed unsubscribe tokens: the one-click link at the foot of every email.

A token names a person and the groups of notifications the email was about (none means every
email). It is signed with the instance's secret key and a salt of its own, so it cannot be
forged or altered, nor reused as any other signed value. It does not expire: an old email's
link keeps working, as people expect of an unsubscribe link.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core import signing

from civicflow.notifications import kinds

SALT = "civicflow.notifications.unsubscribe"


class BadToken(ValueError):
    """Raised for a token that was not made by ``unsubscribe_token`` or was altered."""


@dataclass(frozen=True)
class Unsubscribe:
    """What a valid token asks for: stop emailing ``user_id`` about ``groups`` (all if empty)."""

    user_id: int
    groups: tuple[str, ...]


def unsubscribe_token(*, user_id: int, groups: Iterable[str] = ()) -> str:
    """Return the token that turns off email about ``groups`` (every email if none) for a person."""
    payload = {"u": user_id, "g": sorted(set(groups))}
    return signing.Signer(salt=SALT).sign_object(payload, compress=True)


def unsubscribe_read(token: str) -> Unsubscribe:
    """Return what ``token`` asks for; raise ``BadToken`` if it is not one of ours, unaltered."""
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeError) as error:
        raise BadToken("This unsubscribe link is not valid.") from error
    if not isinstance(payload, dict):
        raise BadToken("This unsubscribe link is not valid.")
    user_id, groups = payload.get("u"), payload.get("g")
    if (
        not isinstance(user_id, int)
        or not isinstance(groups, list)
        or not all(isinstance(group, str) and kinds.group_get(group) for group in groups)
    ):
        raise BadToken("This unsubscribe link is not valid.")
    return Unsubscribe(user_id=user_id, groups=tuple(groups))
