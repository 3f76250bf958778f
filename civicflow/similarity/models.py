"""Stored embeddings of searchable objects, and approximate indexes built from them.

An embedding belongs to one object (its model label and id) under one embedder (name and
version): a new embedder version gets rows of its own, and the old ones are swept away by
``embed_all``. The vector is float32 bytes, so the table is the same on SQLite and
PostgreSQL and any app server can rebuild its in-memory index from it.
"""

from __future__ import annotations

import numpy
from django.db import models

# The object kinds that get embeddings, by search key and model label.
KINDS: dict[str, str] = {
    "ideas": "ideas.idea",
    "challenges": "challenges.challenge",
    "cases": "library.casestudy",
}
LABELS: dict[str, str] = {label: key for key, label in KINDS.items()}


class Embedding(models.Model):
    """The vector of one object's text under one embedder."""

    label = models.CharField(max_length=100)  # the object's model, e.g. "ideas.idea"
    object_id = models.PositiveBigIntegerField()
    organisation_id = models.PositiveBigIntegerField(null=True, blank=True)
    embedder = models.CharField(max_length=100)
    embedder_version = models.CharField(max_length=100)
    dimensions = models.PositiveIntegerField()
    vector = models.BinaryField()
    # SHA-256 of the embedded text: the vector is recomputed only when this changes.
    text_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["label", "object_id", "embedder", "embedder_version"],
                name="similarity_unique_embedding",
            )
        ]
        indexes = [
            # What a process reads to bring its in-memory index up to date.
            models.Index(
                fields=["label", "embedder", "embedder_version", "updated_at"],
                name="similarity_changed_since",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}:{self.object_id} ({self.embedder} {self.embedder_version})"

    def as_array(self) -> numpy.ndarray:
        """Return the vector as a float32 array."""
        return numpy.frombuffer(bytes(self.vector), dtype=numpy.float32)


class StoredIndex(models.Model):
    """An approximate index built by a task, so a new process loads it instead of building.

    ``covers_until`` is the ``updated_at`` of the newest embedding it holds: a process that
    loads it then reads only the embeddings changed since.
    """

    label = models.CharField(max_length=100)
    embedder = models.CharField(max_length=100)
    embedder_version = models.CharField(max_length=100)
    dimensions = models.PositiveIntegerField()
    size = models.PositiveBigIntegerField()
    covers_until = models.DateTimeField(null=True, blank=True)
    data = models.BinaryField()
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["label", "embedder", "embedder_version"],
                name="similarity_unique_stored_index",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} index ({self.embedder} {self.embedder_version}, {self.size})"


from civicflow.similarity.models_themes import *  # noqa: E402, F403
