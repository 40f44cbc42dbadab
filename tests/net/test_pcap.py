"""Reader tests on real odd and broken captures (tests/data/net/samples, see README there)."""

from __future__ import annotations

import gzip
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

from tergeu.errors import InputError, NotMyFormat
from tergeu.net.flows import build_flows
from tergeu.net.pcap import read_capture

S = Path(__file__).parent.parent / "data" / "net" / "samples"


def tcp_udp(name: str) -> tuple[int, int, int]:
    pk = read_capture(S / name)
    c = pk.cols
    return (
        len(pk),
        int(((c["proto"] == 6) & (c["l3"] < 8)).sum()),
        int(((c["proto"] == 17) & (c["l3"] < 8)).sum()),
    )


# (file, packets, tcp, udp) as counted by tshark 4.x on the same files
@pytest.mark.parametrize(
    ("name", "packets", "tcp", "udp"),
    [
        ("pcpp_four_ipv6_http_streams.pcap", 81, 81, 0),  # LINKTYPE_RAW (12), IPv6
        ("pcpp_nanosecs_big_endian.pcap", 10, 10, 0),  # big-endian, nanosecond magic
        ("pcpp_null_loopback.pcap", 3, 1, 2),  # BSD NULL/loopback
        ("tcpdump_LINKTYPE_RAW_ipv4.pcap", 1, 0, 1),  # LINKTYPE_RAW (101)
        ("tcpdump_timestamp_invalid_micro.pcap", 3, 3, 0),  # Linux SLL
        ("zeek_ftp_bruteforce.pcap", 606, 606, 0),
        ("zeek_vlan-qinqinq.pcap", 14, 14, 0),  # three stacked 802.1Q tags
        ("lnav_dhcp.pcapng", 4, 0, 4),
        ("pcpp_many_interfaces-1.pcapng", 64, 32, 32),  # 11 interfaces, mixed link types
        ("zeek_pcapng-multi-interface.pcapng", 6, 0, 6),  # ns and us interfaces
        ("gopacket_le_test202.pcapng", 8, 0, 8),  # 3 sections, SPB, unknown blocks
        ("gopacket_be_test202.pcapng", 8, 0, 8),  # same, big-endian sections
    ],
)
def test_counts_match_tshark(name: str, packets: int, tcp: int, udp: int) -> None:
    assert tcp_udp(name) == (packets, tcp, udp)


def test_sll2_and_arp_decoded() -> None:
    pk = read_capture(S / "zeek_linux_dlt_sll2.pcap")
    assert pk.link_types == [[276]]
    assert set(pk.cols["proto"][pk.cols["l3"] > 0].tolist()) >= {1, 58}
    arp = read_capture(S / "zeek_linuxsll-arp.pcap")
    assert (arp.cols["l3"] == 8).sum() == 12


def test_multi_interface_nanosecond_timestamps() -> None:
    pk = read_capture(S / "zeek_pcapng-multi-interface.pcapng")
    ts = pk.cols["ts_ns"].tolist()
    # interface 0 has if_tsresol=9 (ns), interface 1 microseconds; values as tshark prints them
    assert ts[0] == 1767663089500330493 and ts[2] == 1767663437111897000
    assert len(set(pk.cols["iface"].tolist())) == 2


def test_big_endian_nanoseconds_keep_sub_microsecond() -> None:
    pk = read_capture(S / "pcpp_nanosecs_big_endian.pcap")
    assert (pk.cols["ts_ns"] % 1000 != 0).any()


def test_truncated_last_record_keeps_earlier_packets() -> None:
    pk = read_capture(S / "dpkt_truncated_dns_2.pcap")
    assert len(pk) == 1
    (w,) = [w for w in pk.warnings if w.code == "truncated"]
    assert w.offset == 240 and "dpkt_truncated_dns_2.pcap" in w.path


def test_truncated_pcapng_block() -> None:
    pk = read_capture(S / "lnav_dhcp-trunc.pcapng")
    assert len(pk) == 0
    assert pk.warnings[0].code == "truncated" and pk.warnings[0].offset == 60


def test_snaplen_cut_packets_keep_wire_length() -> None:
    pk = read_capture(S / "dpkt_truncated_dns.pcap")
    c = pk.cols
    assert c["caplen"][0] < c["wirelen"][0]
    assert c["pay_len"][0] > c["pay_cap"][0]  # true UDP payload size survives the cut
    cut = read_capture(S / "zeek_trunc-hdr.pcap")
    assert any(w.code == "snaplen" for w in cut.warnings)


