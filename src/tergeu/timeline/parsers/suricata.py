"""Suricata EVE JSON (one object per line; ``timestamp`` like ``2020-01-02T03:04:05.123456+0000``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from tergeu.errors import NotMyFormat
from tergeu.records import Event
from tergeu.timeline.core import Item, ParseContext, TimelineParser, parse_iso
from tergeu.timeline.parsers.journal import json_objects


def _summary(obj: dict[str, Any]) -> str:
    et = obj.get("event_type", "")
    flow = f"{obj.get('src_ip', '?')}:{obj.get('src_port', '')} -> {obj.get('dest_ip', '?')}:{obj.get('dest_port', '')} {obj.get('proto', '')}"
    if et == "alert":
        a = obj.get("alert") or {}
        return f"ALERT [{a.get('signature_id')}] {a.get('signature')} ({a.get('category')}) {flow}"
    if et == "dns":
        d = obj.get("dns") or {}
        return f"DNS {d.get('type', '')} {d.get('rrname', '')} {d.get('rrtype', '')} {flow}"
    if et == "http":
        h = obj.get("http") or {}
        return f"HTTP {h.get('http_method', '')} {h.get('hostname', '')}{h.get('url', '')} {h.get('status', '')} {flow}"
    if et == "tls":
        return f"TLS {(obj.get('tls') or {}).get('sni', '')} {flow}"
    return f"{et} {flow}"


class SuricataEveParser(TimelineParser):
    name: ClassVar[str] = "suricata_eve"
    format: ClassVar[str] = "Suricata EVE JSON"
    description: ClassVar[str] = "eve.json alerts, flows, dns, http, tls"
    priority: ClassVar[int] = 75

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return (
            b'"event_type"' in head
            and b'"timestamp"' in head
            and (b'"src_ip"' in head or b'"flow_id"' in head)
        )

    def parse(self, ctx: ParseContext) -> Iterator[Item]:
        n = 0
        for item in json_objects(ctx):
            if not isinstance(item, tuple):
                yield item
                continue
            off, obj = item
            stamp = obj.get("timestamp")
            if not stamp or "event_type" not in obj:
                if n == 0:
                    raise NotMyFormat("no EVE event", path=ctx.name, offset=off)
                w = ctx.warn("EVE object without timestamp/event_type", off)
                if w:
                    yield w
                continue
            try:
                ts, prec = parse_iso(str(stamp))
            except ValueError as exc:
                w = ctx.warn(f"bad timestamp {stamp!r}: {exc}", off)
                if w:
                    yield w
                continue
            attrs = {k: v for k, v in obj.items() if k not in ("timestamp",)}
            if "dest_ip" in obj:
                attrs["dst_ip"] = obj["dest_ip"]
            n += 1
            yield Event(
                ts=ts,
                source="suricata",
                event_type=f"suricata_{obj.get('event_type')}",
                message=_summary(obj),
                ref=ctx.ref(off, str(obj.get("flow_id")) if obj.get("flow_id") else None),
                ts_desc="Event Time",
                ts_precision=prec,
                tz="UTC",
                attrs=attrs,
            )
        if n == 0:
            raise NotMyFormat("no EVE events", path=ctx.name)
