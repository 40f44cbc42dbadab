"""Extraction from free text: types, refanging, spans into the original text, enrichment."""

from __future__ import annotations

from tergeu.iocs.extract import extract_identifiers, refang
from tergeu.iocs.mask import mask_card, mask_cards_in_text
from tergeu.records import EvidenceRef

REF = EvidenceRef("msg.txt", None, 0, "line:1")


def _by_type(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for i in extract_identifiers(text, REF):
        out.setdefault(i.type, []).append(i.normalized)
        assert i.span is not None
        assert i.attrs.get("holder"), i
    return out


def test_mask_card() -> None:
    assert mask_card("4400431234567894") == "4400 43** **** 7894"
    assert mask_card("4400-4312-3456-7894") == "4400 43** **** 7894"
    assert "1234 56" not in mask_cards_in_text("карта 4400 4312 3456 7894 и номер 1234")


def test_cards_masked_and_luhn_checked() -> None:
    ids = extract_identifiers("Переведите на 4400 4312 3456 7894, не на 4400 4312 3456 7895", REF)
    cards = [i for i in ids if i.type == "card"]
    assert len(cards) == 1
    assert cards[0].value == "4400 43** **** 7894"
    assert cards[0].attrs["brand"] == "Visa"
    assert cards[0].attrs["country"] == "KZ"


def test_phones_kz_vs_ru_and_local_form() -> None:
    ids = extract_identifiers("звоните 8 701 123 45 67 или +7 916 123-45-67, офис 8 (727) 250-12-34", REF)
    phones = {i.normalized: i for i in ids if i.type == "phone"}
    assert phones["+77011234567"].attrs["country"] == "KZ"
    assert phones["+77011234567"].attrs["written"] == "local 8-prefix"
    assert phones["+77011234567"].attrs["operator"]
    assert phones["+79161234567"].attrs["country"] == "RU"
    assert phones["+77272501234"].attrs["line"] == "fixed"


def test_defanged_urls_refanged_with_original_spans() -> None:
    text = "перейдите hxxps://kaspi-bonus[.]kz/login и olx-dostavka(dot)com"
    ids = extract_identifiers(text, REF)
    url = next(i for i in ids if i.type == "url")
    assert url.normalized == "https://kaspi-bonus.kz/login"
    assert url.span is not None
    assert text[url.span[0] : url.span[1]] == "hxxps://kaspi-bonus[.]kz/login"
    assert url.attrs["lookalike"] == "kaspi"
    doms = {i.normalized for i in ids if i.type == "domain"}
    assert {"kaspi-bonus.kz", "olx-dostavka.com"} <= doms
    assert refang("a[.]b")[0] == "a.b"


def test_ip_classes() -> None:
    ids = {
        i.normalized: i
        for i in extract_identifiers("95.56.1.1 10.1.2.3 100.64.0.7 127.0.0.1 2a03:32c0::1 fe80::1", REF)
    }
    assert ids["95.56.1.1"].attrs["class"] == "public"
    assert ids["95.56.1.1"].attrs["country"] == "KZ"
    assert ids["10.1.2.3"].attrs["class"] == "private"
    assert ids["100.64.0.7"].attrs["class"] == "cgnat"
    assert ids["127.0.0.1"].attrs["class"] == "loopback"
    assert ids["2a03:32c0::1"].type == "ipv6"
    assert ids["fe80::1"].attrs["class"] == "link-local"
    assert not _by_type("версия 1.2.3 и время 12:30:45").get("ipv6")


def test_banking_and_wallets() -> None:
    text = (
        "IBAN KZ86 125K ZT50 0410 0100, ИИН 900101300126, ИИН 900101300127, БИН 140440001238, "
        "BTC bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq, ETH 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed, "
        "USDT TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t, TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"
    )
    got = _by_type(text)
    assert got["iban"] == ["KZ86125KZT5004100100"]
    assert got["iin"] == ["900101300126"]
    assert got["bin"] == ["140440001238"]
    assert got["btc"] == ["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"]
    assert got["eth"] == ["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"]
    assert got["tron"] == ["TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"]


def test_emails_telegram_hashes_and_no_file_names() -> None:
    text = (
        "пишите support[at]kaspi-help.ru или @kaspi_support_bot, канал https://t.me/fraud_channel; "
        "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 файл report.py"
    )
    got = _by_type(text)
    assert got["email"] == ["support@kaspi-help.ru"]
    assert set(got["telegram"]) == {"kaspi_support_bot", "fraud_channel"}
    assert got["sha256"] == ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"]
    assert "report.py" not in got.get("domain", [])


def test_bad_text_never_crashes() -> None:
    for text in ["", "🙂" * 1000, "مرحبا بك 8 701 123 45 67", "<b>kaspi.kz</b>", "\x00\x01", "a" * 100000]:
        extract_identifiers(text, REF)


def test_iban_alone_and_dashed_card() -> None:
    assert _by_type("IBAN KZ86 125K ZT50 0410 0100 only")["iban"] == ["KZ86125KZT5004100100"]
    assert _by_type("карта 4400-4312-3456-7894")["card"] == ["4400431234567894"]
