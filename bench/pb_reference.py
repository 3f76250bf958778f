"""Count participatory budgets with the reference implementation, PyPI ``pabutools``.

``python -m bench.pb_reference --write tests/budgets/expected.json`` counts the real ``.pb``
files in ``../shared/data/pb/`` with every case in :data:`CASES` and stores the outcomes, which
``tests/budgets/test_real_files.py`` compares with civicflow's. ``pabutools`` takes minutes on
the larger files with a completion, so the tests read the stored outcomes; they recount the
cheap cases live.

How civicflow's options map onto ``pabutools`` 1.2.3 (with ``pulp<3`` and exact fractions):

* utilities: ``cost`` is ``Cost_Sat``, ``approval`` is ``Cardinality_Sat``, ``points`` is
  ``Additive_Cardinal_Sat``;
* ``greedy`` is ``greedy_utilitarian_welfare`` with ``Cost_Sat`` (so projects go by number of
  supporters), or with points times cost for the points utility (so projects go by points);
* ``mes`` is ``method_of_equal_shares``; ``add1`` passes ``voter_budget_increment=1``;
  ``add1-greedy`` and ``increase-greedy`` are ``completion_by_rule_combination`` of that, or of
  ``exhaustion_by_budget_increase`` over ``method_of_equal_shares``, then ``greedy``;
* ties: ``id`` is ``lexico_tie_breaking``; ``min-cost`` and ``max-cost`` order by cost, then by
  id (``pabutools``' own cost rules leave projects of equal cost in set order, which changes
  from one run to the next).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "pb"
EXPECTED = ROOT / "tests" / "budgets" / "expected.json"
COMMAND = "python -m bench.pb_reference --write tests/budgets/expected.json"


@dataclass(frozen=True)
class Case:
    """One way of counting: the options of ``civicflow pb tally``."""

    rule: str
    utility: str = "cost"
    completion: str = "none"
    tie_break: str = "id"

    def label(self) -> str:
        parts = [self.rule, self.utility]
        if self.completion != "none":
            parts.append(self.completion)
        if self.tie_break != "id":
            parts.append(f"ties {self.tie_break}")
        return " ".join(parts)


#: Counted on every file; the points utility only where ballots give points.
CASES = (
    Case("greedy"),
    Case("greedy", tie_break="min-cost"),
    Case("greedy", tie_break="max-cost"),
    Case("greedy", "points"),
    Case("mes"),
    Case("mes", "approval"),
    Case("mes", "points"),
    Case("mes", tie_break="min-cost"),
    Case("mes", tie_break="max-cost"),
    Case("mes", completion="add1"),
    Case("mes", "approval", "add1"),
    Case("mes", "points", "add1"),
    Case("mes", completion="add1-greedy"),
    Case("mes", completion="increase-greedy"),
    Case("mes", "approval", "increase-greedy"),
)


def _pabutools() -> Any:
    import pabutools.election as election
    import pabutools.rules as rules
    import pabutools.tiebreaking as tiebreaking

    return election, rules, tiebreaking


def _points_cost_sat() -> type:
    """Return the satisfaction ``greedy`` ranks by with the points utility: points x cost."""
    election, _, _ = _pabutools()

    def points_times_cost(instance: Any, profile: Any, ballot: Any, project: Any, _: Any) -> Any:
        return ballot.get(project, 0) * project.cost

    class PointsCostSat(election.AdditiveSatisfaction):  # type: ignore[misc]
        def __init__(self, instance: Any, profile: Any, ballot: Any) -> None:
            super().__init__(instance, profile, ballot, points_times_cost)

    return PointsCostSat


def _tie_breaking(tie_break: str) -> Any:
    _, _, tiebreaking = _pabutools()
    if tie_break == "min-cost":
        return tiebreaking.TieBreakingRule(lambda inst, prof, p: (p.cost, p.name))
    if tie_break == "max-cost":
        return tiebreaking.TieBreakingRule(lambda inst, prof, p: (-p.cost, p.name))
    return tiebreaking.lexico_tie_breaking


def reference_count(instance: Any, profile: Any, case: Case) -> list[str]:
    """Count a ``pabutools`` instance and profile as ``case`` says; return the project ids."""
    election, rules, _ = _pabutools()
    sat = {
        "cost": election.Cost_Sat,
        "approval": election.Cardinality_Sat,
        "points": election.Additive_Cardinal_Sat,
    }[case.utility]
    greedy_sat = _points_cost_sat() if case.utility == "points" else election.Cost_Sat
    ties = _tie_breaking(case.tie_break)
    greedy = {"sat_class": greedy_sat, "tie_breaking": ties}
    mes = {"sat_class": sat, "tie_breaking": ties}
    if case.rule == "greedy":
        outcome = rules.greedy_utilitarian_welfare(instance, profile, **greedy)
    elif case.completion == "none":
        outcome = rules.method_of_equal_shares(instance, profile, **mes)
    elif case.completion == "add1":
        outcome = rules.method_of_equal_shares(instance, profile, voter_budget_increment=1, **mes)
    elif case.completion == "add1-greedy":
        outcome = rules.completion_by_rule_combination(
            instance,
            profile,
            [rules.method_of_equal_shares, rules.greedy_utilitarian_welfare],
            [{**mes, "voter_budget_increment": 1}, greedy],
        )
    else:
        outcome = rules.completion_by_rule_combination(
            instance,
            profile,
            [rules.exhaustion_by_budget_increase, rules.greedy_utilitarian_welfare],
            [{"rule": rules.method_of_equal_shares, "rule_params": mes}, greedy],
        )
    return sorted(str(p.name) for p in outcome)


def reference_from_instance(instance: Any) -> tuple[Any, Any]:
    """Return ``pabutools``' instance and profile for a civicflow counting ``Instance``."""
    election, _, _ = _pabutools()
    projects = {p: election.Project(p, cost) for p, cost in instance.costs.items()}
    pb_instance = election.Instance(projects.values(), budget_limit=instance.budget)
    if instance.has_points:
        profile = election.CumulativeProfile(
            [
                election.CumulativeBallot({projects[p]: points for p, points in ballot.items()})
                for ballot in instance.ballots
            ]
        )
    else:
        profile = election.ApprovalProfile(
            [election.ApprovalBallot(projects[p] for p in ballot) for ballot in instance.ballots]
        )
    return pb_instance, profile


