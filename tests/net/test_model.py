"""The shipped flow model: no identifier features, reproducible rebuild, attributions in findings,
quiet on benign hosts of held-out lab captures."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tergeu.net import model, service
from tergeu.net.analyze import analyse

LAB = Path(__file__).parent.parent / "data" / "net" / "lab"
MANIFEST = json.loads((LAB / "manifest.json").read_text(encoding="utf-8"))


def test_no_identifier_features() -> None:
    banned = (
        "src",
        "dst",
        "sport",
        "dport",
        "ttl",
        "mac",
        "flow_id",
        "index",
        "offset",
        "start_ns",
        "end_ns",
    )
    assert not [f for f in model.MODEL_FEATURES if any(b in f for b in banned)]


def test_shipped_model_loads() -> None:
    forest = model.load()
    assert forest is not None and forest.features == model.MODEL_FEATURES
    assert not [
        c for c in forest.meta["trained_on"] if c.startswith("lab/")
    ]  # test captures never trained on


def test_rebuild_is_reproducible(tmp_path: Path) -> None:
    path, info = model.train(None, tmp_path / "m.npz")
    assert info["attack_flows"] > 0
    assert path.read_bytes() == (model.data_dir() / model.MODEL_FILE).read_bytes()


def test_compiled_forest_equals_sklearn() -> None:
    import polars as pl

    table = pl.read_parquet(model.data_dir() / model.TRAIN_FILE).sort(
        ["capture", "start_ns", "src", "dst", "dport"]
    )
    clf = model.fit(table)
    x = model.matrix(analyse([LAB / "syn_scan.pcap.gz"]).flows)
    forest = model.Forest.from_sklearn(clf, {"features": list(model.MODEL_FEATURES), "threshold": 0.9})
    assert np.allclose(forest.predict(x), clf.predict_proba(x)[:, 1], atol=1e-12)


def test_model_findings_carry_attributions() -> None:
    a = analyse([LAB / "connect_scan.pcap.gz"])
    found = model.anomalies(a, [])  # as if no rule had fired
    assert found, "the model should flag the scanner's flows"
    f = found[0]
    assert f.kind == "anomaly" and f.method.startswith("model:")
    assert f.details["attributions"] and all(k in model.MODEL_FEATURES for k in f.details["attributions"])
    assert f.refs and f.refs[0].record


@pytest.mark.parametrize("cap", [c["file"] for c in MANIFEST["captures"]])
def test_model_and_rules_leave_benign_hosts_alone(cap: str) -> None:
    a = analyse([LAB / (cap + ".gz")])
    found = service.detect(a, use_model=True)
    assert not [(f.kind, f.src, f.method) for f in found if f.src in MANIFEST["benign_hosts"]]
