"""Running parsers: over loose files, and over a case's evidence through the executor.

Case work is one task per evidence file (``parse_task`` is top-level and picklable so the local pool
or Dask can run it); the main process stores the events in the generic ``events`` table. Evidence is
read from the store's read-only copy, and the original file name is used for sniffing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tergeu.db import Case, EventRow, EvidenceItem
from tergeu.records import Event, EvidenceRef, ParseWarning
from tergeu.results import save_events
from tergeu.timeline.core import ParseContext, parse_file

ANALYZER = "timeline"
#: Sources this area writes; a rebuild replaces exactly these events of the case.
SOURCES = (
    "syslog",
    "auth",
    "evtx",
    "journal",
    "audit",
    "wtmp",
    "btmp",
    "weblog",
    "browser",
    "fs",
    "zeek",
    "suricata",
    "table",
)
_TZ_NOTE = re.compile(r"\btz=([A-Za-z_/+\-:0-9]+)")


@dataclass
class FileResult:
    path: str
    parser: str | None
    events: list[Event] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    error: str | None = None
    spill: str | None = None  # events pickled in batches by a worker (kept out of process memory)
    n_events: int = 0


def parse_one(ctx: ParseContext, only: str | None = None) -> FileResult:
    """Parse a file fully into lists; an unusable file becomes ``error``, never an exception."""
    from tergeu.errors import TergeuError

    res = FileResult(ctx.name, None)
    try:
        res.parser, items = parse_file(ctx, only)
        for it in items:
            if isinstance(it, Event):
                res.events.append(it)
            else:
                res.warnings.append(it)
    except TergeuError as exc:
        res.error = exc.message()
    except OSError as exc:
        res.error = f"{ctx.name}: {exc.strerror or exc}"
    if res.parser is None and res.warnings and not res.error:
        res.error = "; ".join(w.message for w in res.warnings[:3])
    return res


def parse_task(args: dict[str, Any]) -> FileResult:
    """Worker side of ``timeline build``: one evidence file, events spilled to a temp file in batches."""
    import pickle
    import tempfile

    from tergeu.errors import TergeuError

    ctx = ParseContext(
        path=Path(args["path"]),
        name=args["name"],
        evidence_id=args.get("evidence_id"),
        tz=args.get("tz") or "UTC",
        year=args.get("year"),
        mtime=args.get("mtime"),
        options=args.get("options") or {},
    )
    res = FileResult(ctx.name, None)
    fd, spill = tempfile.mkstemp(prefix="tl-", suffix=".pickle", dir=args.get("tmpdir"))
    res.spill = spill
    with open(fd, "wb") as fh:
        batch: list[Event] = []
        try:
            res.parser, items = parse_file(ctx, args.get("parser"))
            for it in items:
                if isinstance(it, Event):
                    batch.append(it)
                    if len(batch) >= 5000:
                        pickle.dump(batch, fh, protocol=pickle.HIGHEST_PROTOCOL)
                        res.n_events += len(batch)
                        batch = []
                elif len(res.warnings) < 1000:
                    res.warnings.append(it)
        except TergeuError as exc:
            res.error = exc.message()
        except OSError as exc:
            res.error = f"{ctx.name}: {exc.strerror or exc}"
        if batch:
            pickle.dump(batch, fh, protocol=pickle.HIGHEST_PROTOCOL)
            res.n_events += len(batch)
    if res.parser is None and res.warnings and not res.error:
        res.error = "; ".join(w.message for w in res.warnings[:3])
    return res


def spilled(res: FileResult) -> Iterator[Event]:
    """Events a worker spilled, batch by batch; the temp file is removed afterwards."""
    import os
    import pickle

    if not res.spill:
        yield from res.events
        return
    try:
        with open(res.spill, "rb") as fh:
            while True:
                try:
                    batch = pickle.load(fh)
                except EOFError:
                    break
                yield from batch
    finally:
        os.unlink(res.spill)


def expand(paths: Sequence[Path]) -> Iterator[Path]:
    from tergeu.evidence import expand as ev_expand

    yield from ev_expand(paths)


def parse_loose(
    paths: Sequence[Path],
    tz: str = "UTC",
    year: int | None = None,
    only: str | None = None,
    options: dict[str, Any] | None = None,
    fs: bool = False,
) -> Iterator[FileResult]:
    """Loose files (no case): each file with the parser that accepts it; ``fs`` adds a metadata walk."""
    if fs:
        from tergeu.timeline.parsers.fs import walk

        for p in paths:
            if p.is_dir():
                yield FileResult(f"{p} (file system)", "fswalk", list(walk(p)))
    for p in expand(paths):
        ctx = ParseContext(path=p, name=str(p), tz=tz, year=year, options=dict(options or {}))
        yield parse_one(ctx, only)


def item_tz(item: EvidenceItem, default: str) -> str:
    """Per-source zone: ``tz=Asia/Almaty`` in the evidence note wins over the command's default."""
    m = _TZ_NOTE.search(item.note or "") or _TZ_NOTE.search(item.source or "")
    return m.group(1) if m else default


