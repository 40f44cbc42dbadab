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
