"""Why the Method of Equal Shares bought each project, and what the others lacked.

Pure functions for the results pages; every number is exact (``Fraction``, in the instance's
currency).

``explain_mes(instance, utility, tie_break, *, share=None) -> MesExplanation`` counts with the
Method of Equal Shares from ``share`` per voter (by default the budget over the number of
voters: plain ``mes``) and returns:

* ``purchases``: for each project bought, in the order bought, a :class:`Purchase` with its
  ``rho`` (the most a supporter paid per unit of utility) and its ``payments``: groups of
  supporters who paid the same amount, each a :class:`PaymentGroup` (``voters``, what each paid
  (``payment``), and ``all_they_had``: True when that was all the money they had left, because
  they could not pay their full equal part). The payments add up to the project's cost.
* ``shortfalls``: for each project not bought, a :class:`Shortfall` with ``extra_supporters``:
  the smallest number of additional voters, each choosing only that project and each given
  the same share of money as every other voter, with which the count would have bought it
  (with the points utility each gives it as many points as its keenest supporter did). The
  other voters' ballots and shares stay as they were. ``None`` means it could not be bought at
  any support: it costs more than the whole budget, it is free and the utility is the cost
  (worth nothing), or no voter has any money.
* ``completed``: with :func:`explain_outcome`, the projects a greedy completion added after
  the Method of Equal Shares (they have neither a purchase nor a shortfall).

``explain_outcome(instance, outcome) -> MesExplanation`` explains an :class:`Outcome` of
``count(..., rule=mes)``: the final round of its completion, from ``outcome.mes_share``.

How the shortfall is found without recounting: added voters who choose only project ``p``
change nothing until ``p`` is bought, so the count with ``k`` of them makes the same purchases
as the real count until the first round where ``p``, with their money, needs a ``rho`` below
the winner's (or equal and first in the tie-break), or until the end, when ``p`` only needs
to be affordable. ``p``'s ``rho`` falls as ``k`` grows, so for each round the smallest ``k``
follows from one exact comparison, and the answer is the smallest over the rounds. The tests
recount with ``k`` and ``k - 1`` added voters.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from civicflow.budgets.counting.instance import CountError, Instance, Outcome, TieBreak, Utility
from civicflow.budgets.counting.mes import MesElection, tie_key


@dataclass(frozen=True)
class PaymentGroup:
    """Supporters who paid the same for a project: how many, what each paid, and whether it
    was all the money they had left."""

    voters: int
    payment: Fraction
    all_they_had: bool


@dataclass(frozen=True)
class Purchase:
    """A project the Method of Equal Shares bought, and who paid for it.

    ``rho`` is the most any supporter paid per unit of utility (per currency unit of the cost
    with the cost utility, per project with approval, per point with points); None for a free
    project. ``payments`` go from the largest payment to the smallest.
    """

    project_id: str
    cost: Fraction
    rho: Fraction | None
    supporters: int
    payments: tuple[PaymentGroup, ...]


@dataclass(frozen=True)
class Shortfall:
    """A project the Method of Equal Shares did not buy.

    ``extra_supporters`` is how many more voters choosing it (each with the same share as
    everyone) it needed; None if no number would do. ``money_short`` is how much more money
    its supporters needed between them, at the end of the count, to pay for it.
    """

    project_id: str
    cost: Fraction
    supporters: int
    extra_supporters: int | None
    money_short: Fraction


@dataclass(frozen=True)
class MesExplanation:
    """Why each project won or lost under the Method of Equal Shares, from ``share``."""

    utility: Utility
    tie_break: TieBreak
    budget: Fraction
    voters: int
    share: Fraction
    purchases: tuple[Purchase, ...]
    shortfalls: tuple[Shortfall, ...]
    completed: tuple[str, ...] = ()


def _utility(utility: Utility, cost: Fraction, points: Fraction) -> Fraction:
    if utility is Utility.COST:
        return cost
    if utility is Utility.APPROVAL:
        return Fraction(1)
    return points


def _classes(instance: Instance, utility: Utility) -> list[tuple[int, dict[str, Fraction]]]:
    """Group identical ballots: (number of voters, utility of each project supported)."""
    counter: Counter[tuple[tuple[str, Fraction], ...]] = Counter()
    for ballot in instance.ballots:
        pairs = ((p, _utility(utility, instance.costs[p], points)) for p, points in ballot.items())
        counter[tuple(sorted((p, u) for p, u in pairs if u > 0))] += 1
    return [(weight, dict(key)) for key, weight in counter.items()]


def _extra_needed(
    cost: Fraction,
    rows: list[tuple[int, Fraction, Fraction]],
    share: Fraction,
    new_utility: Fraction,
    rho: Fraction | None,
    wins_ties: bool,
) -> int | None:
    """Return the fewest added supporters (each with ``share`` and ``new_utility``) with which
    a project whose supporters are ``rows`` (weight, budget, utility) is paid for at a ``rho``
    below ``rho`` (or equal, if it ``wins_ties``); with ``rho`` None, paid for at all."""
    if rho is None:
        have = sum((w * b for w, b, _ in rows), Fraction(0))
        each = share
        strict = False
    else:
        have = sum((w * min(b, rho * u) for w, b, u in rows), Fraction(0))
        each = min(share, rho * new_utility)
        # Just below rho the payments still grow if someone is not yet paying all they have;
        # then rho itself is only reached, not beaten, with exactly the cost.
        growing = share >= rho * new_utility or any(b >= rho * u for _, b, u in rows if b > 0)
        strict = not wins_ties and growing
    if each <= 0:
        return None
    gap = (cost - have) / each
    needed = math.floor(gap) + 1 if strict else math.ceil(gap)
    return max(needed, 1)


def explain_mes(
    instance: Instance,
    utility: Utility = Utility.COST,
    tie_break: TieBreak = TieBreak.ID,
    *,
    share: Fraction | None = None,
) -> MesExplanation:
    """Count ``instance`` with the Method of Equal Shares from ``share`` per voter (the budget
    over the voters by default) and explain it (see the module's docstring)."""
    utility, tie_break = Utility(utility), TieBreak(tie_break)
    if utility is Utility.POINTS and not instance.has_points:
        raise CountError(
            "The points utility needs ballots that give points (cumulative or scoring votes)."
        )
    voters = len(instance.ballots)
    if share is None:
        share = instance.budget / voters if voters else Fraction(0)
    election = MesElection(instance, utility, tie_break)
    run = election.run(share) if voters else None
    costs = instance.costs
    classes = _classes(instance, utility)
    budgets = [share] * len(classes)
    supporters_of: dict[str, list[int]] = {p: [] for p in costs}
    for c, (_, utilities) in enumerate(classes):
        for p in utilities:
            supporters_of[p].append(c)
    keenest = {
        p: max((classes[c][1][p] for c in supporters_of[p]), default=Fraction(1)) for p in costs
    }
    bought = [] if run is None else [election.project_ids[j] for j in run.selected]
    rhos = (
        []
        if run is None
        else [None if rho is None else election.rho_in_currency(rho) for rho in run.rhos]
    )
    losers = [p for p in sorted(costs) if p not in set(bought)]
    best: dict[str, int | None] = dict.fromkeys(losers)

    def rows(p: str) -> list[tuple[int, Fraction, Fraction]]:
        grouped: Counter[tuple[Fraction, Fraction]] = Counter()
        for c in supporters_of[p]:
            grouped[(budgets[c], classes[c][1][p])] += classes[c][0]
        return [(w, b, u) for (b, u), w in grouped.items()]

    def note(p: str, rho: Fraction | None, winner: str | None) -> None:
        if costs[p] > instance.budget or (utility is Utility.COST and not costs[p]):
            return  # out of reach, or worth nothing to anyone with the cost utility
        wins_ties = winner is not None and (
            tie_key(p, costs[p], tie_break) < tie_key(winner, costs[winner], tie_break)
        )
        new_utility = _utility(utility, costs[p], keenest[p])
        needed = _extra_needed(costs[p], rows(p), share, new_utility, rho, wins_ties)
        if needed is not None:
            known = best[p]
            best[p] = needed if known is None else min(known, needed)

    purchases = []
    for p, rho in zip(bought, rhos, strict=True):
        if rho is not None:
            for loser in losers:
                note(loser, rho, p)
        paid: Counter[tuple[Fraction, bool]] = Counter()
        for c in supporters_of[p]:
            weight, utilities = classes[c]
            due = Fraction(0) if rho is None else rho * utilities[p]
            payment = min(budgets[c], due)
            paid[(payment, payment < due)] += weight
            budgets[c] -= payment
        groups = sorted(
            (PaymentGroup(voters, payment, short) for (payment, short), voters in paid.items()),
            key=lambda g: (-g.payment, g.all_they_had),
        )
        if rho is not None and sum(g.voters * g.payment for g in groups) != costs[p]:
            raise AssertionError(f"The payments for project {p} do not add up to its cost.")
        purchases.append(Purchase(p, costs[p], rho, sum(g.voters for g in groups), tuple(groups)))
    shortfalls = []
    for p in losers:
        note(p, None, None)
        money = sum((w * b for w, b, _ in rows(p)), Fraction(0))
        shortfalls.append(
            Shortfall(
                p,
                costs[p],
                sum(classes[c][0] for c in supporters_of[p]),
                best[p],
                max(costs[p] - money, Fraction(0)),
            )
        )
    return MesExplanation(
        utility=utility,
        tie_break=tie_break,
        budget=instance.budget,
        voters=voters,
        share=share,
        purchases=tuple(purchases),
        shortfalls=tuple(shortfalls),
    )


def explain_outcome(instance: Instance, outcome: Outcome) -> MesExplanation:
    """Explain an outcome of ``count(..., rule=mes)``: its final round of the Method of Equal
    Shares, and which projects its completion added with ``greedy``."""
    explanation = explain_mes(instance, outcome.utility, outcome.tie_break, share=outcome.mes_share)
    mes = {purchase.project_id for purchase in explanation.purchases}
    completed = tuple(p for p in outcome.selected if p not in mes)
    shortfalls = tuple(s for s in explanation.shortfalls if s.project_id not in completed)
    return MesExplanation(
        utility=explanation.utility,
        tie_break=explanation.tie_break,
        budget=explanation.budget,
        voters=explanation.voters,
        share=explanation.share,
        purchases=explanation.purchases,
        shortfalls=shortfalls,
        completed=completed,
    )


def payments_by_voter_class(
    explanation: MesExplanation,
) -> Mapping[str, tuple[PaymentGroup, ...]]:
    """Return each bought project's payment groups, by project id."""
    return {purchase.project_id: purchase.payments for purchase in explanation.purchases}
