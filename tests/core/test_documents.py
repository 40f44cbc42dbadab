"""Documents render in three formats with Kazakh letters that survive text extraction."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tergeu.documents import Document, write

KAZ = "Қазақстан Республикасы: әғқңөұүһі"


def _doc() -> Document:
    d = Document(title="Хаттама / Protocol", lang="kk", subtitle=KAZ, footer="TG-2026-000001")
    d.heading("Дәлелдер").paragraph(KAZ).bullets(["бір", "екі"]).keyvalues([("SHA-256", "ab" * 32)])
    d.table(["№", "Атауы"], [["1", "құрылғы"]]).mono("sha256  " + "cd" * 32)
    return d


def test_pdf_has_kazakh_text(tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = write(_doc(), tmp_path / "p.pdf")
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    for ch in "әғқңөұүһі":
        assert ch in text
    assert "ab" * 32 in text.replace("\n", "")


def test_docx_has_kazakh_text(tmp_path: Path) -> None:
    import docx

    path = write(_doc(), tmp_path / "p.docx")
    d = docx.Document(str(path))
    text = "\n".join(p.text for p in d.paragraphs) + "\n".join(
        c.text for t in d.tables for r in t.rows for c in r.cells
    )
    assert KAZ in text and "ab" * 32 in text
    assert zipfile.is_zipfile(path)


def test_html_is_self_contained(tmp_path: Path) -> None:
    path = write(_doc(), tmp_path / "p.html")
    text = path.read_text(encoding="utf-8")
    assert KAZ in text and "http://" not in text and "https://" not in text


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write(_doc(), tmp_path / "p.odt")
