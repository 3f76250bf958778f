"""Background tasks for embeddings and the approximate indexes built from them."""

from __future__ import annotations

from django.tasks import task

from civicflow.similarity import services


@task()
def embed_object_task(label: str, object_id: int) -> bool:
    """Bring one object's embedding up to date."""
    return services.embed_object(label=label, object_id=object_id)


@task()
def embed_all_task(label: str | None = None) -> int:
    """Embed every object whose vector is missing or stale (after the embedder changes)."""
    return services.embed_all(label=label)


@task()
def store_indexes_task() -> dict[str, int]:
    """Build and store a fresh approximate index of each large kind (run nightly: an index
    updated in place for a long time is slower than a fresh one)."""
    return {label: services.store_index(label=label) for label in services.embedded_labels()}
