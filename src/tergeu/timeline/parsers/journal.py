"""systemd journal exports (``journalctl -o json`` one object per line, or ``-o json-pretty``).

``__REALTIME_TIMESTAMP`` is microseconds since the epoch (UTC). The cursor's ``i=`` is the journal's
sequence number, kept as ``seqnum`` per ``s=`` sequence id so record gaps and time going back against
the write order can be checked; ``MESSAGE`` may be a byte array, which is decoded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from tergeu.errors import NotMyFormat
from tergeu.records import Event
from tergeu.timeline.core import Item, ParseContext, TimelineParser, decode, from_epoch, iter_lines
from tergeu.timeline.parsers.authlog import classify


def _msg(value: Any) -> str:
    if isinstance(value, list):
        try:
            return decode(bytes(int(b) & 0xFF for b in value))[0]
        except (TypeError, ValueError):
            return str(value)
    return "" if value is None else str(value)


def json_objects(ctx: ParseContext) -> Iterator[tuple[int, dict[str, Any]] | Item]:
    """Objects from JSON lines or pretty-printed concatenated JSON, with the offset each starts at."""
    buf: list[str] = []
    start = 0
    for item in iter_lines(ctx):
        if not isinstance(item, tuple):
            yield item
            continue
        off, text = item
        s = text.strip()
        if not buf and s.startswith("{") and s.endswith("}"):
            try:
                obj = json.loads(s)
            except ValueError as exc:
                w = ctx.warn(f"bad JSON: {exc}", off)
                if w:
                    yield w
                continue
            if isinstance(obj, dict):
                yield off, obj
            continue
        if not buf:
            if not s.startswith("{"):
                w = ctx.warn("text outside a JSON object", off)
                if w:
                    yield w
                continue
            start = off
        buf.append(text)
        if s.startswith("}") or (s.endswith("}") and len(buf) > 1):
            try:
                obj = json.loads("\n".join(buf))
            except ValueError:
                if len(buf) > 10000:
                    w = ctx.warn("unterminated JSON object dropped", start)
                    if w:
                        yield w
                    buf = []
                continue
            buf = []
            if isinstance(obj, dict):
                yield start, obj
    if buf:
        w = ctx.warn("truncated JSON object at end of file", start)
        if w:
            yield w


class JournalParser(TimelineParser):
    name: ClassVar[str] = "journal"
    format: ClassVar[str] = "systemd journal export (journalctl -o json / json-pretty)"
    description: ClassVar[str] = "journalctl JSON export"
    priority: ClassVar[int] = 80

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return b"__REALTIME_TIMESTAMP" in head or (b'"MESSAGE"' in head and b'"_BOOT_ID"' in head)

    def parse(self, ctx: ParseContext) -> Iterator[Item]:
        n = 0
        for item in json_objects(ctx):
            if not isinstance(item, tuple):
                yield item
                continue
            off, obj = item
            raw = obj.get("__REALTIME_TIMESTAMP") or obj.get("_SOURCE_REALTIME_TIMESTAMP")
            if raw is None:
                if n == 0 and "MESSAGE" not in obj:
                    raise NotMyFormat("no __REALTIME_TIMESTAMP", path=ctx.name, offset=off)
                w = ctx.warn("journal entry without __REALTIME_TIMESTAMP", off)
                if w:
                    yield w
                continue
            try:
                us = int(raw)
                ts = from_epoch(us / 1e6).replace(microsecond=us % 1_000_000)
            except (TypeError, ValueError, OverflowError) as exc:
                w = ctx.warn(f"bad __REALTIME_TIMESTAMP {raw!r}: {exc}", off)
                if w:
                    yield w
                continue
            msg = _msg(obj.get("MESSAGE"))
            prog = str(obj.get("SYSLOG_IDENTIFIER") or obj.get("_COMM") or "")
            attrs: dict[str, Any] = {
                "host": obj.get("_HOSTNAME", ""),
                "program": prog,
                "boot_id": obj.get("_BOOT_ID", ""),
            }
            for k, name in (
                ("_PID", "pid"),
                ("PRIORITY", "priority"),
                ("_UID", "uid"),
                ("_SYSTEMD_UNIT", "unit"),
            ):
                if k in obj:
                    attrs[name] = obj[k]
            cursor = str(obj.get("__CURSOR", ""))
            fields = dict(p.split("=", 1) for p in cursor.split(";") if "=" in p)
            if "i" in fields:
                try:
                    attrs["seqnum"] = int(fields["i"], 16)
                    attrs["boot_id"] = fields.get("s", attrs["boot_id"])
                except ValueError:
                    pass
            etype = "journal"
            typed = classify(prog, msg) if prog else None
            if typed:
                etype = typed[0]
                attrs.update(typed[1])
            n += 1
            yield Event(
                ts=ts,
                source="journal",
                event_type=etype,
                message=f"{prog}: {msg}" if prog else msg,
                ref=ctx.ref(off, cursor[:100] or None),
                ts_desc="Realtime Timestamp",
                ts_precision="us",
                tz="UTC",
                attrs=attrs,
            )
        if n == 0:
            raise NotMyFormat("no journal entries", path=ctx.name)
