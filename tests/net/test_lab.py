"""The lab and live monitoring, for real: namespaces, nmap, tcpdump (root; skipped with the reason otherwise)."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from tergeu.errors import ToolMissing
from tergeu.net import lab


def _need_lab(*tools: str) -> None:
    try:
        lab.check_tools(tools)
    except ToolMissing as exc:
        pytest.skip(f"lab unavailable: {exc.detail}")
    if (
        shutil.which("ip")
        and os.system("ip netns add tergeu-probe >/dev/null 2>&1 && ip netns del tergeu-probe") != 0
    ):
        pytest.skip("lab unavailable: ip netns add is not permitted here")


def test_lab_without_root_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(ToolMissing, match="root"):
        lab.run_lab(Path("/nonexistent"), ["syn_scan"])


@pytest.mark.root
def test_tiny_lab_port_scan_is_detected(tmp_path: Path) -> None:
    _need_lab("nmap", "curl", "dig")
    from tergeu.net import service

    manifest = lab.run_lab(tmp_path / "lab", ["syn_scan"], seed=3, scale=0.2, say=lambda _s: None)
    data = json.loads(manifest.read_text())
    (label,) = data["labels"]
    res = service.scan_files([tmp_path / "lab" / "syn_scan.pcap"], use_model=False)
    hits = [f for f in res.findings if f.kind == "port_scan"]
    assert [(f.src, f.dst, f.details["scan_type"]) for f in hits] == [
        (label["attacker"], label["target"], "syn")
    ]
    assert not [f for f in res.findings if f.src in data["benign_hosts"]]
    # nothing of the lab is left behind
    mine = f"tg{os.getpid() % 100000}-"
    assert not [n for n in os.popen("ip netns list").read().split() if n.startswith(mine)]


@pytest.mark.root
def test_watch_reports_scan_live(tmp_path: Path) -> None:
    _need_lab("nmap")
    from tergeu.net.live import watch

    with lab.Lab(tmp_path / "live") as net:
        found: list[object] = []

        def listen() -> None:
            found.extend(watch("br0", seconds=9, interval=3, window=60, netns=net.ns("sw")))

        th = threading.Thread(target=listen)
        th.start()
        net.in_ns(
            "atk", f"timeout 20 nmap -n -Pn -sS -p 1-200 -T4 --max-retries 0 {lab.ip_of('srv')}", timeout=25
        )
        th.join(timeout=40)
    kinds = [(getattr(f, "kind", None), getattr(f, "src", None)) for f in found]
    assert ("port_scan", lab.ip_of("atk")) in kinds
