"""Validators against published valid numbers and their one-digit corruptions."""

from __future__ import annotations

import pytest

from tergeu.iocs import checksums as ck


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4111111111111111", "Visa"),
        ("5555555555554444", "Mastercard"),
        ("378282246310005", "American Express"),
        ("4400431234567894", "Visa"),
        ("2200123456789019", "Mir"),
        ("6011111111111117", "Discover"),
    ],
)
def test_luhn_and_brand(number: str, brand: str) -> None:
    assert ck.luhn_ok(number)
    assert ck.card_brand(number) == brand
    broken = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not ck.luhn_ok(broken)


def test_iban_mod97() -> None:
    assert ck.iban_ok("KZ86125KZT5004100100")
    assert ck.iban_ok("GB82 WEST 1234 5698 7654 32")
    assert not ck.iban_ok("KZ86125KZT5004100101")
    assert not ck.iban_ok("KZ86125KZT500410010")  # wrong length for KZ


@pytest.mark.parametrize("iin", ["900101300126", "851231400567", "040205500123"])
def test_iin_valid_and_corrupted(iin: str) -> None:
    assert ck.iin_or_bin(iin) == "iin"
    assert ck.iin_or_bin(iin[:-1] + str((int(iin[-1]) + 1) % 10)) is None


def test_iin_details_and_bin() -> None:
    assert ck.iin_details("900101300126") == {"born": "1990-01-01", "sex": "male"}
    assert ck.iin_details("851231400567")["sex"] == "female"
    assert ck.iin_or_bin("140440001238") == "bin"
    assert ck.iin_or_bin("140440001239") is None
    # right check digit is impossible when the date is impossible
    assert ck.iin_or_bin("901301300120") is None


def test_bitcoin() -> None:
    assert ck.btc_kind("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa") == "p2pkh"
    assert ck.btc_kind("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy") == "p2sh"
    assert ck.btc_kind("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq") == "segwit"
    assert ck.btc_kind("bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297") == "segwit"
    assert ck.btc_kind("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb") is None
    assert ck.btc_kind("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx") is None


def test_keccak_and_eip55() -> None:
    assert ck.keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    good = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    assert ck.eth_status(good) == "checksummed"
    assert ck.eth_status(good.lower()) == "unchecksummed"
    assert ck.eth_status(good[:-1] + "D") is None


def test_tron() -> None:
    assert ck.tron_ok("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
    assert not ck.tron_ok("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u")
    assert not ck.tron_ok("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
