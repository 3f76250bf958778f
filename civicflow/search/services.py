"""Keeping the search index in step with the objects it describes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models, transaction

from civicflow.search.models import SearchDocument
from civicflow.search.registry import searchable_for, searchables

TITLE_LIMIT = 300
BODY_LIMIT = 50_000

# Called with (label, object_id) whenever an object's index entry is scheduled: other data
# made from the same text (embeddings) is brought up to date at the same moment.
_FOLLOWERS: list[Callable[[str, int], None]] = []


def follow_index(follower: Callable[[str, int], None]) -> None:
    """Call ``follower(label, object_id)`` after commit whenever an object is re-indexed."""
    if follower not in _FOLLOWERS:
        _FOLLOWERS.append(follower)


def index_object(*, label: str, object_id: int) -> bool:
    """Bring the index entry of one object up to date; return whether it is indexed now."""
    rules = searchable_for(label)
    instance = rules.model._default_manager.filter(pk=object_id).first()
    document = rules.document(instance) if instance is not None else None
    if document is None:
        SearchDocument.objects.filter(label=label, object_id=object_id).delete()
        return False
    SearchDocument.objects.update_or_create(
        label=label,
        object_id=object_id,
        defaults={
            "title": document.title[:TITLE_LIMIT],
            "body": document.body[:BODY_LIMIT],
            "organisation_id": document.organisation_id,
        },
    )
    return True


def schedule_index(instance: models.Model) -> None:
    """Re-index ``instance`` in the background once the current transaction commits."""
    label = instance._meta.label_lower
    object_id = int(instance.pk)

    def enqueue() -> None:
        from civicflow.search.tasks import reindex_object

        reindex_object.enqueue(label, object_id)
        for follower in list(_FOLLOWERS):
            follower(label, object_id)

    transaction.on_commit(enqueue)


def reindex_all(*, label: str | None = None, batch_size: int = 500) -> int:
    """Rebuild the index for one searchable kind, or all of them; return how many are indexed."""
    labels = [label] if label else list(searchables())
    indexed = 0
    for current in labels:
        rules = searchable_for(current)
        ids: list[Any] = list(rules.model._default_manager.values_list("pk", flat=True))
        SearchDocument.objects.filter(label=current).exclude(object_id__in=ids).delete()
        for start in range(0, len(ids), batch_size):
            with transaction.atomic():
                for object_id in ids[start : start + batch_size]:
                    indexed += int(index_object(label=current, object_id=int(object_id)))
    return indexed
