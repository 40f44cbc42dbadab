"""Case reports in HTML, PDF and DOCX: text extracted back holds hashes, the seal and Kazakh letters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.exchange.fixtures import CARD, PHONE, build_case

runner = CliRunner()
KAZAKH = set("әғқңөұүһі")


def _cli(*args: str, code: int = 0) -> str:
    from tergeu.cli import app

    result = runner.invoke(app, list(args), env={"COLUMNS": "250"})
    assert result.exit_code == code, result.output
    return result.output


def _seal(number: str) -> str:
    from tergeu.cases import get_case
    from tergeu.custody import verify_chain
    from tergeu.db import session_scope

    with session_scope() as s:
        return verify_chain(s, get_case(s, number)).seal


def _text(path: Path, fmt: str) -> str:
    if fmt == "pdf":
        from pypdf import PdfReader

        return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)
    if fmt == "docx":
        import docx

        d = docx.Document(str(path))
        parts = [p.text for p in d.paragraphs] + [c.text for tb in d.tables for r in tb.rows for c in r.cells]
        return " ".join(" ".join(parts).split())
    html = path.read_text(encoding="utf-8")
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_report_text_holds_hashes_seal_and_kazakh(tmp_path: Path, fmt: str) -> None:
    built = build_case(tmp_path)
    seal_before = _seal(built.number)
    out = tmp_path / f"report.{fmt}"
    _cli("report", built.number, "--lang", "kk", "--format", fmt, "--out", str(out))
    text = _text(out, fmt)
    compact = text.replace(" ", "")
    assert built.evidence_sha256 in compact
    assert seal_before in compact  # the seal checked while the report was built
    assert KAZAKH & set(text)
    assert "Тексеру сәтті өтті" in text
    assert CARD not in compact and "4400 43** **** 5678" in text
    assert PHONE in text and "Kcell JSC" in text
    assert built.other in text  # linked case sharing the phone
    assert "ssh_bruteforce" in text and "#" in text  # findings with evidence references
    assert "Алаяқтық" in text  # qualification with the article title
    log = _cli("custody", "log", built.number)
    assert "exported" in log


def test_html_is_self_contained(tmp_path: Path, db_url: str) -> None:
    built = build_case(tmp_path)
    out = tmp_path / "r.html"
    _cli("report", built.number, "--lang", "ru", "--format", "html", "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert "data:image/png;base64," in html  # charts inlined
    for pattern in (
        r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""",
        r"@import",
        r"url\(\s*['\"]?(?:https?:)?//",
    ):
        assert not re.search(pattern, html, re.I), pattern
    assert "Отчёт по делу" in html


def test_tampered_case_says_so(tmp_path: Path) -> None:
    from tergeu import store
    from tergeu.db import session_scope

    built = build_case(tmp_path)
    from tergeu.cases import get_case

    with session_scope() as s:
        item = get_case(s, built.number).evidence[0]
        path = store.object_path(item.sha256)
    path.chmod(0o644)
    path.write_bytes(b"tampered")
    out = tmp_path / "r.html"
    _cli("report", built.number, "--lang", "en", "--format", "html", "--out", str(out))
    assert "Verification FAILED" in out.read_text(encoding="utf-8")


def test_bad_format(tmp_path: Path) -> None:
    built = build_case(tmp_path)
    out = _cli("report", built.number, "--format", "odt", "--out", str(tmp_path / "r.odt"), code=4)
    assert "odt" in out


def test_case_status_is_translated(tmp_path: Path) -> None:
    built = build_case(tmp_path)
    out = tmp_path / "report.html"
    _cli("report", built.number, "--lang", "kk", "--format", "html", "--out", str(out))
    text = _text(out, "html")
    assert "Мәртебесі open" not in text and "Мәртебесі ашық" in text
