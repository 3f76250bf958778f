"""Reading and writing pabulib ``.pb`` files, including the variations and the mistakes."""

from __future__ import annotations

from fractions import Fraction

import pytest

from civicflow.budgets.counting import PbFormatError, parse_pb, read_pb, write_pb
from civicflow.budgets.counting.pbfile import format_number, parse_number

SMALL = """META
key;value
description;Example election
num_projects;3
num_votes;4
budget;100000
vote_type;approval
currency;EUR
PROJECTS
project_id;name;cost
1;Project 1;5000
2;Project 2;10000
3;Project 3;85000
VOTES
voter_id;vote
1;1,2
2;1
3;3
4;1,2,3
"""


def error_for(text: str) -> PbFormatError:
    with pytest.raises(PbFormatError) as caught:
        parse_pb(text)
    return caught.value


def test_reads_the_example_from_equalshares_net():
    election = parse_pb(SMALL)
    assert election.budget == 100000
    assert election.vote_type == "approval"
    assert list(election.projects) == ["1", "2", "3"]
    assert election.projects["3"].cost == 85000
    assert election.projects["1"].fields == {"name": "Project 1"}
    assert [vote.projects for vote in election.votes] == [
        ("1", "2"),
        ("1",),
        ("3",),
        ("1", "2", "3"),
    ]
    assert election.meta["currency"] == "EUR"
    assert not election.has_points


def test_tolerates_bom_windows_line_ends_blank_lines_and_case():
    text = "\ufeff" + SMALL.replace("\n", "\r\n").replace("PROJECTS", "\r\nprojects")
    election = parse_pb(text)
    assert len(election.votes) == 4


def test_quoted_fields_extra_columns_none_and_comma_decimals():
    text = """META
key;value
budget;1000,5
vote_type;approval
comment;"one; two"
PROJECTS
project_id;cost;votes;name;category;latitude
7;100,25;2;"Park ""Zielony""; phase 2";"Sport & bewegen";none
8;200;1;Library;;
VOTES
voter_id;vote;age;sex
a;7,8;41;F
b;7;none;
"""
    election = parse_pb(text)
    assert election.budget == Fraction(20010, 20)
    assert election.meta["comment"] == "one; two"
    assert election.projects["7"].cost == Fraction("100.25")
    assert election.projects["7"].fields["name"] == 'Park "Zielony"; phase 2'
    assert election.projects["8"].fields["latitude"] == ""
    assert election.votes[0].fields == {"age": "41", "sex": "F"}


def test_missing_optional_keys():
    text = "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\nA;5\nVOTES\nvote\nA\n\n"
    election = parse_pb(text)
    assert election.vote_type == "approval"
    assert election.votes[0].voter_id == "1"
    assert election.votes[1:] == []


def test_empty_votes_count_as_voters():
    text = "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\nA;5\n"
    text += "VOTES\nvoter_id;vote\n1;A\n2;\n"
    election = parse_pb(text)
    assert [vote.projects for vote in election.votes] == [("A",), ()]


def test_cumulative_points():
    text = """META
key;value
budget;100
vote_type;cumulative
max_sum_points;10
PROJECTS
project_id;cost
429;60
105;50
VOTES
voter_id;vote;points;voting_method
27;105,429;5,5;internet
28;429;10;paper
29;;;internet
"""
    election = parse_pb(text)
    assert election.has_points
    assert election.votes[0].points == (5, 5)
    assert election.votes[2].projects == ()
    assert election.votes[2].points == ()


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("budget;10\n", 1, "Expected a section name"),
        ("META\nkey;value\nvote_type;approval\nPROJECTS\n", 4, "no budget"),
        ("META\nkey;value\nbudget;ten\nPROJECTS\n", 3, "not a number"),
        ("META\nkey;value\nbudget;-1\nPROJECTS\n", 3, "negative"),
        ("META\nkey;value\nbudget;10\nvote_type;borda\nPROJECTS\n", 4, "Unknown vote_type"),
        ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;name\n", 5, "no cost column"),
        ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\nA;\n", 6, "has no cost"),
        ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\nA;x\n", 6, "not a number"),
        ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\nA;-5\n", 6, "negative cost"),
        ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\nA;1\nA;2\n", 7, "listed twice"),
        ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\nA;1;x\n", 6, "semicolon"),
        ("PROJECTS\nproject_id;cost\n", 1, "must come after the META"),
        ("META\nkey;value\nbudget;10\nVOTES\n", 4, "must come after the PROJECTS"),
        ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\nA;1\nMETA\n", 7, "twice"),
    ],
)
def test_malformed_files_name_the_line(text, line, words):
    error = error_for(text)
    assert error.line == line
    assert words in error.message
    assert str(error).startswith(f"Line {line}: ")


