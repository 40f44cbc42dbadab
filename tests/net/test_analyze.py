"""Flow files are written only in the formats the suffix promises."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tergeu.errors import InputError
from tergeu.net.analyze import write_flows


@pytest.mark.parametrize("name", ["flows.txt", "flows.json", "flows.xlsx"])
def test_unknown_suffix_is_refused_before_writing(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    with pytest.raises(InputError) as info:
        write_flows(pl.DataFrame({"a": [1]}), out)
    assert name in info.value.message() and ".csv" in info.value.detail
    assert not out.exists()


@pytest.mark.parametrize("name", ["flows.parquet", "flows.CSV", "flows.pq"])
def test_known_suffixes(tmp_path: Path, name: str) -> None:
    out = write_flows(pl.DataFrame({"a": [1]}), tmp_path / name)
    back = pl.read_csv(out) if name.lower().endswith(".csv") else pl.read_parquet(out)
    assert back["a"].to_list() == [1]


def test_capture_with_a_non_utf8_name(tmp_path: Path) -> None:
    """A capture copied from Windows media under a CP1251 name is analysed; its name shown as \\xNN."""
    import os
    import shutil

    from tergeu.net.analyze import analyse

    src = Path(__file__).resolve().parents[2] / "src" / "tergeu" / "samples" / "net_lab_attacks.pcap"
    raw = os.path.join(os.fsencode(tmp_path), "дамп".encode("cp1251") + b".pcap")
    shutil.copy(src, raw)
    a = analyse([os.fsdecode(raw)])
    assert a.flows.height > 0
    assert a.flows["first_path"][0].endswith("\\xe4\\xe0\\xec\\xef.pcap")
