"""Opinion-map analysis against red-dwarf: ``python -m bench.opinions``.

Both run in this process, one BLAS thread each, on the same votes:

* the real Pol.is exports in ``../shared/data/polis/``: the median time of several rounds
  each, rounds alternating so that a busy moment slows both, and the ratio;
* simulated conversations of 1,000, 10,000 and 100,000 participants (100 statements, each
  participant voting on 5–30 % of them, three latent opinion groups), to show how the time
  grows. Red-dwarf is timed up to 10,000 participants: its exact silhouette needs the
  distance between every pair of participants (set ``BENCH_OPINIONS_REDDWARF_MAX`` higher
  to try it at 100,000). Its groups are compared with civicflow's (adjusted Rand index).

Each side gets its own input form, built before timing: civicflow a ``VoteTable`` of arrays,
red-dwarf its list of vote dictionaries.

``BENCH_ROUNDS`` (default 7) sets the rounds on the real exports; the simulated sizes take
fewer rounds as they grow.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from sklearn.metrics import adjusted_rand_score  # noqa: E402

from civicflow.opinions.analysis import OpinionMap, VoteTable, analyse  # noqa: E402
from civicflow.opinions.analysis.simulation import simulate_conversation  # noqa: E402
from civicflow.opinions.polis_export import read_export  # noqa: E402

POLIS_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polis"
SIZES = (1_000, 10_000, 100_000)


def reddwarf_votes(table: VoteTable) -> list[dict[str, int]]:
    """Return the votes as red-dwarf's list of records."""
    return [
        {"participant_id": p, "statement_id": s, "vote": v, "modified": 0}
        for p, s, v in zip(
            table.participant_ids.tolist(),
            table.statement_ids.tolist(),
            table.votes.tolist(),
            strict=True,
        )
    ]


def run_reddwarf(votes: list[dict[str, int]], moderated_out: list[int]) -> Any:
    """Run red-dwarf's Polis pipeline with its defaults."""
    from reddwarf.implementations.polis import run_pipeline

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_pipeline(votes=votes, mod_out_statement_ids=moderated_out, random_state=0)


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def compare(
    ours: Callable[[], Any], reference: Callable[[], Any], rounds: int
) -> tuple[float, float, float, Any, Any]:
    """Return the medians of our time, red-dwarf's and their ratio, and the last results."""
    ours()
    reference()
    our_times, reference_times, ratios = [], [], []
    for _ in range(rounds):
        reference_time, theirs = timed(reference)
        our_time, mine = timed(ours)
        our_times.append(our_time)
        reference_times.append(reference_time)
        ratios.append(reference_time / our_time)
    return (
        statistics.median(our_times),
        statistics.median(reference_times),
        statistics.median(ratios),
        mine,
        theirs,
    )


def agreement(mine: OpinionMap, theirs: Any) -> str:
    """Return the two results' group counts and the adjusted Rand index of their groups."""
    groups = theirs.participants_df["cluster_id"].dropna()
    membership = mine.membership
    index = adjusted_rand_score(
        [int(g) for g in groups.to_numpy()], [membership[int(p)] for p in groups.index]
    )
    return f"k {mine.k}/{int(theirs.clusterer.n_clusters)}, ARI {index:.3f}"


def main() -> int:
    try:
        with warnings.catch_warnings():
            # Its pydantic models warn on import.
            warnings.simplefilter("ignore")
            import reddwarf.implementations.polis  # noqa: F401
    except ImportError:
        sys.stderr.write(
            "red-dwarf is not installed: install the dev extra (pip install -e '.[dev]').\n"
        )
        return 2
    rounds = int(os.environ.get("BENCH_ROUNDS", "7"))
    reddwarf_max = int(os.environ.get("BENCH_OPINIONS_REDDWARF_MAX", "10000"))
    print("Opinion maps: civicflow against red-dwarf 0.4, one thread each, same votes")
    print(f"{'conversation':<30}{'civicflow ms':>14}{'red-dwarf ms':>14}{'faster':>9}  groups")

    folders = sorted(p for p in POLIS_DATA.glob("*") if (p / "comments.csv").is_file())
    if not folders:
        print(f"(no Pol.is exports at {POLIS_DATA}: real conversations skipped)")
    for folder in folders:
        export = read_export(folder)
        table = export.latest_votes()
        moderated = sorted(export.moderated_out())
        records = reddwarf_votes(table)
        our, their, ratio, mine, theirs = compare(
            lambda table=table, moderated=moderated: analyse(table, moderated_out=moderated),
            lambda records=records, moderated=moderated: run_reddwarf(records, moderated),
            rounds,
        )
        print(
            f"{folder.name:<30}{our * 1000:>14.1f}{their * 1000:>14.1f}{ratio:>8.1f}×  "
            f"{agreement(mine, theirs)}"
        )

    print()
    print("Simulated: 100 statements, 5–30 % seen by each participant, 3 latent groups")
    print(
        f"{'participants':<14}{'votes':>11}{'civicflow s':>13}{'×time':>8}"
        f"{'red-dwarf s':>13}{'faster':>9}  groups"
    )
    previous = None
    for size in SIZES:
        simulated = simulate_conversation(
            participants=size, statements=100, groups=3, min_seen=0.05, max_seen=0.3, seed=1
        )
        table = simulated.votes
        size_rounds = 5 if size <= 10_000 else 3
        growth = ""
        if size <= reddwarf_max:
            records = reddwarf_votes(table)
            our, their, ratio, mine, theirs = compare(
                lambda table=table: analyse(table),
                lambda records=records: run_reddwarf(records, []),
                3 if size >= 10_000 else size_rounds,
            )
            reference = f"{their:>13.3f}{ratio:>8.1f}×  {agreement(mine, theirs)}"
        else:
            analyse(table)
            times = [timed(lambda table=table: analyse(table))[0] for _ in range(size_rounds)]
            our = statistics.median(times)
            mine = analyse(table)
            reference = f"{'not run':>13}{'':>9}  k {mine.k}"
        if previous is not None:
            growth = f"{our / previous:.1f}"
        previous = our
        print(f"{size:<14,}{len(table):>11,}{our:>13.3f}{growth:>8}{reference}")
    print()
    print(
        "×time: civicflow's time over the previous size's (10× the participants each step). "
        "Above 3,000 participants civicflow scores the silhouette on a seeded sample of 3,000."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
