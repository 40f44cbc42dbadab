"""Evidence intake throughput vs hashdeep, sha256sum and the single-core MD5 limit (same bytes, same run).

Usage: python benchmarks/bench_intake.py [--size-mib 2048] [--dir /tmp/tergeu-bench]

Tergeu's intake = MD5 + SHA-1 + SHA-256 in one read, copy into the content-addressed store, fsync,
re-hash of the stored copy, database record and signed custody entry. Peers only hash. Each contender
runs as its own process (page cache warm) and its peak RSS is read with wait4().
It runs twice: durable (default: the copy is flushed to disk before it is recorded) and with
TERGEU_FSYNC=0 (page cache only, as the peers, which write nothing). Targets (issue 2): >= 2.0x hashdeep -c md5,sha1,sha256; >= 1.5x sha256sum; >= 0.85x MD5 limit; RSS < 200 MiB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TERGEU = """
import sys
from pathlib import Path
from tergeu.cases import new_case
from tergeu.db import session_scope
from tergeu.evidence import add_evidence
with session_scope() as s:
    case = new_case(s, "bench", "bench")
    r = add_evidence(s, case, [Path(sys.argv[1])], "bench")
    assert len(r.added) == 1, r.failed
"""

MD5 = """
import hashlib, sys
h = hashlib.md5()
buf = bytearray(8 << 20)
with open(sys.argv[1], "rb", buffering=0) as f:
    while n := f.readinto(buf):
        h.update(memoryview(buf)[:n])
print(h.hexdigest())
"""


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[0]} failed")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mib", type=int, default=2048)
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "tergeu-bench")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    data = args.dir / f"random-{args.size_mib}MiB.bin"
    if not data.exists() or data.stat().st_size != args.size_mib << 20:
        with open(data, "wb") as f:
            for _ in range(args.size_mib):
                f.write(os.urandom(1 << 20))
    subprocess.run(["cat", str(data)], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
    mib = args.size_mib

    contenders: dict[str, list[str]] = {"md5 limit (hashlib, 1 core)": [sys.executable, "-c", MD5, str(data)]}
    if shutil.which("hashdeep"):
        contenders["hashdeep -c md5,sha1,sha256"] = ["hashdeep", "-c", "md5,sha1,sha256", str(data)]
    else:
        print("hashdeep not installed (apt-get install hashdeep): skipped")
    contenders["sha256sum"] = ["sha256sum", str(data)]
    # Not a peer: the disk's own limit for a flushed copy, which bounds any durable intake.
    contenders["disk write limit (dd conv=fsync)"] = [
        "dd",
        f"if={data}",
        f"of={args.dir / 'dd-copy'}",
        "bs=8M",
        "conv=fsync",
        "status=none",
    ]

    results: dict[str, tuple[float, float]] = {}
    for _ in range(args.repeat):
        home = args.dir / "home"
        shutil.rmtree(home, ignore_errors=True)
        for label, fsync in (("tergeu intake", "1"), ("tergeu intake, no fsync", "0")):
            shutil.rmtree(home, ignore_errors=True)
            env = dict(os.environ, TERGEU_HOME=str(home), TERGEU_FSYNC=fsync)
            secs, rss = timed([sys.executable, "-c", TERGEU, str(data)], env)
            best = results.get(label)
            if best is None or secs < best[0]:
                results[label] = (secs, rss)
        for name, cmd in contenders.items():
            secs, rss = timed(cmd)
            best = results.get(name)
            if best is None or secs < best[0]:
                results[name] = (secs, rss)
    shutil.rmtree(args.dir / "home", ignore_errors=True)
    (args.dir / "dd-copy").unlink(missing_ok=True)

    print(f"\n{mib} MiB of random bytes, page cache warm, best of {args.repeat}; cores: {os.cpu_count()}")
    print(f"{'contender':32} {'seconds':>8} {'MiB/s':>8} {'peak RSS MiB':>13}")
    for name, (secs, rss) in results.items():
        print(f"{name:32} {secs:8.2f} {mib / secs:8.0f} {rss:13.0f}")
    for label in ("tergeu intake", "tergeu intake, no fsync"):
        ours = mib / results[label][0]
        print(f"\n{label}:")
        for name, target in (
            ("hashdeep -c md5,sha1,sha256", 2.0),
            ("sha256sum", 1.5),
            ("md5 limit (hashlib, 1 core)", 0.85),
        ):
            if name in results:
                ratio = ours / (mib / results[name][0])
                verdict = "OK" if ratio >= target else "BELOW"
                print(f"  ratio / {name:30} {ratio:5.2f}x  (target >= {target}x) {verdict}")
    rss = results["tergeu intake"][1]
    print(f"tergeu peak RSS {rss:.0f} MiB (target < 200 MiB) {'OK' if rss < 200 else 'ABOVE'}")


if __name__ == "__main__":
    main()
