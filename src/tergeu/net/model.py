"""A scikit-learn flow classifier for what the rules miss, with per-finding feature attributions.

Why so careful: ML-IDS scores near 0.99 on random splits collapse on unseen attack families
(Arp et al. 2022; Engelen et al. 2021), largely because models learn identifiers (addresses, ports,
TTL) or capture artefacts. The model therefore sees only behavioural flow features (no address,
port, TTL or MAC), is trained on labelled lab captures made by real tools, and
``benchmarks/eval_net.py`` reports it on whole held-out attack families. Its findings are kind
``anomaly``, carry the features that pushed each decision (tree path contributions), and are
only raised for host pairs no rule already explained.

Training data ships as a small Parquet of labelled flow features (``data/net_train_flows.parquet``)
made from lab captures, so ``tergeu train net`` rebuilds the same model byte for byte without them;
``--data DIR`` re-extracts it from lab folders (captures + manifest.json).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numba as nb
import numpy as np
import polars as pl

from tergeu.errors import InputError
from tergeu.net.flows import FEATURES, SIZE_COLUMNS
from tergeu.records import Finding

MODEL_FEATURES: tuple[str, ...] = (*FEATURES, *SIZE_COLUMNS, "is_tcp", "is_udp", "is_icmp")
MODEL_FILE = "net_flow_model.npz"
TRAIN_FILE = "net_train_flows.parquet"
THRESHOLD = 0.9  # probability a flow must reach to count as anomalous
MIN_FLOWS = 3  # anomalous flows one host pair needs before a finding is raised
SEED = 20260601


def data_dir() -> Path:
    return Path(str(resources.files("tergeu") / "net" / "data"))


def matrix(flows: pl.DataFrame) -> np.ndarray[Any, Any]:
    """The model's input: behavioural features only, identifiers never enter."""
    if flows.height == 0:
        return np.zeros((0, len(MODEL_FEATURES)))
    base = flows.select(list(FEATURES + SIZE_COLUMNS)).to_numpy().astype(np.float64)
    proto = flows["proto"].to_numpy()
    extra = np.stack([proto == 6, proto == 17, np.isin(proto, [1, 58])], axis=1).astype(np.float64)
    x = np.concatenate([base, extra], axis=1)
    return np.nan_to_num(x, nan=0.0, posinf=1e12, neginf=-1e12)


def label_flows(
    flows: pl.DataFrame, labels: Sequence[dict[str, Any]]
) -> tuple[np.ndarray[Any, Any], list[str]]:
    """Attack kind per flow from a lab manifest ('' = benign): attacker's flows to or from the target
    during the labelled interval (any host for sweeps), with 2 s of slack for in-flight packets."""
    n = flows.height
    kinds = np.array([""] * n, dtype=object)
    if n == 0:
        return kinds, []
    src = flows["src"].to_numpy()
    dst = flows["dst"].to_numpy()
    a = flows["start_ns"].to_numpy()
    b = flows["end_ns"].to_numpy()
    for lb in labels:
        t0 = int((datetime.fromisoformat(lb["start"]) - timedelta(seconds=1)).timestamp() * 1e9)
        t1 = int((datetime.fromisoformat(lb["end"]) + timedelta(seconds=2)).timestamp() * 1e9)
        att, tgt = lb["attacker"], lb["target"]
        inside = (a <= t1) & (b >= t0)
        if lb["kind"] == "host_sweep":
            m = inside & ((src == att) | (dst == att))
        else:
            m = inside & (((src == att) & (dst == tgt)) | ((src == tgt) & (dst == att)))
        kinds[m] = lb["kind"]
    return kinds, sorted({lb["kind"] for lb in labels})


def flows_from_lab(folder: Path) -> pl.DataFrame:
    """Labelled flows of every capture of a lab folder (one row per flow, with scenario and kind)."""
    from tergeu.net.analyze import analyse

    mpath = folder / "manifest.json"
    if not mpath.is_file():
        raise InputError("no manifest.json (make one with `tergeu lab net --out DIR`)", path=folder)
    manifest = json.loads(mpath.read_text(encoding="utf-8"))
    frames = []
    for cap in manifest["captures"]:
        path = folder / cap["file"]
        if not path.exists() and (folder / (cap["file"] + ".gz")).exists():
            path = folder / (cap["file"] + ".gz")
        a = analyse([path])
        labels = [lb for lb in manifest["labels"] if lb["capture"] == cap["file"]]
        kinds, _ = label_flows(a.flows, labels)
        tools = {lb["kind"]: lb["tool"] for lb in labels}
        subtypes = {lb["kind"]: lb["subtype"] for lb in labels}
        f = a.flows.select(
            ["src", "dst", "dport", "proto", "start_ns", "end_ns", *FEATURES, *SIZE_COLUMNS]
        ).with_columns(
            pl.Series("kind", kinds.tolist(), dtype=pl.Utf8),
            pl.lit(f"{folder.name}/{cap['scenario']}").alias("capture"),
            pl.lit(cap["scenario"]).alias("scenario"),
        )
        f = f.with_columns(
            pl.col("kind").replace_strict(tools, default="").alias("tool"),
            pl.col("kind").replace_strict(subtypes, default="").alias("subtype"),
        )
        frames.append(f)
    return pl.concat(frames) if frames else pl.DataFrame()