def reference_file(path: Path) -> tuple[Any, Any]:
    """Return ``pabutools``' instance and profile for a ``.pb`` file."""
    election, _, _ = _pabutools()
    return election.parse_pabulib(str(path))


def applicable(path: Path, case: Case) -> bool:
    """Return whether ``case`` applies to the file: the points utility needs points."""
    if case.utility != "points":
        return True
    head = path.read_text(encoding="utf-8-sig").split("PROJECTS", 1)[0].lower()
    return "vote_type;cumulative" in head or "vote_type;scoring" in head


def files() -> list[Path]:
    """Return the real ``.pb`` files, smallest first."""
    return sorted(DATA.glob("*.pb"), key=lambda path: path.stat().st_size)


def _number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(value)


def compute(selected_files: list[Path], cases: tuple[Case, ...]) -> Iterator[dict[str, Any]]:
    """Count every file with every applicable case; yield one record per count."""
    for path in selected_files:
        instance, profile = reference_file(path)
        costs = {str(p.name): Fraction(str(p.cost)) for p in instance}
        for case in cases:
            if not applicable(path, case):
                continue
            start = time.perf_counter()
            selected = reference_count(instance, profile, case)
            seconds = time.perf_counter() - start
            yield {
                "file": path.name,
                "rule": case.rule,
                "utility": case.utility,
                "completion": case.completion,
                "tie_break": case.tie_break,
                "selected": selected,
                "total_cost": _number(sum((costs[p] for p in selected), Fraction(0))),
                "pabutools_seconds": round(seconds, 3),
            }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--write", type=Path, help="store the outcomes in this JSON file")
    parser.add_argument("--file", action="append", help="only this file name (repeatable)")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"No data: {DATA} is missing.", file=sys.stderr)
        return 1
    chosen = [p for p in files() if not args.file or p.name in args.file]
    records = []
    for record in compute(chosen, CASES):
        records.append(record)
        case = Case(record["rule"], record["utility"], record["completion"], record["tie_break"])
        print(
            f"{record['file']:<66} {case.label():<34} {record['pabutools_seconds']:>8.2f} s",
            flush=True,
        )
    if args.write:
        document = {
            "generated_by": COMMAND,
            "reference": (
                f"pabutools {version('pabutools')}, PuLP {version('pulp')}, exact fractions"
            ),
            "data": "../shared/data/pb (pabulib, commit 88cfaba3e7692a90f3311cbcf8f08aa63fc3fbff)",
            "cases": records,
        }
        args.write.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
