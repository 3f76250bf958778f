"""``civicflow outcomes appraise``: a cost-benefit analysis or an SROI from a JSON file. It
reads the file and never sets up Django."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

#: The exit status for input that cannot be appraised, as argparse uses for bad arguments.
USAGE_ERROR = 2
#: The largest file read, so a mistaken path to a large file fails at once.
MAX_BYTES = 5 * 1024 * 1024


def add_parser(commands: Any) -> None:
    """Register ``outcomes`` and its subcommands on the ``civicflow`` command's subparsers."""
    outcomes = commands.add_parser(
        "outcomes",
        help="appraise outcomes: cost-benefit analysis and social return on investment",
        description="Commands for analysts of outcomes and evidence.",
    )
    actions = outcomes.add_subparsers(dest="outcomes_command", required=True, metavar="COMMAND")
    appraise = actions.add_parser(
        "appraise",
        help="compute a cost-benefit analysis or an SROI from a JSON file",
        description='Read one appraisal from a JSON file ({"kind": "cba", …} with the Green '
        'Book\'s discounting, or {"kind": "sroi", …}) and print its results.',
    )
    appraise.add_argument("file", metavar="FILE.json", type=Path, help="the appraisal to read")
    appraise.add_argument("--json", action="store_true", help="print one JSON object")
    appraise.set_defaults(handler=cmd_appraise)


def _fail(message: str) -> int:
    sys.stderr.write(f"civicflow outcomes appraise: error: {message}\n")
    return USAGE_ERROR


def cmd_appraise(args: argparse.Namespace) -> int:
    """Appraise the file and print the results."""
    from civicflow.outcomes.appraise import (
        AppraisalInputError,
        appraise,
        parse_appraisal_text,
        results_json,
        results_table,
    )
    from civicflow.outcomes.appraise.report import dumps

    try:
        with args.file.open("rb") as handle:
            content = handle.read(MAX_BYTES + 1)
    except OSError as error:
        return _fail(f"cannot read {args.file}: {error.strerror or error}")
    if len(content) > MAX_BYTES:
        return _fail(f"{args.file}: the file is larger than 5 MB.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _fail(f"{args.file}: the file is not UTF-8 text.")
    try:
        kind, data = parse_appraisal_text(text)
        result = appraise(kind, data)
    except AppraisalInputError as error:
        lines = [f"{field}: {message}" for field, message in error.errors.items()]
        return _fail(f"{args.file}: nothing was computed.\n  " + "\n  ".join(lines))
    if args.json:
        sys.stdout.write(dumps({"kind": kind, **results_json(result)}) + "\n")
    else:
        sys.stdout.write(results_table(result) + "\n")
    return 0
