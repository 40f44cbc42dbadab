"""Zeek logs: conn, dns, http (and any other) in TSV (``#fields`` header) or JSON lines.

``ts`` is epoch seconds with microseconds (TSV) or ISO 8601 / epoch (JSON). The log kind comes from
``#path``, else the file name, else the keys present.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from tergeu.errors import NotMyFormat
from tergeu.records import Event
from tergeu.timeline.core import Item, ParseContext, TimelineParser, from_epoch, iter_lines, parse_iso


def _kind(path_hint: str, keys: Any) -> str:
    for k in ("conn", "dns", "http", "ssl", "files", "notice", "ssh", "ftp", "smtp", "x509", "weird"):
        if path_hint.startswith(k):
            return k
    keys = set(keys)
    if "query" in keys:
        return "dns"
    if "method" in keys and "uri" in keys:
        return "http"
    if "conn_state" in keys:
        return "conn"
    return "zeek"


def _message(kind: str, r: dict[str, Any]) -> str:
    flow = f"{r.get('id.orig_h', '?')}:{r.get('id.orig_p', '')} -> {r.get('id.resp_h', '?')}:{r.get('id.resp_p', '')}"
    if kind == "dns":
        return f"DNS {r.get('query', '')} {r.get('qtype_name', '')} -> {r.get('answers', '')} {flow}"
    if kind == "http":
        return f"HTTP {r.get('method', '')} {r.get('host', '')}{r.get('uri', '')} {r.get('status_code', '')} {flow}"
    if kind == "conn":
        return f"CONN {r.get('proto', '')} {flow} {r.get('service', '') or ''} {r.get('conn_state', '')} {r.get('duration', '')}s"
    return f"{kind.upper()} {flow}"


class ZeekParser(TimelineParser):
    name: ClassVar[str] = "zeek"
    format: ClassVar[str] = "Zeek logs (TSV or JSON): conn, dns, http, ..."
    description: ClassVar[str] = "Zeek/Bro logs"
    priority: ClassVar[int] = 78

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        if head.startswith(b"#separator") or b"\n#fields\t" in head[:4096]:
            return True
        return b'"uid"' in head and b'"id.orig_h"' in head and b'"ts"' in head

    def parse(self, ctx: ParseContext) -> Iterator[Item]:
        sep = "\t"
        fields: list[str] = []
        hint = Path(ctx.name).name
        unset, empty = "-", "(empty)"
        n = 0
        for item in iter_lines(ctx):
            if not isinstance(item, tuple):
                yield item
                continue
            off, text = item
            if text.startswith("#"):
                if text.startswith("#separator"):
                    sep = text.split(" ", 1)[1].encode().decode("unicode_escape")
                else:
                    parts = text.split(sep)
                    if parts[0] == "#fields":
                        fields = parts[1:]
                    elif parts[0] == "#path" and len(parts) > 1:
                        hint = parts[1]
                    elif parts[0] == "#unset_field" and len(parts) > 1:
                        unset = parts[1]
                    elif parts[0] == "#empty_field" and len(parts) > 1:
                        empty = parts[1]
                continue
            rec: dict[str, Any]
            if text.startswith("{"):
                try:
                    rec = json.loads(text)
                except ValueError as exc:
                    w = ctx.warn(f"bad JSON: {exc}", off)
                    if w:
                        yield w
                    continue
            elif fields:
                vals = text.split(sep)
                if len(vals) != len(fields):
                    w = ctx.warn(f"{len(vals)} columns where #fields has {len(fields)}", off)
                    if w:
                        yield w
                    continue
                rec = {k: v for k, v in zip(fields, vals, strict=True) if v not in (unset, empty)}
            else:
                if n == 0:
                    raise NotMyFormat("no #fields header and not JSON", path=ctx.name, offset=off)
                continue
            raw = rec.get("ts")
            try:
                if isinstance(raw, int | float) or (
                    isinstance(raw, str) and raw.replace(".", "", 1).isdigit()
                ):
                    sec = float(raw)
                    ts = from_epoch(int(sec)).replace(microsecond=round((sec - int(sec)) * 1e6) % 1_000_000)
                    prec = "us"
                else:
                    ts, prec = parse_iso(str(raw))
            except (TypeError, ValueError, OverflowError) as exc:
                w = ctx.warn(f"bad ts {raw!r}: {exc}", off)
                if w:
                    yield w
                continue
            kind = _kind(hint, rec.keys())
            attrs = {k: v for k, v in rec.items() if k != "ts"}
            if "id.orig_h" in rec:
                attrs["src_ip"], attrs["dst_ip"] = rec.get("id.orig_h"), rec.get("id.resp_h")
            n += 1
            yield Event(
                ts=ts,
                source="zeek",
                event_type=f"zeek_{kind}",
                message=_message(kind, rec),
                ref=ctx.ref(off, str(rec.get("uid")) if rec.get("uid") else None),
                ts_desc="Event Time",
                ts_precision=prec,
                tz="UTC",
                attrs=attrs,
            )
        if n == 0:
            raise NotMyFormat("no Zeek records", path=ctx.name)
