"""``civicflow pb tally``: what an analyst sees, and the errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from civicflow.budgets import cli
from civicflow.budgets.counting import Completion, Rule, TieBreak, Utility
from civicflow.config.cli import main

EXAMPLE = """META
key;value
description;Example election
budget;1100
vote_type;approval
currency;EUR
PROJECTS
project_id;cost;name
bike;700;Bike path
gym;400;Outdoor gym
park;250;New park
playground;200;New playground
library;100;Library for kids
VOTES
voter_id;vote
1;bike,gym
2;bike,gym,park
3;bike,gym
4;bike,gym,park
5;bike,gym,park
6;bike,gym
7;park,playground,library
8;playground
9;playground,library
10;park,playground,library
11;bike
"""


@pytest.fixture
def example(tmp_path):
    path = tmp_path / "example.pb"
    path.write_text(EXAMPLE)
    return path


def tally(capsys, *args):
    status = main(["pb", "tally", *map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_json(capsys, example):
    status, out, err = tally(capsys, example, "--rule", "mes", "--json")
    assert status == 0
    assert json.loads(out) == {
        "selected": ["bike", "playground", "library"],
        "total_cost": 1000,
        "budget": 1100,
        "rule": "mes",
        "utility": "cost",
        "completion": "none",
        "tie_break": "id",
    }
    assert err == ""


def test_table(capsys, example):
    status, out, _ = tally(capsys, example, "--rule", "greedy")
    assert status == 0
    assert "Rule:     greedy (most supporters first) (ties by project id)" in out
    assert "Budget:   1,100 EUR" in out
    assert "Selected: 2 projects costing 1,100 EUR (100.0% of the budget); 0 EUR left" in out
    assert "bike      700  Bike path" in out


def test_every_option(capsys, example):
    status, out, _ = tally(
        capsys,
        example,
        "--rule=mes",
        "--utility=approval",
        "--completion=add1-greedy",
        "--tie-break=max-cost",
        "--json",
    )
    assert status == 0
    result = json.loads(out)
    assert result["completion"] == "add1-greedy"
    assert result["total_cost"] <= result["budget"]


def test_non_integral_numbers_are_json_numbers(capsys, tmp_path):
    path = tmp_path / "halves.pb"
    path.write_text(EXAMPLE.replace("budget;1100", "budget;1100.5").replace("100;Lib", "99.5;Lib"))
    status, out, _ = tally(capsys, path, "--rule", "greedy", "--json")
    assert status == 0
    assert json.loads(out)["budget"] == 1100.5


def test_bad_file_names_the_line(capsys, example):
    example.write_text(EXAMPLE.replace("8;playground", "8;swings"))
    status, out, err = tally(capsys, example, "--rule", "mes")
    assert status == 2
    assert out == ""
    assert "Line 23: Voter 8 chooses project swings, which is not in PROJECTS." in err


def test_missing_file(capsys, tmp_path):
    status, _, err = tally(capsys, tmp_path / "none.pb", "--rule", "mes")
    assert status == 2
    assert "cannot read" in err


def test_points_utility_on_approval_votes(capsys, example):
    status, _, err = tally(capsys, example, "--rule", "mes", "--utility", "points")
    assert status == 2
    assert "points utility needs ballots that give points" in err


def test_completion_with_greedy(capsys, example):
    status, _, err = tally(capsys, example, "--rule", "greedy", "--completion", "add1")
    assert status == 2
    assert "only to the Method of Equal Shares" in err


def test_unknown_rule(capsys, example):
    with pytest.raises(SystemExit) as caught:
        main(["pb", "tally", str(example), "--rule", "borda"])
    assert caught.value.code == 2
    assert "invalid choice: 'borda'" in capsys.readouterr().err


def test_choices_match_the_counting_options():
    assert tuple(Rule) == cli.RULES
    assert tuple(Utility) == cli.UTILITIES
    assert tuple(Completion) == cli.COMPLETIONS
    assert tuple(TieBreak) == cli.TIE_BREAKS


def test_progress_bar_only_on_a_terminal(capsys, example, monkeypatch):
    stream = io.StringIO()
    progress = cli.Progress(stream)
    progress.started -= 10
    progress("Raising every voter's share by 1", 3, None)
    progress("Raising every voter's share by 1", 4, None)  # too soon after: not shown
    progress.shown_at -= 1
    progress("Counting", 1, 4)
    progress.clear()
    text = stream.getvalue()
    assert "\rRaising every voter's share by 1: count 3" in text
    assert "count 4" not in text
    assert "Counting: [#####...............] 1/4" in text
    assert text.endswith("\r")
    tally(capsys, example, "--rule", "mes", "--completion", "add1")
    assert capsys.readouterr().err == ""  # stderr is not a terminal here


def test_the_command_does_not_set_up_django_or_load_numpy_to_build_its_parser():
    code = (
        "import sys; from civicflow.config.cli import build_parser; build_parser(); "
        "print(any(m.startswith('numpy') for m in sys.modules), 'django.apps' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]
