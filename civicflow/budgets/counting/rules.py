"""Counting rules: ``greedy`` and the Method of Equal Shares with its completions.

The outcomes are those of the research reference, PyPI ``pabutools`` 1.2 with exact fractions
(see ``docs/adr/0009-participatory-budget-counting.md``):

* ``greedy`` is ``greedy_utilitarian_welfare`` with the cost satisfaction (projects by number of
  supporters), or with points times cost (projects by points) for the points utility;
* ``mes`` is ``method_of_equal_shares`` with the cost, cardinality or additive cardinal
  satisfaction; ``add1`` passes ``voter_budget_increment=1``;
* ``add1-greedy`` and ``increase-greedy`` are ``completion_by_rule_combination`` of that, or of
  ``exhaustion_by_budget_increase`` over it, with ``greedy``.

Ties go to the project whose id comes first in string order, or to the cheapest or dearest
project and then by id.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from fractions import Fraction

from civicflow.budgets.counting.instance import (
    Completion,
    CountError,
    Instance,
    MesStep,
    Outcome,
    ProgressCallback,
    Rule,
    TieBreak,
    Utility,
)
from civicflow.budgets.counting.mes import MesElection, MesRun, tie_key
from civicflow.budgets.counting.pbfile import PbElection

ONE = Fraction(1)
#: Steps a completion's outcome must stay the same before it looks for steps it may skip.
CALM = 8


def instance_from_pb(election: PbElection) -> Instance:
    """Return the :class:`Instance` a ``.pb`` file describes.

    Ranked ballots, like approval ballots, give 1 to every project chosen; cumulative and scoring
    ballots give their points.
    """
    costs = {project_id: project.cost for project_id, project in election.projects.items()}
    if election.has_points:
        ballots = [
            dict(zip(vote.projects, vote.points or (), strict=True)) for vote in election.votes
        ]
    else:
        ballots = [dict.fromkeys(vote.projects, ONE) for vote in election.votes]
    return Instance(election.budget, costs, ballots, has_points=election.has_points)


def greedy_scores(instance: Instance, utility: Utility) -> Counter[str]:
    """Return what ``greedy`` ranks projects by: supporters, or points with the points utility."""
    scores: Counter[str] = Counter()
    if utility is Utility.POINTS:
        for ballot in instance.ballots:
            scores.update(ballot)
        return Counter({p: s for p, s in scores.items() if s > 0})
    for ballot in instance.ballots:
        scores.update(ballot.keys())
    return scores


def greedy(
    instance: Instance,
    utility: Utility,
    tie_break: TieBreak,
    *,
    already: Iterable[str] = (),
) -> list[str]:
    """Return the projects ``greedy`` adds to ``already``, in the order it adds them.

    Projects go in decreasing order of their score; each is added if it fits in the money left,
    and skipped if it does not.
    """
    chosen = set(already)
    scores = greedy_scores(instance, utility)
    left = instance.budget - sum((instance.costs[p] for p in chosen), Fraction(0))
    order = sorted(
        (p for p in instance.costs if p not in chosen),
        key=lambda p: (-scores[p], tie_key(p, instance.costs[p], tie_break)),
    )
    added = []
    for project_id in order:
        cost = instance.costs[project_id]
        if cost <= left:
            added.append(project_id)
            left -= cost
    return added


class _Mes:
    """Run the Method of Equal Shares and its completions on one prepared election."""

    def __init__(
        self,
        instance: Instance,
        utility: Utility,
        tie_break: TieBreak,
        progress: ProgressCallback | None,
    ) -> None:
        self.instance = instance
        self.election = MesElection(instance, utility, tie_break)
        self.progress = progress
        self.counts = 0
        self.share: Fraction | None = None

    def cost(self, run: MesRun) -> Fraction:
        costs, ids = self.instance.costs, self.election.project_ids
        return sum((costs[ids[j]] for j in run.selected), Fraction(0))

    def is_exhaustive(self, run: MesRun, available: Iterable[int]) -> bool:
        """Return whether no project of ``available`` outside ``run`` fits in the money left."""
        left = self.instance.budget - self.cost(run)
        costs, ids = self.instance.costs, self.election.project_ids
        chosen = set(run.selected)
        return all(costs[ids[j]] > left for j in available if j not in chosen)

    def count(
        self,
        share: Fraction,
        stage: str,
        *,
        reference: MesRun | None = None,
        step: Fraction | None = None,
    ) -> MesRun:
        """Count from ``share``; with ``reference``, also check the shares in between; with
        ``step``, also find how many steps of it the outcome lasts for certain."""
        self.counts += 1
        if self.progress is not None:
            self.progress(stage, self.counts, None)
        run = self.election.run(share, reference=reference, stable_within=step)
        self.share = share
        return run

    def plain(self) -> MesRun:
        if self.election.n_voters == 0:
            return MesRun((), ())
        return self.count(self.instance.budget / self.election.n_voters, "Counting")

    def add1(self) -> MesRun:
        """Raise every voter's share by 1 until the outcome is exhaustive or would overspend."""
        if self.election.n_voters == 0:
            return MesRun((), ())
        start = self.instance.budget / self.election.n_voters
        free = self.election.free
        return self._raise(
            start,
            Fraction(1),
            None,
            MesRun(tuple(free), (None,) * len(free)),
            self.election.candidates,
            "Raising every voter's share by 1",
        )

    def increase(self) -> MesRun:
        """Raise the budget in steps of 1 % until the outcome is exhaustive or would overspend."""
        n_voters = self.election.n_voters
        budget = self.instance.budget
        if n_voters == 0:
            return MesRun((), ())
        if budget == 0:
            # Each step would add nothing: count once.
            return self.count(Fraction(0), "Counting")
        step, bound = budget / 100 / n_voters, budget * (n_voters + 1) / n_voters
        if self._never_exhaustive():
            # No outcome can overspend or be exhaustive, so the steps run to the bound.
            return self.count(bound, "Counting at the largest budget")
        return self._raise(
            budget / n_voters,
            step,
            bound,
            MesRun((), ()),
            range(len(self.election.project_ids)),
            "Raising the budget by 1 %",
        )

    def _raise(
        self,
        share: Fraction,
        step: Fraction,
        bound: Fraction | None,
        previous: MesRun,
        available: Iterable[int],
        stage: str,
    ) -> MesRun:
        """Count from ``share``, ``share + step``… until the outcome is exhaustive among
        ``available`` (return it) or overspends (return the one before); stop after ``bound``.

        Shares that certainly give the outcome just counted are skipped: they would stop, or
        not, exactly as it did.
        """
        candidates = list(available)
        if bound is not None and share > bound:
            return previous
        low = self.count(share, stage)
        verdict = self._verdict(low, candidates)
        if verdict == "over":
            self.share = None
            return previous
        if verdict == "exhaustive":
            return low
        # Where the outcome keeps changing, every step is counted (fast counts). Once it has
        # stayed the same for ``CALM`` steps, a slower count works out for how many steps it
        # is certain (``sure``), and those are skipped; once it has stayed the same for five
        # steps or more, look that far ahead at once and check the shares skipped against the
        # last count; if that cannot be shown, go back to single steps.
        low_share, calm = share, 0
        while True:
            left = None if bound is None else math.floor((bound - low_share) / step)
            steps, check = 1, None
            if calm >= CALM:
                sure = self._sure_steps(self.count(low_share, stage, step=step), step)
                if sure is None or (left is not None and sure > left):
                    if left is None:
                        raise CountError("The completion never stops: the outcome never changes.")
                    self.share = low_share + left * step
                    return low
                steps = max(sure, 1 if calm < 5 else calm)
                check = low if steps > sure else None
            if left is not None:
                steps = min(steps, left)
                if steps < 1:
                    self.share = low_share
                    return low
            target = low_share + steps * step
            high = self.count(target, stage, reference=check)
            if check is not None and not high.same_between:
                calm = 0
                continue
            verdict = self._verdict(high, candidates)
            if verdict == "over":
                self.share = target - step
                return low
            if verdict == "exhaustive":
                return high
            calm = calm + steps if high.selected == low.selected else 0
            low, low_share = high, target

    @staticmethod
    def _sure_steps(run: MesRun, step: Fraction) -> int | None:
        """Return how many steps from its share ``run``'s outcome is certain for, at least 1
        (the share itself); None if for good."""
        if run.stable_for is None:
            return None
        return max(1, math.ceil(run.stable_for / step))

    def _verdict(self, run: MesRun, candidates: list[int]) -> str | None:
        if self.cost(run) > self.instance.budget:
            return "over"
        if self.is_exhaustive(run, candidates):
            return "exhaustive"
        return None

    def _never_exhaustive(self) -> bool:
        """Return whether every project the rule can buy fits, with room for one it cannot."""
        election = self.election
        reachable = set(election.candidates) | set(election.free)
        costs, ids = self.instance.costs, election.project_ids
        reachable_cost = sum((costs[ids[j]] for j in reachable), Fraction(0))
        left = self.instance.budget - reachable_cost
        return left >= 0 and any(
            costs[ids[j]] <= left for j in range(len(ids)) if j not in reachable
        )

    def steps(self, run: MesRun) -> tuple[MesStep, ...]:
        ids = self.election.project_ids
        return tuple(
            MesStep(ids[j], self.election.rho_in_currency(rho))
            for j, rho in zip(run.selected, run.rhos, strict=True)
            if rho is not None
        )


