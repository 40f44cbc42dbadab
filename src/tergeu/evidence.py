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
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tergeu import __version__, custody, settings, store
from tergeu.db import Case, EvidenceItem
from tergeu.errors import EvidenceUnreadable, TergeuError
from tergeu.executor import get_executor

#: Items are committed in batches (each with its own custody entry) so that a killed intake keeps
#: what was finished; a batch closes after this many items or seconds.
BATCH_ITEMS = 200
BATCH_SECONDS = 2.0
#: Up to this many bytes in all, files are stored in this process: starting a worker pool costs more
#: than hashing and copying them (a statement with its screenshots, a handful of small logs).
INLINE_BYTES = 16 << 20
INLINE_FILES = 32


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
    commit: bool = True,
    resume: bool = True,
    notes: Mapping[str, str] | None = None,
) -> IntakeResult:
    """Ingest ``paths`` into ``case``; each committed batch carries one signed ``acquired`` entry.

    With ``commit=False`` the items and their entries are only flushed, so that the caller commits
    them together with its own rows (a web filing is recorded whole or not at all); small files are
    then flushed to disk and renamed into the store in the background while the caller works, and
    the session's commit waits for that (and is refused if it failed): call :func:`settle` to wait
    earlier, e.g. before reading the stored copies. ``resume=False``
    skips the look-up of files already recorded, for a case the caller has just created. ``notes``
    gives an item its own note, by resolved path, instead of ``note``.
    """
    result = IntakeResult()
    files = [p.resolve() for p in expand(paths)]
    if not files and paths:
        # "0 items added" would read as success to an officer who pointed at the wrong folder.
        raise EvidenceUnreadable("folder holds no files to take", path=paths[0])
    known = (
        {
            (row.original_path, row.size, row.mtime)
            for row in session.scalars(select(EvidenceItem).where(EvidenceItem.case_id == case.id))
        }
        if resume
        else set()
    )
    todo = []
    todo_bytes = 0
    for f in files:
        facts = file_facts(f)
        if (path_text(f), facts["size"], facts["mtime"]) in known:
            result.skipped.append(path_text(f))
        else:
            todo.append(f)
            todo_bytes += facts["size"]
    home = str(settings.home())
    host = socket.gethostname()
    inline = len(todo) == 1 or (len(todo) <= INLINE_FILES and todo_bytes <= INLINE_BYTES)
    if inline and not settings.get("scheduler"):
        pending = None if commit else _pending_puts(session)
        outcomes: Iterator[tuple[tuple[str, str], Any]] = (
            ((str(f), home), _inline(f, on_bytes, pending)) for f in todo
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
        batch.append(_item(case, outcome, officer, source, (notes or {}).get(path_str, note), host))
        result.bytes_read += outcome["digests"].size
        if on_item:
            on_item(path_str, outcome["digests"].size)
        if len(batch) >= BATCH_ITEMS or time.monotonic() - last_commit > BATCH_SECONDS:
            _record(session, case, batch, officer, source, note, host, result, commit)
            batch, last_commit = [], time.monotonic()
    if batch:
        _record(session, case, batch, officer, source, note, host, result, commit)
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
    commit: bool = True,
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
    if commit:
        session.commit()
    result.added.extend(batch)


def _inline(
    path: Path, on_bytes: Callable[[int], None] | None, pending: list[Future[None]] | None = None
) -> dict[str, Any] | BaseException:
    try:
        facts = file_facts(path)
        if pending is None or facts["size"] > store.SMALL_BYTES:
            digests, obj = store.put(path, progress=on_bytes)
        else:
            digests, obj, flushed = store.put_background(path)
            pending.append(flushed)
            if on_bytes:
                on_bytes(digests.size)
        return {"path": str(path), "facts": facts, "digests": digests, "object": str(obj)}
    except Exception as exc:
        return exc


_PENDING_PUTS = "tergeu.evidence.pending_puts"


def _pending_puts(session: Session) -> list[Future[None]]:
    pending: list[Future[None]] | None = session.info.get(_PENDING_PUTS)
    if pending is None:
        pending = session.info[_PENDING_PUTS] = []
        if not event.contains(session, "before_commit", settle):
            event.listen(session, "before_commit", settle)
            event.listen(session, "after_rollback", _forget_puts)
    return pending


def settle(session: Session) -> None:
    """Wait until every object stored for this session's uncommitted items is on disk under its
    final name; raises the first failure (run before every commit, which it then prevents)."""
    pending: list[Future[None]] = session.info.pop(_PENDING_PUTS, None) or []
    errors = [exc for exc in (f.exception() for f in pending) if exc is not None]
    if errors:
        raise errors[0]


def _forget_puts(session: Session) -> None:
    session.info.pop(_PENDING_PUTS, None)


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
