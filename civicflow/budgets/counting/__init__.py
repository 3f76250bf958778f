"""Count participatory-budget ballots: pure Python, no Django, exact arithmetic.

``pbfile`` reads and writes pabulib ``.pb`` files; ``rules`` counts an :class:`Instance` with the
greedy rule or the Method of Equal Shares (``mes`` holds its engine). The pages, the API, the
``civicflow pb`` command and the benchmarks all share this package.
"""

from civicflow.budgets.counting.instance import (
    Completion,
    CountError,
    Instance,
    MesStep,
    Outcome,
    Rule,
    TieBreak,
    Utility,
)
from civicflow.budgets.counting.pbfile import (
    PbElection,
    PbFormatError,
    PbProject,
    PbVote,
    parse_pb,
    read_pb,
    write_pb,
)
from civicflow.budgets.counting.rules import count, instance_from_pb

__all__ = [
    "Completion",
    "CountError",
    "Instance",
    "MesStep",
    "Outcome",
    "PbElection",
    "PbFormatError",
    "PbProject",
    "PbVote",
    "Rule",
    "TieBreak",
    "Utility",
    "count",
    "instance_from_pb",
    "parse_pb",
    "read_pb",
    "write_pb",
]
