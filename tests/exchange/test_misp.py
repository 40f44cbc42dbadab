"""MISP event JSON: export loads back in PyMISP with attributes, objects and tags; import matches."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.exchange.fixtures import CARD, DOMAIN, IP, PHONE, SHA256, build_case

runner = CliRunner()


def _cli(*args: str, code: int = 0) -> str:
    from tergeu.cli import app

    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == code, result.output
    return result.output


def test_export_loads_back_in_pymisp(tmp_path: Path) -> None:
    from pymisp import MISPEvent

    built = build_case(tmp_path)
    out = tmp_path / "event.json"
    _cli("export", "misp", built.number, "--tlp", "amber", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert CARD not in text and "4400 43** **** 5678" in text and "900101300123" not in text
    event = MISPEvent()
    event.load_file(str(out))
    assert event.info.startswith(built.number)
    tags = {t.name for t in event.tags}
    assert "tlp:amber" in tags and 'tergeu:criminal-code-rk-article="190"' in tags
    attrs = {(a.type, a.value) for a in event.attributes}
    assert ("ip-dst", IP) in attrs and ("ip-src", IP) in attrs
    objects = {o.name: o for o in event.objects}
    assert {
        "phone",
        "bank-account",
        "coin-address",
        "telegram-account",
        "credit-card",
        "domain-ip",
        "file",
    } <= set(objects)
    domain_ip = objects["domain-ip"]
    assert domain_ip.get_attributes_by_relation("domain")[0].value == DOMAIN
    assert [a.value for a in domain_ip.get_attributes_by_relation("ip")] == ["104.21.3.7"]
    assert objects["file"].get_attributes_by_relation("sha256")[0].value == SHA256
    assert objects["phone"].get_attributes_by_relation("msisdn")[0].value == PHONE
    assert objects["bank-account"].get_attributes_by_relation("iban")[0].value == "KZ86125KZT5004100100"
    # a second export keeps the same UUIDs so MISP updates instead of duplicating
    out2 = tmp_path / "event2.json"
    _cli("export", "misp", built.number, "--out", str(out2))
    assert json.loads(text)["Event"]["uuid"] == json.loads(out2.read_text())["Event"]["uuid"]


def test_import_partner_event(tmp_path: Path, db_url: str) -> None:
    from pymisp import MISPEvent, MISPObject
    from sqlalchemy import select

    from tergeu.db import FindingRow, session_scope

    build_case(tmp_path)
    partner = MISPEvent()
    partner.info = "Partner CERT: vishing campaign"
    partner.add_attribute("domain|ip", f"{DOMAIN}|198.51.100.9")
    partner.add_attribute("iban", "kz86 125k zt50 0410 0100")
    phone = MISPObject("phone", standalone=False)
    phone.add_attribute("msisdn", value="8 (701) 123-45-67")
    partner.add_object(phone)
    partner.add_attribute("ip-src", "not-an-ip")
    feed = tmp_path / "partner.json"
    feed.write_text(json.dumps({"Event": json.loads(partner.to_json())}), encoding="utf-8")
    out = _cli("import", "misp", str(feed))
    assert "not-an-ip" in out
    with session_scope() as s:
        rows = list(s.scalars(select(FindingRow).where(FindingRow.analyzer == "exchange")))
    values = {r.details["value"] for r in rows}
    assert {DOMAIN, "KZ86125KZT5004100100", PHONE} <= values
    assert all(r.method == "misp-attribute" for r in rows)


def test_import_rejects_non_misp(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('[{"foo": 1}]', encoding="utf-8")
    out = _cli("import", "misp", str(bad), code=4)
    assert "x.json" in out and "MISP" in out


def test_load_events_hostile_json(tmp_path: Path) -> None:
    import pytest

    from tergeu.errors import InputError
    from tergeu.exchange.misp import load_events

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_events(deep)
    assert info.value.path == str(deep) and "nested" in info.value.detail
    junk = tmp_path / "junk.json"
    junk.write_bytes(b'{"Event": "\xff\xfe"}')
    with pytest.raises(InputError) as info:
        load_events(junk)
    assert info.value.offset == len('{"Event": "')
