"""The core CLI end to end: case, evidence, custody, verify, export, config, errors."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tergeu.cli import app

runner = CliRunner()


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def _new_case() -> str:
    out = run("case", "new", "Phishing of a bank client", "--article", "190", "--by", "Lt. Seitkali")
    match = re.search(r"TG-\d{4}-\d{6}", out)
    assert match
    return match.group(0)


def test_case_new_list_show() -> None:
    number = _new_case()
    assert number in run("case", "list")
    out = run("case", "show", number)
    assert "Phishing" in out and "190" in out and "Seitkali" in out


def test_unknown_case_is_a_clear_error() -> None:
    out = run("case", "show", "TG-1999-000042", code=3)
    assert "TG-1999-000042" in out


def test_unknown_article_is_refused() -> None:
    out = run("case", "new", "x", "--article", "999", code=2)
    assert "999" in out


def test_messages_in_kazakh_and_russian() -> None:
    assert "Мұндай іс жоқ" in run("--lang", "kk", "case", "show", "TG-1999-000001", code=3)
    assert "Нет такого дела" in run("--lang", "ru", "case", "show", "TG-1999-000001", code=3)


def test_intake_transfer_verify_export(tmp_path: Path) -> None:
    number = _new_case()
    src = tmp_path / "phone"
    (src / "sub").mkdir(parents=True)
    (src / "chat.txt").write_text("Сәлем! Кодты айтыңызшы", encoding="utf-8")
    (src / "sub" / "img.bin").write_bytes(os.urandom(5000))
    (src / "sub" / "dup.txt").write_text("Сәлем! Кодты айтыңызшы", encoding="utf-8")
    out = run("evidence", "add", number, str(src), "--by", "Lt. Seitkali", "--source", "phone of the victim")
    assert "3 item(s) added" in out
    # the same content twice: recorded twice, stored once
    objects = [p for p in (Path(os.environ["TERGEU_HOME"]) / "evidence" / "sha256").rglob("*") if p.is_file()]
    assert len(objects) == 2
    # running again adds nothing (resume semantics)
    assert "0 item(s) added, 3 already recorded" in run(
        "evidence", "add", number, str(src), "--by", "Lt. Seitkali"
    )
    run("custody", "transfer", number, "all", "--from", "Lt. Seitkali", "--to", "Expert Omarova")
    assert "sealed" in run("custody", "seal", number, "--by", "Expert Omarova")
    log = run("custody", "log", number)
    assert "acquired" in log and "transferred" in log and "Expert Omarova" in log
    assert "Verification OK" in run("verify", number)
    out_dir = tmp_path / "export"
    run("custody", "export", number, "--out", str(out_dir))
    for lang in ("kk", "ru", "en"):
        assert (out_dir / f"VERIFY.{lang}.md").exists()
    assert "sha256sum -c" in (out_dir / "VERIFY.kk.md").read_text(encoding="utf-8")
    # the standalone verifier needs only Python and cryptography
    res = subprocess.run(
        [
            sys.executable,
            str(out_dir / "verify_ledger.py"),
            str(out_dir / "ledger.jsonl"),
            str(out_dir / "public_keys.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0 and "RESULT: OK" in res.stdout, res.stdout
    seal = re.search(r"merkle_root: (\w+)", (out_dir / "seal.txt").read_text()).group(1)  # type: ignore[union-attr]
    assert seal in res.stdout
    sums = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=out_dir, capture_output=True, text=True, check=False
    )
    assert sums.returncode == 0, sums.stdout
    store_parent = Path(os.environ["TERGEU_HOME"])
    check = subprocess.run(
        ["sha256sum", "-c", str(out_dir / "evidence.sha256")],
        cwd=store_parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_standalone_verifier_detects_edit(tmp_path: Path) -> None:
    number = _new_case()
    run("custody", "transfer", number, "all", "--from", "Lt. Seitkali", "--to", "Expert Omarova")
    run("custody", "export", number, "--out", str(tmp_path / "x"))
    ledger = tmp_path / "x" / "ledger.jsonl"
    ledger.write_text(
        ledger.read_text(encoding="utf-8").replace("Expert Omarova", "Expert Other"), encoding="utf-8"
    )
    res = subprocess.run(
        [
            sys.executable,
            str(tmp_path / "x" / "verify_ledger.py"),
            str(ledger),
            str(tmp_path / "x" / "public_keys.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 1 and "line 2: content hash" in res.stdout


def test_verify_failure_exits_nonzero_and_names_item(tmp_path: Path) -> None:
    number = _new_case()
    f = tmp_path / "evidence.txt"
    f.write_bytes(b"original bytes " * 100)
    run("evidence", "add", number, str(f), "--by", "Lt. Seitkali")
    obj = next(p for p in (Path(os.environ["TERGEU_HOME"]) / "evidence" / "sha256").rglob("*") if p.is_file())
    obj.chmod(stat.S_IRUSR | stat.S_IWUSR)
    obj.write_bytes(b"Original bytes " + b"original bytes " * 99)
    out = run("verify", number, code=10)
    assert "evidence.txt" in out and "SHA256 expected" in out


def test_missing_evidence_path_is_a_clear_error(tmp_path: Path) -> None:
    number = _new_case()
    out = run("evidence", "add", number, str(tmp_path / "nothing-here"), "--by", "x", code=4)
    assert "nothing-here" in out


def test_config_show_lists_every_setting() -> None:
    from tergeu.settings import SETTINGS

    out = CliRunner().invoke(app, ["config", "show"], env={"COLUMNS": "300"}).output
    for s in SETTINGS:
        assert s.env in out


def test_invalid_setting_is_reported() -> None:
    result = runner.invoke(app, ["case", "list"], env={"TERGEU_WORKERS": "zero"})
    assert result.exit_code == 2 and "TERGEU_WORKERS" in result.output


def test_keys_new_with_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERGEU_KEY_PASSPHRASE", "correct horse")
    out = run("keys", "new", "Capt. Abenov")
    assert "fingerprint" in out
    pem = (Path(os.environ["TERGEU_HOME"]) / "keys" / "Capt._Abenov.pem").read_bytes()
    assert b"ENCRYPTED" in pem
    assert (
        stat.S_IMODE(os.stat(Path(os.environ["TERGEU_HOME"]) / "keys" / "Capt._Abenov.pem").st_mode) == 0o600
    )
    run("keys", "new", "Capt. Abenov", code=6)
    number = _new_case()
    run("custody", "transfer", number, "all", "--from", "Capt. Abenov", "--to", "x")
    monkeypatch.setenv("TERGEU_KEY_PASSPHRASE", "wrong")
    assert "passphrase" in run(
        "custody", "transfer", number, "all", "--from", "Capt. Abenov", "--to", "y", code=6
    )


def test_closed_stdout_pipe_is_quiet() -> None:
    """``tergeu net --help | head -12``: the reader going away is no error worth a message."""
    cmd = f"'{sys.executable}' -c 'from tergeu.cli import main; main()' --lang kk net --help | head -12"
    for _ in range(6):  # the reader leaves while we are still writing: a race, so try a few times
        proc = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=120)
        assert "BrokenPipe" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_unexpected_error_hint_is_translated(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import tergeu.cases

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(tergeu.cases, "list_cases", boom)
    result = runner.invoke(app, ["--lang", lang, "case", "list"])
    assert result.exit_code == 1
    assert "boom" in result.output and "TERGEU_DEBUG=1" in result.output
    assert "shows the traceback" not in result.output


def test_kazakh_ledger_and_case_list_have_no_english_words() -> None:
    number = _new_case()
    out = run("--lang", "kk", "custody", "log", number)
    assert "opened" not in out and "seal:" not in out
    assert "ашылды" in out and "мөр" in out.lower()
    out = run("--lang", "kk", "case", "list")
    assert "│ open" not in out and "ашық" in out
    out = run("--lang", "ru", "case", "show", number)
    assert "│ open" not in out and "открыто" in out


@pytest.mark.parametrize("lang", ["en", "kk"])
def test_output_path_that_is_a_folder_is_named(tmp_path: Path, lang: str) -> None:
    number = _new_case()
    out = run("--lang", lang, "report", number, "--out", str(tmp_path), code=4)
    assert str(tmp_path) in out.replace("\n", "")
    assert "Something went wrong" not in out and "Бірдеңе дұрыс болмады" not in out


@pytest.mark.parametrize("title", ["", "   "])
def test_case_needs_a_title(title: str) -> None:
    out = run("--lang", "kk", "case", "new", title, code=1)
    assert "TG-" not in out and "атау" in out.lower()
    assert "TG-" not in run("case", "list")


def test_only_the_holder_may_hand_over(tmp_path: Path) -> None:
    number = _new_case()
    f = tmp_path / "phone.img"
    f.write_bytes(b"\x00" * 100)
    run("evidence", "add", number, str(f), "--by", "Lt. Seitkali")
    out = run("custody", "transfer", number, "all", "--from", "Nobody", "--to", "Someone", code=1)
    assert "Lt. Seitkali" in out and "Nobody" in out
    run("custody", "transfer", number, "all", "--from", "Lt. Seitkali", "--to", "Expert Omarova")
    run("custody", "transfer", number, "all", "--from", "Lt. Seitkali", "--to", "x", code=1)
    run("custody", "transfer", number, "all", "--from", "Expert Omarova", "--to", "Lt. Seitkali")
    assert "Verification OK" in run("verify", number)
