"""Preservation requests hold all six Budapest Convention art. 29(2) items, in kk, ru and en."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tergeu.i18n import t
from tests.exchange.fixtures import CARD, PHONE, build_case

runner = CliRunner()


def _cli(*args: str, code: int = 0) -> str:
    from tergeu.cli import app

    result = runner.invoke(app, list(args), env={"COLUMNS": "250"})
    assert result.exit_code == code, result.output
    return result.output


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs] + [c.text for tb in d.tables for r in tb.rows for c in r.cells]
    return " ".join(" ".join(parts).split())


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_all_six_items_in_every_language(tmp_path: Path, lang: str) -> None:
    built = build_case(tmp_path)
    out = tmp_path / "req"
    _cli(
        "request",
        "preservation",
        built.number,
        "--provider",
        "Kcell",
        "--country",
        "kz",
        "--lang",
        lang,
        "--out",
        str(out),
    )
    docx_file = next(out.glob("*.docx"))
    pdf_file = next(out.glob("*.pdf"))
    for text in (_docx_text(docx_file), _pdf_text(pdf_file)):
        for item in "abcdef":
            heading = " ".join(t(f"exchange.pres.{item}", lang).split())
            assert heading in text, (lang, item)
        assert PHONE in text  # (c) the data held by Kcell
        assert "Kcell JSC" in text  # (d) the custodian from enrichment
        assert "chat_export.txt" in text  # relation to the offence: the evidence it was found in
        assert t("exchange.article.190", lang).split()[0] in text  # (b) offence with the article's title
        assert "90" in text  # (e) necessity with the period
        assert "185.220.101.4" not in text  # held by Hetzner, not by Kcell
    if lang == "kk":
        assert any(ch in _pdf_text(pdf_file) for ch in "әғқңөұүһі")
    assert "exported" in _cli("custody", "log", built.number)


def test_cards_masked_and_all_option(tmp_path: Path, db_url: str) -> None:
    built = build_case(tmp_path)
    out = tmp_path / "req"
    _cli(
        "request",
        "preservation",
        built.number,
        "--provider",
        "Any",
        "--country",
        "DE",
        "--all",
        "--out",
        str(out),
    )
    text = _docx_text(next(out.glob("*.docx")))
    assert CARD not in text and "4400 43** **** 5678" in text
    assert "900101300123" not in text


def test_unknown_provider_lists_holders(tmp_path: Path) -> None:
    built = build_case(tmp_path)
    out = _cli(
        "request",
        "preservation",
        built.number,
        "--provider",
        "Nobody Ltd",
        "--country",
        "GB",
        "--out",
        str(tmp_path),
        code=4,
    )
    assert "Hetzner Online GmbH" in out and "--all" in out
    out = _cli(
        "request",
        "preservation",
        built.number,
        "--provider",
        "Kcell",
        "--country",
        "Kazakhstan",
        "--out",
        str(tmp_path),
        code=4,
    )
    assert "two-letter" in out
