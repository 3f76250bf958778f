"""Checks the outcomes services share: who may record, and reading exact numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from civicflow.outcomes import permissions
from civicflow.outcomes.appraise.numbers import to_decimal
from civicflow.outcomes.models import VALUE_DIGITS, VALUE_PLACES

VALUE_LIMIT = Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES)
MONEY_LIMIT = Decimal(10) ** 12


def require_recorder(actor: Any, owner: Any) -> None:
    if not permissions.can_record_outcomes(actor, owner):
        raise PermissionDenied(
            _(
                "Only the initiative's owner and delivery lead, innovation leads and "
                "administrators record its outcomes."
            )
        )


def value_problem(value: Any) -> tuple[Decimal | None, str]:
    """Read a KPI value; return it, or None and what is wrong with it."""
    number = to_decimal(value)
    if number is None:
        return None, _("Enter a number, for example 42 or 3.5.")
    if abs(number) >= VALUE_LIMIT:
        return None, _("Enter a number below 100,000,000,000,000.")
    if number != number.quantize(Decimal(1).scaleb(-VALUE_PLACES)):
        return None, _("Enter a number with at most 4 decimal places.")
    return number, ""


def money_problem(value: Any, *, required: bool = True) -> tuple[Decimal | None, str]:
    """Read an amount of money in pounds and pence; return it, or None and what is wrong."""
    if value is None or value == "":
        return None, _("Enter an amount in pounds, for example 12500.") if required else ""
    number = to_decimal(value)
    if number is None:
        return None, _("Enter an amount in pounds, for example 12500.")
    if number < 0:
        return None, _("Enter an amount of 0 or more.")
    if number >= MONEY_LIMIT or number != number.quantize(Decimal("0.01")):
        return None, _("Enter an amount in pounds and pence, below £1,000,000,000,000.")
    return number, ""
