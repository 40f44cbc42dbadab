"""Syslog files: RFC 3164 (``Jan  2 03:04:05 host prog[pid]: msg``), ISO-stamped rsyslog and RFC 5424.

RFC 3164 stamps carry no year and no zone. The year is inferred from the file: a cheap first pass
counts year wraps (a month far smaller than the previous one, e.g. Dec -> Jan) and anchors the last
line to the evidence modification time (or anchors the first line to ``--year``); the zone is the
source's own (``--tz`` or evidence metadata). Lines that do not start with a stamp are appended to the
previous event (multi-line messages) or reported as warnings with their byte offset.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from tergeu.errors import NotMyFormat
from tergeu.records import Event
from tergeu.timeline.core import Item, ParseContext, TimelineParser, iter_lines, parse_iso, zone

MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}
_RX_3164 = re.compile(
    r"^(?:<(\d{1,3})>)?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?:? ?(.*)$"
)
_RX_ISO = re.compile(
    r"^(?:<(\d{1,3})>)?(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?) (.*)$"
)
_RX_5424 = re.compile(
    r"^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(.*)$"
)
_RX_TAG = re.compile(r"^([^\s:\[\]]{1,64})(?:\[(\d+)\])?: ?(.*)$")
_RX_PREPASS = re.compile(
    rb"^(?:<\d{1,3}>)?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) ", re.M
)
_MONTHS_B = {k.encode(): v for k, v in MONTHS.items()}
_DST_SLACK = timedelta(minutes=5)
_WRAP = 6  # a month smaller by at least this much than the previous line's means a new year


def year_pass(path: Path) -> tuple[int, tuple[int, int] | None]:
    """Number of year wraps and the (month, day) of the last RFC 3164 line."""
    wraps = 0
    prev = 0
    last: tuple[int, int] | None = None
    tail = b""
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(16 << 20)
            if not chunk:
                break
            data = tail + chunk
            cut = data.rfind(b"\n") + 1
            body, tail = (data[:cut], data[cut:]) if cut else (b"", data)
            for m in _RX_PREPASS.finditer(body):
                mon = _MONTHS_B[m.group(1)]
                if prev and prev - mon >= _WRAP:
                    wraps += 1
                prev = mon
                last = (mon, int(m.group(2)))
        for m in _RX_PREPASS.finditer(tail):
            mon = _MONTHS_B[m.group(1)]
            if prev and prev - mon >= _WRAP:
                wraps += 1
            prev = mon
            last = (mon, int(m.group(2)))
    return wraps, last


def first_year(ctx: ParseContext) -> int:
    if ctx.year:
        return ctx.year
    wraps, last = year_pass(ctx.path)
    anchor = ctx.mtime or datetime.now(UTC)
    local = anchor.astimezone(zone(ctx.tz))
    last_year = local.year
    if last and last > (local.month, local.day):
        last_year -= 1  # the last line cannot be later than the file's modification
    return last_year - wraps


_RX_OFFSET = re.compile(r"([+-]\d\d):?(\d\d)$")


def _stamp_zone(stamp: str, default: str) -> str:
    """The zone a stamp states (``UTC`` or ``+05:00``), else the source's zone."""
    if stamp.endswith(("Z", "z")):
        return "UTC"
    m = _RX_OFFSET.search(stamp[19:])
    return f"{m.group(1)}:{m.group(2)}" if m else default


def _split_tag(rest: str) -> tuple[str, str, str, str]:
    """``host prog[pid]: msg`` -> (host, prog, pid, msg); a missing tag leaves prog empty."""
    if rest.startswith(("-", "—", ":")) or not rest:
        return "", "", "", rest.lstrip(":- ")
    host, _, after = rest.partition(" ")
    m = _RX_TAG.match(after)
    if m:
        return host, m.group(1), m.group(2) or "", m.group(3)
    m = _RX_TAG.match(rest)
    if m and not m.group(3).startswith(" "):
        return "", m.group(1), m.group(2) or "", m.group(3)
    return host, "", "", after


