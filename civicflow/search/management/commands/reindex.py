"""``civicflow manage reindex``: rebuild the full-text search index."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicflow.search.registry import searchables
from civicflow.search.services import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index for every searchable kind, or one (e.g. ideas.idea)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("label", nargs="?", help="the model label, e.g. ideas.idea")

    def handle(self, *args: Any, **options: Any) -> None:
        label = options.get("label")
        if label and label not in searchables():
            raise CommandError(
                f"{label} is not searchable. Choose from: {', '.join(sorted(searchables()))}."
            )
        count = reindex_all(label=label)
        self.stdout.write(f"Indexed {count} objects.")
