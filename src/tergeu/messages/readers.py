"""Message readers (``tergeu.readers`` plugins): chats, SMS, e-mail and plain text into :class:`Message`.

Each reader sniffs the head of a file and refuses foreign input with :class:`NotMyFormat`, so
:func:`read_messages` can try the specific formats first and fall back to plain text. Broken
lines, odd encodings (CP1251, UTF-16) and truncated records become :class:`ParseWarning` s with
an offset; the readable messages are always kept.
"""

from __future__ import annotations

import csv
import email
import email.policy
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, ClassVar

from tergeu.errors import EvidenceUnreadable, NotMyFormat
from tergeu.messages.types import Message
from tergeu.plugins import Plugin, read_head
from tergeu.records import EvidenceRef, ParseWarning

MAX_MESSAGE_CHARS = 20_000


# ---------------------------------------------------------------- decoding


def decode(data: bytes, path: str, warnings: list[ParseWarning]) -> tuple[str, str]:
    """Text and encoding of ``data``: BOMs first, then UTF-8, then CP1251 (recorded as a warning)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if len(data) >= 4 and data[1] == 0 and data[3] == 0 and data[0] != 0:
        return data.decode("utf-16-le", errors="replace"), "utf-16-le"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    high = sum(1 for b in data[:65536] if b >= 0xC0)
    if high:
        warnings.append(
            ParseWarning(path, "not valid UTF-8; decoded as CP1251", offset=bad_at, code="encoding")
        )
        return data.decode("cp1251", errors="replace"), "cp1251"
    warnings.append(ParseWarning(path, "invalid UTF-8 bytes replaced", offset=bad_at, code="encoding"))
    return data.decode("utf-8", errors="replace"), "utf-8"


def _read_text(path: Path, warnings: list[ParseWarning]) -> tuple[str, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EvidenceUnreadable(str(exc), path=str(path)) from exc
    if not data.strip():
        warnings.append(ParseWarning(str(path), "empty file", code="empty"))
    return decode(data, str(path), warnings)


_TAG = re.compile(r"<[^>]{1,400}>")


def clean_text(text: str) -> str:
    """Message text as a person reads it: HTML tags stripped, entities decoded, length capped."""
    if "<" in text and _TAG.search(text):
        text = _TAG.sub(" ", re.sub(r"(?i)<br\s*/?>", "\n", text))
        text = re.sub(r"[ \t]{2,}", " ", text).strip()
    if "&" in text:
        text = html.unescape(text)
    return text[:MAX_MESSAGE_CHARS]


class ReaderResult:
    """Messages plus warnings from one file."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.warnings: list[ParseWarning] = []
        self.reader: str | None = None


class Reader(Plugin):
    """Base of message readers: ``read`` returns messages and warnings or raises NotMyFormat."""

    priority: ClassVar[int] = 50

    def read(self, path: Path, evidence_id: int | None = None) -> ReaderResult:
        raise NotImplementedError

    def check(self, path: Path) -> None:
        if not self.sniff(path, read_head(path)):
            raise NotMyFormat(f"not a {self.format} file", path=str(path))


# ---------------------------------------------------------------- WhatsApp

_WA_ANDROID = re.compile(
    r"^\u200e?(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{2,4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\s?([aApP])\.?\s?[mM]\.?)? - (.*)$"
)
_WA_IOS = re.compile(
    r"^\u200e?\[(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{2,4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\s?([aApP])\.?\s?[mM]\.?)?\] (.*)$"
)
_WA_ATTACH = re.compile(
    r"<attached: ([^>]+)>|^(\S+\.\w{2,4}) \((?:file attached|файл прикреплен|файл тіркелген)\)$|"
    r"<(Media omitted|Без медиафайлов|Медиа файлы пропущены)>",
    re.IGNORECASE,
)


_WA_SENDER = re.compile(r"^([^:]{1,80}?):\s?(.*)$", re.DOTALL)


