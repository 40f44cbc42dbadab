"""Unit tests of the request-level protections: sniffing, file names, rate limiting, IIN check."""

from __future__ import annotations

import pytest

from tergeu.web import security
from tergeu.web.analysis import mask, normalize_identifier
from tergeu.web.portal import iin_valid
from tests.web.helpers import png


@pytest.mark.parametrize(
    ("head", "name", "kind"),
    [
        (png(), "a.png", "image/png"),
        (png(), "a.PNG", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "photo.jpeg", "image/jpeg"),
        (b"%PDF-1.7\n", "receipt.pdf", "application/pdf"),
        (b"PK\x03\x04\x14\x00", "WhatsApp Chat.zip", "application/zip"),
        (b"OggS\x00\x02", "voice.opus", "audio/ogg"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "s.webp", "image/webp"),
        ("Сәлем, кодты айтыңыз".encode(), "chat.txt", "text/plain"),
        ("Привет".encode("cp1251"), "sms.csv", "text/plain"),
        ("\ufeffhi".encode("utf-16"), "export.txt", "text/plain"),
    ],
)
def test_accepted_types(head: bytes, name: str, kind: str) -> None:
    found = security.sniff(head, name)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    ("head", "name"),
    [
        (b"MZ\x90\x00", "setup.exe"),
        (b"MZ\x90\x00", "setup.png"),  # a program calling itself a picture
        (png(), "a.pdf"),  # content and name disagree
        (b"\x7fELF\x02\x01", "notes.txt"),
        (b"<html><script>", "page.svg"),
        (b"", "empty.txt"),
        (b"text", "noextension"),
    ],
)
def test_refused_types(head: bytes, name: str) -> None:
    assert security.sniff(head, name) is None


def test_utf8_cut_in_the_middle_of_a_letter_is_still_text() -> None:
    data = "ә".encode() * 3000
    assert security.sniff(data[:4095], "chat.txt") is not None


def test_safe_filename() -> None:
    assert security.safe_filename("../../etc/passwd") == "passwd"
    assert security.safe_filename("C:\\Users\\me\\скриншот 1.png") == "скриншот 1.png"
    assert security.safe_filename('a<b>:"|?*.txt\x00') == "ab.txt"
    assert security.safe_filename("...") == "upload"


def test_rate_limiter_window() -> None:
    limiter = security.RateLimiter(2, window=0.2)
    assert [limiter.allow("a") for _ in range(3)] == [True, True, False]
    assert limiter.allow("b")
    import time

    time.sleep(0.25)
    assert limiter.allow("a")


def test_csrf_compare() -> None:
    token = security.new_csrf()
    assert security.csrf_ok(token, token)
    assert not security.csrf_ok(token, token[:-1] + "x")
    assert not security.csrf_ok(None, None) and not security.csrf_ok("", "")


@pytest.mark.parametrize(
    ("iin", "ok"),
    [
        ("900101400003", True),
        ("900101400009", False),
        ("901301400003", False),
        ("90010140000", False),
        ("90010140000a", False),
        ("000229500000", False),
    ],
)
def test_iin(iin: str, ok: bool) -> None:
    assert iin_valid(iin) is ok


def test_typed_identifiers_are_normalised_and_checked() -> None:
    assert normalize_identifier("phone", "8 (705) 123-45-67") == ("+77051234567", True)
    assert normalize_identifier("card", "4400 4301 2345 6789") == ("4400430123456789", True)
    assert normalize_identifier("card", "4400 4301 2345 6788")[1] is False
    assert normalize_identifier("iban", "kz86 125k zt50 0410 0100") == ("KZ86125KZT5004100100", True)
    assert normalize_identifier("iban", "KZ87125KZT5004100100")[1] is False
    assert normalize_identifier("telegram", "@Kaspi_Support_Bot") == ("kaspi_support_bot", True)
    assert mask("card", "4400430123456789") == "4400 43** **** 6789"
