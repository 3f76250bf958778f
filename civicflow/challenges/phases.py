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


def check_dates(kind: str, phases: Sequence[PhaseDates]) -> list[str]:
    """Return what is wrong with a challenge's phase dates, in words for people."""
    problems: list[str] = []
    allowed = {phase.key for phase in phase_types(kind)}
    order = [str(phase.key) for phase in phase_types(kind)]
    seen = [phase.key for phase in phases]
    for key in seen:
        if key not in allowed:
            problems.append(f"A {Kind(kind).value.replace('_', ' ')} has no {key} phase.")
    if len(set(seen)) != len(seen):
        problems.append("Each phase can appear only once.")
    if not phases:
        problems.append("Give the dates of at least one phase.")
    for phase in phases:
        if phase.ends_at is not None and phase.ends_at <= phase.starts_at:
            problems.append(f"The {phase.key} phase must end after it starts.")
    ordered = sorted((p for p in phases if p.key in allowed), key=lambda p: order.index(p.key))
    for earlier, later in itertools.pairwise(ordered):
        if earlier.ends_at is None or later.starts_at < earlier.ends_at:
            problems.append(f"The {later.key} phase must start after the {earlier.key} phase ends.")
    return problems