class WhatsAppReader(Reader):
    """WhatsApp "Export chat" .txt, Android (``dd/mm/yy, hh:mm - ``) and iOS (``[...] ``) layouts."""

    name = "whatsapp"
    format = "WhatsApp chat export (.txt)"
    priority = 10

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        w: list[ParseWarning] = []
        text, _ = decode(head, str(path), w)
        lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
        hits = sum(1 for ln in lines if _WA_ANDROID.match(ln) or _WA_IOS.match(ln))
        return bool(lines) and hits >= max(1, len(lines) // 3)

    def read(self, path: Path, evidence_id: int | None = None) -> ReaderResult:
        self.check(path)
        res = ReaderResult()
        text, enc = _read_text(path, res.warnings)
        lines = text.splitlines(keepends=True)
        heads = []
        for ln in lines:
            m = _WA_ANDROID.match(ln.rstrip("\r\n")) or _WA_IOS.match(ln.rstrip("\r\n"))
            heads.append(m)
        order = _date_order([m for m in heads if m])
        conv = path.stem
        offset = 3 if enc == "utf-8-sig" else (2 if enc == "utf-16" else 0)
        cur: Message | None = None
        for n, (ln, m) in enumerate(zip(lines, heads, strict=True), start=1):
            width = len(ln.encode(enc if enc not in ("utf-8-sig", "utf-16") else "utf-8"))
            if enc.startswith("utf-16"):
                width = 2 * len(ln)
            if m:
                if cur:
                    self._finish(cur, res)
                body = m.group(8)
                ts = _wa_time(m, order)
                sm = _WA_SENDER.match(body)
                sender, sep, msg = (sm.group(1), ":", sm.group(2)) if sm else ("", "", body)
                ref = EvidenceRef(str(path), evidence_id, offset, f"line:{n}")
                if sep:
                    cur = Message(msg, ref, sender=sender.strip("\u200e "), ts=ts, conversation=conv)
                else:
                    cur = Message(body, ref, sender=None, ts=ts, conversation=conv, attrs={"system": True})
                if ts is None:
                    res.warnings.append(
                        ParseWarning(
                            str(path), "unreadable date", offset=offset, record=f"line:{n}", code="date"
                        )
                    )
            elif cur is not None:
                cur.text += "\n" + ln.rstrip("\r\n")
            elif ln.strip():
                res.warnings.append(
                    ParseWarning(str(path), "line before first message", offset=offset, record=f"line:{n}")
                )
            offset += width
        if cur:
            self._finish(cur, res)
        return res

    @staticmethod
    def _finish(msg: Message, res: ReaderResult) -> None:
        msg.text = msg.text.strip("\u200e")
        for a in _WA_ATTACH.finditer(msg.text):
            msg.attachments.append(next(g for g in a.groups() if g))
        msg.text = clean_text(msg.text)
        msg.id = str(len(res.messages) + 1)
        res.messages.append(msg)


def _date_order(matches: list[re.Match[str]]) -> str:
    """'ymd', 'dmy' or 'mdy' for a whole file, decided by fields that exceed 12."""
    if any(len(m.group(1)) == 4 for m in matches):
        return "ymd"
    if any(int(m.group(2)) > 12 for m in matches):
        return "mdy"
    return "dmy"


def local_to_utc(naive: datetime) -> datetime:
    """A device-local time (no zone in the export) as aware UTC, using the ``chat_tz`` setting."""
    from zoneinfo import ZoneInfo

    from tergeu import settings

    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    return naive.replace(tzinfo=ZoneInfo(str(settings.get("chat_tz")))).astimezone(UTC)


def _wa_time(m: re.Match[str], order: str) -> datetime | None:
    a, b, c = m.group(1), m.group(2), m.group(3)
    if order == "ymd":
        y, mo, d = int(a), int(b), int(c)
    elif order == "mdy":
        mo, d, y = int(a), int(b), int(c)
    else:
        d, mo, y = int(a), int(b), int(c)
    if y < 100:
        y += 2000
    hh, mm, ss = int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)
    ap = m.group(7)
    if ap:
        if ap.lower() == "p" and hh < 12:
            hh += 12
        elif ap.lower() == "a" and hh == 12:
            hh = 0
    try:
        return local_to_utc(datetime(y, mo, d, hh, mm, ss))
    except ValueError:
        return None


# ---------------------------------------------------------------- Telegram Desktop


def _tg_text(t: Any) -> str:
    if isinstance(t, str):
        return t
    if isinstance(t, list):
        return "".join(x if isinstance(x, str) else str(x.get("text", "")) for x in t)
    return ""


