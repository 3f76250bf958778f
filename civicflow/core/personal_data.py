"""What each app holds about a person: the registry behind data downloads and erasure.

``accounts`` answers a person's request for their data and closes their account, but the
layering rule keeps it from importing the domain apps that hold the rest. So each app
registers, from its ``AppConfig.ready``, a name for each kind of personal data it keeps, a
function that returns it as plain data for the download, and a function that erases it.
See ADR 0011.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalData:
    """One kind of personal data an app keeps, and how to download and erase it."""

    name: str
    # Return what is held about the person as JSON-ready data (lists, dicts, text, numbers).
    export: Callable[[Any], Any]
    # Delete or anonymise it. Called inside the erasure's transaction, before the account
    # itself is anonymised, so the person's name and email address can still be read.
    erase: Callable[[Any], None] | None = None


_REGISTRY: dict[str, PersonalData] = {}


def register_personal_data(
    name: str,
    *,
    export: Callable[[Any], Any],
    erase: Callable[[Any], None] | None = None,
) -> None:
    """Say that an app keeps personal data called ``name``, and how to export and erase it.

    Registering the same name again replaces it (``ready`` may run more than once in tests).
    """
    if not name or not name.replace("_", "").isalnum() or not name.islower():
        raise ValueError(f"Name personal data in lower case with underscores, not {name!r}.")
    _REGISTRY[name] = PersonalData(name=name, export=export, erase=erase)


def registered_personal_data() -> list[PersonalData]:
    """Return every registered kind of personal data, in the order the apps registered them."""
    return list(_REGISTRY.values())


def personal_data_export(user: Any) -> dict[str, Any]:
    """Return every registered kind of personal data about ``user``, by name."""
    return {entry.name: entry.export(user) for entry in _REGISTRY.values()}


def personal_data_erase(user: Any) -> None:
    """Erase every registered kind of personal data about ``user``.

    Call it inside a transaction: if one app fails, nothing is erased.
    """
    for entry in _REGISTRY.values():
        if entry.erase is not None:
            entry.erase(user)
