"""Request-level protections: CSRF tokens, a rate limiter for the public portal, upload sniffing.

Uploads are identified by their bytes, not by the name or the browser's content type: a file is
accepted only if its leading bytes match a type victims actually send (screenshots, PDFs, chat
exports, voice messages, plain text), and the declared extension must agree with what was found.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

CSRF_KEY = "csrf"


def new_csrf() -> str:
    return secrets.token_urlsafe(32)


def csrf_ok(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


class RateLimiter:
    """Sliding window of ``limit`` hits per ``window`` seconds per key (client address)."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] > self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            if len(self._hits) > 100_000:  # forget idle clients so memory stays bounded
                for k in [k for k, v in self._hits.items() if not v or now - v[-1] > self.window]:
                    del self._hits[k]
            return True


@dataclass(frozen=True)
class Sniffed:
    kind: str
    extensions: tuple[str, ...]


_MAGIC: tuple[tuple[bytes, int, Sniffed], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, Sniffed("image/png", (".png",))),
    (b"\xff\xd8\xff", 0, Sniffed("image/jpeg", (".jpg", ".jpeg"))),
    (b"GIF87a", 0, Sniffed("image/gif", (".gif",))),
    (b"GIF89a", 0, Sniffed("image/gif", (".gif",))),
    (b"%PDF-", 0, Sniffed("application/pdf", (".pdf",))),
    (b"PK\x03\x04", 0, Sniffed("application/zip", (".zip",))),
    (b"OggS", 0, Sniffed("audio/ogg", (".ogg", ".oga", ".opus"))),
    (b"ID3", 0, Sniffed("audio/mpeg", (".mp3",))),
    (b"ftyp", 4, Sniffed("video/mp4", (".mp4", ".m4a", ".mov", ".heic"))),
)
_TEXT = Sniffed("text/plain", (".txt", ".csv", ".json", ".jsonl", ".eml", ".xml", ".log", ".html", ".htm"))


def sniff(head: bytes, filename: str) -> Sniffed | None:
    """The accepted type of a file from its first bytes, or None when it is not accepted."""
    ext = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    for magic, offset, found in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return found if ext in found.extensions else None
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE"):
        found = (
            Sniffed("image/webp", (".webp",)) if head[8:12] == b"WEBP" else Sniffed("audio/wav", (".wav",))
        )
        return found if ext in found.extensions else None
    if ext in _TEXT.extensions and _looks_textual(head):
        return _TEXT
    return None


def _looks_textual(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 chat exports
        return True
    controls = sum(1 for b in head if (b < 0x20 and b not in (9, 10, 12, 13, 27)) or b == 0x7F)
    if controls > len(head) // 200:  # programs and archives are full of control bytes; text is not
        return False
    for encoding in ("utf-8", "cp1251"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if encoding == "utf-8" and exc.start >= len(head) - 4:  # a character cut by the sample
                return True
    return False


def safe_filename(name: str) -> str:
    """A file name without folders or control characters, kept readable (Kazakh letters stay)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return cleaned[:120] or "upload"
