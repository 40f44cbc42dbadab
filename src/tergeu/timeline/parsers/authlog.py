"""auth.log / secure: classification of sshd, sudo, su, useradd & co. messages into event types.

The syslog parser calls :func:`classify` on every line, so authentication events are typed wherever
they appear; :class:`AuthLogParser` is the same reader claiming files named like auth.log or secure
so that their source reads "auth". Clock-setting commands (``date -s``, ``timedatectl set-time``,
``hwclock --set``) run through sudo are typed ``time_change_command`` for the tampering detectors.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from tergeu.timeline.parsers.syslog import SyslogParser

_SSH = [
    (
        re.compile(r"^Accepted (\S+) for (\S+) from (\S+) port (\d+)"),
        "ssh_login_success",
        ("method", "user", "src_ip", "src_port"),
    ),
    (
        re.compile(r"^Failed (\S+) for (?:invalid user )?(\S*) from (\S+) port (\d+)"),
        "ssh_login_failed",
        ("method", "user", "src_ip", "src_port"),
    ),
    (
        re.compile(r"^Invalid user (\S*) from (\S+)(?: port (\d+))?"),
        "ssh_invalid_user",
        ("user", "src_ip", "src_port"),
    ),
    (
        re.compile(
            r"^(?:Disconnected from|Connection closed by|Received disconnect from) (?:(?:invalid |authenticating )?user (\S+) )?(\S+)(?: port (\d+))?"
        ),
        "ssh_disconnect",
        ("user", "src_ip", "src_port"),
    ),
    (re.compile(r"^Did not receive identification string from (\S+)"), "ssh_scan", ("src_ip",)),
    (
        re.compile(
            r"^(?:error: )?maximum authentication attempts exceeded for (?:invalid user )?(\S+) from (\S+)"
        ),
        "ssh_login_failed",
        ("user", "src_ip"),
    ),
]
_PAM_FAIL = re.compile(r"authentication failure;.*?rhost=(\S*)(?:\s+user=(\S+))?")
_SESSION = re.compile(r"session (opened|closed) for user (\S+?)(?:\(uid=\d+\))?(?: by |$|\s)")
_SUDO = re.compile(
    r"^\s*(\S+) : (?:(\d+) incorrect password attempts? ; )?(?:TTY=(\S+) ; )?PWD=(.*?) ; USER=(\S+) ; (?:.*?; )?COMMAND=(.*)$"
)
_SU_OK = re.compile(r"^(?:Successful su for (\S+) by (\S+)|\(to (\S+)\) (\S+) on)")
_SU_FAIL = re.compile(r"^(?:FAILED su for (\S+) by (\S+)|FAILED SU \(to (\S+)\) (\S+) on)")
_NEW_USER = re.compile(r"^new user: name=([^,\s]+)(?:, UID=(\d+))?")
_NEW_GROUP = re.compile(r"^new group: name=([^,\s]+)")
_ADD_TO_GROUP = re.compile(
    r"^(?:add '([^']+)' to (?:shadow )?group '([^']+)'|members of group (\S+) set by \S+ to (\S+))"
)
_DEL_USER = re.compile(r"^delete user '([^']+)'")
_PASSWD = re.compile(r"password changed for (\S+)")
_CLOCK_CMD = re.compile(
    r"(?:^|/|\s)(?:date\s+(?:-s|--set)|date\s+\d{8,12}|timedatectl\s+set-time|hwclock\s+(?:--set|-s|--hctosys|--systohc))"
)
_TIME_CHANGED = re.compile(
    r"Time has been changed|System clock time unset|clock_settime|Time jumped backwards"
)


def classify(program: str, msg: str) -> tuple[str, dict[str, Any]] | None:
    """Event type and fields for an authentication-related message, or None for plain syslog."""
    p = program.lower()
    if p in ("sshd", "sshd-session"):
        for rx, kind, names in _SSH:
            m = rx.match(msg)
            if m:
                return kind, {k: v for k, v in zip(names, m.groups(), strict=False) if v}
    if p == "sudo":
        m = _SUDO.match(msg)
        if m:
            user, fails, tty, pwd, target, command = m.groups()
            attrs = {"user": user, "target_user": target, "command": command.strip(), "pwd": pwd}
            if tty:
                attrs["tty"] = tty
            if fails:
                attrs["failures"] = int(fails)
                return "sudo_failed", attrs
            if _CLOCK_CMD.search(command):
                return "time_change_command", attrs
            return "sudo_command", attrs
    if p == "su":
        m = _SU_OK.match(msg)
        if m:
            g = m.groups()
            return "su_success", {"target_user": g[0] or g[2], "user": g[1] or g[3]}
        m = _SU_FAIL.match(msg)
        if m:
            g = m.groups()
            return "su_failed", {"target_user": g[0] or g[2], "user": g[1] or g[3]}
    if p in ("useradd", "adduser"):
        m = _NEW_USER.match(msg)
        if m:
            return "user_created", {"user": m.group(1), **({"uid": m.group(2)} if m.group(2) else {})}
    if p in ("useradd", "groupadd", "addgroup"):
        m = _NEW_GROUP.match(msg)
        if m:
            return "group_created", {"group": m.group(1)}
    if p in ("usermod", "gpasswd", "useradd"):
        m = _ADD_TO_GROUP.match(msg)
        if m:
            user = m.group(1) or m.group(4)
            group = m.group(2) or m.group(3)
            return "user_added_to_group", {"user": user, "group": group}
    if p in ("userdel", "deluser"):
        m = _DEL_USER.match(msg)
        if m:
            return "user_deleted", {"user": m.group(1)}
    if p in ("passwd", "chpasswd"):
        m = _PASSWD.search(msg)
        if m:
            return "password_changed", {"user": m.group(1)}
    if "authentication failure;" in msg:
        m = _PAM_FAIL.search(msg)
        if m:
            attrs = {"src_ip": m.group(1)} if m.group(1) else {}
            if m.group(2):
                attrs["user"] = m.group(2)
            return "auth_failure", attrs
    if "session opened" in msg or "session closed" in msg:
        m = _SESSION.search(msg)
        if m:
            return "session_" + ("open" if m.group(1) == "opened" else "close"), {"user": m.group(2)}
    if _TIME_CHANGED.search(msg):
        return "time_changed", {}
    if p not in ("sudo",) and _CLOCK_CMD.search(msg) and ("COMMAND" in msg or "CMD" in msg):
        return "time_change_command", {"command": msg}
    return None


class AuthLogParser(SyslogParser):
    """Syslog reader for auth.log / secure files (source "auth")."""

    name: ClassVar[str] = "authlog"
    format: ClassVar[str] = "Linux auth.log / secure (syslog with sshd, sudo, su, useradd)"
    description: ClassVar[str] = "Authentication log; events typed by classify()"
    priority: ClassVar[int] = 60
    source: ClassVar[str] = "auth"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        n = path.name.lower()
        named = n.startswith(("auth.log", "secure", "auth_")) or ("auth" in n and n.endswith(".log"))
        return named and super().sniff(path, head)
