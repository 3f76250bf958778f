"""Benchmark the similarity engine (ADR 0023): ``python -m bench.similarity``.

Three parts, each model or index measured in the same run as its reference:

1. **Quality** — recall@5 of each embedder on labelled paraphrase pairs: every first sentence
   of a pair is a query; the corpus is every second sentence plus every sentence of the
   non-paraphrase pairs (distractors); a hit is the query's own paraphrase among the five
   nearest. Data sets:

   * ``civic`` — ``bench/similarity_data/civic_pairs.tsv``, written for this project (same
     licence as civicflow): ideas for public services, each with a rewording that shares few
     words, and near-miss pairs on the same topic that are *not* the same idea.
   * any public set given with ``--dataset PATH`` (repeatable), read by its own format:
     STS Benchmark (``sts-*.csv``, with or without a header row; a pair with a score of 4 or more
     counts as a paraphrase; measured in ADR 0023 on a local copy of the whole test split,
     1,379 pairs: recall@5 tfidf-hash 0.870, model2vec-minilm 0.932, all-MiniLM-L6-v2 0.950),
     Quora Question Pairs (``quora_duplicate_questions.tsv``, ``is_duplicate``), MRPC
     (``msr_paraphrase_*.txt``, ``Quality``) and PAWS (``train.tsv``/``dev.tsv``/``test.tsv``
     with ``id sentence1 sentence2 label``). We found none of them bundled by a package on
     PyPI, npm or Debian (ADR 0023), and none is committed here.

2. **Throughput** — texts embedded per second on this CPU, per embedder, on the quality texts
   repeated to ``--texts`` (median of ``--rounds``).

3. **Top-10 latency** at 100k and 1M stored vectors (``--sizes``) of the distilled model's
   dimension (256), on two synthetic sets: clustered unit vectors (topics, like embeddings of
   texts) with queries from the same topics, and random unit vectors with random queries (the
   worst case for an approximate index). For each: plain numpy brute force (matrix product and
   ``argpartition``, the reference), :class:`ExactIndex`, :class:`ApproximateIndex` (faiss IVF)
   and, up to ``--hnsw-max`` vectors, :class:`HnswIndex` (usearch); p50 and p95 over
   ``--queries`` single queries per round, the median of ``--rounds`` rounds, the ratio to
   numpy, the approximate indexes' recall@10 against the exact answer, and their build times.

The all-MiniLM-L6-v2 embedder needs torch, which the app's Python 3.12 does not have: it is run
in ``var/distil-venv`` (Python 3.11, made by ``scripts/distil-model``) by a child process, when
that environment exists. The distilled model is measured when ``var/models`` has it.

Options: ``--quick`` (100k vectors, 100 queries, 3 rounds), ``--sizes 100000,1000000``,
``--queries N`` (default 200), ``--rounds N`` (default 3), ``--texts N`` (default 5000),
``--no-minilm``, ``--only quality|throughput|latency`` (repeatable),
``--data clustered|random`` (repeatable),
``--hnsw-max N`` (the largest size the slow-to-build HNSW index is timed at, default 100,000),
``--nprobe 16,32,64`` (also time the IVF index probing that many cells), ``--dataset PATH``.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "similarity_data"
DISTIL_PYTHON = REPO / "var" / "distil-venv" / "bin" / "python"
MODEL_DIR = REPO / "var" / "models" / "model2vec-minilm"


# Data ------------------------------------------------------------------------------------------


@dataclass
class PairSet:
    name: str
    pairs: list[tuple[str, str, bool]]  # (first, second, is a paraphrase)

    def retrieval(self) -> tuple[list[str], list[str], list[int]]:
        """Return queries, the corpus, and for each query the corpus row of its paraphrase."""
        corpus: list[str] = []
        row_of: dict[str, int] = {}

        def add(text: str) -> int:
            if text not in row_of:
                row_of[text] = len(corpus)
                corpus.append(text)
            return row_of[text]

        queries, answers = [], []
        for first, second, positive in self.pairs:
            if positive:
                queries.append(first)
                answers.append(add(second))
        for first, second, positive in self.pairs:
            if not positive:
                add(first)
                add(second)
        return queries, corpus, answers


def read_civic(path: Path = DATA / "civic_pairs.tsv") -> PairSet:
    pairs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            label, first, second = line.rstrip("\n").split("\t")
            pairs.append((first, second, label == "1"))
    return PairSet("civic (civicflow's own)", pairs)


def _number(text: str) -> float | None:
    """The score column as a number; ``None`` for a header row (some copies of STS-B have one)."""
    try:
        return float(text)
    except ValueError:
        return None


def read_public(path: Path, limit: int = 5000) -> PairSet:
    """Read STS-B, QQP, MRPC or PAWS by its columns; at most ``limit`` pairs."""
    pairs: list[tuple[str, str, bool]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        head = handle.readline()
        handle.seek(0)
        if "is_duplicate" in head:  # Quora Question Pairs
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                pairs.append((row["question1"], row["question2"], row["is_duplicate"] == "1"))
        elif head.startswith("Quality") or "#1 String" in head:  # MRPC
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                pairs.append((row["#1 String"], row["#2 String"], row["Quality"] == "1"))
        elif head.startswith("id\tsentence1"):  # PAWS
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                pairs.append((row["sentence1"], row["sentence2"], row["label"] == "1"))
        else:  # STS Benchmark: genre, file, year, id, score, sentence1, sentence2
            for fields in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(fields) >= 7 and (score := _number(fields[4])) is not None:
                    pairs.append((fields[5], fields[6], score >= 4.0))
    pairs = [(a, b, p) for a, b, p in pairs if a.strip() and b.strip()][:limit]
    return PairSet(path.name, pairs)


# Embedders --------------------------------------------------------------------------------------


Embed = Callable[[Sequence[str]], np.ndarray]


def local_embedders() -> dict[str, Embed]:
    from civicflow.similarity.embedders import Model2VecEmbedder, TfidfEmbedder

    found: dict[str, Embed] = {"tfidf-hash": TfidfEmbedder().embed}
    if (MODEL_DIR / "model.safetensors").exists():
        found["model2vec-minilm"] = Model2VecEmbedder(MODEL_DIR).embed
    else:
        print(f"(no distilled model in {MODEL_DIR}: scripts/setup --models)")
    return found


MINILM_CHILD = """
import json, sys, time
import numpy as np
from civicflow.similarity.embedders import MiniLMEmbedder
texts = json.load(open(sys.argv[1], encoding="utf-8"))
rounds = int(sys.argv[3])
embedder = MiniLMEmbedder()
embedder.embed(texts[:64])
times = []
for _ in range(rounds):
    start = time.perf_counter()
    vectors = embedder.embed(texts)
    times.append(time.perf_counter() - start)
