"""``civicflow manage embed``: embed every idea, challenge and case study whose vector is
missing or stale, e.g. after the embedding model changes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicflow.similarity.services import embed_all, embedded_labels, embedder


class Command(BaseCommand):
    help = (
        "Embed every object whose vector is missing or stale under the active embedder, and "
        "drop vectors of deleted objects and other embedders. One kind: e.g. ideas.idea."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("label", nargs="?", help="the model label, e.g. ideas.idea")
        parser.add_argument(
            "--queue", action="store_true", help="queue a background task instead of waiting"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        label = options.get("label")
        if label and label not in embedded_labels():
            raise CommandError(
                f"{label} is not embedded. Choose from: {', '.join(embedded_labels())}."
            )
        if options.get("queue"):
            from civicflow.similarity.tasks import embed_all_task

            embed_all_task.enqueue(label)
            self.stdout.write("Queued.")
            return
        active = embedder()
        count = embed_all(label=label)
        self.stdout.write(f"Embedded {count} objects with {active.name} {active.version}.")
