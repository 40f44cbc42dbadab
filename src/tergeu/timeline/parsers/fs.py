"""File-system metadata: TSK bodyfile input, and a directory walk producing the same events.

Bodyfile (TSK 3+): ``MD5|name|inode|mode|UID|GID|size|atime|mtime|ctime|crtime`` with epoch seconds
(fractions allowed). Equal times of one file are merged into one event (``MACB`` style). Every event
keeps all four times in nanoseconds (``m_ns``, ``a_ns``, ``c_ns``, ``b_ns``) so timestomp checks can
compare them; a walk reads them with ``lstat`` and never opens a file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, ClassVar

from tergeu.errors import NotMyFormat
from tergeu.records import Event, EvidenceRef
from tergeu.timeline.core import EPOCH, Item, ParseContext, TimelineParser, iter_lines

DESC = {"m": "Modification Time", "a": "Access Time", "c": "Change Time", "b": "Birth Time"}


def fs_events(
    path: str, times: dict[str, int | None], attrs: dict[str, Any], ref: EvidenceRef
) -> Iterator[Event]:
    """One event per distinct time of a file; ``times`` are nanoseconds since the epoch (or None)."""
    from datetime import timedelta

    base = dict(attrs, path=path, **{f"{k}_ns": v for k, v in times.items() if v is not None})
    groups: dict[int, list[str]] = {}
    for k in "macb":
        v = times.get(k)
        if v is not None and v > 0:
            groups.setdefault(v, []).append(k)
    for ns, keys in sorted(groups.items()):
        macb = "".join(k.upper() if k in keys else "." for k in "macb")
        yield Event(
            ts=EPOCH + timedelta(microseconds=ns // 1000),
            source="fs",
            event_type="file_" + "_".join(DESC[k].split()[0].lower() for k in keys),
            message=f"[{macb}] {path} ({attrs.get('size', '?')} bytes, {attrs.get('mode', '')})",
            ref=ref,
            ts_desc="; ".join(DESC[k] for k in keys),
            ts_precision="ns" if ns % 1000 else ("us" if ns % 1_000_000_000 else "s"),
            tz="UTC",
            attrs=dict(base, macb=macb),
        )


def _ns(text: str) -> int | None:
    try:
        v = Decimal(text)
    except InvalidOperation:
        return None
    return int(v * 1_000_000_000) if v > 0 else None


class BodyfileParser(TimelineParser):
    name: ClassVar[str] = "bodyfile"
    format: ClassVar[str] = "TSK bodyfile (fls -m / mactime input)"
    description: ClassVar[str] = "file-system MAC(B) times"
    priority: ClassVar[int] = 65

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        lines = [x for x in head.split(b"\n")[:5] if x.strip()]
        return bool(lines) and all(x.count(b"|") >= 10 for x in lines[: max(1, len(lines) - 1)])

    def parse(self, ctx: ParseContext) -> Iterator[Item]:
        n = 0
        for item in iter_lines(ctx):
            if not isinstance(item, tuple):
                yield item
                continue
            off, text = item
            parts = text.split("|")
            if len(parts) < 11:
                if n == 0 and off == 0:
                    raise NotMyFormat("not a bodyfile line", path=ctx.name, offset=0)
                w = ctx.warn(f"bodyfile line with {len(parts)} fields (11 expected)", off)
                if w:
                    yield w
                continue
            # A name may itself contain '|': the last 9 fields are fixed, the first is MD5.
            md5, name = parts[0], "|".join(parts[1:-9])
            inode, mode, uid, gid, size, at, mt, ct, bt = parts[-9:]
            times = {"m": _ns(mt), "a": _ns(at), "c": _ns(ct), "b": _ns(bt)}
            attrs: dict[str, Any] = {"inode": inode, "mode": mode, "uid": uid, "gid": gid, "size": size}
            if md5 and md5 != "0":
                attrs["md5"] = md5
            n += 1
            yield from fs_events(name, times, attrs, ctx.ref(off))
        if n == 0:
            raise NotMyFormat("no bodyfile lines", path=ctx.name)


def walk(root: Path, evidence_id: int | None = None) -> Iterator[Event]:
    """Events for every file and folder under ``root`` (``lstat`` only; links are not followed)."""
    import pwd

    owners: dict[int, str] = {}
    for dirpath, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for name in [*sorted(files), *dirs]:
            full = Path(dirpath) / name
            try:
                st = full.lstat()
            except OSError:
                continue
            if st.st_uid not in owners:
                try:
                    owners[st.st_uid] = pwd.getpwuid(st.st_uid).pw_name
                except KeyError:
                    owners[st.st_uid] = str(st.st_uid)
            birth = getattr(st, "st_birthtime", None)
            times = {
                "m": st.st_mtime_ns,
                "a": st.st_atime_ns,
                "c": st.st_ctime_ns,
                "b": int(birth * 1e9) if birth else None,
            }
            attrs = {
                "inode": st.st_ino,
                "mode": stat.filemode(st.st_mode),
                "owner": owners[st.st_uid],
                "size": st.st_size,
            }
            rel = str(full)
            yield from fs_events(rel, times, attrs, EvidenceRef(rel, evidence_id, None, None))
