"""pcap / pcapng reading into numpy packet columns, compiled with numba.

Why this shape: investigators get captures of gigabytes, and a Python object per packet caps a
reader at a few hundred thousand packets per second. Here the file is mapped once, a compiled
walk finds every record (two passes: count, then fill preallocated arrays), and a second compiled
pass decodes link, network and transport headers into columns. Nothing per packet reaches Python.

Damage is handled as evidence handling requires: everything before a fault is kept; the fault
becomes a :class:`~tergeu.records.ParseWarning` naming file and byte offset. Only input that is
not a capture at all (0 bytes, text, another format) raises :class:`~tergeu.errors.InputError`.
"""

from __future__ import annotations

import gzip
import mmap
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numba as nb
import numpy as np

from tergeu.errors import EvidenceUnreadable, InputError, NotMyFormat
from tergeu.records import ParseWarning
from tergeu.store import check_regular

PCAP_MAGICS = {
    b"\xd4\xc3\xb2\xa1": (False, 1000),  # little-endian, microseconds
    b"\xa1\xb2\xc3\xd4": (True, 1000),  # big-endian, microseconds
    b"\x4d\x3c\xb2\xa1": (False, 1),  # little-endian, nanoseconds
    b"\xa1\xb2\x3c\x4d": (True, 1),  # big-endian, nanoseconds
}
PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"
GZIP_MAGIC = b"\x1f\x8b"

# Link types we decode (others are counted and reported once per interface).
LINK_NULL, LINK_ETHERNET, LINK_RAW, LINK_RAW_BSD, LINK_LOOP = 0, 1, 101, 12, 108
LINK_SLL, LINK_SLL2, LINK_IPV4, LINK_IPV6, LINK_RAW_OBSD = 113, 276, 228, 229, 14
KNOWN_LINKS = frozenset(
    {LINK_NULL, LINK_ETHERNET, LINK_RAW, LINK_RAW_BSD, LINK_LOOP, LINK_SLL, LINK_SLL2, LINK_IPV4, LINK_IPV6}
)

# Error codes returned by the compiled walkers (turned into warnings in Python).
E_OK, E_TRUNC_HDR, E_TRUNC_DATA, E_BAD_CAPLEN, E_BAD_BLOCK, E_BAD_IFACE = 0, 1, 2, 3, 4, 5
MAX_CAPLEN = 1 << 24  # 16 MiB: larger caplen means a corrupt header, not a packet

PACKET_COLUMNS = (
    "ts_ns",
    "caplen",
    "wirelen",
    "iface",
    "l3",
    "proto",
    "src_hi",
    "src_lo",
    "dst_hi",
    "dst_lo",
    "sport",
    "dport",
    "flags",
    "window",
    "ttl",
    "ip_len",
    "hdr_len",
    "pay_len",
    "pay_off",
    "pay_cap",
    "icmp_type",
)


@dataclass
class Packets:
    """Columns of one or more captures; ``pay_off`` indexes into ``buffers[file]``."""

    cols: dict[str, np.ndarray[Any, Any]]
    file: np.ndarray[Any, Any]  # index into ``paths`` per packet
    index: np.ndarray[Any, Any]  # packet number within its file (0-based)
    offset: np.ndarray[Any, Any]  # byte offset of the record in its (decompressed) file
    paths: list[str]
    buffers: list[Any]
    warnings: list[ParseWarning] = field(default_factory=list)
    link_types: list[list[int]] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.file.shape[0])

    def payload(self, i: int) -> bytes:
        """The captured transport payload of packet ``i`` (cut by snaplen if the capture was)."""
        buf = self.buffers[int(self.file[i])]
        off = int(self.cols["pay_off"][i])
        return bytes(buf[off : off + int(self.cols["pay_cap"][i])])


# --------------------------------------------------------------------------- compiled walkers


@nb.njit(cache=True, inline="always")
def _u16(b: Any, o: int, be: bool) -> Any:
    if be:
        return (np.int64(b[o]) << 8) | np.int64(b[o + 1])
    return (np.int64(b[o + 1]) << 8) | np.int64(b[o])


