"""Windows event logs exported as XML (``wevtutil qe /f:xml``, Event Viewer "Save as XML") or CSV.

XML events are turned into the same attributes as EVTX records (EventID, Provider, Channel,
EventRecordID, EventData fields), so detectors and Sigma rules see no difference. CSV comes either
from PowerShell (``Get-WinEvent | Export-Csv``: Id, TimeCreated, RecordId, ProviderName, LogName,
MachineName, Message) or from Event Viewer (Level, Date and Time, Source, Event ID, Task Category,
then the description); their times are local, so the source's zone is applied.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from tergeu.errors import NotMyFormat
from tergeu.records import Event
from tergeu.timeline.core import Item, ParseContext, TimelineParser, decode, parse_iso, zone
from tergeu.timeline.parsers.evtx import EVENT_TYPES, PROVIDER_TYPES

_NS = re.compile(r"^\{[^}]*\}")
TIME_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M",
)  # fmt: skip


def _local(text: str, tz: str) -> datetime | None:
    s = text.strip()
    try:
        return parse_iso(s, zone(tz))[0]
    except ValueError:
        pass
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(s, fmt).replace(tzinfo=zone(tz)).astimezone(UTC)
        except ValueError:
            continue
    return None


def _etype(provider: str, eid: int) -> str:
    t = PROVIDER_TYPES.get((provider, eid))
    if t:
        return t
    if provider == "Microsoft-Windows-Time-Service":
        return "time_service"
    if "Security" in provider or eid in (7045, 1149):
        return EVENT_TYPES.get(eid, "evtx")
    return "evtx"


def _local_name(tag: str) -> str:
    return _NS.sub("", tag)


class WinXmlParser(TimelineParser):
    name: ClassVar[str] = "winevt_xml"
    format: ClassVar[str] = "Windows events exported as XML"
    description: ClassVar[str] = "wevtutil /f:xml or Event Viewer XML"
    priority: ClassVar[int] = 72

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        h = head.lstrip(b"\xef\xbb\xbf \r\n\t")
        return (
            h.startswith(b"<")
            and b"<Event" in head
            and b"schemas.microsoft.com/win/2004/08/events/event" in head
        )

    def parse(self, ctx: ParseContext) -> Iterator[Item]:
        n = 0
        # wevtutil output is a sequence of <Event> elements without a root: wrap it.
        raw = ctx.path.read_bytes()
        text = decode(raw)[0].lstrip("\ufeff")
        text = re.sub(r"^<\?xml[^>]*\?>", "", text.strip())
        wrapped = f"<Root>{text}</Root>"
        try:
            it = ET.iterparse(io.StringIO(wrapped), events=("end",))
            for _evt, el in it:
                if _local_name(el.tag) != "Event":
                    continue
                ev = self._event(el, ctx, n)
                el.clear()
                if ev is None:
                    w = ctx.warn("Event element without System/TimeCreated", None, str(n))
                    if w:
                        yield w
                    continue
                n += 1
                yield ev
        except ET.ParseError as exc:
            if n == 0:
                raise NotMyFormat(f"XML error: {exc}", path=ctx.name) from exc
            w = ctx.warn(f"XML error after {n} events: {exc}", code="xml")
            if w:
                yield w
        if n == 0:
            raise NotMyFormat("no <Event> elements", path=ctx.name)

    def _event(self, el: ET.Element, ctx: ParseContext, n: int) -> Event | None:
        sysd: dict[str, Any] = {}
        data: dict[str, Any] = {}
        stamp = None
        provider = ""
        for child in el:
            name = _local_name(child.tag)
            if name == "System":
                for s in child:
                    sn = _local_name(s.tag)
                    if sn == "Provider":
                        provider = s.get("Name", "")
                    elif sn == "TimeCreated":
                        stamp = s.get("SystemTime")
                    else:
                        sysd[sn] = (s.text or "").strip()
            elif name in ("EventData", "UserData"):
                nodes = list(child) if name == "EventData" else [x for c in child for x in c]
                for i, d in enumerate(nodes):
                    key = d.get("Name") or (_local_name(d.tag) if name == "UserData" else f"Data{i}")
                    data[key] = (d.text or "").strip()
        if not stamp:
            return None
        try:
            ts, _p = parse_iso(stamp)
        except ValueError:
            return None
        eid = int(re.sub(r"\D", "", sysd.get("EventID", "0")) or 0)
        rid = sysd.get("EventRecordID") or str(n)
        attrs: dict[str, Any] = {
            "EventID": eid,
            "Provider": provider,
            "Channel": sysd.get("Channel", ""),
            "Computer": sysd.get("Computer", ""),
            **data,
        }
        if rid.isdigit():
            attrs["EventRecordID"] = int(rid)
        detail = ", ".join(f"{k}={v}" for k, v in data.items() if v not in ("", "-"))
        return Event(
            ts=ts,
            source="evtx",
            event_type=_etype(provider, eid),
            message=f"{provider} {eid}: {detail}"[:4000],
            ref=ctx.ref(None, rid),
            ts_desc="Creation Time",
            ts_precision="us",
            tz="UTC",
            attrs=attrs,
        )


class WinCsvParser(TimelineParser):
    name: ClassVar[str] = "winevt_csv"
    format: ClassVar[str] = "Windows events exported as CSV (PowerShell or Event Viewer)"
    description: ClassVar[str] = "Export-Csv of Get-WinEvent, or Event Viewer 'Save as CSV'"
    priority: ClassVar[int] = 35

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        first = head.split(b"\n", 2)
        line = first[1] if first and first[0].startswith(b"#TYPE") and len(first) > 1 else first[0]
        low = line.lower()
        return (b"timecreated" in low and (b"providername" in low or b"id" in low)) or (
            b"date and time" in low and b"event id" in low
        )

    def parse(self, ctx: ParseContext) -> Iterator[Item]:
        raw = ctx.path.read_bytes()
        text, cp = decode(raw)
        if cp:
            w = ctx.warn("file is not UTF-8; decoded as CP1251", 0, code="encoding")
            if w:
                yield w
        text = text.lstrip("\ufeff")
        if text.startswith("#TYPE"):
            text = text.split("\n", 1)[1] if "\n" in text else ""
        reader = csv.reader(io.StringIO(text))
        try:
            header = next(reader)
        except StopIteration as exc:
            raise NotMyFormat("empty CSV", path=ctx.name) from exc
        cols = {h.strip().lower(): i for i, h in enumerate(header)}
        ps = "timecreated" in cols
        if not ps and not ("date and time" in cols and "event id" in cols):
            raise NotMyFormat("no TimeCreated / Date and Time column", path=ctx.name)
        n = 0
        for rowno, row in enumerate(reader, 1):
            if not row:
                continue

            def col(*names: str, row: list[str] = row) -> str:
                for nm in names:
                    i = cols.get(nm)
                    if i is not None and i < len(row):
                        return row[i]
                return ""

            if ps:
                stamp, eid_s, provider = col("timecreated"), col("id", "eventid"), col("providername")
                message, rid, channel, computer = (
                    col("message"),
                    col("recordid"),
                    col("logname"),
                    col("machinename"),
                )
            else:
                stamp, eid_s, provider = col("date and time"), col("event id"), col("source")
                message = row[len(header) - 1] if len(row) >= len(header) else ""
                if len(row) > len(header):
                    message = ",".join(row[len(header) - 1 :])
                rid, channel, computer = "", "", ""
            ts = _local(stamp, ctx.tz)
            if ts is None:
                w = ctx.warn(f"row {rowno}: unreadable time {stamp!r}", None, str(rowno))
                if w:
                    yield w
                continue
            try:
                eid = int(eid_s)
            except ValueError:
                eid = 0
            attrs: dict[str, Any] = {
                "EventID": eid,
                "Provider": provider,
                "Channel": channel,
                "Computer": computer,
            }
            if rid.isdigit():
                attrs["EventRecordID"] = int(rid)
            n += 1
            yield Event(
                ts=ts,
                source="evtx",
                event_type=_etype(provider, eid),
                message=f"{provider} {eid}: {message}"[:4000],
                ref=ctx.ref(None, rid or f"row {rowno}"),
                ts_desc="Creation Time",
                ts_precision="s",
                tz=ctx.tz,
                attrs=attrs,
            )
        if n == 0:
            raise NotMyFormat("no event rows", path=ctx.name)