def count(
    instance: Instance,
    *,
    rule: Rule,
    utility: Utility = Utility.COST,
    completion: Completion = Completion.NONE,
    tie_break: TieBreak = TieBreak.ID,
    progress: ProgressCallback | None = None,
) -> Outcome:
    """Count ``instance`` with ``rule``; raise :class:`CountError` if it cannot be done."""
    rule, utility = Rule(rule), Utility(utility)
    completion, tie_break = Completion(completion), TieBreak(tie_break)
    if utility is Utility.POINTS and not instance.has_points:
        raise CountError(
            "The points utility needs ballots that give points (cumulative or scoring votes)."
        )
    if rule is Rule.GREEDY:
        if completion is not Completion.NONE:
            raise CountError("Completions apply only to the Method of Equal Shares (rule mes).")
        selected = tuple(greedy(instance, utility, tie_break))
        return _outcome(instance, selected, rule, utility, completion, tie_break)
    mes = _Mes(instance, utility, tie_break, progress)
    if completion is Completion.NONE:
        run = mes.plain()
    elif completion in (Completion.ADD1, Completion.ADD1_GREEDY):
        run = mes.add1()
    else:
        run = mes.increase()
    ids = mes.election.project_ids
    selected = tuple(ids[j] for j in run.selected)
    if completion in (Completion.ADD1_GREEDY, Completion.INCREASE_GREEDY):
        selected += tuple(greedy(instance, utility, tie_break, already=selected))
    return _outcome(
        instance,
        selected,
        rule,
        utility,
        completion,
        tie_break,
        mes_steps=mes.steps(run),
        mes_share=mes.share,
        mes_counts=mes.counts,
    )


def _outcome(
    instance: Instance,
    selected: tuple[str, ...],
    rule: Rule,
    utility: Utility,
    completion: Completion,
    tie_break: TieBreak,
    *,
    mes_steps: tuple[MesStep, ...] = (),
    mes_share: Fraction | None = None,
    mes_counts: int = 0,
) -> Outcome:
    return Outcome(
        selected=selected,
        total_cost=sum((instance.costs[p] for p in selected), Fraction(0)),
        budget=instance.budget,
        rule=rule,
        utility=utility,
        completion=completion,
        tie_break=tie_break,
        mes_steps=mes_steps,
        mes_share=mes_share,
        mes_counts=mes_counts,
    )
