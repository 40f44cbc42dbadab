"""Application hints checked against tshark's own dissection of the same packets."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tergeu.net.analyze import analyse
from tergeu.net.hints import parse_client_hello, parse_dns, parse_http

S = Path(__file__).parent.parent / "data" / "net" / "samples"


def test_tls_sni_and_ja3_match_tshark() -> None:
    f = analyse([S / "plaso_tls_client_hellos.pcap"]).flows
    tls = f.filter(pl.col("tls_sni").is_not_null()).sort("start_ns")
    assert tls["tls_sni"].to_list() == ["www.google.com", "ssl.gstatic.com"]
    # tshark 4.0: tls.handshake.ja3 of frames 22 and 145 of plaso's test.pcap
    assert set(tls["ja3"].to_list()) == {"85c420ab089dac5025034444789a8fb5"}
    assert tls["ja4"][0].startswith("t10d")  # TLS 1.0 ClientHello with SNI


def test_http_requests_and_status() -> None:
    f = analyse([S / "pcpp_four_ipv6_http_streams.pcap"]).flows
    http = f.filter(pl.col("http_method").is_not_null())
    assert http.height == 4
    assert set(http["http_host"].to_list()) >= {"www.uk6x.com"}
    assert set(http["http_status"].to_list()) == {"200"}


def test_ssh_banners_both_sides() -> None:
    f = analyse([S / "zeek_sshguess.pcap"]).flows
    assert f["ssh_client"].drop_nulls().str.starts_with("SSH-2.0-").all()
    assert f["ssh_server"].drop_nulls().str.contains("OpenSSH").all()
    assert f["ssh_server"].drop_nulls().len() >= 10


def test_dns_queries_answers_and_bad_messages() -> None:
    a = analyse([S / "zeek_pcapng-multi-interface.pcapng"])
    assert a.dns.height == 6
    assert a.dns.filter(pl.col("is_response"))["answers"].str.len_chars().max() > 0  # type: ignore[operator]
    assert parse_dns(b"\x00" * 5) is None
    assert (
        parse_dns(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\xff") is None
    )  # pointer loop/garbage


def test_parsers_refuse_foreign_bytes() -> None:
    assert parse_http(b"\x16\x03\x01garbage") is None
    assert parse_client_hello(b"GET / HTTP/1.1\r\n") is None
    assert parse_client_hello(b"\x16\x03\x01\x00\x05\x01\x00") is None
