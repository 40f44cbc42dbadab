"""Identifier extraction: find, validate, normalise and enrich identifiers in free text.

Every candidate passes its real check (Luhn, mod-97, IIN/BIN control digit, base58check, bech32,
EIP-55, numbering plan) before it is reported, because a false identifier sends an investigator
to a bank or operator with a request that wastes weeks. Defanged forms (``hxxp``, ``[.]``,
``(dot)``, ``[at]``) are refanged first; spans always point into the original text.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tergeu.iocs import checksums as ck
from tergeu.iocs.trace import enrich
from tergeu.records import EvidenceRef, Identifier

TYPES = (
    "url",
    "domain",
    "email",
    "ipv4",
    "ipv6",
    "phone",
    "card",
    "iban",
    "iin",
    "bin",
    "btc",
    "eth",
    "tron",
    "md5",
    "sha1",
    "sha256",
    "telegram",
)

_DEFANG = re.compile(
    r"hxxps?|hXXps?|fxp|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\s\[dot\]\s|\[:\]|\[://\]|"
    r"\[at\]|\(at\)|\[@\]|\{at\}",
    re.IGNORECASE,
)


def refang(text: str) -> tuple[str, list[int], list[int]]:
    """Refanged text plus, for each output character, the original start and end offsets."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    if _DEFANG.search(text) is None:
        return text, [], []
    for m in _DEFANG.finditer(text):
        for i in range(pos, m.start()):
            out.append(text[i])
            starts.append(i)
            ends.append(i + 1)
        tok = m.group(0).lower().strip()
        if tok.startswith("hxxp"):
            rep = "http" + tok[4:]
        elif tok == "fxp":
            rep = "ftp"
        elif "dot" in tok or "." in tok:
            rep = "."
        elif tok in ("[:]",):
            rep = ":"
        elif tok == "[://]":
            rep = "://"
        else:
            rep = "@"
        for ch in rep:
            out.append(ch)
            starts.append(m.start())
            ends.append(m.end())
        pos = m.end()
    for i in range(pos, len(text)):
        out.append(text[i])
        starts.append(i)
        ends.append(i + 1)
    return "".join(out), starts, ends


@cache
def tlds() -> frozenset[str]:
    """Known top-level domains: every ISO country code plus common generic and IDN ones."""
    import phonenumbers

    cc = {r.lower() for r in phonenumbers.SUPPORTED_REGIONS} | {"uk", "eu", "su", "ac"}
    generic = [
        "com",
        "net",
        "org",
        "info",
        "biz",
        "gov",
        "edu",
        "mil",
        "int",
        "io",
        "co",
        "app",
        "dev",
        "xyz",
        "top",
        "site",
        "online",
        "shop",
        "store",
        "club",
        "live",
        "pro",
        "me",
        "tv",
        "cc",
        "ws",
        "name",
        "mobi",
        "tech",
        "space",
        "website",
        "icu",
        "buzz",
        "fun",
        "link",
        "click",
        "cloud",
        "host",
        "press",
        "world",
        "today",
        "news",
        "email",
        "digital",
        "network",
        "finance",
        "bank",
        "money",
        "cash",
        "pay",
        "market",
        "services",
        "support",
        "help",
        "center",
        "company",
        "group",
        "global",
        "life",
        "one",
        "vip",
        "win",
        "bet",
        "casino",
        "loan",
        "work",
        "jobs",
        "agency",
        "tel",
        "asia",
        "trade",
        "review",
        "science",
        "party",
        "stream",
        "download",
        "racing",
        "date",
        "men",
        "cyou",
        "sbs",
        "monster",
        "rest",
        "bond",
        "lol",
        "рф",
        "қаз",
        "рус",
        "укр",
        "бел",
        "срб",
        "мкд",
        "онлайн",
        "сайт",
        "xn--p1ai",
        "xn--80ao21a",
        "xn--p1acf",
    ]
    return frozenset(cc | set(generic))


# Extensions that are also country codes: a bare "report.py" is a file, not a domain.
_FILE_EXT = frozenset(
    ["py", "sh", "md", "pl", "rs", "so", "ps", "js", "cs", "ai", "am", "mp", "ba", "ax", "gg", "im", "in"]
)

