#!/usr/bin/env python3
"""Trains the sequence reader of reason matching (src/matching/sequence.rs).

Dev-only: the build, the tests and CI never run this; they read the file it
writes, `data/reasons/sequence.bin`, committed with the code, and
`data/reasons/sequence-check.tsv`, what the trained reader says of a few
texts (the Rust reader must say the same).

A bidirectional GRU (64 units each way) reads a text's words in order. Each
word is its distilled vector (`data/vectors/words.bin`, of unit length, zeros
when the table lacks the word or for a clause break) beside a 32-dimension
embedding learned for the words seen at least twice in training and the
mean of 16-dimension embeddings of the word's pieces (the byte strings of
three, four and five bytes of "<word>", the first twelve, each hashed by
FNV-1a into 16,384 rows), so that typos and forms of one word read alike.
The states
are pooled by maximum and by mean into one softmax over the learned model's
44 classes (the starter reasons, then a new reason of the rep's and one
outside the rep's control). Trained with AdamW, 12 passes, batches of 32,
label smoothing 0.05, dropout 0.3 before the output and one word in ten
replaced by "any other word"; one thread and a fixed seed, so the weights
come out the same on every machine with the pinned versions. Five readers
are trained alike from seeds 7 to 11 and written one after the other;
the app averages their probabilities.

The texts are those of the learned model (the starter texts, wide.tsv, the
trained holdouts), as the Rust tests write them with the words the reader
reads; never train.tsv or dev.tsv:

    cargo test -p debrief-core --release --lib -- --ignored \
        matching::train::dump_sequences            # with SEQUENCES=/tmp/seq.tsv
    HF_HUB_OFFLINE=1 /tmp/distill/bin/python \
        crates/debrief-core/data/reasons/tools/train_sequence.py /tmp/seq.tsv
    git diff --stat crates/debrief-core/data/reasons/   # nothing

With `--fold F --seed S` it trains only the reader of seed S that never
reads fold F, prints how it reads that fold, and writes nothing (about
two and a half minutes): how a change to the reader was tried.

It also writes `data/reasons/sequence-oof.bin`: what the readers say (their
mean, and each reader's first class) of each text of the five folds the
writers are dealt into (as `matching::train::out_of_fold` deals them) when
trained on the other four and the starter texts. The Rust tests train the
smaller models on it, as on the learned model's own out-of-fold judgements.
Layout, little-endian: b"DBSO", u32 version (2), u32 texts, u32 classes,
u32 readers, then each text's mean probabilities (in the order the texts
were written) as u16, p × 65535, then each text's first class by each
reader as u8. Thirty trainings, two at a time: about an hour on two
cores.
"""

import argparse
import multiprocessing
import os
import random
import re
import struct
from pathlib import Path

import numpy as np
import torch
from torch import nn

HERE = Path(__file__).resolve().parent
REASONS = HERE.parent
CRATE = REASONS.parent.parent
CLASSES = 44
MAXLEN = 64
# One reader per seed; the app averages their probabilities.
SEEDS = (7, 8, 9, 10, 11)
EPOCHS = 12
EMBEDDING = 32
HIDDEN = 64
PIECE_DIMS = 16
BUCKETS = 16384
PIECES = 12


def load_vectors():
    """The distilled word table: each word's row and unit vectors (row 0: zeros)."""
    b = (CRATE / "data" / "vectors" / "words.bin").read_bytes()
    assert b[:4] == b"DBWV"
    _, n, d = struct.unpack_from("<III", b, 4)
    off = np.frombuffer(b, "<u4", n + 1, 16)
    at = 16 + 4 * (n + 1)
    words = b[at:at + off[-1]]
    at += int(off[-1])
    scale = np.frombuffer(b, "<f4", n, at)
    at += 4 * n
    vec = np.frombuffer(b, "i1", n * d, at).reshape(n, d).astype(np.float32) * scale[:, None]
    vec = vec / (np.sqrt((vec * vec).sum(1, keepdims=True)) + np.float32(1e-6))
    index = {words[off[i]:off[i + 1]].decode(): i + 1 for i in range(n)}
    return index, np.vstack([np.zeros((1, d), np.float32), vec]).astype(np.float32)


def theirs():
    """Whether each class is outside the rep's control."""
    src = (CRATE / "src" / "vocabulary.rs").read_text(encoding="utf-8")
    sides = [m.group(1) == "external" for m in re.finditer(r'(mine|external)\(\s*"([^"]+)"', src)]
    return np.array(sides + [False, True])


