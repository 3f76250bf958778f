"""The Polis method for opinion maps, as published and as reproduced by red-dwarf.

Pure numpy and scikit-learn: no Django, no database. ``analyse`` takes a ``VoteTable`` and
returns an ``OpinionMap`` or, when there are too few votes to draw one, ``NotEnoughVotes``.
The steps are separate modules so that each can be tested on its own:

* ``matrix``: the participant × statement matrix and who has voted enough to be grouped
* ``projection``: imputation, principal components and the sparsity scaling
* ``clustering``: k-means from Polis's starting centres, k chosen by silhouette
* ``statistics``: each group's smoothed proportions and z-tests
* ``selection``: representative, consensus and divisive statements
"""

from civicflow.opinions.analysis.matrix import AGREE, DISAGREE, PASS, VoteMatrix, VoteTable
from civicflow.opinions.analysis.opinion_map import NO_GROUP, NotEnoughVotes, OpinionMap, analyse
from civicflow.opinions.analysis.selection import (
    Consensus,
    ConsensusStatement,
    DivisiveStatement,
    RepresentativeStatement,
)

__all__ = [
    "AGREE",
    "DISAGREE",
    "NO_GROUP",
    "PASS",
    "Consensus",
    "ConsensusStatement",
    "DivisiveStatement",
    "NotEnoughVotes",
    "OpinionMap",
    "RepresentativeStatement",
    "VoteMatrix",
    "VoteTable",
    "analyse",
]