_URL = re.compile(r"(?<![\w@])(?:(?:https?|ftp)://|www\.)[^\s<>\"'`{}|\\^\[\]«»]+", re.IGNORECASE)
_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9\u0400-\u04ff-]{1,63}\.){1,8}"
    r"[A-Za-z\u0400-\u04ff]{2,24}(?![\w-])"
)
_DOMAIN = re.compile(
    r"(?<![\w@.\-/])(?:[a-z0-9\u0400-\u04ff](?:[a-z0-9\u0400-\u04ff-]{0,61}[a-z0-9\u0400-\u04ff])?\.){1,8}"
    r"(?:xn--[a-z0-9-]{2,59}|[a-z\u0400-\u04ff]{2,24})(?![\w-])\.?",
    re.IGNORECASE,
)
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)")
_IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![\w:])", re.I
)
_ETH = re.compile(r"(?<![\w])0x[0-9a-fA-F]{40}(?![\w])")
_BTC = re.compile(
    r"(?<![\w])(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[02-9ac-hj-np-z]{11,71}|BC1[02-9AC-HJ-NP-Z]{11,71})(?![\w])"
)
_TRON = re.compile(r"(?<![\w])T[1-9A-HJ-NP-Za-km-z]{33}(?![\w])")
_HEX = re.compile(r"(?<![\w])(?:[0-9a-fA-F]{64}|[0-9a-fA-F]{40}|[0-9a-fA-F]{32})(?![\w])")
_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?![\w])", re.I)
_CARD = re.compile(r"(?<![\d\-.,])(?:\d[ \-]?){12,18}\d(?![\d])")
_DIGITS12 = re.compile(r"(?<![\d])\d{12}(?![\d])")
_TG = re.compile(r"(?<![\w@.])@([A-Za-z][A-Za-z0-9_]{3,31})(?![\w@])")
_TG_URL_PATH = re.compile(r"^/(?:s/)?([A-Za-z][A-Za-z0-9_]{3,31})(?:/|$)")


class _Collector:
    """Collects identifiers from the refanged text, refusing overlaps with earlier (stronger) ones."""

    def __init__(self, original: str, ref: EvidenceRef) -> None:
        self.original = original
        self.text, self.starts, self.ends = refang(original)
        self.ref = ref
        self.taken: list[tuple[int, int]] = []
        self.claimed = bytearray(len(self.text))
        self.out: list[Identifier] = []
        self.seen: set[tuple[str, str, int]] = set()

    def orig(self, s: int, e: int) -> tuple[int, int]:
        """Span in the original (defanged) text of span ``s:e`` of the refanged text."""
        if not self.starts:
            return s, e
        return self.starts[s], self.ends[e - 1]

    def free(self, s: int, e: int) -> bool:
        return not any(self.claimed[s:e])

    def add(
        self,
        kind: str,
        s: int,
        e: int,
        normalized: str,
        valid: bool = True,
        attrs: dict[str, Any] | None = None,
        claim: bool = True,
    ) -> None:
        os_, oe = self.orig(s, e)
        key = (kind, normalized, os_)
        if key in self.seen:
            return
        self.seen.add(key)
        if claim:
            self.taken.append((s, e))
            self.claimed[s:e] = b"\x01" * (e - s)
        a = enrich(kind, normalized)
        if attrs:
            a.update(attrs)
        value = self.original[os_:oe]
        if kind == "card":
            value = a["masked"]
        self.out.append(Identifier(kind, value, normalized, self.ref, valid, (os_, oe), a))


def _strip_url(u: str) -> str:
    u = u.rstrip(".,;:!?'\")»”’")
    if u.endswith(")") and u.count("(") < u.count(")"):
        u = u[:-1]
    return u


def _norm_url(u: str) -> str | None:
    if u.lower().startswith("www."):
        u = "http://" + u
    try:
        parts = urlsplit(u)
        host = parts.hostname
    except ValueError:
        return None
    if not host or ("." not in host and not _is_ip(host)):
        return None
    if not _is_ip(host) and host.rsplit(".", 1)[-1].lower() not in tlds():
        return None
    netloc = parts.netloc
    at = netloc.rfind("@")
    netloc = netloc[: at + 1] + netloc[at + 1 :].lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


