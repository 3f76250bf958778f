"""One count of the Method of Equal Shares, guided by floating point and decided exactly.

For the cost and approval utilities every supporter of a project who can pay in full pays the
same amount, ``per``, and a supporter who cannot pays all they have left and is out of money.
So a voter class with money left holds exactly ``share - sum(per[k])`` over the projects ``k``
bought so far that it supports. This count keeps:

* exactly: each bought project's ``per`` as an integer over one common denominator ``D``, and
  for each class whether it still has money;
* approximately: each class's budget as a float64, with an absolute error below
  ``2**-30 * share`` (each is ``share`` minus at most one rounded payment per project, each
  step rounding by at most ``2**-53`` of the share).

A decision is taken from the floats only when every float involved is further from the
boundary than its error bound; otherwise that decision is taken again in exact integers:

* a project's *capped* supporters (those who pay all they have) are found by a short fixed
  point on the floats (``rho`` from the rich, then everyone poorer than that ``rho`` is capped,
  and again); when every capped budget is clearly below ``rho`` and every other clearly above,
  the set is certain, and ``per`` follows exactly from it: the capped classes' money is
  ``share * weight - sum(per[k] * count[k])`` where ``count[k]`` is how many of them support
  ``k``, counted with ``numpy.bincount`` on integers; otherwise the supporters' budgets are
  computed exactly and scanned in order;
* the winner of a round is the project with the smallest float key; any project whose key is
  within both error bounds of it is evaluated exactly, and the smallest exact ``rho``, then
  the tie-break, wins.

So the outcome, and each ``rho``, is exactly that of :class:`~.mes_count.MesCount` (the
tests compare the two on random elections); only the points utility, where supporters pay in
proportion to different utilities, and the completions' certificates use that one.
"""

from __future__ import annotations

import heapq
import math
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from civicflow.budgets.counting.mes import IntArray, MesElection, TieKey

FloatArray = np.ndarray
#: Relative size of the error bounds on floats (the true errors are below ``2**-40``).
SLACK = 2.0**-30
#: Rounds of the fixed point for ``rho`` before sorting the supporters instead.
FIXED_POINT_ROUNDS = 6
#: The float budget of a class with no money left (its weight counts as 0).
DEAD = 1e300


class _Look:
    """What evaluating one project found: its ``per`` as a float with an error bound, and
    which of its supporters it leaves without money (all they had or exactly ``per``)."""

    __slots__ = ("exact", "per_f", "tol", "zeroed")

    def __init__(self, per_f: float, tol: float, zeroed: IntArray, exact: Fraction | None) -> None:
        self.per_f = per_f
        self.tol = tol
        self.zeroed = zeroed
        self.exact = exact