@nb.njit(cache=True, inline="always")
def _u32(b: Any, o: int, be: bool) -> Any:
    if be:
        return (
            (np.int64(b[o]) << 24)
            | (np.int64(b[o + 1]) << 16)
            | (np.int64(b[o + 2]) << 8)
            | np.int64(b[o + 3])
        )
    return (
        (np.int64(b[o + 3]) << 24) | (np.int64(b[o + 2]) << 16) | (np.int64(b[o + 1]) << 8) | np.int64(b[o])
    )


@nb.njit(cache=True)
def _walk_pcap(
    b: Any, be: bool, mult: int, snaplen: int, fill: bool, rec: Any, cap: Any, wire: Any, ts: Any
) -> tuple[int, int, int, int]:
    """Walk classic pcap records; returns (count, error code, error offset, bad-timestamp count)."""
    n = len(b)
    o = 24
    k = 0
    bad_ts = 0
    limit = max(snaplen, 262144)
    if limit > MAX_CAPLEN:
        limit = MAX_CAPLEN
    while o < n:
        if o + 16 > n:
            return k, E_TRUNC_HDR, o, bad_ts
        sec = _u32(b, o, be)
        sub = _u32(b, o + 4, be)
        cl = _u32(b, o + 8, be)
        wl = _u32(b, o + 12, be)
        if cl > limit:
            return k, E_BAD_CAPLEN, o, bad_ts
        if o + 16 + cl > n:
            return k, E_TRUNC_DATA, o, bad_ts
        if sub * mult >= 1000000000:
            bad_ts += 1
        if fill:
            rec[k] = o + 16
            cap[k] = cl
            wire[k] = max(wl, cl)
            ts[k] = sec * 1000000000 + sub * mult
        k += 1
        o += 16 + cl
    return k, E_OK, o, bad_ts


@nb.njit(cache=True)
def _tsres_to_ns(raw: int, res: int) -> Any:
    if res & 0x80:
        p = res & 0x7F
        sec = raw >> p
        frac = raw - (sec << p)
        return sec * 1000000000 + ((frac * 1000000000) >> p)
    if res <= 9:
        m = 1
        for _ in range(9 - res):
            m *= 10
        return raw * m
    d = 1
    for _ in range(res - 9):
        d *= 10
    return raw // d