class TelegramReader(Reader):
    """Telegram Desktop "Export chat history" ``result.json`` (one chat, or all chats)."""

    name = "telegram"
    format = "Telegram Desktop export (result.json)"
    priority = 10

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        h = head.lstrip(b"\xef\xbb\xbf \r\n\t")
        return h.startswith(b"{") and (b'"messages"' in head or b'"chats"' in head)

    def read(self, path: Path, evidence_id: int | None = None) -> ReaderResult:
        self.check(path)
        res = ReaderResult()
        text, _ = _read_text(path, res.warnings)
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise EvidenceUnreadable(f"broken JSON: {exc.msg}", path=str(path), offset=exc.pos) from exc
        if not isinstance(doc, dict):
            raise NotMyFormat("not a Telegram export", path=str(path))
        chats = doc.get("chats", {}).get("list") if isinstance(doc.get("chats"), dict) else None
        if chats is None:
            chats = [doc]
        for ci, chat in enumerate(chats):
            if not isinstance(chat, dict):
                continue
            conv = str(chat.get("name") or chat.get("id") or f"chat {ci + 1}")
            for mi, m in enumerate(chat.get("messages", []) or []):
                rec = f"chat:{ci}/message:{m.get('id', mi) if isinstance(m, dict) else mi}"
                if not isinstance(m, dict):
                    res.warnings.append(ParseWarning(str(path), "message is not an object", record=rec))
                    continue
                ts = None
                if m.get("date_unixtime"):
                    try:
                        ts = datetime.fromtimestamp(int(m["date_unixtime"]), UTC)
                    except (ValueError, OverflowError):
                        res.warnings.append(
                            ParseWarning(str(path), "bad date_unixtime", record=rec, code="date")
                        )
                elif m.get("date"):
                    try:
                        ts = local_to_utc(datetime.fromisoformat(str(m["date"])))
                    except ValueError:
                        res.warnings.append(ParseWarning(str(path), "bad date", record=rec, code="date"))
                attach = [str(m[k]) for k in ("file", "photo") if m.get(k)]
                sender = m.get("from") or m.get("actor")
                res.messages.append(
                    Message(
                        clean_text(_tg_text(m.get("text"))),
                        EvidenceRef(str(path), evidence_id, None, rec),
                        sender=str(sender) if sender else None,
                        ts=ts,
                        conversation=conv,
                        id=str(m.get("id", mi + 1)),
                        attachments=attach,
                        attrs={"system": m.get("type") == "service", "from_id": m.get("from_id")},
                    )
                )
        return res


# ---------------------------------------------------------------- SMS Backup & Restore


class SmsXmlReader(Reader):
    """SMS Backup & Restore (SyncTech) XML: ``<smses><sms address= date= type= body= .../>``, MMS parts."""

    name = "sms_xml"
    format = "SMS Backup & Restore XML"
    priority = 10

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return b"<smses" in head or (b"<?xml" in head[:100] and b"<sms " in head)

    def read(self, path: Path, evidence_id: int | None = None) -> ReaderResult:
        self.check(path)
        res = ReaderResult()
        n = 0
        try:
            for _ev, el in ET.iterparse(str(path), events=("end",)):
                if el.tag not in ("sms", "mms"):
                    continue
                n += 1
                a = el.attrib
                if el.tag == "mms":
                    body = " ".join(p.get("text", "") for p in el.iter("part") if p.get("ct") == "text/plain")
                    attach = [
                        p.get("name") or p.get("cl") or ""
                        for p in el.iter("part")
                        if p.get("ct") not in ("text/plain", "application/smil")
                    ]
                else:
                    body, attach = a.get("body", ""), []
                ts = None
                try:
                    ts = datetime.fromtimestamp(int(a.get("date", "")) / 1000, UTC)  # epoch ms: already UTC
                except ValueError:
                    res.warnings.append(
                        ParseWarning(str(path), "bad date", record=f"{el.tag}:{n}", code="date")
                    )
                addr = a.get("address", "")
                kind = {"1": "received", "2": "sent"}.get(a.get("type") or a.get("msg_box", ""), "other")
                name = a.get("contact_name") if a.get("contact_name") not in (None, "(Unknown)") else None
                res.messages.append(
                    Message(
                        clean_text(body if body != "null" else ""),
                        EvidenceRef(str(path), evidence_id, None, f"{el.tag}:{n}"),
                        sender=addr if kind == "received" else "me",
                        ts=ts,
                        conversation=addr,
                        id=str(n),
                        attachments=[x for x in attach if x],
                        attrs={"direction": kind, "contact_name": name, "address": addr},
                    )
                )
                el.clear()
        except ET.ParseError as exc:
            res.warnings.append(
                ParseWarning(str(path), f"XML broken after {n} messages: {exc}", code="truncated")
            )
        return res


