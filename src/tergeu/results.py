"""Storing what analyzers produce (findings, events, identifiers, warnings) against a case.

Analyzers yield declared records (:mod:`tergeu.records`); these helpers are the one place that turns
them into rows, so the web app and exporters see every analyzer's output the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from tergeu.db import Case, EventRow, FindingRow, IdentifierRow, ParseWarningRow
from tergeu.records import Event, Finding, Identifier, ParseWarning


def save_findings(session: Session, case: Case, findings: Iterable[Finding]) -> int:
    n = 0
    for f in findings:
        first = f.refs[0] if f.refs else None
        session.add(
            FindingRow(
                case_id=case.id,
                evidence_id=first.evidence_id if first else None,
                kind=f.kind,
                analyzer=f.analyzer,
                method=f.method,
                score=float(f.score),
                summary=f.summary,
                start=f.start,
                end=f.end,
                src=f.src,
                dst=f.dst,
                details=f.details,
                refs=[r.to_dict() for r in f.refs],
            )
        )
        n += 1
    session.flush()
    return n


_SQLITE_INSERT = (
    "INSERT INTO events (case_id, evidence_id, ts, ts_precision, tz, ts_desc, source, event_type, "
    'message, attrs, "offset", record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
)


def save_events(session: Session, case: Case, events: Iterable[Event], batch: int = 5000) -> int:
    """Batch insert of events, streamed in batches so millions of events never sit in memory.

    On SQLite the rows go straight to the driver in the text forms SQLAlchemy itself writes for
    ``UTCDateTime`` and ``JSON`` (several times faster for millions of rows); elsewhere through a
    Core insert whose column types convert the aware UTC times.
    """
    conn = session.connection()
    fast = conn.dialect.name == "sqlite"
    n = 0
    rows: list[Any] = []

    def flush() -> None:
        if fast:
            conn.exec_driver_sql(_SQLITE_INSERT, rows)
        else:
            session.execute(insert(EventRow), rows)

    for e in events:
        if fast:
            ts = e.ts.astimezone(UTC)
            rows.append(
                (
                    case.id,
                    e.ref.evidence_id,
                    f"{ts.year:04d}-{ts.month:02d}-{ts.day:02d} {ts.hour:02d}:{ts.minute:02d}:"
                    f"{ts.second:02d}.{ts.microsecond:06d}",
                    e.ts_precision,
                    e.tz,
                    e.ts_desc,
                    e.source,
                    e.event_type,
                    e.message,
                    json.dumps(e.attrs, ensure_ascii=False, default=str),
                    e.ref.offset,
                    e.ref.record,
                )
            )
        else:
            rows.append(
                {
                    "case_id": case.id,
                    "evidence_id": e.ref.evidence_id,
                    "ts": e.ts,
                    "ts_precision": e.ts_precision,
                    "tz": e.tz,
                    "ts_desc": e.ts_desc,
                    "source": e.source,
                    "event_type": e.event_type,
                    "message": e.message,
                    "attrs": e.attrs,
                    "offset": e.ref.offset,
                    "record": e.ref.record,
                }
            )
        if len(rows) >= batch:
            flush()
            n += len(rows)
            rows = []
    if rows:
        flush()
        n += len(rows)
    return n


def save_identifiers(session: Session, case: Case, identifiers: Iterable[Identifier]) -> int:
    n = 0
    for i in identifiers:
        session.add(
            IdentifierRow(
                case_id=case.id,
                evidence_id=i.ref.evidence_id,
                type=i.type,
                value=i.value,
                normalized=i.normalized,
                valid=i.valid,
                offset=i.ref.offset,
                record=i.ref.record,
                attrs=i.attrs,
            )
        )
        n += 1
    session.flush()
    return n


def save_warnings(
    session: Session, case: Case | None, analyzer: str, warnings: Iterable[ParseWarning]
) -> int:
    n = 0
    for w in warnings:
        session.add(
            ParseWarningRow(
                case_id=case.id if case else None,
                evidence_id=w.evidence_id,
                analyzer=analyzer,
                path=w.path,
                offset=w.offset,
                record=w.record,
                code=w.code,
                message=w.message,
            )
        )
        n += 1
    session.flush()
    return n


def clear(session: Session, case: Case, analyzer: str) -> None:
    """Drop an analyzer's earlier output for a case before it runs again (re-runs stay idempotent)."""
    session.execute(delete(FindingRow).where(FindingRow.case_id == case.id, FindingRow.analyzer == analyzer))
    session.execute(
        delete(ParseWarningRow).where(
            ParseWarningRow.case_id == case.id, ParseWarningRow.analyzer == analyzer
        )
    )
