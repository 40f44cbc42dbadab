"""``tergeu messages scan`` and ``tergeu iocs extract`` end to end, with and without a case."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tergeu.cli import app

DATA = Path(__file__).parents[1] / "data" / "messages"
runner = CliRunner()


def _jsonl(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_scan_jsonl_keeps_ids_and_contract() -> None:
    r = runner.invoke(app, ["messages", "scan", str(DATA / "messages.jsonl"), "--json"])
    assert r.exit_code == 0, r.output
    rows = _jsonl(r.stdout)
    assert [row["id"] for row in rows] == ["x-1", "x-2", 3, "line:6"]  # a numeric id stays a number
    for row in rows:
        assert list(row) == ["id", "verdict", "score", "scheme", "lang", "cues"]
    by = {row["id"]: row for row in rows}
    assert by["x-1"]["verdict"] == "fraud" and by["x-2"]["verdict"] == "legit"


def test_scan_chat_scores_conversations() -> None:
    r = runner.invoke(app, ["messages", "scan", str(DATA / "whatsapp_utf16.txt"), "--json"])
    assert r.exit_code == 0, r.output
    rows = _jsonl(r.stdout)
    conv = [row for row in rows if str(row["id"]).startswith("conversation:")]
    assert conv and conv[0]["verdict"] == "fraud" and conv[0]["lang"] == "kk"


def test_scan_bad_inputs_warn_not_crash(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    big.write_text(("Привет, как дела?\n" * 20000) + "Назовите код из SMS\n", encoding="utf-8")
    files = [DATA / "empty.txt", DATA / "transcript_cp1251.txt", big, tmp_path / "missing.txt"]
    r = runner.invoke(app, ["messages", "scan", *map(str, files)])
    assert r.exit_code == 0, r.output
    assert "empty" in r.output and "missing.txt" in r.output


def test_iocs_extract_json_masks_cards() -> None:
    r = runner.invoke(
        app, ["iocs", "extract", str(DATA / "sms_backup.xml"), str(DATA / "phish.eml"), "--json"]
    )
    assert r.exit_code == 0, r.output
    rows = _jsonl(r.stdout)
    types = {row["type"] for row in rows}
    assert {"phone", "card", "url", "domain", "email", "ipv4"} <= types
    card = next(row for row in rows if row["type"] == "card")
    assert card["value"] == "4400 43** **** 7894" and "4312 3456" not in json.dumps(card)
    assert card["ref"]["record"] == "mms:4"
    received = [row for row in rows if row["attrs"].get("field") == "received"]
    assert {row["normalized"] for row in received} >= {"185.100.87.41", "95.56.1.1"}


def test_case_scan_extract_and_links(tmp_path: Path) -> None:
    from tergeu.cases import new_case
    from tergeu.db import FindingRow, IdentifierRow, session_scope
    from tergeu.evidence import add_evidence

    with session_scope() as s:
        a = new_case(s, "Victim A", "Lt. Test", ["190"])
        b = new_case(s, "Victim B", "Lt. Test", ["190"])
        c = new_case(s, "Unrelated", "Lt. Test", ["190"])
        add_evidence(s, a, [DATA / "sms_backup.xml"], "Lt. Test", source="test")
        numbers = (a.number, b.number, c.number)
    other = tmp_path / "b.txt"
    other.write_text("Скинь на 4400 4312 3456 7894 или звони +7 701 234 56 78\n", encoding="utf-8")
    unrelated = tmp_path / "c.txt"
    unrelated.write_text("Встреча в 10:00\n", encoding="utf-8")
    assert runner.invoke(app, ["messages", "scan", "--case", numbers[0]]).exit_code == 0
    assert runner.invoke(app, ["iocs", "extract", "--case", numbers[0]]).exit_code == 0
    assert runner.invoke(app, ["iocs", "extract", str(other), "--case", numbers[1]]).exit_code == 0
    assert runner.invoke(app, ["iocs", "extract", str(unrelated), "--case", numbers[2]]).exit_code == 0
    # re-running is idempotent
    assert runner.invoke(app, ["iocs", "extract", "--case", numbers[0]]).exit_code == 0
    with session_scope() as s:
        from sqlalchemy import select

        fr = s.scalars(select(FindingRow).where(FindingRow.analyzer == "messages")).all()
        assert any(f.kind == "fraud_message" for f in fr)
        assert all("4312 3456" not in f.summary for f in fr)
        n_ids = len(s.scalars(select(IdentifierRow)).all())
    r = runner.invoke(app, ["links", numbers[1], "--json"])
    assert r.exit_code == 0, r.output
    links = json.loads(r.stdout)
    assert [lk["case"] for lk in links] == [numbers[0]]
    assert links[0]["counts"] == {"card": 1, "phone": 1}  # the SMS sender number is shared too
    assert {x["value"] for x in links[0]["shared"]} == {"4400 43** **** 7894", "+77012345678"}
    r2 = runner.invoke(app, ["links", numbers[2]])
    assert r2.exit_code == 0 and "No other case" in r2.stdout
    runner.invoke(app, ["iocs", "extract", "--case", numbers[0]])
    with session_scope() as s:
        assert len(s.scalars(select(IdentifierRow)).all()) == n_ids
