"""Intake is all-or-nothing per batch, resumable after kill -9, and never alters the original."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from tergeu import custody
from tergeu.cases import get_case, new_case
from tergeu.db import EvidenceItem, session_scope
from tergeu.errors import StorageError
from tergeu.evidence import add_evidence
from tergeu.verify import verify_case


def test_original_bytes_and_times_untouched(tmp_path: Path, db_url: str) -> None:
    f = tmp_path / "seized.log"
    f.write_bytes(b"line\n" * 1000)
    os.utime(f, (1_600_000_000, 1_600_000_000))
    before = f.stat()
    with session_scope() as s:
        case = new_case(s, "t", "Officer")
        item = add_evidence(s, case, [f], "Officer", source="laptop").added[0]
        assert item.mtime is not None and item.mtime.timestamp() == 1_600_000_000
        assert item.owner and item.acquisition_host and item.tool_version.startswith("tergeu")
    after = f.stat()
    assert f.read_bytes() == b"line\n" * 1000
    assert (before.st_mtime, before.st_size) == (after.st_mtime, after.st_size)


def test_every_item_has_an_acquired_entry(tmp_path: Path, db_url: str) -> None:
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(str(i))
    with session_scope() as s:
        case = new_case(s, "t", "Officer")
        add_evidence(s, case, [tmp_path], "Officer")
        covered = {
            e for entry in custody.entries(s, case) if entry.action == "acquired" for e in entry.evidence_ids
        }
        assert covered == {i.id for i in case.evidence}


def test_disk_full_records_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from tergeu import store

    f = tmp_path / "big.bin"
    f.write_bytes(os.urandom(10_000))

    def full(*_a: object, **_k: object) -> None:
        raise StorageError("no space", key="error.disk_full")

    monkeypatch.setattr(store, "hash_and_copy", full)
    with session_scope() as s:
        case = new_case(s, "t", "Officer")
        result = add_evidence(s, case, [f], "Officer")
        assert result.failed and "Disk full" in result.failed[0][1]
        assert s.scalars(select(EvidenceItem)).all() == []
    assert errno.ENOSPC  # the real path maps ENOSPC to this error in store.hash_and_copy


SCRIPT = """
import sys, time
from pathlib import Path
from tergeu.cases import get_case
from tergeu.db import session_scope
from tergeu.evidence import add_evidence
import tergeu.evidence as ev
ev.BATCH_ITEMS = 5
orig = ev.ingest_task
with session_scope() as s:
    add_evidence(s, get_case(s, sys.argv[1]), [Path(sys.argv[2])], "Officer")
"""


@pytest.mark.slow
def test_kill_minus_nine_then_resume(tmp_path: Path) -> None:
    src = tmp_path / "many"
    src.mkdir()
    for i in range(400):
        (src / f"{i:04d}.bin").write_bytes(os.urandom(60_000))
    with session_scope() as s:
        number = new_case(s, "resume", "Officer").number
    env = dict(os.environ, TERGEU_WORKERS="1")
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, number, str(src)], env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with session_scope() as s:
            n = len(get_case(s, number).evidence)
        if n >= 10 or proc.poll() is not None:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    with session_scope() as s:
        case = get_case(s, number)
        partial = len(case.evidence)
        assert verify_case(s, case).ok  # nothing half-recorded: every recorded item is whole and covered
    assert 0 < partial < 400, partial
    with session_scope() as s:
        case = get_case(s, number)
        result = add_evidence(s, case, [src], "Officer")
        assert len(result.skipped) == partial and len(result.added) == 400 - partial
        assert len(case.evidence) == 400 and verify_case(s, case).ok


def test_fifo_argument_is_refused_without_blocking(tmp_path: Path, db_url: str) -> None:
    from tergeu.errors import EvidenceUnreadable
    from tergeu.evidence import expand

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(EvidenceUnreadable) as info:
        list(expand([fifo]))
    assert "pipe" in info.value.message()


def test_fifo_inside_a_folder_is_skipped(tmp_path: Path, db_url: str) -> None:
    folder = tmp_path / "seized"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    os.mkfifo(folder / "pipe")
    with session_scope() as s:
        case = new_case(s, "t", "Officer")
        result = add_evidence(s, case, [folder], "Officer")
        assert [i.name for i in result.added] == ["a.txt"]


def test_empty_folder_is_a_clear_error(tmp_path: Path, db_url: str) -> None:
    from tergeu.errors import EvidenceUnreadable

    folder = tmp_path / "seized"
    (folder / "sub").mkdir(parents=True)
    with session_scope() as s:
        case = new_case(s, "t", "Officer")
        with pytest.raises(EvidenceUnreadable) as info:
            add_evidence(s, case, [folder], "Officer")
    assert "seized" in info.value.message() and "no files" in info.value.detail


def test_non_utf8_file_names_are_taken_and_kept_exact(tmp_path: Path, db_url: str) -> None:
    """Seized Windows media carry CP1251 names: take them, recording the exact bytes readably."""
    folder = tmp_path / "seized"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), "Алматы".encode("cp1251") + b".txt")
    with open(raw, "wb") as fh:
        fh.write(b"hello")
    (folder / "ok.txt").write_text("x")
    with session_scope() as s:
        case = new_case(s, "t", "Officer")
        result = add_evidence(s, case, [folder], "Officer")
        names = sorted(i.name for i in result.added)
        assert names == ["\\xc0\\xeb\\xec\\xe0\\xf2\\xfb.txt", "ok.txt"]
        item = next(i for i in result.added if i.name != "ok.txt")
        assert item.original_path.endswith("seized/\\xc0\\xeb\\xec\\xe0\\xf2\\xfb.txt")
        again = add_evidence(s, case, [folder], "Officer")  # resume: both recognised as done
        assert not again.added and len(again.skipped) == 2
        assert verify_case(s, case).ok
