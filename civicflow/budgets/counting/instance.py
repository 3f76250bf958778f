"""What a count takes in and gives back: plain data, exact numbers."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

#: Called as ``progress(stage, done, total)`` while a long count runs; ``total`` may be None.
ProgressCallback = Callable[[str, int, int | None], None]


class Rule(StrEnum):
    """Counting rules."""

    GREEDY = "greedy"
    MES = "mes"


class Utility(StrEnum):
    """What a voter gains from a project they support, for the Method of Equal Shares."""

    COST = "cost"
    APPROVAL = "approval"
    POINTS = "points"


class Completion(StrEnum):
    """How the Method of Equal Shares spends the money it leaves."""

    NONE = "none"
    ADD1 = "add1"
    ADD1_GREEDY = "add1-greedy"
    INCREASE_GREEDY = "increase-greedy"


class TieBreak(StrEnum):
    """Which of two equally good projects goes first."""

    ID = "id"
    MIN_COST = "min-cost"
    MAX_COST = "max-cost"


class CountError(ValueError):
    """A count that cannot be made as asked (unknown project, points without points…)."""


@dataclass(frozen=True)
class Instance:
    """An election to count: the budget, each project's cost and every voter's ballot.

    A ballot maps the id of each project the voter chose to the points given to it; approval
    and ranked ballots give 1 to every project chosen. Empty ballots count as voters: they get
    their equal share of the budget and spend none of it.
    """

    budget: Fraction
    costs: Mapping[str, Fraction]
    ballots: Sequence[Mapping[str, Fraction]]
    has_points: bool = False

    def __post_init__(self) -> None:
        if self.budget < 0:
            raise CountError("The budget cannot be negative.")
        for project_id, cost in self.costs.items():
            if cost < 0:
                raise CountError(f"Project {project_id} has a negative cost.")
        for number, ballot in enumerate(self.ballots, start=1):
            for project_id in ballot:
                if project_id not in self.costs:
                    raise CountError(
                        f"Ballot {number} chooses project {project_id}, which is not on the list."
                    )


@dataclass(frozen=True)
class MesStep:
    """One project bought by the Method of Equal Shares.

    ``rho`` is the most any supporter paid per unit of utility: currency per currency with the
    cost utility (its inverse is the *effective vote count*), currency per project with the
    approval utility, currency per point with the points utility.
    """

    project_id: str
    rho: Fraction


@dataclass(frozen=True)
class Outcome:
    """The result of a count: the projects selected, in the order they were selected."""

    selected: tuple[str, ...]
    total_cost: Fraction
    budget: Fraction
    rule: Rule
    utility: Utility
    completion: Completion
    tie_break: TieBreak
    #: The Method of Equal Shares' purchases in its final round (empty for ``greedy``).
    mes_steps: tuple[MesStep, ...] = ()
    #: The budget per voter the final round of the Method of Equal Shares started from.
    mes_share: Fraction | None = None
    #: How many times the Method of Equal Shares was counted (more than one with completions).
    mes_counts: int = 0

    @property
    def money_left(self) -> Fraction:
        """Return the part of the budget not spent."""
        return self.budget - self.total_cost
