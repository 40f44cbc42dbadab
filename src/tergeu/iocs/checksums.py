"""Check-digit algorithms for identifiers: Luhn, mod-97, KZ IIN/BIN, base58check, bech32, EIP-55.

Implemented here on the standard library alone because an invalid check digit is the cheapest
way to drop a false positive, and because no network or extra wheel may be needed at run time.
"""

from __future__ import annotations

import hashlib
from datetime import date

# ---------------------------------------------------------------- Luhn / cards


def luhn_ok(digits: str) -> bool:
    """Payment-card Luhn check (ISO/IEC 7812)."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def card_brand(digits: str) -> str | None:
    """Card scheme from the issuer prefix (ranges published by the schemes)."""
    n = len(digits)
    p2, p3, p4, p6 = int(digits[:2]), int(digits[:3]), int(digits[:4]), int(digits[:6])
    if 2200 <= p4 <= 2204 and n == 16:
        return "Mir"
    if digits[0] == "4" and n in (13, 16, 19):
        return "Visa"
    if (51 <= p2 <= 55 or 222100 <= p6 <= 272099) and n == 16:
        return "Mastercard"
    if p2 in (34, 37) and n == 15:
        return "American Express"
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return "JCB"
    if (p4 == 6011 or p2 == 65 or 644 <= p3 <= 649) and 16 <= n <= 19:
        return "Discover"
    if p2 == 62 and 16 <= n <= 19:
        return "UnionPay"
    if (p2 == 50 or 56 <= p2 <= 69) and 12 <= n <= 19:
        return "Maestro"
    if 300 <= p3 <= 305 or p2 in (36, 38):
        return "Diners Club" if 14 <= n <= 19 else None
    return None


# ---------------------------------------------------------------- IBAN (ISO 13616)

IBAN_LENGTHS = {
    "KZ": 20,
    "RU": 33,
    "UZ": 20,
    "KG": 0,
    "BY": 28,
    "UA": 29,
    "AZ": 28,
    "GE": 22,
    "TR": 26,
    "AE": 23,
    "DE": 22,
    "GB": 22,
    "FR": 27,
    "NL": 18,
    "CH": 21,
    "AT": 20,
    "BE": 16,
    "ES": 24,
    "IT": 27,
    "PL": 28,
    "LT": 20,
    "LV": 21,
    "EE": 20,
    "CY": 28,
    "CZ": 24,
    "SE": 24,
    "FI": 18,
    "NO": 15,
    "DK": 18,
    "IE": 22,
    "PT": 25,
    "LU": 20,
    "MT": 31,
    "GR": 27,
    "HU": 28,
    "RO": 24,
    "BG": 22,
    "SK": 24,
    "SI": 19,
    "HR": 21,
    "RS": 22,
    "MD": 24,
    "AM": 0,
    "IL": 23,
    "SA": 24,
    "QA": 29,
    "KW": 30,
    "BH": 22,
    "JO": 30,
    "LB": 28,
    "EG": 29,
}


def iban_ok(iban: str) -> bool:
    """ISO 13616 mod-97 check plus the country's registered length."""
    iban = iban.replace(" ", "").upper()
    if len(iban) < 15 or not iban[:2].isalpha() or not iban[2:4].isdigit() or not iban.isalnum():
        return False
    want = IBAN_LENGTHS.get(iban[:2])
    if want is not None and want and len(iban) != want:
        return False
    moved = iban[4:] + iban[:4]
    num = "".join(str(int(c, 36)) for c in moved)
    return int(num) % 97 == 1


# ---------------------------------------------------------------- Kazakhstan IIN / BIN

_W1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def kz_check_digit(first11: str) -> int | None:
    """The IIN/BIN control digit (two weight passes mod 11; None when the number cannot be valid)."""
    d = [int(c) for c in first11]
    c = sum(a * b for a, b in zip(d, _W1, strict=True)) % 11
    if c == 10:
        c = sum(a * b for a, b in zip(d, _W2, strict=True)) % 11
        if c == 10:
            return None
    return c


def iin_or_bin(num: str) -> str | None:
    """'iin' (person), 'bin' (legal entity) or None when the 12 digits fail date or check digit."""
    if len(num) != 12 or not num.isdigit():
        return None
    check = kz_check_digit(num[:11])
    if check is None or check != int(num[11]):
        return None
    kind = num[4]
    if kind in "0123":
        century = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}.get(num[6])
        if century is None:
            return None
        try:
            date(century + int(num[:2]), int(num[2:4]), int(num[4:6]))
        except ValueError:
            return None
        return "iin"
    if kind in "456" and 1 <= int(num[2:4]) <= 12 and num[5] in "0123":
        return "bin"
    return None


def iin_details(num: str) -> dict[str, str]:
    """Birth date and sex encoded in an IIN (publicly documented structure)."""
    century = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}[num[6]]
    born = date(century + int(num[:2]), int(num[2:4]), int(num[4:6]))
    return {"born": born.isoformat(), "sex": "male" if num[6] in "135" else "female"}


# ---------------------------------------------------------------- base58check / bech32

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(B58)}


