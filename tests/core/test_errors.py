"""Error messages must be printable whatever bytes the file name holds."""

from __future__ import annotations

import os

from tergeu.errors import InputError


def test_non_utf8_path_in_an_input_error_is_printable() -> None:
    raw = os.fsdecode(b"/seized/" + "отчёт".encode("cp1251") + b".csv")
    exc = InputError("bad row", path=raw, offset=3)
    msg = exc.message("kk")
    msg.encode("utf-8")  # no lone surrogates left
    assert "\\xee\\xf2\\xf7\\xb8\\xf2.csv" in msg and exc.path is not None and exc.path in msg