@nb.njit(cache=True)
def _walk_pcapng(
    b: Any,
    fill: bool,
    rec: Any,
    cap: Any,
    wire: Any,
    ts: Any,
    ifc: Any,
    if_link: Any,
    if_res: Any,
    if_snap: Any,
) -> tuple[int, int, int, int]:
    """Walk pcapng blocks; returns (packets, error code, error offset, interfaces seen)."""
    n = len(b)
    o = 0
    k = 0
    be = False
    base = 0  # global index of the current section's first interface
    nif = 0  # interfaces seen over all sections
    while o < n:
        if o + 12 > n:
            return k, E_TRUNC_HDR, o, nif
        btype_le = _u32(b, o, False)
        if btype_le == 0x0A0D0D0A:
            # Section header: byte order from the magic, interfaces restart.
            bom = _u32(b, o + 8, False)
            if bom == 0x1A2B3C4D:
                be = False
            elif bom == 0x4D3C2B1A:
                be = True
            else:
                return k, E_BAD_BLOCK, o, nif
            base = nif
        btype = _u32(b, o, be)
        blen = _u32(b, o + 4, be)
        if blen < 12 or blen % 4 != 0:
            return k, E_BAD_BLOCK, o, nif
        if o + blen > n:
            return k, E_TRUNC_DATA, o, nif
        if _u32(b, o + blen - 4, be) != blen:
            return k, E_BAD_BLOCK, o, nif
        if btype == 1:  # Interface Description Block
            if nif < len(if_link):
                if_link[nif] = _u16(b, o + 8, be)
                if_snap[nif] = _u32(b, o + 12, be)
                if_res[nif] = 6
                p = o + 16
                end = o + blen - 4
                while p + 4 <= end:
                    code = _u16(b, p, be)
                    ln = _u16(b, p + 2, be)
                    if code == 0:
                        break
                    if code == 9 and ln >= 1:
                        if_res[nif] = b[p + 4]
                    p += 4 + ((ln + 3) & ~3)
            nif += 1
        elif btype == 6 or btype == 2:  # Enhanced / obsolete Packet Block
            if blen < 32:
                return k, E_BAD_BLOCK, o, nif
            iface = _u32(b, o + 8, be) if btype == 6 else _u16(b, o + 8, be)
            thi = _u32(b, o + 12, be)
            tlo = _u32(b, o + 16, be)
            cl = _u32(b, o + 20, be)
            wl = _u32(b, o + 24, be)
            if 28 + cl > blen - 4:
                return k, E_BAD_CAPLEN, o, nif
            g = base + iface
            if g >= nif:
                return k, E_BAD_IFACE, o, nif
            if fill:
                rec[k] = o + 28
                cap[k] = cl
                wire[k] = max(wl, cl)
                ts[k] = _tsres_to_ns((thi << 32) | tlo, if_res[g])
                ifc[k] = g
            k += 1
        elif btype == 3:  # Simple Packet Block: interface 0 of the section
            g = base
            if g >= nif:
                return k, E_BAD_IFACE, o, nif
            wl = _u32(b, o + 8, be)
            cl = min(wl, blen - 16)
            if if_snap[g] > 0:
                cl = min(cl, if_snap[g])
            if fill:
                rec[k] = o + 12
                cap[k] = cl
                wire[k] = wl
                ts[k] = -1
                ifc[k] = g
            k += 1
        o += blen
    return k, E_OK, o, nif


