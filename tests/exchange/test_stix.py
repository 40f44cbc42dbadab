"""STIX 2.1 export validates with stix2-validator; import matches partners' indicators against cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.exchange.fixtures import CARD, DOMAIN, IP, PHONE, build_case

runner = CliRunner()


def _cli(*args: str, code: int = 0) -> str:
    from tergeu.cli import app

    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == code, result.output
    return result.output


def test_export_validates_and_holds_everything(tmp_path: Path, db_url: str) -> None:
    from stix2validator import ValidationOptions, validate_file

    built = build_case(tmp_path)
    out = tmp_path / "bundle.json"
    _cli("export", "stix", built.number, "--tlp", "amber", "--out", str(out))
    results = validate_file(str(out), ValidationOptions(version="2.1"))
    assert results.is_valid, [str(e) for r in results.object_results for e in r.errors]
    text = out.read_text(encoding="utf-8")
    bundle = json.loads(text)
    types = {o["type"] for o in bundle["objects"]}
    assert {
        "identity",
        "report",
        "incident",
        "indicator",
        "observed-data",
        "relationship",
        "marking-definition",
    } <= types
    patterns = {o["pattern"] for o in bundle["objects"] if o["type"] == "indicator"}
    assert f"[ipv4-addr:value = '{IP}']" in patterns
    assert f"[domain-name:value = '{DOMAIN}']" in patterns
    assert any(PHONE in p and "x-tergeu-identifier" in p for p in patterns)
    amber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"
    assert all(
        amber in o.get("object_marking_refs", [])
        for o in bundle["objects"]
        if o["type"] != "marking-definition"
    )
    assert CARD not in text and "4400 43** **** 5678" in text
    assert "900101300123" not in text  # IIN is personal data of the RK and is not shared
    nt = [o for o in bundle["objects"] if o["type"] == "network-traffic"]
    assert nt and nt[0]["src_ref"].startswith("ipv4-addr--")
    # re-export gives the same ids (partners update rather than duplicate)
    out2 = tmp_path / "bundle2.json"
    _cli("export", "stix", built.number, "--out", str(out2), "--tlp", "green")
    ids1 = {o["id"] for o in bundle["objects"] if o["type"] == "indicator"}
    ids2 = {o["id"] for o in json.loads(out2.read_text())["objects"] if o["type"] == "indicator"}
    assert ids1 == ids2
    log = _cli("custody", "log", built.number)
    assert "exported" in log


def test_bad_tlp_is_a_clear_error(tmp_path: Path) -> None:
    built = build_case(tmp_path)
    out = _cli("export", "stix", built.number, "--tlp", "purple", "--out", str(tmp_path / "b.json"), code=4)
    assert "purple" in out


def _partner_bundle(path: Path, patterns: list[str]) -> Path:
    import stix2

    ident = stix2.Identity(name="CERT-Partner", identity_class="organization")
    inds = [
        stix2.Indicator(
            pattern=p, pattern_type="stix", name=f"partner {i}", created_by_ref=ident.id, confidence=80
        )
        for i, p in enumerate(patterns)
    ]
    path.write_text(stix2.Bundle(objects=[ident, *inds]).serialize(), encoding="utf-8")
    return path


def test_import_matches_identifiers_findings_and_networks(tmp_path: Path, db_url: str) -> None:
    from sqlalchemy import select

    from tergeu.db import Case, FindingRow, session_scope

    built = build_case(tmp_path)
    feed = _partner_bundle(
        tmp_path / "partner.json",
        [
            f"[domain-name:value = '{DOMAIN.upper()}']",
            "[ipv4-addr:value ISSUBSET '185.220.101.0/24']",
            "[ipv4-addr:value = '10.0.0.5']",  # only seen as a finding's destination
            f"[x-tergeu-identifier:identifier_type = 'phone' AND x-tergeu-identifier:value = '{PHONE}']",
            "[ipv4-addr:value = '203.0.113.77']",  # in no case
        ],
    )
    out = _cli("import", "stix", str(feed))
    assert "5" in out
    with session_scope() as s:
        rows = list(s.scalars(select(FindingRow).where(FindingRow.analyzer == "exchange")))
        by_case = {s.get(Case, r.case_id).number: [] for r in rows}  # type: ignore[union-attr]
        for r in rows:
            by_case[s.get(Case, r.case_id).number].append(r)  # type: ignore[union-attr]
    mine = by_case[built.number]
    values = {r.details["value"] for r in mine}
    assert {DOMAIN, IP, "10.0.0.5", PHONE} <= values and "203.0.113.77" not in values
    assert all(r.refs and r.refs[0]["evidence_id"] for r in mine)
    assert all("CERT-Partner" in r.summary for r in mine)
    assert any("finding #" in r.details["matched_in"] for r in mine)
    assert [r.details["value"] for r in by_case[built.other]] == [PHONE]  # linked case found too
    n = len(rows)
    _cli("import", "stix", str(feed))  # idempotent
    with session_scope() as s:
        assert len(list(s.scalars(select(FindingRow).where(FindingRow.analyzer == "exchange")))) == n


def test_import_bad_inputs(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "bundle", "objects": [', encoding="utf-8")
    out = _cli("import", "stix", str(bad), code=4)
    assert "bad.json" in out and "Traceback" not in out
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    assert "bundle" in _cli("import", "stix", str(other), code=4)
    weird = tmp_path / "weird.json"
    weird.write_text(
        json.dumps(
            {
                "type": "bundle",
                "id": "bundle--1",
                "objects": [
                    {"type": "indicator", "id": "indicator--x", "pattern": "[[[", "pattern_type": "stix"}
                ],
            }
        ),
        encoding="utf-8",
    )
    assert "bad pattern" in _cli("import", "stix", str(weird))


@pytest.mark.parametrize("level", ["clear", "green", "red"])
def test_tlp_levels(tmp_path: Path, level: str) -> None:
    from tergeu.exchange.stix import TLP

    built = build_case(tmp_path)
    out = tmp_path / "b.json"
    _cli("export", "stix", built.number, "--tlp", level, "--out", str(out))
    assert TLP[level].id in out.read_text()


def test_read_bundle_hostile_json(tmp_path: Path) -> None:
    from tergeu.errors import InputError
    from tergeu.exchange.stix import read_bundle

    cases = {
        "deep.json": ("[" * 100_000 + "]" * 100_000, "nested"),
        "objs.json": ('{"type": "bundle", "objects": "x"}', "objects"),
        "ints.json": ("[1, 2]", "bundle"),
    }
    for name, (text, word) in cases.items():
        f = tmp_path / name
        f.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as info:
            read_bundle(f)
        assert info.value.path == str(f) and word in info.value.detail, info.value.detail
    cp = tmp_path / "cp1251.json"
    cp.write_bytes('{"type": "bundle", "objects": [], "x": "Алматы"}'.encode("cp1251"))
    with pytest.raises(InputError) as info:
        read_bundle(cp)
    assert info.value.offset == len('{"type": "bundle", "objects": [], "x": "')
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + b'{"type": "bundle", "id": "bundle--1", "objects": []}')
    assert read_bundle(bom) == []


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    import os
    import signal

    from tergeu.errors import InputError
    from tergeu.exchange.stix import load_json

    path = tmp_path / "bundle.json"
    os.mkfifo(path)
    signal.alarm(20)  # a regression blocks in open(): fail instead
    try:
        with pytest.raises(InputError) as info:
            load_json(path)
    finally:
        signal.alarm(0)
    assert "regular" in info.value.detail
