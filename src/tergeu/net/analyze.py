"""One call from capture files to flows, hints and DNS records: what every net command starts from.

Files are read one task per file through the executor (a process pool, or Dask when configured),
then put in time order and joined, so a flow that continues from one rotated capture file into the
next stays one flow. Workers return columns only; the payload bytes needed for hints are mapped
again here, which costs nothing for plain files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from tergeu import settings
from tergeu.errors import InputError, TergeuError
from tergeu.net import hints as hints_mod
from tergeu.net.flows import build_flows
from tergeu.net.pcap import Packets, _open_bytes, concat, read_capture
from tergeu.records import ParseWarning


@dataclass
class Analysis:
    """Flows (with hint columns), DNS messages, packet count, warnings and the files read."""

    flows: pl.DataFrame
    dns: pl.DataFrame
    n_packets: int
    arp: pl.DataFrame
    paths: list[str]
    warnings: list[ParseWarning] = field(default_factory=list)
    evidence_ids: list[int | None] = field(default_factory=list)
    packets: Packets | None = None


def _read_task(path: str) -> Packets:
    """Executor task: columns of one file, without the (unpicklable) mapped buffer."""
    pk = read_capture(path)
    pk.buffers = [None]
    return pk


def read_many(paths: Sequence[str | Path]) -> tuple[Packets | None, list[ParseWarning]]:
    """Read captures (in parallel when several) and join them in time order."""
    from tergeu.executor import get_executor

    items = [str(p) for p in paths]
    parts: dict[str, Packets] = {}
    warnings: list[ParseWarning] = []
    errors: list[TergeuError] = []
    if len(items) == 1:
        parts[items[0]] = read_capture(items[0])
    else:
        ex = get_executor(len(items))
        try:
            for item, res in ex.run(_read_task, items):
                if isinstance(res, TergeuError):
                    errors.append(res)
                    warnings.append(
                        ParseWarning(item, res.message("en"), getattr(res, "offset", None), None, "file")
                    )
                elif isinstance(res, BaseException):
                    raise res
                else:
                    res.buffers = [_open_bytes(Path(item))[0]]
                    parts[item] = res
        finally:
            ex.close()
    if not parts:
        if errors:
            raise errors[0]
        return None, warnings

    def first_ts(p: Packets) -> int:
        ts = p.cols["ts_ns"]
        return int(ts.min()) if len(ts) else 0

    ordered = sorted(parts.values(), key=lambda p: (first_ts(p), p.paths[0]))
    pk = concat(ordered)
    return pk, warnings + pk.warnings


def analyse(paths: Sequence[str | Path], evidence_ids: Sequence[int | None] | None = None) -> Analysis:
    """Flows + hints for captures; raises InputError only when no file could be read at all."""
    if not paths:
        raise InputError("no capture given")
    pk, warnings = read_many(paths)
    if pk is None:
        raise InputError("no packets could be read", path=str(paths[0]))
    fr = build_flows(pk, float(settings.get("net_idle_timeout")), float(settings.get("net_active_timeout")))
    hn = hints_mod.extract(pk, fr.packet_flow, fr.table.height)
    flows = _attach(fr.table, hn.per_flow)
    ids = list(evidence_ids) if evidence_ids is not None else [None] * len(pk.paths)
    # Map file positions (time order) back to the evidence ids given in argument order.
    by_path = {str(p): e for p, e in zip([str(x) for x in paths], ids, strict=False)}
    eids = [by_path.get(p) for p in pk.paths]
    from tergeu.evidence import path_text  # names of seized media may not be UTF-8

    names = pl.Series([path_text(p) for p in pk.paths], dtype=pl.Utf8)
    flows.hstack(
        [
            names.gather(flows["first_file"].to_numpy()).alias("first_path"),
            names.gather(flows["last_file"].to_numpy()).alias("last_path"),
        ],
        in_place=True,
    )
    for w in warnings:
        w.evidence_id = by_path.get(w.path)
        w.path = path_text(w.path)
    return Analysis(
        flows=flows,
        dns=hn.dns,
        arp=arp_table(pk),
        n_packets=len(pk),
        paths=list(pk.paths),
        warnings=warnings,
        evidence_ids=eids,
        packets=pk,
    )


def _attach(table: pl.DataFrame, per_flow: pl.DataFrame) -> pl.DataFrame:
    """Hint columns scattered onto the flow table in place (hints exist for few flows; a join
    would copy every feature column of a scan with hundreds of thousands of flows)."""
    n = table.height
    idx = per_flow["flow_id"].to_numpy()
    cols = []
    for name in per_flow.columns:
        if name == "flow_id":
            continue
        src = per_flow[name]
        if src.dtype == pl.Utf8:
            full = pl.Series(name, [None] * n, dtype=pl.Utf8)
        else:
            full = pl.Series(name, np.zeros(n, dtype=np.int32))
        if len(idx):
            full = full.scatter(idx, src)
        cols.append(full)
    table.hstack(cols, in_place=True)
    return table


def arp_table(pk: Packets) -> pl.DataFrame:
    """ARP requests/replies (sender, target) with their packet positions; sweeps on a LAN live here."""
    from tergeu.net.flows import _addr_strings

    c = pk.cols
    idx = np.flatnonzero(c["l3"] == 8)
    return pl.DataFrame(
        {
            "ts_ns": c["ts_ns"][idx],
            "sender": _addr_strings(c["src_hi"][idx], c["src_lo"][idx]),
            "target": _addr_strings(c["dst_hi"][idx], c["dst_lo"][idx]),
            "op": c["proto"][idx].astype(np.int16),
            "file": pk.file[idx],
            "index": pk.index[idx],
            "offset": pk.offset[idx],
        },
        schema={
            "ts_ns": pl.Int64,
            "sender": pl.Utf8,
            "target": pl.Utf8,
            "op": pl.Int16,
            "file": pl.Int32,
            "index": pl.Int64,
            "offset": pl.Int64,
        },
    )


FLOW_SUFFIXES = (".parquet", ".pq", ".csv")


def check_flows_out(out: Path) -> None:
    """Refuse, before any work, an output whose suffix would get bytes of another format."""
    if out.suffix.lower() not in FLOW_SUFFIXES:
        raise InputError(f"unknown output type {out.suffix or '(none)'!r}; use .parquet or .csv", path=out)


def write_flows(flows: pl.DataFrame, out: Path) -> Path:
    """Parquet for ``.parquet``, CSV for ``.csv``; the suffix chooses, so scripts stay obvious."""
    check_flows_out(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        flows.write_csv(out)
    else:
        flows.write_parquet(out, compression="zstd")
    return out


def flows_summary(a: Analysis) -> dict[str, Any]:
    f = a.flows
    return {
        "packets": a.n_packets,
        "flows": f.height,
        "tcp": int((f["proto"] == 6).sum()) if f.height else 0,
        "udp": int((f["proto"] == 17).sum()) if f.height else 0,
        "other": int((~f["proto"].is_in([6, 17])).sum()) if f.height else 0,
        "warnings": len(a.warnings),
    }
