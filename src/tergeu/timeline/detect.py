"""Clock and timestamp tampering detectors over one source's events in record order.

Programs trust the device clock, and an offender can move it (article S5, S7). A log gives two
independent orders: the order in which records were written (file offset, EventRecordID, journal
sequence) and the times written into them. Where the first moves forward and the second moves back,
the clock was changed or records were forged. Every finding says what was expected, what was found,
and, where it can be estimated, the likely true offset (``offset_seconds`` = shown time − true time,
negative when the clock was set back).

Offset estimation for a backward jump: the first record after the jump was written *after* the last
one before it, so the true offset is at least the jump; we add the local median spacing of records
(the expected time between the two) to estimate it. An explicit clock-change record (Windows 4616,
Kernel-General 1, ``date -s`` through sudo, auditd ``time-change``) gives it exactly.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tergeu.i18n import t
from tergeu.records import Event, EvidenceRef, Finding
from tergeu.timeline.core import iso, parse_iso, zone

ANALYZER = "timeline.check"
FLOOR = datetime(1990, 1, 1, tzinfo=UTC)


@dataclass
class CheckOptions:
    tolerance_s: float = 60.0  # clock noise and buffered writers: smaller backward steps are ignored
    confirm: int = 3  # records after a backward step that must stay back for it to count as a clock change
    acquired: datetime | None = None  # evidence acquisition time: later events are "in the future"
    silent_min_s: float = 6 * 3600.0
    silent_factor: float = 50.0
    min_events_silent: int = 50


def _f(
    kind: str,
    method: str,
    source: str,
    at: datetime | None,
    offset: float | None,
    summary: str,
    refs: list[EvidenceRef],
    score: float = 0.8,
    end: datetime | None = None,
    **details: Any,
) -> Finding:
    details = {"source": source, "at": iso(at) if at else None, "offset_seconds": offset, **details}
    return Finding(
        kind=kind,
        analyzer=ANALYZER,
        method=method,
        summary=summary,
        score=score,
        start=at,
        end=end,
        details=details,
        refs=refs,
    )


def _dur(seconds: float) -> str:
    s = abs(round(seconds))
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    out = f"{d}d " if d else ""
    return f"{'-' if seconds < 0 else ''}{out}{h:02d}:{m:02d}:{s:02d}"


def _median_gap(events: Sequence[Event], i: int, window: int = 25) -> float:
    """Median positive spacing of records around ``i`` (excluding the jump itself)."""
    gaps = []
    lo, hi = max(1, i - window), min(len(events), i + window)
    for j in range(lo, hi):
        if j == i:
            continue
        d = (events[j].ts - events[j - 1].ts).total_seconds()
        if 0 <= d < 86400:
            gaps.append(d)
    return statistics.median(gaps) if gaps else 0.0


_DATE_ARG = re.compile(
    r"""(?:date\s+(?:-s|--set)[= ]?\s*|timedatectl\s+set-time\s+|hwclock\s+--set\s+--date[= ]?\s*)["']?([^"';|&]+?)["']?(?:\s*$|\s*[;|&])"""
)
_DATE_MMDD = re.compile(r"date\s+(\d{2})(\d{2})(\d{2})(\d{2})((?:\d{2})?\d{2})?(?:\.(\d{2}))?\b")


_RELATIVE = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(sec\w*|min\w*|hour\w*|day\w*|week\w*)(\s+ago)?$", re.I)
_UNITS = {"sec": 1.0, "min": 60.0, "hou": 3600.0, "day": 86400.0, "wee": 604800.0}


def command_new_time(command: str, when: datetime, tz: str) -> datetime | None:
    """The time a ``date``/``timedatectl``/``hwclock`` command set, in UTC, when it names one."""
    zone_ = zone(tz)
    local = when.astimezone(zone_)
    m = _DATE_MMDD.search(command)
    if m:
        mo, dd, hh, mi, yy, ss = m.groups()
        year = local.year if not yy else (int(yy) if len(yy) == 4 else 2000 + int(yy))
        try:
            return datetime(year, int(mo), int(dd), int(hh), int(mi), int(ss or 0), tzinfo=zone_).astimezone(
                UTC
            )
        except ValueError:
            return None
    m = _DATE_ARG.search(command)
    if not m:
        return None
    arg = m.group(1).strip()
    if arg.startswith("@") and arg[1:].replace(".", "", 1).isdigit():
        return datetime.fromtimestamp(float(arg[1:]), UTC)
    rel = _RELATIVE.match(arg)
    if rel:
        n = float(rel.group(1)) * _UNITS[rel.group(2).lower().rstrip("s")[:3]]
        if rel.group(3):
            n = -n
        return when + timedelta(seconds=n)
    for fmt in (
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y%m%d %H:%M:%S",
        "%Y%m%d %H:%M",
    ):
        try:
            return datetime.strptime(arg, fmt).replace(tzinfo=zone_).astimezone(UTC)
        except ValueError:
            pass
    for fmt in ("%H:%M:%S", "%H:%M"):
        try:
            tm = datetime.strptime(arg, fmt)
            return local.replace(hour=tm.hour, minute=tm.minute, second=tm.second, microsecond=0).astimezone(
                UTC
            )
        except ValueError:
            pass
    try:
        return parse_iso(arg, zone_)[0]
    except ValueError:
        return None


def _explicit_change(ev: Event) -> tuple[datetime | None, datetime | None]:
    """(old, new) clock values an event states, as far as it states them."""
    a = ev.attrs
    old = a.get("PreviousTime") or a.get("OldTime")
    new = a.get("NewTime")
    if old and new:
        if a.get("PreviousDate") and a.get("NewDate"):  # Windows 7 era: local date and 12-hour time
            try:
                fmt = "%m/%d/%Y %I:%M:%S %p"
                o = datetime.strptime(f"{a['PreviousDate']} {old}", fmt).replace(tzinfo=UTC)
                n = datetime.strptime(f"{a['NewDate']} {new}", fmt).replace(tzinfo=UTC)
                return o, n
            except ValueError:
                return None, None
        try:
            return parse_iso(str(old))[0], parse_iso(str(new))[0]
        except ValueError:
            return None, None
    if ev.event_type == "time_change_command":
        cmd = str(a.get("command") or ev.message)
        new_t = command_new_time(cmd, ev.ts, ev.tz)
        return ev.ts, new_t
    return None, None


def check_stream(events: Sequence[Event], source: str, opts: CheckOptions | None = None) -> list[Finding]:
    """All tampering findings for one source whose ``events`` are in record (write) order."""
    o = opts or CheckOptions()
    out: list[Finding] = []
    out += _clock_changes(events, source, o)
    out += _backwards(events, source, o)
    out += _record_gaps(events, source)
    out += _silent(events, source, o)
    out += _out_of_range(events, source, o)
    out += timestomp(events, source)
    return out


def _clock_changes(events: Sequence[Event], source: str, o: CheckOptions) -> list[Finding]:
    out = []
    for i, ev in enumerate(events):
        if ev.event_type not in ("time_changed", "time_change_command", "audit_time_change"):
            continue
        old, new = _explicit_change(ev)
        offset: float | None = None
        method = "explicit clock-change record"
        if old and new:
            offset = (new - old).total_seconds()
        elif i + 1 < len(events):
            # The record says the clock changed but not to what: the next record shows where it went.
            step = (events[i + 1].ts - ev.ts).total_seconds()
            if abs(step) > o.tolerance_s:
                offset = step - (_median_gap(events, i + 1) if step < 0 else 0.0)
                method = "clock-change record + next record"
        if offset is not None and abs(offset) < o.tolerance_s and ev.event_type == "time_changed":
            continue  # routine synchronisation (w32time, NTP) moving the clock by seconds
        who = ev.attrs.get("user") or ev.attrs.get("SubjectUserName") or ev.attrs.get("auid") or "?"
        proc = ev.attrs.get("ProcessName") or ev.attrs.get("command") or ev.attrs.get("exe") or ""
        if offset is not None:
            summary = t(
                "timeline.f.clock_change",
                source=source,
                at=iso(ev.ts),
                offset=_dur(offset),
                who=who,
                proc=proc,
                old=iso(old) if old else "?",
                new=iso(new) if new else "?",
            )
        else:
            summary = t("timeline.f.clock_change_unknown", source=source, at=iso(ev.ts), who=who, proc=proc)
        out.append(
            _f(
                "clock_change",
                method,
                source,
                ev.ts,
                offset,
                summary,
                [ev.ref],
                score=0.9 if offset is None or abs(offset) >= 3600 else 0.7,
                expected="the clock runs on without being set",
                found=ev.message[:300],
                old=iso(old) if old else None,
                new=iso(new) if new else None,
                user=str(who),
                process=str(proc),
            )
        )
    return out


def _backwards(events: Sequence[Event], source: str, o: CheckOptions) -> list[Finding]:
    out: list[Finding] = []
    if len(events) < 2:
        return out
    hwm = events[0].ts
    hwm_i = 0
    n = len(events)
    for i in range(1, n):
        ts = events[i].ts
        if ts >= hwm:
            hwm, hwm_i = ts, i
            continue
        jump = (hwm - ts).total_seconds()
        if jump <= o.tolerance_s:
            continue
        # An isolated late record (buffered writer) returns above the mark at once; a moved clock stays.
        later = events[i + 1 : i + 1 + o.confirm]
        if later and any((e.ts - hwm).total_seconds() >= -o.tolerance_s for e in later):
            continue
        gap = _median_gap(events, i)
        offset, how = _estimate(jump, gap)
        prev = events[i - 1]
        summary = t(
            "timeline.f.backwards",
            source=source,
            prev=iso(hwm),
            found=iso(ts),
            jump=_dur(-jump),
            offset=_dur(offset),
            rec=events[i].ref.record or events[i].ref.offset or i,
        )
        out.append(
            _f(
                "time_backwards",
                f"record order vs time (high-water mark); {how}",
                source,
                ts,
                round(offset, 3),
                summary,
                [events[hwm_i].ref, events[i].ref],
                score=0.9 if jump > 600 else 0.6,
                expected=f"a time at or after {iso(hwm)} (record {events[hwm_i].ref.record or events[hwm_i].ref.offset})",
                found=f"{iso(ts)} (record {events[i].ref.record or events[i].ref.offset})",
                jump_seconds=round(-jump, 3),
                median_spacing_seconds=round(gap, 3),
                offset_bounds=[round(-jump - 2 * gap, 3) if gap else None, round(-jump, 3)],
                previous_message=prev.message[:200],
                message=events[i].message[:200],
            )
        )
        hwm, hwm_i = ts, i
    return out


def _estimate(jump: float, gap: float) -> tuple[float, str]:
    """Offset from a backward jump: at least the jump, plus the expected spacing of records.

    When the plausible interval ``[jump, jump + 4·spacing]`` holds exactly one whole quarter hour,
    that value is taken: shifts by whole hours or quarter hours (wrong time zone, a clock set by
    hand to a round time) are by far the most common, and the spacing estimate is only statistical.
    """
    raw = jump + gap
    hi = jump + max(4 * gap, 60.0)
    quarters = [q * 900 for q in range(int(jump // 900), int(hi // 900) + 1) if jump - 1 <= q * 900 <= hi]
    if len(quarters) == 1 and quarters[0] > 0:
        return -float(quarters[0]), "snapped to the whole quarter hour inside [jump, jump + 4·spacing]"
    return -round(raw, 3), "jump + median spacing of neighbouring records"


def _record_id(ev: Event) -> int | None:
    rid = ev.attrs.get("EventRecordID") or ev.attrs.get("seqnum") or ev.attrs.get("audit_serial")
    try:
        return int(rid) if rid is not None else None
    except (TypeError, ValueError):
        return None


def _record_gaps(events: Sequence[Event], source: str) -> list[Finding]:
    out = []
    last: dict[str, tuple[int, Event]] = {}
    for ev in events:
        rid = _record_id(ev)
        if rid is None:
            continue
        chan = str(ev.attrs.get("Channel") or ev.attrs.get("boot_id") or "")
        prev = last.get(chan)
        last[chan] = (rid, ev)
        if prev is None:
            continue
        prid, pev = prev
        if ev.source == "audit" and rid == prid:
            continue
        if rid == prid + 1:
            continue
        if rid > prid + 1:
            missing = rid - prid - 1
            summary = t(
                "timeline.f.gap", source=source, a=prid, b=rid, n=missing, start=iso(pev.ts), end=iso(ev.ts)
            )
            out.append(
                _f(
                    "gap",
                    "record id sequence",
                    source,
                    pev.ts,
                    None,
                    summary,
                    [pev.ref, ev.ref],
                    score=0.6,
                    end=ev.ts,
                    expected=f"record {prid + 1} after {prid}",
                    found=f"record {rid}",
                    missing=missing,
                    channel=chan,
                )
            )
        elif rid <= prid and ev.source != "audit":
            summary = t("timeline.f.reset", source=source, a=prid, b=rid, at=iso(ev.ts))
            out.append(
                _f(
                    "record_reset",
                    "record id sequence",
                    source,
                    ev.ts,
                    None,
                    summary,
                    [pev.ref, ev.ref],
                    score=0.5,
                    expected=f"record {prid + 1} after {prid}",
                    found=f"record {rid}",
                    channel=chan,
                )
            )
    return out


def _silent(events: Sequence[Event], source: str, o: CheckOptions) -> list[Finding]:
    if len(events) < o.min_events_silent:
        return []
    ordered = sorted(events, key=lambda e: e.ts)
    gaps = [(ordered[i].ts - ordered[i - 1].ts).total_seconds() for i in range(1, len(ordered))]
    med = statistics.median(gaps) or 1.0
    limit = max(o.silent_min_s, o.silent_factor * med)
    out = []
    for i, g in enumerate(gaps, 1):
        if g > limit:
            a, b = ordered[i - 1], ordered[i]
            summary = t("timeline.f.silent", source=source, start=iso(a.ts), end=iso(b.ts), dur=_dur(g))
            out.append(
                _f(
                    "silent_period",
                    "spacing of records vs median",
                    source,
                    a.ts,
                    None,
                    summary,
                    [a.ref, b.ref],
                    score=0.4,
                    end=b.ts,
                    expected=f"records about every {_dur(med)}",
                    found=f"none for {_dur(g)}",
                    median_spacing_seconds=med,
                )
            )
    return out


def _out_of_range(events: Sequence[Event], source: str, o: CheckOptions) -> list[Finding]:
    out: list[Finding] = []
    ref_time = o.acquired or datetime.now(UTC)
    limit = ref_time + timedelta(minutes=5)
    future = [e for e in events if e.ts > limit]
    if future:
        worst = max(future, key=lambda e: e.ts)
        offset = (worst.ts - ref_time).total_seconds()
        summary = t(
            "timeline.f.future", source=source, n=len(future), acquired=iso(ref_time), worst=iso(worst.ts)
        )
        out.append(
            _f(
                "future_time",
                "event time vs acquisition time",
                source,
                future[0].ts,
                round(offset, 3),
                summary,
                [future[0].ref, worst.ref],
                score=0.8,
                expected=f"times before acquisition {iso(ref_time)}",
                found=f"{len(future)} event(s) up to {iso(worst.ts)}",
                count=len(future),
            )
        )
    early = [e for e in events if e.ts < FLOOR]
    if early:
        first = min(early, key=lambda e: e.ts)
        summary = t("timeline.f.before", source=source, n=len(early), first=iso(first.ts))
        out.append(
            _f(
                "before_system",
                "event time before the system could exist",
                source,
                first.ts,
                None,
                summary,
                [first.ref],
                score=0.6,
                expected=f"times after {iso(FLOOR)}",
                found=f"{len(early)} event(s) from {iso(first.ts)}",
                count=len(early),
            )
        )
    return out


def timestomp(events: Iterable[Event], source: str) -> list[Finding]:
    """File-system records: modified before created, or all-zero sub-seconds where the FS keeps them."""
    files: dict[str, dict[str, Any]] = {}
    refs: dict[str, EvidenceRef] = {}
    for ev in events:
        if ev.source != "fs":
            continue
        p = str(ev.attrs.get("path", ""))
        files.setdefault(p, ev.attrs)
        refs.setdefault(p, ev.ref)
    if not files:
        return []
    out = []
    keeps_ns = sum(1 for a in files.values() if any(int(a.get(k + "_ns", 0)) % 1_000_000_000 for k in "mac"))
    fine_fs = keeps_ns >= max(3, 0.5 * len(files))
    for p, a in files.items():
        m_ns, b_ns = a.get("m_ns"), a.get("b_ns")
        if m_ns is not None and b_ns is not None and int(m_ns) + 2_000_000_000 < int(b_ns):
            mt, bt = (
                datetime.fromtimestamp(int(m_ns) / 1e9, UTC),
                datetime.fromtimestamp(int(b_ns) / 1e9, UTC),
            )
            summary = t("timeline.f.stomp_order", path=p, m=iso(mt), b=iso(bt))
            out.append(
                _f(
                    "timestomp",
                    "modified earlier than created",
                    source,
                    mt,
                    round((mt - bt).total_seconds(), 3),
                    summary,
                    [refs[p]],
                    score=0.7,
                    expected="modified >= created (copies keep mtime, so also check the copy trail)",
                    found=f"modified {iso(mt)} < created {iso(bt)}",
                    path=p,
                )
            )
        if (
            fine_fs
            and all(
                a.get(k + "_ns") is not None and int(a[k + "_ns"]) % 1_000_000_000 == 0 for k in ("m", "a")
            )
            and int(a.get("m_ns", 1)) != 0
        ):
            mt = datetime.fromtimestamp(int(a["m_ns"]) / 1e9, UTC)
            summary = t("timeline.f.stomp_zero", path=p, m=iso(mt))
            out.append(
                _f(
                    "timestomp",
                    "zero sub-seconds on a nanosecond file system",
                    source,
                    mt,
                    None,
                    summary,
                    [refs[p]],
                    score=0.5,
                    expected="nanosecond fractions like the other files of this file system",
                    found="modified and accessed times end in .000000000",
                    path=p,
                )
            )
    return out


def to_line(f: Finding) -> dict[str, Any]:
    """The JSON object ``timeline check --json`` prints for a finding."""
    d = f.details
    return {
        "kind": f.kind,
        "source": d.get("source"),
        "at": d.get("at"),
        "offset_seconds": d.get("offset_seconds"),
        "summary": f.summary,
        "method": f.method,
        "score": f.score,
        "expected": d.get("expected"),
        "found": d.get("found"),
        "refs": [r.to_dict() for r in f.refs],
    }


def _flow_key(ev: Event) -> tuple[str, str] | None:
    a = ev.attrs
    ip = a.get("src_ip") or a.get("id.orig_h") or a.get("IpAddress")
    port = a.get("src_port") or a.get("id.orig_p") or a.get("IpPort")
    if ip and port and str(port) not in ("0", "-"):
        return str(ip), str(port)
    return None


def refine_with_reference(findings: list[Finding], streams: Mapping[str, Sequence[Event]]) -> None:
    """Re-estimate backward-jump offsets against other sources that saw the same connections.

    A host log (auth.log: ``from IP port P``) and a network log from another clock (Zeek, Suricata,
    firewall) name the same client address and port; the median difference of their times over the
    shifted segment is the offset of the host clock, as trustworthy as the reference clock (which is
    checked on the segment before the jump, where the difference should be near zero).
    """
    index: dict[str, dict[tuple[str, str], datetime]] = {}
    for name, evs in streams.items():
        idx: dict[tuple[str, str], datetime] = {}
        for e in evs:
            k = _flow_key(e)
            if k and k not in idx:
                idx[k] = e.ts
        index[name] = idx
    for f in findings:
        if f.kind != "time_backwards" or f.start is None:
            continue
        src = str(f.details.get("source"))
        found = streams.get(src)
        if not found:
            continue
        evs = found
        jump_at = next((i for i, e in enumerate(evs) if e.ref == f.refs[-1]), None)
        if jump_at is None:
            continue
        after, before = evs[jump_at : jump_at + 500], evs[max(0, jump_at - 500) : jump_at]
        for other, idx in index.items():
            if other == src or not idx:
                continue
            d_after = [(e.ts - idx[k]).total_seconds() for e in after if (k := _flow_key(e)) and k in idx]
            if len(d_after) < 1:
                continue
            d_before = [(e.ts - idx[k]).total_seconds() for e in before if (k := _flow_key(e)) and k in idx]
            ref_off = statistics.median(d_after)
            base = statistics.median(d_before) if d_before else None
            f.details.update(
                offset_spacing_estimate=f.details.get("offset_seconds"),
                offset_seconds=round(ref_off - (base or 0.0), 3),
                reference_source=other,
                reference_matches=len(d_after),
                reference_offset_before_jump=None if base is None else round(base, 3),
            )
            f.method += f"; offset measured against {other} ({len(d_after)} shared connections)"
            break