def profile_zones(session: Session, case: Case) -> list[tuple[str, str]]:
    """(root folder, zone) of ``collect linux`` profiles: logs under a root are in that system's zone."""
    from tergeu.db import Artifact

    out = []
    for a in session.scalars(
        select(Artifact).where(Artifact.case_id == case.id, Artifact.kind == "linux_profile")
    ):
        root, ztz = (a.meta or {}).get("root"), (a.meta or {}).get("timezone")
        if root and ztz:
            out.append((str(Path(root).resolve()), str(ztz)))
    return out


@dataclass
class BuildResult:
    files: int = 0
    events: int = 0
    warnings: int = 0
    skipped: list[str] = field(default_factory=list)
    per_parser: dict[str, int] = field(default_factory=dict)


def build_case(
    session: Session,
    case: Case,
    tz: str = "UTC",
    year: int | None = None,
    only: str | None = None,
    actor: str = "tergeu",
    on_item: Any = None,
    options: dict[str, Any] | None = None,
) -> BuildResult:
    """(Re)build the case's timeline: earlier events of the evidence parsed now are replaced."""
    from tergeu import custody, results
    from tergeu.evidence import stored_path
    from tergeu.executor import get_executor

    items = list(session.scalars(select(EvidenceItem).where(EvidenceItem.case_id == case.id)))
    tasks: list[dict[str, Any]] = [
        {
            "path": str(stored_path(i)),
            "name": i.original_path,
            "evidence_id": i.id,
            "tz": item_tz(i, tz),
            "year": year,
            "mtime": i.mtime,
            "parser": only,
            "options": dict(options or {}),
        }
        for i in items
    ]
    zones = profile_zones(session, case)
    for task, i in zip(tasks, items, strict=True):
        if not _TZ_NOTE.search(i.note or "") and tz == "UTC":
            for root, ztz in zones:
                if i.original_path.startswith(root):
                    task["tz"] = ztz
    import shutil
    import tempfile

    tmpdir = tempfile.mkdtemp(prefix="tergeu-build-")
    for task in tasks:
        task["tmpdir"] = tmpdir
    out = BuildResult()
    results.clear(session, case, ANALYZER)
    session.execute(delete(EventRow).where(EventRow.case_id == case.id, EventRow.source.in_(SOURCES)))
    out.events += save_events(session, case, evidence_fs_events(items))
    executor = get_executor(len(tasks))
    try:
        for task, res in executor.run(parse_task, tasks):
            if on_item:
                on_item()
            if isinstance(res, BaseException):
                out.skipped.append(f"{task['name']}: {type(res).__name__}: {res}")
                continue
            if res.parser is None:
                list(spilled(res))
                out.skipped.append(task["name"] + (f": {res.error}" if res.error else ""))
                continue
            out.files += 1
            out.events += save_events(session, case, spilled(res))
            out.warnings += results.save_warnings(session, case, ANALYZER, res.warnings)
            out.per_parser[res.parser] = out.per_parser.get(res.parser, 0) + res.n_events
    finally:
        executor.close()
        shutil.rmtree(tmpdir, ignore_errors=True)
    custody.append(
        session,
        case,
        actor,
        "analysed",
        [t["evidence_id"] for t in tasks],
        {"analyzer": ANALYZER, "events": out.events, "files": out.files, "parsers": out.per_parser},
    )
    return out


