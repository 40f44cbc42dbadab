"""The word-prefix pre-filter never changes which cues are found (checked on the whole corpus)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tergeu.messages import cues as C
from tergeu.messages.normalize import fold

CORPUS = Path(__file__).parents[2] / "data" / "messages" / "corpus.jsonl"


def test_gating_is_exact_on_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [fold(json.loads(line)["text"]) for line in CORPUS.read_text(encoding="utf-8").splitlines()[::3]]
    gated = [C.find_cues(t) for t in texts]
    monkeypatch.setattr(
        C,
        "candidate_cues",
        lambda folded: {(i, j) for i in range(len(C.CUES)) for j in range(len(C._ALTS[i]))},
    )
    ungated = [C.find_cues(t) for t in texts]
    assert gated == ungated


def test_every_cue_has_a_translation() -> None:
    from tergeu.i18n import catalogue

    for name in C.CUE_NAMES:
        assert f"messages.cue.{name}" in catalogue()


def test_warnings_that_forbid_the_request_are_genuine_markers() -> None:
    """Bank warnings name AnyDesk or the "safe account" while forbidding them; a fraudster asks for them."""
    warnings = (
        "Kaspi напоминает: не устанавливайте по просьбе незнакомцев приложения AnyDesk.",
        "Never install AnyDesk or TeamViewer because a caller asks you to.",
        "AnyDesk қосымшасын бейтаныс адамның өтініші бойынша орнатпаңыз.",
    )
    for text in warnings:
        assert "never_share" in {h.name for h in C.find_cues(fold(text))}, text
    scam = "Для защиты счёта установите приложение AnyDesk и продиктуйте номер рабочего места."
    names = {h.name for h in C.find_cues(fold(scam))}
    assert "remote_access" in names and "never_share" not in names