def _domain_ok(d: str, strict: bool) -> bool:
    d = d.lower().rstrip(".")
    labels = d.split(".")
    if len(labels) < 2 or any(not lab or len(lab) > 63 for lab in labels):
        return False
    tld = labels[-1]
    if tld not in tlds():
        return False
    if strict and tld in _FILE_EXT and len(labels) == 2:
        return False
    return not labels[0].isdigit() or len(labels) > 2


def _urls(c: _Collector) -> None:
    for m in _URL.finditer(c.text):
        raw = _strip_url(m.group(0))
        norm = _norm_url(raw)
        if not norm:
            continue
        s, e = m.start(), m.start() + len(raw)
        c.add("url", s, e, norm)
        parts = urlsplit(norm)
        host = parts.hostname or ""
        hs = c.text.lower().find(host, s, e)
        if hs >= 0 and not _is_ip(host):
            c.add("domain", hs, hs + len(host), host, claim=False)
        elif hs >= 0:
            _ip_at(c, hs, hs + len(host), host)
        if host in ("t.me", "telegram.me"):
            tm = _TG_URL_PATH.match(parts.path)
            if tm and tm.group(1).lower() not in ("joinchat", "share", "addstickers", "proxy", "iv"):
                c.add("telegram", s, e, tm.group(1).lower(), claim=False)


def _ip_at(c: _Collector, s: int, e: int, text: str) -> None:
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return
    c.add("ipv4" if ip.version == 4 else "ipv6", s, e, ip.compressed, claim=False)


def _emails(c: _Collector) -> None:
    if "@" not in c.text:
        return
    for m in _EMAIL.finditer(c.text):
        if not c.free(m.start(), m.end()):
            continue
        addr = m.group(0)
        dom = addr.rsplit("@", 1)[1].lower()
        if not _domain_ok(dom, strict=False):
            continue
        c.add("email", m.start(), m.end(), addr.lower())


def _wallets_and_hashes(c: _Collector) -> None:
    for m in _ETH.finditer(c.text) if "0x" in c.text else ():
        st = ck.eth_status(m.group(0))
        attrs = {"checksum": st or "bad"}
        c.add("eth", m.start(), m.end(), m.group(0).lower(), valid=st is not None, attrs=attrs)
    for m in _BTC.finditer(c.text):
        if not c.free(m.start(), m.end()):
            continue
        kind = ck.btc_kind(m.group(0))
        if kind:
            norm = m.group(0).lower() if m.group(0)[:3].lower() == "bc1" else m.group(0)
            c.add("btc", m.start(), m.end(), norm, attrs={"address_type": kind})
    for m in _TRON.finditer(c.text):
        if c.free(m.start(), m.end()) and ck.tron_ok(m.group(0)):
            c.add("tron", m.start(), m.end(), m.group(0))
    for m in _HEX.finditer(c.text):
        h = m.group(0)
        if not c.free(m.start(), m.end()):
            continue
        if not (re.search(r"[a-fA-F]", h) and re.search(r"\d", h)):
            continue
        kind = {32: "md5", 40: "sha1", 64: "sha256"}[len(h)]
        c.add(kind, m.start(), m.end(), h.lower())


_IBAN_HINT = re.compile(r"[A-Za-z]{2}\d{2}")
_LONG_DIGITS = re.compile(r"\d[\d \-]{11}")


def _banking(c: _Collector) -> None:
    for m in _IBAN.finditer(c.text) if _IBAN_HINT.search(c.text) else ():
        raw = m.group(0)
        compact = raw.replace(" ", "").upper()
        # greedy grouping may swallow a following word: try shrinking to a valid IBAN
        for cut in range(len(compact), 14, -1):
            cand = compact[:cut]
            if ck.iban_ok(cand):
                # map the cut back onto the raw span (spaces included)
                n = 0
                end = m.start()
                for i, ch in enumerate(raw):
                    if ch != " ":
                        n += 1
                    if n == cut:
                        end = m.start() + i + 1
                        break
                if c.free(m.start(), end):
                    c.add("iban", m.start(), end, cand)
                break
    if _LONG_DIGITS.search(c.text) is None:
        return  # cards, IIN and BIN all have at least 12 digits in a run
    for m in _CARD.finditer(c.text):
        raw = m.group(0).rstrip(" -")
        digits = re.sub(r"\D", "", raw)
        seps = set(re.findall(r"[ \-]", raw))
        if len(seps) > 1 or not 13 <= len(digits) <= 19:
            continue
        if not c.free(m.start(), m.start() + len(raw)):
            continue
        if ck.luhn_ok(digits) and ck.card_brand(digits) and len(set(digits)) > 2:
            c.add("card", m.start(), m.start() + len(raw), digits)
    for m in _DIGITS12.finditer(c.text):
        if not c.free(m.start(), m.end()):
            continue
        kind = ck.iin_or_bin(m.group(0))
        if kind:
            c.add(kind, m.start(), m.end(), m.group(0))