np.save(sys.argv[2], vectors)
print(json.dumps({"seconds": times}))
"""


def minilm_in_child(texts: list[str], rounds: int) -> tuple[np.ndarray, list[float]] | None:
    """Embed ``texts`` with all-MiniLM-L6-v2 in the Python 3.11 environment that has torch."""
    if not DISTIL_PYTHON.exists():
        print(f"(no {DISTIL_PYTHON}: scripts/distil-model makes it; all-MiniLM-L6-v2 skipped)")
        return None
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "texts.json", Path(folder) / "vectors.npy"
        source.write_text(json.dumps(texts), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
        env["TOKENIZERS_PARALLELISM"] = "false"
        done = subprocess.run(
            [str(DISTIL_PYTHON), "-c", MINILM_CHILD, str(source), str(target), str(rounds)],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            check=False,
        )
        if done.returncode != 0:
            print(f"(all-MiniLM-L6-v2 failed: {done.stderr.strip().splitlines()[-1:]})")
            return None
        seconds = json.loads(done.stdout.strip().splitlines()[-1])["seconds"]
        return np.load(target), seconds


# 1. Quality -------------------------------------------------------------------------------------


def recall_at(query_vectors: np.ndarray, corpus_vectors: np.ndarray, answers: list[int], k: int):
    scores = query_vectors @ corpus_vectors.T
    top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    hits = [answers[i] in top[i] for i in range(len(answers))]
    return sum(hits) / len(hits)


def quality(sets: list[PairSet], embedders: dict[str, Embed], minilm: bool) -> None:
    print("\n1. Quality: recall@5 (query: first sentence; target: its paraphrase among all)")
    for data in sets:
        queries, corpus, answers = data.retrieval()
        print(f"  {data.name}: {len(queries)} queries, {len(corpus)} candidates")
        results: dict[str, float] = {}
        for name, embed in embedders.items():
            results[name] = recall_at(embed(queries), embed(corpus), answers, 5)
        if minilm:
            done = minilm_in_child([*queries, *corpus], 1)
            if done is not None:
                vectors = done[0]
                results["all-MiniLM-L6-v2"] = recall_at(
                    vectors[: len(queries)], vectors[len(queries) :], answers, 5
                )
        for name, value in results.items():
            print(f"    {name:<20} recall@5 {value:6.3f}")


# 2. Throughput ----------------------------------------------------------------------------------


def throughput(texts: list[str], embedders: dict[str, Embed], rounds: int, minilm: bool) -> None:
    words = statistics.mean(len(text.split()) for text in texts)
    print(f"\n2. Throughput: {len(texts)} texts of {words:.0f} words on average, one process")
    for name, embed in embedders.items():
        embed(texts[:64])
        seconds = []
        for _ in range(rounds):
            start = time.perf_counter()
            embed(texts)
            seconds.append(time.perf_counter() - start)
        rate = len(texts) / statistics.median(seconds)
        print(f"    {name:<20} {rate:>10,.0f} texts/s")
    if minilm:
        done = minilm_in_child(texts, rounds)
        if done is not None:
            rate = len(texts) / statistics.median(done[1])
            print(
                f"    {'all-MiniLM-L6-v2':<20} {rate:>10,.0f} texts/s  (torch, CPU, batches of 64)"
            )


# 3. Latency -------------------------------------------------------------------------------------


def unit_rows(rows: np.ndarray) -> np.ndarray:
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows


def numpy_top(matrix: np.ndarray, query: np.ndarray, k: int) -> np.ndarray:
    scores = matrix @ query
    top = np.argpartition(-scores, k)[:k]
    return top[np.argsort(-scores[top])]


def percentiles(run: Callable[[np.ndarray], object], queries: np.ndarray) -> tuple[float, float]:
    times = np.empty(len(queries))
    for i, query in enumerate(queries):
        start = time.perf_counter()
        run(query)
        times[i] = time.perf_counter() - start
    return float(np.percentile(times, 50)), float(np.percentile(times, 95))


def clustered_rows(rng: np.random.Generator, count: int, dimensions: int, topics: int):
    """Unit vectors around ``topics`` random centres: same-topic pairs have a cosine near 0.6."""
    centres = unit_rows(rng.standard_normal((topics, dimensions), dtype=np.float32))
    rows = centres[rng.integers(0, topics, count)]
    rows += 0.05 * rng.standard_normal((count, dimensions), dtype=np.float32)
    return unit_rows(rows), centres


def latency(
    sizes: list[int],
    dimensions: int,
    queries: int,
    rounds: int,
    hnsw_max: int,
    kinds: list[str],
    sweep: Sequence[int] = (),
) -> None:
    from civicflow.similarity.index import ApproximateIndex, ExactIndex, HnswIndex

    print(
        f"\n3. Top-10 latency, {dimensions} dimensions, single queries (ms): p50 and p95 of "
        f"{queries} queries, median of {rounds} rounds; ratio = time / numpy brute force's"
    )
    for size in sizes:
        for kind in kinds:
            rng = np.random.default_rng(2026)
            if kind == "clustered":
                topics = max(50, size // 500)
                matrix, centres = clustered_rows(rng, size, dimensions, topics)
                batch = centres[rng.integers(0, topics, queries)]
                batch = unit_rows(
                    batch + 0.05 * rng.standard_normal((queries, dimensions), dtype=np.float32)
                )
                what = f"clustered unit vectors ({topics:,} topics), queries from the same topics"
            else:
                matrix = unit_rows(rng.standard_normal((size, dimensions), dtype=np.float32))
                batch = unit_rows(rng.standard_normal((queries, dimensions), dtype=np.float32))
                what = "random unit vectors, random queries (the worst case)"
            ids = np.arange(size, dtype=np.int64)
            print(f"  {size:,} {what}:")
            runs: dict[str, Callable[[np.ndarray], object]] = {
                "numpy brute force": lambda q, m=matrix: numpy_top(m, q, 10)
            }
            start = time.perf_counter()
            exact = ExactIndex(dimensions)
            exact.upsert(ids, matrix)
            print(f"    ExactIndex filled in {time.perf_counter() - start:.1f} s")
            runs["ExactIndex"] = lambda q, index=exact: index.search(q, 10)
            approximate: dict[str, object] = {}
            start = time.perf_counter()
            ivf = ApproximateIndex(dimensions)
            ivf.upsert(ids, matrix)
            build = time.perf_counter() - start
            print(
                f"    ApproximateIndex (faiss IVF, {ivf.nlist} cells, {ivf.nprobe} probed) "
                f"built in {build:.1f} s"
            )
            runs["ApproximateIndex"] = lambda q, index=ivf: index.search(q, 10)
            approximate["ApproximateIndex"] = ivf
            if size <= hnsw_max:
                start = time.perf_counter()
                hnsw = HnswIndex(dimensions, dtype="f16")
                hnsw.upsert(ids, matrix)
                build = time.perf_counter() - start
                print(
                    f"    HnswIndex (usearch, f16, M=16, ef_add=128, ef=96) built in {build:.1f} s"
                )
                runs["HnswIndex"] = lambda q, index=hnsw: index.search(q, 10)
                approximate["HnswIndex"] = hnsw
            truth = [set(numpy_top(matrix, query, 10).tolist()) for query in batch]
            recalls = {}
            for name, index in approximate.items():
                found = [{key for key, _ in index.search(query, 10)} for query in batch]  # type: ignore[attr-defined]
                recalls[name] = statistics.mean(
                    len(t & f) / 10 for t, f in zip(truth, found, strict=True)
                )
            measured: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
            for _ in range(rounds):
                for name, run in runs.items():
                    measured[name].append(percentiles(run, batch))
            reference = measured["numpy brute force"]
            ref50 = statistics.median(p50 for p50, _ in reference)
            ref95 = statistics.median(p95 for _, p95 in reference)
            for name, values in measured.items():
                p50 = statistics.median(v for v, _ in values)
                p95 = statistics.median(v for _, v in values)
                extra = f"  recall@10 {recalls[name]:.3f}" if name in recalls else ""
                print(
                    f"    {name:<20} p50 {p50 * 1000:8.2f}  p95 {p95 * 1000:8.2f}"
                    f"   ratio p50 {p50 / ref50:6.3f}  p95 {p95 / ref95:6.3f}{extra}"
                )
            for nprobe in sweep:
                ivf.nprobe = nprobe
                found = [{key for key, _ in ivf.search(query, 10)} for query in batch]
                recall = statistics.mean(len(t & f) / 10 for t, f in zip(truth, found, strict=True))
                values = [percentiles(runs["ApproximateIndex"], batch) for _ in range(rounds)]
                p50 = statistics.median(v for v, _ in values)
                p95 = statistics.median(v for _, v in values)
                label = f"  nprobe {nprobe}"
                print(
                    f"    {label:<20} p50 {p50 * 1000:8.2f}  p95 {p95 * 1000:8.2f}"
                    f"   ratio p50 {p50 / ref50:6.3f}  p95 {p95 / ref95:6.3f}"
                    f"  recall@10 {recall:.3f}"
                )
            del matrix, exact, approximate, runs, ivf
            gc.collect()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--texts", type=int, default=5000)
    parser.add_argument("--hnsw-max", type=int, default=100_000)
    parser.add_argument("--nprobe", default="", help="also time the IVF index probing these")
    parser.add_argument("--data", action="append", choices=["clustered", "random"])
    parser.add_argument("--no-minilm", action="store_true")
    parser.add_argument("--only", action="append", choices=["quality", "throughput", "latency"])
    parser.add_argument("--dataset", action="append", type=Path, default=[])
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.queries, args.rounds = "100000", 100, 3
    parts = set(args.only or ["quality", "throughput", "latency"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicflow.config.settings")
    os.environ.setdefault("CIVICFLOW_MODE", "dev")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

    print(f"civicflow similarity benchmark: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    minilm = not args.no_minilm
    if parts & {"quality", "throughput"}:
        embedders = local_embedders()
        sets = [read_civic(), *(read_public(path) for path in args.dataset)]
        if "quality" in parts:
            quality(sets, embedders, minilm)
        if "throughput" in parts:
            texts = [text for data in sets for pair in data.pairs for text in pair[:2]]
            texts = (texts * (args.texts // len(texts) + 1))[: args.texts]
            throughput(texts, embedders, args.rounds, minilm)
    if "latency" in parts:
        sizes = [int(size) for size in args.sizes.split(",")]
        kinds = args.data or ["clustered", "random"]
        sweep = [int(value) for value in args.nprobe.split(",") if value]
        latency(sizes, 256, args.queries, args.rounds, args.hnsw_max, kinds, sweep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
