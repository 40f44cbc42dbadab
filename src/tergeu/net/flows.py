"""Bidirectional flows with CICFlowMeter-family features, computed from packet columns.

Why columnar: scans create one flow per probe, and flow meters that allocate an object per flow
(NFStream, cicflowmeter) slow down exactly on the captures investigators care about. Here packets
are sorted once by a 64-bit hash of the canonical 5-tuple and by time; one compiled pass cuts the
sorted packets into flows (idle timeout, active timeout, a new SYN after FIN/RST ends a flow) and a
second fills the feature matrix. Conventions: times are seconds, "length" statistics are transport
payload lengths as in CICFlowMeter, "bytes" are IP lengths; forward is the direction of the flow's
first packet (or the SYN sender when the first packet seen is a SYN-ACK).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

import numba as nb
import numpy as np
import polars as pl

from tergeu.net.pcap import Packets

FEATURES: tuple[str, ...] = (
    "duration",
    "fwd_pkts",
    "bwd_pkts",
    "fwd_bytes",
    "bwd_bytes",
    "fwd_payload",
    "bwd_payload",
    "fwd_len_max",
    "fwd_len_min",
    "fwd_len_mean",
    "fwd_len_std",
    "bwd_len_max",
    "bwd_len_min",
    "bwd_len_mean",
    "bwd_len_std",
    "pkt_len_max",
    "pkt_len_min",
    "pkt_len_mean",
    "pkt_len_std",
    "flow_bytes_s",
    "flow_pkts_s",
    "flow_iat_mean",
    "flow_iat_std",
    "flow_iat_max",
    "flow_iat_min",
    "fwd_iat_total",
    "fwd_iat_mean",
    "fwd_iat_std",
    "fwd_iat_max",
    "fwd_iat_min",
    "bwd_iat_total",
    "bwd_iat_mean",
    "bwd_iat_std",
    "bwd_iat_max",
    "bwd_iat_min",
    "fwd_psh",
    "bwd_psh",
    "fwd_urg",
    "bwd_urg",
    "fwd_hdr_len",
    "bwd_hdr_len",
    "fwd_pkts_s",
    "bwd_pkts_s",
    "fin_cnt",
    "syn_cnt",
    "rst_cnt",
    "psh_cnt",
    "ack_cnt",
    "urg_cnt",
    "cwr_cnt",
    "ece_cnt",
    "down_up_ratio",
    "init_win_fwd",
    "init_win_bwd",
    "act_data_pkt_fwd",
    "min_seg_size_fwd",
    "active_mean",
    "active_std",
    "active_max",
    "active_min",
    "idle_mean",
    "idle_std",
    "idle_max",
    "idle_min",
)
FIRST_N = 8
SIZE_COLUMNS = tuple(f"pkt{i + 1}" for i in range(FIRST_N))
NF = len(FEATURES) + FIRST_N
ACTIVITY_TIMEOUT_NS = 5_000_000_000  # CICFlowMeter's activity timeout: gaps above it are "idle"

# Flow end reasons.
END_REASONS = ("idle", "active", "fin", "rst", "eof")

# Handshake/state bits in the ``state`` column.
S_SYN, S_SYNACK, S_ACK, S_FIN_FWD, S_FIN_BWD, S_RST_FWD, S_RST_BWD, S_DATA_FWD, S_DATA_BWD = (
    1,
    2,
    4,
    8,
    16,
    32,
    64,
    128,
    256,
)


@nb.njit(cache=True)
def _hash_keys(
    src_hi: Any, src_lo: Any, dst_hi: Any, dst_lo: Any, sport: Any, dport: Any, proto: Any, l3: Any, out: Any
) -> None:
    m = np.uint64(0x9E3779B97F4A7C15)
    for i in range(len(out)):
        a_hi, a_lo, a_p = src_hi[i], src_lo[i], np.uint64(sport[i])
        b_hi, b_lo, b_p = dst_hi[i], dst_lo[i], np.uint64(dport[i])
        if proto[i] != 6 and proto[i] != 17:
            a_p = np.uint64(0)
            b_p = np.uint64(0)
        if (a_hi, a_lo, a_p) > (b_hi, b_lo, b_p):
            a_hi, a_lo, a_p, b_hi, b_lo, b_p = b_hi, b_lo, b_p, a_hi, a_lo, a_p
        h = np.uint64(1469598103934665603)
        for v in (
            a_hi,
            a_lo,
            b_hi,
            b_lo,
            (a_p << np.uint64(32)) | (b_p << np.uint64(8)) | np.uint64(proto[i]),
        ):
            h ^= v
            h *= m
            h ^= h >> np.uint64(29)
        if l3[i] == 0:
            h = np.uint64(0)
        out[i] = h


@nb.njit(cache=True)
def _same(
    i: int, j: int, src_hi: Any, src_lo: Any, dst_hi: Any, dst_lo: Any, sport: Any, dport: Any, proto: Any
) -> bool:
    if proto[i] != proto[j]:
        return False
    tcpudp = proto[i] == 6 or proto[i] == 17
    if (
        src_hi[i] == src_hi[j]
        and src_lo[i] == src_lo[j]
        and dst_hi[i] == dst_hi[j]
        and dst_lo[i] == dst_lo[j]
    ):
        return (not tcpudp) or (sport[i] == sport[j] and dport[i] == dport[j])
    if (
        src_hi[i] == dst_hi[j]
        and src_lo[i] == dst_lo[j]
        and dst_hi[i] == src_hi[j]
        and dst_lo[i] == src_lo[j]
    ):
        return (not tcpudp) or (sport[i] == dport[j] and dport[i] == sport[j])
    return False


@nb.njit(cache=True)
def _segment(
    order: Any,
    h: Any,
    ts: Any,
    flags: Any,
    proto: Any,
    src_hi: Any,
    src_lo: Any,
    dst_hi: Any,
    dst_lo: Any,
    sport: Any,
    dport: Any,
    idle_ns: int,
    active_ns: int,
    starts: Any,
    reasons: Any,
) -> int:
    """Cut time-sorted packets of each key into flows; returns the number of flows."""
    nf = 0
    start_ts = 0
    last_ts = 0
    fin_f = False
    fin_b = False
    rst = False
    first = 0
    for j in range(len(order)):
        i = order[j]
        new = j == 0
        reason = 4
        if not new:
            p = order[j - 1]
            if h[i] != h[p] or not _same(i, p, src_hi, src_lo, dst_hi, dst_lo, sport, dport, proto):
                new = True
            elif ts[i] - last_ts > idle_ns:
                new = True
                reason = 0
            elif ts[i] - start_ts > active_ns:
                new = True
                reason = 1
            elif (rst or (fin_f and fin_b)) and proto[i] == 6 and (flags[i] & 0x12) == 0x02:
                new = True
                reason = 3 if rst else 2
        if new:
            if nf > 0:
                reasons[nf - 1] = reason if reason != 4 else (3 if rst else (2 if fin_f and fin_b else 4))
            starts[nf] = j
            nf += 1
            start_ts = ts[i]
            fin_f = False
            fin_b = False
            rst = False
            first = i
        last_ts = ts[i]
        if proto[i] == 6:
            fl = flags[i]
            if fl & 4:
                rst = True
            if fl & 1:
                fwd = src_lo[i] == src_lo[first] and src_hi[i] == src_hi[first] and sport[i] == sport[first]
                if fwd:
                    fin_f = True
                else:
                    fin_b = True
    if nf > 0:
        reasons[nf - 1] = 3 if rst else (2 if fin_f and fin_b else 4)
    starts[nf] = len(order)
    return nf


@nb.njit(cache=True)
def _stats(s: float, ss: float, n: int) -> tuple[float, float]:
    if n == 0:
        return 0.0, 0.0
    m = s / n
    v = ss / n - m * m
    return m, np.sqrt(v) if v > 0 else 0.0


@nb.njit(cache=True)
def _features(
    order: Any,
    seg_a: Any,
    seg_b: Any,
    nf: int,
    ts: Any,
    flags: Any,
    proto: Any,
    src_hi: Any,
    src_lo: Any,
    sport: Any,
    window: Any,
    ip_len: Any,
    hdr_len: Any,
    pay_len: Any,
    F: Any,
    init: Any,
    rev: Any,
    state: Any,
    fid: Any,
) -> None:
    for f in range(nf):
        a = seg_a[f]
        e = seg_b[f]
        i0 = order[a]
        # The SYN sender is the client even when its SYN was not the first packet captured.
        ini = i0
        if proto[i0] == 6 and (flags[i0] & 0x12) == 0x12:
            for j in range(a, e):
                k = order[j]
                if (flags[k] & 0x12) == 0x02:
                    ini = k
                    break
            else:
                ini = -1
        ref = ini if ini >= 0 else i0
        init[f] = ref
        rev[f] = ini < 0
        ihi = src_hi[ref]
        ilo = src_lo[ref]
        ipt = sport[ref]
        swap = ini < 0
        nfw = 0
        nbw = 0
        bf = 0.0
        bb = 0.0
        pf = 0.0
        pbw = 0.0
        fmax = 0.0
        fmin = 1e18
        fs = 0.0
        fss = 0.0
        bmax = 0.0
        bmin = 1e18
        bs = 0.0
        bss = 0.0
        prev = -1
        prevf = -1
        prevb = -1
        ia_s = 0.0
        ia_ss = 0.0
        ia_max = 0.0
        ia_min = 1e18
        fi_s = 0.0
        fi_ss = 0.0
        fi_max = 0.0
        fi_min = 1e18
        bi_s = 0.0
        bi_ss = 0.0
        bi_max = 0.0
        bi_min = 1e18
        fpsh = 0
        bpsh = 0
        furg = 0
        burg = 0
        fhl = 0.0
        bhl = 0.0
        cnt = np.zeros(8, dtype=np.int64)
        iwf = -1
        iwb = -1
        act_fwd = 0
        minseg = 1e18
        act_start = ts[order[a]]
        act_last = act_start
        a_s = 0.0
        a_ss = 0.0
        a_n = 0
        a_max = 0.0
        a_min = 1e18
        d_s = 0.0
        d_ss = 0.0
        d_n = 0
        d_max = 0.0
        d_min = 1e18
        st = 0
        for j in range(a, e):
            i = order[j]
            fid[i] = f
            fwd = src_lo[i] == ilo and src_hi[i] == ihi and sport[i] == ipt
            if swap:
                fwd = not fwd
            pl = float(pay_len[i])
            t = ts[i]
            if prev >= 0:
                d = (t - prev) / 1e9
                ia_s += d
                ia_ss += d * d
                ia_max = max(ia_max, d)
                ia_min = min(ia_min, d)
                if t - act_last > ACTIVITY_TIMEOUT_NS:
                    act = (act_last - act_start) / 1e9
                    a_s += act
                    a_ss += act * act
                    a_n += 1
                    a_max = max(a_max, act)
                    a_min = min(a_min, act)
                    idl = (t - act_last) / 1e9
                    d_s += idl
                    d_ss += idl * idl
                    d_n += 1
                    d_max = max(d_max, idl)
                    d_min = min(d_min, idl)
                    act_start = t
                act_last = t
            prev = t
            fl = flags[i] if proto[i] == 6 else 0
            if proto[i] == 6:
                for b in range(8):
                    if fl & (1 << b):
                        cnt[b] += 1
            idx = nfw + nbw
            if idx < FIRST_N:
                F[len(FEATURES) + idx, f] = ip_len[i] if fwd else -ip_len[i]
            if fwd:
                nfw += 1
                bf += ip_len[i]
                pf += pl
                fs += pl
                fss += pl * pl
                fmax = max(fmax, pl)
                fmin = min(fmin, pl)
                if prevf >= 0:
                    d = (t - prevf) / 1e9
                    fi_s += d
                    fi_ss += d * d
                    fi_max = max(fi_max, d)
                    fi_min = min(fi_min, d)
                prevf = t
                if fl & 8:
                    fpsh += 1
                if fl & 32:
                    furg += 1
                fhl += hdr_len[i]
                if iwf < 0 and proto[i] == 6:
                    iwf = window[i]
                if pl > 0:
                    act_fwd += 1
                    st |= S_DATA_FWD
                minseg = min(minseg, float(hdr_len[i]))
                if proto[i] == 6:
                    if (fl & 0x12) == 0x02:
                        st |= S_SYN
                    elif (fl & 0x10) and (st & S_SYNACK):
                        st |= S_ACK
                    if fl & 1:
                        st |= S_FIN_FWD
                    if fl & 4:
                        st |= S_RST_FWD
            else:
                nbw += 1
                bb += ip_len[i]
                pbw += pl
                bs += pl
                bss += pl * pl
                bmax = max(bmax, pl)
                bmin = min(bmin, pl)
                if prevb >= 0:
                    d = (t - prevb) / 1e9
                    bi_s += d
                    bi_ss += d * d
                    bi_max = max(bi_max, d)
                    bi_min = min(bi_min, d)
                prevb = t
                if fl & 8:
                    bpsh += 1
                if fl & 32:
                    burg += 1
                bhl += hdr_len[i]
                if iwb < 0 and proto[i] == 6:
                    iwb = window[i]
                if pl > 0:
                    st |= S_DATA_BWD
                if proto[i] == 6:
                    if (fl & 0x12) == 0x12:
                        st |= S_SYNACK
                    if fl & 1:
                        st |= S_FIN_BWD
                    if fl & 4:
                        st |= S_RST_BWD
        if act_last > act_start or a_n == 0:
            act = (act_last - act_start) / 1e9
            a_s += act
            a_ss += act * act
            a_n += 1
            a_max = max(a_max, act)
            a_min = min(a_min, act)
        n = nfw + nbw
        dur = (ts[order[e - 1]] - ts[order[a]]) / 1e9
        F[0, f] = dur
        F[1, f] = nfw
        F[2, f] = nbw
        F[3, f] = bf
        F[4, f] = bb
        F[5, f] = pf
        F[6, f] = pbw
        m, s = _stats(fs, fss, nfw)
        F[7, f] = fmax
        F[8, f] = fmin if nfw else 0.0
        F[9, f] = m
        F[10, f] = s
        m, s = _stats(bs, bss, nbw)
        F[11, f] = bmax
        F[12, f] = bmin if nbw else 0.0
        F[13, f] = m
        F[14, f] = s
        m, s = _stats(fs + bs, fss + bss, n)
        F[15, f] = max(fmax, bmax)
        F[16, f] = min(fmin, bmin)
        F[17, f] = m
        F[18, f] = s
        F[19, f] = (bf + bb) / dur if dur > 0 else 0.0
        F[20, f] = n / dur if dur > 0 else 0.0
        m, s = _stats(ia_s, ia_ss, n - 1)
        F[21, f] = m
        F[22, f] = s
        F[23, f] = ia_max
        F[24, f] = ia_min if n > 1 else 0.0
        m, s = _stats(fi_s, fi_ss, nfw - 1)
        F[25, f] = fi_s
        F[26, f] = m
        F[27, f] = s
        F[28, f] = fi_max
        F[29, f] = fi_min if nfw > 1 else 0.0
        m, s = _stats(bi_s, bi_ss, nbw - 1)
        F[30, f] = bi_s
        F[31, f] = m
        F[32, f] = s
        F[33, f] = bi_max
        F[34, f] = bi_min if nbw > 1 else 0.0
        F[35, f] = fpsh
        F[36, f] = bpsh
        F[37, f] = furg
        F[38, f] = burg
        F[39, f] = fhl
        F[40, f] = bhl
        F[41, f] = nfw / dur if dur > 0 else 0.0
        F[42, f] = nbw / dur if dur > 0 else 0.0
        F[43, f] = cnt[0]
        F[44, f] = cnt[1]
        F[45, f] = cnt[2]
        F[46, f] = cnt[3]
        F[47, f] = cnt[4]
        F[48, f] = cnt[5]
        F[49, f] = cnt[7]
        F[50, f] = cnt[6]
        F[51, f] = nbw / nfw if nfw else 0.0
        F[52, f] = iwf
        F[53, f] = iwb
        F[54, f] = act_fwd
        F[55, f] = minseg if nfw else 0.0
        m, s = _stats(a_s, a_ss, a_n)
        F[56, f] = m
        F[57, f] = s
        F[58, f] = a_max
        F[59, f] = a_min if a_n else 0.0
        m, s = _stats(d_s, d_ss, d_n)
        F[60, f] = m
        F[61, f] = s
        F[62, f] = d_max
        F[63, f] = d_min if d_n else 0.0
        state[f] = st


@dataclass
class FlowResult:
    """The flow table plus, per packet, the flow it belongs to (-1 for non-IP packets)."""

    table: pl.DataFrame
    packet_flow: np.ndarray[Any, Any]


def _addr_strings(hi: np.ndarray[Any, Any], lo: np.ndarray[Any, Any]) -> pl.Series:
    """Text addresses for 128-bit (hi, lo) pairs: each distinct address is formatted once and
    gathered by index, so a scan with 200k flows costs a few hundred string conversions."""
    if len(lo) == 0:
        return pl.Series([], dtype=pl.Utf8)
    if not hi.any():
        uniq_lo, inv = np.unique(lo, return_inverse=True)
        uniq = np.stack([np.zeros_like(uniq_lo), uniq_lo], axis=1)
    else:
        uniq, inv = np.unique(np.stack([hi, lo], axis=1), axis=0, return_inverse=True)
    names = []
    for h, low in uniq.tolist():
        if h == 0 and (low >> 32) == 0xFFFF:
            names.append(str(ipaddress.IPv4Address(low & 0xFFFFFFFF)))
        else:
            names.append(str(ipaddress.IPv6Address((int(h) << 64) | int(low))))
    return pl.Series(names, dtype=pl.Utf8).gather(inv.reshape(-1))


def build_flows(pk: Packets, idle_s: float = 120.0, active_s: float = 1800.0) -> FlowResult:
    """Aggregate packets into bidirectional flows; see the module docstring for conventions."""
    c = pk.cols
    n = len(pk)
    h = np.empty(n, dtype=np.uint64)
    _hash_keys(
        c["src_hi"], c["src_lo"], c["dst_hi"], c["dst_lo"], c["sport"], c["dport"], c["proto"], c["l3"], h
    )
    ip = np.flatnonzero((c["l3"] == 4) | (c["l3"] == 6))
    order = ip[np.lexsort((c["ts_ns"][ip], h[ip]))]
    starts = np.empty(len(order) + 1, dtype=np.int64)
    reasons = np.full(len(order) + 1, 4, dtype=np.int8)
    nf = _segment(
        order,
        h,
        c["ts_ns"],
        c["flags"],
        c["proto"],
        c["src_hi"],
        c["src_lo"],
        c["dst_hi"],
        c["dst_lo"],
        c["sport"],
        c["dport"],
        int(idle_s * 1e9),
        int(active_s * 1e9),
        starts,
        reasons,
    )
    starts = starts[: nf + 1]
    # Flows are numbered in time order from the start, so no table is sorted (and copied) later.
    first_ts = c["ts_ns"][order[starts[:-1]]]
    perm = np.argsort(first_ts, kind="stable")
    seg_a = starts[:-1][perm]
    seg_b = starts[1:][perm]
    reasons = reasons[:nf][perm]
    F = np.zeros((NF, nf), dtype=np.float64)  # feature-major: each column is contiguous for polars
    init = np.empty(nf, dtype=np.int64)
    rev = np.zeros(nf, dtype=np.bool_)
    state = np.zeros(nf, dtype=np.int32)
    fid = np.full(n, -1, dtype=np.int64)
    _features(
        order,
        seg_a,
        seg_b,
        nf,
        c["ts_ns"],
        c["flags"],
        c["proto"],
        c["src_hi"],
        c["src_lo"],
        c["sport"],
        c["window"],
        c["ip_len"],
        c["hdr_len"],
        c["pay_len"],
        F,
        init,
        rev,
        state,
        fid,
    )
    first = order[seg_a]
    last = order[seg_b - 1]
    proto = c["proto"][init].astype(np.int16)
    tcpudp = (proto == 6) | (proto == 17)
    sport = np.where(tcpudp, c["sport"][init], 0)
    dport = np.where(tcpudp, c["dport"][init], 0)
    shi = np.where(rev, c["dst_hi"][init], c["src_hi"][init])
    slo = np.where(rev, c["dst_lo"][init], c["src_lo"][init])
    dhi = np.where(rev, c["src_hi"][init], c["dst_hi"][init])
    dlo = np.where(rev, c["src_lo"][init], c["dst_lo"][init])
    sport, dport = np.where(rev, dport, sport), np.where(rev, sport, dport)
    data: dict[str, Any] = {
        "flow_id": np.arange(nf, dtype=np.int64),
        "src": _addr_strings(shi, slo),
        "dst": _addr_strings(dhi, dlo),
        "sport": sport.astype(np.int32),
        "dport": dport.astype(np.int32),
        "proto": proto,
        "ip_version": c["l3"][init].astype(np.int8),
        "icmp_type": c["icmp_type"][first].astype(np.int16),
        "first_flags": c["flags"][first].astype(np.int16),
        "start_ns": c["ts_ns"][first],
        "end_ns": c["ts_ns"][last],
        "n_packets": (seg_b - seg_a).astype(np.int64),
        "state": state,
        "end_reason": pl.Series(reasons.astype(np.int64)).replace_strict(
            dict(enumerate(END_REASONS)), return_dtype=pl.Utf8
        ),
        "first_file": pk.file[first],
        "first_index": pk.index[first],
        "last_file": pk.file[last],
        "last_index": pk.index[last],
        "first_offset": pk.offset[first],
    }
    for k, name in enumerate(FEATURES + SIZE_COLUMNS):
        data[name] = F[k]
    table = pl.DataFrame(data)
    return FlowResult(table=table, packet_flow=fid)