def _ips(c: _Collector) -> None:
    for m in _IPV4.finditer(c.text):
        if c.free(m.start(), m.end()):
            try:
                ip = ipaddress.IPv4Address(m.group(0))
            except ValueError:
                continue
            c.add("ipv4", m.start(), m.end(), str(ip))
    if ":" in c.text:
        for m in _IPV6.finditer(c.text):
            cand = m.group(0)
            if (
                cand.count(":") < 2
                or not c.free(m.start(), m.end())
                or not re.search(r"[0-9a-f]", cand, re.I)
            ):
                continue
            try:
                ip6 = ipaddress.IPv6Address(cand)
            except ValueError:
                continue
            if "::" not in cand and cand.count(":") != 7 and "." not in cand:
                continue
            c.add("ipv6", m.start(), m.end(), ip6.compressed)


_DIGIT = re.compile(r"\d")
_PHONE_CAND = re.compile(r"(?<![\w.:/])\+?\(?\d[\d\s().\-]{5,22}\d(?![\w])")


def _phones(c: _Collector) -> None:
    """Phone numbers, with the (slow) libphonenumber matcher run only on digit runs nobody claimed."""
    if not any(ch.isdigit() for ch in c.text):
        return
    import phonenumbers

    masked = c.text
    if c.taken:
        pieces, pos = [], 0
        for a, b in sorted(c.taken):
            if a >= pos:
                pieces += [c.text[pos:a], " " * (b - a)]
                pos = b
            elif b > pos:
                pieces.append(" " * (b - pos))
                pos = b
        pieces.append(c.text[pos:])
        masked = "".join(pieces)
    if not any(len(_DIGIT.findall(m.group(0))) >= 7 for m in _PHONE_CAND.finditer(masked)):
        return
    for match in phonenumbers.PhoneNumberMatcher(masked, "KZ", leniency=phonenumbers.Leniency.VALID):
        _phone_match(c, match, 0)


def _phone_match(c: _Collector, match: Any, lo: int) -> None:
    import phonenumbers

    s, e = match.start + lo, match.end + lo
    if not c.free(s, e):
        return
    num = match.number
    e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    local = match.raw_string.lstrip().startswith("8") and num.country_code == 7
    c.add("phone", s, e, e164, attrs={"written": "local 8-prefix" if local else "international"})


def _domains(c: _Collector) -> None:
    for m in _DOMAIN.finditer(c.text):
        d = m.group(0).rstrip(".")
        if not c.free(m.start(), m.start() + len(d)):
            continue
        a, b = c.orig(m.start(), m.start() + len(d))
        defanged = b - a != len(d)
        if _domain_ok(d, strict=not defanged):
            c.add("domain", m.start(), m.start() + len(d), d.lower())


def _telegram(c: _Collector) -> None:
    if "@" not in c.text:
        return
    for m in _TG.finditer(c.text):
        if c.free(m.start(), m.end()):
            c.add("telegram", m.start(), m.end(), m.group(1).lower())


_STEPS: tuple[Callable[[_Collector], None], ...] = (
    _urls,
    _emails,
    _wallets_and_hashes,
    _banking,
    _ips,
    _phones,
    _domains,
    _telegram,
)


def extract_identifiers(text: str, ref: EvidenceRef) -> list[Identifier]:
    """All validated identifiers in ``text``, ordered by position; spans index the original text."""
    if not text:
        return []
    c = _Collector(text, ref)
    for step in _STEPS:
        step(c)
    c.out.sort(key=lambda i: (i.span or (0, 0))[0])
    return c.out
