"""``civicflow opinions analyse``: a summary or one JSON object, and clear errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from civicflow.config.cli import main
from tests.opinions.reference import POLIS_DATA

SMALL_COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1,x,0,1,0,0,1,Build more cycle lanes\n"
    "2,x,1,1,0,0,1,Open the pool on Sundays\n"
)


def polis_folder(conversation: str = "canadian-electoral-reform"):
    folder = POLIS_DATA / conversation
    if not (folder / "votes.csv").is_file():
        pytest.skip(f"the real Pol.is exports are not at {POLIS_DATA} (../shared/data/polis/)")
    return folder


def small_export(folder, votes):
    (folder / "comments.csv").write_text(SMALL_COMMENTS, encoding="utf-8")
    lines = ["timestamp,datetime,comment-id,voter-id,vote"]
    lines += [f"{i},x,{s},{p},{v}" for i, (p, s, v) in enumerate(votes)]
    (folder / "votes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_json_is_one_object_of_groups_repness_and_consensus(capsys):
    folder = polis_folder()

    status = main(["opinions", "analyse", str(folder), "--json", "--max-groups", "4"])

    out = capsys.readouterr().out
    assert status == 0
    assert out.count("\n") == 1
    result = json.loads(out)
    assert set(result) == {"k", "membership", "repness", "consensus"}
    assert result["k"] == 2
    assert len(result["membership"]) == 281
    assert set(result["membership"].values()) == {0, 1}
    assert result["repness"] == {"0": [24, 13, 29, 44, 22], "1": [44, 29, 22, 43, 13]}
    assert set(result["consensus"]) == {"agree", "disagree"}
    assert all(isinstance(s, int) for s in result["consensus"]["agree"])


def test_the_summary_reads_as_sentences(capsys):
    folder = polis_folder()

    status = main(["opinions", "analyse", str(folder), "--seed", "3"])

    out = capsys.readouterr().out
    assert status == 0
    assert out.startswith("Canadian Electoral Reform\n448 participants voted on 174 statements")
    assert "Group 0 (16 participants) stands out on:" in out
    assert "A majority in every group agrees with:" in out
    assert "The groups divide on:" in out


def test_too_few_votes_is_said_plainly(tmp_path, capsys):
    small_export(tmp_path, [(1, 0, 1), (1, 1, 1)])

    assert main(["opinions", "analyse", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("Not enough votes yet")

    assert main(["opinions", "analyse", str(tmp_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["k"] == 0
    assert result["membership"] == {}
    assert result["message"].startswith("Not enough votes yet")


def test_a_bad_export_exits_2_with_the_reason(tmp_path, capsys):
    small_export(tmp_path, [(1, 5, 1)])

    assert main(["opinions", "analyse", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert (
        err == "civicflow opinions analyse: votes.csv, line 2: comment 5 is not in comments.csv.\n"
    )

    assert main(["opinions", "analyse", str(tmp_path / "missing")]) == 2
    assert "There is no folder at" in capsys.readouterr().err


@pytest.mark.parametrize("arguments", [["--max-groups", "1"], ["--seed", "-1"], ["--seed", "x"]])
def test_bad_options_exit_2(tmp_path, capsys, arguments):
    with pytest.raises(SystemExit) as stopped:
        main(["opinions", "analyse", str(tmp_path), *arguments])

    assert stopped.value.code == 2
    assert "civicflow opinions analyse: error: argument" in capsys.readouterr().err


def test_the_command_does_not_set_up_django(tmp_path):
    small_export(tmp_path, [(1, 0, 1)])
    script = (
        "import sys\n"
        "from civicflow.config.cli import main\n"
        f"status = main(['opinions', 'analyse', {str(tmp_path)!r}, '--json'])\n"
        "assert status == 0, status\n"
        "assert 'django' not in sys.modules, 'Django was imported'\n"
    )

    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, timeout=60)
