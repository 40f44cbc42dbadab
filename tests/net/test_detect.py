"""Detection tests on committed lab captures made by real tools (tests/data/net/lab, README there).

Each labelled attack must be found with the right kind and attacker; benign hosts must not be flagged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tergeu.net.analyze import analyse
from tergeu.net.detect import Detector, finding_json
from tergeu.records import Finding

LAB = Path(__file__).parent.parent / "data" / "net" / "lab"
MANIFEST: dict[str, Any] = json.loads((LAB / "manifest.json").read_text(encoding="utf-8"))
SAMPLES = Path(__file__).parent.parent / "data" / "net" / "samples"


def capture(name: str) -> Path:
    p = LAB / name
    return p if p.exists() else LAB / (name + ".gz")


_cache: dict[str, list[Finding]] = {}


def rules(name: str) -> list[Finding]:
    if name not in _cache:
        _cache[name] = Detector.of(analyse([capture(name)])).run()
    return _cache[name]


def labels() -> list[dict[str, Any]]:
    return list(MANIFEST["labels"])


@pytest.mark.parametrize("label", labels(), ids=lambda lb: f"{lb['capture']}:{lb['subtype']}")
def test_each_labelled_attack_found_with_kind_and_attacker(label: dict[str, Any]) -> None:
    found = rules(label["capture"])
    hits = [f for f in found if f.kind == label["kind"] and f.src == label["attacker"]]
    assert hits, f"{label['kind']} by {label['attacker']} not found; got {[(f.kind, f.src) for f in found]}"
    if label["kind"] != "host_sweep":
        assert any(f.dst == label["target"] for f in hits)
    assert all(
        f.refs and f.refs[0].record and "packets" in f.refs[0].record for f in hits if f.kind != "host_sweep"
    )


@pytest.mark.parametrize("cap", [c["file"] for c in MANIFEST["captures"]])
def test_benign_hosts_not_flagged(cap: str) -> None:
    if cap in MANIFEST["benign_captures"]:
        assert [(f.kind, f.src) for f in rules(cap)] == []  # everyone is benign here
        return
    benign = set(MANIFEST["benign_hosts"])
    flagged = [(f.kind, f.src) for f in rules(cap) if f.src in benign]
    assert flagged == []


def test_port_scan_types_are_told_apart() -> None:
    kinds = {}
    for lb in labels():
        if lb["kind"] == "port_scan" and lb["subtype"] in ("syn", "connect", "udp"):
            (hit,) = [f for f in rules(lb["capture"]) if f.kind == "port_scan" and f.src == lb["attacker"]]
            kinds[lb["subtype"]] = hit.details["scan_type"]
    assert kinds == {"syn": "syn", "connect": "connect", "udp": "udp"}


def test_findings_explain_thresholds() -> None:
    for lb in labels():
        for f in rules(lb["capture"]):
            text = json.dumps(f.details)
            assert "threshold" in text, f.method


def test_public_brute_force_captures() -> None:
    """Zeek's FTP and SSH password-guessing traces (not made by us) are recognised too."""
    ftp = Detector.of(analyse([SAMPLES / "zeek_ftp_bruteforce.pcap"])).run()
    assert [(f.kind, f.src, f.dst) for f in ftp] == [("brute_force", "192.168.56.1", "192.168.56.101")]
    ssh = Detector.of(analyse([SAMPLES / "zeek_sshguess.pcap"])).run()
    assert [(f.kind, f.details["service"]) for f in ssh] == [("brute_force", "ssh")]


def test_ordinary_browsing_capture_is_quiet() -> None:
    """Four ordinary HTTP-over-IPv6 downloads (PcapPlusPlus test capture) raise nothing."""
    quiet = Detector.of(analyse([SAMPLES / "pcpp_four_ipv6_http_streams.pcap"])).run()
    assert quiet == []


def test_json_contract_fields() -> None:
    f = rules(labels()[0]["capture"])[0]
    j = finding_json(f)
    assert list(j) == ["kind", "src", "dst", "start", "end", "score", "method", "summary", "evidence"]
    assert j["kind"] in {
        "port_scan",
        "host_sweep",
        "brute_force",
        "dos",
        "exfiltration",
        "beaconing",
        "dns_tunnel",
        "anomaly",
    }
    assert j["start"].endswith("Z") and j["end"] >= j["start"]
    assert 0.0 <= j["score"] <= 1.0
    assert j["method"].startswith(("rule:", "model:"))
    json.dumps(j)


def test_demo_sample_merged_capture_finds_all_four() -> None:
    """The demo's capture merges four scenarios; one attack must not hide another."""
    from tergeu.demo import samples_dir

    found = Detector.of(analyse([samples_dir() / "net_lab_attacks.pcap"])).run()
    assert sorted((f.kind, f.src) for f in found) == [
        ("beaconing", "10.77.0.30"),
        ("brute_force", "10.77.0.67"),
        ("dns_tunnel", "10.77.0.30"),
        ("port_scan", "10.77.0.66"),
    ]
