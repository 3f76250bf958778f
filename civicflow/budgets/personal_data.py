"""What the budgets app holds about a person, for their data download and for erasure.

A person's online ballot is tied to their account until they are erased; erasure keeps the
ballot in the count but cuts it from the account, as a paper ballot is.
"""

from __future__ import annotations

from typing import Any

from civicflow.budgets.models import Ballot
from civicflow.core.personal_data import register_personal_data


def _ballots(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "budget": title,
            "choices": choices,
            "cast_at": updated.isoformat(),
        }
        for title, choices, updated in Ballot.objects.filter(voter=user)
        .order_by("id")
        .values_list("budget__title", "choices", "updated_at")
    ]


def _erase_ballots(user: Any) -> None:
    Ballot.objects.filter(voter=user).update(voter=None)


def register() -> None:
    """Tell accounts what the budgets app holds about a person."""
    register_personal_data("budget_ballots", export=_ballots, erase=_erase_ballots)
