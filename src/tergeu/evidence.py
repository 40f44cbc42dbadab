"""Evidence intake: files and whole directories into the content-addressed store, with custody.

An item is recorded only after its bytes are in the store and re-hashed (see :mod:`tergeu.store`).
Files already recorded for the case under the same path, size and modification time are skipped,
so an interrupted intake (Ctrl-C, kill -9) is finished by running the same command again.
"""

from __future__ import annotations

import os
import pwd
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tergeu import __version__, custody, settings, store
from tergeu.db import Case, EvidenceItem
from tergeu.errors import EvidenceUnreadable, TergeuError
from tergeu.executor import get_executor

#: Items are committed in batches (each with its own custody entry) so that a killed intake keeps
#: what was finished; a batch closes after this many items or seconds.
BATCH_ITEMS = 200
BATCH_SECONDS = 2.0


@dataclass
class IntakeResult:
    added: list[EvidenceItem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    bytes_read: int = 0


def _ts(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def _owner(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def path_text(path: str | Path) -> str:
    """A path as stored text: UTF-8 names unchanged, other bytes (CP1251, CP866 names from seized
    Windows media) as ``\\xNN`` escapes, so the record is valid text and still names the exact bytes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def file_facts(path: Path) -> dict[str, Any]:
    """Metadata recorded with an item; taken before reading so our read does not disturb it."""
    st = path.stat()
    birth = getattr(st, "st_birthtime", None)
    return {
        "size": st.st_size,
        "mtime": _ts(st.st_mtime),
        "atime": _ts(st.st_atime),
        "ctime": _ts(st.st_ctime),
        "birthtime": _ts(birth) if birth else None,
        "owner": _owner(st.st_uid),
        "mode": st.st_mode & 0o7777,
    }


def expand(paths: Sequence[Path]) -> Iterator[Path]:
    """Files under ``paths`` in a stable order; links are not followed out of a directory."""
    for p in paths:
        if p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs.sort()
                for name in sorted(files):
                    full = Path(root) / name
                    if full.is_file() and not full.is_symlink():
                        yield full
        elif p.exists():
            store.check_regular(p)
            yield p
        else:
            raise EvidenceUnreadable("file not found", path=p, key="error.missing")


def ingest_task(args: tuple[str, str]) -> dict[str, Any]:
    """Worker side: store one file; returns digests, facts and the object path (picklable)."""
    path_str, home = args
    path = Path(path_str)
    facts = file_facts(path)
    digests, obj = store.put(path, home=Path(home))
    return {"path": path_str, "facts": facts, "digests": digests, "object": str(obj)}


def add_evidence(
    session: Session,
    case: Case,
    paths: Sequence[Path],
    officer: str,
    source: str = "",
    note: str = "",
    on_bytes: Callable[[int], None] | None = None,
    on_item: Callable[[str, int], None] | None = None,
) -> IntakeResult:
    """Ingest ``paths`` into ``case``; each committed batch carries one signed ``acquired`` entry."""
    result = IntakeResult()
    files = [p.resolve() for p in expand(paths)]
    if not files and paths:
        # "0 items added" would read as success to an officer who pointed at the wrong folder.
        raise EvidenceUnreadable("folder holds no files to take", path=paths[0])
    known = {
        (row.original_path, row.size, row.mtime)
        for row in session.scalars(select(EvidenceItem).where(EvidenceItem.case_id == case.id))
    }
    todo = []
    for f in files:
        facts = file_facts(f)
        if (path_text(f), facts["size"], facts["mtime"]) in known:
            result.skipped.append(path_text(f))
        else:
            todo.append(f)
    home = str(settings.home())
    host = socket.gethostname()
    if len(todo) == 1 and not settings.get("scheduler"):
        outcomes: Iterator[tuple[tuple[str, str], Any]] = iter(
            [((str(todo[0]), home), _inline(todo[0], on_bytes))]
        )
    else:
        executor = get_executor(len(todo))
        outcomes = executor.run(ingest_task, [(str(f), home) for f in todo])
    batch: list[EvidenceItem] = []
    last_commit = time.monotonic()
    for (path_str, _), outcome in outcomes:
        if isinstance(outcome, BaseException):
            msg = (
                outcome.message()
                if isinstance(outcome, TergeuError)
                else f"{type(outcome).__name__}: {outcome}"
            )
            result.failed.append((path_text(path_str), path_text(msg)))
            continue
        batch.append(_item(case, outcome, officer, source, note, host))
        result.bytes_read += outcome["digests"].size
        if on_item:
            on_item(path_str, outcome["digests"].size)
        if len(batch) >= BATCH_ITEMS or time.monotonic() - last_commit > BATCH_SECONDS:
            _record(session, case, batch, officer, source, note, host, result)
            batch, last_commit = [], time.monotonic()
    if batch:
        _record(session, case, batch, officer, source, note, host, result)
    return result


def _item(
    case: Case, outcome: dict[str, Any], officer: str, source: str, note: str, host: str
) -> EvidenceItem:
    d: store.Digests = outcome["digests"]
    facts = outcome["facts"]
    return EvidenceItem(
        case_id=case.id,
        sha256=d.sha256,
        sha1=d.sha1,
        md5=d.md5,
        size=d.size,
        original_path=path_text(outcome["path"]),
        name=path_text(Path(outcome["path"]).name),
        source=source,
        note=note,
        mtime=facts["mtime"],
        atime=facts["atime"],
        ctime=facts["ctime"],
        birthtime=facts["birthtime"],
        owner=facts["owner"],
        mode=facts["mode"],
        acquired_by=officer,
        acquisition_host=host,
        tool_version=f"tergeu {__version__}",
    )


def _record(
    session: Session,
    case: Case,
    batch: list[EvidenceItem],
    officer: str,
    source: str,
    note: str,
    host: str,
    result: IntakeResult,
) -> None:
    """Items and their signed ``acquired`` entry are committed together: never one without the other."""
    batch.sort(key=lambda i: i.original_path)
    session.add_all(batch)
    session.flush()
    custody.append(
        session,
        case,
        officer,
        "acquired",
        [i.id for i in batch],
        {
            "source": source,
            "note": note,
            "host": host,
            "items": [
                {"id": i.id, "path": i.original_path, "sha256": i.sha256, "size": i.size} for i in batch
            ],
        },
    )
    session.commit()
    result.added.extend(batch)


def _inline(path: Path, on_bytes: Callable[[int], None] | None) -> dict[str, Any] | BaseException:
    try:
        facts = file_facts(path)
        digests, obj = store.put(path, progress=on_bytes)
        return {"path": str(path), "facts": facts, "digests": digests, "object": str(obj)}
    except Exception as exc:
        return exc


def get_item(session: Session, case: Case, ref: str | int) -> EvidenceItem:
    """An item of the case by id or by (a prefix of at least 8 chars of) its SHA-256."""
    from tergeu.errors import NotFoundError

    if isinstance(ref, int) or str(ref).isdigit():
        item = session.get(EvidenceItem, int(ref))
        if item is not None and item.case_id == case.id:
            return item
    elif len(str(ref)) >= 8:
        item = session.scalar(
            select(EvidenceItem).where(
                EvidenceItem.case_id == case.id, EvidenceItem.sha256.startswith(str(ref))
            )
        )
        if item is not None:
            return item
    raise NotFoundError(str(ref), key="error.evidence_not_found")


def stored_path(item: EvidenceItem) -> Path:
    """Read-only path of the item's bytes in the store; analyzers read evidence from here."""
    return store.object_path(item.sha256)
