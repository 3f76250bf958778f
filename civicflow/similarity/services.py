"""Keeping stored embeddings in step with the objects they describe."""

from __future__ import annotations


def register() -> None:
    """Nothing yet."""