@nb.njit(cache=True)
def _decode(
    b: Any,
    rec: Any,
    cap: Any,
    ifc: Any,
    if_link: Any,
    l3: Any,
    proto: Any,
    src_hi: Any,
    src_lo: Any,
    dst_hi: Any,
    dst_lo: Any,
    sport: Any,
    dport: Any,
    flags: Any,
    window: Any,
    ttl: Any,
    ip_len: Any,
    hdr_len: Any,
    pay_len: Any,
    pay_off: Any,
    pay_cap: Any,
    icmp_type: Any,
) -> int:
    """Decode link/IP/transport headers of every packet; returns packets cut inside headers."""
    cut = 0
    for i in range(len(rec)):
        o = rec[i]
        end = o + cap[i]
        link = if_link[ifc[i]]
        icmp_type[i] = -1
        et = -1
        p = o
        if link == 1:
            if end - p < 14:
                cut += 1
                continue
            et = (np.int64(b[p + 12]) << 8) | b[p + 13]
            p += 14
            while (et == 0x8100 or et == 0x88A8 or et == 0x9100) and p + 4 <= end:
                et = (np.int64(b[p + 2]) << 8) | b[p + 3]
                p += 4
        elif link == 113:
            if end - p < 16:
                cut += 1
                continue
            et = (np.int64(b[p + 14]) << 8) | b[p + 15]
            p += 16
        elif link == 276:
            if end - p < 20:
                cut += 1
                continue
            et = (np.int64(b[p]) << 8) | b[p + 1]
            p += 20
        elif link == 0 or link == 108:
            if end - p < 4:
                cut += 1
                continue
            if link == 0 and (b[p] == 0x0F or b[p] == 0x8F) and b[p + 1] == 0:
                # Cisco HDLC framing inside a NULL capture (as Wireshark's null dissector accepts)
                fam = -1
            elif link == 108 or (b[p] == 0 and b[p + 1] == 0):
                fam = (np.int64(b[p + 2]) << 8) | b[p + 3]
            else:
                fam = (np.int64(b[p + 1]) << 8) | b[p]
            if fam == -1:
                et = (np.int64(b[p + 2]) << 8) | b[p + 3]
            else:
                et = (
                    0x0800
                    if fam == 2
                    else (0x86DD if (fam == 10 or fam == 24 or fam == 28 or fam == 30) else -1)
                )
            p += 4
        elif link == 101 or link == 12 or link == 14 or link == 228 or link == 229:
            if end - p < 1:
                cut += 1
                continue
            v = b[p] >> 4
            et = 0x0800 if v == 4 else (0x86DD if v == 6 else -1)
        else:
            continue
        if et == 0x0806:
            # ARP over Ethernet/IPv4: kept (l3 = 8) because LAN sweeps show up only as ARP.
            if end - p >= 28 and b[p + 4] == 6 and b[p + 5] == 4:
                l3[i] = 8
                proto[i] = b[p + 7]
                src_lo[i] = np.uint64(0xFFFF00000000) | np.uint64(
                    (np.int64(b[p + 14]) << 24)
                    | (np.int64(b[p + 15]) << 16)
                    | (np.int64(b[p + 16]) << 8)
                    | b[p + 17]
                )
                dst_lo[i] = np.uint64(0xFFFF00000000) | np.uint64(
                    (np.int64(b[p + 24]) << 24)
                    | (np.int64(b[p + 25]) << 16)
                    | (np.int64(b[p + 26]) << 8)
                    | b[p + 27]
                )
            continue
        if et == 0x0800:
            if end - p < 20 or (b[p] >> 4) != 4:
                cut += 1
                continue
            ihl = (b[p] & 15) * 4
            tot = (np.int64(b[p + 2]) << 8) | b[p + 3]
            if tot < ihl:
                tot = end - p
            l3[i] = 4
            pr = b[p + 9]
            proto[i] = pr
            ttl[i] = b[p + 8]
            src_hi[i] = 0
            dst_hi[i] = 0
            src_lo[i] = np.uint64(0xFFFF00000000) | np.uint64(
                (np.int64(b[p + 12]) << 24)
                | (np.int64(b[p + 13]) << 16)
                | (np.int64(b[p + 14]) << 8)
                | b[p + 15]
            )
            dst_lo[i] = np.uint64(0xFFFF00000000) | np.uint64(
                (np.int64(b[p + 16]) << 24)
                | (np.int64(b[p + 17]) << 16)
                | (np.int64(b[p + 18]) << 8)
                | b[p + 19]
            )
            ip_len[i] = tot
            frag = ((np.int64(b[p + 6]) & 0x1F) << 8) | b[p + 7]
            ip_end = p + tot
            p += ihl
            if frag != 0:
                hdr_len[i] = ihl
                pay_len[i] = max(tot - ihl, 0)
                continue
        elif et == 0x86DD:
            if end - p < 40:
                cut += 1
                continue
            l3[i] = 6
            plen = (np.int64(b[p + 4]) << 8) | b[p + 5]
            ip_len[i] = plen + 40
            ttl[i] = b[p + 7]
            hi = np.uint64(0)
            lo = np.uint64(0)
            for j in range(8):
                hi = (hi << np.uint64(8)) | np.uint64(b[p + 8 + j])
                lo = (lo << np.uint64(8)) | np.uint64(b[p + 16 + j])
            src_hi[i] = hi
            src_lo[i] = lo
            hi = np.uint64(0)
            lo = np.uint64(0)
            for j in range(8):
                hi = (hi << np.uint64(8)) | np.uint64(b[p + 24 + j])
                lo = (lo << np.uint64(8)) | np.uint64(b[p + 32 + j])
            dst_hi[i] = hi
            dst_lo[i] = lo
            nh = b[p + 6]
            ip_end = p + 40 + plen
            start = p
            p += 40
            fragmented = False
            while (nh == 0 or nh == 43 or nh == 60 or nh == 44 or nh == 51) and p + 8 <= end:
                if nh == 44:
                    if ((np.int64(b[p + 2]) << 8) | b[p + 3]) & 0xFFF8:
                        fragmented = True
                    nh2 = b[p]
                    p += 8
                elif nh == 51:
                    nh2 = b[p]
                    p += (b[p + 1] + 2) * 4
                else:
                    nh2 = b[p]
                    p += (b[p + 1] + 1) * 8
                nh = nh2
            proto[i] = nh
            if fragmented:
                hdr_len[i] = p - start
                pay_len[i] = max(ip_end - p, 0)
                continue
            ihl = p - start
        else:
            continue
        pr = proto[i]
        if pr == 6:
            if end - p < 20:
                hdr_len[i] = p - (ip_end - ip_len[i])
                cut += 1
                continue
            sport[i] = (np.int64(b[p]) << 8) | b[p + 1]
            dport[i] = (np.int64(b[p + 2]) << 8) | b[p + 3]
            flags[i] = b[p + 13]
            window[i] = (np.int64(b[p + 14]) << 8) | b[p + 15]
            doff = (b[p + 12] >> 4) * 4
            if doff < 20:
                doff = 20
            po = p + doff
        elif pr == 17:
            if end - p < 8:
                cut += 1
                continue
            sport[i] = (np.int64(b[p]) << 8) | b[p + 1]
            dport[i] = (np.int64(b[p + 2]) << 8) | b[p + 3]
            po = p + 8
        elif pr == 1 or pr == 58:
            if end - p < 2:
                cut += 1
                continue
            icmp_type[i] = b[p]
            po = p + 8
        else:
            po = p
        ip_start = ip_end - ip_len[i]
        hdr_len[i] = po - ip_start
        pl = ip_end - po
        pay_len[i] = pl if pl > 0 else 0
        pay_off[i] = po
        c = min(end, ip_end) - po
        pay_cap[i] = c if c > 0 else 0
    return cut


