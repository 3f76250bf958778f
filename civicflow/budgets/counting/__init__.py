"""Count participatory-budget ballots: pure Python, no Django, exact arithmetic.

``pbfile`` reads and writes pabulib ``.pb`` files; ``rules`` counts an :class:`Instance` with the
greedy rule or the Method of Equal Shares (``mes``, ``mes_fast`` and ``mes_count`` hold its
engine); ``explain`` says who paid for each project the Method of Equal Shares bought and how
many more supporters each other project needed (:func:`explain_mes`, :func:`explain_outcome`).
The pages, the API, the ``civicflow pb`` command and the benchmarks all share this package.
"""

from civicflow.budgets.counting.explain import (
    MesExplanation,
    PaymentGroup,
    Purchase,
    Shortfall,
    explain_mes,
    explain_outcome,
)
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
    "MesExplanation",
    "MesStep",
    "Outcome",
    "PaymentGroup",
    "PbElection",
    "PbFormatError",
    "PbProject",
    "PbVote",
    "Purchase",
    "Rule",
    "Shortfall",
    "TieBreak",
    "Utility",
    "count",
    "explain_mes",
    "explain_outcome",
    "instance_from_pb",
    "parse_pb",
    "read_pb",
    "write_pb",
]
