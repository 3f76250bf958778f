"""Amounts of money as every app's pages write them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from civicflow.core.money import format_money


@pytest.mark.parametrize(
    ("amount", "currency", "pence", "expected"),
    [
        (1_250_000, "GBP", False, "£1,250,000"),
        (-60, "GBP", False, "-£60"),
        (25_000, "CHF", False, "25,000 CHF"),
        (25_000, "eur", False, "€25,000"),
        (Decimal("12.5"), "GBP", None, "£12.50"),
        (Decimal("1250"), "GBP", None, "£1,250"),
        (Decimal("-60.18"), "GBP", True, "-£60.18"),
        (Decimal("3"), "USD", True, "$3.00"),
    ],
)
def test_amounts_are_written_with_their_currency(amount, currency, pence, expected):
    assert format_money(amount, currency, pence=pence) == expected
