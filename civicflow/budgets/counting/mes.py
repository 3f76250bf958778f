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

import heapq
import math
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
    ) -> MesRun:
        """Count with every voter starting from ``share`` of the instance's currency.

        With ``reference``, a count from a smaller share, also check whether every share in
        between gives the same outcome (:attr:`MesRun.same_between`). With ``stable_within``,
        also work out how far the share can grow with the same outcome
        (:attr:`MesRun.stable_for`), as long as that is more than ``stable_within``.
        """
        if self.n_voters == 0:
            return MesRun((), (), reference is not None and not reference.selected, None)
        limit = None if stable_within is None else stable_within * self.money_scale
        count = _Count(self, share * self.money_scale, reference, limit)
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


class _Count:
    """One count.

    Each class of voters holds the id of its budget. Budget ``i`` is
    ``numerators[i] * multiplier[epochs[i]] / denominator``: when a purchase needs a finer
    common denominator a new epoch starts, and older values are scaled only when read. ``keys``
    holds, for each budget, ``floor(2**62 * budget / share)``: integers that sort as the
    budgets do (budgets with equal keys are sorted again exactly).

    When following how the outcome moves with the share (``certify``), ``slopes`` holds how
    fast each budget grows with the share, scaled like ``numerators``, and ``stable`` the
    smallest growth of the share (in scaled money) at which a comparison made so far could
    turn out otherwise; None while no comparison could.
    """

    KEY_BITS = 62

    def __init__(
        self,
        election: MesElection,
        share: Fraction,
        reference: MesRun | None,
        limit: Fraction | None,
    ) -> None:
        self.election = election
        self.share = share
        self.denominator = share.denominator
        #: The denominator in force at each epoch, and what turns an epoch's values into now's.
        self.epoch_denominators = [share.denominator]
        self.multiplier = [1]
        self.numerators = [0, share.numerator]
        self.slopes = [0, share.denominator]
        self.epochs = [0, 0]
        self.top = share.numerator  # the share, over the current denominator
        self.keys: IntArray = np.zeros(1024, dtype=np.int64)
        self.keys[1] = 1 << self.KEY_BITS
        self.budget_ids: IntArray = np.ones(len(election.weights), dtype=np.int64)
        #: The count being checked against; None once it no longer matches.
        self.reference = reference
        self.certify = limit is not None
        self.limit = limit
        self.stable: Fraction | None = None
        self.fresh = [False] * len(election.project_ids)
        #: For each project looked at: its payment per unit of utility and how that moves
        #: with the share; and how its rho moves with the share.
        self.payment: dict[int, tuple[Fraction, Fraction]] = {}
        self.rho_slope: dict[int, Fraction] = {}

    def value(self, budget_id: int) -> int:
        """Return budget ``budget_id``'s numerator over the current denominator."""
        return self.numerators[budget_id] * self.multiplier[self.epochs[budget_id]]

    def slope(self, budget_id: int) -> int:
        """Return how fast budget ``budget_id`` grows with the share, like :meth:`value`."""
        return self.slopes[budget_id] * self.multiplier[self.epochs[budget_id]]

    def flip_at(self, gap: int | Fraction, closing: int | Fraction) -> None:
        """Note a comparison whose ``gap`` shrinks by ``closing`` per unit of share."""
        if not self.certify or closing <= 0:
            return
        if gap <= 0:
            self.certify = False
            return
        at = Fraction(gap) / closing
        if self.stable is None or at < self.stable:
            self.stable = at
            if self.limit is not None and at <= self.limit:
                self.certify = False  # too close to be worth following further

    def run(self) -> tuple[tuple[int, ...], tuple[Fraction | None, ...]]:
        election = self.election
        selected: list[int] = list(election.free)
        rhos: list[Fraction | None] = [None] * len(selected)
        fresh, payment, rho_slope = self.fresh, self.payment, self.rho_slope
        zero = Fraction(0)
        heap: list[Entry] = []
        for j in election.candidates:
            cost = election.costs[j]
            rho_slope[j] = zero
            if election.points:
                # A lower bound; the first look at the project finds the real value.
                heap.append((Fraction(cost, election.total_utility[j]), election.tie_keys[j], j))
                continue
            weight = election.total_weight[j]
            if weight * self.share < cost:
                self.flip_at(cost - weight * self.share, weight)
                continue  # its supporters cannot afford it even with their whole shares
            payment[j] = (Fraction(cost, weight), zero)
            fresh[j] = True
            heap.append((payment[j][0] / election.rho_divisor[j], election.tie_keys[j], j))
        heapq.heapify(heap)
        while heap:
            rho, key, j = heapq.heappop(heap)
            if not fresh[j]:
                self._look_again(heap, key, j)
                continue
            if self.reference is not None:
                self._check(heap, len(selected), j, key)
            if self.certify:
                self._check_rivals(heap, rho, rho_slope[j])
            self._buy(j, *payment.pop(j))
            selected.append(j)
            rhos.append(rho)
            for other in election.touched_by(j):
                fresh[other] = False
        return tuple(selected), tuple(rhos)

    def _look_again(self, heap: list[Entry], key: TieKey, j: int) -> None:
        """Evaluate project ``j`` again and put it back in the heap, unless it is out of reach."""
        found = self._evaluate(j)
        if found is not None:  # budgets only fall: an unaffordable project stays so
            self.payment[j], rho, self.rho_slope[j] = found
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

    def _check_rivals(self, heap: list[Entry], rho: Fraction, own: Fraction) -> None:
        """Note where a waiting project's lower bound could fall to the winner's ``rho``.

        A project's last ``rho``, moved along with the share as its formula says, stays a
        lower bound on its ``rho`` at that share, whoever can pay in full.
        """
        rho_slope = self.rho_slope
        for other_rho, _, other in heap:
            other_slope = rho_slope[other]
            if other_slope < own:
                self.flip_at(other_rho - rho, own - other_slope)
                if not self.certify:
                    return

    def _supporters_by_budget(self, j: int) -> tuple[IntArray, IntArray]:
        """Return the distinct budgets (ids) of project ``j``'s supporters who have money left,
        in increasing order, and how many supporters hold each."""
        election = self.election
        ids = self.budget_ids[election.supporters[j]]
        if election.unweighted[j]:
            present, weights = np.unique(ids, return_counts=True)
        else:
            present, inverse = np.unique(ids, return_inverse=True)
            weights = np.zeros(len(present), dtype=np.int64)
            np.add.at(weights, inverse, election.supporter_weights[j])
        if len(present) and present[0] == 0:
            present, weights = present[1:], weights[1:]
        keys = self.keys[present]
        order = np.argsort(keys, kind="stable")
        present, weights, keys = present[order], weights[order], keys[order]
        if len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()):
            # Two budgets too close for the keys to tell apart: sort exactly.
            exact = sorted(range(len(present)), key=lambda i: self.value(int(present[i])))
            order = np.array(exact, dtype=np.int64)
            present, weights = present[order], weights[order]
        return present, weights

    def _evaluate(self, j: int) -> tuple[tuple[Fraction, Fraction], Fraction, Fraction] | None:
        """Return project ``j``'s payment per unit of utility (and how it moves with the share),
        its ``rho`` (and how that moves); or None if its supporters cannot afford it."""
        if self.election.points:
            return self._evaluate_points(j)
        election = self.election
        present, weights = self._supporters_by_budget(j)
        cost = election.costs[j] * self.denominator
        numerators, epochs, multiplier = self.numerators, self.epochs, self.multiplier
        certify = self.certify
        paid = paid_slope = 0
        rich = int(weights.sum())
        for budget_id, weight in zip(present.tolist(), weights.tolist(), strict=True):
            value = numerators[budget_id] * multiplier[epochs[budget_id]]
            if cost - paid <= value * rich:
                scale = rich * self.denominator
                per_supporter = Fraction(cost - paid, scale)
                per_slope = Fraction(-paid_slope, scale)
                divisor = election.rho_divisor[j]
                return (per_supporter, per_slope), per_supporter / divisor, per_slope / divisor
            paid += value * weight
            if certify:
                paid_slope += self.slope(budget_id) * weight
            rich -= weight
        self.flip_at(cost - paid, paid_slope)
        return None

    def _evaluate_points(
        self, j: int
    ) -> tuple[tuple[Fraction, Fraction], Fraction, Fraction] | None:
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
        rows = []
        for key, weight in zip(unique.tolist(), weights.tolist(), strict=True):
            budget_id, utility = divmod(key, election.utility_bound)
            if budget_id:
                value = self.value(budget_id)
                rows.append((value * (scale // utility), value, utility, weight, budget_id))
        rows.sort()
        cost = election.costs[j] * self.denominator
        certify = self.certify
        paid = paid_slope = 0
        rich = sum(row[2] * row[3] for row in rows)
        for _, value, utility, weight, budget_id in rows:
            if (cost - paid) * utility <= value * rich:
                rho = Fraction(cost - paid, rich * self.denominator)
                rho_slope = Fraction(-paid_slope, rich * self.denominator)
                return (rho, rho_slope), rho, rho_slope
            paid += value * weight
            if certify:
                paid_slope += self.slope(budget_id) * weight
            rich -= utility * weight
        self.flip_at(cost - paid, paid_slope)
        return None

    def _buy(self, j: int, per_utility: Fraction, per_utility_slope: Fraction) -> None:
        """Charge project ``j``'s supporters ``per_utility`` each (or all they have left)."""
        election = self.election
        price = per_utility * self.denominator
        price_slope = per_utility_slope * self.denominator
        finer = math.lcm(price.denominator, price_slope.denominator if self.certify else 1)
        if finer != 1:
            self.denominator *= finer
            self.top *= finer
            self.epoch_denominators.append(self.denominator)
            self.multiplier = [self.denominator // d for d in self.epoch_denominators]
        epoch = len(self.epoch_denominators) - 1
        price_int = int(price * finer)
        supporters = election.supporters[j]
        ids = self.budget_ids[supporters]
        numerators, epochs, multiplier = self.numerators, self.epochs, self.multiplier
        bound = election.utility_bound
        if election.points:
            unique, inverse = np.unique(ids * bound + election.utilities[j], return_inverse=True)
            pairs = [divmod(k, bound) for k in unique.tolist()]
        else:
            unique, inverse = np.unique(ids, return_inverse=True)
            pairs = [(k, 1) for k in unique.tolist()]
        lefts = [
            numerators[k] * multiplier[epochs[k]] - price_int * utility for k, utility in pairs
        ]
        slopes = None
        if self.certify:
            slope_int = int(price_slope * finer)
            slopes = [self.slope(k) - slope_int * utility for k, utility in pairs]
            self._check_payers(lefts, slopes)
        kept = [left for left in lefts if left > 0]
        first = len(numerators)
        new_ids = np.zeros(len(lefts), dtype=np.int64)
        new_ids[np.array([left > 0 for left in lefts], dtype=np.bool_)] = np.arange(
            first, first + len(kept), dtype=np.int64
        )
        self.budget_ids[supporters] = new_ids[inverse]
        if kept:
            numerators.extend(kept)
            epochs.extend([epoch] * len(kept))
            if slopes is not None and self.certify:
                self.slopes.extend(s for s, left in zip(slopes, lefts, strict=True) if left > 0)
            else:
                self.slopes.extend([0] * len(kept))
            needed = len(numerators)
            if needed > len(self.keys):
                self.keys = np.concatenate((self.keys, np.zeros(needed, dtype=np.int64)))
            top, bits = self.top, self.KEY_BITS
            self.keys[first:needed] = [(left << bits) // top for left in kept]

    def _check_payers(self, lefts: list[int], slopes: list[int]) -> None:
        """Note where a supporter who pays in full could no longer, or one who pays all they
        have could pay in full: the formula for ``rho`` would change there."""
        for left, slope in zip(lefts, slopes, strict=True):
            if left > 0:
                self.flip_at(left, -slope)
            elif left == 0:
                self.flip_at(0, abs(slope))
            else:
                self.flip_at(-left, slope)
            if not self.certify:
                return
