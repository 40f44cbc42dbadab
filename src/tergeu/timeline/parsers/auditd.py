"""Linux audit logs (``/var/log/audit/audit.log``), raw or enriched (``ausearch -i``-style extras).

Each line is one record ``type=T msg=audit(EPOCH.mmm:SERIAL): key=value ...``; records of one event
share the serial. Time changes show up as ``SYSCALL`` with ``key="time-change"`` (the usual audit
rule) and as ``TIME_INJOFFSET``/``TIME_ADJNTPVAL`` records; they are typed ``audit_time_change``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from tergeu.errors import NotMyFormat
from tergeu.records import Event
from tergeu.timeline.core import Item, ParseContext, TimelineParser, from_epoch, iter_lines

_RX = re.compile(r"^(?:node=(\S+) )?type=(\S+) msg=audit\((\d+)\.(\d{1,9}):(\d+)\): ?(.*)$")
_KV = re.compile(r"""(\w+)=("[^"]*"|'[^']*'|[^\s\x1d]+)""")
TYPES = {
    "USER_LOGIN": "login",
    "USER_AUTH": "auth",
    "USER_START": "session_open",
    "USER_END": "session_close",
    "ADD_USER": "user_created",
    "DEL_USER": "user_deleted",
    "ADD_GROUP": "group_created",
    "USER_MGMT": "user_changed",
    "USER_CMD": "sudo_command",
    "USER_CHAUTHTOK": "password_changed",
    "EXECVE": "process_created",
    "TIME_INJOFFSET": "audit_time_change",
    "TIME_ADJNTPVAL": "audit_time_change",
    "CONFIG_CHANGE": "audit_config_change",
    "DAEMON_START": "audit_start",
    "DAEMON_END": "audit_stop",
    "SERVICE_START": "service_start",
    "SERVICE_STOP": "service_stop",
    "SYSTEM_BOOT": "os_start",
    "SYSTEM_SHUTDOWN": "os_shutdown",
}


class AuditdParser(TimelineParser):
    name: ClassVar[str] = "auditd"
    format: ClassVar[str] = "Linux audit log (auditd)"
    description: ClassVar[str] = "type=... msg=audit(...) records"
    priority: ClassVar[int] = 85

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return b"msg=audit(" in head and b"type=" in head

    def parse(self, ctx: ParseContext) -> Iterator[Item]:
        n = 0
        for item in iter_lines(ctx):
            if not isinstance(item, tuple):
                yield item
                continue
            off, text = item
            m = _RX.match(text)
            if not m:
                w = ctx.warn("not an audit record (missing or bad msg=audit(time:serial))", off)
                if w:
                    yield w
                continue
            node, typ, sec, frac, serial, rest = m.groups()
            ts = from_epoch(int(sec)).replace(microsecond=int((frac + "00000")[:6]))
            attrs: dict[str, Any] = {"audit_type": typ, "audit_serial_no": int(serial)}
            if node:
                attrs["host"] = node
            for k, v in _KV.findall(rest.replace("\x1d", " ")):
                if k not in attrs:
                    attrs[k] = v.strip("\"'")
            etype = TYPES.get(typ, "audit")
            key = str(attrs.get("key", ""))
            if typ == "SYSCALL" and "time" in key:
                etype = "audit_time_change"
            if "acct" in attrs:
                attrs.setdefault("user", attrs["acct"])
            if attrs.get("addr") not in (None, "?"):
                attrs["src_ip"] = attrs["addr"]
            n += 1
            yield Event(
                ts=ts,
                source="audit",
                event_type=etype,
                message=f"{typ}: {rest}"[:4000],
                ref=ctx.ref(off, serial),
                ts_desc="Audit Time",
                ts_precision="ms" if len(frac) <= 3 else "us",
                tz="UTC",
                attrs=attrs,
            )
        if n == 0:
            raise NotMyFormat("no audit records", path=ctx.name)
