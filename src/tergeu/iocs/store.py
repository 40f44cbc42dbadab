"""Running identifier extraction over files or a case's evidence, and indexing the results per case.

Rows go through :func:`tergeu.results.save_identifiers` so the web app and reports see them; a
re-run replaces this analyzer's earlier rows (marked ``attrs.analyzer``) so results stay idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tergeu.db import Case, IdentifierRow
from tergeu.errors import TergeuError
from tergeu.iocs.extract import extract_identifiers
from tergeu.messages.readers import read_messages
from tergeu.records import Identifier, ParseWarning

ANALYZER = "iocs"


@dataclass
class FileIdentifiers:
    path: str
    identifiers: list[Identifier] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    messages: int = 0


def extract_file(
    path: Path, evidence_id: int | None = None, display_path: str | None = None
) -> FileIdentifiers:
    """Identifiers in every message of one file (any registered reader), with warnings kept."""
    out = FileIdentifiers(display_path or str(path))
    try:
        res = read_messages(path, evidence_id)
    except TergeuError as exc:
        out.warnings.append(ParseWarning(out.path, exc.message(), code="unreadable", evidence_id=evidence_id))
        return out
    out.warnings.extend(res.warnings)
    for w in out.warnings:
        w.evidence_id = evidence_id
        w.path = out.path
    out.messages = len(res.messages)
    for m in res.messages:
        texts = [m.text]
        if m.sender:
            texts.append(m.sender)
        for i, text in enumerate(texts):
            for ident in extract_identifiers(text, m.ref):
                ident.attrs["field"] = "text" if i == 0 else "sender"
                if m.id is not None:
                    ident.attrs["message_id"] = m.id
                ident.attrs["analyzer"] = ANALYZER
                if display_path:
                    ident.ref = type(ident.ref)(display_path, evidence_id, ident.ref.offset, ident.ref.record)
                out.identifiers.append(ident)
        for hop in m.attrs.get("received", []) if isinstance(m.attrs.get("received"), list) else []:
            for ip in hop.get("ips", []):
                for ident in extract_identifiers(ip, m.ref):
                    ident.attrs.update(field="received", analyzer=ANALYZER, hop_by=hop.get("by"))
                    out.identifiers.append(ident)
    return out


def identifier_json(i: Identifier) -> dict[str, Any]:
    """The JSON shape of one identifier in every output (cards masked, never the full number)."""
    norm = i.attrs.get("masked", i.normalized) if i.type == "card" else i.normalized
    value = i.attrs.get("masked", i.value) if i.type == "card" else i.value
    return {
        "type": i.type,
        "value": value,
        "normalized": norm,
        "valid": i.valid,
        "span": list(i.span) if i.span else None,
        "ref": i.ref.to_dict(),
        "attrs": i.attrs,
    }


def clear_identifiers(session: Session, case: Case, analyzer: str = ANALYZER) -> None:
    ids = [
        r.id
        for r in session.scalars(select(IdentifierRow).where(IdentifierRow.case_id == case.id))
        if (r.attrs or {}).get("analyzer") == analyzer
    ]
    for i in range(0, len(ids), 500):
        session.execute(delete(IdentifierRow).where(IdentifierRow.id.in_(ids[i : i + 500])))
