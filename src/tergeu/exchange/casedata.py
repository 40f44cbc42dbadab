"""Everything an export or a document needs about one case, read once from the database.

Exporters (STIX, MISP), the preservation request and the case report all read the same snapshot, so
they agree on which identifiers exist, who holds the data behind each, and which cases are linked.
Card numbers are masked here, at the source, so no exporter can forget to.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from tergeu import settings
from tergeu.db import Case, EventRow, EvidenceItem, FindingRow, IdentifierRow
from tergeu.iocs.mask import mask_card

#: Identifier types that are personal registration numbers of the RK; they are not sent abroad.
NOT_SHARED = frozenset({"iin"})


@dataclass
class IdentifierView:
    """One distinct identifier of a case (duplicates across evidence merged, references kept)."""

    type: str
    normalized: str
    shown: str
    holder: str = ""
    country: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)
    refs: list[tuple[int | None, str, int | None, str | None]] = field(default_factory=list)

    @property
    def shareable(self) -> bool:
        return self.type not in NOT_SHARED


@dataclass
class CaseData:
    case: Case
    evidence: dict[int, EvidenceItem]
    identifiers: list[IdentifierView]
    findings: list[FindingRow]
    linked: dict[str, list[tuple[str, str]]]  # other case number -> [(type, shown value)]
    all_findings: list[FindingRow] = field(default_factory=list)  # including partner matches

    @property
    def unit(self) -> str:
        return self.case.unit or str(settings.get("unit"))


def shown_value(type_: str, value: str, attrs: dict[str, Any] | None = None) -> str:
    """The value as it may appear in any output (cards masked, everything else as normalised)."""
    if type_ == "card":
        masked = (attrs or {}).get("masked")
        return mask_card(str(masked) if masked else value)
    return value


def load(session: Session, case: Case) -> CaseData:
    evidence = {e.id: e for e in case.evidence}
    rows = list(
        session.scalars(
            select(IdentifierRow).where(IdentifierRow.case_id == case.id).order_by(IdentifierRow.id)
        )
    )
    merged: dict[tuple[str, str], IdentifierView] = {}
    for r in rows:
        if not r.valid:
            continue
        key = (r.type, r.normalized)
        view = merged.get(key)
        if view is None:
            attrs = dict(r.attrs or {})
            view = merged[key] = IdentifierView(
                type=r.type,
                normalized=r.normalized,
                shown=shown_value(r.type, r.normalized, attrs),
                holder=str(attrs.get("holder") or ""),
                country=str(attrs.get("country") or ""),
                attrs={k: v for k, v in attrs.items() if k != "raw"},
            )
        else:
            for k in ("holder", "country"):
                if not getattr(view, k) and (r.attrs or {}).get(k):
                    setattr(view, k, str(r.attrs[k]))
        item = evidence.get(r.evidence_id) if r.evidence_id else None
        view.refs.append((r.evidence_id, item.name if item else "", r.offset, r.record))
    findings = list(
        session.scalars(select(FindingRow).where(FindingRow.case_id == case.id).order_by(FindingRow.id))
    )
    # Matches of partners' indicators carry the partner's TLP; they are never re-shared.
    shared_findings = [f for f in findings if f.analyzer != "exchange"]
    return CaseData(
        case, evidence, list(merged.values()), shared_findings, linked_cases(session, case, merged), findings
    )


def linked_cases(
    session: Session, case: Case, merged: dict[tuple[str, str], IdentifierView] | None = None
) -> dict[str, list[tuple[str, str]]]:
    """Other cases that hold any of this case's identifiers (same type and normalised value)."""
    if merged is None:
        merged = {(v.type, v.normalized): v for v in load(session, case).identifiers}
    keys = list(merged)
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for start in range(0, len(keys), 300):
        chunk = keys[start : start + 300]
        stmt = (
            select(Case.number, IdentifierRow.type, IdentifierRow.normalized)
            .join(Case, Case.id == IdentifierRow.case_id)
            .where(
                IdentifierRow.case_id != case.id,
                tuple_(IdentifierRow.type, IdentifierRow.normalized).in_(chunk),
            )
        )
        for number, type_, norm in session.execute(stmt):
            out[number].add((type_, merged[(type_, norm)].shown))
    return {k: sorted(v) for k, v in sorted(out.items())}


def events(session: Session, case: Case, limit: int = 50) -> tuple[int, list[EventRow]]:
    """How many timeline events a case has and the first ``limit`` of them in time order."""
    from sqlalchemy import func

    total = session.scalar(select(func.count(EventRow.id)).where(EventRow.case_id == case.id)) or 0
    rows = list(
        session.scalars(
            select(EventRow).where(EventRow.case_id == case.id).order_by(EventRow.ts).limit(limit)
        )
    )
    return int(total), rows


def officer(by: str | None = None) -> str:
    """Who signs the custody entry of an export or import (``--by``, TERGEU_OFFICER, the login name)."""
    return str(by or settings.get("officer") or os.environ.get("USER") or "officer")
