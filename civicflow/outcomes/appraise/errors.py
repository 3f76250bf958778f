"""The one error the appraisal arithmetic raises: bad input, with the field it is about."""

from __future__ import annotations


class AppraisalInputError(ValueError):
    """Input that cannot be appraised. ``errors`` maps each field (``costs[2].year``) to what is
    wrong with it and how to put it right; nothing is computed when one is raised."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


class Problems:
    """Collect the problems found while reading input, then raise them together."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_any(self) -> None:
        if self.errors:
            raise AppraisalInputError(self.errors)
