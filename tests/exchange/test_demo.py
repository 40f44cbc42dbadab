"""The exchange demo step writes STIX, MISP, the preservation request, the report and charts."""

from __future__ import annotations

import json
from pathlib import Path

from tergeu.demo import DemoContext, samples_dir
from tests.exchange.fixtures import build_case


def test_demo_step_on_a_populated_case(tmp_path: Path) -> None:
    from tergeu.exchange.demo import demo_step

    built = build_case(tmp_path)
    ctx = DemoContext(home=tmp_path, out=tmp_path / "out", samples=samples_dir(), case_number=built.number)
    lines = demo_step(ctx)
    out = tmp_path / "out" / "exchange"
    assert json.loads((out / f"{built.number}.stix.json").read_text())["type"] == "bundle"
    assert "Event" in json.loads((out / f"{built.number}.misp.json").read_text())
    assert list(out.glob("preservation_*_kk.pdf")) and list(out.glob("preservation_*_kk.docx"))
    assert (out / f"{built.number}.report.kk.html").exists() and (
        out / f"{built.number}.report.kk.pdf"
    ).exists()
    assert len(list((out / "charts").glob("*.svg"))) == 3
    assert all(Path(where).exists() for _, where in lines if where.startswith("/"))


def test_whole_demo_runs(tmp_path: Path) -> None:
    from tergeu.demo import run_demo

    ctx = run_demo(tmp_path / "demo")
    assert any(what == "90_exchange" for _, what in ctx.where)
    assert list((ctx.out / "exchange").glob("*.report.kk.html"))
