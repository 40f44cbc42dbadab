"""Content-addressed evidence store: one read of each byte gives MD5, SHA-1, SHA-256 and the copy.

Layout: ``$TERGEU_HOME/evidence/sha256/ab/cd/<sha256>``, files made read-only. Bytes are written to a
temporary file in the same folder, flushed to disk, re-hashed from the stored copy, and only then
renamed into place, so an interrupted intake leaves no half-written object under its final name.
The three digests run in their own threads (hashlib releases the GIL for large buffers), overlapping
the read and the write.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from queue import Queue

from tergeu import settings
from tergeu.errors import EvidenceUnreadable, IntegrityFailure, StorageError

ALGORITHMS = ("md5", "sha1", "sha256")


@dataclass(frozen=True)
class Digests:
    md5: str
    sha1: str
    sha256: str
    size: int


def store_root(home: Path | None = None) -> Path:
    return (home or settings.home()) / "evidence" / "sha256"


def object_path(sha256: str, home: Path | None = None) -> Path:
    return store_root(home) / sha256[:2] / sha256[2:4] / sha256


class _HashWorker(threading.Thread):
    """Feeds every chunk to one hash object; the queue holds memoryviews of reused buffers."""

    def __init__(self, name: str) -> None:
        super().__init__(daemon=True)
        self.hasher = hashlib.new(name)
        self.inbox: Queue[memoryview | None] = Queue()
        self.done: Queue[int] = Queue()

    def run(self) -> None:
        while True:
            chunk = self.inbox.get()
            if chunk is None:
                return
            self.hasher.update(chunk)
            self.done.put(1)


def _chunk_size() -> int:
    return int(settings.get("chunk_mib")) * 1024 * 1024


def hash_and_copy(src: Path, dst: Path | None, progress: Callable[[int], None] | None = None) -> Digests:
    """Read ``src`` once; hash it three ways and, when ``dst`` is given, write the copy there.

    Two buffers alternate: while the hash threads digest one, the next is read into the other,
    so memory stays at 2 x chunk whatever the file size.
    """
    size = _chunk_size()
    buffers = [bytearray(size), bytearray(size)]
    workers = [_HashWorker(n) for n in ALGORITHMS]
    for w in workers:
        w.start()
    total = 0
    pending = [0, 0]  # outstanding hash jobs per buffer
    out = None
    try:
        fin = open(src, "rb", buffering=0)  # noqa: SIM115 - closed in finally
    except FileNotFoundError as exc:
        raise EvidenceUnreadable("file not found", path=src, key="error.missing") from exc
    except PermissionError as exc:
        raise EvidenceUnreadable("permission denied", path=src, key="error.permission") from exc
    except IsADirectoryError as exc:
        raise EvidenceUnreadable("is a directory", path=src) from exc
    try:
        if dst is not None:
            out = open(dst, "wb", buffering=0)  # noqa: SIM115
        index = 0
        while True:
            buf = buffers[index]
            for _ in range(pending[index]):
                for w in workers:
                    w.done.get()
            pending[index] = 0
            try:
                n = fin.readinto(buf)
            except OSError as exc:
                raise EvidenceUnreadable(str(exc), path=src, offset=total) from exc
            if not n:
                break
            view = memoryview(buf)[:n]
            for w in workers:
                w.inbox.put(view)
            pending[index] = 1
            if out is not None:
                try:
                    out.write(view)
                except OSError as exc:
                    if exc.errno == errno.ENOSPC:
                        raise StorageError(str(dst), key="error.disk_full") from exc
                    raise StorageError(str(exc)) from exc
            total += n
            if progress:
                progress(n)
            index ^= 1
        if out is not None:
            os.fsync(out.fileno())
    finally:
        for w in workers:
            w.inbox.put(None)
        for w in workers:
            w.join()
        fin.close()
        if out is not None:
            out.close()
    md5, sha1, sha256 = (w.hasher.hexdigest() for w in workers)
    return Digests(md5=md5, sha1=sha1, sha256=sha256, size=total)


def sha256_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def put(
    src: Path, progress: Callable[[int], None] | None = None, home: Path | None = None
) -> tuple[Digests, Path]:
    """Store ``src``; returns its digests and the object path. Identical content is stored once."""
    root = store_root(home)
    tmpdir = root / "tmp"
    tmpdir.mkdir(parents=True, exist_ok=True)
    tmp = tmpdir / f"{os.getpid()}-{threading.get_ident()}-{os.urandom(4).hex()}"
    try:
        digests = hash_and_copy(src, tmp, progress)
        final = object_path(digests.sha256, home)
        if final.exists():
            tmp.unlink()
            return digests, final
        again = sha256_file(tmp)
        if again != digests.sha256:
            raise IntegrityFailure([f"{src}: stored copy hashes to {again}, read hashed to {digests.sha256}"])
        os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
        return digests, final
    finally:
        if tmp.exists():
            tmp.unlink()
