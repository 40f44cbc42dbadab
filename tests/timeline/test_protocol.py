"""Protocol in DOCX and PDF in kk/ru/en, checked by extracting the text back; collect linux."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tergeu.cli import app
from tergeu.db import session_scope
from tergeu.timeline.collect import collect_linux

DATA = Path(__file__).parents[1] / "data" / "timeline"
ROOT = DATA / "linux_root"
runner = CliRunner()
LABELS = {
    "kk": "Цифрлық іздерді қарап-тексеру хаттамасы",
    "ru": "Протокол осмотра цифровых следов",
    "en": "Protocol of examination of digital traces",
}


def test_collect_linux() -> None:
    p = collect_linux(ROOT)
    assert p.hostname == "srv-almaty-01" and p.os_name == "Ubuntu 22.04.4 LTS" and p.timezone == "Asia/Almaty"
    assert {u["name"] for u in p.users} == {"root", "aibek", "backup2"}
    assert p.admins == ["aibek", "backup2"]
    assert "10.20.30.40/24" in p.network["addresses"] and "127.0.0.53" in p.network["nameservers"]
    assert [x["name"] for x in p.packages] == ["openssh-server", "nginx"]
    hist = {h["path"]: h for h in p.histories}
    assert hist["home/aibek/.bash_history"]["lines"] == 5 and len(hist["root/.bash_history"]["sha256"]) == 64
    assert any(x["path"] == "var/log/auth.log" for x in p.logs)


def test_collect_refuses_non_linux(tmp_path: Path) -> None:
    r = runner.invoke(app, ["collect", "linux", str(tmp_path)])
    assert r.exit_code != 0 and "Traceback" not in r.output


@pytest.fixture
def built_case(tmp_path: Path) -> tuple[str, list[str]]:
    from tergeu.cases import new_case
    from tergeu.evidence import add_evidence

    src = tmp_path / "seized"
    shutil.copytree(ROOT, src / "root")
    shutil.copy2(DATA / "mitre_ID4616-system-time-changed.evtx", src)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "screen")
    fig.savefig(src / "screenshot.png")
    plt.close(fig)
    with session_scope() as s:
        case = new_case(s, "Қашықтан кіру / remote access", "Lt. Test", ["205"])
        res = add_evidence(s, case, [src], "Lt. Test")
        number, hashes = case.number, [i.sha256 for i in res.added]
    for args in (
        ["timeline", "build", number],
        ["timeline", "check", number],
        ["collect", "linux", str(src / "root"), "--case", number],
    ):
        r = runner.invoke(app, [*args, "--by", "Lt. Test"])
        assert r.exit_code == 0, r.output
    return number, hashes


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_protocol_docx_and_pdf(built_case: tuple[str, list[str]], tmp_path: Path, lang: str) -> None:
    import docx
    from pypdf import PdfReader

    number, hashes = built_case
    out = tmp_path / "out"
    r = runner.invoke(app, ["protocol", number, "--lang", lang, "--out", str(out), "--by", "Expert"])
    assert r.exit_code == 0, r.output
    pdf = out / f"protocol-{number}-{lang}.pdf"
    d = docx.Document(str(out / f"protocol-{number}-{lang}.docx"))
    dtext = "\n".join(p.text for p in d.paragraphs) + "\n".join(
        c.text for t in d.tables for row in t.rows for c in row.cells
    )
    ptext = "".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\n", "")
    for text in (dtext, ptext.replace(" ", "") if False else ptext):
        assert LABELS[lang] in text or LABELS[lang].replace(" ", "") in text.replace(" ", "")
        for h in hashes:
            assert h in text.replace(" ", "")
        assert "srv-almaty-01" in text
        assert "Ubuntu 22.04.4 LTS" in text or "Ubuntu22.04.4LTS" in text.replace(" ", "")
    if lang == "kk":
        for ch in "әғқңөұүі":
            assert ch in ptext and ch in dtext
    assert "clock_change" in dtext
    assert len(d.inline_shapes) == 1  # the screenshot is attached