class FastCount:
    """One count from ``share`` (in scaled money) for the cost or approval utility."""

    def __init__(self, election: MesElection, share: Fraction) -> None:
        self.election = election
        self.share = share
        n_classes = len(election.weights)
        self.alive = np.full(n_classes, share > 0, dtype=np.bool_)
        self.alive &= election.weights > 0
        self.share_f = float(share)
        self.budgets: FloatArray = np.where(self.alive, self.share_f, DEAD)
        self.live_weights: FloatArray = np.where(self.alive, election.weights_f, 0.0)
        self.tol_b = SLACK * self.share_f
        #: The common denominator of exact money, and the share over it.
        self.denominator = share.denominator
        self.share_num = share.numerator
        #: Each project's ``per`` over the common denominator (0 until bought).
        self.per_num = [0] * len(election.project_ids)
        self.bought: list[int] = []
        self.looks: dict[int, _Look] = {}

    # Exact money -------------------------------------------------------------------------

    def _ballot_counts(self, classes: IntArray) -> list[int]:
        """Return, for each bought project, how many voters of ``classes`` support it."""
        election = self.election
        if not len(classes) or not self.bought:
            return [0] * len(self.bought)
        pointer = election.class_pointer
        starts = pointer[classes]
        lengths = pointer[classes + 1] - starts
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        positions = offsets + np.arange(int(lengths.sum()), dtype=np.int64)
        weights = np.repeat(election.weights[classes], lengths)
        counts = np.bincount(
            election.class_projects[positions],
            weights=weights.astype(np.float64),
            minlength=len(self.per_num),
        )
        return [int(counts[k]) for k in self.bought]

    def _money_of(self, classes: IntArray) -> int:
        """Return the exact money of ``classes`` (all with money left), over the denominator."""
        weight = int(self.election.weights[classes].sum())
        spent = sum(
            self.per_num[k] * n
            for k, n in zip(self.bought, self._ballot_counts(classes), strict=True)
            if n
        )
        return self.share_num * weight - spent

    def _budget_of(self, i: int) -> int:
        """Return class ``i``'s exact budget over the denominator (it has money left)."""
        election = self.election
        ballot = election.class_projects[election.class_pointer[i] : election.class_pointer[i + 1]]
        per_num = self.per_num
        return self.share_num - sum(per_num[k] for k in ballot.tolist())

    # Looking at a project ------------------------------------------------------------------

    def look(self, j: int) -> _Look | None:
        """Evaluate project ``j``; None if its supporters cannot afford it (then never again)."""
        supporters = self.election.supporters[j]
        # Classes out of money weigh 0 and hold a huge budget: they are never capped.
        weights = self.live_weights[supporters]
        total_weight = float(weights.sum())
        if not total_weight:
            return None
        budgets = self.budgets[supporters]
        cost = float(self.election.costs[j])
        spend = weights * budgets
        money = float(spend.sum())
        margin = SLACK * (cost + self.share_f * total_weight)
        if money < cost - margin:
            return None
        if money <= cost + margin:
            return self._look_exactly(j)
        rho = cost / total_weight
        capped = budgets < rho
        n_capped = int(np.count_nonzero(capped))
        capped_weight = 0.0
        rounds = 0
        while n_capped:
            if rounds >= FIXED_POINT_ROUNDS:
                return self._look_sorted(j, budgets, weights, cost, margin)
            rounds += 1
            capped_weight = float(weights[capped].sum())
            if capped_weight >= total_weight:
                return self._look_exactly(j)
            rho = (cost - float(spend[capped].sum())) / (total_weight - capped_weight)
            again = budgets < rho
            n_again = int(np.count_nonzero(again))
            if n_again == n_capped:
                break
            capped, n_capped = again, n_again
        tol = (margin + total_weight * self.tol_b) / (total_weight - capped_weight)
        gap = tol + self.tol_b
        if n_capped:
            if float(budgets[capped].max()) >= rho - gap:
                return self._look_exactly(j)
            if float(budgets[~capped].min()) <= rho + gap:
                return self._look_exactly(j)
            chosen = supporters[capped]
            return _Look(rho, tol, chosen[weights[capped] > 0], None)
        if float(budgets.min()) <= rho + gap:
            return self._look_exactly(j)
        return _Look(rho, tol, supporters[:0], None)

    def _look_sorted(
        self,
        j: int,
        budgets: FloatArray,
        weights: FloatArray,
        cost: float,
        margin: float,
    ) -> _Look | None:
        """Find the capped supporters by sorting the budgets (when the fixed point is slow)."""
        order = np.argsort(budgets, kind="stable")
        sorted_budgets, sorted_weights = budgets[order], weights[order]
        paid = np.concatenate(([0.0], np.cumsum(sorted_weights * sorted_budgets)[:-1]))
        rich = float(sorted_weights.sum()) - np.concatenate(([0.0], np.cumsum(sorted_weights)[:-1]))
        fits = cost - paid <= sorted_budgets * rich
        t = int(np.argmax(fits))
        if not fits[t] or not rich[t]:
            return self._look_exactly(j)
        rho = (cost - paid[t]) / rich[t]
        tol = (margin + float(sorted_weights.sum()) * self.tol_b) / rich[t]
        gap = tol + self.tol_b
        if sorted_budgets[t] <= rho + gap or (t and sorted_budgets[t - 1] >= rho - gap):
            return self._look_exactly(j)
        chosen = order[:t]
        chosen = chosen[sorted_weights[:t] > 0]
        return _Look(float(rho), float(tol), self.election.supporters[j][chosen], None)

    def _look_exactly(self, j: int) -> _Look | None:
        """Evaluate project ``j`` on its supporters' exact budgets."""
        election = self.election
        idx = self.supporters_with_money(j)
        weights = election.weights[idx].tolist()
        rows = sorted(zip((self._budget_of(i) for i in idx.tolist()), weights, strict=True))
        cost = election.costs[j] * self.denominator
        paid, rich = 0, sum(weights)
        per: Fraction | None = None
        for value, weight in rows:
            if cost - paid <= value * rich:
                per = Fraction(cost - paid, rich * self.denominator)
                break
            paid += value * weight
            rich -= weight
        if per is None:
            return None
        # Those with at most ``per`` pay all they have.
        limit = per * self.denominator
        zeroed = np.array([i for i in idx.tolist() if self._budget_of(i) <= limit], dtype=np.int64)
        per_f = float(per)
        return _Look(per_f, abs(per_f) * 2.0**-50, zeroed, per)

    def exact_per(self, j: int, look: _Look) -> Fraction:
        """Return project ``j``'s exact ``per`` (its supporters with money left, minus those
        ``look`` caps, pay it)."""
        if look.exact is None:
            election = self.election
            idx = self.supporters_with_money(j)
            capped = look.zeroed
            weight = int(election.weights[idx].sum()) - int(election.weights[capped].sum())
            money = self._money_of(capped) if len(capped) else 0
            cost = election.costs[j] * self.denominator
            look.exact = Fraction(cost - money, weight * self.denominator)
        return look.exact

    # The count -----------------------------------------------------------------------------

    def key(self, j: int, look: _Look) -> tuple[float, float]:
        divisor = self.election.rho_divisor[j]
        return look.per_f / divisor, look.tol / divisor + abs(look.per_f) * 2.0**-50

    def run(self) -> tuple[tuple[int, ...], tuple[Fraction | None, ...]]:
        election = self.election
        selected: list[int] = list(election.free)
        rhos: list[Fraction | None] = [None] * len(selected)
        fresh = [False] * len(election.project_ids)
        tols = [0.0] * len(election.project_ids)
        heap: list[tuple[float, TieKey, int]] = []
        for j in election.candidates:
            bound = election.costs[j] / election.total_weight[j] / election.rho_divisor[j]
            tols[j] = bound * 2.0**-40
            heap.append((bound, election.tie_keys[j], j))
        heapq.heapify(heap)
        looks = self.looks
        while heap:
            key, tie, j = heap[0]
            if not fresh[j]:
                heapq.heappop(heap)
                self._refresh(j, tie, heap, fresh, tols)
                continue
            # Every project whose key could be as small as j's is looked at (and exactly if
            # it is that close).
            reach = key + tols[j]
            close = [entry for entry in heap if entry[0] - tols[entry[2]] <= reach]
            stale = [entry for entry in close if not fresh[entry[2]]]
            if stale:
                for entry in stale:
                    heap.remove(entry)
                heapq.heapify(heap)
                for entry in stale:
                    self._refresh(entry[2], entry[1], heap, fresh, tols)
                continue
            if len(close) > 1:
                best = min(
                    close,
                    key=lambda e: (
                        self.exact_per(e[2], looks[e[2]]) / election.rho_divisor[e[2]],
                        e[1],
                    ),
                )
                heap.remove(best)
                heapq.heapify(heap)
                j = best[2]
            else:
                heapq.heappop(heap)
            look = looks.pop(j)
            per = self.exact_per(j, look)
            self._buy(j, per, look)
            selected.append(j)
            rhos.append(per / election.rho_divisor[j])
            for other in election.touched_by(j):
                fresh[other] = False
        return tuple(selected), tuple(rhos)

    def _refresh(
        self,
        j: int,
        tie: TieKey,
        heap: list[tuple[float, TieKey, int]],
        fresh: list[bool],
        tols: list[float],
    ) -> bool:
        look = self.look(j)
        if look is None:
            self.looks.pop(j, None)
            return False
        self.looks[j] = look
        key, tols[j] = self.key(j, look)
        fresh[j] = True
        heapq.heappush(heap, (key, tie, j))
        return True

    def supporters_with_money(self, j: int) -> IntArray:
        supporters = self.election.supporters[j]
        return supporters[self.alive[supporters]]

    def _buy(self, j: int, per: Fraction, look: _Look) -> None:
        self.budgets[self.supporters_with_money(j)] -= float(per)
        zeroed = look.zeroed
        if len(zeroed):
            self.alive[zeroed] = False
            self.budgets[zeroed] = DEAD
            self.live_weights[zeroed] = 0.0
        # Record per over the common denominator, refining it if needed.
        finer = math.lcm(self.denominator, per.denominator)
        if finer != self.denominator:
            factor = finer // self.denominator
            for k in self.bought:
                self.per_num[k] *= factor
            self.share_num *= factor
            self.denominator = finer
        self.per_num[j] = per.numerator * (self.denominator // per.denominator)
        self.bought.append(j)
