"""The Method of Equal Shares, in exact arithmetic and fast enough for a whole city.

Every voter starts with an equal share of the budget. In each round the project that its
supporters can pay for with the smallest payment per unit of utility, ``rho``, is bought: each
supporter pays ``rho`` times their utility, or all they have left if that is less. Rounds go on
until no project's supporters have enough money left between them.

How it stays exact: money is scaled to integers, and voters' budgets are integers over one
common denominator. When a purchase needs a finer denominator, older budgets are scaled up when
they are next read. Python integers never overflow and nothing is rounded; ``numpy`` only
handles integer ids, counts and sort keys.

How it stays fast:

* Voters with identical ballots form one *class* with a weight; only classes are counted.
* Budgets take fewer distinct values than there are classes (all voters start equal, and the
  supporters of a project who can afford it all pay the same per unit of utility), so a class
  holds the *id* of its budget, and a project's supporters are summarised by the distinct
  budgets among them. Each budget has an integer sort key (``floor(2**62 * budget / share)``,
  exact ties sorted again exactly), so finding ``rho`` sorts machine integers, and walks in
  Python only the budgets of the supporters who cannot pay in full.
* ``rho`` never falls as budgets fall, so a project's last ``rho`` is a lower bound: projects wait
  in a heap keyed by it, and only the one on top is looked at again, and only if one of its
  supporters has paid for something since.

Completions count again and again with a larger starting share, and skip shares that certainly
give the outcome just counted, in two ways:

* Along a fixed sequence of purchases, with the same supporters paying in full, every budget and
  every ``rho`` is an affine function of the share. A count can follow those functions and note
  the smallest growth of the share at which one of its comparisons could turn out otherwise
  (:attr:`MesRun.stable_for`); below it the outcome is the same.
* Along a fixed sequence of purchases, a larger share leaves every voter at least as much money
  after every round, so every ``rho`` is at most what it was. If in every round of a count the
  same project wins as in a count from a smaller share, and its ``rho`` there is below what every
  other project needs here, every share in between gives the same outcome
  (:attr:`MesRun.same_between`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain

import numpy as np
import numpy.typing as npt

from civicflow.budgets.counting.instance import Instance, TieBreak, Utility
from civicflow.budgets.counting.mes_count import MesCount
from civicflow.budgets.counting.mes_fast import FastCount

IntArray = npt.NDArray[np.int64]
TieKey = tuple[Fraction | str, ...]
Entry = tuple[Fraction, TieKey, int]


def tie_key(project_id: str, cost: Fraction, tie_break: TieBreak) -> TieKey:
    """Return the key that orders equally good projects: the smallest goes first."""
    if tie_break is TieBreak.MIN_COST:
        return (cost, project_id)
    if tie_break is TieBreak.MAX_COST:
        return (-cost, project_id)
    return (project_id,)


def split_cost(
    cost: Fraction,
    budgets: Sequence[Fraction],
    utilities: Sequence[Fraction] | None = None,
) -> list[Fraction] | None:
    """Split ``cost`` among supporters as the Method of Equal Shares does; None if they cannot.

    Each supporter pays ``rho`` times their utility (1 each unless ``utilities`` are given), or
    all of their budget if that is less, with ``rho`` as small as possible. Return the payments
    in the order of ``budgets``.
    """
    weights = list(utilities) if utilities is not None else [Fraction(1)] * len(budgets)
    order = sorted(
        (i for i in range(len(budgets)) if weights[i] > 0), key=lambda i: budgets[i] / weights[i]
    )
    if sum((budgets[i] for i in order), Fraction(0)) < cost or (cost > 0 and not order):
        return None
    paid, rich = Fraction(0), sum((weights[i] for i in order), Fraction(0))
    rho = Fraction(0)
    for i in order:
        rho = (cost - paid) / rich
        if rho * weights[i] <= budgets[i]:
            break
        paid += budgets[i]
        rich -= weights[i]
    return [
        min(budget, rho * weight) if weight > 0 else Fraction(0)
        for budget, weight in zip(budgets, weights, strict=True)
    ]


@dataclass(frozen=True)
class MesRun:
    """The outcome of one count: project indexes in the order bought, and each one's ``rho``.

    Projects that cost nothing and have supporters come first, with no ``rho``. ``same_between``
    says that every share from the reference count's up to this one gives this outcome.
    ``stable_for``, when asked for, is how much the share (in the instance's currency) can grow
    with this outcome certain: every share in ``[share, share + stable_for)`` gives it; None
    means any amount.
    """

    selected: tuple[int, ...]
    rhos: tuple[Fraction | None, ...]
    same_between: bool = False
    stable_for: Fraction | None = Fraction(0)


class MesElection:
    """An election prepared for counting with the Method of Equal Shares, at any share."""

    def __init__(self, instance: Instance, utility: Utility, tie_break: TieBreak) -> None:
        self.utility = utility
        self.points = utility is Utility.POINTS
        self.project_ids = sorted(instance.costs)
        self.n_voters = len(instance.ballots)
        costs = [instance.costs[project_id] for project_id in self.project_ids]
        self.money_scale = math.lcm(instance.budget.denominator, *(c.denominator for c in costs))
        self.costs = [int(c * self.money_scale) for c in costs]
        self.tie_keys = [
            tie_key(project_id, cost, tie_break)
            for project_id, cost in zip(self.project_ids, costs, strict=True)
        ]
        self.utility_scale = 1
        if self.points:
            self.utility_scale = math.lcm(
                1, *{p.denominator for ballot in instance.ballots for p in ballot.values()}
            )
        self._prepare(self._classes(instance.ballots))
        # rho = payment per supporter / this, when every supporter has the same utility.
        self.rho_divisor = [c if utility is Utility.COST else 1 for c in self.costs]
        n_projects = len(self.project_ids)
        # A free project is bought first if it gives someone some utility; with the cost
        # utility it gives none.
        self.free = sorted(
            (
                j
                for j in range(n_projects)
                if self.costs[j] == 0 and self.total_utility[j] and utility is not Utility.COST
            ),
            key=self.tie_keys.__getitem__,
        )
        self.candidates = [
            j for j in range(n_projects) if self.costs[j] > 0 and self.total_utility[j] > 0
        ]
        self._touched: dict[int, list[int]] = {}

    def _classes(self, ballots: Sequence[Mapping[str, Fraction]]) -> Counter[tuple[int, ...]]:
        """Group identical ballots: a key lists project indexes, then utilities if not all 1."""
        index = {project_id: j for j, project_id in enumerate(self.project_ids)}.__getitem__
        if not self.points:
            return Counter(tuple(sorted(map(index, ballot))) for ballot in ballots)
        scale = self.utility_scale
        keys: Counter[tuple[int, ...]] = Counter()
        for ballot in ballots:
            pairs = sorted(
                (index(p), int(points * scale)) for p, points in ballot.items() if points > 0
            )
            keys[tuple(j for j, _ in pairs) + tuple(u for _, u in pairs)] += 1
        return keys

    def _prepare(self, classes: Counter[tuple[int, ...]]) -> None:
        """Lay the classes out as arrays: each project's supporting classes and utilities."""
        n_projects = len(self.project_ids)
        keys = list(classes)
        self.weights: IntArray = np.array([classes[k] for k in keys] or [0], dtype=np.int64)
        self.weights_f = self.weights.astype(np.float64)
        lengths = np.array([len(k) for k in keys] or [0], dtype=np.int64)
        if self.points:
            lengths //= 2
            halves = [len(k) // 2 for k in keys]
            projects = np.fromiter(
                chain.from_iterable(k[:h] for k, h in zip(keys, halves, strict=True)),
                dtype=np.int64,
            )
            utilities = np.fromiter(
                chain.from_iterable(k[h:] for k, h in zip(keys, halves, strict=True)),
                dtype=np.int64,
            )
        else:
            projects = np.fromiter(chain.from_iterable(keys), dtype=np.int64)
            utilities = np.ones(len(projects), dtype=np.int64)
        class_of = np.repeat(np.arange(len(keys), dtype=np.int64), lengths[: len(keys)])
        self.class_pointer: IntArray = np.concatenate(([0], np.cumsum(lengths[: len(keys)])))
        self.class_projects: IntArray = projects
        order = np.argsort(projects, kind="stable")
        bounds = np.searchsorted(projects[order], np.arange(n_projects + 1))
        self.supporters: list[IntArray] = []
        self.utilities: list[IntArray] = []
        for j in range(n_projects):
            chosen = order[bounds[j] : bounds[j + 1]]
            self.supporters.append(class_of[chosen])
            self.utilities.append(utilities[chosen])
        self.supporter_weights = [self.weights[s] for s in self.supporters]
        self.unweighted = [bool((w == 1).all()) for w in self.supporter_weights]
        self.total_weight = [int(w.sum()) for w in self.supporter_weights]
        self.total_utility = [
            int((w * u).sum()) for w, u in zip(self.supporter_weights, self.utilities, strict=True)
        ]
        self.utility_bound = int(utilities.max()) + 1 if len(utilities) else 2
        self.utility_lcm = [math.lcm(1, *np.unique(u).tolist()) for u in self.utilities]

    def touched_by(self, j: int) -> list[int]:
        """Return the projects that share at least one supporter with project ``j``."""
        touched = self._touched.get(j)
        if touched is None:
            supporters = self.supporters[j]
            starts = self.class_pointer[supporters]
            lengths = self.class_pointer[supporters + 1] - starts
            offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
            positions = offsets + np.arange(int(lengths.sum()), dtype=np.int64)
            touched = np.unique(self.class_projects[positions]).tolist()
            self._touched[j] = touched
        return touched

    def run(
        self,
        share: Fraction,
        *,
        reference: MesRun | None = None,
        stable_within: Fraction | None = None,
        exact: bool = False,
    ) -> MesRun:
        """Count with every voter starting from ``share`` of the instance's currency.

        With ``reference``, a count from a smaller share, also check whether every share in
        between gives the same outcome (:attr:`MesRun.same_between`). With ``stable_within``,
        also work out how far the share can grow with the same outcome
        (:attr:`MesRun.stable_for`), as long as that is more than ``stable_within``.
        """
        if self.n_voters == 0:
            return MesRun((), (), reference is not None and not reference.selected, None)
        if not (exact or self.points or reference is not None or stable_within is not None):
            fast = FastCount(self, share * self.money_scale)
            return MesRun(*fast.run())
        limit = None if stable_within is None else stable_within * self.money_scale
        count = MesCount(self, share * self.money_scale, reference, limit)
        selected, rhos = count.run()
        same = count.reference is not None and len(selected) == len(count.reference.selected)
        stable_for: Fraction | None = Fraction(0)
        if count.certify:
            stable_for = None if count.stable is None else count.stable / self.money_scale
        return MesRun(selected, rhos, same, stable_for)

    def rho_in_currency(self, rho: Fraction) -> Fraction:
        """Return a ``rho`` of :meth:`run` in the instance's currency (per point for points)."""
        if self.utility is Utility.COST:
            return rho
        return rho * self.utility_scale / self.money_scale