def fit(train: pl.DataFrame) -> Any:
    from sklearn.ensemble import RandomForestClassifier

    x = matrix(train)
    y = (train["kind"].to_numpy() != "").astype(np.int8)
    clf = RandomForestClassifier(
        n_estimators=60,
        max_depth=14,
        min_samples_leaf=2,
        class_weight="balanced",
        random_state=SEED,
        n_jobs=1,
    )
    clf.fit(x, y)
    return clf


class Forest:
    """The trained forest as plain arrays, evaluated by compiled code: scanning a capture then needs
    neither scikit-learn (seconds to import) nor unpickling. Predictions equal sklearn's exactly
    (inputs are compared as float32, as sklearn's trees do)."""

    def __init__(self, arrays: dict[str, np.ndarray[Any, Any]], meta: dict[str, Any]) -> None:
        self.a = arrays
        self.meta = meta
        self.threshold = float(meta["threshold"])
        self.features = tuple(meta["features"])

    @classmethod
    def from_sklearn(cls, clf: Any, meta: dict[str, Any]) -> Forest:
        feat, thr, left, right, prob, roots = [], [], [], [], [], []
        base = 0
        for est in clf.estimators_:
            t = est.tree_
            val = t.value[:, 0, :]
            roots.append(base)
            feat.append(t.feature.astype(np.int32))
            thr.append(t.threshold.astype(np.float64))
            left.append(np.where(t.children_left >= 0, t.children_left + base, -1).astype(np.int32))
            right.append(np.where(t.children_right >= 0, t.children_right + base, -1).astype(np.int32))
            prob.append((val[:, 1] / np.maximum(val.sum(axis=1), 1e-12)).astype(np.float64))
            base += t.node_count
        arrays = {
            "feature": np.concatenate(feat),
            "threshold": np.concatenate(thr),
            "left": np.concatenate(left),
            "right": np.concatenate(right),
            "prob": np.concatenate(prob),
            "roots": np.array(roots, dtype=np.int64),
        }
        return cls(arrays, meta)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            np.savez_compressed(fh, meta=np.array(json.dumps(self.meta, sort_keys=True)), **self.a)  # type: ignore[arg-type]

    @classmethod
    def open(cls, path: Path) -> Forest:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files if k != "meta"}
            meta = json.loads(str(z["meta"]))
        return cls(arrays, meta)

    def predict(self, x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        a = self.a
        xf = x.astype(np.float32).astype(np.float64)
        out = np.zeros(len(xf), dtype=np.float64)
        _predict(xf, a["feature"], a["threshold"], a["left"], a["right"], a["prob"], a["roots"], out)
        return out

    def contributions(self, x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """Per-feature contribution to P(attack) per row (Saabas path attribution): each split on
        the way to the leaf credits its feature with the change in attack probability."""
        a = self.a
        xf = x.astype(np.float32).astype(np.float64)
        out = np.zeros_like(xf)
        _contrib(xf, a["feature"], a["threshold"], a["left"], a["right"], a["prob"], a["roots"], out)
        return out


@nb.njit(cache=True)
def _predict(x: Any, feat: Any, thr: Any, left: Any, right: Any, prob: Any, roots: Any, out: Any) -> None:
    for r in range(x.shape[0]):
        s = 0.0
        for root in roots:
            n = root
            while left[n] >= 0:
                n = left[n] if x[r, feat[n]] <= thr[n] else right[n]
            s += prob[n]
        out[r] = s / len(roots)


@nb.njit(cache=True)
def _contrib(x: Any, feat: Any, thr: Any, left: Any, right: Any, prob: Any, roots: Any, out: Any) -> None:
    for r in range(x.shape[0]):
        for root in roots:
            n = root
            while left[n] >= 0:
                child = left[n] if x[r, feat[n]] <= thr[n] else right[n]
                out[r, feat[n]] += prob[child] - prob[n]
                n = child
    for r in range(x.shape[0]):
        for c in range(x.shape[1]):
            out[r, c] /= len(roots)


def train(data: Sequence[Path] | None = None, out: Path | None = None) -> tuple[Path, dict[str, Any]]:
    """Rebuild the shipped model; with ``data`` also rebuild the training Parquet from lab folders."""
    target = out or data_dir() / MODEL_FILE
    if data:
        table = pl.concat([flows_from_lab(Path(d)) for d in data])
        if out is None:
            table.write_parquet(data_dir() / TRAIN_FILE, compression="zstd")
    else:
        table = pl.read_parquet(data_dir() / TRAIN_FILE)
    table = table.sort(["capture", "start_ns", "src", "dst", "dport"])
    clf = fit(table)
    meta = {
        "features": list(MODEL_FEATURES),
        "threshold": THRESHOLD,
        "trained_on": sorted(set(table["capture"].to_list())),
        "kind": "RandomForestClassifier",
        "params": {
            k: v for k, v in clf.get_params().items() if isinstance(v, int | float | str | type(None))
        },
    }
    Forest.from_sklearn(clf, meta).save(target)
    load.cache_clear()
    info = {"flows": table.height, "attack_flows": int((table["kind"] != "").sum())}
    return target, info


@cache
def load() -> Forest | None:
    path = data_dir() / MODEL_FILE
    if not path.is_file():
        return None
    forest = Forest.open(path)
    if forest.features != MODEL_FEATURES:
        return None
    return forest


def score(flows: pl.DataFrame) -> np.ndarray[Any, Any] | None:
    forest = load()
    if forest is None or flows.height == 0:
        return None
    return forest.predict(matrix(flows))


def anomalies(a: Any, rule_findings: Sequence[Finding]) -> list[Finding]:
    """Model findings for host pairs with several anomalous flows that no rule finding covers."""
    from tergeu.net.detect import ANALYZER, _flow_list, _refs, _ts

    flows: pl.DataFrame = a.flows
    forest = load()
    if forest is None or flows.height == 0:
        return []
    covered = {(f.src, f.dst) for f in rule_findings} | {(f.dst, f.src) for f in rule_findings}
    covered_src = {f.src for f in rule_findings if f.dst is None}
    # Only flows that no rule finding explains are scored: on a scan or flood capture that is
    # almost nothing, and the model only reports what the rules missed anyway.
    pair = pl.concat_str([pl.col("src"), pl.col("dst")], separator="|")
    skip = [f"{a}|{b}" for a, b in covered]
    flows = flows.filter(
        ~pair.is_in(skip) & ~pl.col("src").is_in(list(covered_src)) & ~pl.col("dst").is_in(list(covered_src))
    )
    proba = score(flows)
    if proba is None:
        return []
    flagged = flows.with_columns(pl.Series("p", proba)).filter(pl.col("p") >= forest.threshold)
    out = []
    for (src, dst), grp in flagged.group_by("src", "dst"):
        if grp.height < MIN_FLOWS or (src, dst) in covered or src in covered_src or dst in covered_src:
            continue
        grp = grp.sort("p", descending=True)
        top = grp.head(20)
        contrib = forest.contributions(matrix(top)).mean(axis=0)
        order = np.argsort(-contrib)[:5]
        attributions = {MODEL_FEATURES[i]: round(float(contrib[i]), 4) for i in order if contrib[i] > 0}
        means = {MODEL_FEATURES[i]: round(float(matrix(top)[:, i].mean()), 3) for i in order}
        p = float(grp["p"].mean() or 0.0)  # type: ignore[arg-type]
        names = ", ".join(list(attributions)[:3])
        out.append(
            Finding(
                kind="anomaly",
                analyzer=ANALYZER,
                method="model:flow_rf",
                summary=f"{grp.height} flows {src} → {dst} resemble attack traffic (model, p={p:.2f}); driven by {names}",
                score=round(p, 3),
                start=_ts(int(grp["start_ns"].min())),  # type: ignore[arg-type]
                end=_ts(int(grp["end_ns"].max())),  # type: ignore[arg-type]
                src=str(src),
                dst=str(dst),
                details={
                    "flows_flagged": grp.height,
                    "threshold_probability": forest.threshold,
                    "min_flows": MIN_FLOWS,
                    "attributions": attributions,
                    "feature_means": means,
                    "flows": _flow_list(grp.sort("start_ns")),
                },
                refs=_refs(grp.sort("start_ns"), a.paths, a.evidence_ids),
            )
        )
    return out