def evidence_fs_events(items: Sequence[EvidenceItem]) -> Iterator[Event]:
    """File-system times of each evidence file as recorded at intake (its original MAC/birth times)."""
    from tergeu.timeline.parsers.fs import fs_events

    def ns(t: datetime | None) -> int | None:
        if t is None:
            return None
        d = t - datetime(1970, 1, 1, tzinfo=UTC)
        return (d.days * 86400 + d.seconds) * 1_000_000_000 + d.microseconds * 1000

    for i in items:
        times = {"m": ns(i.mtime), "a": ns(i.atime), "c": ns(i.ctime), "b": ns(i.birthtime)}
        attrs = {"owner": i.owner, "size": i.size, "mode": oct(i.mode), "sha256": i.sha256}
        yield from fs_events(i.original_path, times, attrs, EvidenceRef(i.original_path, i.id, None, None))


def row_to_event(r: EventRow) -> Event:
    return Event(
        ts=r.ts,
        source=r.source,
        event_type=r.event_type,
        message=r.message,
        ref=EvidenceRef(str(r.attrs.get("_path", "")) if r.attrs else "", r.evidence_id, r.offset, r.record),
        ts_desc=r.ts_desc,
        ts_precision=r.ts_precision,
        tz=r.tz,
        attrs=dict(r.attrs or {}),
    )


def case_events(
    session: Session,
    case: Case,
    start: datetime | None = None,
    end: datetime | None = None,
    grep: str | None = None,
    source: str | None = None,
    evidence_id: int | None = None,
    order: str = "ts",
) -> Iterator[Event]:
    """Stored events of a case, filtered; ``order="record"`` keeps write order (per evidence item)."""
    names = {i.id: i.original_path for i in case.evidence}
    q = select(EventRow).where(EventRow.case_id == case.id)
    if start:
        q = q.where(EventRow.ts >= start.astimezone(UTC))
    if end:
        q = q.where(EventRow.ts <= end.astimezone(UTC))
    if source:
        q = q.where(EventRow.source == source)
    if evidence_id is not None:
        q = q.where(EventRow.evidence_id == evidence_id)
    if grep:
        q = q.where(EventRow.message.contains(grep))
    q = (
        q.order_by(EventRow.ts, EventRow.id)
        if order == "ts"
        else q.order_by(EventRow.evidence_id, EventRow.id)
    )
    for r in session.scalars(q).yield_per(5000):
        ev = row_to_event(r)
        ev.ref = EvidenceRef(names.get(r.evidence_id or -1, ""), r.evidence_id, r.offset, r.record)
        yield ev


def event_json(ev: Event, display_tz: str) -> dict[str, Any]:
    """The JSON object printed for an event (``timeline FILE --json``, ``timeline show --json``)."""
    from tergeu.timeline.core import iso

    utc = iso(ev.ts)
    return {
        "ts": utc,
        "display_time": utc if display_tz == "UTC" else iso(ev.ts, display_tz),
        "source_tz": ev.tz,
        "precision": ev.ts_precision,
        "ts_desc": ev.ts_desc,
        "source": ev.source,
        "event_type": ev.event_type,
        "message": ev.message,
        "ref": {
            "path": ev.ref.path,
            "evidence_id": ev.ref.evidence_id,
            "offset": ev.ref.offset,
            "record": ev.ref.record,
        },
        "attrs": ev.attrs,
    }


