"""Every reader on real-format fixtures; foreign input refused; bad encodings give warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tergeu.errors import NotMyFormat
from tergeu.messages import readers as R
from tergeu.plugins import registry

DATA = Path(__file__).parents[1] / "data" / "messages"


def test_readers_registered_as_plugins() -> None:
    names = set(registry("tergeu.readers"))
    assert {"whatsapp", "telegram", "sms_xml", "eml", "jsonl", "csv", "text"} <= names


@pytest.mark.parametrize(
    ("name", "first_year", "order"),
    [
        ("chatminer_whatsapp_ddmmyy_24hrs.txt", 2019, (1, 20)),
        ("chatminer_whatsapp_ios_bracket_mmddyy_24hrs.txt", 2019, (1, 20)),
        ("chatminer_whatsapp_mmddyyyy_12hrs.txt", 2019, (1, 20)),
        ("chatminer_whatsapp_yyyymmdd_24hrs.txt", 2019, (1, 20)),
    ],
)
def test_whatsapp_layouts(
    name: str, first_year: int, order: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERGEU_CHAT_TZ", "UTC")
    res = R.WhatsAppReader().read(DATA / name)
    msgs = res.messages
    assert msgs[0].sender == "John Doe" and msgs[0].text == "Lorem ipsum dolor sit amet."
    assert msgs[0].ts is not None and msgs[0].ts.year == first_year
    assert (msgs[1].ts.month, msgs[1].ts.day) == order  # type: ignore[union-attr]
    multi = msgs[2]
    assert multi.sender == "Jahn Doe" and "consectetur" in multi.text
    assert msgs[2].ts.hour == 20  # type: ignore[union-attr]
    assert any(m.attrs.get("system") for m in msgs)
    assert msgs[0].ref.record == "line:1" and msgs[1].ref.offset and msgs[1].ref.offset > 0


def test_whatsapp_refuses_foreign_and_reads_utf16_with_attachment() -> None:
    with pytest.raises(NotMyFormat):
        R.WhatsAppReader().read(DATA / "wcp_not-a-whatsapp-chat.txt")
    res = R.read_messages(DATA / "whatsapp_utf16.txt")
    assert res.reader == "whatsapp"
    assert res.messages[2].sender == "Айгерім"
    assert res.messages[3].attachments == ["IMG-20261211-WA0001.jpg"]
    assert res.messages[0].ts is not None and res.messages[0].ts.day == 11
    assert res.messages[0].ts.hour == 5  # 10:01 in Almaty (UTC+5 since 2024) is 05:01 UTC


def test_telegram_single_and_batch() -> None:
    single = R.TelegramReader().read(DATA / "chatminer_telegram_single_export.json")
    assert [m.sender for m in single.messages] == ["Author 1", "Author 2"]
    assert single.messages[1].text == "Link:https://telegram.org/"
    batch = R.read_messages(DATA / "chatminer_telegram_batch_result.json")
    assert batch.reader == "telegram" and batch.messages[0].conversation == "Chatname"
    assert batch.messages[0].ts is not None and batch.messages[0].ts.year == 2018
    with pytest.raises(NotMyFormat):
        R.TelegramReader().read(DATA / "messages.csv")


def test_sms_backup_xml() -> None:
    res = R.read_messages(DATA / "sms_backup.xml")
    assert res.reader == "sms_xml" and len(res.messages) == 4
    first, sent, otp, mms = res.messages
    assert first.sender == "+77012345678" and first.attrs["direction"] == "received"
    assert sent.sender == "me"
    assert otp.attrs["contact_name"] == "Kaspi"
    assert "новый номер" in mms.text and mms.attachments == ["IMG_0042.jpg"]
    assert first.ts is not None and first.ts.tzinfo is not None


def test_eml_headers() -> None:
    res = R.read_messages(DATA / "phish.eml")
    assert res.reader == "eml"
    m = res.messages[0]
    assert "заблокирована" in m.text and m.attrs["subject"] == "Ваша карта заблокирована"
    assert m.attrs["return_path"] == "<bounce@kaspi-help.ru>"
    assert m.attrs["authentication_results"] == {"spf": "fail", "dkim": "none", "dmarc": "fail"}
    hops = m.attrs["received"]
    assert hops[0]["ips"] == ["185.100.87.41"] and hops[1]["ips"][-1] == "95.56.1.1"
    assert hops[0]["by"] == "mx.example.kz"


def test_csv_and_jsonl_keep_ids_and_warn() -> None:
    csv_res = R.read_messages(DATA / "messages.csv")
    assert csv_res.reader == "csv"
    assert [m.id for m in csv_res.messages] == ["m1", "m2", "m3"]
    assert csv_res.messages[0].sender == "+77012345678"
    js = R.read_messages(DATA / "messages.jsonl")
    assert js.reader == "jsonl"
    assert [m.id for m in js.messages] == ["x-1", "x-2", "3", None]
    assert (
        js.messages[2].text.startswith("Привет!")
        and "<b>" not in js.messages[2].text
        and "&" in js.messages[2].text
    )
    assert len(js.warnings) == 2 and js.warnings[0].record == "line:4"


def test_text_transcript_cp1251_and_empty() -> None:
    res = R.read_messages(DATA / "transcript_cp1251.txt")
    assert res.reader == "text"
    assert res.messages[0].sender == "Оператор" and "служба безопасности" in res.messages[0].text
    assert any(w.code == "encoding" for w in res.warnings)
    empty = R.read_messages(DATA / "empty.txt")
    assert empty.messages == [] and empty.warnings[0].code == "empty"


def test_binary_refused(tmp_path: Path) -> None:
    p = tmp_path / "x.bin"
    p.write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    with pytest.raises(NotMyFormat):
        R.read_messages(p)


def test_json_array_of_messages(tmp_path: Path) -> None:
    p = tmp_path / "batch.json"
    p.write_text(
        '[{"id": 7, "text": "Скажите код из смс"}, {"id": "b", "text": "Мам, купи хлеба"}, 5]',
        encoding="utf-8",
    )
    res = R.read_messages(p)
    assert res.reader == "jsonl"
    assert [m.id for m in res.messages] == ["7", "b"]
    assert res.messages[0].ref.record == "item:1" and res.warnings[0].record == "item:3"
