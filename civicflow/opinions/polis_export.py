"""Read and write the Pol.is open-data export: ``comments.csv``, ``votes.csv``,
``participants-votes.csv`` and ``summary.csv`` in one folder.

Vote signs: in these files agree is +1 and disagree −1, in ``votes.csv`` as in
``participants-votes.csv`` (checked against the conversations published as Pol.is open data;
the Pol.is database and API store agree as −1). ``votes.csv`` keeps every vote, so a
participant who changed their mind has several rows for a statement; the latest counts, and
the ``agrees`` and ``disagrees`` of ``comments.csv`` count every row. ``moderated`` is 1 for
accepted, 0 for not yet moderated and −1 for moderated out.

Pure Python and numpy: no Django.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from civicflow.opinions.analysis.matrix import AGREE, DISAGREE, PASS, VoteTable

COMMENTS = "comments.csv"
VOTES = "votes.csv"
PARTICIPANTS_VOTES = "participants-votes.csv"
SUMMARY = "summary.csv"

COMMENT_COLUMNS = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
VOTE_COLUMNS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANT_COLUMNS = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
SUMMARY_KEYS = (
    "topic",
    "url",
    "views",
    "voters",
    "voters-in-conv",
    "commenters",
    "comments",
    "groups",
    "conversation-description",
)

ACCEPTED = 1
UNMODERATED = 0
MODERATED_OUT = -1


class PolisExportError(ValueError):
    """An export that cannot be read; the message says which file, where and how to fix it."""


@dataclass(frozen=True)
class PolisStatement:
    """A statement (a "comment" in Pol.is) with its author and moderation state."""

    statement_id: int
    author_id: int
    body: str
    moderated: int = ACCEPTED
    #: Milliseconds since 1970-01-01 UTC.
    timestamp: int = 0


@dataclass(frozen=True)
class PolisVote:
    """One vote: +1 agree, −1 disagree, 0 pass."""

    participant_id: int
    statement_id: int
    vote: int
    #: Milliseconds since 1970-01-01 UTC.
    timestamp: int = 0


@dataclass(frozen=True)
class PolisConversation:
    """Everything an export holds that civicflow uses."""

    statements: tuple[PolisStatement, ...]
    #: Every vote, oldest first; a changed vote appears more than once.
    votes: tuple[PolisVote, ...]
    topic: str = ""
    description: str = ""
    url: str = ""
    views: int | None = None
    #: The group of each participant in ``participants-votes.csv``, where it gives one.
    groups: Mapping[int, int] = field(default_factory=dict)

    def latest_votes(self) -> VoteTable:
        """Return each participant's latest vote on each statement (the later row on a tie)."""
        latest: dict[tuple[int, int], int] = {}
        order = sorted(range(len(self.votes)), key=lambda i: self.votes[i].timestamp)
        for index in order:
            vote = self.votes[index]
            latest[(vote.participant_id, vote.statement_id)] = vote.vote
        keys = np.array(list(latest), dtype=np.int64).reshape(-1, 2)
        return VoteTable(
            participant_ids=keys[:, 0].copy(),
            statement_ids=keys[:, 1].copy(),
            votes=np.fromiter(latest.values(), dtype=np.int8, count=len(latest)),
        )

    def moderated_out(self) -> frozenset[int]:
        """Return the ids of the statements moderated out."""
        return frozenset(s.statement_id for s in self.statements if s.moderated == MODERATED_OUT)


# Reading