def read(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        words = f[4].split(" ")[:MAXLEN] if f[4] else ["|"]
        rows.append({"fold": f[0], "cls": int(f[2]), "key": f[3], "words": words, "text": f[5]})
    return rows


def fnv1a(b):
    h = 0x811C9DC5
    for x in b:
        h = ((h ^ x) * 0x01000193) & 0xFFFFFFFF
    return h


_PIECES = {}


def pieces(word):
    """The rows of a word's pieces, padded with row 0 (sequence.rs: piece_rows)."""
    if word not in _PIECES:
        b = ("<" + word + ">").encode()
        rows = [fnv1a(b[i:i + n]) % BUCKETS + 1 for n in (3, 4, 5) for i in range(len(b) - n + 1)][:PIECES]
        _PIECES[word] = rows + [0] * (PIECES - len(rows))
    return _PIECES[word]


class Reader(nn.Module):
    def __init__(self, vectors, words):
        super().__init__()
        self.vec = nn.Embedding.from_pretrained(torch.tensor(vectors), freeze=True)
        self.emb = nn.Embedding(words, EMBEDDING, padding_idx=0)
        self.piece = nn.Embedding(BUCKETS + 1, PIECE_DIMS, padding_idx=0)
        self.gru = nn.GRU(vectors.shape[1] + EMBEDDING + PIECE_DIMS, HIDDEN, batch_first=True, bidirectional=True)
        self.drop = nn.Dropout(0.3)
        self.out = nn.Linear(4 * HIDDEN, CLASSES)

    def forward(self, v, e, c, lengths):
        count = (c > 0).sum(-1, keepdim=True).clamp(min=1)
        x = torch.cat([self.vec(v), self.emb(e), self.piece(c).sum(2) / count], -1)
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        h, _ = self.gru(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=v.shape[1])
        mask = (torch.arange(v.shape[1])[None, :] < lengths[:, None]).unsqueeze(-1)
        top = h.masked_fill(~mask, -1e4).max(1).values
        mean = (h * mask).sum(1) / lengths[:, None]
        return self.out(self.drop(torch.cat([top, mean], -1)))


def encode(rows, vindex, vocab):
    n = len(rows)
    v = np.zeros((n, MAXLEN), np.int64)
    e = np.zeros((n, MAXLEN), np.int64)
    c = np.zeros((n, MAXLEN, PIECES), np.int64)
    lengths = np.zeros(n, np.int64)
    for i, r in enumerate(rows):
        for j, w in enumerate(r["words"]):
            v[i, j] = vindex.get(w, 0)
            e[i, j] = vocab.get(w, 1)
            if w != "|":
                c[i, j] = pieces(w)
        lengths[i] = len(r["words"])
    return torch.tensor(v), torch.tensor(e), torch.tensor(c), torch.tensor(lengths)


def train(rows, vindex, vectors, seed):
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    counts = {}
    for r in rows:
        for w in r["words"]:
            counts[w] = counts.get(w, 0) + 1
    # Sorted by code point, which is UTF-8's byte order: the Rust reader
    # finds a word by binary search.
    kept = sorted(w for w, c in counts.items() if c >= 2)
    vocab = {w: i + 2 for i, w in enumerate(kept)}
    model = Reader(vectors, len(kept) + 2)
    v, e, c, lengths = encode(rows, vindex, vocab)
    y = torch.tensor([r["cls"] for r in rows])
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=3e-3, weight_decay=1e-4)
    for _ in range(EPOCHS):
        model.train()
        order = torch.randperm(len(rows))
        for i in range(0, len(rows), 32):
            b = order[i:i + 32]
            words = e[b].clone()
            words[(torch.rand(words.shape) < 0.1) & (words > 1)] = 1
            loss = nn.functional.cross_entropy(model(v[b], words, c[b], lengths[b]), y[b], label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    return model, kept, vocab


def judge(model, vocab, rows, vindex):
    v, e, c, lengths = encode(rows, vindex, vocab)
    with torch.no_grad():
        return torch.softmax(model(v, e, c, lengths), -1).numpy()


def figures(rows, p, side):
    y = np.array([r["cls"] for r in rows])
    known = y < CLASSES - 2
    return (p.argmax(1) == y)[known].mean(), ((p[:, side].sum(1) > 0.5) == side[y]).mean()


def weights(model, kept):
    """One reader's part of `sequence.bin`."""
    f32 = lambda t: t.detach().numpy().astype("<f4").tobytes()
    words = "".join(w + "\n" for w in kept).encode()
    out = bytearray(b"DBSQ")
    out += struct.pack("<7I", 2, model.vec.weight.shape[1], EMBEDDING, HIDDEN, CLASSES, len(kept), MAXLEN)
    out += struct.pack("<3I", PIECE_DIMS, BUCKETS, PIECES)
    out += struct.pack("<I", len(words)) + words
    out += f32(model.emb.weight) + f32(model.piece.weight)
    g = model.gru
    for sfx in ("", "_reverse"):
        for name in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"):
            out += f32(getattr(g, name + sfx))
    out += f32(model.out.weight) + f32(model.out.bias)
    return bytes(out)


FOLDS = 5


def task(job):
    """One training: for `seed`, the whole reader (`fold` None: its weights
    and what it says of the check texts) or the one that never reads `fold`
    (what it says of that fold's texts)."""
    seed, fold = job
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    rows, vindex, vectors = DATA
    skip = ("h", "d", "c") if fold is None else ("h", "d", "c", str(fold))
    model, kept, vocab = train([r for r in rows if r["fold"] not in skip], vindex, vectors, seed)
    if fold is None:
        check = [r for r in rows if r["fold"] == "c"]
        return weights(model, kept), judge(model, vocab, check, vindex)
    judged = [i for i, r in enumerate(rows) if r["fold"] == str(fold)]
    return judged, judge(model, vocab, [rows[i] for i in judged], vindex)


def main():
    global DATA
    ap = argparse.ArgumentParser()
    ap.add_argument("sequences")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--fold", type=int, help="only train one reader without this fold and print its figures there")
    ap.add_argument("--seed", type=int, default=SEEDS[0], help="with --fold: the reader's seed")
    a = ap.parse_args()
    rows = read(a.sequences)
    vindex, vectors = load_vectors()
    DATA = (rows, vindex, vectors)
    side = theirs()
    if a.fold is not None:
        # A quick look at a change, nothing written: one reader, one fold.
        judged, p = task((a.seed, a.fold))
        first, right_side = figures([rows[i] for i in judged], p, side)
        print(f"fold {a.fold}, seed {a.seed}: right reason first {first:.4f}, side right {right_side:.4f}, {len(judged)} texts")
        return
    jobs = [(seed, fold) for seed in SEEDS for fold in (None, *range(FOLDS))]
    with multiprocessing.get_context("fork").Pool(a.jobs) as pool:
        results = dict(zip(jobs, pool.map(task, jobs, chunksize=1)))
    (REASONS / "sequence.bin").write_bytes(b"".join(results[(seed, None)][0] for seed in SEEDS))
    check = [r for r in rows if r["fold"] == "c"]
    said = sum(results[(seed, None)][1] for seed in SEEDS) / len(SEEDS)
    firsts = np.stack([results[(seed, None)][1].argmax(1) for seed in SEEDS], 1)
    lines = ["# What train_sequence.py's readers say of these texts: averaged, then each reader's first class (sequence.rs checks it says the same)."]
    for r, q, f in zip(check, said, firsts):
        lines.append(r["text"] + "\t" + "\t".join(f"{x:.6f}" for x in q) + "\t" + ",".join(str(c) for c in f))
    (REASONS / "sequence-check.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    voices = [i for i, r in enumerate(rows) if r["fold"] in {str(f) for f in range(FOLDS)}]
    held = np.zeros((len(rows), CLASSES), np.float32)
    firsts = np.zeros((len(rows), len(SEEDS)), np.uint8)
    for n, seed in enumerate(SEEDS, 1):
        for fold in range(FOLDS):
            judged, p = results[(seed, fold)]
            held[judged] += (p - held[judged]) / n
            firsts[judged, n - 1] = p.argmax(axis=1)
        first, right_side = figures([rows[i] for i in voices], held[voices], side)
        print(f"never read by their writer's readers, seeds {SEEDS[:n]}: right reason first {first:.4f}, side right {right_side:.4f}, {len(voices)} texts")
    out = bytearray(b"DBSO") + struct.pack("<4I", 2, len(voices), CLASSES, len(SEEDS))
    out += np.round(held[voices] * 65535).astype("<u2").tobytes()
    out += firsts[voices].tobytes()
    (REASONS / "sequence-oof.bin").write_bytes(bytes(out))


if __name__ == "__main__":
    main()
