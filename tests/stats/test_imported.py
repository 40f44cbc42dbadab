"""Hostile statistics CSVs: every refusal names the file and the place, never a bare csv.Error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tergeu.errors import InputError
from tergeu.stats.imported import parse_csv

HEADER = "article,year,region,count\n"


def test_field_over_the_csv_limit_is_an_input_error(tmp_path: Path) -> None:
    f = tmp_path / "huge.csv"
    f.write_text(HEADER + "190,2023,Almaty,5\n" + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        parse_csv(f)
    assert info.value.path == str(f)
    assert info.value.offset == len((HEADER + "190,2023,Almaty,5\n").encode())
    assert "line 3" in info.value.detail


def test_nul_bytes_are_an_input_error(tmp_path: Path) -> None:
    f = tmp_path / "nul.csv"
    f.write_bytes(HEADER.encode() + b"190,2023,Alm\x00aty,5\n")
    with pytest.raises(InputError) as info:
        parse_csv(f)
    assert info.value.path == str(f) and info.value.offset == len(HEADER)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_unicode_exports_with_a_bom_are_read(tmp_path: Path, encoding: str) -> None:
    """Excel's "Unicode text" is UTF-16 with a byte-order mark: unambiguous, so accepted."""
    f = tmp_path / "excel.csv"
    text = HEADER + "190,2023,Алматы,5\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    f.write_bytes(data)
    rows = parse_csv(f)
    assert [(r.region, r.count) for r in rows] == [("Алматы", 5)]


def test_utf16_bad_row_offset_is_in_bytes_of_the_file(tmp_path: Path) -> None:
    f = tmp_path / "excel.csv"
    f.write_bytes((HEADER + "190,abc,Almaty,5\n").encode("utf-16"))
    with pytest.raises(InputError) as info:
        parse_csv(f)
    assert info.value.offset == 2 + len(HEADER.encode("utf-16-le"))


def test_cp1251_names_the_encoding_problem(tmp_path: Path) -> None:
    f = tmp_path / "win.csv"
    f.write_bytes((HEADER + "190,2023,Алматы,5\n").encode("cp1251"))
    with pytest.raises(InputError) as info:
        parse_csv(f)
    assert info.value.offset == len(HEADER) + len("190,2023,")
    assert "UTF-8" in info.value.detail


@pytest.mark.parametrize("kind", ["fifo", "chardev"])
def test_fifo_and_devices_are_refused_without_blocking(tmp_path: Path, kind: str) -> None:
    import os
    import signal

    if kind == "fifo":
        path = tmp_path / "stats.csv"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    signal.alarm(20)  # a regression blocks in open() or reads forever: fail instead
    try:
        with pytest.raises(InputError) as info:
            parse_csv(path)
    finally:
        signal.alarm(0)
    assert "regular" in info.value.detail