def json_task(args: dict[str, Any]) -> dict[str, Any]:
    """Worker: parse one file, write its events as JSON lines to a temp file, return sort keys.

    Only two integer arrays (time in µs, line length) come back, so a million events cost the main
    process 16 MB instead of a million objects.
    """
    import json
    import tempfile
    from array import array

    from tergeu.timeline.core import EPOCH

    ctx = ParseContext(
        path=Path(args["path"]),
        name=args["path"],
        tz=args["tz"],
        year=args.get("year"),
        options=args.get("options") or {},
    )
    keys, lens = array("q"), array("q")
    warnings: list[ParseWarning] = []
    out: dict[str, Any] = {"path": args["path"], "parser": None, "error": None}
    fd, tmp = tempfile.mkstemp(prefix="tl-", suffix=".jsonl", dir=args["tmpdir"])
    dtz = args["display_tz"]
    dumps = json.dumps
    try:
        with open(fd, "wb", buffering=1 << 20) as fh:
            parser, items = parse_file(ctx, args.get("parser"))
            out["parser"] = parser
            for it in items:
                if isinstance(it, Event):
                    line = (dumps(event_json(it, dtz), ensure_ascii=False, default=str) + "\n").encode()
                    fh.write(line)
                    d = it.ts - EPOCH
                    keys.append((d.days * 86400 + d.seconds) * 1_000_000 + d.microseconds)
                    lens.append(len(line))
                elif len(warnings) < 1000:
                    warnings.append(it)
    except Exception as exc:  # reported per file; other files go on
        from tergeu.errors import TergeuError

        out["error"] = exc.message() if isinstance(exc, TergeuError) else f"{type(exc).__name__}: {exc}"
    if out["parser"] is None and warnings and not out["error"]:
        out["error"] = "; ".join(w.message for w in warnings[:3])
    out.update(tmp=tmp, keys=keys.tobytes(), lens=lens.tobytes(), warnings=warnings)
    return out


def _sorted_lines(res: dict[str, Any]) -> Iterator[tuple[int, bytes]]:
    """One file's JSON lines in time order: read straight through when already sorted (the usual
    case for logs), else by position in sorted order (page cache, not process memory)."""
    import os

    import numpy as np

    keys = np.frombuffer(res["keys"], dtype=np.int64)
    lens = np.frombuffer(res["lens"], dtype=np.int64)
    with open(res["tmp"], "rb", buffering=1 << 20) as fh:
        if len(keys) < 2 or bool(np.all(keys[1:] >= keys[:-1])):
            for k in keys.tolist():
                yield k, fh.readline()
            return
        offs = np.concatenate(([0], np.cumsum(lens)[:-1]))
        order = np.argsort(keys, kind="stable")
        fd = fh.fileno()
        for i in order.tolist():
            yield int(keys[i]), os.pread(fd, int(lens[i]), int(offs[i]))


def stream_json(
    paths: Sequence[Path],
    sink: Any,
    tz: str = "UTC",
    year: int | None = None,
    only: str | None = None,
    display_tz: str = "UTC",
    on_result: Any = None,
    options: dict[str, Any] | None = None,
) -> int:
    """Parse files in parallel (executor), then write all events to ``sink`` (binary) in time order."""
    import heapq
    import tempfile

    from tergeu.executor import get_executor

    files = [str(p) for p in expand(paths)]
    n_total = 0
    with tempfile.TemporaryDirectory(prefix="tergeu-tl-") as tmpdir:
        tasks = [
            {
                "path": f,
                "tz": tz,
                "year": year,
                "parser": only,
                "display_tz": display_tz,
                "tmpdir": tmpdir,
                "options": dict(options or {}),
            }
            for f in files
        ]
        results: list[dict[str, Any]] = []
        executor = get_executor(len(tasks))
        try:
            for task, res in executor.run(json_task, tasks):
                if isinstance(res, BaseException):
                    res = {"path": task["path"], "parser": None, "error": f"{type(res).__name__}: {res}",
                           "tmp": None, "keys": b"", "lens": b"", "warnings": []}  # fmt: skip
                if on_result:
                    on_result(res)
                results.append(res)
        finally:
            executor.close()
        results = [r for r in results if r["keys"]]
        streams = [_sorted_lines(r) for r in results]
        merged = streams[0] if len(streams) == 1 else heapq.merge(*streams, key=lambda kv: kv[0])
        buf: list[bytes] = []
        size = 0
        for _key, line in merged:
            buf.append(line)
            size += len(line)
            n_total += 1
            if size > 1 << 20:
                sink.write(b"".join(buf))
                buf, size = [], 0
        if buf:
            sink.write(b"".join(buf))
    return n_total
