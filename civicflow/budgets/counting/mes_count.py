"""One count of the Method of Equal Shares, from one starting share (see ``mes``)."""

from __future__ import annotations

import heapq
import math
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from civicflow.budgets.counting.mes import Entry, IntArray, MesElection, MesRun, TieKey


class MesCount:
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