# --------------------------------------------------------------------------- Python side


def _open_bytes(path: Path) -> tuple[Any, bytes]:
    """Map the file (or decompress a gzip capture into memory); returns (buffer, head)."""
    try:
        check_regular(path, allow_block=False)
        size = path.stat().st_size
        fh = open(path, "rb")  # noqa: SIM115 - closed by the with-block below
    except FileNotFoundError as exc:
        raise EvidenceUnreadable("file not found", path=path) from exc
    except PermissionError as exc:
        raise EvidenceUnreadable("permission denied", path=path) from exc
    with fh:
        head = fh.read(4)
        if size == 0:
            raise InputError("empty file (0 bytes), not a capture", path=path, offset=0)
        if head[:2] == GZIP_MAGIC:
            try:
                data = _gunzip_bounded(path)
                return np.frombuffer(data, dtype=np.uint8), data[:4]
            except (OSError, EOFError) as exc:
                # A cut gzip stream: keep what decompresses.
                data = _gunzip_partial(path)
                if len(data) < 4:
                    raise InputError(f"broken gzip stream: {exc}", path=path, offset=0) from exc
                return np.frombuffer(data, dtype=np.uint8), data[:4]
        mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        return np.frombuffer(mm, dtype=np.uint8), head


def _gzip_limit() -> int:
    from tergeu import settings

    return int(settings.get("net_gzip_max_mib")) << 20


def _gunzip_bounded(path: Path) -> bytes:
    """Decompress in chunks and stop at the configured size: a gzip bomb must not exhaust memory."""
    limit = _gzip_limit()
    out = bytearray()
    with gzip.open(path, "rb") as gz:
        while chunk := gz.read(1 << 20):
            out += chunk
            if len(out) > limit:
                raise InputError(
                    f"gzip capture expands beyond {limit >> 20} MiB (TERGEU_NET_GZIP_MAX_MIB); "
                    "decompress it to disk and give the .pcap instead",
                    path=path,
                    offset=0,
                )
    return bytes(out)


def _gunzip_partial(path: Path) -> bytes:
    import zlib

    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            try:
                out += d.decompress(chunk)
            except zlib.error:
                break
            if len(out) > _gzip_limit():
                break
    return bytes(out)


def sniff(head: bytes) -> str | None:
    """'pcap', 'pcapng', 'gzip' or None from the first four bytes."""
    if head[:4] in PCAP_MAGICS:
        return "pcap"
    if head[:4] == PCAPNG_MAGIC:
        return "pcapng"
    if head[:2] == GZIP_MAGIC:
        return "gzip"
    return None


