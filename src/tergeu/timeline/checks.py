"""Running the tampering detectors over a case (stored events) or loose files.

Each evidence item is one source, checked in write order. Acquisition time comes from the evidence
record (for loose files: the file's modification time, the latest moment a writer could have used).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from tergeu.db import Case
from tergeu.records import Finding
from tergeu.timeline.detect import ANALYZER, CheckOptions, check_stream, refine_with_reference, timestomp
from tergeu.timeline.run import case_events, parse_loose


def check_case(session: Session, case: Case, opts: CheckOptions, actor: str = "tergeu") -> list[Finding]:
    from dataclasses import replace

    from tergeu import custody, results

    findings: list[Finding] = []
    streams = {}
    for item in case.evidence:
        events = [
            e for e in case_events(session, case, evidence_id=item.id, order="record") if e.source != "fs"
        ]
        if not events:
            continue
        o = replace(opts, acquired=item.acquired_at)
        findings += check_stream(events, item.original_path, o)
        streams[item.original_path] = events
    refine_with_reference(findings, streams)
    results.clear(session, case, ANALYZER)
    results.save_findings(session, case, findings)
    custody.append(
        session,
        case,
        actor,
        "analysed",
        [i.id for i in case.evidence],
        {"analyzer": ANALYZER, "findings": len(findings)},
    )
    return findings


def check_files(
    paths: Sequence[Path], tz: str, year: int | None, opts: CheckOptions, fs: bool = False
) -> list[Finding]:
    from dataclasses import replace

    findings: list[Finding] = []
    fs_events = []
    streams = {}
    for res in parse_loose(paths, tz, year, fs=fs):
        if not res.events:
            continue
        if res.parser == "fswalk":
            fs_events += res.events
            continue
        try:
            mtime = datetime.fromtimestamp(Path(res.path).stat().st_mtime, UTC)
        except OSError:
            mtime = None
        o = replace(opts, acquired=opts.acquired or mtime)
        findings += [f for f in check_stream(res.events, res.path, o) if f.kind != "timestomp"]
        streams[res.path] = res.events
        fs_events += [e for e in res.events if e.source == "fs"]
    refine_with_reference(findings, streams)
    findings += timestomp(fs_events, "fs")
    return findings
