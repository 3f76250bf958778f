"""The search index: one document per searchable object.

The full-text index itself lives beside this table and is made by the migrations for each
database: an FTS5 table kept in step by triggers on SQLite, and a generated, weighted
``tsvector`` column with a GIN index on PostgreSQL.
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    """The searchable text of one object, and where it belongs."""

    label = models.CharField(max_length=100)  # the object's model, e.g. "ideas.idea"
    object_id = models.PositiveBigIntegerField()
    organisation_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["label", "object_id"], name="search_unique_object")
        ]

    def __str__(self) -> str:
        return f"{self.label}:{self.object_id} {self.title}"
