"""Benchmark the counting of ``civicflow pb tally`` against pabutools: ``python -m bench.pb``.

Both count the same elections in the same run: the real pabulib files in
``../shared/data/pb/`` and a simulated city-wide election (50,000 voters and 120 projects by
default). Each figure is the median of several rounds of CPU time (``time.process_time``: the
machine may be shared), civicflow's and pabutools' rounds alternating; the ratio is pabutools'
time over civicflow's. Only the counting is timed: both read the file first. Every outcome is
checked to be the same as pabutools'.

pabutools takes minutes on the larger elections with a completion, so it runs in a child
process that is stopped after ``--timeout`` seconds (the ratio is then a lower bound, ``>``),
and a case that takes it more than 10 seconds is timed once.

Options: ``--quick`` (greedy and plain MES on the files, the completions on the two smallest,
and a simulation of 10,000 voters), ``--rounds N`` (default 5), ``--timeout S`` (default 300),
``--voters N`` and ``--projects N`` for the simulation, ``--no-reference`` (civicflow only).
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from bench.pb_reference import Case, files, reference_count, reference_file, reference_from_instance
from civicflow.budgets.counting import (
    Completion,
    Instance,
    Rule,
    TieBreak,
    Utility,
    count,
    instance_from_pb,
    read_pb,
)

FULL_CASES = (
    Case("greedy"),
    Case("mes"),
    Case("mes", completion="add1"),
    Case("mes", completion="add1-greedy"),
    Case("mes", completion="increase-greedy"),
)
SLOW = 10.0  # seconds: a pabutools case slower than this is timed once


def simulate(voters: int, projects: int, *, seed: int = 2024) -> Instance:
    """Return a city-wide election shaped like Warsaw's: districts, local and city projects.

    For 50,000 voters, projects cost from 20,000 to 1,000,000 (in proportion for other sizes;
    together 2.5 times the budget); each has an appeal, and local projects appeal five times as
    much to their own district. A quarter of the voters choose 15 projects, the others 1 to 14,
    weighted by appeal.
    """
    rng = np.random.default_rng(seed)
    districts = 8
    scale = voters / 50_000  # about 180 of budget per voter, whatever the number of voters
    costs = np.round(
        np.exp(rng.uniform(np.log(20_000 * scale), np.log(1_000_000 * scale), projects)), -1
    )
    budget = int(costs.sum() / 2.5 // 1000 * 1000)
    appeal = rng.lognormal(0.0, 1.0, projects)
    home = rng.integers(-1, districts, projects)  # -1: a city-wide project
    voter_district = rng.integers(0, districts, voters)
    # As in Warsaw, where voters may choose up to 15: a quarter choose 15, the others 1 to 14.
    lengths = np.where(rng.random(voters) < 0.25, 15, rng.integers(1, 15, voters))
    lengths = np.minimum(lengths, projects)
    weights = np.where(home[None, :] == voter_district[:, None], 5.0, 1.0) * appeal[None, :]
    # Weighted sampling without replacement: the k largest of log(weight) + Gumbel noise.
    keys = np.log(weights) + rng.gumbel(size=(voters, projects))
    ranked = np.argsort(-keys, axis=1)
    ids = [str(j + 1) for j in range(projects)]
    one = Fraction(1)
    ballots = [
        dict.fromkeys((ids[j] for j in ranked[v, : lengths[v]].tolist()), one)
        for v in range(voters)
    ]
    return Instance(
        Fraction(budget), {ids[j]: Fraction(int(costs[j])) for j in range(projects)}, ballots
    )


@dataclass
class Timing:
    seconds: list[float]
    selected: list[str] | None
    timed_out: bool = False

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def civicflow_count(instance: Instance, case: Case) -> list[str]:
    outcome = count(
        instance,
        rule=Rule(case.rule),
        utility=Utility(case.utility),
        completion=Completion(case.completion),
        tie_break=TieBreak(case.tie_break),
    )
    return sorted(outcome.selected)


def _reference_child(connection: Any, source: Path | Instance, case: Case) -> None:
    pb_instance, profile = (
        reference_file(source) if isinstance(source, Path) else reference_from_instance(source)
    )
    start = time.process_time()
    selected = reference_count(pb_instance, profile, case)
    connection.send((time.process_time() - start, selected))


def pabutools_once(source: Path | Instance, case: Case, timeout: float) -> tuple[float, Any]:
    """Count once with pabutools in a child process; (seconds, None) if it ran out of time."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_reference_child, args=(sender, source, case), daemon=True)
    child.start()
    sender.close()
    started = time.perf_counter()
    ready = receiver.poll(timeout)
    if not ready:
        child.kill()
        child.join()
        return time.perf_counter() - started, None
    seconds, selected = receiver.recv()
    child.join()
    return seconds, selected


