"""Custody anchors are written after the commit that made their entries, never for rolled-back ones."""

from __future__ import annotations

import pytest

from tergeu import custody
from tergeu.cases import get_case, new_case
from tergeu.db import session_scope
from tergeu.verify import verify_case


def test_anchor_written_once_per_commit_with_the_newest_head(db_url: str) -> None:
    with session_scope() as s:
        case = new_case(s, "t", "Officer")
        number = case.number
        custody.append(s, case, "Officer", "note", details={"text": "one"})
        last = custody.append(s, case, "Officer", "note", details={"text": "two"})
        assert custody.anchored_head(number) is None  # nothing outside the database before the commit
        head = (last.seq, last.entry_hash)
    assert custody.anchored_head(number) == head
    lines = custody._anchor_file(number).read_text(encoding="utf-8").splitlines()
    assert lines == [f"{head[0]} {head[1]}"]


def test_rolled_back_entries_leave_no_anchor(db_url: str) -> None:
    with session_scope() as s:
        number = new_case(s, "t", "Officer").number
    before = custody.anchored_head(number)
    with pytest.raises(RuntimeError), session_scope() as s:
        custody.append(s, get_case(s, number), "Officer", "note", details={"text": "lost"})
        raise RuntimeError("crash before commit")
    assert custody.anchored_head(number) == before
    with session_scope() as s:
        report = verify_case(s, get_case(s, number))
        assert report.ok, report