class SyslogParser(TimelineParser):
    name: ClassVar[str] = "syslog"
    format: ClassVar[str] = "syslog (RFC 3164, RFC 5424, ISO-stamped rsyslog)"
    description: ClassVar[str] = "Linux/Unix syslog text files"
    priority: ClassVar[int] = 50
    source: ClassVar[str] = "syslog"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        lines = [ln for ln in head.split(b"\n")[:10] if ln.strip()]
        if not lines:
            return False
        hits = 0
        for raw in lines[:-1] if len(lines) > 1 else lines:
            text = raw.decode("utf-8", "replace")
            if _RX_3164.match(text) or _RX_5424.match(text) or (_RX_ISO.match(text) and " " in text[20:]):
                hits += 1
        return hits >= max(1, (len(lines) - 1) // 2)

    def parse(self, ctx: ParseContext) -> Iterator[Item]:
        from tergeu.timeline.parsers.authlog import classify

        tz = zone(ctx.tz)
        year = first_year(ctx)
        prev_mon = 0
        cache: dict[tuple[int, int, int, str], datetime] = {}
        pending: Event | None = None
        last_ts: datetime | None = None
        seen = False
        source = self.source
        for item in iter_lines(ctx):
            if not isinstance(item, tuple):
                yield item
                continue
            off, text = item
            attrs: dict[str, Any]
            m = _RX_3164.match(text)
            if m:
                pri, mon_s, day_s, hh, mi, ss, frac, rest = m.groups()
                mon = MONTHS[mon_s]
                if prev_mon and prev_mon - mon >= _WRAP:
                    year += 1
                prev_mon = mon
                key = (year, mon, int(day_s), f"{hh}{mi}{ss}")
                ts = cache.get(key)
                if ts is None:
                    try:
                        ts = datetime(year, mon, int(day_s), int(hh), int(mi), int(ss), tzinfo=tz).astimezone(
                            UTC
                        )
                    except ValueError as exc:
                        w = ctx.warn(f"impossible date {mon_s} {day_s} {hh}:{mi}:{ss} in {year}: {exc}", off)
                        if w:
                            yield w
                        continue
                    if len(cache) > 4096:
                        cache.clear()
                    cache[key] = ts
                if last_ts is not None and tz is not UTC and ts < last_ts - _DST_SLACK:
                    # Local time repeats an hour when daylight saving ends: take the later reading.
                    later = ts.astimezone(tz).replace(fold=1).astimezone(UTC)
                    if later != ts and later >= last_ts - _DST_SLACK:
                        ts = later
                last_ts = ts
                prec = "s"
                if frac:
                    ts = ts.replace(microsecond=int((frac + "00000")[:6]))
                    prec = "ms" if len(frac) <= 3 else "us" if len(frac) <= 6 else "ns"
                host, prog, pid, msg = _split_tag(rest)
                attrs = {"host": host, "program": prog}
                if pid:
                    attrs["pid"] = int(pid)
                if pri:
                    attrs["priority"] = int(pri)
                tzname = ctx.tz
            else:
                m5 = _RX_5424.match(text)
                mi_ = None if m5 else _RX_ISO.match(text)
                if m5:
                    pri, _ver, stamp, host, prog, pid, msgid, sd, msg = m5.groups()
                    if stamp == "-":
                        w = ctx.warn("RFC 5424 line without a time stamp", off)
                        if w:
                            yield w
                        continue
                    host = "" if host == "-" else host
                    prog = "" if prog == "-" else prog
                    pid = "" if pid == "-" else pid
                    msg = msg.removeprefix("\ufeff")
                elif mi_:
                    pri, stamp, rest = mi_.groups()
                    host, prog, pid, msg = _split_tag(rest)
                    msgid, sd = "-", "-"
                else:
                    if pending is not None and len(pending.message) < 65536:
                        pending.message += "\n" + text
                        continue
                    w = ctx.warn("line without a syslog time stamp", off)
                    if w:
                        yield w
                    continue
                try:
                    ts, prec = parse_iso(stamp, tz)
                except ValueError as exc:
                    w = ctx.warn(f"bad time stamp {stamp!r}: {exc}", off)
                    if w:
                        yield w
                    continue
                attrs = {"host": host, "program": prog}
                if pid and pid.isdigit():
                    attrs["pid"] = int(pid)
                if pri:
                    attrs["priority"] = int(pri)
                if msgid and msgid != "-":
                    attrs["msgid"] = msgid
                if sd and sd != "-":
                    attrs["structured_data"] = sd
                tzname = _stamp_zone(stamp, ctx.tz)
            typed = classify(prog, msg) if prog else None
            etype = "syslog"
            if typed:
                etype, extra = typed
                attrs.update(extra)
            if pending is not None:
                yield pending
            seen = True
            pending = Event(
                ts=ts,
                source=source,
                event_type=etype,
                message=f"{prog}[{pid}]: {msg}" if pid else (f"{prog}: {msg}" if prog else msg),
                ref=ctx.ref(off),
                ts_desc="Log Time",
                ts_precision=prec,
                tz=tzname,
                attrs=attrs,
            )
        if pending is not None:
            yield pending
        if not seen:
            raise NotMyFormat("no syslog lines found", path=ctx.name)
