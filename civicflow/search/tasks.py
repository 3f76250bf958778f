"""Background tasks for the search index."""

from __future__ import annotations

from django.tasks import task

from civicflow.search.services import index_object


@task()
def reindex_object(label: str, object_id: int) -> bool:
    """Bring one object's index entry up to date."""
    return index_object(label=label, object_id=object_id)
