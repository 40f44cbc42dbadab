"""Windows EVTX through the Rust ``evtx`` package (PyEvtxParser), keeping EventRecordID.

A bad chunk or record makes the Rust iterator raise for that item only; we turn each into a warning
and keep reading, so a truncated or partly overwritten log still gives every readable record. The
event time is ``System/TimeCreated`` (some files have zero record-header stamps while it is valid).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from tergeu.errors import NotMyFormat
from tergeu.records import Event
from tergeu.timeline.core import Item, ParseContext, TimelineParser, parse_iso

#: Event ids that matter for investigations -> our event types (provider-independent where unique).
EVENT_TYPES: dict[int, str] = {
    4624: "logon_success",
    4625: "logon_failed",
    4634: "logoff",
    4647: "logoff",
    4648: "explicit_credentials",
    4672: "special_privileges",
    4616: "time_changed",
    1102: "log_cleared",
    4688: "process_created",
    4720: "user_created",
    4722: "user_enabled",
    4724: "password_reset",
    4726: "user_deleted",
    4728: "user_added_to_group",
    4732: "user_added_to_group",
    4756: "user_added_to_group",
    4776: "credential_validation",
    7045: "service_installed",
    1149: "rdp_auth_success",
    4778: "rdp_reconnect",
    4779: "rdp_disconnect",
}
PROVIDER_TYPES: dict[tuple[str, int], str] = {
    ("Microsoft-Windows-Eventlog", 104): "log_cleared",
    ("Microsoft-Windows-Eventlog", 1102): "log_cleared",
    ("Microsoft-Windows-Kernel-General", 1): "time_changed",
    ("Microsoft-Windows-Kernel-General", 12): "os_start",
    ("Microsoft-Windows-Kernel-General", 13): "os_shutdown",
    ("EventLog", 6005): "eventlog_start",
    ("EventLog", 6006): "eventlog_stop",
}


def _text(value: Any) -> Any:
    if isinstance(value, dict):
        if "#text" in value:
            return value["#text"]
        return {k: _text(v) for k, v in value.items() if k != "#attributes"} or None
    return value


def flatten_data(data: Any) -> dict[str, Any]:
    """EventData/UserData as a flat ``{name: value}`` (``Data`` lists become Data0, Data1...)."""
    out: dict[str, Any] = {}
    if not isinstance(data, dict):
        if data not in (None, ""):
            out["Data"] = _text(data)
        return out
    for key, value in data.items():
        if key == "#attributes":
            continue
        if key == "Data" and isinstance(value, list):
            for i, v in enumerate(value):
                out[f"Data{i}"] = _text(v)
        elif isinstance(value, dict) and "#text" not in value:
            for k2, v2 in value.items():
                if k2 != "#attributes":
                    out[k2] = _text(v2)
        else:
            out[key] = _text(value)
    return out


def record_to_event(rec: dict[str, Any], ctx: ParseContext) -> Event:
    doc = json.loads(rec["data"])
    ev = doc.get("Event", doc)
    sysd = ev.get("System", {})
    eid_raw = sysd.get("EventID")
    eid = int(_text(eid_raw) or 0)
    provider = ((sysd.get("Provider") or {}).get("#attributes") or {}).get("Name", "")
    stamp = ((sysd.get("TimeCreated") or {}).get("#attributes") or {}).get("SystemTime") or rec["timestamp"]
    ts, _prec = parse_iso(str(stamp).replace(" UTC", "").rstrip("Z") + "Z")
    record_id = sysd.get("EventRecordID") or rec["event_record_id"]
    data = flatten_data(ev.get("EventData"))
    if "UserData" in ev:
        data.update(flatten_data(_text(ev.get("UserData"))))
    attrs: dict[str, Any] = {
        "EventID": eid,
        "Provider": provider,
        "Channel": sysd.get("Channel") or "",
        "Computer": sysd.get("Computer") or "",
        "EventRecordID": int(record_id),
        "Level": sysd.get("Level"),
        **{k: v for k, v in data.items() if v is not None},
    }
    etype = PROVIDER_TYPES.get((provider, eid)) or (
        EVENT_TYPES.get(eid, "evtx") if "Security" in provider or eid in (7045, 1149) else "evtx"
    )
    if provider == "Microsoft-Windows-Time-Service":
        etype = "time_service"
    detail = ", ".join(f"{k}={v}" for k, v in data.items() if v not in (None, "", "-"))
    return Event(
        ts=ts,
        source="evtx",
        event_type=etype,
        message=f"{provider} {eid}: {detail}"[:4000],
        ref=ctx.ref(None, str(record_id)),
        ts_desc="Creation Time",
        ts_precision="us",
        tz="UTC",
        attrs=attrs,
    )


class EvtxParser(TimelineParser):
    name: ClassVar[str] = "evtx"
    format: ClassVar[str] = "Windows XML event log (EVTX)"
    description: ClassVar[str] = "Windows .evtx via the Rust evtx parser; EventRecordID kept"
    priority: ClassVar[int] = 90

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return head.startswith(b"ElfFile\x00")

    def parse(self, ctx: ParseContext) -> Iterator[Item]:
        from evtx import PyEvtxParser

        with open(ctx.path, "rb") as fh:
            if fh.read(8) != b"ElfFile\x00":
                raise NotMyFormat("no ElfFile signature", path=ctx.name, offset=0)
        try:
            parser = PyEvtxParser(str(ctx.path))
        except (RuntimeError, OSError) as exc:
            raise NotMyFormat(f"unreadable EVTX: {exc}", path=ctx.name) from exc
        it: Iterator[dict[str, Any]] = iter(parser.records_json())  # type: ignore[arg-type]
        errors = 0
        n = 0
        while True:
            try:
                rec = next(it)
            except StopIteration:
                break
            except Exception as exc:
                errors += 1
                w = ctx.warn(f"EVTX: {exc}", None, None, "evtx")
                if w:
                    yield w
                if errors > 100000:
                    break
                continue
            try:
                yield record_to_event(rec, ctx)
                n += 1
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                w = ctx.warn(f"EVTX record unusable: {exc}", None, str(rec.get("event_record_id")), "evtx")
                if w:
                    yield w
        if n == 0 and errors == 0:
            w = ctx.warn("EVTX file holds no records", 0, code="empty")
            if w:
                yield w
