"""Analyzer output is stored with its evidence reference and read back in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from tergeu import results
from tergeu.cases import new_case
from tergeu.db import EventRow, FindingRow, IdentifierRow, ParseWarningRow, session_scope
from tergeu.records import Event, EvidenceRef, Finding, Identifier, ParseWarning


def test_round_trip(db_url: str) -> None:
    almaty = timezone(timedelta(hours=5))
    ref = EvidenceRef(path="auth.log", offset=120, record="7")
    with session_scope() as s:
        case = new_case(s, "t", "Officer")
        n = results.save_events(
            s,
            case,
            [Event(datetime(2026, 1, 2, 8, 0, tzinfo=almaty), "auth", "login", "ok", ref, tz="Asia/Almaty")],
        )
        results.save_findings(s, case, [Finding("brute_force", "net", "rule:x", "many", refs=[ref])])
        results.save_identifiers(s, case, [Identifier("phone", "+77011234567", "+77011234567", ref)])
        results.save_warnings(s, case, "timeline", [ParseWarning("auth.log", "bad line", offset=5)])
        assert n == 1
    with session_scope() as s:
        ev = s.scalars(select(EventRow)).one()
        assert ev.ts == datetime(2026, 1, 2, 3, 0, tzinfo=UTC) and ev.offset == 120 and ev.tz == "Asia/Almaty"
        assert s.scalars(select(FindingRow)).one().refs[0]["offset"] == 120
        assert s.scalars(select(IdentifierRow)).one().record == "7"
        assert s.scalars(select(ParseWarningRow)).one().offset == 5