def test_corrupt_record_header_mid_file(tmp_path: Path) -> None:
    data = bytearray((S / "zeek_sshguess.pcap").read_bytes())
    # walk to the 100th record and give it an impossible captured length
    off = 24
    for _ in range(100):
        off += 16 + struct.unpack_from("<I", data, off + 8)[0]
    struct.pack_into("<I", data, off + 8, 0x7FFFFFFF)
    bad = tmp_path / "bad.pcap"
    bad.write_bytes(bytes(data))
    pk = read_capture(bad)
    assert len(pk) == 100
    (w,) = pk.warnings
    assert w.code == "corrupt" and w.offset == off and w.path == str(bad)


def test_gzip_capture_reads_like_plain(tmp_path: Path) -> None:
    gz = tmp_path / "ftp.pcap.gz"
    with open(S / "zeek_ftp_bruteforce.pcap", "rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    a, b = read_capture(gz), read_capture(S / "zeek_ftp_bruteforce.pcap")
    assert len(a) == len(b)
    assert np.array_equal(a.cols["ts_ns"], b.cols["ts_ns"])
    assert a.payload(5) == b.payload(5)


def test_empty_and_foreign_files_raise_clear_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pcap"
    empty.write_bytes(b"")
    with pytest.raises(InputError) as e:
        read_capture(empty)
    assert e.value.offset == 0 and "empty.pcap" in e.value.message("en")
    text = tmp_path / "notes.pcap"
    text.write_text("this is a text file pretending to be a capture\n")
    with pytest.raises(NotMyFormat, match="text file"):
        read_capture(text)
    with pytest.raises(NotMyFormat, match="736e6f6f"):
        read_capture(S / "pcpp_solaris.snoop")


def test_empty_pcapng_has_no_packets() -> None:
    pk = read_capture(S / "tcpdump_empty.pcapng")
    assert len(pk) == 0 and pk.warnings == []
    assert build_flows(pk).table.height == 0


def test_flows_match_tshark_conversations() -> None:
    for name, convs in (
        ("zeek_ftp_bruteforce.pcap", 30),
        ("zeek_sshguess.pcap", 11),
        ("pcpp_four_ipv6_http_streams.pcap", 4),
    ):
        t = build_flows(read_capture(S / name)).table
        assert t.filter(t["proto"] == 6).height == convs, name


def test_unknown_link_type_is_counted_and_reported(tmp_path: Path) -> None:
    # LINKTYPE_IEEE802_11 (105) is not decoded: packets are kept and counted, one warning says so
    hdr = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 105)
    rec = struct.pack("<IIII", 1_700_000_000, 5, 24, 24) + bytes(24)
    f = tmp_path / "wifi.pcap"
    f.write_bytes(hdr + rec + rec)
    pk = read_capture(f)
    assert len(pk) == 2 and (pk.cols["l3"] == 0).all()
    (w,) = pk.warnings
    assert w.code == "linktype" and "105" in w.message


def test_invalid_subsecond_fields_are_warned() -> None:
    pk = read_capture(S / "tcpdump_timestamp_invalid_micro.pcap")
    assert len(pk) == 3
    assert [w.code for w in pk.warnings] == ["timestamp"] and "2 record" in pk.warnings[0].message


def test_year_2106_timestamp_is_not_wrapped() -> None:
    pk = read_capture(S / "tcpdump_time_2106_overflow.pcapng")
    assert pk.cols["ts_ns"][0] // 10**9 >= 2**32  # 2106-02-07 06:28:16 UTC


@pytest.mark.parametrize("kind", ["fifo", "chardev"])
def test_fifo_and_devices_are_refused_without_blocking(tmp_path: Path, kind: str) -> None:
    import os
    import signal

    from tergeu.errors import EvidenceUnreadable

    if kind == "fifo":
        path = tmp_path / "capture.pcap"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    signal.alarm(20)  # a regression blocks in open() or reads forever: fail instead
    try:
        with pytest.raises(EvidenceUnreadable) as info:
            read_capture(path)
    finally:
        signal.alarm(0)
    assert "regular" in info.value.detail and str(path) in info.value.message()


def test_gzip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gzip as _gzip

    from tergeu.errors import InputError
    from tergeu.net import pcap

    bomb = tmp_path / "bomb.pcap.gz"
    header = bytes.fromhex("d4c3b2a1020004000000000000000000ffff000001000000")
    with _gzip.open(bomb, "wb") as gz:
        gz.write(header)
        gz.write(b"\x00" * (3 << 20))
    monkeypatch.setenv("TERGEU_NET_GZIP_MAX_MIB", "1")
    with pytest.raises(InputError) as info:
        pcap._open_bytes(bomb)
    assert "bomb.pcap.gz" in info.value.message() and "TERGEU_NET_GZIP_MAX_MIB" in info.value.message()
