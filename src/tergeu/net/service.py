"""The library behind ``tergeu net``: captures in or out of a case to flows, findings and stored artifacts.

Why here and not in the CLI: the web app and scripts need the same steps (resolve evidence, read it
read-only from the store, keep warnings, store flows as an Artifact that points back to the
evidence item and packet ranges, store findings, write custody) without Typer.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from tergeu import settings
from tergeu.errors import InputError, NotFoundError
from tergeu.net.analyze import Analysis, analyse, write_flows
from tergeu.net.detect import ANALYZER, Detector
from tergeu.net.pcap import is_capture
from tergeu.records import Finding

if TYPE_CHECKING:  # the database layer is imported only when a case is used
    from sqlalchemy.orm import Session

    from tergeu.db import Case, EvidenceItem


@dataclass
class ScanResult:
    analysis: Analysis
    findings: list[Finding] = field(default_factory=list)
    artifact: Path | None = None


def officer(by: str | None) -> str:
    return str(by or settings.get("officer") or os.environ.get("USER") or "officer")


def resolve_case_items(session: Session, case: Case, refs: Sequence[str]) -> list[EvidenceItem]:
    """Evidence items named by id / SHA-256 prefix / original path, or every capture of the case."""
    from sqlalchemy import select

    from tergeu.db import EvidenceItem
    from tergeu.evidence import get_item, stored_path

    items: list[EvidenceItem] = []
    if not refs:
        all_items = session.scalars(
            select(EvidenceItem).where(EvidenceItem.case_id == case.id).order_by(EvidenceItem.id)
        ).all()
        items = [i for i in all_items if is_capture(stored_path(i))]
        if not items:
            raise NotFoundError(f"case {case.number} holds no pcap/pcapng evidence", key="error.not_found")
        return items
    for ref in refs:
        p = Path(ref)
        if p.is_file():
            digest = hashlib.sha256()
            with open(p, "rb") as fh:
                while chunk := fh.read(1 << 22):
                    digest.update(chunk)
            item = session.scalar(
                select(EvidenceItem).where(
                    EvidenceItem.case_id == case.id, EvidenceItem.sha256 == digest.hexdigest()
                )
            )
            if item is None:
                raise NotFoundError(
                    f"{ref} is not evidence of case {case.number}; add it first (tergeu evidence add)",
                    key="error.not_found",
                )
            items.append(item)
        else:
            items.append(get_item(session, case, ref))
    return items


def analyse_case(session: Session, case: Case, refs: Sequence[str]) -> Analysis:
    from tergeu.evidence import stored_path

    items = resolve_case_items(session, case, refs)
    paths = [str(stored_path(i)) for i in items]
    names = {str(stored_path(i)): i.name for i in items}
    try:
        a = analyse(paths, [i.id for i in items])
    except InputError as exc:
        # The investigator knows "#4 auth.log", not the store's hash path: name both.
        by_path = {str(stored_path(i)): i for i in items}
        hit = by_path.get(exc.path or "")
        if hit is not None:
            exc.path = f"#{hit.id} {hit.name} ({exc.path})"
        raise
    for w in a.warnings:
        w.message = f"{names.get(w.path, w.path)}: {w.message}"
    return a


def with_evidence_columns(a: Analysis) -> pl.DataFrame:
    """Flow table plus the evidence id of the first and last packet's file."""
    eids = a.evidence_ids
    f = a.flows
    if not f.height:
        return f.with_columns(
            pl.lit(None, dtype=pl.Int64).alias("first_evidence_id"),
            pl.lit(None, dtype=pl.Int64).alias("last_evidence_id"),
        )
    lut = pl.Series([e for e in eids], dtype=pl.Int64)
    return f.with_columns(
        pl.col("first_file")
        .map_elements(lambda i: lut[int(i)], return_dtype=pl.Int64)
        .alias("first_evidence_id"),
        pl.col("last_file")
        .map_elements(lambda i: lut[int(i)], return_dtype=pl.Int64)
        .alias("last_evidence_id"),
    )


def store_flows(session: Session, case: Case, a: Analysis) -> Path:
    """Flows as a Parquet Artifact under $TERGEU_HOME, with hash and pointers back to the evidence."""
    from tergeu.db import Artifact
    from tergeu.store import sha256_file

    folder = settings.home() / "artifacts" / case.number / "net"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    out = write_flows(with_evidence_columns(a), folder / f"flows-{stamp}.parquet")
    ids = [e for e in a.evidence_ids if e is not None]
    session.add(
        Artifact(
            case_id=case.id,
            evidence_id=ids[0] if ids else None,
            kind="net_flows",
            path=str(out),
            sha256=sha256_file(out),
            meta={
                "evidence_ids": ids,
                "files": [
                    {"evidence_id": e, "path": p} for e, p in zip(a.evidence_ids, a.paths, strict=True)
                ],
                "packets": a.n_packets,
                "flows": a.flows.height,
                "packet_range_columns": [
                    "first_evidence_id",
                    "first_index",
                    "last_evidence_id",
                    "last_index",
                ],
                "analyzer": ANALYZER,
            },
        )
    )
    session.flush()
    return out


def detect(a: Analysis, use_model: bool | None = None) -> list[Finding]:
    findings = Detector.of(a).run()
    if use_model is None:
        use_model = bool(settings.get("net_model"))
    if use_model:
        from tergeu.net import model

        findings += model.anomalies(a, findings)
    return findings


def scan_case(
    session: Session, case: Case, refs: Sequence[str], by: str | None, use_model: bool | None = None
) -> ScanResult:
    from tergeu import custody, results

    a = analyse_case(session, case, refs)
    findings = detect(a, use_model)
    results.clear(session, case, ANALYZER)
    results.save_findings(session, case, findings)
    results.save_warnings(session, case, ANALYZER, a.warnings)
    art = store_flows(session, case, a)
    ids = sorted({e for e in a.evidence_ids if e is not None})
    custody.append(
        session,
        case,
        officer(by),
        "analysed",
        ids,
        {
            "analyzer": ANALYZER,
            "findings": len(findings),
            "flows": a.flows.height,
            "packets": a.n_packets,
            "artifact": art.name,
        },
    )
    return ScanResult(a, findings, art)


def flows_case(session: Session, case: Case, refs: Sequence[str], by: str | None) -> ScanResult:
    from tergeu import custody, results

    a = analyse_case(session, case, refs)
    results.save_warnings(session, case, ANALYZER, a.warnings)
    art = store_flows(session, case, a)
    custody.append(
        session,
        case,
        officer(by),
        "analysed",
        sorted({e for e in a.evidence_ids if e is not None}),
        {"analyzer": ANALYZER, "flows": a.flows.height, "packets": a.n_packets, "artifact": art.name},
    )
    return ScanResult(a, [], art)


def expand_captures(paths: Sequence[str | Path]) -> list[str]:
    """Files as given; folders become the captures inside them (recursively, by name), so a
    directory of rotated capture files is one argument and one task per file."""
    out: list[str] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(str(f) for f in p.rglob("*") if f.is_file() and is_capture(f))
            if not found:
                raise InputError("folder holds no pcap/pcapng capture", path=p)
            out += found
        else:
            out.append(str(p))
    return out


def scan_files(paths: Sequence[str | Path], use_model: bool | None = None) -> ScanResult:
    a = analyse(expand_captures(paths))
    return ScanResult(a, detect(a, use_model))


def summary_counts(findings: Sequence[Finding]) -> dict[str, Any]:
    out: dict[str, int] = {}
    for f in findings:
        out[f.kind] = out.get(f.kind, 0) + 1
    return out
