"""The arithmetic of an effect: a before and an after figure, their change and percentage change.

Plain data in, plain data out: no Django and no database. Figures are ``Decimal``, never
``float``, so 10 falls a month becoming 2 is exactly down 80%, and 0.1 + 0.2 is 0.3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Figures are 0 or more, below ten thousand million, with at most 4 decimal places.
MAX_FIGURE = Decimal(10) ** 10
MAX_PLACES = 4
PERCENT_STEP = Decimal("0.1")
MINUS = "\u2212"  # the minus sign, not a hyphen, for people to read

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


class FigureError(ValueError):
    """A figure that is not a number civicflow can record; the message says how to fix it."""


def parse_figure(value: object, *, name: str = "the figure") -> Decimal:
    """Return ``value`` (text, a whole number or a Decimal) as a figure.

    Text may have commas between thousands ("12,000"). Raise ``FigureError``, with a message
    about ``name``, if it is empty, not a number, negative, too large or too precise. Floats
    are refused: most decimal fractions cannot be held in one exactly.
    """
    named = name[:1].upper() + name[1:]
    not_a_number = f"Enter {name} as a number, like 10 or 2.5"
    if isinstance(value, bool | float):
        raise FigureError(f"Enter {name} as text or a decimal, not a floating-point number")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        text = value.strip().replace(",", "")
        if not text:
            raise FigureError(f"Enter {name}")
        if text.startswith("-") and _NUMBER.fullmatch(text[1:]):
            raise FigureError(f"{named} must be 0 or more")
        if not _NUMBER.fullmatch(text.removeprefix("+")):
            raise FigureError(not_a_number)
        number = Decimal(text.removeprefix("+"))
    else:
        raise FigureError(not_a_number)
    if not number.is_finite():
        raise FigureError(not_a_number)
    if number < 0:
        raise FigureError(f"{named} must be 0 or more")
    if number >= MAX_FIGURE:
        raise FigureError(f"{named} must be smaller than 10,000,000,000")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise FigureError(f"{named} must have no more than {MAX_PLACES} decimal places")
    return number + 0  # a plain Decimal, whatever subclass or sign of zero came in


def format_figure(number: Decimal) -> str:
    """Return ``number`` for people: no trailing zeros, commas between thousands (12,000.5)."""
    text = f"{abs(number).normalize():,f}"
    return f"{MINUS}{text}" if number < 0 else text


@dataclass(frozen=True)
class Effect:
    """What a change did, measured in ``unit``: the figure before it and the figure after."""

    before: Decimal
    after: Decimal
    unit: str

    @property
    def change(self) -> Decimal:
        """Return after minus before: negative when the figure went down."""
        return self.after - self.before

    @property
    def percent_change(self) -> Decimal | None:
        """Return the change as a percentage of the before figure, to one decimal place.

        There is none when the before figure is 0: nothing can be a percentage of nothing.
        """
        if self.before == 0:
            return None
        return (self.change * 100 / self.before).quantize(PERCENT_STEP, rounding=ROUND_HALF_UP)

    @property
    def direction(self) -> str:
        """Return "down", "up" or "same"."""
        if self.after < self.before:
            return "down"
        if self.after > self.before:
            return "up"
        return "same"

    @property
    def before_text(self) -> str:
        return format_figure(self.before)

    @property
    def after_text(self) -> str:
        return format_figure(self.after)

    @property
    def change_text(self) -> str:
        """Return the change with its sign, like "−8" or "+2.5"."""
        text = format_figure(self.change)
        return f"+{text}" if self.change > 0 else text

    @property
    def percent_text(self) -> str:
        """Return the size of the percentage change, without its sign, like "80%"; or ""."""
        percent = self.percent_change
        return "" if percent is None else f"{format_figure(abs(percent))}%"

    @property
    def signed_percent_text(self) -> str:
        """Return the percentage change with its sign, like "−80%" or "+25%"; or ""."""
        percent = self.percent_change
        if percent is None:
            return ""
        text = f"{format_figure(percent)}%"
        return f"+{text}" if percent > 0 else text
