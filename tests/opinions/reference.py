"""Red-dwarf, the reference implementation of the Polis maths, run on the real exports.

Its loader fetches exports over the network, so its input is built here from the local CSV
files, independently of civicflow's reader: the latest vote of each participant on each
statement, and the statements moderated out (``moderated`` = -1).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

POLIS_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "polis"
CONVERSATIONS = ("15-per-hour-seattle", "canadian-electoral-reform")
EXPECTED = Path(__file__).resolve().parent / "expected"


def reddwarf_input(directory: Path) -> tuple[list[dict[str, int]], list[int]]:
    """Return red-dwarf's vote records and moderated-out statement ids for an export."""
    latest: dict[tuple[int, int], dict[str, int]] = {}
    with (directory / "votes.csv").open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: int(row["timestamp"]))
    for row in rows:
        participant, statement = int(row["voter-id"]), int(row["comment-id"])
        latest[(participant, statement)] = {
            "participant_id": participant,
            "statement_id": statement,
            "vote": int(row["vote"]),
            "modified": int(row["timestamp"]),
        }
    with (directory / "comments.csv").open(encoding="utf-8", newline="") as handle:
        moderated_out = [
            int(row["comment-id"]) for row in csv.DictReader(handle) if row["moderated"] == "-1"
        ]
    return list(latest.values()), moderated_out


def run_reddwarf(directory: Path, *, max_groups: int = 5, seed: int = 0) -> dict[str, Any]:
    """Run red-dwarf's Polis pipeline on an export and return its groups and statements."""
    from reddwarf.implementations.polis import run_pipeline

    votes, moderated_out = reddwarf_input(directory)
    result = run_pipeline(
        votes=votes,
        mod_out_statement_ids=moderated_out,
        max_group_count=max_groups,
        random_state=seed,
    )
    groups = result.participants_df["cluster_id"].dropna()
    statements = result.statements_df
    return {
        "k": int(result.clusterer.n_clusters),
        "membership": {str(int(p)): int(g) for p, g in groups.items()},
        "repness": {
            str(int(group)): [int(s["tid"]) for s in picked]
            for group, picked in result.repness.items()
        },
        "group_aware_consensus": {
            "agree": {
                str(int(s)): float(v) for s, v in statements["group-aware-consensus-agree"].items()
            },
            "disagree": {
                str(int(s)): float(v)
                for s, v in statements["group-aware-consensus-disagree"].items()
            },
        },
    }
