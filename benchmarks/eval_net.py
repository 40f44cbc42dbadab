"""Honest evaluation of network detection: whole attack families held out, split by capture.

Usage::

    python benchmarks/eval_net.py [--train PARQUET] [--holdout-lab DIR ...]

1. Leave-one-family-out for the flow model: for each attack kind K, the model is trained on the
   captures that do not contain K (and not on the benign-only captures) and tested on the captures
   that contain K plus the benign-only captures. No identifier features enter (see
   ``tergeu.net.model.MODEL_FEATURES``: no address, port, TTL or MAC).
2. The rules (no training) on the same captures, as the plain baseline.
3. Both on a lab run that was never used for training (default: the committed test captures,
   another seed and scale), for rules and for the shipped model.

Printed per kind: recall (flow level for the model; attack instances for rules), false positives
per 10k benign flows, and precision if attacks were 1 in 1000 flows:
``P = R / (R + FPR * 1000)``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tergeu.net import model  # noqa: E402
from tergeu.net.analyze import analyse  # noqa: E402
from tergeu.net.detect import Detector  # noqa: E402


def fpr_upper(k: int, n: int) -> float:
    """One-sided 95 % Clopper-Pearson upper bound of a false-positive rate seen k times in n:
    with few benign flows, "0 false positives" only bounds the rate, it does not make it zero."""
    from scipy.stats import beta

    if n == 0:
        return 1.0
    return float(beta.ppf(0.95, k + 1, n - k)) if k < n else 1.0


def prec_at(recall: float, fpr: float, rate: float = 1 / 1000) -> float:
    if recall == 0:
        return 0.0
    return recall * rate / (recall * rate + fpr * (1 - rate))


def model_lofo(table: pl.DataFrame) -> list[dict[str, object]]:
    kinds = sorted(k for k in set(table["kind"].to_list()) if k)
    benign_caps = sorted({c for c in table["capture"].to_list() if "/benign" in c})
    rows = []
    for k in kinds:
        caps_k = set(table.filter(pl.col("kind") == k)["capture"].to_list())
        test = table.filter(pl.col("capture").is_in(list(caps_k | set(benign_caps))))
        train = table.filter(~pl.col("capture").is_in(list(caps_k | set(benign_caps))))
        clf = model.fit(train)
        p = clf.predict_proba(model.matrix(test))[:, 1]
        flag = p >= model.THRESHOLD
        y = test["kind"].to_numpy()
        att = y == k
        ben = y == ""
        rec = float(flag[att].mean()) if att.any() else float("nan")
        fpr = float(flag[ben].mean()) if ben.any() else float("nan")
        ub = fpr_upper(int(flag[ben].sum()), int(ben.sum()))
        rows.append(
            {
                "kind": k,
                "attack_flows": int(att.sum()),
                "benign_flows": int(ben.sum()),
                "recall": rec,
                "fp_per_10k": fpr * 1e4,
                "fp_per_10k_ub": ub * 1e4,
                "prec_1_1000": prec_at(rec, fpr),
                "prec_1_1000_lb": prec_at(rec, ub),
            }
        )
    return rows


def rules_on_lab(folder: Path) -> tuple[list[dict[str, object]], dict[str, float]]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    benign_hosts = set(manifest["benign_hosts"])
    per_kind: dict[str, list[int]] = {}
    benign_flows = 0
    false_findings = 0
    model_fp = 0
    model_att: dict[str, list[int]] = {}
    forest = model.load()
    for cap in manifest["captures"]:
        path = folder / cap["file"]
        if not path.exists():
            path = folder / (cap["file"] + ".gz")
        a = analyse([path])
        labels = [lb for lb in manifest["labels"] if lb["capture"] == cap["file"]]
        kinds, _ = model.label_flows(a.flows, labels)
        benign_flows += int((kinds == "").sum())
        found = Detector.of(a).run()
        attackers = {lb["attacker"] for lb in labels}
        for lb in labels:
            hit = any(f.kind == lb["kind"] and f.src == lb["attacker"] for f in found)
            per_kind.setdefault(lb["kind"], []).append(int(hit))
        false_findings += sum(1 for f in found if f.src in benign_hosts or (f.src not in attackers))
        if forest is not None and a.flows.height:
            p = forest.predict(model.matrix(a.flows)) >= forest.threshold
            model_fp += int(p[kinds == ""].sum())
            for k in set(kinds.tolist()) - {""}:
                model_att.setdefault(k, [0, 0])
                model_att[k][0] += int(p[kinds == k].sum())
                model_att[k][1] += int((kinds == k).sum())
    rows = []
    fpr_rules = false_findings / max(benign_flows, 1)
    fpr_model = model_fp / max(benign_flows, 1)
    for k, hits in sorted(per_kind.items()):
        r = float(np.mean(hits))
        mk = model_att.get(k, [0, 1])
        mr = mk[0] / max(mk[1], 1)
        rows.append(
            {
                "kind": k,
                "instances": len(hits),
                "rules_recall": r,
                "rules_prec_1_1000": prec_at(r, fpr_rules),
                "model_flow_recall": mr,
                "model_prec_1_1000": prec_at(mr, fpr_model),
            }
        )
    return rows, {
        "benign_flows": benign_flows,
        "rules_false_findings": false_findings,
        "rules_fp_per_10k": fpr_rules * 1e4,
        "rules_fp_per_10k_ub": fpr_upper(false_findings, benign_flows) * 1e4,
        "model_fp_flows": model_fp,
        "model_fp_per_10k": fpr_model * 1e4,
        "model_fp_per_10k_ub": fpr_upper(model_fp, benign_flows) * 1e4,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, default=model.data_dir() / model.TRAIN_FILE)
    ap.add_argument("--holdout-lab", type=Path, action="append", default=None)
    args = ap.parse_args()
    table = pl.read_parquet(args.train)
    print(
        f"training table: {table.height} flows from {table['capture'].n_unique()} captures, {int((table['kind'] != '').sum())} attack flows"
    )
    print("\n== 1. flow model, leave-one-attack-family-out (split by capture) ==")
    print(
        f"{'held-out kind':<14}{'attack flows':>13}{'benign flows':>13}{'recall':>8}{'FP/10k':>9}"
        f"{'(95% <=)':>10}{'P@1:1000':>10}{'(95% >=)':>10}"
    )
    for r in model_lofo(table):
        print(
            f"{r['kind']:<14}{r['attack_flows']:>13}{r['benign_flows']:>13}{r['recall']:>8.3f}{r['fp_per_10k']:>9.1f}"
            f"{r['fp_per_10k_ub']:>10.1f}{r['prec_1_1000']:>10.3f}{r['prec_1_1000_lb']:>10.3f}"
        )
    for lab in args.holdout_lab or [ROOT / "tests" / "data" / "net" / "lab"]:
        print(f"\n== 2./3. rules vs shipped model on a lab run never used for training: {lab} ==")
        rows, tot = rules_on_lab(lab)
        print(
            f"{'kind':<14}{'instances':>10}{'rules recall':>13}{'rules P@1:1000':>15}{'model flow recall':>18}{'model P@1:1000':>15}"
        )
        for r in rows:
            print(
                f"{r['kind']:<14}{r['instances']:>10}{r['rules_recall']:>13.3f}{r['rules_prec_1_1000']:>15.3f}{r['model_flow_recall']:>18.3f}{r['model_prec_1_1000']:>15.3f}"
            )
        print(
            f"benign flows {tot['benign_flows']}; rules: {tot['rules_false_findings']} false findings "
            f"({tot['rules_fp_per_10k']:.1f} per 10k benign flows, 95% <= {tot['rules_fp_per_10k_ub']:.1f}); "
            f"model: {tot['model_fp_flows']} benign flows flagged ({tot['model_fp_per_10k']:.1f} per 10k, "
            f"95% <= {tot['model_fp_per_10k_ub']:.1f})"
        )


if __name__ == "__main__":
    main()
