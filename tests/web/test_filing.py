"""A filing is one transaction: recorded whole (text, uploads, one signed intake entry, analysis,
audit) or not at all, and verifiable afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tergeu import custody, settings, store
from tergeu.cases import get_case
from tergeu.db import Case, CustodyEntry, EvidenceItem, session_scope
from tergeu.verify import verify_case
from tergeu.web import analysis
from tergeu.web.demo import sample_statement
from tergeu.web.models import Statement
from tergeu.web.portal import Upload, submit


def _count(model: type) -> int:
    with session_scope() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_crash_during_analysis_leaves_nothing_half_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))

    def crash(*_a: object, **_k: object) -> None:
        raise RuntimeError("power cut during analysis")

    monkeypatch.setattr(analysis, "analyse_statement", crash)
    with pytest.raises(RuntimeError):
        submit(sample_statement(), [Upload("shot.png", shot, "image/png")], "192.0.2.1")
    assert [_count(m) for m in (Case, Statement, EvidenceItem, CustodyEntry)] == [0, 0, 0, 0]
    anchors = settings.home() / "ledger-anchors"
    assert not anchors.exists() or not list(anchors.iterdir())  # no anchor to entries that never were
    monkeypatch.undo()
    receipt = submit(sample_statement(), [Upload("shot.png", shot, "image/png")], "192.0.2.1")
    with session_scope() as s:
        case = get_case(s, receipt.case_number)
        report = verify_case(s, case)
        assert report.ok, report.problems
        entries = custody.entries(s, case)
        assert [e.action for e in entries] == ["opened", "acquired", "analysed"]
        assert custody.anchored_head(case.number) == (entries[-1].seq, entries[-1].entry_hash)
        assert sorted(entries[1].evidence_ids) == sorted(i.id for i in case.evidence)
        for item in case.evidence:  # every stored byte is the recorded one
            assert store.sha256_file(store.object_path(item.sha256)) == item.sha256
    scratch = list((settings.home() / "tmp").glob("statements-*/*"))
    assert scratch == []  # the statement document's scratch copy is removed


def test_failed_flush_of_a_stored_copy_refuses_the_commit(
    monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    """The disk flush runs beside the database work, but the commit waits for it and fails with it."""
    from tergeu.errors import StorageError

    def disk_gone(tmp: Path, final: Path) -> None:
        tmp.unlink()
        raise StorageError(f"{tmp}: Input/output error")

    monkeypatch.setattr(store, "_publish", disk_gone)
    with pytest.raises(StorageError):
        submit(sample_statement(), [], "192.0.2.1")
    assert [_count(m) for m in (Case, Statement, EvidenceItem, CustodyEntry)] == [0, 0, 0, 0]


def test_background_put_is_durable_and_checked(tmp_path: Path) -> None:
    src = tmp_path / "note.txt"
    src.write_bytes(b"evidence bytes\n")
    digests, final, flushed = store.put_background(src)
    flushed.result(timeout=30)
    assert final == store.object_path(digests.sha256) and final.read_bytes() == b"evidence bytes\n"
    assert not list((store.store_root() / "tmp").iterdir())
    again = store.put_background(src)  # identical content: stored once, the temporary copy dropped
    again[2].result(timeout=30)
    assert again[1] == final and not list((store.store_root() / "tmp").iterdir())
