"""The demo is the front door: in Kazakh it must read as Kazakh, every line of it."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_kazakh_demo_has_no_english_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tergeu.demo import run_demo

    monkeypatch.setenv("TERGEU_LANG", "kk")
    monkeypatch.setenv("COLUMNS", "250")
    run_demo(tmp_path / "demo")
    out = capsys.readouterr().out
    for english in (
        "case, evidence, hashes",
        "signed custody ledger",
        "verification procedure",
        "re-hash evidence",
        "seal ",
        "with custody seal",
        "charts (",
        "STIX 2.1 bundle + MISP event",
        "│ 30_net",
        "│ 90_exchange",
    ):
        assert english not in out, english
