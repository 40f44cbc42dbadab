"""Application hints from the same bytes: DNS, HTTP, TLS ClientHello (SNI, JA3, JA4-style), SSH banners.

Why only hints: flows are the unit of analysis, and a full protocol stack would cost a Python object
per packet. Only the first few payload packets of each flow are looked at (plus every DNS packet,
because DNS tunnelling lives in the volume of queries), chosen with numpy before any Python runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from tergeu.net.pcap import Packets

HTTP_METHODS = (b"GET ", b"POST ", b"HEAD ", b"PUT ", b"DELETE ", b"OPTIONS ", b"PATCH ", b"CONNECT ")
GREASE = {0x0A0A + 0x1010 * i for i in range(16)}
HINT_COLUMNS = (
    "http_method",
    "http_host",
    "http_uri",
    "http_ua",
    "http_status",
    "tls_sni",
    "ja3",
    "ja4",
    "ssh_client",
    "ssh_server",
    "dns_query",
)
DNS_TYPES = {
    1: "A",
    2: "NS",
    5: "CNAME",
    6: "SOA",
    12: "PTR",
    15: "MX",
    16: "TXT",
    28: "AAAA",
    33: "SRV",
    65: "HTTPS",
    255: "ANY",
}


@dataclass
class Hints:
    """Per-flow hint columns (joined onto the flow table) and one row per DNS message."""

    per_flow: pl.DataFrame
    dns: pl.DataFrame


def _name(buf: bytes, off: int, depth: int = 0) -> tuple[str, int]:
    """Decode a DNS name with compression pointers; returns (name, offset after it)."""
    labels: list[str] = []
    end = -1
    jumps = 0
    while off < len(buf):
        ln = buf[off]
        if ln == 0:
            off += 1
            break
        if ln & 0xC0 == 0xC0:
            if off + 1 >= len(buf) or jumps > 16:
                raise ValueError("bad pointer")
            if end < 0:
                end = off + 2
            off = ((ln & 0x3F) << 8) | buf[off + 1]
            jumps += 1
            continue
        if ln > 63 or off + 1 + ln > len(buf):
            raise ValueError("bad label")
        labels.append(buf[off + 1 : off + 1 + ln].decode("ascii", "replace"))
        off += 1 + ln
    else:
        raise ValueError("name runs past the message")
    return ".".join(labels), (end if end >= 0 else off)


def parse_dns(buf: bytes) -> dict[str, Any] | None:
    """The question and answer records of one DNS message, or None when it is not DNS."""
    if len(buf) < 12:
        return None
    _tid, fl, qd, an, _ns, _ar = struct.unpack("!HHHHHH", buf[:12])
    if qd != 1 or (fl >> 11) & 0xF > 2:
        return None
    try:
        qname, off = _name(buf, 12)
        qtype = struct.unpack("!H", buf[off : off + 2])[0] if off + 4 <= len(buf) else 0
        off += 4
        answers: list[str] = []
        for _ in range(min(an, 32)):
            _, off = _name(buf, off)
            if off + 10 > len(buf):
                break
            rtype, _cls, _ttl, rdlen = struct.unpack("!HHIH", buf[off : off + 10])
            rd = buf[off + 10 : off + 10 + rdlen]
            off += 10 + rdlen
            if rtype == 1 and rdlen == 4:
                answers.append(".".join(str(x) for x in rd))
            elif rtype == 28 and rdlen == 16:
                import ipaddress

                answers.append(str(ipaddress.IPv6Address(rd)))
            elif rtype == 16:
                answers.append(rd[1:].decode("ascii", "replace"))
            elif rtype in (5, 2, 12):
                with contextlib.suppress(ValueError):
                    answers.append(_name(buf, off - rdlen)[0])
    except (ValueError, struct.error):
        return None
    return {
        "is_response": bool(fl & 0x8000),
        "rcode": fl & 0xF,
        "qname": qname.lower(),
        "qtype": DNS_TYPES.get(qtype, str(qtype)),
        "answers": answers,
    }


def parse_http(buf: bytes) -> dict[str, str] | None:
    """Method/URI/Host/User-Agent of a request or the status of a response."""
    head = buf[:4096].split(b"\r\n\r\n", 1)[0]
    lines = head.split(b"\r\n")
    first = lines[0].decode("latin-1")
    out: dict[str, str] = {}
    if buf.startswith(b"HTTP/1."):
        parts = first.split(" ", 2)
        if len(parts) >= 2 and parts[1].isdigit():
            return {"http_status": parts[1]}
        return None
    if not buf.startswith(HTTP_METHODS):
        return None
    parts = first.split(" ")
    if len(parts) < 2:
        return None
    out["http_method"] = parts[0]
    out["http_uri"] = parts[1][:512]
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        key = k.strip().lower()
        if key == b"host":
            out["http_host"] = v.strip().decode("latin-1")[:255]
        elif key == b"user-agent":
            out["http_ua"] = v.strip().decode("latin-1")[:255]
    return out


def parse_client_hello(buf: bytes) -> dict[str, str] | None:
    """SNI, JA3 (md5) and a JA4-style fingerprint of a TLS ClientHello."""
    if len(buf) < 43 or buf[0] != 0x16 or buf[1] != 3 or buf[5] != 1:
        return None
    try:
        p = 9
        ver = struct.unpack("!H", buf[p : p + 2])[0]
        p += 34
        sid = buf[p]
        p += 1 + sid
        cl = struct.unpack("!H", buf[p : p + 2])[0]
        ciphers = [c for c in struct.unpack(f"!{cl // 2}H", buf[p + 2 : p + 2 + cl]) if c not in GREASE]
        p += 2 + cl
        p += 1 + buf[p]
        exts: list[int] = []
        sni = ""
        curves: list[int] = []
        pfs: list[int] = []
        alpn = ""
        sigs: list[int] = []
        supported: list[int] = []
        if p + 2 <= len(buf):
            end = min(len(buf), p + 2 + struct.unpack("!H", buf[p : p + 2])[0])
            p += 2
            while p + 4 <= end:
                et, el = struct.unpack("!HH", buf[p : p + 4])
                body = buf[p + 4 : p + 4 + el]
                p += 4 + el
                if et in GREASE:
                    continue
                exts.append(et)
                if et == 0 and len(body) > 5:
                    sni = body[5 : 5 + struct.unpack("!H", body[3:5])[0]].decode("ascii", "replace")
                elif et == 10 and len(body) >= 2:
                    curves = [
                        c
                        for c in struct.unpack(
                            f"!{(len(body) - 2) // 2}H", body[2 : 2 + (len(body) - 2) // 2 * 2]
                        )
                        if c not in GREASE
                    ]
                elif et == 11 and body:
                    pfs = list(body[1 : 1 + body[0]])
                elif et == 16 and len(body) > 3:
                    alpn = body[3 : 3 + body[2]].decode("ascii", "replace")
                elif et == 13 and len(body) >= 2:
                    sigs = list(
                        struct.unpack(f"!{(len(body) - 2) // 2}H", body[2 : 2 + (len(body) - 2) // 2 * 2])
                    )
                elif et == 43 and body:
                    supported = [
                        v
                        for v in struct.unpack(f"!{body[0] // 2}H", body[1 : 1 + body[0] // 2 * 2])
                        if v not in GREASE
                    ]
    except (struct.error, IndexError):
        return None
    ja3s = "{},{},{},{},{}".format(
        ver,
        "-".join(map(str, ciphers)),
        "-".join(map(str, exts)),
        "-".join(map(str, curves)),
        "-".join(map(str, pfs)),
    )
    best = max(supported) if supported else ver
    tv = {0x0304: "13", 0x0303: "12", 0x0302: "11", 0x0301: "10", 0x0300: "s3"}.get(best, "00")
    a = alpn[0] + alpn[-1] if alpn else "00"
    ja4_a = f"t{tv}{'d' if sni else 'i'}{min(len(ciphers), 99):02d}{min(len(exts), 99):02d}{a}"
    ja4_b = hashlib.sha256(",".join(f"{c:04x}" for c in sorted(ciphers)).encode()).hexdigest()[:12]
    ext_c = ",".join(f"{e:04x}" for e in sorted(e for e in exts if e not in (0, 16)))
    sig_c = ",".join(f"{s:04x}" for s in sigs)
    ja4_c = hashlib.sha256((ext_c + ("_" + sig_c if sig_c else "")).encode()).hexdigest()[:12]
    return {
        "tls_sni": sni,
        "ja3": hashlib.md5(ja3s.encode(), usedforsecurity=False).hexdigest(),
        "ja4": f"{ja4_a}_{ja4_b}_{ja4_c}",
    }


def extract(pk: Packets, packet_flow: np.ndarray[Any, Any], n_flows: int, first_k: int = 3) -> Hints:
    """Hints for every flow: DNS on port 53, and the first ``first_k`` payload packets elsewhere."""
    c = pk.cols
    has = (c["pay_cap"] > 0) & (packet_flow >= 0)
    udp53 = has & (c["proto"] == 17) & ((c["sport"] == 53) | (c["dport"] == 53))
    other = np.flatnonzero(has & ~udp53)
    order = other[np.lexsort((c["ts_ns"][other], packet_flow[other]))]
    fl = packet_flow[order]
    if len(order):
        grp_start = np.r_[0, np.flatnonzero(np.diff(fl)) + 1]
        rank = np.arange(len(order)) - np.repeat(grp_start, np.diff(np.r_[grp_start, len(order)]))
        order = order[rank < first_k]
    per: dict[int, dict[str, str]] = {}
    for i in order.tolist():
        data = pk.payload(i)
        f = int(packet_flow[i])
        h: dict[str, str] | None = None
        if data.startswith(b"SSH-"):
            banner = data.split(b"\n", 1)[0].strip().decode("latin-1")[:255]
            key = (
                "ssh_server"
                if int(c["sport"][i]) in (22, 2222) or "ssh_client" in per.get(f, {})
                else "ssh_client"
            )
            h = {key: banner}
        elif data[:1] == b"\x16":
            h = parse_client_hello(data)
        elif data[:1].isalpha():
            h = parse_http(data)
        if h:
            d = per.setdefault(f, {})
            for k, v in h.items():
                d.setdefault(k, v)
    dns_rows: dict[str, list[Any]] = {
        k: []
        for k in (
            "flow_id",
            "ts_ns",
            "src",
            "dst",
            "is_response",
            "rcode",
            "qname",
            "qtype",
            "answers",
            "file",
            "index",
        )
    }
    idx = np.flatnonzero(udp53)
    from tergeu.net.flows import _addr_strings

    srcs = _addr_strings(c["src_hi"][idx], c["src_lo"][idx]).to_list()
    dsts = _addr_strings(c["dst_hi"][idx], c["dst_lo"][idx]).to_list()
    for pos, i in enumerate(idx.tolist()):
        msg = parse_dns(pk.payload(i))
        if msg is None:
            continue
        f = int(packet_flow[i])
        dns_rows["flow_id"].append(f)
        dns_rows["ts_ns"].append(int(c["ts_ns"][i]))
        dns_rows["src"].append(srcs[pos])
        dns_rows["dst"].append(dsts[pos])
        dns_rows["is_response"].append(msg["is_response"])
        dns_rows["rcode"].append(msg["rcode"])
        dns_rows["qname"].append(msg["qname"])
        dns_rows["qtype"].append(msg["qtype"])
        dns_rows["answers"].append(" ".join(msg["answers"]))
        dns_rows["file"].append(int(pk.file[i]))
        dns_rows["index"].append(int(pk.index[i]))
        per.setdefault(f, {}).setdefault("dns_query", msg["qname"])
    dns = pl.DataFrame(
        dns_rows,
        schema={
            "flow_id": pl.Int64,
            "ts_ns": pl.Int64,
            "src": pl.Utf8,
            "dst": pl.Utf8,
            "is_response": pl.Boolean,
            "rcode": pl.Int32,
            "qname": pl.Utf8,
            "qtype": pl.Utf8,
            "answers": pl.Utf8,
            "file": pl.Int32,
            "index": pl.Int64,
        },
    )
    fails, oks = _login_replies(pk, packet_flow, has)
    for f in set(fails) | set(oks):
        per.setdefault(f, {})
    cols: dict[str, list[Any]] = {"flow_id": list(per.keys())}
    for name in HINT_COLUMNS:
        cols[name] = [per[f].get(name) for f in cols["flow_id"]]
    cols["auth_fail"] = [fails.get(f, 0) for f in cols["flow_id"]]
    cols["auth_ok"] = [oks.get(f, 0) for f in cols["flow_id"]]
    schema = {
        "flow_id": pl.Int64,
        **dict.fromkeys(HINT_COLUMNS, pl.Utf8),
        "auth_fail": pl.Int32,
        "auth_ok": pl.Int32,
    }
    return Hints(per_flow=pl.DataFrame(cols, schema=schema), dns=dns)


# Server replies of cleartext login protocols (FTP, SMTP AUTH, POP3, IMAP, telnet prompts).
LOGIN_SERVER_PORTS = (21, 23, 25, 110, 143, 587)
FAIL_PREFIXES = (b"530 ", b"530-", b"535 ", b"-ERR", b"Login incorrect", b"Authentication failed")
OK_PREFIXES = (b"230 ", b"230-", b"235 ", b"+OK Logged", b"+OK Mailbox", b"+OK Welcome")


def _login_replies(
    pk: Packets, packet_flow: np.ndarray[Any, Any], has: np.ndarray[Any, Any]
) -> tuple[dict[int, int], dict[int, int]]:
    """Failed and successful logins per flow, read from the server's replies, so that brute force
    against cleartext services is judged by refusals rather than by how often someone connects."""
    c = pk.cols
    idx = np.flatnonzero(has & (c["proto"] == 6) & np.isin(c["sport"], LOGIN_SERVER_PORTS))
    fails: dict[int, int] = {}
    oks: dict[int, int] = {}
    for i in idx.tolist():
        data = pk.payload(i)[:64]
        f = int(packet_flow[i])
        if data.startswith(FAIL_PREFIXES) or (b" NO " in data[:20] and b"LOGIN" in data.upper()[:40]):
            fails[f] = fails.get(f, 0) + 1
        elif data.startswith(OK_PREFIXES):
            oks[f] = oks.get(f, 0) + 1
    return fails, oks