def _rows(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from a CSV file after checking its header."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise PolisExportError(f"Cannot read {path.name}: {error.strerror}.") from error
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [column for column in required if column not in header]
        if missing:
            names = ", ".join(f"'{column}'" for column in missing)
            raise PolisExportError(
                f"{path.name} is missing the column{'s' if len(missing) > 1 else ''} {names}. "
                f"Its first line must name the columns: {', '.join(required)}."
            )
        try:
            for row in reader:
                yield reader.line_num, row
        except (csv.Error, UnicodeDecodeError) as error:
            raise PolisExportError(
                f"{path.name}, line {reader.line_num}: not a readable CSV file ({error})."
            ) from error


def _integer(value: str | None, *, file: str, line: int, column: str) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        raise PolisExportError(
            f"{file}, line {line}: '{column}' must be a whole number, not '{value or ''}'."
        ) from None


def _vote(value: str | None, *, file: str, line: int, column: str) -> int:
    vote = _integer(value, file=file, line=line, column=column)
    if vote not in (AGREE, DISAGREE, PASS):
        raise PolisExportError(
            f"{file}, line {line}: '{column}' must be 1 (agree), -1 (disagree) or 0 (pass), "
            f"not '{value}'."
        )
    return vote


def read_statements(path: Path) -> tuple[PolisStatement, ...]:
    """Read ``comments.csv``."""
    statements: dict[int, PolisStatement] = {}
    for line, row in _rows(path, COMMENT_COLUMNS):

        def number(column: str, line: int = line, row: dict[str, str] = row) -> int:
            return _integer(row[column], file=COMMENTS, line=line, column=column)

        statement_id = number("comment-id")
        if statement_id in statements:
            raise PolisExportError(
                f"{COMMENTS}, line {line}: comment {statement_id} appears twice; "
                "each comment-id must be unique."
            )
        moderated = number("moderated")
        if moderated not in (ACCEPTED, UNMODERATED, MODERATED_OUT):
            raise PolisExportError(
                f"{COMMENTS}, line {line}: 'moderated' must be 1, 0 or -1, not '{moderated}'."
            )
        statements[statement_id] = PolisStatement(
            statement_id=statement_id,
            author_id=number("author-id"),
            body=row["comment-body"] or "",
            moderated=moderated,
            timestamp=number("timestamp"),
        )
    return tuple(statements[key] for key in sorted(statements))


def read_votes(path: Path, statement_ids: frozenset[int]) -> tuple[PolisVote, ...]:
    """Read ``votes.csv``, oldest vote first; every statement must be in ``statement_ids``."""
    votes = []
    for line, row in _rows(path, VOTE_COLUMNS):
        statement_id = _integer(row["comment-id"], file=VOTES, line=line, column="comment-id")
        if statement_id not in statement_ids:
            raise PolisExportError(
                f"{VOTES}, line {line}: comment {statement_id} is not in {COMMENTS}."
            )
        votes.append(
            PolisVote(
                participant_id=_integer(row["voter-id"], file=VOTES, line=line, column="voter-id"),
                statement_id=statement_id,
                vote=_vote(row["vote"], file=VOTES, line=line, column="vote"),
                timestamp=_integer(row["timestamp"], file=VOTES, line=line, column="timestamp"),
            )
        )
    votes.sort(key=lambda vote: vote.timestamp)
    return tuple(votes)


def read_participants_votes(
    path: Path, statement_ids: frozenset[int]
) -> tuple[dict[tuple[int, int], int], dict[int, int]]:
    """Read ``participants-votes.csv``: each participant's latest votes, and their groups."""
    votes: dict[tuple[int, int], int] = {}
    groups: dict[int, int] = {}
    seen: set[int] = set()
    for line, row in _rows(path, PARTICIPANT_COLUMNS):
        participant = _integer(
            row["participant"], file=PARTICIPANTS_VOTES, line=line, column="participant"
        )
        if participant in seen:
            raise PolisExportError(
                f"{PARTICIPANTS_VOTES}, line {line}: participant {participant} appears twice."
            )
        seen.add(participant)
        if (row["group-id"] or "").strip():
            groups[participant] = _integer(
                row["group-id"], file=PARTICIPANTS_VOTES, line=line, column="group-id"
            )
        for column, value in row.items():
            if column in PARTICIPANT_COLUMNS or column is None:
                continue
            statement_id = _integer(column, file=PARTICIPANTS_VOTES, line=1, column=column)
            if statement_id not in statement_ids:
                raise PolisExportError(
                    f"{PARTICIPANTS_VOTES}: the column for comment {statement_id} has no comment "
                    f"in {COMMENTS}."
                )
            if value is not None and value.strip():
                votes[(participant, statement_id)] = _vote(
                    value, file=PARTICIPANTS_VOTES, line=line, column=column
                )
    return votes, groups


def read_summary(path: Path) -> dict[str, str]:
    """Read ``summary.csv``: one ``key,value`` pair a line, with no header."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except OSError as error:
        raise PolisExportError(f"Cannot read {path.name}: {error.strerror}.") from error
    except (csv.Error, UnicodeDecodeError) as error:
        raise PolisExportError(f"{SUMMARY}: not a readable CSV file ({error}).") from error
    # A value with an unquoted comma spreads over several fields: join them back.
    return {row[0].strip(): ",".join(row[1:]).strip() for row in rows if row}


def _check_signs(
    votes: tuple[PolisVote, ...], participants_votes: dict[tuple[int, int], int]
) -> None:
    """Check that ``votes.csv`` and ``participants-votes.csv`` hold the same latest votes."""
    latest: dict[tuple[int, int], int] = {}
    for vote in votes:
        latest[(vote.participant_id, vote.statement_id)] = vote.vote
    differ = [
        key
        for key in latest.keys() | participants_votes.keys()
        if latest.get(key) != participants_votes.get(key)
    ]
    if not differ:
        return
    inverted = all(
        key in latest and key in participants_votes and latest[key] == -participants_votes[key]
        for key in differ
    )
    if inverted:
        raise PolisExportError(
            f"{VOTES} and {PARTICIPANTS_VOTES} give opposite signs to the same votes: one of "
            "them counts agree as -1 (the Pol.is database's convention). An open-data export "
            "counts agree as 1 in both; fix the file that does not."
        )
    participant, statement = sorted(differ)[0]
    raise PolisExportError(
        f"{VOTES} and {PARTICIPANTS_VOTES} disagree on {len(differ)} vote"
        f"{'s' if len(differ) > 1 else ''}, for example participant {participant}'s vote on "
        f"comment {statement}: {latest.get((participant, statement), 'none')} in {VOTES}, "
        f"{participants_votes.get((participant, statement), 'none')} in {PARTICIPANTS_VOTES}. "
        "Use files from the same export."
    )


def read_export(directory: Path | str) -> PolisConversation:
    """Read a Pol.is export folder.

    ``comments.csv`` is required, and ``votes.csv`` or ``participants-votes.csv``; when both
    are there they must agree. ``summary.csv`` is optional. Raise ``PolisExportError`` with
    a message that names the file and line when something is missing or wrong.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise PolisExportError(f"There is no folder at {folder}.")
    if not (folder / COMMENTS).is_file():
        raise PolisExportError(f"{folder} has no {COMMENTS}: give the folder of a Pol.is export.")
    has_votes = (folder / VOTES).is_file()
    has_participants = (folder / PARTICIPANTS_VOTES).is_file()
    if not has_votes and not has_participants:
        raise PolisExportError(f"{folder} has neither {VOTES} nor {PARTICIPANTS_VOTES}.")
    statements = read_statements(folder / COMMENTS)
    statement_ids = frozenset(s.statement_id for s in statements)
    groups: dict[int, int] = {}
    votes: tuple[PolisVote, ...] = ()
    if has_votes:
        votes = read_votes(folder / VOTES, statement_ids)
    if has_participants:
        latest, groups = read_participants_votes(folder / PARTICIPANTS_VOTES, statement_ids)
        if has_votes:
            _check_signs(votes, latest)
        else:
            votes = tuple(
                PolisVote(participant_id=p, statement_id=s, vote=v)
                for (p, s), v in sorted(latest.items())
            )
    summary = read_summary(folder / SUMMARY) if (folder / SUMMARY).is_file() else {}
    views = summary.get("views", "")
    return PolisConversation(
        statements=statements,
        votes=votes,
        topic=summary.get("topic", ""),
        description=summary.get("conversation-description", ""),
        url=summary.get("url", ""),
        views=int(views) if views.isdigit() else None,
        groups=groups,
    )


# Writing


def _datetime_text(timestamp: int) -> str:
    """Return a timestamp as the export's ``datetime`` column writes it, in UTC."""
    moment = dt.datetime.fromtimestamp(timestamp / 1000, tz=dt.UTC)
    return moment.strftime("%a %b %d %H:%M:%S UTC %Y")


def write_export(
    directory: Path | str,
    conversation: PolisConversation,
    *,
    groups: Mapping[int, int] | None = None,
) -> None:
    """Write the four files of a Pol.is export into ``directory`` (made if missing).

    ``groups`` fills the ``group-id`` column (for example an opinion map's membership);
    without it the conversation's own groups are written.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    group_of = conversation.groups if groups is None else groups
    statement_ids = [s.statement_id for s in conversation.statements]
    known = set(statement_ids)
    for vote in conversation.votes:
        if vote.statement_id not in known:
            raise PolisExportError(f"A vote is on comment {vote.statement_id}, which is unknown.")
    counted = Counter((vote.statement_id, vote.vote) for vote in conversation.votes)

    with (folder / COMMENTS).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COMMENT_COLUMNS)
        for s in conversation.statements:
            writer.writerow(
                [
                    s.timestamp,
                    _datetime_text(s.timestamp),
                    s.statement_id,
                    s.author_id,
                    counted[(s.statement_id, AGREE)],
                    counted[(s.statement_id, DISAGREE)],
                    s.moderated,
                    s.body,
                ]
            )

    with (folder / VOTES).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(VOTE_COLUMNS)
        ordered = sorted(
            conversation.votes, key=lambda v: (v.statement_id, v.participant_id, v.timestamp)
        )
        for vote in ordered:
            writer.writerow(
                [
                    vote.timestamp,
                    _datetime_text(vote.timestamp),
                    vote.statement_id,
                    vote.participant_id,
                    vote.vote,
                ]
            )

    latest: dict[tuple[int, int], int] = {}
    for vote in sorted(conversation.votes, key=lambda v: v.timestamp):
        latest[(vote.participant_id, vote.statement_id)] = vote.vote
    authored = Counter(s.author_id for s in conversation.statements)
    voters = {participant for participant, _ in latest}
    participants = sorted(voters | set(authored))
    by_participant: dict[int, dict[int, int]] = {p: {} for p in participants}
    for (participant, statement_id), value in latest.items():
        by_participant[participant][statement_id] = value
    with (folder / PARTICIPANTS_VOTES).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*PARTICIPANT_COLUMNS, *statement_ids])
        for participant in participants:
            cast = by_participant[participant]
            values = list(cast.values())
            writer.writerow(
                [
                    participant,
                    group_of.get(participant, ""),
                    authored[participant],
                    len(values),
                    values.count(AGREE),
                    values.count(DISAGREE),
                    *(cast.get(statement_id, "") for statement_id in statement_ids),
                ]
            )

    summary = {
        "topic": conversation.topic,
        "url": conversation.url,
        "views": conversation.views if conversation.views is not None else len(voters),
        "voters": len(voters),
        "voters-in-conv": len(voters),
        "commenters": len(authored),
        "comments": len(conversation.statements),
        "groups": len(set(group_of.values())) if group_of else "",
        "conversation-description": conversation.description,
    }
    with (folder / SUMMARY).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for key in SUMMARY_KEYS:
            writer.writerow([key, summary[key]])
