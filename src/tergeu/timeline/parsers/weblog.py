"""Apache and Nginx logs: access (common/combined) and error logs.

Access lines carry their own UTC offset (``[10/Oct/2000:13:55:36 -0700]``); Nginx error lines
(``2020/01/02 03:04:05 [error] ...``) carry none and use the source's zone; Apache 2.4 error lines
(``[Wed Oct 11 14:32:52.123456 2000] [core:error] ...``) likewise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, ClassVar

from tergeu.errors import NotMyFormat
from tergeu.records import Event
from tergeu.timeline.core import Item, ParseContext, TimelineParser, iter_lines, zone
from tergeu.timeline.parsers.syslog import MONTHS

_ACCESS = re.compile(
    r'^(\S+) (\S+) (\S+) \[(\d{1,2})/(\w{3})/(\d{4}):(\d\d):(\d\d):(\d\d)(?:\.(\d+))? ([+-]\d{4})\] "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?'
)
_NGINX_ERR = re.compile(r"^(\d{4})/(\d\d)/(\d\d) (\d\d):(\d\d):(\d\d) \[(\w+)\] (\d+)#(\d+): (.*)$")
_APACHE_ERR = re.compile(
    r"^\[\w{3} (\w{3}) (\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d+))? (\d{4})\] \[(?:([\w-]+):)?(\w+)\](?: \[pid (\d+)(?::tid \d+)?\])?(?: \[client ([^\]]+)\])? ?(.*)$"
)
_CLIENT = re.compile(r"client: ([0-9a-fA-F.:]+)")


def _offset(s: str) -> timezone:
    sign = -1 if s[0] == "-" else 1
    return timezone(sign * timedelta(hours=int(s[1:3]), minutes=int(s[3:5])))


class AccessLogParser(TimelineParser):
    name: ClassVar[str] = "weblog_access"
    format: ClassVar[str] = "Apache/Nginx access log (common, combined)"
    description: ClassVar[str] = "HTTP access log"
    priority: ClassVar[int] = 40

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        lines = [x for x in head.split(b"\n")[:5] if x.strip()]
        return bool(lines) and _ACCESS.match(lines[0].decode("utf-8", "replace")) is not None

    def parse(self, ctx: ParseContext) -> Iterator[Item]:
        n = 0
        for item in iter_lines(ctx):
            if not isinstance(item, tuple):
                yield item
                continue
            off, text = item
            m = _ACCESS.match(text)
            if not m:
                w = ctx.warn("not an access-log line", off)
                if w:
                    yield w
                continue
            ip, _ident, user, dd, mon, yyyy, hh, mi, ss, _frac, tzs, req, status, size, ref, ua = m.groups()
            try:
                ts = datetime(
                    int(yyyy), MONTHS[mon], int(dd), int(hh), int(mi), int(ss), tzinfo=_offset(tzs)
                ).astimezone(UTC)
            except (KeyError, ValueError) as exc:
                w = ctx.warn(f"impossible date: {exc}", off)
                if w:
                    yield w
                continue
            parts = req.split(" ")
            attrs: dict[str, Any] = {
                "src_ip": ip,
                "request": req,
                "status": int(status) if status != "-" else None,
            }
            if len(parts) >= 2:
                attrs["method"], attrs["uri"] = parts[0], parts[1]
            if user != "-":
                attrs["user"] = user
            if size != "-":
                attrs["bytes"] = int(size)
            if ref and ref != "-":
                attrs["referer"] = ref
            if ua:
                attrs["user_agent"] = ua
            n += 1
            yield Event(
                ts=ts,
                source="weblog",
                event_type="http_request",
                message=f"{ip} {req} {status}",
                ref=ctx.ref(off),
                ts_desc="Request Time",
                ts_precision="s",
                tz=f"{tzs[:3]}:{tzs[3:]}",
                attrs=attrs,
            )
        if n == 0:
            raise NotMyFormat("no access-log lines", path=ctx.name)


class ErrorLogParser(TimelineParser):
    name: ClassVar[str] = "weblog_error"
    format: ClassVar[str] = "Apache/Nginx error log"
    description: ClassVar[str] = "HTTP server error log"
    priority: ClassVar[int] = 40

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        first = next((x for x in head.split(b"\n") if x.strip()), b"").decode("utf-8", "replace")
        return bool(_NGINX_ERR.match(first) or _APACHE_ERR.match(first))

    def parse(self, ctx: ParseContext) -> Iterator[Item]:
        tz = zone(ctx.tz)
        n = 0
        for item in iter_lines(ctx):
            if not isinstance(item, tuple):
                yield item
                continue
            off, text = item
            attrs: dict[str, Any] = {}
            m = _NGINX_ERR.match(text)
            try:
                if m:
                    y, mo, d, hh, mi, ss, level, pid, _tid, msg = m.groups()
                    ts = datetime(int(y), int(mo), int(d), int(hh), int(mi), int(ss), tzinfo=tz).astimezone(
                        UTC
                    )
                    attrs.update(level=level, pid=int(pid), server="nginx")
                    prec = "s"
                else:
                    a = _APACHE_ERR.match(text)
                    if not a:
                        w = ctx.warn("not an error-log line", off)
                        if w:
                            yield w
                        continue
                    mon, d, hh, mi, ss, frac, y, module, level, pid, client, msg = a.groups()
                    ts = datetime(
                        int(y), MONTHS[mon], int(d), int(hh), int(mi), int(ss),
                        int((frac or "0").ljust(6, "0")[:6]), tzinfo=tz,
                    ).astimezone(UTC)  # fmt: skip
                    prec = "us" if frac else "s"
                    attrs.update(level=level, server="apache")
                    if module:
                        attrs["module"] = module
                    if pid:
                        attrs["pid"] = int(pid)
                    if client:
                        attrs["src_ip"] = client.rsplit(":", 1)[0]
            except (KeyError, ValueError) as exc:
                w = ctx.warn(f"impossible date: {exc}", off)
                if w:
                    yield w
                continue
            c = _CLIENT.search(msg)
            if c:
                attrs["src_ip"] = c.group(1)
            n += 1
            yield Event(
                ts=ts,
                source="weblog",
                event_type="http_error",
                message=msg,
                ref=ctx.ref(off),
                ts_desc="Log Time",
                ts_precision=prec,
                tz=ctx.tz,
                attrs=attrs,
            )
        if n == 0:
            raise NotMyFormat("no error-log lines", path=ctx.name)
