"""Speed of ``tergeu net`` (flows + features + hints + detections) beside NFStream 6.6 and tshark.

Usage::

    python benchmarks/bench_net.py [CAPTURE ...]

Without arguments (as root) it makes three captures with the lab once and caches them in
``benchmarks/out/``: ``mixed.pcap`` (every lab scenario with benign users, merged in time order),
``office.pcap`` (90 s of eight busy benign users: pages, DNS, downloads, FTP) and ``scan.pcap``
(a full 65,535-port SYN scan of three hosts: many tiny flows, NFStream's worst case). Each tool runs in its own process on the same file, after one warm-up run; we report the
best of ``--repeat`` runs in packets/s and the ratios. NFStream runs from its own venv
(``benchmarks/.venv-nfstream``, created here) as ``NFStreamer(source=..., statistical_analysis=True)``.
The last lines show one task per file through the executor with 1 and 2 local workers on the
first capture split into 8 files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
NFS_VENV = ROOT / "benchmarks" / ".venv-nfstream"
PY = sys.executable

TERGEU = """
import resource, sys, time
t = time.perf_counter()
from tergeu.net import service
res = service.scan_files(sys.argv[1:], use_model=True)
dt = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
service.scan_files(sys.argv[1:], use_model=True)
warm = time.perf_counter() - t
print(res.analysis.n_packets, res.analysis.flows.height, len(res.findings), dt, rss, warm)
"""
NFSTREAM = """
import resource, sys, time
from nfstream import NFStreamer
t = time.perf_counter()
n = sum(1 for _ in NFStreamer(source=sys.argv[1], statistical_analysis=True))
print(n, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def ensure_nfstream() -> Path | None:
    py = NFS_VENV / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(NFS_VENV)], check=True)
    if subprocess.run([str(py), "-c", "import nfstream"], capture_output=True).returncode != 0:
        r = subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "nfstream==6.6.0"], capture_output=True, text=True
        )
        if r.returncode != 0:
            print("NFStream could not be installed:", r.stderr[-300:])
            return None
    return py


def make_captures() -> list[Path]:
    from tergeu.net.lab import SCENARIOS, run_lab

    OUT.mkdir(parents=True, exist_ok=True)
    mixed, scan, office = OUT / "mixed.pcap", OUT / "scan.pcap", OUT / "office.pcap"
    if not mixed.exists():
        lab = OUT / "lab-mixed"
        run_lab(lab, [s for s in SCENARIOS], seed=7, scale=1.0)
        subprocess.run(
            ["mergecap", "-F", "pcap", "-w", str(mixed), *sorted(str(p) for p in lab.glob("*.pcap"))],
            check=True,
        )
    if not scan.exists():
        lab = OUT / "lab-scan"
        run_lab(lab, ["full_scan"], seed=7, scale=1.0)
        shutil.copy(lab / "full_scan.pcap", scan)
    if not office.exists():
        lab = OUT / "lab-office"
        run_lab(lab, ["benign_busy"], seed=33, scale=1.0)
        shutil.copy(lab / "benign_busy.pcap", office)
    return [mixed, office, scan]


def best(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> tuple[float, list[str]]:
    times, last = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - t
        if r.returncode != 0:
            raise SystemExit(f"{cmd[0]} failed: {r.stderr[-500:]}")
        times.append(wall)
        last = r.stdout.split()
    return min(times), last


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("captures", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    caps = args.captures or make_captures()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    nfs = ensure_nfstream()
    # warm-up: compiles and caches the numba kernels once
    subprocess.run([PY, "-c", TERGEU, str(caps[0])], env=env, capture_output=True)
    print(
        f"{'capture':<10}{'MiB':>7}{'packets':>9}{'flows':>8} | {'tergeu pkt/s':>12}{'warm':>11}{'RSS/size':>9} | "
        f"{'NFStream':>9} {'tshark':>9} | {'x NFStream':>10}{'(warm)':>8}{'x tshark':>9}{'(warm)':>8}"
    )
    for cap in caps:
        size = cap.stat().st_size
        t_wall, out = best([PY, "-c", TERGEU, str(cap)], args.repeat, env)
        packets, flows, findings, rss_kb, warm = (
            int(out[0]),
            int(out[1]),
            int(out[2]),
            int(out[4]),
            float(out[5]),
        )
        t_ts, _ = best(["tshark", "-q", "-z", "conv,tcp", "-r", str(cap)], args.repeat)
        t_nfs = float("nan")
        if nfs is not None:
            t_nfs, _ = best([str(nfs), "-c", NFSTREAM, str(cap)], args.repeat)
        print(
            f"{cap.stem:<10}{size / 2**20:>7.1f}{packets:>9}{flows:>8} | {packets / t_wall:>12,.0f}{packets / warm:>11,.0f}"
            f"{rss_kb * 1024 / size:>9.2f} | {packets / t_nfs:>9,.0f} {packets / t_ts:>9,.0f} | "
            f"{t_nfs / t_wall:>10.1f}{t_nfs / warm:>8.1f}{t_ts / t_wall:>9.1f}{t_ts / warm:>8.1f}   ({findings} findings)"
        )
    print(
        "tergeu/NFStream/tshark pkt/s: whole process wall time (interpreter, imports, numba cache load included),"
        " best of --repeat; 'warm': a second scan in the same process. RSS/size: peak RSS of the first scan / file size."
    )
    # executor scaling: one task per file
    split = OUT / "split"
    if shutil.which("editcap") and caps:
        shutil.rmtree(split, ignore_errors=True)
        split.mkdir(parents=True)
        packets = int(best([PY, "-c", TERGEU, str(caps[0])], 1, env)[1][0])
        subprocess.run(
            ["editcap", "-c", str(packets // 8 + 1), str(caps[0]), str(split / "part.pcap")], check=True
        )
        files = sorted(str(p) for p in split.glob("part*.pcap"))
        for w in (1, 2):
            t, out = best([PY, "-c", TERGEU, *files], args.repeat, {**env, "TERGEU_WORKERS": str(w)})
            print(
                f"{len(files)} files, {w} local worker(s): {t:.2f}s, {int(out[0]) / t:,.0f} packets/s, {out[1]} flows"
            )


if __name__ == "__main__":
    main()
