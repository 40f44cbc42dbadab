"""Timeline benchmark: Tergeu vs plaso on the same inputs, in the same run.

Inputs: generated syslog + auth.log (realistic sshd/sudo/CRON/kernel/systemd lines, >= 1M lines in
all by default) and the EVTX samples. Tergeu runs ``tergeu timeline FILE... --json`` (parse, sort,
JSON lines out); plaso runs ``log2timeline.py`` then ``psort.py -o json_line`` from PyPI in
``benchmarks/.venv-plaso`` (created here when missing). Each tool runs in its own process; wall time
and peak RSS (sum over the process tree, workers included, sampled every 0.1 s) are measured, events/s and ratios printed.

    python benchmarks/bench_timeline.py [--lines 1000000] [--evtx DIR] [--skip-plaso]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
VENV = HERE / ".venv-plaso"
USERS = ["root", "admin", "oracle", "test", "ubuntu", "postgres", "git", "deploy", "aibek", "backup"]


def gen_logs(lines: int, folder: Path, seed: int = 7) -> tuple[Path, Path]:
    """Half syslog, half auth.log, one day per ~80k lines, crossing midnight and a month."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    syslog, auth = folder / "syslog", folder / "auth.log"
    t = datetime(2025, 1, 30, 22, 0, 0)
    pid = 1000
    with open(syslog, "w", encoding="utf-8") as s, open(auth, "w", encoding="utf-8") as a:
        for i in range(lines):
            t += timedelta(seconds=rng.choice((0, 0, 1, 1, 2, 3)))
            pid = pid + rng.randint(0, 3) if pid < 4_000_000 else 1000
            stamp = f"{t:%b} {t.day:2d} {t:%H:%M:%S} web01"
            ip = f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            port = rng.randint(1024, 65535)
            user = rng.choice(USERS)
            if i % 2:
                r = rng.random()
                if r < 0.45:
                    msg = f"sshd[{pid}]: Failed password for invalid user {user} from {ip} port {port} ssh2"
                elif r < 0.6:
                    msg = f"sshd[{pid}]: Invalid user {user} from {ip} port {port}"
                elif r < 0.7:
                    msg = f"sshd[{pid}]: Connection closed by authenticating user {user} {ip} port {port} [preauth]"
                elif r < 0.8:
                    msg = f"sshd[{pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user={user}"
                elif r < 0.88:
                    msg = f"sshd[{pid}]: Accepted publickey for deploy from {ip} port {port} ssh2: RSA SHA256:Zm9vYmFyYmF6cXV4"
                elif r < 0.95:
                    msg = f"sudo:    {user} : TTY=pts/{rng.randint(0, 9)} ; PWD=/home/{user} ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx"
                else:
                    msg = (
                        f"CRON[{pid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"
                    )
                a.write(f"{stamp} {msg}\n")
            else:
                r = rng.random()
                if r < 0.3:
                    msg = f"CRON[{pid}]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)"
                elif r < 0.55:
                    msg = f"kernel: [{rng.randint(1, 999999)}.{rng.randint(0, 999999):06d}] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56 SRC={ip} DST=10.0.0.5 LEN=40 TOS=0x00 PREC=0x00 TTL=245 ID={rng.randint(1, 65535)} PROTO=TCP SPT={port} DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0"
                elif r < 0.75:
                    msg = f"systemd[1]: Started Session {rng.randint(1, 99999)} of user {user}."
                elif r < 0.9:
                    msg = f"nginx[{pid}]: 2025/01/30 22:00:00 [error] {pid}#0: *{rng.randint(1, 9999)} open() failed (2: No such file or directory), client: {ip}"
                else:
                    msg = f"systemd-resolved[{pid}]: Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 10.0.0.1."
                s.write(f"{stamp} {msg}\n")
    return syslog, auth