# ---------------------------------------------------------------- e-mail (.eml)

_RECEIVED_IP = re.compile(r"\[?((?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F:]{4,}:[0-9a-fA-F:]+)\]?")


def _received(h: str) -> dict[str, Any]:
    frm = re.search(r"\bfrom\s+(\S+)", h)
    by = re.search(r"\bby\s+(\S+)", h)
    ips = [
        m.group(1) for m in _RECEIVED_IP.finditer(h.split(";")[0]) if ":" in m.group(1) or "." in m.group(1)
    ]
    when = None
    if ";" in h:
        try:
            when = parsedate_to_datetime(h.rsplit(";", 1)[1].strip()).isoformat()
        except (TypeError, ValueError):
            when = None
    return {
        "from": frm.group(1) if frm else None,
        "by": by.group(1) if by else None,
        "ips": ips,
        "date": when,
        "raw": " ".join(h.split()),
    }


def _auth_results(h: str) -> dict[str, str]:
    return {k.lower(): v.lower() for k, v in re.findall(r"\b(spf|dkim|dmarc|arc)=(\w+)", h, re.IGNORECASE)}


class EmlReader(Reader):
    """RFC 5322 ``.eml``: body text plus Received chain, Return-Path and Authentication-Results."""

    name = "eml"
    format = "E-mail message (.eml)"
    priority = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        h = head[:4096].lower()
        hdrs = (
            b"\nfrom:",
            b"\nsubject:",
            b"\nreceived:",
            b"\nmessage-id:",
            b"\nreturn-path:",
            b"\nmime-version:",
        )
        return sum(1 for x in hdrs if x in b"\n" + h) >= 2

    def read(self, path: Path, evidence_id: int | None = None) -> ReaderResult:
        self.check(path)
        res = ReaderResult()
        data = path.read_bytes()
        msg = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        for d in getattr(msg, "defects", []):
            res.warnings.append(ParseWarning(str(path), f"e-mail defect: {type(d).__name__}", code="eml"))
        body = ""
        try:
            part = msg.get_body(preferencelist=("plain", "html"))
            if part is not None:
                body = str(part.get_content())
        except (LookupError, ValueError, KeyError) as exc:
            res.warnings.append(ParseWarning(str(path), f"body unreadable: {exc}", code="eml"))
        attach = [p.get_filename() or "" for p in msg.iter_attachments()]
        ts = None
        if msg.get("Date"):
            try:
                ts = parsedate_to_datetime(str(msg["Date"]))
                ts = ts.astimezone(UTC) if ts.tzinfo else ts.replace(tzinfo=UTC)
            except (TypeError, ValueError):
                res.warnings.append(ParseWarning(str(path), "bad Date header", code="date"))
        received = [_received(str(h)) for h in msg.get_all("Received", [])]
        auth: dict[str, str] = {}
        for h in msg.get_all("Authentication-Results", []):
            auth.update(_auth_results(str(h)))
        subject = str(msg.get("Subject", ""))
        res.messages.append(
            Message(
                clean_text((subject + "\n" if subject else "") + body),
                EvidenceRef(str(path), evidence_id, 0, "message:1"),
                sender=str(msg.get("From", "")) or None,
                ts=ts,
                conversation=subject or path.stem,
                id=str(msg.get("Message-ID", "")) or path.stem,
                attachments=[a for a in attach if a],
                attrs={
                    "to": str(msg.get("To", "")),
                    "subject": subject,
                    "return_path": str(msg.get("Return-Path", "")) or None,
                    "received": received,
                    "authentication_results": auth,
                    "reply_to": str(msg.get("Reply-To", "")) or None,
                },
            )
        )
        return res


# ---------------------------------------------------------------- CSV / JSONL

_TEXT_COLS = ("text", "message", "body", "сообщение", "текст", "хабарлама", "мәтін")
_ID_COLS = ("id", "message_id", "msg_id")
_SENDER_COLS = ("sender", "from", "author", "address", "отправитель")
_TIME_COLS = ("time", "date", "timestamp", "ts", "datetime")


