"""The demo's timeline step builds, checks and writes the Kazakh protocol from the shipped samples."""

from __future__ import annotations

from pathlib import Path


def test_demo_step(tmp_path: Path) -> None:
    from tergeu.demo import run_demo

    ctx = run_demo(tmp_path / "home")
    pdf = sorted((ctx.out / "protocol").glob("protocol-*-kk.pdf"))
    assert pdf and pdf[0].stat().st_size > 1000
    assert any("timeline check" in where for where, _ in ctx.where)
