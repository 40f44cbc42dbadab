"""End-to-end through the CLI: flows to Parquet/CSV, scan --json contract, cases (artifact, findings,
custody), files split mid-flow, bad input without tracebacks."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tergeu.cli import app
from tergeu.net.analyze import analyse

S = Path(__file__).parent.parent / "data" / "net" / "samples"
FTP = S / "zeek_ftp_bruteforce.pcap"
runner = CliRunner()


def split_pcap(src: Path, at: int, a: Path, b: Path) -> None:
    """Cut a classic pcap into two valid files after ``at`` records (as tcpdump -C rotation does)."""
    data = src.read_bytes()
    off = 24
    for _ in range(at):
        off += 16 + struct.unpack_from("<I", data, off + 8)[0]
    a.write_bytes(data[:off])
    b.write_bytes(data[:24] + data[off:])


def test_flows_parquet_and_csv(tmp_path: Path) -> None:
    out = tmp_path / "flows.parquet"
    r = runner.invoke(app, ["net", "flows", str(FTP), "--out", str(out)])
    assert r.exit_code == 0, r.output
    df = pl.read_parquet(out)
    assert df.height == 30
    for col in (
        "src",
        "dst",
        "sport",
        "dport",
        "duration",
        "fwd_pkts",
        "bwd_bytes",
        "flow_iat_std",
        "init_win_fwd",
        "active_mean",
        "idle_max",
        "syn_cnt",
        "pkt1",
        "pkt8",
        "first_index",
        "last_index",
    ):
        assert col in df.columns
    row = df.row(0, named=True)
    assert (row["src"], row["dst"], row["dport"]) == ("192.168.56.1", "192.168.56.101", 21)
    assert row["fwd_pkts"] + row["bwd_pkts"] == row["n_packets"] == row["last_index"] - row["first_index"] + 1
    csv = tmp_path / "flows.csv"
    assert runner.invoke(app, ["net", "flows", str(FTP), "--out", str(csv)]).exit_code == 0
    assert pl.read_csv(csv).height == 30


def test_flow_spanning_two_files_is_merged(tmp_path: Path) -> None:
    a, b = tmp_path / "part1.pcap", tmp_path / "part2.pcap"
    split_pcap(FTP, 30, a, b)  # packet 30 is in the middle of the second FTP session
    whole = analyse([FTP]).flows
    parts = analyse([b, a]).flows  # order of arguments does not matter: files are put in time order
    assert parts.height == whole.height == 30
    second = parts.filter(pl.col("first_file") != pl.col("last_file"))
    assert second.height == 1
    assert second["n_packets"][0] == whole.filter(pl.col("sport") == second["sport"][0])["n_packets"][0]


def test_folder_of_rotated_files(tmp_path: Path) -> None:
    d = tmp_path / "rotated"
    d.mkdir()
    split_pcap(FTP, 300, d / "cap-1.pcap", d / "cap-2.pcap")
    (d / "notes.txt").write_text("not a capture")
    out = tmp_path / "f.parquet"
    r = runner.invoke(app, ["net", "flows", str(d), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert pl.read_parquet(out).height == 30
    empty = tmp_path / "empty"
    empty.mkdir()
    r = runner.invoke(app, ["net", "scan", str(empty)])
    assert r.exit_code == 4 and "no pcap" in r.output


def test_scan_json_lines(tmp_path: Path) -> None:
    r = runner.invoke(app, ["net", "scan", str(FTP), "--json"])
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    assert [(x["kind"], x["src"], x["dst"], x["method"]) for x in lines] == [
        ("brute_force", "192.168.56.1", "192.168.56.101", "rule:brute_force_ftp")
    ]
    x = lines[0]
    assert set(x) == {"kind", "src", "dst", "start", "end", "score", "method", "summary", "evidence"}
    assert x["start"].startswith("2014-01-14") or x["start"].startswith("2014-01-13")
    assert x["evidence"]["sessions"] == 30 and x["evidence"]["refs"][0]["offset"] == 24


def test_scan_table_and_bad_inputs(tmp_path: Path) -> None:
    r = runner.invoke(app, ["net", "scan", str(FTP)])
    assert r.exit_code == 0 and "Network findings: 1" in r.stdout
    text = tmp_path / "x.pcap"
    text.write_text("GET / HTTP/1.1\n")
    r = runner.invoke(app, ["net", "scan", str(text)])
    assert r.exit_code == 4 and "x.pcap" in r.output and "Traceback" not in r.output
    empty = tmp_path / "e.pcap"
    empty.write_bytes(b"")
    r = runner.invoke(app, ["net", "flows", str(empty), "--out", str(tmp_path / "f.parquet")])
    assert r.exit_code == 4 and "e.pcap" in r.output and "offset 0" in r.output


def test_truncated_capture_keeps_packets_and_warns(tmp_path: Path) -> None:
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(FTP.read_bytes()[:-30])
    r = runner.invoke(app, ["net", "scan", str(cut), "--json"])
    assert r.exit_code == 0
    assert "cut.pcap" in r.stderr and "ends inside" in r.stderr
    assert json.loads(r.stdout.splitlines()[0])["kind"] == "brute_force"


@pytest.mark.usefixtures("db_url")
def test_case_scan_stores_findings_artifact_custody(tmp_path: Path) -> None:
    from tergeu.cases import get_case, new_case
    from tergeu.db import Artifact, CustodyEntry, FindingRow, ParseWarningRow, session_scope
    from tergeu.evidence import add_evidence

    a, b = tmp_path / "cap" / "part1.pcap", tmp_path / "cap" / "part2.pcap"
    a.parent.mkdir()
    split_pcap(FTP, 300, a, b)
    (tmp_path / "cap" / "cut.pcap").write_bytes(FTP.read_bytes()[:1000])
    with session_scope() as s:
        case = new_case(s, "Net test", "Officer A", ["205"])
        add_evidence(s, case, [a.parent], "Officer A", source="test")
        number = case.number
    r = runner.invoke(app, ["net", "scan", "--case", number, "--by", "Expert B", "--json"])
    assert r.exit_code == 0, r.output
    with session_scope() as s:
        case = get_case(s, number)
        rows = s.scalars(select(FindingRow).where(FindingRow.case_id == case.id)).all()
        assert [(f.kind, f.src) for f in rows] == [("brute_force", "192.168.56.1")]
        assert rows[0].evidence_id is not None and rows[0].refs[0]["evidence_id"] == rows[0].evidence_id
        art = s.scalars(select(Artifact).where(Artifact.case_id == case.id)).one()
        assert art.kind == "net_flows" and len(art.meta["evidence_ids"]) == 3
        flows = pl.read_parquet(art.path)
        assert flows["first_evidence_id"].null_count() == 0
        warns = s.scalars(select(ParseWarningRow).where(ParseWarningRow.case_id == case.id)).all()
        assert any("cut.pcap" in w.message for w in warns)
        entry = s.scalars(
            select(CustodyEntry).where(CustodyEntry.case_id == case.id).order_by(CustodyEntry.seq.desc())
        ).first()
        assert entry is not None and entry.action == "analysed" and entry.actor == "Expert B"
