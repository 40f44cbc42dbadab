"""Linux utmp/wtmp/btmp login records (glibc ``struct utmp``, 384 bytes, little endian).

Record order is write order, so a login whose time is earlier than the one before it shows a clock
moved back. ``OLD_TIME``/``NEW_TIME`` pairs are written by ``date`` itself: they become one
``time_changed`` event that states both clock values. btmp holds failed logins.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from tergeu.errors import NotMyFormat
from tergeu.records import Event
from tergeu.timeline.core import Item, ParseContext, TimelineParser, from_epoch, iso

SIZE = 384
_ST = struct.Struct("<hxxi32s4s32s256shhiii4i20s")
TYPES = {
    0: "EMPTY", 1: "RUN_LVL", 2: "BOOT_TIME", 3: "NEW_TIME", 4: "OLD_TIME", 5: "INIT_PROCESS",
    6: "LOGIN_PROCESS", 7: "USER_PROCESS", 8: "DEAD_PROCESS", 9: "ACCOUNTING",
}  # fmt: skip


def _s(b: bytes) -> str:
    return b.split(b"\x00", 1)[0].decode("utf-8", "replace")


def _plausible(rec: bytes) -> bool:
    typ = struct.unpack_from("<h", rec)[0]
    sec = struct.unpack_from("<i", rec, 340)[0]
    return 0 <= typ <= 9 and (sec == 0 or 0 < sec < 4_102_444_800)


class UtmpParser(TimelineParser):
    name: ClassVar[str] = "utmp"
    format: ClassVar[str] = "Linux utmp/wtmp/btmp"
    description: ClassVar[str] = "login records"
    priority: ClassVar[int] = 70

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        n = path.name.lower()
        named = any(k in n for k in ("wtmp", "btmp", "utmp"))
        return len(head) >= SIZE and _plausible(head[:SIZE]) and (named or head[4:8] != b"\x00" * 4)

    def parse(self, ctx: ParseContext) -> Iterator[Item]:
        failed = "btmp" in ctx.name.lower()
        with open(ctx.path, "rb") as fh:
            data = fh.read()
        if len(data) < SIZE or not _plausible(data[:SIZE]):
            raise NotMyFormat("not a utmp record", path=ctx.name, offset=0)
        old: datetime | None = None
        for i in range(0, len(data) - SIZE + 1, SIZE):
            rec = data[i : i + SIZE]
            if not _plausible(rec):
                w = ctx.warn("implausible utmp record (type/time out of range) skipped", i, str(i // SIZE))
                if w:
                    yield w
                continue
            typ, pid, line, _uid, user, host, _t, _e, _sess, sec, usec, a0, a1, a2, a3, _ = _ST.unpack(rec)
            if typ == 0:
                continue
            kind = TYPES.get(typ, str(typ))
            ts = from_epoch(sec).replace(microsecond=min(max(usec, 0), 999999))
            attrs: dict[str, Any] = {
                "ut_type": kind,
                "pid": pid,
                "tty": _s(line),
                "user": _s(user),
                "host": _s(host),
            }
            attrs["record_index"] = i // SIZE
            if a1 or a2 or a3:
                attrs["src_ip"] = str(ipaddress.IPv6Address(struct.pack("<4i", a0, a1, a2, a3)))
            elif a0:
                attrs["src_ip"] = str(ipaddress.IPv4Address(struct.pack("<i", a0)))
            etype = {
                7: "login_failed" if failed else "login",
                8: "logout",
                2: "os_start",
                1: "runlevel",
                3: "time_changed",
                4: "time_change_old",
            }.get(typ, "utmp")
            if typ == 4:
                old = ts
            if typ == 3 and old is not None:
                attrs["PreviousTime"], attrs["NewTime"] = iso(old), iso(ts)
                old = None
            who = attrs["user"]
            where = f" from {attrs['host']}" if attrs["host"] else ""
            yield Event(
                ts=ts,
                source="wtmp" if not failed else "btmp",
                event_type=etype,
                message=f"{kind} {who} {attrs['tty']}{where}".strip(),
                ref=ctx.ref(i, str(i // SIZE)),
                ts_desc="Login Time" if typ == 7 else "Record Time",
                ts_precision="us",
                tz="UTC",
                attrs=attrs,
            )
        rest = len(data) % SIZE
        if rest:
            w = ctx.warn(f"{rest} trailing bytes (a cut record) ignored", len(data) - rest, code="truncated")
            if w:
                yield w