_ERR_TEXT = {
    E_TRUNC_HDR: ("truncated", "capture ends inside a record header; earlier packets kept"),
    E_TRUNC_DATA: ("truncated", "capture ends inside a record; earlier packets kept"),
    E_BAD_CAPLEN: ("corrupt", "corrupt record header (captured length impossible); reading stopped here"),
    E_BAD_BLOCK: ("corrupt", "corrupt pcapng block (length or trailer wrong); reading stopped here"),
    E_BAD_IFACE: ("corrupt", "packet block names an interface that was never described; reading stopped"),
}


def read_capture(path: str | Path) -> Packets:
    """Read one pcap, pcapng or gzip-compressed capture into packet columns."""
    p = Path(path)
    buf, head = _open_bytes(p)
    kind = sniff(head)
    warnings: list[ParseWarning] = []
    sp = str(p)
    if kind is None:
        if head[:4].isascii() and all(32 <= c < 127 or c in (9, 10, 13) for c in bytes(buf[:64])):
            raise NotMyFormat("text file, not a pcap/pcapng capture", path=p, offset=0)
        raise NotMyFormat(
            f"unknown file magic {bytes(head[:4]).hex()}, not a pcap/pcapng capture", path=p, offset=0
        )
    if kind == "pcap":
        if len(buf) < 24:
            raise InputError("pcap global header is truncated (under 24 bytes)", path=p, offset=0)
        be, mult = PCAP_MAGICS[bytes(buf[:4])]
        order = ">" if be else "<"
        snaplen = int(np.frombuffer(bytes(buf[16:20]), dtype=order + "u4")[0])
        link = int(np.frombuffer(bytes(buf[20:24]), dtype=order + "u4")[0]) & 0x0FFFFFFF
        empty = np.zeros(0, dtype=np.int64)
        n, err, eoff, bad_ts = _walk_pcap(buf, be, mult, snaplen, False, empty, empty, empty, empty)
        rec = np.empty(n, dtype=np.int64)
        cap = np.empty(n, dtype=np.int64)
        wire = np.empty(n, dtype=np.int64)
        ts = np.empty(n, dtype=np.int64)
        _walk_pcap(buf, be, mult, snaplen, True, rec, cap, wire, ts)
        ifc = np.zeros(n, dtype=np.int32)
        if_link = np.array([link], dtype=np.int64)
        if bad_ts:
            warnings.append(
                ParseWarning(
                    sp, f"{bad_ts} record(s) with a sub-second field out of range", None, None, "timestamp"
                )
            )
        hdr_rec = rec - 16
    else:
        if kind == "gzip":
            raise InputError("gzip stream does not hold a pcap/pcapng capture", path=p, offset=0)
        if len(buf) < 28:
            raise InputError("pcapng section header is truncated", path=p, offset=0)
        nmax = 4096
        if_link = np.full(nmax, -1, dtype=np.int64)
        if_res = np.full(nmax, 6, dtype=np.int64)
        if_snap = np.zeros(nmax, dtype=np.int64)
        empty = np.zeros(0, dtype=np.int64)
        n, err, eoff, nif = _walk_pcapng(
            buf, False, empty, empty, empty, empty, np.zeros(0, np.int32), if_link, if_res, if_snap
        )
        rec = np.empty(n, dtype=np.int64)
        cap = np.empty(n, dtype=np.int64)
        wire = np.empty(n, dtype=np.int64)
        ts = np.empty(n, dtype=np.int64)
        ifc = np.empty(n, dtype=np.int32)
        _walk_pcapng(buf, True, rec, cap, wire, ts, ifc, if_link, if_res, if_snap)
        if_link = if_link[: max(nif, 1)]
        hdr_rec = rec - 28
        if (ts < 0).any():
            # Simple Packet Blocks carry no time: give them the previous packet's.
            ts = _ffill(ts)
    if err != E_OK:
        code, text = _ERR_TEXT[err]
        warnings.append(ParseWarning(sp, text, int(eoff), f"record {n}", code))
    for li, lt in enumerate(if_link.tolist()):
        if lt >= 0 and lt not in KNOWN_LINKS and (ifc == li).any():
            warnings.append(
                ParseWarning(
                    sp,
                    f"link type {lt} (interface {li}) is not decoded; packets counted only",
                    None,
                    None,
                    "linktype",
                )
            )
    cols = _alloc(n)
    cut = _decode(
        buf,
        rec,
        cap,
        ifc,
        if_link,
        cols["l3"],
        cols["proto"],
        cols["src_hi"],
        cols["src_lo"],
        cols["dst_hi"],
        cols["dst_lo"],
        cols["sport"],
        cols["dport"],
        cols["flags"],
        cols["window"],
        cols["ttl"],
        cols["ip_len"],
        cols["hdr_len"],
        cols["pay_len"],
        cols["pay_off"],
        cols["pay_cap"],
        cols["icmp_type"],
    )
    if cut:
        warnings.append(
            ParseWarning(
                sp,
                f"{cut} packet(s) cut by snaplen inside their headers; counted, not decoded",
                None,
                None,
                "snaplen",
            )
        )
    cols["ts_ns"] = ts
    cols["caplen"] = cap
    cols["wirelen"] = wire
    cols["iface"] = ifc
    return Packets(
        cols=cols,
        file=np.zeros(n, dtype=np.int32),
        index=np.arange(n, dtype=np.int64),
        offset=hdr_rec,
        paths=[sp],
        buffers=[buf],
        warnings=warnings,
        link_types=[[int(x) for x in if_link.tolist()]],
    )


