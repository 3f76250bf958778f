"""Reading and writing the Pol.is open-data export, and its vote signs checked on real files."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from civicflow.opinions.polis_export import (
    PolisConversation,
    PolisExportError,
    PolisStatement,
    PolisVote,
    read_export,
    write_export,
)
from tests.opinions.reference import CONVERSATIONS, POLIS_DATA

COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1000,x,0,1,2,0,1,Build more cycle lanes\n"
    '1001,x,1,2,0,1,-1,"Close the library, it costs too much"\n'
    "1002,x,2,1,0,0,0,Open the pool on Sundays\n"
)
VOTES = (
    "timestamp,datetime,comment-id,voter-id,vote\n"
    "2000,x,0,1,1\n"
    "2001,x,0,2,-1\n"
    "2002,x,1,1,-1\n"
    "2005,x,0,2,1\n"
)


def real_export(conversation: str) -> Path:
    folder = POLIS_DATA / conversation
    if not (folder / "votes.csv").is_file():
        pytest.skip(f"the real Pol.is exports are not at {POLIS_DATA} (../shared/data/polis/)")
    return folder


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def make_export(folder: Path, **files: str | None) -> Path:
    """Write an export; ``participants_votes_csv="..."`` is participants-votes.csv."""
    files = {"comments_csv": COMMENTS, "votes_csv": VOTES, **files}
    for key, text in files.items():
        if text is not None:
            name = key.removesuffix("_csv").replace("_", "-") + ".csv"
            (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("conversation", CONVERSATIONS)
def test_real_exports_count_agree_as_plus_one_in_every_file(conversation):
    folder = real_export(conversation)
    latest: dict[tuple[str, str], int] = {}
    every_row: Counter[tuple[str, int]] = Counter()
    for vote in sorted(rows(folder / "votes.csv"), key=lambda v: int(v["timestamp"])):
        latest[(vote["voter-id"], vote["comment-id"])] = int(vote["vote"])
        every_row[(vote["comment-id"], int(vote["vote"]))] += 1

    # participants-votes.csv holds each participant's latest vote, with the same signs...
    for participant in rows(folder / "participants-votes.csv"):
        for column, value in participant.items():
            if column.isdigit() and value:
                assert latest[(participant["participant"], column)] == int(value)
        cast = [v for (p, _), v in latest.items() if p == participant["participant"]]
        assert int(participant["n-agree"]) == cast.count(1)
        assert int(participant["n-disagree"]) == cast.count(-1)
    # ...and comments.csv counts every row of votes.csv, changed votes included.
    for comment in rows(folder / "comments.csv"):
        assert int(comment["agrees"]) == every_row[(comment["comment-id"], 1)]
        assert int(comment["disagrees"]) == every_row[(comment["comment-id"], -1)]


@pytest.mark.parametrize("conversation", CONVERSATIONS)
def test_real_exports_are_read_whole(conversation):
    folder = real_export(conversation)
    summary = dict(csv.reader((folder / "summary.csv").open(encoding="utf-8")))

    export = read_export(folder)

    assert len(export.statements) == int(summary["comments"])
    assert len(export.votes) == len(rows(folder / "votes.csv"))
    latest = export.latest_votes()
    assert len(np.unique(latest.participant_ids)) == int(summary["voters"])
    assert export.topic == summary["topic"]
    assert export.views == int(summary["views"])
    assert export.moderated_out() == {
        int(c["comment-id"]) for c in rows(folder / "comments.csv") if c["moderated"] == "-1"
    }
    assert len(set(export.groups.values())) == int(summary["groups"])


@pytest.mark.parametrize("conversation", CONVERSATIONS)
def test_a_real_export_survives_writing_and_reading_back(conversation, tmp_path):
    folder = real_export(conversation)
    export = read_export(folder)

    write_export(tmp_path, export)
    again = read_export(tmp_path)

    assert again == export
    original = {r["participant"]: r for r in rows(folder / "participants-votes.csv")}
    for written in rows(tmp_path / "participants-votes.csv"):
        assert written == original[written["participant"]]
    written_comments = {r["comment-id"]: r for r in rows(tmp_path / "comments.csv")}
    for comment in rows(folder / "comments.csv"):
        for column in ("author-id", "agrees", "disagrees", "moderated", "comment-body"):
            assert written_comments[comment["comment-id"]][column] == comment[column]


def test_a_small_export_is_read_with_the_latest_votes(tmp_path):
    export = read_export(make_export(tmp_path))

    assert [s.statement_id for s in export.statements] == [0, 1, 2]
    assert export.statements[1].body == "Close the library, it costs too much"
    assert export.moderated_out() == {1}
    latest = export.latest_votes()
    cast = dict(
        zip(
            zip(latest.participant_ids.tolist(), latest.statement_ids.tolist(), strict=True),
            latest.votes.tolist(),
            strict=True,
        )
    )
    assert cast == {(1, 0): 1, (2, 0): 1, (1, 1): -1}
    assert export.topic == "" and export.views is None and export.groups == {}


def test_participants_votes_alone_is_enough(tmp_path):
    participants = (
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n"
        "1,0,2,2,1,1,1,-1,\n"
        "2,1,1,1,1,0,1,,\n"
    )
    make_export(tmp_path, votes_csv=None, participants_votes_csv=participants)

    export = read_export(tmp_path)

    assert {(v.participant_id, v.statement_id, v.vote) for v in export.votes} == {
        (1, 0, 1),
        (1, 1, -1),
        (2, 0, 1),
    }
    assert export.groups == {1: 0, 2: 1}


def test_writing_puts_an_opinion_map_s_groups_in_participants_votes(tmp_path):
    conversation = PolisConversation(
        statements=(PolisStatement(statement_id=5, author_id=9, body="One idea", timestamp=0),),
        votes=(PolisVote(participant_id=3, statement_id=5, vote=-1, timestamp=1),),
        topic="Parks",
        description="What should the parks do next?",
    )

    write_export(tmp_path, conversation, groups={3: 1})

    participants = rows(tmp_path / "participants-votes.csv")
    assert [(r["participant"], r["group-id"], r["5"]) for r in participants] == [
        ("3", "1", "-1"),
        ("9", "", ""),
    ]
    summary = dict(csv.reader((tmp_path / "summary.csv").open(encoding="utf-8")))
    assert summary["groups"] == "1"
    assert summary["conversation-description"] == "What should the parks do next?"
    assert rows(tmp_path / "votes.csv")[0]["datetime"] == "Thu Jan 01 00:00:00 UTC 1970"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"comments_csv": COMMENTS.replace(",moderated,", ",status,")},
            "comments.csv is missing the column 'moderated'",
        ),
        (
            {"votes_csv": "timestamp,comment-id,vote\n1,0,1\n"},
            "votes.csv is missing the columns 'datetime', 'voter-id'",
        ),
        ({"votes_csv": VOTES + "2010,x,7,1,1\n"}, "votes.csv, line 6: comment 7 is not in"),
        ({"votes_csv": VOTES + "2010,x,0,3,2\n"}, "votes.csv, line 6: 'vote' must be 1"),
        ({"votes_csv": VOTES + "2010,x,0,abc,1\n"}, "'voter-id' must be a whole number"),
        ({"comments_csv": COMMENTS + "1003,x,2,1,0,0,1,Again\n"}, "comment 2 appears twice"),
        (
            {
                "participants_votes_csv": "participant,group-id,n-comments,n-votes,n-agree,"
                "n-disagree,0,9\n1,,0,1,1,0,1,\n"
            },
            "the column for comment 9 has no comment",
        ),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(tmp_path, files, message):
    make_export(tmp_path, **files)

    with pytest.raises(PolisExportError, match=re.escape(message)):
        read_export(tmp_path)


def test_votes_with_the_opposite_sign_are_detected(tmp_path):
    participants = (
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n"
        "1,,2,2,0,1,-1,1,\n"
        "2,,1,1,0,1,-1,,\n"
    )
    make_export(tmp_path, participants_votes_csv=participants)

    with pytest.raises(PolisExportError, match="opposite signs"):
        read_export(tmp_path)


def test_files_from_different_exports_are_refused(tmp_path):
    participants = (
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n"
        "1,,2,2,1,1,1,-1,1\n"
        "2,,1,1,1,0,1,,\n"
    )
    make_export(tmp_path, participants_votes_csv=participants)

    with pytest.raises(PolisExportError, match="disagree on 1 vote, for example participant 1"):
        read_export(tmp_path)


def test_missing_folders_and_files_are_named(tmp_path):
    with pytest.raises(PolisExportError, match="There is no folder"):
        read_export(tmp_path / "nowhere")
    with pytest.raises(PolisExportError, match=re.escape("has no comments.csv")):
        read_export(tmp_path)
    (tmp_path / "comments.csv").write_text(COMMENTS, encoding="utf-8")
    with pytest.raises(
        PolisExportError, match=re.escape("neither votes.csv nor participants-votes.csv")
    ):
        read_export(tmp_path)
