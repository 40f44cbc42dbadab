"""``collect linux ROOT``: what the protocol needs from a Linux system folder or mounted image.

Reads only well-known text files under ROOT (etc/, var/lib/dpkg, var/log, home/*/, root/) and never
writes there: device identity (hostname, machine-id), operating system, time zone, users and
administrators, network configuration, installed packages, shell histories (with hashes), and the
logs present. Each fact names the file it came from so the protocol can cite it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tergeu.errors import InputError

ADMIN_GROUPS = ("sudo", "wheel", "admin", "root")
HISTORY_NAMES = (
    ".bash_history",
    ".zsh_history",
    ".sh_history",
    ".ash_history",
    ".python_history",
    ".mysql_history",
)


@dataclass
class LinuxProfile:
    root: str
    hostname: str = ""
    machine_id: str = ""
    os_name: str = ""
    os_id: str = ""
    os_version: str = ""
    timezone: str = ""
    users: list[dict[str, Any]] = field(default_factory=list)
    admins: list[str] = field(default_factory=list)
    network: dict[str, Any] = field(default_factory=dict)
    packages: list[dict[str, str]] = field(default_factory=list)
    histories: list[dict[str, Any]] = field(default_factory=list)
    logs: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _read(root: Path, rel: str, limit: int = 4 << 20) -> str | None:
    p = root / rel
    try:
        if p.is_file():
            with open(p, "rb") as fh:
                return fh.read(limit).decode("utf-8", "replace")
    except OSError:
        return None
    return None


def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def collect_linux(root: Path) -> LinuxProfile:
    if not root.is_dir():
        raise InputError("not a folder", path=root)
    if not (root / "etc").is_dir():
        raise InputError("no etc/ folder: not a Linux system root", path=root)
    prof = LinuxProfile(root=str(root))
    src = prof.sources
    text = _read(root, "etc/hostname")
    if text:
        prof.hostname, src["hostname"] = text.strip().splitlines()[0] if text.strip() else "", "etc/hostname"
    text = _read(root, "etc/machine-id") or _read(root, "var/lib/dbus/machine-id")
    if text:
        prof.machine_id, src["machine_id"] = text.strip(), "etc/machine-id"
    text = _read(root, "etc/os-release") or _read(root, "usr/lib/os-release")
    if text:
        kv = dict(
            (k, v.strip().strip('"'))
            for k, _, v in (ln.partition("=") for ln in text.splitlines())
            if k and v
        )
        prof.os_name = kv.get("PRETTY_NAME") or kv.get("NAME", "")
        prof.os_id, prof.os_version = kv.get("ID", ""), kv.get("VERSION_ID", "")
        src["os"] = "etc/os-release"
    else:
        for rel in ("etc/redhat-release", "etc/debian_version", "etc/alpine-release"):
            text = _read(root, rel)
            if text:
                prof.os_name, src["os"] = text.strip(), rel
                break
    text = _read(root, "etc/timezone")
    if text and text.strip():
        prof.timezone, src["timezone"] = text.strip(), "etc/timezone"
    else:
        lt = root / "etc/localtime"
        if lt.is_symlink():
            target = str(lt.readlink())
            if "zoneinfo/" in target:
                prof.timezone, src["timezone"] = target.split("zoneinfo/", 1)[1], "etc/localtime -> " + target
    text = _read(root, "etc/passwd")
    if text:
        src["users"] = "etc/passwd"
        for ln in text.splitlines():
            parts = ln.split(":")
            if len(parts) >= 7 and not ln.startswith("#"):
                name, _pw, uid, gid, gecos, home, shell = parts[:7]
                login = not shell.endswith(("nologin", "false", "sync", "shutdown", "halt"))
                if uid.isdigit() and (int(uid) == 0 or int(uid) >= 1000 or login):
                    prof.users.append(
                        {
                            "name": name,
                            "uid": int(uid),
                            "gid": gid,
                            "gecos": gecos,
                            "home": home,
                            "shell": shell,
                        }
                    )
    text = _read(root, "etc/group")
    if text:
        for ln in text.splitlines():
            parts = ln.split(":")
            if len(parts) >= 4 and parts[0] in ADMIN_GROUPS:
                for m in filter(None, parts[3].split(",")):
                    if m not in prof.admins:
                        prof.admins.append(m)
        src["admins"] = "etc/group"
    prof.network = _network(root)
    prof.packages = _packages(root, src)
    for hdir in (
        sorted([*(root / "home").glob("*"), root / "root"]) if (root / "home").is_dir() else [root / "root"]
    ):
        for name in HISTORY_NAMES:
            p = hdir / name
            if p.is_file():
                lines = p.read_bytes().decode("utf-8", "replace").splitlines()
                prof.histories.append(
                    {
                        "path": str(p.relative_to(root)),
                        "user": hdir.name,
                        "lines": len(lines),
                        "sha256": _sha256(p),
                        "tail": lines[-30:],
                    }
                )
    logdir = root / "var/log"
    if logdir.is_dir():
        for p in sorted(logdir.rglob("*")):
            if p.is_file() and not p.is_symlink():
                prof.logs.append({"path": str(p.relative_to(root)), "size": p.stat().st_size})
    return prof


def _network(root: Path) -> dict[str, Any]:
    net: dict[str, Any] = {"addresses": [], "nameservers": [], "hosts": [], "wifi": [], "files": []}
    text = _read(root, "etc/resolv.conf")
    if text:
        net["nameservers"] = re.findall(r"^\s*nameserver\s+(\S+)", text, re.M)
        net["files"].append("etc/resolv.conf")
    text = _read(root, "etc/hosts")
    if text:
        net["hosts"] = [
            ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
        ][:50]
        net["files"].append("etc/hosts")
    text = _read(root, "etc/network/interfaces")
    if text:
        net["addresses"] += re.findall(r"^\s*address\s+(\S+)", text, re.M)
        net["files"].append("etc/network/interfaces")
    for p in sorted((root / "etc/netplan").glob("*.yaml")) if (root / "etc/netplan").is_dir() else []:
        text = p.read_text("utf-8", "replace")
        net["addresses"] += re.findall(r"-\s*['\"]?([0-9a-fA-F.:]+/\d+)", text)
        net["files"].append(str(p.relative_to(root)))
    nm = root / "etc/NetworkManager/system-connections"
    for p in sorted(nm.glob("*")) if nm.is_dir() else []:
        if p.is_file():
            text = p.read_text("utf-8", "replace")
            ssid = re.search(r"^ssid=(.*)$", text, re.M)
            if ssid:
                net["wifi"].append(ssid.group(1))
            net["addresses"] += re.findall(r"^address\d*=([^,\s]+)", text, re.M)
            net["files"].append(str(p.relative_to(root)))
    return net


def _packages(root: Path, src: dict[str, str]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    text = _read(root, "var/lib/dpkg/status", limit=64 << 20)
    if text:
        src["packages"] = "var/lib/dpkg/status"
        for block in text.split("\n\n"):
            kv: dict[str, str] = {}
            for ln in block.splitlines():
                if ln and not ln[0].isspace() and ":" in ln:
                    k, _, v = ln.partition(":")
                    kv[k] = v.strip()
            if kv.get("Package") and "installed" in kv.get("Status", "installed"):
                out.append({"name": kv["Package"], "version": kv.get("Version", "")})
        return out
    text = _read(root, "lib/apk/db/installed", limit=64 << 20)
    if text:
        src["packages"] = "lib/apk/db/installed"
        name = ""
        for ln in text.splitlines():
            if ln.startswith("P:"):
                name = ln[2:]
            elif ln.startswith("V:") and name:
                out.append({"name": name, "version": ln[2:]})
    return out
