"""``civicflow pb``: count a pabulib ``.pb`` file. It reads files and never sets up Django."""

from __future__ import annotations

import argparse
import json
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from civicflow.budgets.counting import Outcome, PbElection

#: The exit status for input that cannot be counted, as argparse uses for bad arguments.
USAGE_ERROR = 2

# The choices are written out so that building the parser does not import the counting
# package (and numpy); a test checks they match its enumerations.
RULES = ("greedy", "mes")
UTILITIES = ("cost", "approval", "points")
COMPLETIONS = ("none", "add1", "add1-greedy", "increase-greedy")
TIE_BREAKS = ("id", "min-cost", "max-cost")

RULE_NAMES = {"greedy": "greedy (most supporters first)", "mes": "Method of Equal Shares"}
TIE_BREAK_NAMES = {
    "id": "by project id",
    "min-cost": "cheapest first",
    "max-cost": "dearest first",
}


def add_parser(commands: Any) -> None:
    """Register ``pb`` and its subcommands on the ``civicflow`` command's subparsers."""
    pb = commands.add_parser(
        "pb",
        help="count participatory-budget ballots in pabulib .pb files",
        description="Commands for analysts of participatory budgets.",
    )
    actions = pb.add_subparsers(dest="pb_command", required=True, metavar="COMMAND")
    tally = actions.add_parser(
        "tally",
        help="count the ballots of a .pb file with a rule",
        description="Read a pabulib .pb file and print the projects a counting rule selects, "
        "their total cost and the budget.",
    )
    tally.add_argument("file", metavar="FILE.pb", type=Path, help="the .pb file to count")
    tally.add_argument("--rule", required=True, choices=RULES, help="the counting rule")
    tally.add_argument(
        "--utility",
        choices=UTILITIES,
        default="cost",
        help="what a supporter gains from a project, for mes; points also ranks greedy "
        "by points (default: cost)",
    )
    tally.add_argument(
        "--completion",
        choices=COMPLETIONS,
        default="none",
        help="how mes spends the money it leaves (default: none)",
    )
    tally.add_argument(
        "--tie-break",
        choices=TIE_BREAKS,
        default="id",
        help="which of two equally good projects goes first (default: id, in string order)",
    )
    tally.add_argument("--json", action="store_true", help="print one JSON object")
    tally.set_defaults(handler=cmd_tally)


def _fail(message: str) -> int:
    sys.stderr.write(f"civicflow pb tally: error: {message}\n")
    return USAGE_ERROR


class Progress:
    """Show how a long count is going on one line of a terminal, at most ten times a second."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.shown_at = 0.0
        self.width = 0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self.shown_at < 0.1 or now - self.started < 0.5:
            return
        self.shown_at = now
        if total:
            filled = round(20 * done / total)
            text = f"{stage}: [{'#' * filled}{'.' * (20 - filled)}] {done}/{total}"
        else:
            spinner = "|/-\\"[done % 4]
            text = f"{stage}: count {done} {spinner}  ({now - self.started:.0f} s)"
        self.width = max(self.width, len(text))
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def json_number(value: Fraction) -> int | float:
    """Return ``value`` for JSON: an integer where it is whole."""
    return value.numerator if value.denominator == 1 else float(value)


def _amount(value: Fraction) -> str:
    if value.denominator == 1:
        return f"{value.numerator:,}"
    return f"{float(value):,.2f}"


def cmd_tally(args: argparse.Namespace) -> int:
    """Count a ``.pb`` file and print the outcome."""
    from civicflow.budgets.counting import (
        CountError,
        PbFormatError,
        count,
        instance_from_pb,
        read_pb,
    )

    try:
        election = read_pb(args.file)
    except PbFormatError as error:
        return _fail(f"{args.file}: {error}")
    except OSError as error:
        return _fail(f"cannot read {args.file}: {error.strerror or error}")
    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    try:
        outcome = count(
            instance_from_pb(election),
            rule=args.rule,
            utility=args.utility,
            completion=args.completion,
            tie_break=args.tie_break,
            progress=progress,
        )
    except CountError as error:
        return _fail(str(error))
    finally:
        if progress is not None:
            progress.clear()
    if args.json:
        sys.stdout.write(json.dumps(outcome_json(outcome), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(outcome_table(outcome, election) + "\n")
    return 0


def outcome_json(outcome: Outcome) -> dict[str, object]:
    """Return the outcome as ``civicflow pb tally --json`` prints it."""
    return {
        "selected": list(outcome.selected),
        "total_cost": json_number(outcome.total_cost),
        "budget": json_number(outcome.budget),
        "rule": str(outcome.rule),
        "utility": str(outcome.utility),
        "completion": str(outcome.completion),
        "tie_break": str(outcome.tie_break),
    }


def outcome_table(outcome: Outcome, election: PbElection) -> str:
    """Return the outcome as a plain-text report with a table of the selected projects."""
    currency = next(
        (value for key, value in election.meta.items() if key.lower() == "currency"), ""
    )
    suffix = f" {currency}" if currency else ""
    settings = [f"utility {outcome.utility}"] if outcome.rule == "mes" else []
    if outcome.rule == "greedy" and outcome.utility == "points":
        settings = ["by points"]
    if outcome.rule == "mes":
        settings.append(f"completion {outcome.completion}")
    settings.append(f"ties {TIE_BREAK_NAMES[outcome.tie_break]}")
    share = outcome.total_cost / outcome.budget if outcome.budget else Fraction(0)
    count = len(outcome.selected)
    lines = [
        f"Rule:     {RULE_NAMES[outcome.rule]} ({', '.join(settings)})",
        f"Budget:   {_amount(outcome.budget)}{suffix}",
        f"Selected: {count} project{'s' if count != 1 else ''} costing "
        f"{_amount(outcome.total_cost)}{suffix} ({float(share):.1%} of the budget); "
        f"{_amount(outcome.money_left)}{suffix} left",
    ]
    if not outcome.selected:
        return "\n".join(lines)
    rows = []
    for project_id in outcome.selected:
        project = election.projects[project_id]
        name = next((v for k, v in project.fields.items() if k.lower() == "name"), "")
        rows.append((project_id, _amount(project.cost), name))
    id_width = max(len("Project"), *(len(row[0]) for row in rows))
    cost_width = max(len("Cost"), *(len(row[1]) for row in rows))
    lines.append("")
    lines.append(f"{'Project':<{id_width}}  {'Cost':>{cost_width}}  Name")
    for project_id, cost, name in rows:
        if len(name) > 60:
            name = name[:59] + "…"
        lines.append(f"{project_id:<{id_width}}  {cost:>{cost_width}}  {name}".rstrip())
    return "\n".join(lines)
