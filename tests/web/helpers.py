"""Helpers shared by the web tests: a real PNG, form data for a Kazakh statement."""

from __future__ import annotations

import struct
import zlib


def png(width: int = 4, height: int = 3, pad: int = 0) -> bytes:
    """A valid RGB PNG; ``pad`` adds an ancillary text chunk to make it larger."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + bytes([200, 30, 30]) * width for _ in range(height))
    body = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    if pad:
        body += chunk(b"tEXt", b"Comment\x00" + b"x" * pad)
    body += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


KK_FORM = {
    "victim_name": "Әлия Нұрланқызы Серікова",
    "victim_iin": "900101400003",
    "victim_phone": "+7 701 555 12 34",
    "channel": "call",
    "happened_at": "2026-11-20T14:05",
    "description": "Банктің қауіпсіздік қызметі атынан қоңырау шалып, SMS-код сұрады. Кодты айттым, ақша шешілді.",
    "suspect_type": ["phone", "card", "iban"],
    "suspect_value": ["+7 705 123 45 67", "", ""],
    "tx_time": ["2026-11-20T14:20", "", ""],
    "tx_amount": ["185 000", "", ""],
    "tx_bank": ["Kaspi", "", ""],
    "tx_recipient": ["4400 4301 2345 6789", "", ""],
    "messages": "Сіздің картаңыз бұғатталды. Кодты жіберіңіз.",
    "confirm_truth": "yes",
}
