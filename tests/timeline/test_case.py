"""Case workflow: build through the executor, show, export (4 formats), check and Sigma stored as findings."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tergeu.cli import app
from tergeu.db import CustodyEntry, EventRow, FindingRow, session_scope

DATA = Path(__file__).parents[1] / "data" / "timeline"
runner = CliRunner()


@pytest.fixture
def case_number(tmp_path: Path, db_url: str) -> str:
    from tergeu.cases import new_case
    from tergeu.evidence import add_evidence

    src = tmp_path / "seized"
    src.mkdir()
    for name in (
        "crowdsec_ssh-bf.log",
        "mitre_ID4616-system-time-changed.evtx",
        "plaso_firefox_places.sqlite",
    ):
        shutil.copy2(DATA / name, src / name)
    (src / "auth.log").write_bytes((DATA / "crowdsec_sshd-logs.log").read_bytes())
    with session_scope() as s:
        case = new_case(s, "timeline test", "Lt. Test", ["190"])
        add_evidence(s, case, [src], "Lt. Test", note="tz=Asia/Almaty")
        return case.number


def test_build_show_export_check_sigma(case_number: str, tmp_path: Path) -> None:
    r = runner.invoke(app, ["timeline", "build", case_number, "--by", "Lt. Test"])
    assert r.exit_code == 0, r.output
    with session_scope() as s:
        rows = list(s.scalars(select(EventRow)))
        assert {"auth", "evtx", "browser", "fs"} <= {x.source for x in rows}
        auth = [x for x in rows if x.source == "auth"]
        assert auth and sum(x.tz == "Asia/Almaty" for x in auth) == len(auth) - 1  # one line states +01:00
        assert any(x.tz == "+01:00" for x in auth)
        assert any(x.record == "19620793" for x in rows)
    again = runner.invoke(app, ["timeline", "build", case_number, "--by", "Lt. Test"])
    assert again.exit_code == 0
    with session_scope() as s:
        assert len(list(s.scalars(select(EventRow)))) == len(rows)  # rebuild replaces, never duplicates

    r = runner.invoke(
        app, ["timeline", "show", case_number, "--json", "--source", "evtx", "--display-tz", "Asia/Almaty"]
    )
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert (len(lines) == 8 and lines[0]["display_time"].endswith("+06:00")) or lines[0][
        "display_time"
    ].endswith("+05:00")
    r = runner.invoke(app, ["timeline", "show", case_number, "--json", "--grep", "powershell"])
    assert r.stdout.strip()

    for fmt in ("jsonl", "csv", "l2tcsv", "parquet"):
        out = tmp_path / f"tl.{fmt}"
        r = runner.invoke(
            app, ["timeline", "export", case_number, "--format", fmt, "--out", str(out), "--by", "Lt. Test"]
        )
        assert r.exit_code == 0, r.output
        assert out.stat().st_size > 0
    first = json.loads((tmp_path / "tl.jsonl").read_text().splitlines()[0])
    assert {"message", "datetime", "timestamp", "timestamp_desc"} <= set(first)
    with open(tmp_path / "tl.l2tcsv", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[:4] == ["date", "time", "timezone", "MACB"] and len(header) == 17
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "tl.parquet").num_rows == len(rows)

    r = runner.invoke(app, ["timeline", "check", case_number, "--json", "--by", "Lt. Test"])
    assert r.exit_code == 0, r.output
    kinds = {json.loads(x)["kind"] for x in r.stdout.splitlines()}
    assert {"clock_change", "time_backwards"} <= kinds
    r = runner.invoke(app, ["timeline", "sigma", case_number, "--by", "Lt. Test"])
    assert r.exit_code == 0, r.output
    with session_scope() as s:
        analyzers = {f.analyzer for f in s.scalars(select(FindingRow))}
        assert {"timeline.check", "timeline.sigma"} <= analyzers
        actions = [e.action for e in s.scalars(select(CustodyEntry))]
        assert actions.count("analysed") >= 4 and "exported" in actions


def test_loose_files_form(tmp_path: Path) -> None:
    r = runner.invoke(app, ["timeline", str(DATA / "crowdsec_ssh-bf.log"), "--json", "--year", "2024"])
    assert r.exit_code == 0, r.output
    assert len(r.stdout.splitlines()) == 6
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01" * 100)
    r = runner.invoke(app, ["timeline", "files", str(junk)])
    assert r.exit_code == 0 and "Traceback" not in r.output
    r = runner.invoke(app, ["timeline", str(tmp_path / "missing.log")])
    assert r.exit_code != 0 and "Traceback" not in r.output


def test_generic_mapping_from_cli(tmp_path: Path) -> None:
    c = tmp_path / "ops.csv"
    c.write_text("when;what\n01.05.2024 10:00;вход в банк-клиент\n", encoding="utf-8")
    r = runner.invoke(
        app,
        [
            "timeline",
            str(c),
            "--json",
            "--parser",
            "generic",
            "--tz",
            "Asia/Almaty",
            "--map",
            "time=when,message=what,fmt=%d.%m.%Y %H:%M",
        ],
    )
    assert r.exit_code == 0, r.output
    ev = json.loads(r.stdout.splitlines()[0])
    assert ev["ts"] == "2024-05-01T05:00:00Z" and ev["source_tz"] == "Asia/Almaty" and "банк" in ev["message"]
