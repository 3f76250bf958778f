"""``civicflow opinions``: the analysts' commands. They read files and never set up Django."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from civicflow.opinions.analysis import OpinionMap
    from civicflow.opinions.polis_export import PolisConversation

#: The exit status for input that cannot be analysed, as argparse uses for bad arguments.
USAGE_ERROR = 2


def _at_least(minimum: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, not {value}")
        return value

    return parse


def add_parser(commands: Any) -> None:
    """Register ``opinions`` and its subcommands on the ``civicflow`` command's subparsers."""
    opinions = commands.add_parser(
        "opinions",
        help="analyse opinion maps (Pol.is exports)",
        description="Commands for analysts of opinion maps.",
    )
    actions = opinions.add_subparsers(dest="opinions_command", required=True, metavar="COMMAND")
    analyse = actions.add_parser(
        "analyse",
        help="group the participants of a Pol.is export and find what unites and divides them",
        description="Read a Pol.is open-data export (comments.csv with votes.csv or "
        "participants-votes.csv, and optionally summary.csv) and print its opinion map: the "
        "groups, each group's representative statements and the statements every group "
        "agrees or disagrees with.",
    )
    analyse.add_argument("directory", metavar="DIR", help="folder of the Pol.is export")
    analyse.add_argument(
        "--max-groups",
        type=_at_least(2),
        default=5,
        metavar="N",
        help="most groups to consider (default: 5)",
    )
    analyse.add_argument(
        "--seed", type=_at_least(0), default=0, metavar="S", help="random seed (default: 0)"
    )
    analyse.add_argument(
        "--json", action="store_true", help="print one JSON object instead of a summary"
    )
    analyse.set_defaults(handler=cmd_analyse)


def cmd_analyse(args: argparse.Namespace) -> int:
    """Analyse a Pol.is export folder and print its opinion map."""
    from civicflow.opinions.analysis import NotEnoughVotes, analyse
    from civicflow.opinions.polis_export import PolisExportError, read_export

    try:
        conversation = read_export(args.directory)
    except PolisExportError as error:
        sys.stderr.write(f"civicflow opinions analyse: {error}\n")
        return USAGE_ERROR
    result = analyse(
        conversation.latest_votes(),
        moderated_out=conversation.moderated_out(),
        max_groups=args.max_groups,
        seed=args.seed,
    )
    if isinstance(result, NotEnoughVotes):
        if args.json:
            empty = {"k": 0, "membership": {}, "repness": {}}
            payload = {**empty, "consensus": {"agree": [], "disagree": []}}
            sys.stdout.write(json.dumps({**payload, "message": result.message}) + "\n")
        else:
            sys.stdout.write(result.message + "\n")
        return 0
    if args.json:
        sys.stdout.write(json.dumps(result.as_json()) + "\n")
    else:
        sys.stdout.write(summary_text(conversation, result))
    return 0


def summary_text(conversation: PolisConversation, opinion_map: OpinionMap) -> str:
    """Return a plain-text summary of an opinion map for a person to read."""
    bodies = {s.statement_id: " ".join(s.body.split()) for s in conversation.statements}

    def statement(statement_id: int) -> str:
        body = bodies.get(statement_id, "")
        if len(body) > 90:
            body = body[:89].rstrip() + "…"
        return f"{statement_id:>5}  {body}"

    grouped = sum(opinion_map.group_sizes)
    lines = []
    if conversation.topic:
        lines.append(conversation.topic)
    lines.append(
        f"{len(opinion_map.participant_ids)} participants voted on "
        f"{len(opinion_map.statement_ids)} statements; {grouped} voted on enough statements to "
        f"be placed in one of {opinion_map.k} groups."
    )
    scores = ", ".join(f"k={k}: {score:.3f}" for k, score in opinion_map.silhouettes.items())
    lines.append(f"Silhouette by number of groups: {scores}.")
    for group, size in enumerate(opinion_map.group_sizes):
        lines.append("")
        lines.append(f"Group {group} ({size} participants) stands out on:")
        for s in opinion_map.repness.get(group, ()):
            share = f"{s.successes} of {s.trials} {s.direction}"
            lines.append(f"{statement(s.statement_id)}  [{share}]")
    for verb, noun, picked in (
        ("agrees", "agreeing", opinion_map.consensus.agree),
        ("disagrees", "disagreeing", opinion_map.consensus.disagree),
    ):
        lines.append("")
        if picked:
            lines.append(f"A majority in every group {verb} with:")
            lines.extend(statement(s.statement_id) for s in picked)
        else:
            lines.append(f"No statement has a majority in every group {noun}.")
    lines.append("")
    if opinion_map.divisive:
        lines.append("The groups divide on:")
        lines.extend(statement(s.statement_id) for s in opinion_map.divisive)
    else:
        lines.append("No statement divides the groups.")
    return "\n".join(lines) + "\n"
