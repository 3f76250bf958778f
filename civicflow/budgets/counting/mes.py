"""The Method of Equal Shares, in exact arithmetic and fast enough for a whole city.

Every voter starts with an equal share of the budget. In each round the project that its
supporters can pay for with the smallest payment per unit of utility, ``rho``, is bought: each
supporter pays ``rho`` times their utility, or all they have left if that is less. Rounds go on
until no project's supporters have enough money left between them.

How it stays exact: money is scaled to integers, and voters' budgets are integers over one
common denominator ``D``. When a purchase needs a finer denominator, every budget is multiplied
up. Python integers never overflow and nothing is rounded; ``numpy`` only moves integer ids.

How it stays fast:

* Voters with identical ballots form one *class* with a weight; only classes are counted.
* Budgets take few distinct values (all voters start equal, and the supporters of a project who
  can afford it all pay the same per unit of utility), so a class holds the *id* of its budget
  value, and a project's supporters are summarised by the distinct values among them. The ids
  are kept ranked by value, so finding ``rho`` sorts small integer ranks, and only walks the
  values of the supporters who cannot pay in full.
* ``rho`` never falls as budgets fall, so a project's last ``rho`` is a lower bound: projects wait
  in a heap keyed by it, and only the one on top is looked at again, and only if one of its
  supporters has paid for something since.

Completions count again and again with a larger starting share. Along a fixed sequence of
purchases, a larger share leaves every voter at least as much money after every round, so every
``rho`` is at most what it was. A count can therefore be checked against an earlier count from a
smaller share (:meth:`MesElection.run` with ``reference``): if in every round the same project
wins, and its ``rho`` in the earlier count is below what every other project needs in this one,
then every share in between gives the same outcome, and completions need not count them.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain

import numpy as np
import numpy.typing as npt

from civicflow.budgets.counting.instance import Instance, TieBreak, Utility

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
    """

    selected: tuple[int, ...]
    rhos: tuple[Fraction | None, ...]
    same_between: bool = False


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

    def run(self, share: Fraction, *, reference: MesRun | None = None) -> MesRun:
        """Count with every voter starting from ``share`` of the instance's currency.

        With ``reference``, a count from a smaller share, also check whether every share in
        between gives the same outcome (:attr:`MesRun.same_between`).
        """
        if self.n_voters == 0:
            return MesRun((), (), reference is not None and not reference.selected)
        count = _Count(self, share * self.money_scale, reference)
        selected, rhos = count.run()
        same = count.reference is not None and len(selected) == len(count.reference.selected)
        return MesRun(selected, rhos, same)

    def rho_in_currency(self, rho: Fraction) -> Fraction:
        """Return a ``rho`` of :meth:`run` in the instance's currency (per point for points)."""
        if self.utility is Utility.COST:
            return rho
        return rho * self.utility_scale / self.money_scale


