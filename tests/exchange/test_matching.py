"""Masking and matching details: cards, flow tables, own exports coming back, normalisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tergeu.exchange.matching import Indicator, match, normalize
from tergeu.iocs.mask import mask_card
from tests.exchange.fixtures import DOMAIN, OFFICER, build_case


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("4400430012345678", "4400 43** **** 5678"),
        ("4400 4300 1234 5678", "4400 43** **** 5678"),
        ("4400-43**-****-5678", "4400 43** **** 5678"),
        ("4400430012345678901", "4400 43** **** ***8 901"),
        ("12345", "*****"),
    ],
)
def test_mask_card(raw: str, masked: str) -> None:
    assert mask_card(raw) == masked


def test_normalize() -> None:
    assert normalize("domain", "Kaspi-Secure-Pay.COM.") == "kaspi-secure-pay.com"
    assert normalize("phone", "8 (701) 123-45-67") == "+77011234567"
    assert normalize("ipv6", "2001:DB8:0:0::1") == "2001:db8::1"
    assert normalize("url", "HTTPS://Example.COM/Path") == "https://example.com/Path"
    assert normalize("iban", "kz86 125k zt50 0410 0100") == "KZ86125KZT5004100100"
    assert normalize("telegram", "@Fake_Support") == "fake_support"


def test_flow_tables_are_searched(tmp_path: Path, db_url: str) -> None:
    import polars as pl
    from sqlalchemy import select

    from tergeu.cases import get_case
    from tergeu.db import Artifact, FindingRow, session_scope

    built = build_case(tmp_path)
    flows = tmp_path / "flows.parquet"
    pl.DataFrame(
        {"src_ip": ["10.0.0.5", "192.0.2.44"], "dst_ip": ["8.8.8.8", "10.0.0.5"], "bytes": [1, 2]}
    ).write_parquet(flows)
    with session_scope() as s:
        case = get_case(s, built.number)
        s.add(Artifact(case_id=case.id, kind="flows", path=str(flows), sha256="0" * 64))
    ind = Indicator("ipv4", "192.0.2.44", source="feed.json", ref_id="indicator--1", producer="CERT-X")
    with session_scope() as s:
        result = match(s, [ind], "stix-indicator", OFFICER)
        rows = list(s.scalars(select(FindingRow).where(FindingRow.analyzer == "exchange")))
    assert result.hits == {built.number: 1}
    assert rows[0].details["matched_in"].startswith("flows flows.parquet")


def test_own_export_matches_other_cases_only(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tergeu.cases import new_case
    from tergeu.cli import app
    from tergeu.db import session_scope
    from tergeu.records import EvidenceRef, Identifier
    from tergeu.results import save_identifiers

    built = build_case(tmp_path)
    with session_scope() as s:
        third = new_case(s, "Phishing site reported by a bank", OFFICER, ["190"])
        save_identifiers(
            s, third, [Identifier("domain", DOMAIN.upper(), DOMAIN, EvidenceRef("bank-letter.pdf"))]
        )
        third_number = third.number
    bundle = tmp_path / "own.json"
    runner = CliRunner()
    assert runner.invoke(app, ["export", "stix", built.number, "--out", str(bundle)]).exit_code == 0
    result = runner.invoke(app, ["import", "stix", str(bundle)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert third_number in result.output and f"{built.number}:" not in result.output