_WRAPPER = """
import json, subprocess, sys, time, resource
out = open(sys.argv[1], "wb") if sys.argv[1] != "-" else subprocess.DEVNULL
t = time.perf_counter()
p = subprocess.Popen(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)
peak = 0
try:
    import psutil
    root = psutil.Process(p.pid)
    while p.poll() is None:
        total = 0
        try:
            for proc in [root, *root.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        peak = max(peak, total // 1024)
        time.sleep(0.1)
except ImportError:
    p.wait()
dt = time.perf_counter() - t
single = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps([dt, max(peak, single), p.returncode]))
"""


def run_measured(
    cmd: list[str], stdout: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, int, int]:
    """(seconds, peak RSS in KiB summed over the whole process tree (workers included), exit code)."""
    res = subprocess.run(
        [sys.executable, "-c", _WRAPPER, str(stdout) if stdout else "-", *cmd],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    dt, rss, rc = json.loads(res.stdout.strip().splitlines()[-1])
    return float(dt), int(rss), int(rc)


def count_lines(p: Path) -> int:
    with open(p, "rb") as fh:
        return sum(1 for _ in fh)


def tergeu_cmd() -> list[str]:
    exe = shutil.which("tergeu")
    local = Path(sys.executable).parent / "tergeu"
    return [str(local)] if local.exists() else ([exe] if exe else [sys.executable, "-m", "tergeu.cli"])


def ensure_plaso() -> tuple[Path, Path] | str:
    """Paths of log2timeline and psort in the benchmark's venv, or why they are unavailable."""
    bin_ = VENV / "bin"
    for l2t_name, ps_name in (("log2timeline.py", "psort.py"), ("log2timeline", "psort")):
        if (bin_ / l2t_name).exists() and (bin_ / ps_name).exists():
            return bin_ / l2t_name, bin_ / ps_name
    try:
        if not (bin_ / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        r = subprocess.run(
            [str(bin_ / "pip"), "install", "-q", "plaso"], capture_output=True, text=True, check=False
        )
        if r.returncode != 0:
            return f"pip install plaso failed: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.returncode}"
    except (OSError, subprocess.CalledProcessError) as exc:
        return f"cannot create {VENV}: {exc}"
    for l2t_name, ps_name in (("log2timeline.py", "psort.py"), ("log2timeline", "psort")):
        if (bin_ / l2t_name).exists():
            return bin_ / l2t_name, bin_ / ps_name
    return "plaso installed but log2timeline not found"


def run_plaso(
    l2t: Path, psort: Path, inputs: list[Path], name: str, parsers: str
) -> tuple[float, int, int, int]:
    """log2timeline into a fresh storage file, then psort to JSON lines: (seconds, peak KiB, events, rc)."""
    work = OUT / f"plaso-{name}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    src = work / "input"
    src.mkdir()
    for p in inputs:
        os.link(p, src / p.name) if p.stat().st_dev == src.stat().st_dev else shutil.copy2(p, src / p.name)
    storage = work / "timeline.plaso"
    env = dict(os.environ, TZ="UTC")
    t1, r1, rc1 = run_measured(
        [
            str(l2t),
            "--quiet",
            "--status_view",
            "none",
            "--parsers",
            parsers,
            "--storage_file",
            str(storage),
            "--unattended",
            str(src),
        ],
        env=env,
    )
    out = work / "out.jsonl"
    t2, r2, rc2 = run_measured(
        [str(psort), "--quiet", "--status_view", "none", "-o", "json_line", "-w", str(out), str(storage)],
        env=env,
    )
    n = count_lines(out) if out.exists() else 0
    return t1 + t2, max(r1, r2), n, rc1 or rc2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument(
        "--evtx",
        type=Path,
        default=None,
        help="Folder of .evtx files (default: shared samples or tests data)",
    )
    ap.add_argument("--skip-plaso", action="store_true")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    evtx_dir = args.evtx
    if evtx_dir is None:
        for cand in (HERE.parents[1] / "shared/data/samples/evtx", HERE.parent / "tests/data/timeline"):
            if cand.is_dir() and list(cand.glob("*.evtx")):
                evtx_dir = cand
                break
    evtx = sorted(evtx_dir.glob("*.evtx")) if evtx_dir else []
    print(f"generating {args.lines:,} syslog + auth.log lines ...", flush=True)
    logs = list(gen_logs(args.lines, OUT / "logs"))
    size = sum(p.stat().st_size for p in logs)
    print(
        f"  {size / 1e6:.1f} MB; EVTX: {len(evtx)} files, {sum(p.stat().st_size for p in evtx) / 1e6:.1f} MB from {evtx_dir}"
    )

    env = dict(os.environ, TERGEU_HOME=str(OUT / "tergeu-home"))
    results: dict[str, dict[str, float]] = {}
    for name, inputs, extra in (("logs", logs, ["--year", "2025"]), ("evtx", evtx, [])):
        if not inputs:
            continue
        out = OUT / f"tergeu-{name}.jsonl"
        dt, rss, rc = run_measured(
            [*tergeu_cmd(), "timeline", "files", *map(str, inputs), "--json", *extra], out, env
        )
        n = count_lines(out)
        results[f"tergeu-{name}"] = {"s": dt, "rss": rss, "n": n, "rc": rc}
        print(
            f"tergeu  {name:5s}: {n:>9,} events in {dt:7.2f} s = {n / dt:>10,.0f} ev/s, peak RSS {rss / 1024:7.1f} MiB (rc {rc})",
            flush=True,
        )

    # The case path too: evidence intake is not timed; `timeline build` (parse + store in SQLite) is.
    shutil.rmtree(OUT / "tergeu-home", ignore_errors=True)
    made = subprocess.run(
        [*tergeu_cmd(), "case", "new", "bench", "--by", "bench"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    number = made.stdout.strip().splitlines()[-1] if made.returncode == 0 else ""
    if number:
        subprocess.run(
            [*tergeu_cmd(), "evidence", "add", number, str(OUT / "logs"), "--by", "bench"],
            capture_output=True,
            env=env,
            check=False,
        )
        dt, rss, rc = run_measured(
            [*tergeu_cmd(), "timeline", "build", number, "--year", "2025", "--by", "bench"], None, env
        )
        n = 2 * (args.lines // 2) + args.lines % 2
        results["tergeu-build"] = {"s": dt, "rss": rss, "n": n, "rc": rc}
        print(
            f"tergeu  build: {n:>9,} events in {dt:7.2f} s = {n / dt:>10,.0f} ev/s, peak RSS {rss / 1024:7.1f} MiB (rc {rc}) [parse + store in SQLite]",
            flush=True,
        )

    if args.skip_plaso:
        print("plaso: skipped (--skip-plaso)")
        return
    found = ensure_plaso()
    if isinstance(found, str):
        print(f"plaso: not available — {found}; Tergeu figures above stand alone")
        return
    l2t, psort = found
    for name, inputs, parsers in (("logs", logs, "text"), ("evtx", evtx, "winevtx")):
        if not inputs:
            continue
        dt, rss, n, rc = run_plaso(l2t, psort, inputs, name, parsers)
        results[f"plaso-{name}"] = {"s": dt, "rss": rss, "n": n, "rc": rc}
        print(
            f"plaso   {name:5s}: {n:>9,} events in {dt:7.2f} s = {n / max(dt, 1e-9):>10,.0f} ev/s, peak RSS {rss / 1024:7.1f} MiB (rc {rc})",
            flush=True,
        )
        for key in (f"tergeu-{name}", "tergeu-build" if name == "logs" else ""):
            tg = results.get(key)
            if tg and n:
                speed = (tg["n"] / tg["s"]) / (n / dt)
                print(
                    f"ratio   {key[7:]:5s}: Tergeu {speed:.1f}x plaso events/s; wall {dt / tg['s']:.1f}x faster; "
                    f"RSS {rss / max(tg['rss'], 1):.1f}x lower"
                )


if __name__ == "__main__":
    main()