def compare(
    instance: Instance,
    source: Path | Instance,
    case: Case,
    *,
    rounds: int,
    timeout: float,
    reference: bool,
) -> tuple[Timing, Timing | None]:
    """Time civicflow and pabutools on one case, their rounds alternating."""
    ours = Timing([], None)
    theirs = Timing([], None) if reference else None
    for round_number in range(rounds):
        start = time.process_time()
        ours.selected = civicflow_count(instance, case)
        ours.seconds.append(time.process_time() - start)
        if theirs is None or theirs.timed_out:
            continue
        if round_number and theirs.median > SLOW:
            continue
        seconds, selected = pabutools_once(source, case, timeout)
        theirs.seconds.append(seconds)
        if selected is None:
            theirs.timed_out = True
        else:
            theirs.selected = selected
    return ours, theirs


def _line(name: str, case: Case, ours: Timing, theirs: Timing | None) -> str:
    text = f"{name:<34} {case.label():<24} {ours.median * 1000:>10.1f}"
    if theirs is None:
        return text
    if theirs.timed_out:
        waited = f"> {theirs.median:.0f} s"
        ratio = f"> {theirs.median / ours.median:.0f}"
        return f"{text} {waited:>12} {ratio:>9}  (pabutools stopped)"
    same = "same" if theirs.selected == ours.selected else "DIFFERENT"
    runs = f" ({len(theirs.seconds)}x)" if len(theirs.seconds) == 1 else ""
    return (
        text + f" {theirs.median * 1000:>12.1f} {theirs.median / ours.median:>9.1f}  {same}{runs}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="fewer and smaller cases")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per case (default 5)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per pabutools count")
    parser.add_argument("--voters", type=int, help="voters in the simulated election")
    parser.add_argument("--projects", type=int, default=120, help="its projects (default 120)")
    parser.add_argument("--no-reference", action="store_true", help="time civicflow only")
    args = parser.parse_args(argv)
    reference = not args.no_reference
    voters = args.voters or (10_000 if args.quick else 50_000)
    print(
        f"civicflow pb tally vs pabutools: median CPU time of {args.rounds} rounds (pabutools "
        f"once when over {SLOW:.0f} s, stopped after {args.timeout:.0f} s); "
        "ratio = pabutools / civicflow"
    )
    print(f"{'election':<34} {'count':<24} {'civicflow ms':>10} {'pabutools ms':>12} {'ratio':>9}")
    failures = 0
    real = files()
    if not real:
        print("(the real files are missing: ../shared/data/pb/)")
    for position, path in enumerate(real):
        instance = instance_from_pb(read_pb(path))
        cases = FULL_CASES
        if args.quick:
            cases = FULL_CASES if position < 2 else FULL_CASES[:2]
        name = path.stem.replace("_", " ")[:34]
        for case in cases:
            ours, theirs = compare(
                instance,
                path,
                case,
                rounds=args.rounds,
                timeout=args.timeout,
                reference=reference,
            )
            print(_line(name, case, ours, theirs), flush=True)
            failures += bool(theirs and not theirs.timed_out and theirs.selected != ours.selected)
    start = time.perf_counter()
    simulated = simulate(voters, args.projects)
    made = time.perf_counter() - start
    name = f"simulated: {voters:,} voters, {args.projects} projects"
    print(f"({name}: made in {made:.1f} s, budget {int(simulated.budget):,})")
    for case in FULL_CASES[1:] if not args.quick else FULL_CASES[1:3]:
        rounds = args.rounds if case.completion == "none" else max(1, min(3, args.rounds))
        ours, theirs = compare(
            simulated,
            simulated,
            case,
            rounds=rounds,
            timeout=args.timeout,
            reference=reference,
        )
        print(_line(name, case, ours, theirs), flush=True)
        failures += bool(theirs and not theirs.timed_out and theirs.selected != ours.selected)
    if failures:
        print(f"{failures} outcome(s) differ from pabutools'", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