def b58decode_check(s: str) -> bytes | None:
    """Payload of a base58check string (version byte included), None when the checksum fails."""
    n = 0
    for ch in s:
        v = _B58_INDEX.get(ch)
        if v is None:
            return None
        n = n * 58 + v
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(s) - len(s.lstrip("1"))
    raw = b"\x00" * pad + raw
    if len(raw) < 5:
        return None
    body, check = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(body).digest()).digest()[:4] != check:
        return None
    return body


_BECH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32M = 0x2BC830A3


def _polymod(values: list[int]) -> int:
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        b = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((b >> i) & 1) else 0
    return chk


def segwit_ok(addr: str) -> bool:
    """BIP-173/BIP-350 check of a bc1/tb1 address (bech32 for v0, bech32m for v1+)."""
    if addr.lower() != addr and addr.upper() != addr:
        return False
    addr = addr.lower()
    pos = addr.rfind("1")
    if pos < 1 or pos + 7 > len(addr) or len(addr) > 90:
        return False
    hrp, data = addr[:pos], addr[pos + 1 :]
    if hrp not in ("bc", "tb") or any(c not in _BECH for c in data):
        return False
    values = [_BECH.index(c) for c in data]
    const = _polymod([ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp] + values)
    witver = values[0]
    if witver > 16:
        return False
    if (witver == 0 and const != 1) or (witver > 0 and const != _BECH32M):
        return False
    # payload length: v0 must be 20 or 32 bytes
    nbits = (len(values) - 7) * 5
    nbytes = nbits // 8
    if witver == 0 and nbytes not in (20, 32):
        return False
    return 2 <= nbytes <= 40


def btc_kind(addr: str) -> str | None:
    """'p2pkh', 'p2sh', 'segwit' or None for a Bitcoin mainnet/testnet address with a valid checksum."""
    if addr[:3].lower() in ("bc1", "tb1"):
        return "segwit" if segwit_ok(addr) else None
    body = b58decode_check(addr)
    if body is None or len(body) != 21:
        return None
    return {0x00: "p2pkh", 0x05: "p2sh", 0x6F: "p2pkh-testnet", 0xC4: "p2sh-testnet"}.get(body[0])


def tron_ok(addr: str) -> bool:
    """TRON base58check address: version byte 0x41, 21-byte payload."""
    body = b58decode_check(addr)
    return body is not None and len(body) == 21 and body[0] == 0x41


# ---------------------------------------------------------------- Keccak-256 / EIP-55

_RC = (
    0x0000000000000001,
    0x0000000000008082,
    0x800000000000808A,
    0x8000000080008000,
    0x000000000000808B,
    0x0000000080000001,
    0x8000000080008081,
    0x8000000000008009,
    0x000000000000008A,
    0x0000000000000088,
    0x0000000080008009,
    0x000000008000000A,
    0x000000008000808B,
    0x800000000000008B,
    0x8000000000008089,
    0x8000000000008003,
    0x8000000000008002,
    0x8000000000000080,
    0x000000000000800A,
    0x800000008000000A,
    0x8000000080008081,
    0x8000000000008080,
    0x0000000080000001,
    0x8000000080008008,
)
_ROT = (
    (0, 36, 3, 41, 18),
    (1, 44, 10, 45, 2),
    (62, 6, 43, 15, 61),
    (28, 55, 25, 21, 56),
    (27, 20, 39, 8, 14),
)
_M = (1 << 64) - 1


def _rol(x: int, n: int) -> int:
    return ((x << n) | (x >> (64 - n))) & _M if n else x


def _keccak_f(a: list[list[int]]) -> None:
    for rc in _RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rol(c[(x + 1) % 5], 1) for x in range(5)]
        for x in range(5):
            for y in range(5):
                a[x][y] ^= d[x]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = _rol(a[x][y], _ROT[x][y])
        for x in range(5):
            for y in range(5):
                a[x][y] = b[x][y] ^ ((~b[(x + 1) % 5][y]) & b[(x + 2) % 5][y])
        a[0][0] ^= rc


def keccak256(data: bytes) -> bytes:
    """Original Keccak-256 (Ethereum's hash; differs from NIST SHA3-256 only in padding)."""
    rate = 136
    msg = bytearray(data) + b"\x01"
    while len(msg) % rate:
        msg += b"\x00"
    msg[-1] |= 0x80
    a = [[0] * 5 for _ in range(5)]
    for off in range(0, len(msg), rate):
        block = msg[off : off + rate]
        for i in range(rate // 8):
            x, y = i % 5, i // 5
            a[x][y] ^= int.from_bytes(block[8 * i : 8 * i + 8], "little")
        _keccak_f(a)
    out = b"".join(a[i % 5][i // 5].to_bytes(8, "little") for i in range(4))
    return out


def eip55(addr_hex40: str) -> str:
    """The EIP-55 mixed-case checksum form of a 40-hex-digit Ethereum address."""
    low = addr_hex40.lower()
    h = keccak256(low.encode()).hex()
    return "".join(c.upper() if c.isalpha() and int(h[i], 16) >= 8 else c for i, c in enumerate(low))


def eth_status(addr: str) -> str | None:
    """'checksummed' (valid EIP-55), 'unchecksummed' (all one case), None (bad mixed-case checksum)."""
    body = addr[2:]
    if body.lower() == body or body.upper() == body:
        return "unchecksummed"
    return "checksummed" if eip55(body) == body else None
