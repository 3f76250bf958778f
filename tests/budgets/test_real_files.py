"""The real pabulib files in ``../shared/data/pb/``, against the reference implementation.

``expected.json`` holds what ``pabutools`` selects for each file and way of counting, made by
``python -m bench.pb_reference --write tests/budgets/expected.json`` (pabutools takes minutes on
the larger files with a completion). The cheap cases are also recounted with pabutools here.
"""

from __future__ import annotations

import json
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest

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

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pb"
EXPECTED = json.loads((Path(__file__).with_name("expected.json")).read_text())
FILES = [
    "US_Stanford_Dataset_2022_Jersey_City_Ward_B_vote_knapsacks.pb",
    "Netherlands_Amsterdam_613.pb",
    "Poland_Czestochowa_2025_Stradom.pb",
    "Poland_Krakow_2020_Grzegorzki.pb",
    "Poland_Warszawa_2020_Wilanow.pb",
]

needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"the real pabulib files are not here: {DATA} is missing"
)


@cache
def instance(name: str) -> Instance:
    return instance_from_pb(read_pb(DATA / name))


def case_id(case: dict[str, str]) -> str:
    return "-".join(
        [case["file"].split("_")[1], case["rule"], case["utility"], case["completion"]]
        + ([case["tie_break"]] if case["tie_break"] != "id" else [])
    )


def test_expected_outcomes_cover_every_file():
    assert sorted({case["file"] for case in EXPECTED["cases"]}) == sorted(FILES)
    assert EXPECTED["generated_by"].startswith("python -m bench.pb_reference")


@needs_data
@pytest.mark.parametrize("case", EXPECTED["cases"], ids=case_id)
def test_same_outcome_as_pabutools(case):
    outcome = count(
        instance(case["file"]),
        rule=Rule(case["rule"]),
        utility=Utility(case["utility"]),
        completion=Completion(case["completion"]),
        tie_break=TieBreak(case["tie_break"]),
    )
    assert sorted(outcome.selected) == case["selected"]
    assert outcome.total_cost == Fraction(case["total_cost"])
    assert outcome.total_cost <= outcome.budget


@needs_data
@pytest.mark.parametrize("name", FILES)
def test_files_read_as_described(name):
    election = read_pb(DATA / name)
    assert len(election.votes) == int(election.meta["num_votes"])
    assert len(election.projects) == int(election.meta["num_projects"])


# Live: pabutools counts the cheap cases in this run.

LIVE = [
    (name, rule, completion)
    for name in FILES
    for rule, completion in [("greedy", "none"), ("mes", "none")]
] + [(FILES[0], "mes", "add1"), (FILES[0], "mes", "increase-greedy")]


@needs_data
@pytest.mark.parametrize(("name", "rule", "completion"), LIVE)
def test_live_against_pabutools(name, rule, completion):
    pytest.importorskip("pabutools", reason="pabutools is not installed")
    from bench.pb_reference import Case, reference_count, reference_file

    reference = reference_count(*reference_file(DATA / name), Case(rule, "cost", completion))
    outcome = count(instance(name), rule=Rule(rule), completion=Completion(completion))
    assert sorted(outcome.selected) == reference
