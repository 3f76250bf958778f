"""What each kind of challenge lets people do in each of its phases.

A challenge runs through the Double Diamond (discover → define → develop → deliver). Each kind
of challenge declares which of the four phases it uses and what each allows; a challenge keeps
the dates of its phases as data. What a participant may do now follows from the phase that is
open now. Pure Python: no Django, no database.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Action(StrEnum):
    """Things a participant can do in a challenge."""

    SUBMIT = "submit"  # put forward an idea, application, pitch or card
    COMMENT = "comment"  # comment on ideas
    SUPPORT = "support"  # back an idea
    REVIEW = "review"  # assessors review and score submissions


class PhaseKey(StrEnum):
    DISCOVER = "discover"
    DEFINE = "define"
    DEVELOP = "develop"
    DELIVER = "deliver"


class Kind(StrEnum):
    OPEN_CALL = "open_call"
    PRIZE = "prize"
    HACK_DAY = "hack_day"
    FUND_ROUND = "fund_round"
    IMPROVEMENT_BOARD = "improvement_board"


@dataclass(frozen=True)
class PhaseType:
    """One phase of a kind of challenge: its name, purpose and what it allows."""

    key: PhaseKey
    name: str
    description: str
    allows: frozenset[Action]


def _phase(key: PhaseKey, name: str, description: str, *allows: Action) -> PhaseType:
    return PhaseType(key=key, name=name, description=description, allows=frozenset(allows))


A = Action
P = PhaseKey

REGISTRY: dict[Kind, tuple[PhaseType, ...]] = {
    Kind.OPEN_CALL: (
        _phase(
            P.DISCOVER, "Discover", "Learn about the problem and share what you know.", A.COMMENT
        ),
        _phase(P.DEFINE, "Define", "Agree what the problem really is.", A.COMMENT),
        _phase(
            P.DEVELOP,
            "Develop",
            "Put forward ideas, improve them together and back the ones you think will work.",
            A.SUBMIT,
            A.COMMENT,
            A.SUPPORT,
        ),
        _phase(
            P.DELIVER,
            "Deliver",
            "The best ideas are reviewed and taken forward.",
            A.COMMENT,
            A.REVIEW,
        ),
    ),
    Kind.PRIZE: (
        _phase(
            P.DEFINE,
            "Define",
            "Read the challenge and the criteria the prize is judged against.",
            A.COMMENT,
        ),
        _phase(P.DEVELOP, "Develop", "Enter your solution.", A.SUBMIT, A.COMMENT),
        _phase(
            P.DELIVER,
            "Judging",
            "The panel judges the entries against the published criteria.",
            A.REVIEW,
        ),
    ),
    Kind.HACK_DAY: (
        _phase(
            P.DISCOVER,
            "Pitches",
            "Pitch problems and ideas for the day, and back the ones you want to work on.",
            A.SUBMIT,
            A.COMMENT,
            A.SUPPORT,
        ),
        _phase(P.DEVELOP, "Hack", "Teams build prototypes.", A.SUBMIT, A.COMMENT),
        _phase(
            P.DELIVER,
            "Show and tell",
            "Teams present; judges review the prototypes.",
            A.COMMENT,
            A.REVIEW,
        ),
    ),
    Kind.FUND_ROUND: (
        _phase(
            P.DEFINE, "Prospectus", "Read what the fund will pay for and how it decides.", A.COMMENT
        ),
        _phase(P.DEVELOP, "Applications", "Apply for a grant.", A.SUBMIT),
        _phase(P.DELIVER, "Assessment", "The panel assesses the applications.", A.REVIEW),
    ),
    Kind.IMPROVEMENT_BOARD: (
        _phase(
            P.DEVELOP,
            "Improving",
            "Notice a problem, propose a small change, try it and record what it did.",
            A.SUBMIT,
            A.COMMENT,
            A.SUPPORT,
        ),
    ),
}


# What each kind is called in the middle of a sentence.
KIND_NAMES: dict[Kind, str] = {
    Kind.OPEN_CALL: "open call for ideas",
    Kind.PRIZE: "challenge prize",
    Kind.HACK_DAY: "hack day",
    Kind.FUND_ROUND: "fund round",
    Kind.IMPROVEMENT_BOARD: "team improvement board",
}


def phase_types(kind: str) -> tuple[PhaseType, ...]:
    """Return the phases a kind of challenge runs through, in order."""
    return REGISTRY[Kind(kind)]


def phase_type(kind: str, key: str) -> PhaseType:
    """Return the phase ``key`` of ``kind``; raise KeyError if that kind has no such phase."""
    for candidate in phase_types(kind):
        if candidate.key == key:
            return candidate
    raise KeyError(f"{kind} has no {key} phase")


@dataclass(frozen=True)
class PhaseDates:
    """When one phase of one challenge runs; ``ends_at`` None means it does not end."""

    key: str
    starts_at: datetime
    ends_at: datetime | None

    def is_open(self, now: datetime) -> bool:
        return self.starts_at <= now and (self.ends_at is None or now < self.ends_at)


def current_phase(phases: Sequence[PhaseDates], now: datetime) -> PhaseDates | None:
    """Return the phase open at ``now`` (the latest to start, if they overlap), or None."""
    open_now = [phase for phase in phases if phase.is_open(now)]
    return max(open_now, key=lambda phase: phase.starts_at) if open_now else None


def next_phase(phases: Sequence[PhaseDates], now: datetime) -> PhaseDates | None:
    """Return the next phase to start after ``now``, or None."""
    later = [phase for phase in phases if phase.starts_at > now]
    return min(later, key=lambda phase: phase.starts_at) if later else None


# Phase dates must fall in this window: outside it they are typing mistakes, and dates near the
# ends of Python's range cannot even be converted between time zones.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2099


@dataclass(frozen=True)
class DateProblem:
    """One thing wrong with a challenge's phase dates.

    ``key`` names the phase it is about ("" for the dates as a whole) and ``field`` which of
    its dates ("starts_at", "ends_at" or ""), so that a form can show it beside the field.
    """

    key: str
    field: str
    message: str


def _name(kind: Kind, key: str) -> str:
    for candidate in REGISTRY[kind]:
        if candidate.key == key:
            return candidate.name
    return key


def date_problems(kind: str, phases: Sequence[PhaseDates]) -> list[DateProblem]:
    """Return what is wrong with a challenge's phase dates, each tied to the date it is about."""
    kind_ = Kind(kind)
    order = [str(phase.key) for phase in REGISTRY[kind_]]
    problems: list[DateProblem] = []
    if not phases:
        return [DateProblem("", "", "Give the dates of at least one phase.")]
    seen: set[str] = set()
    in_range: list[PhaseDates] = []
    for phase in phases:
        if phase.key not in order:
            label = KIND_NAMES[kind_]
            article = "An" if label[0] in "aeiou" else "A"
            problems.append(DateProblem("", "", f"{article} {label} has no {phase.key} phase."))
            continue
        if phase.key in seen:
            problems.append(DateProblem(phase.key, "", "Each phase can appear only once."))
            continue
        seen.add(phase.key)
        name = _name(kind_, phase.key)
        dates_ok = True
        for field, value in (("starts_at", phase.starts_at), ("ends_at", phase.ends_at)):
            if value is None:
                continue
            if value.tzinfo is None or value.utcoffset() is None:
                problems.append(
                    DateProblem(phase.key, field, f"Give the {name} phase's date a time zone.")
                )
                dates_ok = False
            elif not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
                when = "start" if field == "starts_at" else "end"
                problems.append(
                    DateProblem(
                        phase.key,
                        field,
                        f"The {name} phase must {when} between {EARLIEST_YEAR} and {LATEST_YEAR}.",
                    )
                )
                dates_ok = False
        if not dates_ok:
            continue
        if phase.ends_at is not None and phase.ends_at <= phase.starts_at:
            problems.append(
                DateProblem(phase.key, "ends_at", f"The {name} phase must end after it starts.")
            )
            continue
        in_range.append(phase)
    ordered = sorted(in_range, key=lambda phase: order.index(phase.key))
    for earlier, later in itertools.pairwise(ordered):
        earlier_name, later_name = _name(kind_, earlier.key), _name(kind_, later.key)
        if earlier.ends_at is None:
            problems.append(
                DateProblem(
                    earlier.key,
                    "ends_at",
                    f"Give the date the {earlier_name} phase ends, "
                    f"because the {later_name} phase comes after it.",
                )
            )
        elif later.starts_at < earlier.ends_at:
            problems.append(
                DateProblem(
                    later.key,
                    "starts_at",
                    f"The {later_name} phase must start after the {earlier_name} phase ends.",
                )
            )
    return problems


def check_dates(kind: str, phases: Sequence[PhaseDates]) -> list[str]:
    """Return what is wrong with a challenge's phase dates, in words for people."""
    return [problem.message for problem in date_problems(kind, phases)]