class _Count:
    """One count. Budgets are ids into ``values``: numerators over ``denominator``."""

    def __init__(self, election: MesElection, share: Fraction, reference: MesRun | None) -> None:
        self.election = election
        self.share = share
        self.denominator = share.denominator
        self.values = [0, share.numerator]
        self.budget_ids: IntArray = np.ones(len(election.weights), dtype=np.int64)
        #: Budget ids in increasing order of value, and each id's place in that order.
        self.order: IntArray = np.array([0, 1], dtype=np.int64)
        self.rank: IntArray = np.array([0, 1], dtype=np.int64)
        self.compact_at = 2 * len(self.budget_ids) + 1024
        #: The count being checked against; None once it no longer matches.
        self.reference = reference
        self.fresh = [False] * len(election.project_ids)
        self.payment: dict[int, Fraction] = {}

    def run(self) -> tuple[tuple[int, ...], tuple[Fraction | None, ...]]:
        election = self.election
        selected: list[int] = list(election.free)
        rhos: list[Fraction | None] = [None] * len(selected)
        fresh, payment = self.fresh, self.payment
        heap: list[Entry] = []
        for j in election.candidates:
            cost = election.costs[j]
            if election.points:
                # A lower bound; the first look at the project finds the real value.
                heap.append((Fraction(cost, election.total_utility[j]), election.tie_keys[j], j))
                continue
            weight = election.total_weight[j]
            if weight * self.share < cost:
                continue  # its supporters cannot afford it even with their whole shares
            payment[j] = Fraction(cost, weight)
            fresh[j] = True
            heap.append((payment[j] / election.rho_divisor[j], election.tie_keys[j], j))
        heapq.heapify(heap)
        while heap:
            rho, key, j = heapq.heappop(heap)
            if not fresh[j]:
                self._look_again(heap, key, j)
                continue
            if self.reference is not None:
                self._check(heap, len(selected), j, key)
            self._buy(j, payment.pop(j))
            selected.append(j)
            rhos.append(rho)
            for other in election.touched_by(j):
                fresh[other] = False
        return tuple(selected), tuple(rhos)

    def _look_again(self, heap: list[Entry], key: TieKey, j: int) -> None:
        """Evaluate project ``j`` again and put it back in the heap, unless it is out of reach."""
        found = self._evaluate(j)
        if found is not None:  # budgets only fall: an unaffordable project stays so
            self.payment[j], rho = found
            self.fresh[j] = True
            heapq.heappush(heap, (rho, key, j))

    def _check(self, heap: list[Entry], position: int, j: int, key: TieKey) -> None:
        """Check that round ``position`` buys what the reference bought, for every share between.

        From a smaller share, a project's ``rho`` is never lower; so if every other project
        needs more here than the winner needed in the reference, the winner wins between too.
        """
        reference = self.reference
        assert reference is not None
        if position >= len(reference.selected) or reference.selected[position] != j:
            self.reference = None
            return
        bar = (reference.rhos[position], key)
        while heap:
            top_rho, top_key, top = heap[0]
            if (top_rho, top_key) > bar:
                return
            if self.fresh[top]:
                self.reference = None
                return
            heapq.heappop(heap)
            self._look_again(heap, top_key, top)

    def _evaluate(self, j: int) -> tuple[Fraction, Fraction] | None:
        """Return project ``j``'s payment per unit of utility and its ``rho``, or None if its
        supporters cannot afford it."""
        if self.election.points:
            return self._evaluate_points(j)
        election = self.election
        ids = self.budget_ids[election.supporters[j]]
        totals = np.zeros(len(self.values), dtype=np.int64)
        if election.unweighted[j]:
            totals[: int(ids.max()) + 1] += np.bincount(ids)
        else:
            np.add.at(totals, ids, election.supporter_weights[j])
        totals[0] = 0
        present = np.flatnonzero(totals)
        present = present[np.argsort(self.rank[present])]
        weights = totals[present]
        cost = election.costs[j] * self.denominator
        values = self.values
        paid = 0
        rich = int(weights.sum())
        for budget_id, weight in zip(present.tolist(), weights.tolist(), strict=True):
            value = values[budget_id]
            if cost - paid <= value * rich:
                per_supporter = Fraction(cost - paid, rich * self.denominator)
                return per_supporter, per_supporter / election.rho_divisor[j]
            paid += value * weight
            rich -= weight
        return None

    def _evaluate_points(self, j: int) -> tuple[Fraction, Fraction] | None:
        election = self.election
        ids = self.budget_ids[election.supporters[j]]
        keys = ids * election.utility_bound + election.utilities[j]
        unique, inverse = np.unique(keys, return_inverse=True)
        if election.unweighted[j]:
            weights = np.bincount(inverse)
        else:
            weights = np.zeros(len(unique), dtype=np.int64)
            np.add.at(weights, inverse, election.supporter_weights[j])
        scale = election.utility_lcm[j]
        values = self.values
        rows = []
        for key, weight in zip(unique.tolist(), weights.tolist(), strict=True):
            budget_id, utility = divmod(key, election.utility_bound)
            if budget_id:
                value = values[budget_id]
                rows.append((value * (scale // utility), value, utility, weight))
        rows.sort()
        cost = election.costs[j] * self.denominator
        paid = 0
        rich = sum(row[2] * row[3] for row in rows)
        for _, value, utility, weight in rows:
            if (cost - paid) * utility <= value * rich:
                rho = Fraction(cost - paid, rich * self.denominator)
                return rho, rho
            paid += value * weight
            rich -= utility * weight
        return None

    def _buy(self, j: int, per_utility: Fraction) -> None:
        """Charge project ``j``'s supporters ``per_utility`` each (or all they have left)."""
        election = self.election
        price = per_utility * self.denominator
        finer = price.denominator
        if finer != 1:
            self.denominator *= finer
            self.values = [value * finer for value in self.values]
        price_int = price.numerator
        supporters = election.supporters[j]
        ids = self.budget_ids[supporters]
        values = self.values
        first_new = len(values)
        if election.points:
            keys = ids * election.utility_bound + election.utilities[j]
            unique, inverse = np.unique(keys, return_inverse=True)
            lefts = [
                values[key // election.utility_bound] - price_int * (key % election.utility_bound)
                for key in unique.tolist()
            ]
        else:
            unique, inverse = np.unique(ids, return_inverse=True)
            lefts = [values[key] - price_int for key in unique.tolist()]
        new_ids = []
        for left in lefts:
            if left > 0:
                new_ids.append(len(values))
                values.append(left)
            else:
                new_ids.append(0)
        self.budget_ids[supporters] = np.array(new_ids, dtype=np.int64)[inverse]
        self._rank_new(first_new)
        if len(values) > self.compact_at:
            self._compact()
            self.compact_at = 2 * len(self.values) + 1024

    def _rank_new(self, first_new: int) -> None:
        """Merge the budget values from ``first_new`` on into the order of values."""
        values = self.values
        if first_new == len(values):
            return
        fresh = sorted(range(first_new, len(values)), key=values.__getitem__)
        order = self.order.tolist()
        places = [bisect_left(order, values[i], key=values.__getitem__) for i in fresh]
        self.order = np.insert(self.order, places, fresh)
        self.rank = np.empty(len(values), dtype=np.int64)
        self.rank[self.order] = np.arange(len(values), dtype=np.int64)

    def _compact(self) -> None:
        """Forget budget values no class holds any more."""
        live = np.unique(self.budget_ids)
        live = live[live != 0]
        keep = np.concatenate(([0], live))
        remap = np.zeros(len(self.values), dtype=np.int64)
        remap[keep] = np.arange(len(keep), dtype=np.int64)
        self.values = [self.values[i] for i in keep.tolist()]
        self.budget_ids = remap[self.budget_ids]
        kept = np.zeros(len(remap), dtype=np.bool_)
        kept[keep] = True
        self.order = remap[self.order[kept[self.order]]]
        self.rank = np.empty(len(keep), dtype=np.int64)
        self.rank[self.order] = np.arange(len(keep), dtype=np.int64)
