"""Storing what analyzers produce (findings, events, identifiers, warnings) against a case.

Analyzers yield declared records (:mod:`tergeu.records`); these helpers are the one place that turns
them into rows, so the web app and exporters see every analyzer's output the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def save_events(session: Session, case: Case, events: Iterable[Event], batch: int = 5000) -> int:
    n = 0
    rows: list[dict[str, object]] = []
    for e in events:
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
            session.execute(insert(EventRow), rows)
            n += len(rows)
            rows = []
    if rows:
        session.execute(insert(EventRow), rows)
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
