"""Store red-dwarf's results on the real exports for the tests that run without it.

Run ``python -m tests.opinions.make_expected`` with red-dwarf installed (the ``dev`` extra)
and the exports in ``../shared/data/polis/``; it rewrites ``tests/opinions/expected/``.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version

from tests.opinions.reference import CONVERSATIONS, EXPECTED, POLIS_DATA, run_reddwarf


def main() -> int:
    """Run red-dwarf on each conversation and write its results as JSON."""
    EXPECTED.mkdir(exist_ok=True)
    for conversation in CONVERSATIONS:
        result = run_reddwarf(POLIS_DATA / conversation)
        result = {"reddwarf": version("red-dwarf"), "max_groups": 5, "seed": 0, **result}
        path = EXPECTED / f"{conversation}.json"
        path.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        sys.stdout.write(f"{path}: k={result['k']}, {len(result['membership'])} grouped\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
