"""Read and write pabulib ``.pb`` files.

A ``.pb`` file has three sections, ``META``, ``PROJECTS`` and ``VOTES``, in that order. Each is a
line with the section's name, a header line, then rows of semicolon-separated fields (see
pabulib.org/format). The reader accepts the variations found in real files: a byte-order mark,
Windows line endings, quoted fields, columns beyond the standard ones, comma decimals, ``none``
for a missing value, and missing optional META keys. Anything it cannot make sense of raises
:class:`PbFormatError` naming the line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

APPROVAL_TYPES = frozenset({"approval", "choose-1"})
POINTS_TYPES = frozenset({"cumulative", "scoring"})
ORDINAL_TYPES = frozenset({"ordinal"})
VOTE_TYPES = APPROVAL_TYPES | POINTS_TYPES | ORDINAL_TYPES
SECTIONS = ("meta", "projects", "votes")


class PbFormatError(ValueError):
    """A ``.pb`` file that cannot be read; ``line`` is where the problem is (1 is the first)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"Line {line}: {message}" if line is not None else message)


@dataclass(frozen=True)
class PbProject:
    """A project: its id, cost and the file's other columns (name, category…) as text."""

    project_id: str
    cost: Fraction
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PbVote:
    """One voter's ballot: the projects chosen, in the file's order, and points if any."""

    voter_id: str
    projects: tuple[str, ...]
    points: tuple[Fraction, ...] | None = None
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PbElection:
    """Everything a ``.pb`` file holds."""

    meta: Mapping[str, str]
    budget: Fraction
    vote_type: str
    projects: Mapping[str, PbProject]
    votes: Sequence[PbVote]
    project_columns: tuple[str, ...] = ()
    vote_columns: tuple[str, ...] = ()

    @property
    def has_points(self) -> bool:
        """Return whether the ballots give points (cumulative or scoring votes)."""
        return self.vote_type in POINTS_TYPES


def parse_number(text: str) -> Fraction:
    """Return the exact value of a number written in a ``.pb`` file (``12``, ``12.5``, ``12,5``).

    Raise ``ValueError`` for anything else.
    """
    cleaned = text.strip().replace(",", ".")
    if not cleaned or cleaned.lower() in {"nan", "inf", "-inf", "infinity"}:
        raise ValueError(text)
    return Fraction(cleaned)