def _pick(row: dict[str, Any], names: tuple[str, ...]) -> Any:
    low = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    for n in names:
        if low.get(n) not in (None, ""):
            return low[n]
    return None


def _parse_time(v: Any) -> datetime | None:
    if v is None:
        return None
    if isinstance(v, int | float) or (isinstance(v, str) and v.isdigit()):
        x = float(v)
        return datetime.fromtimestamp(x / 1000 if x > 1e11 else x, UTC)
    try:
        return local_to_utc(datetime.fromisoformat(str(v).replace("Z", "+00:00")))
    except ValueError:
        return None


class JsonlReader(Reader):
    """JSON Lines with a ``text`` field per line (optional ``id``, ``sender``, ``time``); ids are kept."""

    name = "jsonl"
    format = "JSON Lines messages (.jsonl)"
    priority = 30

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        body = head.lstrip(b"\xef\xbb\xbf \r\n\t")
        if body.startswith(b"[") and b'"text"' in body:
            return True  # a JSON array of message objects
        first = body.split(b"\n", 1)[0].strip()
        return (
            first.startswith(b"{")
            and first.endswith(b"}")
            and (b'"text"' in first or path.suffix == ".jsonl")
        )

    def read(self, path: Path, evidence_id: int | None = None) -> ReaderResult:
        self.check(path)
        res = ReaderResult()
        text, enc = _read_text(path, res.warnings)
        if text.lstrip("\ufeff \r\n\t").startswith("["):
            try:
                items = json.loads(text.lstrip("\ufeff"))
            except json.JSONDecodeError as exc:
                raise EvidenceUnreadable(f"broken JSON: {exc.msg}", path=str(path), offset=exc.pos) from exc
            lines = (
                [json.dumps(x, ensure_ascii=False) + "\n" for x in items] if isinstance(items, list) else []
            )
            record = "item"
        else:
            lines = text.splitlines(keepends=True)
            record = "line"
        offset = 0
        for n, ln in enumerate(lines, start=1):
            here = offset
            offset += (
                len(ln.encode("utf-8", errors="replace")) if not enc.startswith("utf-16") else 2 * len(ln)
            )
            if not ln.strip():
                continue
            try:
                row = json.loads(ln)
            except json.JSONDecodeError as exc:
                res.warnings.append(
                    ParseWarning(
                        str(path),
                        f"not JSON: {exc.msg}",
                        offset=here if record == "line" else None,
                        record=f"{record}:{n}",
                    )
                )
                continue
            if not isinstance(row, dict):
                res.warnings.append(
                    ParseWarning(
                        str(path),
                        "not a JSON object",
                        offset=here if record == "line" else None,
                        record=f"{record}:{n}",
                    )
                )
                continue
            body = _pick(row, _TEXT_COLS)
            if body is None and any(str(k).strip().lower() in _TEXT_COLS for k in row):
                body = ""  # an empty message still gets its verdict line
            if body is None:
                res.warnings.append(
                    ParseWarning(
                        str(path),
                        "no text field",
                        offset=here if record == "line" else None,
                        record=f"{record}:{n}",
                    )
                )
                continue
            mid = _pick(row, _ID_COLS)
            res.messages.append(
                Message(
                    clean_text(str(body)),
                    EvidenceRef(str(path), evidence_id, here if record == "line" else None, f"{record}:{n}"),
                    sender=_str(_pick(row, _SENDER_COLS)),
                    ts=_parse_time(_pick(row, _TIME_COLS)),
                    conversation=_str(row.get("conversation") or row.get("chat")) or path.stem,
                    id=str(mid) if mid is not None else None,
                    attrs={"id_given": mid is not None, "raw_id": mid},
                )
            )
        return res


def _str(v: Any) -> str | None:
    return None if v is None else str(v)


