"""A small stand-in embedder for tests: hashed bag of words, deterministic and stateless."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

from civicflow.similarity.themes import tokens

DIMENSIONS = 512


def embed(texts: Sequence[str]) -> np.ndarray:
    """Return one L2-normalised row per text; a text without content words gives zeros."""
    matrix = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in tokens(text):
            stem = word[:-1] if word.endswith("s") and len(word) > 3 else word
            matrix[row, zlib.crc32(stem.encode()) % DIMENSIONS] += 1.0
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.where(norms > 0, matrix / np.maximum(norms, 1e-12), 0.0).astype(np.float32)