def format_number(value: Fraction) -> str:
    """Write ``value`` as a ``.pb`` file does: an integer, or an exact decimal."""
    if value.denominator == 1:
        return str(value.numerator)
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        raise ValueError(f"{value} has no exact decimal form")
    places = max(twos, fives)
    scaled = abs(value.numerator) * (10**places // value.denominator)
    sign = "-" if value < 0 else ""
    whole, fraction = divmod(scaled, 10**places)
    return f"{sign}{whole}.{fraction:0{places}d}".rstrip("0")


def _missing(value: str) -> bool:
    return not value or value.lower() == "none"


class _Reader:
    """Feed rows one by one; build the election at the end."""

    def __init__(self) -> None:
        self.section: str | None = None
        self.header: list[str] | None = None
        self.seen: list[str] = []
        self.meta: dict[str, str] = {}
        self.meta_lines: dict[str, int] = {}
        self.projects: dict[str, PbProject] = {}
        self.project_columns: tuple[str, ...] = ()
        self.votes: list[PbVote] = []
        self.vote_columns: tuple[str, ...] = ()
        self.voter_lines: dict[str, int] = {}
        self.vote_type = "approval"
        self.budget: Fraction | None = None
        self.last_line = 0

    def feed(self, line: int, row: list[str]) -> None:
        self.last_line = line
        cells = [cell.strip() for cell in row]
        if not any(cells):
            return
        name = cells[0].lower()
        if name in SECTIONS and not any(cells[1:]):
            self._start_section(line, name)
        elif self.section is None:
            raise PbFormatError(
                f"Expected a section name (META, PROJECTS or VOTES), found {cells[0]!r}.", line
            )
        elif self.header is None:
            self._set_header(line, cells)
        elif self.section == "meta":
            self._meta_row(line, cells)
        elif self.section == "projects":
            self._project_row(line, cells)
        else:
            self._vote_row(line, cells)

    def _start_section(self, line: int, name: str) -> None:
        if name in self.seen:
            raise PbFormatError(f"The {name.upper()} section appears twice.", line)
        expected = SECTIONS[len(self.seen)] if len(self.seen) < len(SECTIONS) else None
        if name != expected:
            raise PbFormatError(
                f"The {name.upper()} section must come after the "
                f"{(expected or 'votes').upper()} section.",
                line,
            )
        if self.section is not None and self.header is None:
            raise PbFormatError(f"The {self.section.upper()} section has no header line.", line)
        if name == "projects":
            self._finish_meta(line)
        self.seen.append(name)
        self.section = name
        self.header = None

    def _set_header(self, line: int, cells: list[str]) -> None:
        while cells and not cells[-1]:
            cells.pop()
        header = [cell.lower() for cell in cells]
        if len(set(header)) != len(header):
            raise PbFormatError("The header names a column twice.", line)
        if self.section == "projects":
            for required in ("project_id", "cost"):
                if required not in header:
                    raise PbFormatError(f"The PROJECTS header has no {required} column.", line)
            self.project_columns = tuple(cells)
        elif self.section == "votes":
            if "vote" not in header:
                raise PbFormatError("The VOTES header has no vote column.", line)
            if self.vote_type in POINTS_TYPES and "points" not in header:
                raise PbFormatError(
                    f"The VOTES header has no points column, which {self.vote_type} votes need.",
                    line,
                )
            self.vote_columns = tuple(cells)
        self.header = header

    def _meta_row(self, line: int, cells: list[str]) -> None:
        values = cells[1:]
        while values and not values[-1]:
            values.pop()
        key = cells[0]
        if not key:
            raise PbFormatError("A META line has a value but no key.", line)
        self.meta[key] = ";".join(values)
        self.meta_lines[key] = line

    def _finish_meta(self, line: int) -> None:
        keys = {key.lower(): key for key in self.meta}
        if "budget" not in keys:
            raise PbFormatError("META has no budget.", line)
        budget_key = keys["budget"]
        try:
            self.budget = parse_number(self.meta[budget_key])
        except (ValueError, ZeroDivisionError):
            raise PbFormatError(
                f"The budget {self.meta[budget_key]!r} is not a number.",
                self.meta_lines[budget_key],
            ) from None
        if self.budget < 0:
            raise PbFormatError("The budget cannot be negative.", self.meta_lines[budget_key])
        if "vote_type" in keys:
            vote_type_key = keys["vote_type"]
            self.vote_type = self.meta[vote_type_key].strip().lower()
            if self.vote_type not in VOTE_TYPES:
                raise PbFormatError(
                    f"Unknown vote_type {self.meta[vote_type_key]!r}: expected one of "
                    + ", ".join(sorted(VOTE_TYPES))
                    + ".",
                    self.meta_lines[vote_type_key],
                )

    def _cells_by_column(self, line: int, cells: list[str]) -> dict[str, str]:
        assert self.header is not None
        if len(cells) > len(self.header) and any(cells[len(self.header) :]):
            raise PbFormatError(
                f"The line has {len(cells)} fields but the header has {len(self.header)}; "
                "a field with a semicolon must be in double quotes.",
                line,
            )
        padded = cells + [""] * (len(self.header) - len(cells))
        return dict(zip(self.header, padded, strict=False))

    def _project_row(self, line: int, cells: list[str]) -> None:
        values = self._cells_by_column(line, cells)
        project_id = values["project_id"]
        if not project_id:
            raise PbFormatError("The project has no project_id.", line)
        if project_id in self.projects:
            raise PbFormatError(f"Project {project_id} is listed twice.", line)
        if _missing(values["cost"]):
            raise PbFormatError(f"Project {project_id} has no cost.", line)
        try:
            cost = parse_number(values["cost"])
        except (ValueError, ZeroDivisionError):
            raise PbFormatError(
                f"Project {project_id} has a cost that is not a number: {values['cost']!r}.", line
            ) from None
        if cost < 0:
            raise PbFormatError(f"Project {project_id} has a negative cost.", line)
        extra = {
            column: values[column.lower()]
            for column in self.project_columns
            if column.lower() not in {"project_id", "cost"}
        }
        self.projects[project_id] = PbProject(project_id, cost, extra)

    def _vote_row(self, line: int, cells: list[str]) -> None:
        values = self._cells_by_column(line, cells)
        voter_id = values.get("voter_id", "")
        if not voter_id:
            voter_id = str(len(self.votes) + 1)
        if voter_id in self.voter_lines:
            raise PbFormatError(
                f"Voter {voter_id} already voted on line {self.voter_lines[voter_id]}.", line
            )
        self.voter_lines[voter_id] = line
        vote = "" if _missing(values["vote"]) else values["vote"]
        chosen = tuple(entry.strip() for entry in vote.split(",") if entry.strip())
        if len(set(chosen)) != len(chosen):
            raise PbFormatError(f"Voter {voter_id} chooses the same project twice.", line)
        for project_id in chosen:
            if project_id not in self.projects:
                raise PbFormatError(
                    f"Voter {voter_id} chooses project {project_id}, which is not in PROJECTS.",
                    line,
                )
        points = self._points(line, voter_id, chosen, values.get("points", ""))
        extra = {
            column: values[column.lower()]
            for column in self.vote_columns
            if column.lower() not in {"voter_id", "vote", "points"}
        }
        self.votes.append(PbVote(voter_id, chosen, points, extra))

    def _points(
        self, line: int, voter_id: str, chosen: tuple[str, ...], text: str
    ) -> tuple[Fraction, ...] | None:
        if self.vote_type not in POINTS_TYPES:
            return None
        entries = [] if _missing(text) else [entry for entry in text.split(",") if entry.strip()]
        if len(entries) != len(chosen):
            raise PbFormatError(
                f"Voter {voter_id} chooses {len(chosen)} projects but gives "
                f"{len(entries)} points values.",
                line,
            )
        try:
            return tuple(parse_number(entry) for entry in entries)
        except (ValueError, ZeroDivisionError):
            raise PbFormatError(
                f"Voter {voter_id} gives points that are not numbers.", line
            ) from None

    def finish(self) -> PbElection:
        end = self.last_line
        if self.section is not None and self.header is None:
            raise PbFormatError(
                f"The file ends before the {self.section.upper()} header: it may be cut short.",
                end,
            )
        if "votes" not in self.seen:
            missing = SECTIONS[len(self.seen)].upper()
            raise PbFormatError(
                f"The file ends before its {missing} section: it may be cut short.", end or None
            )
        self._check_count("num_projects", len(self.projects), "projects")
        self._check_count("num_votes", len(self.votes), "votes")
        assert self.budget is not None
        return PbElection(
            meta=dict(self.meta),
            budget=self.budget,
            vote_type=self.vote_type,
            projects=dict(self.projects),
            votes=list(self.votes),
            project_columns=self.project_columns,
            vote_columns=self.vote_columns,
        )

    def _check_count(self, key: str, found: int, what: str) -> None:
        declared = self.meta.get(key, "").strip()
        if not declared.isdigit() or int(declared) == found:
            return
        raise PbFormatError(
            f"The file has {found} {what} but META says {key} is {declared}: it may be cut short.",
            self.last_line,
        )


def parse_pb(text: str) -> PbElection:
    """Read the text of a ``.pb`` file; raise :class:`PbFormatError`, naming the line, if bad."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    builder = _Reader()
    try:
        for row in reader:
            builder.feed(reader.line_num, row)
    except csv.Error as error:
        raise PbFormatError(f"The line cannot be read: {error}.", reader.line_num) from None
    return builder.finish()


def read_pb(path: str | Path) -> PbElection:
    """Read a ``.pb`` file from disk (UTF-8, with or without a byte-order mark)."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PbFormatError("The file is not UTF-8 text.", line) from None
    return parse_pb(text)


def _vote_rows(election: PbElection, *, anonymise: bool) -> Iterable[list[str]]:
    has_points = election.has_points
    if not anonymise:
        extra = [
            column
            for column in election.vote_columns
            if column.lower() not in {"voter_id", "vote", "points"}
        ]
        yield ["voter_id", "vote", *(["points"] if has_points else []), *extra]
        for vote in election.votes:
            row = [vote.voter_id, ",".join(vote.projects)]
            if has_points:
                row.append(",".join(format_number(p) for p in vote.points or ()))
            yield row + [vote.fields.get(column, "") for column in extra]
        return
    # Anonymised: no voter ids, no personal columns, and an order that says nothing about who
    # voted when. Approval and points ballots list their projects in the PROJECTS order.
    position = {project_id: index for index, project_id in enumerate(election.projects)}
    canonical = []
    for vote in election.votes:
        pairs = list(zip(vote.projects, vote.points or (None,) * len(vote.projects), strict=True))
        if election.vote_type not in ORDINAL_TYPES:
            pairs.sort(key=lambda pair: position[pair[0]])
        canonical.append(
            (
                ",".join(project_id for project_id, _ in pairs),
                ",".join(format_number(p) for _, p in pairs if p is not None),
            )
        )
    canonical.sort()
    yield ["voter_id", "vote", *(["points"] if has_points else [])]
    for number, (vote_text, points_text) in enumerate(canonical, start=1):
        yield [str(number), vote_text, *([points_text] if has_points else [])]


def write_pb(election: PbElection, *, anonymise: bool = True) -> str:
    """Return ``election`` as the text of a ``.pb`` file.

    With ``anonymise`` (the default) voters are numbered 1, 2, 3… in an order that depends only
    on their ballots, and every column but ``vote`` and ``points`` is left out, so the file holds
    no personal data and the same ballots always give the same file.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    meta = dict(election.meta)
    lower = {key.lower(): key for key in meta}
    for key, value in (
        ("budget", format_number(election.budget)),
        ("vote_type", election.vote_type),
        ("num_projects", str(len(election.projects))),
        ("num_votes", str(len(election.votes))),
    ):
        meta[lower.get(key, key)] = value
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    writer.writerows([key, value] for key, value in meta.items())
    extra = [
        column
        for column in election.project_columns
        if column.lower() not in {"project_id", "cost"}
    ]
    writer.writerow(["PROJECTS"])
    writer.writerow(["project_id", "cost", *extra])
    for project in election.projects.values():
        writer.writerow(
            [
                project.project_id,
                format_number(project.cost),
                *(project.fields.get(column, "") for column in extra),
            ]
        )
    writer.writerow(["VOTES"])
    writer.writerows(_vote_rows(election, anonymise=anonymise))
    return out.getvalue()
