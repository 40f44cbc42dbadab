"""``tergeu net watch``: flows and detections over a live interface, findings printed as they appear.

Why tcpdump and files: capturing needs privileges and a ring buffer that does not drop packets
while we analyse; tcpdump does that well. It rotates files every ``window`` seconds (``-G``), and
every ``interval`` seconds the newest two files are analysed with the same code as offline captures
(a partly written last record is just a kept-before-the-fault warning). A finding is reported once
per (kind, rule, source, destination).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tergeu.errors import InputError, ToolMissing
from tergeu.records import Finding


def watch(
    iface: str,
    seconds: int = 0,
    interval: int = 5,
    window: int = 300,
    netns: str | None = None,
    use_model: bool = False,
) -> Iterator[Finding]:
    from tergeu.net import service

    if os.geteuid() != 0:
        raise ToolMissing("live capture needs root (or CAP_NET_RAW)", tool="root")
    if shutil.which("tcpdump") is None:
        raise ToolMissing("tcpdump is not installed (apt-get install tcpdump)", tool="tcpdump")
    tmp = Path(tempfile.mkdtemp(prefix="tergeu-watch-"))
    cmd = [
        "tcpdump",
        "-i",
        iface,
        "-n",
        "-U",
        "-s",
        "512",
        "-Z",
        "root",
        "-G",
        str(window),
        "-w",
        str(tmp / "live-%s.pcap"),
    ]
    if netns:
        cmd = ["ip", "netns", "exec", netns, *cmd]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    seen: set[tuple[str, str, str | None, str | None]] = set()
    t_end = time.monotonic() + seconds if seconds > 0 else float("inf")
    try:
        time.sleep(1.0)
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise ToolMissing(f"tcpdump could not listen on {iface}: {err.strip()}", tool="tcpdump")
        while True:
            last_round = time.monotonic() + interval >= t_end
            time.sleep(max(0.0, min(interval, t_end - time.monotonic())))
            files = sorted(tmp.glob("live-*.pcap"), key=lambda p: p.stat().st_mtime)[-2:]
            files = [f for f in files if f.stat().st_size > 24]
            if files:
                try:
                    res = service.scan_files(files, use_model=use_model)
                except InputError:
                    res = None
                for f in res.findings if res else []:
                    key = (f.kind, f.method, f.src, f.dst)
                    if key not in seen:
                        seen.add(key)
                        yield f
            if last_round or time.monotonic() >= t_end:
                break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)
