"""Share submissions between a panel's assessors: k reviews each, fairly, with no conflicts.

Rules:

* each submission gets ``k`` different assessors (counting reviews already assigned);
* an assessor never reviews a submission they share a *party* with: a party is a person or a
  team (``"user:7"``, ``"team:3"``), so nobody reviews their own work, work they co-authored,
  or work from their own team;
* an assessor never reviews a submission they declared a conflict of interest with;
* the assessors' loads are as even as the rules allow: where any allocation exists in which
  loads differ by at most one, the result is one of them; otherwise no single chain of
  moves (assessor A hands a review to B, B hands one to C, …) could take a review from an
  assessor to one with two or more fewer.

How: a first pass gives each submission, hardest first (fewest eligible assessors), to its
least-loaded eligible assessors; then, while an assessor with the fewest reviews can take a
review through a chain of moves from one with at least two more, the chain is applied. Each
move lowers the sum of the squared loads, so it ends. Reviews already assigned are kept and
never moved. Everything is ordered by id, so the same input gives the same allocation.

When a submission has fewer than ``k`` eligible assessors, ``AllocationError`` says which.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping


class AllocationError(ValueError):
    """No allocation meets the rules; ``submissions`` names those short of assessors."""

    def __init__(self, message: str, submissions: Iterable[int] = ()) -> None:
        super().__init__(message)
        self.submissions = tuple(submissions)


def eligible_pairs(
    *,
    submissions: Mapping[int, frozenset[str]],
    assessors: Mapping[int, frozenset[str]],
    conflicts: Iterable[tuple[int, int]] = (),
) -> dict[int, list[int]]:
    """Return, for each submission, the assessors who may review it, in id order."""
    blocked = set(conflicts)
    return {
        submission: [
            assessor
            for assessor in sorted(assessors)
            if not (assessors[assessor] & parties) and (assessor, submission) not in blocked
        ]
        for submission, parties in submissions.items()
    }


def allocate(
    *,
    submissions: Mapping[int, frozenset[str]],
    assessors: Mapping[int, frozenset[str]],
    k: int,
    conflicts: Iterable[tuple[int, int]] = (),
    existing: Iterable[tuple[int, int]] = (),
) -> dict[int, set[int]]:
    """Return ``{submission: {assessor, …}}`` with ``k`` assessors for every submission.

    ``submissions`` and ``assessors`` map ids to their parties; ``conflicts`` and
    ``existing`` are (assessor, submission) pairs. Existing reviews count towards ``k`` and
    towards loads and are kept as they are, even if they break a rule (the service checks
    rules when a review is assigned by hand).
    """
    if k < 1:
        raise AllocationError("Each submission needs at least one review.")
    eligible = eligible_pairs(submissions=submissions, assessors=assessors, conflicts=conflicts)
    fixed: dict[int, set[int]] = {s: set() for s in submissions}
    for assessor, submission in existing:
        if submission in fixed and assessor in assessors:
            fixed[submission].add(assessor)
    short = sorted(
        s
        for s in submissions
        if len([a for a in eligible[s] if a not in fixed[s]]) < k - len(fixed[s])
    )
    if short:
        raise AllocationError(
            f"{len(short)} submission(s) have fewer than {k} assessors who may review them: "
            "add assessors to the panel or ask for fewer reviews.",
            short,
        )
    load = dict.fromkeys(assessors, 0)
    for members in fixed.values():
        for assessor in members:
            load[assessor] += 1
    chosen: dict[int, set[int]] = {s: set() for s in submissions}
    for submission in sorted(submissions, key=lambda s: (len(eligible[s]), s)):
        need = k - len(fixed[submission])
        candidates = [a for a in eligible[submission] if a not in fixed[submission]]
        for assessor in sorted(candidates, key=lambda a: (load[a], a))[: max(need, 0)]:
            chosen[submission].add(assessor)
            load[assessor] += 1
    _balance(chosen=chosen, fixed=fixed, eligible=eligible, load=load)
    return {s: chosen[s] | fixed[s] for s in submissions}


def _balance(
    *,
    chosen: dict[int, set[int]],
    fixed: dict[int, set[int]],
    eligible: dict[int, list[int]],
    load: dict[int, int],
) -> None:
    """Apply chains of moves while a least-loaded assessor can gain from a busier one."""
    while True:
        for taker in sorted(load, key=lambda a: (load[a], a)):
            path = _chain_to(taker, chosen=chosen, fixed=fixed, eligible=eligible, load=load)
            if path is not None:
                for submission, giver, receiver in path:
                    chosen[submission].discard(giver)
                    chosen[submission].add(receiver)
                load[path[0][2]] += 1
                load[path[-1][1]] -= 1
                break
        else:
            return


def _chain_to(
    taker: int,
    *,
    chosen: dict[int, set[int]],
    fixed: dict[int, set[int]],
    eligible: dict[int, list[int]],
    load: dict[int, int],
) -> list[tuple[int, int, int]] | None:
    """Find moves (submission, giver, receiver) ending at a giver with ≥ 2 more than taker.

    Breadth-first from ``taker``: taker can take submission s from any assessor on s (not
    fixed there) if taker may review s and is not on s already; that assessor may in turn
    take another submission from someone else, and so on.
    """
    eligible_sets = {s: set(a) for s, a in eligible.items()}
    seen_assessors = {taker}
    seen_submissions: set[int] = set()
    queue: deque[tuple[int, list[tuple[int, int, int]]]] = deque([(taker, [])])
    while queue:
        receiver, path = queue.popleft()
        for submission in sorted(chosen):
            if submission in seen_submissions or receiver not in eligible_sets[submission]:
                continue
            if receiver in chosen[submission] or receiver in fixed[submission]:
                continue
            for giver in sorted(chosen[submission]):
                if giver in seen_assessors:
                    continue
                step = [*path, (submission, giver, receiver)]
                if load[giver] >= load[taker] + 2:
                    return step
                seen_assessors.add(giver)
                queue.append((giver, step))
            seen_submissions.add(submission)
    return None