def _ffill(ts: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    out = ts.copy()
    idx = np.where(out >= 0, np.arange(len(out)), 0)
    np.maximum.accumulate(idx, out=idx)
    out = out[idx]
    out[out < 0] = 0
    return out


def _alloc(n: int) -> dict[str, np.ndarray[Any, Any]]:
    u64 = ("src_hi", "src_lo", "dst_hi", "dst_lo")
    small = {"l3": np.uint8, "proto": np.uint8, "flags": np.uint8, "ttl": np.uint8, "icmp_type": np.int16}
    out: dict[str, np.ndarray[Any, Any]] = {}
    for name in PACKET_COLUMNS:
        if name in ("ts_ns", "caplen", "wirelen", "iface"):
            continue
        if name in u64:
            out[name] = np.zeros(n, dtype=np.uint64)
        elif name in small:
            out[name] = np.zeros(n, dtype=small[name])
        elif name in ("sport", "dport", "window"):
            out[name] = np.zeros(n, dtype=np.int32)
        else:
            out[name] = np.zeros(n, dtype=np.int64)
    return out


def concat(parts: list[Packets]) -> Packets:
    """Join the packets of consecutive files so that flows crossing a file boundary stay one flow."""
    if len(parts) == 1:
        return parts[0]
    cols = {k: np.concatenate([p.cols[k] for p in parts]) for k in parts[0].cols}
    files = []
    paths: list[str] = []
    buffers: list[Any] = []
    links: list[list[int]] = []
    for p in parts:
        files.append(p.file + len(paths))
        paths += p.paths
        buffers += p.buffers
        links += p.link_types
    return Packets(
        cols=cols,
        file=np.concatenate(files),
        index=np.concatenate([p.index for p in parts]),
        offset=np.concatenate([p.offset for p in parts]),
        paths=paths,
        buffers=buffers,
        warnings=[w for p in parts for w in p.warnings],
        link_types=links,
    )


def is_capture(path: Path) -> bool:
    """Cheap check used to pick captures among a case's evidence items."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError:
        return False
    if head[:2] == GZIP_MAGIC:
        try:
            with gzip.open(path, "rb") as gz:
                head = gz.read(4)
        except OSError:
            return False
    return sniff(head) in ("pcap", "pcapng")


def file_size(path: str | Path) -> int:
    return os.stat(path).st_size
