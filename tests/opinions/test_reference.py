"""The analysis against red-dwarf, the reference implementation, on real Pol.is conversations.

Each conversation must give the same number of groups and memberships with an adjusted Rand
index of at least 0.9 (both exports match exactly). The stored results in ``expected/`` come
from ``python -m tests.opinions.make_expected``; the live comparison runs when red-dwarf is
installed.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from civicflow.opinions.analysis import OpinionMap, analyse
from civicflow.opinions.polis_export import read_export
from tests.opinions.reference import CONVERSATIONS, EXPECTED, POLIS_DATA, run_reddwarf

# Red-dwarf's own imports warn (pydantic field options, pandas deprecations).
pytestmark = pytest.mark.filterwarnings(
    "ignore:The 'exclude' attribute", "ignore::DeprecationWarning", "ignore::FutureWarning"
)


def export_folder(conversation: str):
    folder = POLIS_DATA / conversation
    if not (folder / "votes.csv").is_file():
        pytest.skip(f"the real Pol.is exports are not at {POLIS_DATA} (../shared/data/polis/)")
    return folder


def analysed(conversation: str) -> OpinionMap:
    export = read_export(export_folder(conversation))
    result = analyse(export.latest_votes(), moderated_out=export.moderated_out())
    assert isinstance(result, OpinionMap)
    return result


def rand_index(reference: dict[str, int], membership: dict[int, int]) -> float:
    participants = sorted(reference, key=int)
    assert sorted(membership) == sorted(int(p) for p in participants)
    return adjusted_rand_score(
        [reference[p] for p in participants], [membership[int(p)] for p in participants]
    )


def assert_matches(result: OpinionMap, reference: dict) -> None:
    assert result.k == reference["k"]
    assert rand_index(reference["membership"], result.membership) >= 0.9
    # With the same groups, the same representative statements in the same order.
    if result.as_json()["membership"] == reference["membership"]:
        assert result.as_json()["repness"] == reference["repness"]
    ids = [str(s) for s in result.statement_ids.tolist()]
    for side, ours in (("agree", result.consensus_agree), ("disagree", result.consensus_disagree)):
        theirs = [reference["group_aware_consensus"][side][s] for s in ids]
        np.testing.assert_allclose(ours, theirs, rtol=1e-9)


@pytest.mark.parametrize("conversation", CONVERSATIONS)
def test_matches_stored_reddwarf_results(conversation):
    reference = json.loads((EXPECTED / f"{conversation}.json").read_text(encoding="utf-8"))

    assert_matches(analysed(conversation), reference)


@pytest.mark.parametrize("conversation", CONVERSATIONS)
def test_matches_reddwarf_run_now(conversation):
    pytest.importorskip("reddwarf", reason="red-dwarf is in the dev extra")

    assert_matches(analysed(conversation), run_reddwarf(export_folder(conversation)))


def test_matches_the_groups_polis_published_for_canadian_electoral_reform():
    # Pol.is published its own groups in participants-votes.csv. For the Seattle conversation
    # they differ (ARI 0.46): Pol.is also clusters 100 "base clusters" and holds k back over
    # time, which red-dwarf 0.4 does not reproduce either.
    folder = export_folder("canadian-electoral-reform")
    published = read_export(folder).groups

    result = analysed("canadian-electoral-reform")

    assert rand_index({str(p): g for p, g in published.items()}, result.membership) == 1.0


@pytest.mark.parametrize("conversation", CONVERSATIONS)
def test_a_higher_maximum_matches_reddwarf_with_the_same_maximum(conversation):
    pytest.importorskip("reddwarf", reason="red-dwarf is in the dev extra")
    folder = export_folder(conversation)
    export = read_export(folder)

    wider = analyse(export.latest_votes(), moderated_out=export.moderated_out(), max_groups=8)

    assert isinstance(wider, OpinionMap)
    assert sorted(wider.silhouettes) == list(range(2, 9))
    assert_matches(wider, run_reddwarf(folder, max_groups=8))
