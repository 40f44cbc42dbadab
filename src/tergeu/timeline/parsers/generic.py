"""Generic CSV / JSON-lines with a column mapping (``--map time=col,message=col,type=col,fmt=...``).

Without a mapping, a column named like a time (timestamp, time, datetime, date, ts, @timestamp,
TimeCreated, eventtime) is used and every other column becomes an attribute. Times without a zone
are in the source's zone; epoch seconds/milliseconds are recognised by size.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from tergeu.errors import NotMyFormat
from tergeu.records import Event
from tergeu.timeline.core import Item, ParseContext, TimelineParser, from_epoch, iter_lines, parse_iso, zone

TIME_NAMES = (
    "timestamp",
    "@timestamp",
    "time",
    "datetime",
    "date",
    "ts",
    "timecreated",
    "eventtime",
    "date_time",
)
MSG_NAMES = ("message", "msg", "description", "text", "event", "summary")


def parse_mapping(text: str | None) -> dict[str, str]:
    """``time=Col,message=Col2,type=Col3,fmt=%d.%m.%Y %H:%M`` -> dict."""
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        if "=" in part:
            k, v = part.split("=", 1)
            out[k.strip()] = v.strip()
    return out


def _time(value: Any, fmt: str | None, tz: str) -> tuple[datetime, str]:
    if isinstance(value, int | float) or (isinstance(value, str) and value.replace(".", "", 1).isdigit()):
        v = float(value)
        if v > 1e14:
            return from_epoch(v / 1e6), "us"
        if v > 1e11:
            return from_epoch(v / 1e3), "ms"
        return from_epoch(v), "s"
    s = str(value).strip()
    if fmt:
        dt = datetime.strptime(s, fmt)
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=zone(tz))
        return dt.astimezone(UTC), "s"
    return parse_iso(s, zone(tz))


def _pick(keys: list[str], names: tuple[str, ...]) -> str | None:
    low = {k.lower(): k for k in keys}
    for n in names:
        if n in low:
            return low[n]
    return None


class GenericTableParser(TimelineParser):
    name: ClassVar[str] = "generic"
    format: ClassVar[str] = "CSV or JSON lines with a time column (mapping via --map)"
    description: ClassVar[str] = "fallback for tabular exports"
    priority: ClassVar[int] = 0

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        first = head.split(b"\n", 1)[0].decode("utf-8", "replace").strip().lower()
        if first.startswith("{"):
            return any(f'"{n}"' in first for n in TIME_NAMES)
        cells = [c.strip().strip('"') for c in first.replace(";", ",").split(",")]
        return len(cells) >= 2 and any(c in TIME_NAMES for c in cells)

    def parse(self, ctx: ParseContext) -> Iterator[Item]:
        mapping = (
            parse_mapping(ctx.options.get("map"))
            if isinstance(ctx.options.get("map"), str)
            else dict(ctx.options.get("map") or {})
        )
        fmt = mapping.get("fmt")
        with open(ctx.path, "rb") as fh:
            first = fh.readline().lstrip(b"\xef\xbb\xbf").strip()
        rows: Iterator[tuple[int | None, str | None, dict[str, Any]] | Item]
        rows = self._jsonl(ctx) if first.startswith(b"{") else self._csv(ctx)
        n = 0
        for item in rows:
            if not isinstance(item, tuple):
                yield item
                continue
            off, rec_id, rec = item
            keys = list(rec.keys())
            tcol = mapping.get("time") or _pick(keys, TIME_NAMES)
            if not tcol or tcol not in rec:
                raise NotMyFormat("no time column (give --map time=COLUMN)", path=ctx.name, offset=off)
            try:
                ts, prec = _time(rec[tcol], fmt, ctx.tz)
            except (ValueError, OverflowError, TypeError) as exc:
                w = ctx.warn(f"unreadable time {rec.get(tcol)!r}: {exc}", off, rec_id)
                if w:
                    yield w
                continue
            mcol = mapping.get("message") or _pick(keys, MSG_NAMES)
            tycol = mapping.get("type")
            attrs = {k: v for k, v in rec.items() if k not in (tcol, mcol)}
            message = str(rec.get(mcol, "")) if mcol else "; ".join(f"{k}={v}" for k, v in attrs.items())
            n += 1
            yield Event(
                ts=ts,
                source=mapping.get("source", "table"),
                event_type=str(rec.get(tycol, "record")) if tycol else "record",
                message=message[:4000],
                ref=ctx.ref(off, rec_id),
                ts_desc=mapping.get("desc", "Event Time"),
                ts_precision=prec,
                tz=ctx.tz,
                attrs=attrs,
            )
        if n == 0:
            raise NotMyFormat("no rows with a readable time", path=ctx.name)

    def _jsonl(self, ctx: ParseContext) -> Iterator[tuple[int | None, str | None, dict[str, Any]] | Item]:
        for item in iter_lines(ctx):
            if not isinstance(item, tuple):
                yield item
                continue
            off, text = item
            try:
                obj = json.loads(text)
            except ValueError as exc:
                w = ctx.warn(f"bad JSON: {exc}", off)
                if w:
                    yield w
                continue
            if isinstance(obj, dict):
                yield off, None, obj

    def _csv(self, ctx: ParseContext) -> Iterator[tuple[int | None, str | None, dict[str, Any]] | Item]:
        from tergeu.timeline.core import decode

        text, cp = decode(ctx.path.read_bytes())
        if cp:
            w = ctx.warn("file is not UTF-8; decoded as CP1251", 0, code="encoding")
            if w:
                yield w
        text = text.lstrip("\ufeff")
        sample = text[:4096]
        delim = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.DictReader(io.StringIO(text), delimiter=delim)
        for i, row in enumerate(reader, 2):
            yield None, f"row {i}", {k: v for k, v in row.items() if k is not None}
