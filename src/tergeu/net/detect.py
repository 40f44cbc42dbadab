"""Rule detectors over the flow table and DNS records, each with its thresholds stated and explained.

Why rules first: an investigator must be able to say in court *why* a host was flagged ("contacted
412 distinct TCP ports of 10.0.0.5 within 5 minutes without sending data; threshold 15"). Every
finding's ``details`` carries the observed values, the thresholds and the flows (with packet index
ranges) it rests on. The thresholds are chosen from how the tools behave, not from the test captures:
a person or program using a service opens a handful of ports, fails a password a few times, and
does not keep hundreds of half-open connections; attack tools do all of these by the hundred.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import polars as pl

from tergeu.net.flows import S_ACK, S_SYN, S_SYNACK
from tergeu.records import EvidenceRef, Finding

ANALYZER = "net"


def _where(frame: pl.DataFrame, **equal: Any) -> pl.DataFrame:
    """The rows of one group found by ``group_by``: every named column equal to its value."""
    return frame.filter(pl.all_horizontal([pl.col(k) == v for k, v in equal.items()]))


@dataclass(frozen=True)
class Thresholds:
    """Defaults; each line says what a benign host would have to do to cross it."""

    scan_window_s: int = 300  # scans are counted per 5-minute window
    scan_ports: int = 15  # distinct ports probed on one host without sending data (browsers use 1-3)
    sweep_hosts: int = 10  # distinct hosts probed (ICMP echo or data-less TCP) from one source
    brute_window_s: int = 600
    brute_conns: int = 8  # sessions to an encrypted login service (SSH, RDP, ...) in 10 min
    brute_attempts: int = 10  # refused logins (FTP 530, POP3 -ERR, ...) for one client in 10 min
    brute_http_fail: int = 10  # HTTP 401/403 answers to one client in 10 min
    flood_window_s: int = 60
    syn_flood_halfopen: int = 500  # half-open connections to one service per minute
    flood_pps: float = 200.0  # packets/s one source sends one host (UDP/ICMP), sustained
    flood_packets: int = 1000  # and at least this many packets
    slow_conns: int = 20  # long connections to one web server trickling data (>=3 pieces, >=0.5 s apart)
    # and answered with at most an error page (<1 KiB); browsers keep about 6 per server
    slow_min_duration_s: float = 8.0
    exfil_bytes: int = 1 << 20  # payload uploaded by one client to one host
    exfil_ratio: float = 10.0  # sent / received
    beacon_min: int = 8  # connections at a regular period
    beacon_min_period_s: float = 0.5
    beacon_tolerance: float = 0.3  # an interval within ±30 % of the median counts as on-period
    beacon_regular: float = 0.8  # share of on-period intervals
    dns_min_queries: int = 30  # queries under one domain from one client
    dns_label_len: float = 20.0  # mean length of the longest subdomain label
    dns_entropy: float = 3.3  # Shannon bits/char of the subdomain part
    dns_unique: float = 0.7  # share of distinct names


LOGIN_PORTS = {
    21: "ftp",
    22: "ssh",
    23: "telnet",
    25: "smtp",
    110: "pop3",
    143: "imap",
    389: "ldap",
    445: "smb",
    465: "smtps",
    587: "submission",
    993: "imaps",
    995: "pop3s",
    1433: "mssql",
    3306: "mysql",
    3389: "rdp",
    5432: "postgresql",
    5900: "vnc",
}
CLEARTEXT_LOGIN = {21, 23, 25, 110, 143, 587}
WEB_PORTS = {80, 8000, 8080, 8008, 8888, 443, 8443}


DETECT_COLUMNS = (
    "flow_id", "src", "dst", "sport", "dport", "proto", "icmp_type", "first_flags", "state",
    "start_ns", "end_ns", "duration", "n_packets", "fwd_pkts", "bwd_pkts", "fwd_payload", "bwd_payload",
    "act_data_pkt_fwd", "fwd_iat_mean", "fwd_len_mean", "min_seg_size_fwd", "auth_fail", "auth_ok",
    "http_status", "http_uri", "http_ua", "first_file", "first_index", "last_file", "last_index", "first_offset",
)  # fmt: skip


def _score(x: float, thr: float) -> float:
    """0.5 at the threshold, rising to 1.0 at four times it; explained, monotone, bounded."""
    if x < thr:
        return round(0.5 * x / thr, 3)
    return round(min(1.0, 0.5 + 0.5 * (x - thr) / (3 * thr)), 3)


def _ts(ns: int) -> datetime:
    return datetime.fromtimestamp(ns / 1e9, UTC)


def _refs(rows: pl.DataFrame, paths: list[str], eids: list[int | None], limit: int = 20) -> list[EvidenceRef]:
    refs = []
    for r in rows.head(limit).iter_rows(named=True):
        f = int(r["first_file"])
        last = int(r["last_file"])
        rec = f"flow {r['flow_id']}: packets {r['first_index']}-{r['last_index']}"
        if last != f:
            rec += f" (ends in {paths[last]})"
        refs.append(EvidenceRef(paths[f], eids[f] if f < len(eids) else None, int(r["first_offset"]), rec))
    return refs


def _flow_list(rows: pl.DataFrame, limit: int = 50) -> list[dict[str, Any]]:
    return [
        {
            "flow_id": int(r["flow_id"]),
            "file": int(r["first_file"]),
            "packets": [int(r["first_index"]), int(r["last_index"])],
        }
        for r in rows.head(limit).iter_rows(named=True)
    ]


class Detector:
    """Runs every rule over one analysis; ``paths``/``eids`` map file numbers to evidence."""

    def __init__(
        self,
        flows: pl.DataFrame,
        dns: pl.DataFrame,
        paths: list[str],
        eids: list[int | None],
        th: Thresholds | None = None,
        arp: pl.DataFrame | None = None,
    ) -> None:
        self.arp = arp
        # Rules read a few columns; filtering only those avoids copying every feature of a scan.
        self.f = flows.select([c for c in DETECT_COLUMNS if c in flows.columns])
        self.dns = dns
        self.paths = paths
        self.eids = eids
        self.th = th or Thresholds()

    def finding(
        self,
        kind: str,
        rule: str,
        summary: str,
        score: float,
        rows: pl.DataFrame,
        src: str | None,
        dst: str | None,
        details: dict[str, Any],
    ) -> Finding:
        details = {**details, "flows": _flow_list(rows), "n_flows": rows.height}
        return Finding(
            kind=kind,
            analyzer=ANALYZER,
            method=f"rule:{rule}",
            summary=summary,
            score=score,
            start=_ts(int(rows["start_ns"].min())),  # type: ignore[arg-type]
            end=_ts(int(rows["end_ns"].max())),  # type: ignore[arg-type]
            src=src,
            dst=dst,
            details=details,
            refs=_refs(rows, self.paths, self.eids),
        )

    @classmethod
    def of(cls, a: Any, th: Thresholds | None = None) -> Detector:
        """A detector over an :class:`~tergeu.net.analyze.Analysis`."""
        return cls(a.flows, a.dns, a.paths, a.evidence_ids, th, a.arp)

    def run(self) -> list[Finding]:
        if self.f.height == 0:
            return list(self.host_sweep())
        out: list[Finding] = []
        for rule in (
            self.port_scan,
            self.udp_scan,
            self.host_sweep,
            self.brute_force,
            self.brute_force_http,
            self.syn_flood,
            self.volume_flood,
            self.slowloris,
            self.exfiltration,
            self.dns_tunnel,
        ):
            out.extend(rule())
        # A password-guessing or flooding tool is also "periodic"; beaconing is only reported for
        # host pairs that nothing else explains.
        explained = {(f.src, f.dst) for f in out if f.kind in ("brute_force", "dos", "port_scan")}
        out.extend(b for b in self.beaconing() if (b.src, b.dst) not in explained)
        return sorted(out, key=lambda x: (x.start or datetime.min.replace(tzinfo=UTC), x.kind))

    def _bucket(self, window: int) -> pl.Expr:
        return (pl.col("start_ns") // (window * 1_000_000_000)).alias("bucket")

    # ------------------------------------------------------------------ scans
    def port_scan(self) -> Iterator[Finding]:
        th = self.th
        probes = self.f.filter((pl.col("proto") == 6) & (pl.col("fwd_payload") == 0)).with_columns(
            self._bucket(th.scan_window_s)
        )
        if probes.height == 0:
            return
        g = probes.group_by("src", "dst", "bucket").agg(pl.col("dport").n_unique().alias("ports"))
        for src, dst, bucket, ports in g.filter(pl.col("ports") >= th.scan_ports).iter_rows():
            rows = _where(probes, src=src, dst=dst, bucket=bucket)
            sub = self._scan_type(rows)
            yield self.finding(
                "port_scan",
                f"port_scan_{sub}",
                f"{src} probed {ports} TCP ports of {dst} without sending data ({sub} scan)",
                _score(ports, th.scan_ports),
                rows.sort("start_ns"),
                src,
                dst,
                {
                    "scan_type": sub,
                    "probe_flags": {
                        f"{k:#04x}": v
                        for k, v in Counter(int(x) & 0x3F for x in rows["first_flags"].to_list()).most_common(
                            6
                        )
                    },
                    "distinct_ports": ports,
                    "threshold_ports": th.scan_ports,
                    "window_s": th.scan_window_s,
                    "ports_sample": sorted(set(rows["dport"].to_list()))[:30],
                    "answered_synack": int(((rows["state"] & S_SYNACK) > 0).sum()),
                },
            )

    @staticmethod
    def _scan_type(rows: pl.DataFrame) -> str:
        """SYN vs connect: a connect() scan completes the handshake on open ports (ACK after SYN-ACK)
        and carries the kernel's full TCP options; nmap's raw SYN probes answer SYN-ACK with RST and
        carry at most an MSS option (IP+TCP header <= 44 bytes)."""
        flags = Counter(int(x) & 0x3F for x in rows["first_flags"].to_list())
        top, _ = flags.most_common(1)[0]
        if top == 0x02:
            answered = rows.filter((pl.col("state") & S_SYNACK) > 0)
            if answered.height:
                acked = float(((answered["state"] & S_ACK) > 0).mean() or 0.0)  # type: ignore[arg-type]
                return "connect" if acked > 0.5 else "syn"
            return "syn" if float(rows["min_seg_size_fwd"].median() or 0) <= 44 else "connect"  # type: ignore[arg-type]
        return {0x01: "fin", 0x29: "xmas", 0x00: "null", 0x10: "ack"}.get(top, f"flags_{top:#04x}")

    def udp_scan(self) -> Iterator[Finding]:
        th = self.th
        probes = self.f.filter(
            (pl.col("proto") == 17) & (pl.col("bwd_payload") == 0) & (pl.col("fwd_pkts") <= 3)
        ).with_columns(self._bucket(th.scan_window_s))
        if probes.height == 0:
            return
        g = probes.group_by("src", "dst", "bucket").agg(pl.col("dport").n_unique().alias("ports"))
        for src, dst, bucket, ports in g.filter(pl.col("ports") >= th.scan_ports).iter_rows():
            rows = _where(probes, src=src, dst=dst, bucket=bucket)
            unreach = self.f.filter(
                (pl.col("proto").is_in([1, 58]))
                & (pl.col("src") == dst)
                & (pl.col("dst") == src)
                & pl.col("icmp_type").is_in([3, 1])
            )
            yield self.finding(
                "port_scan",
                "port_scan_udp",
                f"{src} probed {ports} UDP ports of {dst} that never answered with data (UDP scan)",
                _score(ports, th.scan_ports),
                rows.sort("start_ns"),
                src,
                dst,
                {
                    "scan_type": "udp",
                    "distinct_ports": ports,
                    "threshold_ports": th.scan_ports,
                    "window_s": th.scan_window_s,
                    "icmp_unreachable_packets": int(unreach["fwd_pkts"].sum()) if unreach.height else 0,
                },
            )

    def host_sweep(self) -> Iterator[Finding]:
        """Many hosts probed from one source: ICMP echo / data-less TCP flows, and on a LAN the ARP
        requests a sweep causes (non-existent hosts never get an IP packet, only an ARP request)."""
        th = self.th
        probe = ((pl.col("proto").is_in([1, 58])) & (pl.col("icmp_type").is_in([8, 13, 128]))) | (
            (pl.col("proto") == 6) & (pl.col("fwd_payload") == 0) & (pl.col("fwd_pkts") <= 3)
        )
        probes = (
            self.f.filter(probe).with_columns(self._bucket(th.scan_window_s)) if self.f.height else self.f
        )
        w = th.scan_window_s * 1_000_000_000
        targets: dict[tuple[str, int], set[str]] = {}
        if probes.height:
            g = probes.group_by("src", "bucket").agg(
                pl.col("dst").unique().alias("d"), pl.col("dst").n_unique().alias("n")
            )
            for src, bucket, d, _n in g.filter(pl.col("n") >= min(th.sweep_hosts, 2)).iter_rows():
                targets[(src, bucket)] = set(d)
        arp = self.arp
        arp_req = arp.filter(pl.col("op") == 1) if arp is not None and arp.height else None
        answered_arp: set[str] = (
            set(arp.filter(pl.col("op") == 2)["sender"].to_list())
            if arp is not None and arp.height
            else set()
        )
        arp_targets: dict[tuple[str, int], set[str]] = {}
        if arp_req is not None:
            # gratuitous ARP (sender = target) and address probes (sender 0.0.0.0) are not sweeps
            real = arp_req.filter((pl.col("sender") != pl.col("target")) & (pl.col("sender") != "0.0.0.0"))
            g = (
                real.with_columns((pl.col("ts_ns") // w).alias("bucket"))
                .group_by("sender", "bucket")
                .agg(pl.col("target").unique())
            )
            for snd, bucket, tgts in g.iter_rows():
                arp_targets[(snd, bucket)] = set(tgts)
        for key in sorted(set(targets) | set(arp_targets)):
            src, bucket = key
            ip_hosts = targets.get(key, set())
            arp_hosts = arp_targets.get(key, set())
            unanswered = len(arp_hosts - answered_arp)
            # ARP alone counts only when most requests went unanswered: a gateway ARPs for live hosts.
            use_arp = len(arp_hosts) >= th.sweep_hosts and unanswered >= 0.5 * len(arp_hosts)
            hosts = ip_hosts | (arp_hosts if use_arp else set())
            if len(hosts) < th.sweep_hosts:
                continue
            rows = _where(probes, src=src, bucket=bucket).sort("start_ns") if probes.height else probes
            refs = _refs(rows, self.paths, self.eids, limit=10) if rows.height else []
            starts: list[int] = rows["start_ns"].to_list() if rows.height else []
            ends: list[int] = rows["end_ns"].to_list() if rows.height else []
            arp_rows = None
            if use_arp and arp_req is not None:
                arp_rows = arp_req.filter((pl.col("sender") == src) & (pl.col("ts_ns") // w == bucket)).sort(
                    "ts_ns"
                )
                starts += arp_rows["ts_ns"].to_list()
                ends += arp_rows["ts_ns"].to_list()
                for r in arp_rows.head(10).iter_rows(named=True):
                    fi = int(r["file"])
                    refs.append(
                        EvidenceRef(
                            self.paths[fi],
                            self.eids[fi] if fi < len(self.eids) else None,
                            int(r["offset"]),
                            f"ARP request, packet {r['index']}",
                        )
                    )
            answered = rows.filter(pl.col("bwd_pkts") > 0)["dst"].n_unique() if rows.height else 0
            details = {
                "distinct_hosts": len(hosts),
                "threshold_hosts": th.sweep_hosts,
                "window_s": th.scan_window_s,
                "ip_probed_hosts": len(ip_hosts),
                "arp_requested_hosts": len(arp_hosts) if use_arp else 0,
                "arp_unanswered": unanswered if use_arp else 0,
                "answered": answered,
                "hosts_sample": sorted(hosts)[:30],
                "flows": _flow_list(rows) if rows.height else [],
                "n_flows": rows.height,
                "arp_packets": [
                    [int(a), int(b)]
                    for a, b in zip(arp_rows["file"].head(50), arp_rows["index"].head(50), strict=True)
                ]
                if arp_rows is not None
                else [],
            }
            yield Finding(
                kind="host_sweep",
                analyzer=ANALYZER,
                method="rule:host_sweep",
                summary=f"{src} probed {len(hosts)} hosts (ICMP/TCP probes to {len(ip_hosts)}, ARP for {len(arp_hosts) if use_arp else 0}); {answered} answered",
                score=_score(len(hosts), th.sweep_hosts),
                start=_ts(min(starts)),
                end=_ts(max(ends)),
                src=src,
                dst=None,
                details=details,
                refs=refs,
            )

    # ------------------------------------------------------------------ brute force
    def brute_force(self) -> Iterator[Finding]:
        """Cleartext services (FTP, POP3, IMAP, SMTP, telnet) are judged by the refusals the server
        sends back; encrypted ones (SSH, RDP, SMB, databases) only by how many sessions one client
        opens, since their failures are invisible on the wire."""
        th = self.th
        sess = self.f.filter(
            (pl.col("proto") == 6)
            & pl.col("dport").is_in(list(LOGIN_PORTS))
            & ((pl.col("state") & S_SYNACK) > 0)
        ).with_columns(self._bucket(th.brute_window_s))
        if sess.height == 0:
            return
        g = sess.group_by("src", "dst", "dport", "bucket").agg(
            pl.len().alias("conns"),
            pl.col("auth_fail").sum().alias("fails"),
            pl.col("auth_ok").sum().alias("oks"),
        )
        for src, dst, dport, bucket, conns, fails, oks in g.iter_rows():
            clear = dport in CLEARTEXT_LOGIN
            hit = fails >= th.brute_attempts if clear else conns >= th.brute_conns
            if not hit:
                continue
            rows = _where(sess, src=src, dst=dst, dport=dport, bucket=bucket).sort("start_ns")
            svc = LOGIN_PORTS[dport]
            x = fails / th.brute_attempts if clear else conns / th.brute_conns
            what = f"{fails} refused logins in {conns} sessions" if clear else f"{conns} sessions"
            yield self.finding(
                "brute_force",
                f"brute_force_{svc}",
                f"{src} → {dst}:{dport} ({svc}): {what}" + (f", {oks} accepted" if oks else ""),
                _score(x, 1.0),
                rows,
                src,
                dst,
                {
                    "service": svc,
                    "sessions": conns,
                    "refused_logins": int(fails) if clear else None,
                    "accepted_logins": int(oks) if clear else None,
                    "threshold_refusals": th.brute_attempts if clear else None,
                    "threshold_sessions": None if clear else th.brute_conns,
                    "window_s": th.brute_window_s,
                },
            )

    def brute_force_http(self) -> Iterator[Finding]:
        th = self.th
        if "http_status" not in self.f.columns:
            return
        fails = self.f.filter(pl.col("http_status").is_in(["401", "403"])).with_columns(
            self._bucket(th.brute_window_s)
        )
        if fails.height == 0:
            return
        g = fails.group_by("src", "dst", "dport", "bucket").agg(pl.len().alias("n"))
        for src, dst, dport, bucket, n in g.filter(pl.col("n") >= th.brute_http_fail).iter_rows():
            rows = _where(fails, src=src, dst=dst, dport=dport, bucket=bucket).sort("start_ns")
            uris = Counter(u for u in rows["http_uri"].to_list() if u)
            yield self.finding(
                "brute_force",
                "brute_force_http",
                f"{src} got {n} HTTP 401/403 refusals from {dst}:{dport} (password guessing)",
                _score(n, th.brute_http_fail),
                rows,
                src,
                dst,
                {
                    "service": "http",
                    "refusals": n,
                    "threshold_refusals": th.brute_http_fail,
                    "window_s": th.brute_window_s,
                    "uris": dict(uris.most_common(5)),
                    "user_agents": sorted({u for u in rows["http_ua"].to_list() if u})[:5],
                },
            )

    # ------------------------------------------------------------------ denial of service
    def syn_flood(self) -> Iterator[Finding]:
        th = self.th
        half = self.f.filter(
            (pl.col("proto") == 6)
            & ((pl.col("state") & S_SYN) > 0)
            & ((pl.col("state") & S_ACK) == 0)
            & (pl.col("fwd_payload") == 0)
        ).with_columns(self._bucket(th.flood_window_s))
        if half.height == 0:
            return
        g = half.group_by("dst", "dport", "bucket").agg(
            pl.len().alias("n"), pl.col("start_ns").min().alias("a"), pl.col("start_ns").max().alias("b")
        )
        for dst, dport, bucket, n, _a, _b in g.filter(pl.col("n") >= th.syn_flood_halfopen).iter_rows():
            rows = _where(half, dst=dst, dport=dport, bucket=bucket).sort("start_ns")
            srcs = Counter(rows["src"].to_list())
            top, top_n = srcs.most_common(1)[0]
            yield self.finding(
                "dos",
                "syn_flood",
                f"{n} half-open TCP connections to {dst}:{dport} in {th.flood_window_s} s; {len(srcs)} source(s), most from {top}",
                _score(n, th.syn_flood_halfopen),
                rows,
                top,
                dst,
                {
                    "dos_type": "syn_flood",
                    "half_open": n,
                    "threshold_half_open": th.syn_flood_halfopen,
                    "window_s": th.flood_window_s,
                    "sources": len(srcs),
                    "top_source_share": round(top_n / n, 3),
                    "spoofed_likely": len(srcs) > 50,
                },
            )

    def volume_flood(self) -> Iterator[Finding]:
        th = self.th
        f = self.f.filter(pl.col("proto").is_in([1, 17, 58])).with_columns(self._bucket(th.flood_window_s))
        if f.height == 0:
            return
        g = f.group_by("src", "dst", "proto", "bucket").agg(
            pl.col("fwd_pkts").sum().alias("pk"),
            pl.col("start_ns").min().alias("a"),
            pl.col("end_ns").max().alias("b"),
            pl.col("bwd_pkts").sum().alias("back"),
        )
        for src, dst, proto, bucket, pk, a, b, back in g.filter(pl.col("pk") >= th.flood_packets).iter_rows():
            span = max((b - a) / 1e9, 1e-3)
            pps = pk / span
            if pps < th.flood_pps:
                continue
            rows = _where(f, src=src, dst=dst, proto=proto, bucket=bucket).sort("start_ns")
            name = "udp_flood" if proto == 17 else "icmp_flood"
            yield self.finding(
                "dos",
                name,
                f"{src} sent {int(pk)} {'UDP' if proto == 17 else 'ICMP'} packets to {dst} at {pps:.0f} packets/s",
                _score(pps, th.flood_pps),
                rows,
                src,
                dst,
                {
                    "dos_type": name,
                    "packets": int(pk),
                    "packets_per_s": round(pps, 1),
                    "threshold_pps": th.flood_pps,
                    "threshold_packets": th.flood_packets,
                    "replies": int(back),
                    "window_s": th.flood_window_s,
                },
            )

    def slowloris(self) -> Iterator[Finding]:
        th = self.th
        slow = self.f.filter(
            (pl.col("proto") == 6)
            & ((pl.col("state") & S_SYNACK) > 0)
            & (pl.col("duration") >= th.slow_min_duration_s)
            & (pl.col("act_data_pkt_fwd") >= 3)
            & (pl.col("fwd_iat_mean") >= 0.5)
            & (pl.col("bwd_payload") < 1024)
            & (pl.col("fwd_len_mean") < 200)
        ).with_columns(self._bucket(self.th.scan_window_s))
        if slow.height == 0:
            return
        g = slow.group_by("src", "dst", "dport", "bucket").agg(pl.len().alias("n"))
        for src, dst, dport, bucket, n in g.filter(pl.col("n") >= th.slow_conns).iter_rows():
            rows = _where(slow, src=src, dst=dst, dport=dport, bucket=bucket).sort("start_ns")
            yield self.finding(
                "dos",
                "slowloris",
                f"{src} held {n} connections to {dst}:{dport} open for ≥{th.slow_min_duration_s:.0f} s, trickling header data with no real answer (slow-rate DoS)",
                _score(n, th.slow_conns),
                rows,
                src,
                dst,
                {
                    "dos_type": "slowloris",
                    "connections": n,
                    "threshold_connections": th.slow_conns,
                    "min_duration_s": th.slow_min_duration_s,
                    "median_duration_s": round(float(rows["duration"].median() or 0), 1),  # type: ignore[arg-type]
                },
            )

    # ------------------------------------------------------------------ exfiltration, C2, DNS
    def exfiltration(self) -> Iterator[Finding]:
        th = self.th
        g = self.f.group_by("src", "dst").agg(
            pl.col("fwd_payload").sum().alias("up"), pl.col("bwd_payload").sum().alias("down")
        )
        g = g.filter(
            (pl.col("up") >= th.exfil_bytes)
            & (pl.col("up") >= th.exfil_ratio * pl.max_horizontal(pl.col("down"), pl.lit(1)))
        )
        for src, dst, up, down in g.iter_rows():
            rows = self.f.filter((pl.col("src") == src) & (pl.col("dst") == dst)).sort(
                "fwd_payload", descending=True
            )
            yield self.finding(
                "exfiltration",
                "volume_asymmetry",
                f"{src} sent {up / 1048576:.1f} MiB to {dst} and received {down / 1024:.1f} KiB (ratio {up / max(down, 1):.0f}:1)",
                _score(up / th.exfil_bytes, 1.0),
                rows,
                src,
                dst,
                {
                    "bytes_out": int(up),
                    "bytes_in": int(down),
                    "threshold_bytes": th.exfil_bytes,
                    "threshold_ratio": th.exfil_ratio,
                    "top_ports": sorted(set(rows["dport"].head(5).to_list())),
                },
            )

    def beaconing(self) -> Iterator[Finding]:
        th = self.th
        f = self.f.filter(pl.col("proto").is_in([6, 17]) & (pl.col("dport") != 53))
        g = (
            f.group_by("src", "dst", "dport")
            .agg(pl.col("start_ns").sort().alias("t"), pl.len().alias("n"))
            .filter(pl.col("n") >= th.beacon_min)
        )
        for src, dst, dport, t, _n in g.iter_rows():
            ts = np.asarray(t, dtype=np.int64)
            iv = np.diff(ts) / 1e9
            iv = iv[iv > 0.05]  # parallel connections of one burst are one check-in
            if len(iv) < th.beacon_min - 1:
                continue
            med = float(np.median(iv))
            if med < th.beacon_min_period_s:
                continue
            regular = float(np.mean(np.abs(iv - med) <= th.beacon_tolerance * med))
            if regular < th.beacon_regular:
                continue
            rows = f.filter(
                (pl.col("src") == src) & (pl.col("dst") == dst) & (pl.col("dport") == dport)
            ).sort("start_ns")
            jitter = float(np.std(iv) / med)
            yield self.finding(
                "beaconing",
                "periodic_connections",
                f"{src} contacted {dst}:{dport} {len(iv) + 1} times every {med:.1f} s (±{jitter * 100:.0f} % jitter)",
                round(
                    min(
                        1.0,
                        0.5
                        + 0.5
                        * (regular - th.beacon_regular)
                        / (1 - th.beacon_regular)
                        * min(1.0, len(iv) / (3 * th.beacon_min)),
                    ),
                    3,
                ),
                rows,
                src,
                dst,
                {
                    "connections": len(iv) + 1,
                    "period_s": round(med, 3),
                    "jitter": round(jitter, 3),
                    "regular_share": round(regular, 3),
                    "threshold_regular_share": th.beacon_regular,
                    "tolerance": th.beacon_tolerance,
                    "threshold_connections": th.beacon_min,
                    "http_user_agents": sorted({u for u in rows["http_ua"].to_list() if u})[:3]
                    if "http_ua" in rows.columns
                    else [],
                },
            )

    def dns_tunnel(self) -> Iterator[Finding]:
        th = self.th
        q = self.dns.filter(~pl.col("is_response"))
        if q.height == 0:
            return
        labels = q["qname"].to_list()
        base, sub = [], []
        for name in labels:
            parts = name.split(".")
            k = 3 if len(parts) >= 3 and len(parts[-2]) <= 3 and len(parts[-1]) == 2 else 2
            base.append(".".join(parts[-k:]))
            sub.append(".".join(parts[:-k]))
        q = q.with_columns(pl.Series("base", base), pl.Series("sub", sub))
        for (src, dom), grp in q.group_by("src", "base"):
            n = grp.height
            if n < th.dns_min_queries:
                continue
            subs = [s for s in grp["sub"].to_list()]
            longest = float(np.mean([max((len(x) for x in s.split(".")), default=0) for s in subs]))
            joined = "".join(s.replace(".", "") for s in subs)
            ent = _entropy(joined)
            uniq = len(set(subs)) / n
            if longest < th.dns_label_len or ent < th.dns_entropy or uniq < th.dns_unique:
                continue
            grp = grp.sort("ts_ns")
            fids = set(grp["flow_id"].to_list())
            rows = (
                self.f.filter(pl.col("flow_id").is_in(list(fids))).sort("start_ns")
                if self.f.height
                else self.f
            )
            if rows.height == 0:
                continue
            qtypes = Counter(grp["qtype"].to_list())
            x = min(n / th.dns_min_queries, longest / th.dns_label_len, ent / th.dns_entropy) if n else 0
            yield self.finding(
                "dns_tunnel",
                "dns_tunnel",
                f"{src} sent {n} queries under {dom} with random-looking labels (mean longest label {longest:.0f} chars, {ent:.2f} bits/char)",
                _score(x, 1.0),
                rows,
                str(src),
                str(grp["dst"][0]),
                {
                    "domain": dom,
                    "queries": n,
                    "unique_share": round(uniq, 3),
                    "mean_longest_label": round(longest, 1),
                    "entropy_bits_per_char": round(ent, 3),
                    "qtypes": dict(qtypes.most_common()),
                    "thresholds": {
                        "queries": th.dns_min_queries,
                        "label_len": th.dns_label_len,
                        "entropy": th.dns_entropy,
                        "unique_share": th.dns_unique,
                    },
                    "examples": grp["qname"].head(3).to_list(),
                    "dns_packets": [
                        [int(a), int(b)]
                        for a, b in zip(grp["file"].head(20), grp["index"].head(20), strict=True)
                    ],
                },
            )


def _entropy(s: str) -> float:
    if not s:
        return 0.0
    c = Counter(s)
    n = len(s)
    return -sum(v / n * math.log2(v / n) for v in c.values())


def finding_json(f: Finding) -> dict[str, Any]:
    """The JSON-lines contract of ``tergeu net scan --json``."""

    def iso(d: datetime | None) -> str | None:
        return d.astimezone(UTC).isoformat().replace("+00:00", "Z") if d else None

    evidence = dict(f.details)
    evidence["refs"] = [r.to_dict() for r in f.refs]
    return {
        "kind": f.kind,
        "src": f.src,
        "dst": f.dst,
        "start": iso(f.start),
        "end": iso(f.end),
        "score": float(max(0.0, min(1.0, f.score))),
        "method": f.method,
        "summary": f.summary,
        "evidence": evidence,
    }
