"""Case numbers stay unique when several processes create cases at the same moment."""

from __future__ import annotations

from sqlalchemy import select

from tergeu.cases import new_case
from tergeu.db import Case, session_scope


def test_numbers_follow_the_highest_not_the_count(db_url: str) -> None:
    with session_scope() as s:
        first = new_case(s, "one", "Officer")
        second = new_case(s, "two", "Officer")
        year = first.number.split("-")[1]
        s.add(Case(number=f"TG-{year}-000050", title="imported", created_by="x"))
    with session_scope() as s:
        third = new_case(s, "three", "Officer")
    assert second.number.endswith("000002") and third.number.endswith("000051")


def test_a_number_taken_meanwhile_is_skipped(db_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Simulates another process committing the same number between our look-up and our insert."""
    import tergeu.cases as cases

    with session_scope() as s:
        new_case(s, "one", "Officer")
    real_scalar = None
    calls = {"n": 0}

    with session_scope() as s:
        real_scalar = s.scalar

        def stale(stmt, *a, **k):  # type: ignore[no-untyped-def]
            calls["n"] += 1
            if calls["n"] == 1 and "max" in str(stmt).lower():
                return None  # a stale view: "no case yet this year" -> tries 000001, which is taken
            return real_scalar(stmt, *a, **k)

        monkeypatch.setattr(s, "scalar", stale)
        case = cases.new_case(s, "two", "Officer")
        assert case.number.endswith("000002")
    with session_scope() as s:
        assert len(list(s.scalars(select(Case)))) == 2
