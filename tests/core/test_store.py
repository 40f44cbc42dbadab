from __future__ import annotations

import hashlib
import os
import signal
import stat
from pathlib import Path

import pytest

from tergeu import store
from tergeu.errors import EvidenceUnreadable, IntegrityFailure


@pytest.mark.parametrize("size", [0, 1, 8 * 1024 * 1024 - 1, 8 * 1024 * 1024 + 3, 20 * 1024 * 1024 + 17])
def test_digests_match_hashlib(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    src = tmp_path / "f"
    src.write_bytes(data)
    digests, obj = store.put(src)
    assert digests.md5 == hashlib.md5(data).hexdigest()
    assert digests.sha1 == hashlib.sha1(data).hexdigest()
    assert digests.sha256 == hashlib.sha256(data).hexdigest()
    assert digests.size == size
    assert obj.read_bytes() == data
    assert obj.name == digests.sha256 and obj.parent.name == digests.sha256[2:4]
    assert not os.stat(obj).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert src.read_bytes() == data  # original untouched


def test_same_content_stored_once(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"same")
    (tmp_path / "b").write_bytes(b"same")
    _, one = store.put(tmp_path / "a")
    _, two = store.put(tmp_path / "b")
    assert one == two
    assert not list((store.store_root() / "tmp").iterdir())


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EvidenceUnreadable) as info:
        store.put(tmp_path / "nope")
    assert "nope" in info.value.message()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "locked"
    f.write_bytes(b"x")
    f.chmod(0)
    with pytest.raises(EvidenceUnreadable) as info:
        store.put(f)
    assert "locked" in info.value.message()


@pytest.mark.parametrize("size", [0, 5, 4096, 100_000])
def test_small_and_pipeline_paths_agree(tmp_path: Path, size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The single-threaded path for small files and the threaded pipeline store the same bytes."""
    data = os.urandom(size)
    src = tmp_path / "f"
    src.write_bytes(data)
    small = store.hash_and_copy(src, tmp_path / "small")
    monkeypatch.setattr(store, "SMALL_BYTES", -1)  # every file takes the pipeline
    big = store.hash_and_copy(src, tmp_path / "big")
    assert small == big and small.sha256 == hashlib.sha256(data).hexdigest()
    assert (tmp_path / "small").read_bytes() == (tmp_path / "big").read_bytes() == data


def test_small_path_refuses_a_stored_copy_that_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read-back compare is real: a copy that does not match the hashed bytes is never published."""
    src = tmp_path / "statement.txt"
    src.write_bytes(b"what the victim wrote\n")
    real_pread = os.pread

    def flipped(fd: int, n: int, offset: int) -> bytes:
        got = real_pread(fd, n, offset)
        return bytes([got[0] ^ 1]) + got[1:] if got else got

    monkeypatch.setattr(store.os, "pread", flipped)
    with pytest.raises(IntegrityFailure):
        store.put(src)
    root = store.store_root()
    assert not [p for p in root.rglob("*") if p.is_file()]  # no object, no temporary left behind


def test_file_growing_past_the_small_limit_takes_the_pipeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file small when looked at but longer when read is started again from its first byte."""
    data = os.urandom(10_000)
    src = tmp_path / "growing.log"
    src.write_bytes(data)
    monkeypatch.setattr(store, "SMALL_BYTES", 4_000)
    real_fstat = os.fstat

    def looks_small(fd: int) -> os.stat_result:
        st = list(real_fstat(fd))
        st[6] = 100  # st_size as it was when the intake looked
        return os.stat_result(st)

    monkeypatch.setattr(store.os, "fstat", looks_small)
    digests, obj = store.put(src)
    assert digests.size == 10_000 and obj.read_bytes() == data
    assert digests.sha256 == hashlib.sha256(data).hexdigest()


def test_small_path_honours_progress(tmp_path: Path) -> None:
    src = tmp_path / "f"
    src.write_bytes(b"x" * 1234)
    seen: list[int] = []
    store.put(src, progress=seen.append)
    assert sum(seen) == 1234


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """Opening a named pipe for reading blocks until a writer appears: intake must refuse it at once."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    signal.alarm(20)  # a regression hangs in open(): fail instead of blocking the suite
    try:
        with pytest.raises(EvidenceUnreadable) as info:
            store.put(fifo)
    finally:
        signal.alarm(0)
    assert "pipe" in info.value.message() and "regular" in info.value.detail


def test_permission_denied_is_a_clear_error_even_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "locked"
    f.write_bytes(b"x")
    real_open = os.open

    def deny(path: object, flags: int, *a: object) -> int:
        if str(path) == str(f):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(EvidenceUnreadable) as info:
        store.put(f)
    assert "locked" in info.value.message() and info.value.key == "error.permission"


def test_store_that_refuses_writes_is_a_storage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tergeu.errors import StorageError

    f = tmp_path / "seized.bin"
    f.write_bytes(b"x" * 100)

    def refuse(*_a: object, **_k: object) -> None:
        raise PermissionError(1, "Operation not permitted", str(store.store_root() / "2d"))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(StorageError) as info:
        store.put(f)
    msg = info.value.message("kk")
    assert "Operation not permitted" in msg and "қойма" in msg
    assert f.read_bytes() == b"x" * 100


def test_pipeline_refuses_a_stored_copy_that_differs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The threaded path compares every read-back chunk too, full chunks and the short last one."""
    real_preadv = os.preadv

    def flipped(fd: int, buffers: list[memoryview], offset: int) -> int:
        got = real_preadv(fd, buffers, offset)
        buffers[0][got - 1] ^= 1
        return got

    monkeypatch.setattr(store, "SMALL_BYTES", -1)
    for size in (3 * 1024 * 1024 + 5, 16 * 1024 * 1024):
        src = tmp_path / f"big-{size}.bin"
        src.write_bytes(os.urandom(size))
        monkeypatch.setattr(store.os, "preadv", flipped)
        with pytest.raises(IntegrityFailure):
            store.put(src)
        monkeypatch.setattr(store.os, "preadv", real_preadv)
        assert not [p for p in store.store_root().rglob("*") if p.is_file()]