class CsvReader(Reader):
    """CSV/TSV with a header that has a ``text`` (or message/body) column; optional id, sender, time."""

    name = "csv"
    format = "CSV messages (.csv/.tsv)"
    priority = 30

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        w: list[ParseWarning] = []
        first = decode(head, str(path), w)[0].lstrip("\ufeff").split("\n", 1)[0].lower()
        cols = [c.strip().strip('"') for c in re.split(r"[,;\t]", first)]
        return (
            len(cols) >= 1
            and any(c in _TEXT_COLS for c in cols)
            and ("," in first or ";" in first or "\t" in first or path.suffix in (".csv", ".tsv"))
        )

    def read(self, path: Path, evidence_id: int | None = None) -> ReaderResult:
        self.check(path)
        res = ReaderResult()
        text, _ = _read_text(path, res.warnings)
        text = text.lstrip("\ufeff")
        sample = text[:8192]
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        csv.field_size_limit(MAX_MESSAGE_CHARS * 50)
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        n = 1
        try:
            for row in reader:
                n += 1
                body = _pick(row, _TEXT_COLS)
                if body is None:
                    continue
                mid = _pick(row, _ID_COLS)
                res.messages.append(
                    Message(
                        clean_text(str(body)),
                        EvidenceRef(str(path), evidence_id, None, f"row:{n}"),
                        sender=_str(_pick(row, _SENDER_COLS)),
                        ts=_parse_time(_pick(row, _TIME_COLS)),
                        conversation=_str(_pick(row, ("conversation", "chat", "thread"))) or path.stem,
                        id=str(mid) if mid is not None else None,
                    )
                )
        except csv.Error as exc:
            res.warnings.append(ParseWarning(str(path), f"CSV broken: {exc}", record=f"row:{n}"))
        return res


# ---------------------------------------------------------------- plain text / transcripts

_SPEAKER = re.compile(r"^\s*(?:\[?[\d:.\- ]{4,20}\]?\s*)?([^\s:][^:]{0,40}?):\s+(.+)$")


class TextReader(Reader):
    """Plain text and call transcripts: one message per line; ``Name: text`` sets the sender."""

    name = "text"
    format = "Plain text or call transcript"
    priority = 90

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return True
        if b"\x00" in head:
            return False
        return not head.startswith((b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"\xd4\xc3\xb2\xa1", b"ElfFile"))

    def read(self, path: Path, evidence_id: int | None = None) -> ReaderResult:
        self.check(path)
        res = ReaderResult()
        text, enc = _read_text(path, res.warnings)
        offset = 3 if enc == "utf-8-sig" else (2 if enc == "utf-16" else 0)
        codec = "utf-8" if enc in ("utf-8-sig",) else enc
        for n, ln in enumerate(text.splitlines(keepends=True), start=1):
            here = offset
            offset += 2 * len(ln) if enc.startswith("utf-16") else len(ln.encode(codec, errors="replace"))
            body = ln.strip()
            if not body:
                continue
            sm = _SPEAKER.match(body)
            sender = (
                sm.group(1).strip() if sm and not sm.group(1).lower().startswith(("http", "www")) else None
            )
            msg_text = sm.group(2) if sender and sm else body
            res.messages.append(
                Message(
                    clean_text(msg_text),
                    EvidenceRef(str(path), evidence_id, here, f"line:{n}"),
                    sender=sender,
                    conversation=path.stem,
                    id=str(n),
                )
            )
        return res


BUILTIN: tuple[type[Reader], ...] = (
    WhatsAppReader,
    TelegramReader,
    SmsXmlReader,
    EmlReader,
    JsonlReader,
    CsvReader,
    TextReader,
)


def readers() -> list[type[Reader]]:
    """Registered readers (entry points, built-ins included), most specific first."""
    from tergeu.plugins import registry

    found = [r for r in registry("tergeu.readers").values() if isinstance(r, type) and issubclass(r, Reader)]
    if not found:
        found = list(BUILTIN)
    return sorted(found, key=lambda r: (r.priority, r.name))


def read_messages(path: Path, evidence_id: int | None = None, fmt: str | None = None) -> ReaderResult:
    """Read one file with the first reader that accepts it (or the named one)."""
    if not path.is_file():
        raise EvidenceUnreadable("not a readable file", path=str(path))
    head = read_head(path)
    for r in readers():
        if fmt and r.name != fmt:
            continue
        if fmt or r.sniff(path, head):
            try:
                res = r().read(path, evidence_id)
                res.reader = r.name
                return res
            except NotMyFormat:
                if fmt:
                    raise
                continue
    raise NotMyFormat("no message reader accepts this file", path=str(path))


def iter_messages(paths: list[Path]) -> Iterator[tuple[Path, ReaderResult]]:
    for p in paths:
        yield p, read_messages(p)
