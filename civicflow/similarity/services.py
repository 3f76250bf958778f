"""Keeping stored embeddings in step with the objects they describe.

Whenever an object's search entry is scheduled (after the commit that changed it), its
embedding is scheduled too, as a task. The task embeds the object's searchable text with the
active embedder and stores the vector, unless the stored one was made from the same text by
the same embedder name and version. An object that is gone, or left out of search (a hidden
idea, an unpublished case), loses its vectors.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy
from django.db import models, transaction

from civicflow.core import versions
from civicflow.search.registry import Document, Searchable, searchable_for, searchables
from civicflow.similarity.models import KINDS, LABELS, Embedding

if TYPE_CHECKING:
    from civicflow.similarity.embedders import Embedder

logger = logging.getLogger(__name__)

# The most text embedded for one object: more says nothing new about what it is about.
TEXT_LIMIT = 20_000
BATCH_SIZE = 256


def changes_key(label: str) -> str:
    """The version counter moved on whenever an embedding of ``label`` is written or removed."""
    return f"similarity:embeddings:{label}"


def embedded_labels() -> list[str]:
    """The model labels that get embeddings: the kinds in KINDS that are searchable."""
    registered = searchables()
    return [label for label in KINDS.values() if label in registered]


def embedder() -> Embedder:
    """Return the active embedder."""
    from civicflow.similarity.embedders import active_embedder

    return active_embedder()


def text_of(document: Document) -> str:
    """Return the text embedded for a search document."""
    from civicflow.similarity.embedders import document_text

    return document_text(document.title, "", document.body)[:TEXT_LIMIT]


def text_hash(text: str) -> str:
    """Return the SHA-256 of ``text``, in hex."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def to_bytes(vector: numpy.ndarray) -> bytes:
    """Return a vector as float32 bytes for storage."""
    return numpy.ascontiguousarray(vector, dtype=numpy.float32).tobytes()


@dataclass(frozen=True)
class _Pending:
    label: str
    object_id: int
    organisation_id: int | None
    text: str
    text_hash: str


def _documents(rules: Searchable, objects: Iterable[models.Model]) -> dict[int, Document]:
    """The search documents of ``objects`` that have one, by id."""
    found: dict[int, Document] = {}
    for instance in objects:
        document = rules.document(instance)
        if document is not None:
            found[int(instance.pk)] = document
    return found


def embed_objects(*, label: str, object_ids: Sequence[int], using: Embedder | None = None) -> int:
    """Bring the embeddings of these objects of ``label`` up to date in one batch; return how
    many vectors were computed. Objects that are gone or unsearchable lose their vectors."""
    rules = searchable_for(label)
    active = using or embedder()
    ids = [int(object_id) for object_id in object_ids]
    documents = _documents(rules, rules.model._default_manager.filter(pk__in=ids))
    stored = {
        row.object_id: row
        for row in Embedding.objects.filter(
            label=label,
            object_id__in=ids,
            embedder=active.name,
            embedder_version=active.version,
        ).only("id", "object_id", "text_hash", "organisation_id")
    }
    pending: list[_Pending] = []
    moved_organisation: list[tuple[int, int | None]] = []
    for object_id, document in documents.items():
        text = text_of(document)
        digest = text_hash(text)
        row = stored.get(object_id)
        if row is None or row.text_hash != digest:
            pending.append(_Pending(label, object_id, document.organisation_id, text, digest))
        elif row.organisation_id != document.organisation_id:
            moved_organisation.append((row.pk, document.organisation_id))
    gone = [object_id for object_id in ids if object_id not in documents]
    vectors = active.embed([item.text for item in pending]) if pending else None
    with transaction.atomic():
        if gone:
            Embedding.objects.filter(label=label, object_id__in=gone).delete()
        for pk, organisation_id in moved_organisation:
            Embedding.objects.filter(pk=pk).update(organisation_id=organisation_id)
        for index, item in enumerate(pending):
            assert vectors is not None
            Embedding.objects.update_or_create(
                label=label,
                object_id=item.object_id,
                embedder=active.name,
                embedder_version=active.version,
                defaults={
                    "organisation_id": item.organisation_id,
                    "dimensions": int(active.dimensions),
                    "vector": to_bytes(vectors[index]),
                    "text_hash": item.text_hash,
                },
            )
        if gone or pending or moved_organisation:
            versions.move_on(changes_key(label))
    return len(pending)


def embed_object(*, label: str, object_id: int) -> bool:
    """Bring one object's embedding up to date; return whether it has one now."""
    embed_objects(label=label, object_ids=[object_id])
    active = embedder()
    return Embedding.objects.filter(
        label=label,
        object_id=object_id,
        embedder=active.name,
        embedder_version=active.version,
    ).exists()


def schedule_embedding(label: str, object_id: int) -> None:
    """Queue the embedding of one object (called once the change has committed)."""
    if label not in LABELS:
        return
    from civicflow.similarity.tasks import embed_object_task

    try:
        embed_object_task.enqueue(label, object_id)
    except Exception:  # a queue that refuses must not fail the change that was just saved
        logger.exception("Could not queue the embedding of %s %s", label, object_id)


def embed_all(*, label: str | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Embed every object of one kind, or all kinds, whose vector is missing or stale under
    the active embedder; drop vectors of objects that are gone and of other embedders.
    Return how many vectors were computed."""
    active = embedder()
    labels = [label] if label else embedded_labels()
    computed = 0
    for current in labels:
        rules = searchable_for(current)
        ids = [int(pk) for pk in rules.model._default_manager.values_list("pk", flat=True)]
        for start in range(0, len(ids), batch_size):
            computed += embed_objects(
                label=current, object_ids=ids[start : start + batch_size], using=active
            )
        swept = Embedding.objects.filter(label=current).exclude(
            embedder=active.name, embedder_version=active.version
        )
        existing = set(ids)
        orphans = [
            pk
            for pk, object_id in Embedding.objects.filter(label=current).values_list(
                "pk", "object_id"
            )
            if object_id not in existing
        ]
        removed, _ = swept.delete()
        removed_orphans, _ = Embedding.objects.filter(pk__in=orphans).delete()
        if removed or removed_orphans:
            versions.move_now((changes_key(current),))
        store_index(label=current, using=active)
    return computed


def store_index(*, label: str, using: Embedder | None = None) -> int:
    """Build and store the approximate index of ``label`` when it is large enough to need
    one, so that new processes load it; return its size (0 when exact search is enough)."""
    from civicflow.similarity.live import store_index as store

    active = using or embedder()
    return store(
        label=label,
        embedder=active.name,
        version=active.version,
        dimensions=int(active.dimensions),
    )


def register() -> None:
    """Embed objects whenever their search entry is scheduled."""
    from civicflow.search.services import follow_index

    follow_index(schedule_embedding)
