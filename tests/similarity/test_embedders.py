"""The embedders: TF-IDF always works, a model2vec model loads from a folder, a missing model
falls back to TF-IDF with a notice."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from django.test import override_settings

from civicflow.similarity import embedders
from civicflow.similarity.embedders import (
    Embedder,
    Model2VecEmbedder,
    TfidfEmbedder,
    active_embedder,
    document_text,
    embed,
    embedder_notice,
)

REAL_MODEL = Path(__file__).resolve().parents[2] / "var" / "models" / embedders.MODEL2VEC_DIRNAME

ODD_TEXTS = [
    "",
    "   \n\t ",
    "Mae angen gwell trafnidiaeth gyhoeddus yng nghefn gwlad Cymru, ŵ ŷ â",
    "🚲🚲🚲 bike lanes 🚦",
    "control\x00characters\x07and\x1bescapes\x7f",
    "lone surrogate \ud800 here",
    "word " * 200_000,
    "x" * 3_000_000,
    "日本語のテキスト",
    "١٢٣ عربى",
]

IDEAS = [
    "Fix the potholes on the High Street before winter",
    "Free school meals for every primary school child",
    "A community garden on the empty lot behind the library",
    "Longer opening hours for the swimming pool at weekends",
    "Solar panels on the roofs of council buildings",
    "A night bus from the town centre to the outer estates",
]


@pytest.fixture(autouse=True)
def _fresh_embedders():
    embedders.reset_cache()
    yield
    embedders.reset_cache()


def check_vectors(vectors: np.ndarray, count: int, dimensions: int) -> None:
    assert vectors.dtype == np.float32
    assert vectors.shape == (count, dimensions)
    assert np.isfinite(vectors).all()
    norms = np.linalg.norm(vectors, axis=1)
    assert np.all((np.abs(norms - 1) < 1e-4) | (norms == 0))


def rank_of_near_duplicate(embedder: Embedder) -> int:
    vectors = embedder.embed(IDEAS)
    query = embedder.embed(["Repair the pot holes in the high street before the winter comes"])[0]
    order = np.argsort(-(vectors @ query))
    return int(np.flatnonzero(order == 0)[0])


# TF-IDF -----------------------------------------------------------------------------------------


def test_tfidf_vectors_are_unit_float32_rows():
    embedder = TfidfEmbedder()
    assert isinstance(embedder, Embedder)
    vectors = embedder.embed(IDEAS)
    check_vectors(vectors, len(IDEAS), embedder.dimensions)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)


def test_tfidf_blank_text_gives_a_zero_row_and_no_text_gives_no_rows():
    embedder = TfidfEmbedder()
    vectors = embedder.embed(["", "  \n", "Potholes"])
    assert not vectors[0].any() and not vectors[1].any()
    assert vectors[2].any()
    assert embedder.embed([]).shape == (0, embedder.dimensions)


def test_tfidf_never_raises_on_odd_input():
    embedder = TfidfEmbedder()
    vectors = embedder.embed([*ODD_TEXTS, None, 42])  # type: ignore[list-item]
    check_vectors(vectors, len(ODD_TEXTS) + 2, embedder.dimensions)
    assert vectors[2].any()  # Welsh gives a real vector
    assert not vectors[-1].any() and not vectors[-2].any()


def test_tfidf_is_stateless_and_deterministic():
    # Two servers (two instances), different batches: the same text gets the same vector.
    first = TfidfEmbedder().embed(IDEAS)
    second = TfidfEmbedder().embed([IDEAS[3], "something else entirely"])
    assert np.array_equal(first[3], second[0])


def test_tfidf_ranks_a_near_duplicate_first():
    assert rank_of_near_duplicate(TfidfEmbedder()) == 0


def test_tfidf_matches_plurals_and_welsh_mutations_by_character_ngrams():
    embedder = TfidfEmbedder()
    a, b, c = embedder.embed(["bicycle lanes", "bicycles lane", "library opening"])
    assert a @ b > 0.15
    assert abs(a @ c) < 0.05
    welsh = embedder.embed(["trafnidiaeth gyhoeddus", "drafnidiaeth gyhoeddus", "ysgol"])
    assert welsh[0] @ welsh[1] > welsh[0] @ welsh[2]


def test_document_text_puts_the_title_first_and_skips_blank_parts():
    text = document_text("Night bus", "", "From the centre\x00 to the estates")
    assert text.startswith("Night bus\n\nNight bus")
    assert "\x00" not in text
    assert "\n\n\n" not in text
    assert len(document_text("t", "s", "b" * 10_000_000)) <= embedders.MAX_CHARS


# Choosing the embedder --------------------------------------------------------------------------


def test_the_test_settings_use_tfidf():
    assert active_embedder().name == TfidfEmbedder.name
    assert embedder_notice() is None
    check_vectors(embed(["one", ""]), 2, TfidfEmbedder.dimensions)


@pytest.mark.parametrize("choice", ["auto", "model2vec"])
def test_a_missing_model_falls_back_to_tfidf_with_a_notice(tmp_path, caplog, choice):
    with (
        override_settings(CIVICFLOW_EMBEDDER=choice, CIVICFLOW_MODELS_DIR=str(tmp_path)),
        caplog.at_level(logging.WARNING, logger="civicflow.similarity.embedders"),
    ):
        assert active_embedder().name == TfidfEmbedder.name
        notice = embedder_notice()
        assert notice is not None and "scripts/setup --models" in notice
        assert str(tmp_path) in notice
        check_vectors(embed(["still works"]), 1, TfidfEmbedder.dimensions)
    assert any("TF-IDF" in record.getMessage() for record in caplog.records)


def test_a_damaged_model_falls_back_to_tfidf(tmp_path):
    folder = tmp_path / embedders.MODEL2VEC_DIRNAME
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"not a model")
    with override_settings(CIVICFLOW_EMBEDDER="model2vec", CIVICFLOW_MODELS_DIR=str(tmp_path)):
        assert active_embedder().name == TfidfEmbedder.name
        assert "could not be loaded" in (embedder_notice() or "")


def test_minilm_without_torch_falls_back_to_tfidf(monkeypatch):
    def unavailable() -> None:
        raise ImportError("No module named 'torch'")

    monkeypatch.setattr(embedders, "MiniLMEmbedder", unavailable)
    with override_settings(CIVICFLOW_EMBEDDER="minilm"):
        assert active_embedder().name == TfidfEmbedder.name
        assert "torch" in (embedder_notice() or "")


def test_an_unknown_setting_means_auto(tmp_path):
    with override_settings(CIVICFLOW_EMBEDDER="bert-large", CIVICFLOW_MODELS_DIR=str(tmp_path)):
        assert active_embedder().name == TfidfEmbedder.name


# model2vec, with a tiny model built here (no torch) --------------------------------------------

TINY_WORDS = [
    "[PAD]",
    "[UNK]",
    "pothole",
    "potholes",
    "road",
    "street",
    "repair",
    "fix",
    "school",
    "meals",
    "garden",
    "library",
    "bus",
    "night",
]


def build_tiny_model(folder: Path, *, seed: int = 1) -> None:
    """Save a model2vec StaticModel of 8 dimensions over a word-level tokenizer."""
    from model2vec import StaticModel
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.normalizers import Lowercase
    from tokenizers.pre_tokenizers import Whitespace

    vocab = {word: i for i, word in enumerate(TINY_WORDS)}
    tokenizer = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = Lowercase()
    tokenizer.pre_tokenizer = Whitespace()
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(len(TINY_WORDS), 8)).astype(np.float32)
    # Words about roads share a direction, so that their texts are similar.
    vectors[2:8] += 3 * rng.normal(size=8).astype(np.float32)
    StaticModel(vectors, tokenizer, normalize=True).save_pretrained(folder)


def test_model2vec_loader_embeds_with_a_tiny_model(tmp_path):
    build_tiny_model(tmp_path / embedders.MODEL2VEC_DIRNAME)
    with override_settings(CIVICFLOW_EMBEDDER="auto", CIVICFLOW_MODELS_DIR=str(tmp_path)):
        embedder = active_embedder()
        assert isinstance(embedder, Model2VecEmbedder)
        assert embedder_notice() is None
        assert embedder.dimensions == 8
        vectors = embedder.embed(["fix potholes", "repair road street", "school meals", ""])
        check_vectors(vectors, 4, 8)
        assert not vectors[3].any()
        assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
        check_vectors(embedder.embed(ODD_TEXTS), len(ODD_TEXTS), 8)
        assert active_embedder() is embedder  # loaded once


def test_model2vec_version_changes_with_the_weights(tmp_path):
    build_tiny_model(tmp_path / "a", seed=1)
    build_tiny_model(tmp_path / "b", seed=2)
    first, again, other = (
        Model2VecEmbedder(tmp_path / "a"),
        Model2VecEmbedder(tmp_path / "a"),
        Model2VecEmbedder(tmp_path / "b"),
    )
    assert first.version == again.version != other.version


@pytest.mark.skipif(not REAL_MODEL.exists(), reason="no distilled model (scripts/setup --models)")
def test_the_distilled_model_ranks_a_near_duplicate_first():
    embedder = Model2VecEmbedder(REAL_MODEL)
    assert embedder.dimensions == 256
    assert rank_of_near_duplicate(embedder) == 0
    check_vectors(embedder.embed(ODD_TEXTS), len(ODD_TEXTS), embedder.dimensions)
    # Meaning rather than shared words.
    bike, cycle, pool = embedder.embed(
        ["safer bike lanes", "protected cycle paths", "swimming pool hours"]
    )
    assert bike @ cycle > bike @ pool
