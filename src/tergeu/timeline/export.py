"""Timeline exports: Timesketch JSONL and CSV, plaso-style l2tcsv, and Parquet.

Timesketch needs ``message``, ``datetime`` (ISO 8601), ``timestamp`` (microseconds) and
``timestamp_desc``; other keys become attributes. l2tcsv follows plaso's 17 columns, with times in
the display zone (plaso writes them in the output zone too) and the zone named in its column.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import UTC
from pathlib import Path
from typing import Any

from tergeu.records import Event
from tergeu.timeline.core import EPOCH, iso, zone

FORMATS = ("jsonl", "csv", "l2tcsv", "parquet")
L2T = [
    "date",
    "time",
    "timezone",
    "MACB",
    "source",
    "sourcetype",
    "type",
    "user",
    "host",
    "short",
    "desc",
    "version",
    "filename",
    "inode",
    "notes",
    "format",
    "extra",
]


def _micros(ev: Event) -> int:
    d = ev.ts - EPOCH
    return (d.days * 86400 + d.seconds) * 1_000_000 + d.microseconds


def sketch_row(ev: Event, display_tz: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "message": ev.message,
        "datetime": iso(ev.ts),
        "timestamp": _micros(ev),
        "timestamp_desc": ev.ts_desc,
        "display_time": iso(ev.ts, display_tz),
        "source_tz": ev.tz,
        "ts_precision": ev.ts_precision,
        "source": ev.source,
        "event_type": ev.event_type,
        "evidence_id": ev.ref.evidence_id,
        "file": ev.ref.path,
        "offset": ev.ref.offset,
        "record": ev.ref.record,
    }
    for k, v in ev.attrs.items():
        row.setdefault(k if k not in row else f"attr_{k}", v)
    return row


def _macb(desc: str) -> str:
    d = desc.lower()
    return (
        ("M" if "modif" in d else ".")
        + ("A" if "access" in d else ".")
        + ("C" if "change" in d else ".")
        + ("B" if "birth" in d or "creat" in d else ".")
    )


def export(events: Iterable[Event], path: Path, fmt: str, display_tz: str = "UTC") -> int:
    """Write ``events`` to ``path`` in ``fmt``; returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    if fmt == "jsonl":
        with open(path, "w", encoding="utf-8") as fh:
            for ev in events:
                fh.write(json.dumps(sketch_row(ev, display_tz), ensure_ascii=False, default=str) + "\n")
                n += 1
    elif fmt == "csv":
        cols = [
            "message",
            "datetime",
            "timestamp",
            "timestamp_desc",
            "display_time",
            "source_tz",
            "source",
            "event_type",
            "file",
            "offset",
            "record",
            "attributes",
        ]
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(cols)
            for ev in events:
                r = sketch_row(ev, display_tz)
                r["attributes"] = json.dumps(ev.attrs, ensure_ascii=False, default=str)
                w.writerow([r.get(c, "") for c in cols])
                n += 1
    elif fmt == "l2tcsv":
        tz = zone(display_tz)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(L2T)
            for ev in events:
                local = ev.ts.astimezone(tz)
                a = ev.attrs
                extra = "; ".join(f"{k}: {v}" for k, v in a.items())
                w.writerow(
                    [
                        local.strftime("%m/%d/%Y"),
                        local.strftime("%H:%M:%S"),
                        display_tz,
                        _macb(ev.ts_desc),
                        ev.source.upper(),
                        ev.event_type,
                        ev.ts_desc,
                        a.get("user") or a.get("SubjectUserName") or a.get("TargetUserName") or "-",
                        a.get("host") or a.get("Computer") or a.get("hostname") or "-",
                        ev.message[:200],
                        ev.message,
                        "2",
                        ev.ref.path,
                        "-",
                        f"source tz {ev.tz}; record {ev.ref.record or ev.ref.offset}",
                        ev.source,
                        extra,
                    ]
                )
                n += 1
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        data: dict[str, list[Any]] = {
            k: []
            for k in (
                "ts",
                "ts_precision",
                "source_tz",
                "ts_desc",
                "source",
                "event_type",
                "message",
                "file",
                "evidence_id",
                "offset",
                "record",
                "attrs",
            )
        }
        for ev in events:
            data["ts"].append(ev.ts.astimezone(UTC))
            data["ts_precision"].append(ev.ts_precision)
            data["source_tz"].append(ev.tz)
            data["ts_desc"].append(ev.ts_desc)
            data["source"].append(ev.source)
            data["event_type"].append(ev.event_type)
            data["message"].append(ev.message)
            data["file"].append(ev.ref.path)
            data["evidence_id"].append(ev.ref.evidence_id)
            data["offset"].append(ev.ref.offset)
            data["record"].append(ev.ref.record)
            data["attrs"].append(json.dumps(ev.attrs, ensure_ascii=False, default=str))
            n += 1
        table = pa.table(
            {
                **{k: v for k, v in data.items() if k != "ts"},
                "ts": pa.array(data["ts"], type=pa.timestamp("us", tz="UTC")),
            }
        )
        pq.write_table(table, str(path))
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return n
