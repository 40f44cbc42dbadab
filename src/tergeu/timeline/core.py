"""Shared machinery of timeline parsers: context, line reading with mixed encodings, dispatch.

Every parser is a :class:`TimelineParser` plugin. Evidence in the store has a hash for a name, so the
context carries the original file name (for sniffing) separately from the path that is read. Lines
are read as bytes and decoded one by one (UTF-8, else CP1251), because logs in Kazakhstan often mix
both; a bad line becomes a :class:`~tergeu.records.ParseWarning` with its byte offset, never an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tergeu.errors import ConfigError, NotMyFormat
from tergeu.plugins import Plugin, read_head, registry
from tergeu.records import Event, EvidenceRef, ParseWarning

Item = Event | ParseWarning

#: Longest line we keep whole; longer lines are cut (and a warning says where).
MAX_LINE = 65536
#: Warnings kept per file before they are summarised (a binary file would otherwise flood the db).
MAX_WARNINGS = 200
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=64)
def zone(name: str | None) -> tzinfo:
    """A time zone by IANA name or fixed offset (``+05:00``); ``None``/``UTC`` is UTC."""
    if not name or name.upper() in ("UTC", "Z", "GMT"):
        return UTC
    if name[0] in "+-" and ":" in name:
        sign = -1 if name[0] == "-" else 1
        hh, mm = name[1:].split(":", 1)
        from datetime import timezone

        return timezone(sign * timedelta(hours=int(hh), minutes=int(mm)))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"unknown time zone {name!r}") from exc


@dataclass
class ParseContext:
    """What a parser knows about the file besides its bytes."""

    path: Path
    name: str = ""
    evidence_id: int | None = None
    tz: str = "UTC"
    year: int | None = None
    mtime: datetime | None = None
    options: dict[str, Any] = field(default_factory=dict)
    warnings: int = 0

    def __post_init__(self) -> None:
        if not self.name:
            self.name = self.path.name
        if self.mtime is None:
            try:
                self.mtime = datetime.fromtimestamp(self.path.stat().st_mtime, UTC)
            except OSError:
                self.mtime = None

    @property
    def display(self) -> str:
        return self.name

    def ref(self, offset: int | None = None, record: str | None = None) -> EvidenceRef:
        return EvidenceRef(self.name, self.evidence_id, offset, record)

    def warn(
        self, message: str, offset: int | None = None, record: str | None = None, code: str = "parse"
    ) -> ParseWarning | None:
        """A warning for the caller to yield, or None once the per-file budget is spent."""
        self.warnings += 1
        if self.warnings > MAX_WARNINGS:
            return None
        if self.warnings == MAX_WARNINGS:
            message = f"{message} (further warnings of this file are counted, not listed)"
        return ParseWarning(self.name, message, offset, record, code, self.evidence_id)

    def summary(self) -> ParseWarning | None:
        if self.warnings > MAX_WARNINGS:
            return ParseWarning(
                self.name, f"{self.warnings} warnings in all", None, None, "summary", self.evidence_id
            )
        return None


class TimelineParser(Plugin):
    """A parser plugin: ``parse`` yields events and warnings; it raises NotMyFormat before the first."""

    #: Higher runs first when several parsers sniff the same file (specific before generic).
    priority: ClassVar[int] = 0

    def parse(self, ctx: ParseContext) -> Iterator[Item]:
        raise NotImplementedError


def decode(raw: bytes) -> tuple[str, bool]:
    """Decode one line: UTF-8, else CP1251 (flag True), which can decode any byte string."""
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode("cp1251", errors="replace"), True


def iter_lines(ctx: ParseContext, warn_encoding: bool = True) -> Iterator[tuple[int, str] | ParseWarning]:
    """``(offset, text)`` per line; warnings for cut lines, CP1251 lines and binary junk."""
    offset = 0
    cp_reported = False
    with open(ctx.path, "rb") as fh:
        while True:
            raw = fh.readline(MAX_LINE)
            if not raw:
                break
            start = offset
            offset += len(raw)
            if not raw.endswith(b"\n") and len(raw) >= MAX_LINE:
                skipped = 0
                while True:  # drain the rest of an overlong line without holding it
                    more = fh.readline(1 << 20)
                    if not more:
                        break
                    skipped += len(more)
                    offset += len(more)
                    if more.endswith(b"\n"):
                        break
                w = ctx.warn(
                    f"line longer than {MAX_LINE} bytes cut ({skipped} bytes dropped)",
                    start,
                    None,
                    "long_line",
                )
                if w:
                    yield w
            line = raw.rstrip(b"\r\n")
            if not line:
                continue
            if b"\x00" in line:
                w = ctx.warn("binary data (NUL bytes) skipped", start, code="binary")
                if w:
                    yield w
                continue
            text, cp = decode(line)
            if cp and warn_encoding and not cp_reported:
                cp_reported = True
                w = ctx.warn("line is not UTF-8; decoded as CP1251", start, code="encoding")
                if w:
                    yield w
            yield start, text


def parsers() -> list[type[TimelineParser]]:
    found = [p for p in registry("tergeu.parsers").values() if isinstance(p, type)]
    return sorted(found, key=lambda p: (-p.priority, p.name))


def get_parser(name: str) -> type[TimelineParser]:
    for p in parsers():
        if p.name == name:
            return p
    from tergeu.errors import NotFoundError

    raise NotFoundError(name, key="timeline.unknown_parser")


def candidates(path: Path, name: str | None = None) -> list[type[TimelineParser]]:
    head = read_head(path, 8192)
    probe = Path(name) if name else path
    out = []
    for p in parsers():
        try:
            if p.sniff(probe, head):
                out.append(p)
        except Exception:  # a sniff must never stop the others
            continue
    return out


def parse_file(ctx: ParseContext, only: str | None = None) -> tuple[str | None, Iterator[Item]]:
    """Pick the first parser that accepts the file and return ``(parser name, items)``.

    A parser refuses with NotMyFormat before yielding anything, so the next candidate is tried.
    ``(None, empty)`` means no parser wants the file.
    """
    chosen = [get_parser(only)] if only else candidates(ctx.path, ctx.name)
    failures: list[ParseWarning] = []
    for cls in chosen:
        it = cls().parse(ctx)
        try:
            first = next(it)
        except StopIteration:
            return cls.name, iter(())
        except NotMyFormat:
            if only:
                raise
            continue
        except Exception as exc:  # a parser bug or a hostile file: report it, try the next parser
            failures.append(
                ParseWarning(
                    ctx.name,
                    f"{cls.name}: {type(exc).__name__}: {exc}",
                    None,
                    None,
                    "parser_failed",
                    ctx.evidence_id,
                )
            )
            continue
        return cls.name, _chain(first, it, ctx)
    return None, iter(failures)


def _chain(first: Item, rest: Iterator[Item], ctx: ParseContext) -> Iterator[Item]:
    yield first
    try:
        yield from rest
    except NotMyFormat as exc:
        w = ctx.warn(f"stopped: {exc.detail}", exc.offset, code="format")
        if w:
            yield w
    except Exception as exc:  # never a traceback: what was read so far is kept
        w = ctx.warn(f"stopped reading: {type(exc).__name__}: {exc}", code="io")
        if w:
            yield w
    s = ctx.summary()
    if s:
        yield s


def from_epoch(seconds: float) -> datetime:
    return EPOCH + timedelta(seconds=seconds)


def iso(ts: datetime, tz: str | None = None) -> str:
    """ISO-8601 of ``ts`` in zone ``tz`` (UTC when not given) with microseconds only when present."""
    local = ts.astimezone(zone(tz)) if tz else ts.astimezone(UTC)
    text = local.isoformat(timespec="microseconds" if local.microsecond else "seconds")
    return text.replace("+00:00", "Z") if local.utcoffset() == timedelta(0) and not tz else text


def parse_iso(text: str, tz: tzinfo = UTC) -> tuple[datetime, str]:
    """An ISO-8601 time (any fraction length) as aware UTC and its precision (s, ms, us, ns)."""
    s = text.strip().replace(" ", "T", 1)
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    frac_prec = "s"
    if "." in s:
        head, _, tail = s.partition(".")
        digits = ""
        i = 0
        while i < len(tail) and tail[i].isdigit():
            digits += tail[i]
            i += 1
        rest = tail[i:]
        n = len(digits)
        frac_prec = "ms" if n <= 3 else "us" if n <= 6 else "ns"
        s = f"{head}.{(digits + '000000')[:6]}{rest}"
    dt = datetime.fromisoformat(s)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return dt.astimezone(UTC), frac_prec