HEAD = "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\nA;5\nB;5\nVOTES\nvoter_id;vote\n"


@pytest.mark.parametrize(
    ("votes", "line", "words"),
    [
        ("1;A,C\n", 10, "project C, which is not in PROJECTS"),
        ("1;A\n1;B\n", 11, "already voted on line 10"),
        ("1;A,A\n", 10, "same project twice"),
        ("1;A;extra\n", 10, "semicolon"),
    ],
)
def test_bad_votes_name_the_line(votes, line, words):
    error = error_for(HEAD + votes)
    assert (error.line, words in error.message) == (line, True)


def test_points_must_match_the_projects():
    text = (
        "META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\nA;5\nB;5\n"
        "VOTES\nvoter_id;vote;points\n1;A,B;3\n"
    )
    error = error_for(text)
    assert error.line == 11
    assert "2 projects but gives 1 points" in error.message


def test_cumulative_votes_need_a_points_column():
    text = (
        "META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\nA;5\n"
        "VOTES\nvoter_id;vote\n"
    )
    assert error_for(text).line == 9


@pytest.mark.parametrize("cut", [40, 80, 120, 160, 190, 215, len(SMALL) - 12])
def test_truncated_files_are_refused(cut):
    """A file cut short anywhere is refused with the line where it stops."""
    text = SMALL[:cut]
    error = error_for(text)
    assert error.line == text.count("\n") + (0 if text.endswith("\n") else 1)
    assert error.message


def test_unfinished_quote_is_refused_with_its_line():
    text = 'META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost;name\nA;5;"Park\n'
    error = error_for(text)
    assert error.line == 6


def test_file_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "bad.pb"
    path.write_bytes(SMALL.encode() + "5;3\nPROJECTS\n".encode("utf-16"))
    with pytest.raises(PbFormatError) as caught:
        read_pb(path)
    assert caught.value.line == SMALL.count("\n") + 1


def test_anonymised_export_numbers_voters_and_keeps_no_personal_data():
    text = HEAD.replace("voter_id;vote", "voter_id;vote;age;sex") + "x9;B,A;41;F\nx1;A;30;M\n"
    exported = write_pb(parse_pb(text))
    assert "x9" not in exported and "41" not in exported and "age" not in exported
    again = parse_pb(exported)
    assert [(v.voter_id, v.projects) for v in again.votes] == [("1", ("A",)), ("2", ("A", "B"))]
    assert again.meta["num_votes"] == "2"
    assert exported == write_pb(again), "the export of an export is the same file"


def test_anonymised_export_is_the_same_whatever_the_order_of_votes():
    first = HEAD + "1;A\n2;B,A\n3;B\n"
    second = HEAD + "7;B\n8;A\n9;A,B\n"
    assert write_pb(parse_pb(first)) == write_pb(parse_pb(second))


def test_export_round_trip_keeps_everything_that_counts():
    text = (
        "META\nkey;value\nbudget;1000.5\nvote_type;ordinal\n"
        "PROJECTS\nproject_id;cost;name\n"
        '1;10.25;"A; B ""quoted"""\n'
        "2;20;Plain\n"
        "VOTES\nvoter_id;vote\nv1;2,1\nv2;1\n"
    )
    election = parse_pb(text)
    again = parse_pb(write_pb(election, anonymise=False))
    assert again.projects == election.projects
    assert again.votes == election.votes
    assert again.budget == Fraction("1000.5")
    ranked = parse_pb(write_pb(election))
    assert sorted(v.projects for v in ranked.votes) == [("1",), ("2", "1")], "ranks keep order"


def test_numbers_are_written_exactly():
    assert format_number(Fraction(5)) == "5"
    assert format_number(Fraction("1000.50")) == "1000.5"
    assert format_number(Fraction(-1, 8)) == "-0.125"
    with pytest.raises(ValueError, match="no exact decimal"):
        format_number(Fraction(1, 3))
    assert parse_number(" 12,5 ") == Fraction(25, 2)
    with pytest.raises(ValueError):
        parse_number("nan")
