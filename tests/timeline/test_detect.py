"""Clock-tampering detection: an auth.log whose clock is set back 3 hours, EVTX 4616, record gaps."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tergeu.cli import app
from tergeu.timeline.checks import check_files
from tergeu.timeline.detect import CheckOptions, command_new_time

DATA = Path(__file__).parents[1] / "data" / "timeline"

USERS = ["root", "admin", "oracle", "test", "ubuntu", "postgres", "git", "deploy"]
IPS = ["203.0.113.7", "198.51.100.23", "192.0.2.44", "45.33.10.2"]


def _line(ts: datetime, rng: random.Random, pid: int) -> str:
    kind = rng.random()
    ip = rng.choice(IPS)
    user = rng.choice(USERS)
    port = rng.randint(30000, 65000)
    if kind < 0.5:
        msg = f"sshd[{pid}]: Failed password for invalid user {user} from {ip} port {port} ssh2"
    elif kind < 0.7:
        msg = f"sshd[{pid}]: Invalid user {user} from {ip} port {port}"
    elif kind < 0.85:
        msg = f"sshd[{pid}]: Connection closed by {ip} port {port} [preauth]"
    elif kind < 0.95:
        msg = f"CRON[{pid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"
    else:
        msg = f"sshd[{pid}]: Accepted publickey for deploy from 10.0.0.5 port {port} ssh2"
    return f"{ts:%b} {ts.day:2d} {ts:%H:%M:%S} web01 {msg}"


def make_authlog(
    path: Path, shift: timedelta, seed: int, n: int = 600, mean_gap: float = 20.0, date_cmd: bool = False
) -> datetime:
    """A day of sshd/cron traffic; half way the clock is moved by ``shift``. Returns the true switch time."""
    rng = random.Random(seed)
    t = datetime(2025, 3, 14, 6, 0, 0)
    lines = []
    switch = None
    pid = 1000
    for i in range(n):
        t += timedelta(seconds=max(1, int(rng.expovariate(1 / mean_gap))))
        pid += rng.randint(1, 30)
        shown = t
        if i == n // 2:
            switch = t
            if date_cmd:
                new = t + shift
                lines.append(
                    f"{t:%b} {t.day:2d} {t:%H:%M:%S} web01 sudo:    admin : TTY=pts/0 ; PWD=/home/admin ; "
                    f'USER=root ; COMMAND=/usr/bin/date -s "{new:%Y-%m-%d %H:%M:%S}"'
                )
        if switch is not None:
            shown = t + shift
        lines.append(_line(shown, rng, pid))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert switch is not None
    return switch


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_clock_set_back_three_hours_detected_within_a_minute(tmp_path: Path, seed: int) -> None:
    log = tmp_path / "auth.log"
    switch = make_authlog(log, -timedelta(hours=3), seed)
    findings = check_files([log], "UTC", 2025, CheckOptions())
    back = [f for f in findings if f.kind == "time_backwards"]
    assert len(back) == 1, [f.summary for f in findings]
    f = back[0]
    assert abs(f.details["offset_seconds"] - (-10800)) <= 60
    assert abs((f.start - (switch.replace(tzinfo=UTC) - timedelta(hours=3))).total_seconds()) < 600
    assert "expected" in f.details and "found" in f.details


@pytest.mark.parametrize("mean_gap", [5.0, 90.0, 400.0])
def test_set_back_estimate_with_sparse_and_dense_logs(tmp_path: Path, mean_gap: float) -> None:
    log = tmp_path / "secure"
    make_authlog(log, -timedelta(hours=3), 11, n=300, mean_gap=mean_gap)
    back = [f for f in check_files([log], "UTC", 2025, CheckOptions()) if f.kind == "time_backwards"]
    assert len(back) == 1
    assert abs(back[0].details["offset_seconds"] + 10800) <= 60


def test_odd_offset_is_estimated_not_snapped(tmp_path: Path) -> None:
    log = tmp_path / "auth.log"
    shift = -timedelta(hours=2, minutes=7, seconds=13)
    make_authlog(log, shift, 7, mean_gap=10.0)
    back = [f for f in check_files([log], "UTC", 2025, CheckOptions()) if f.kind == "time_backwards"]
    assert len(back) == 1
    assert abs(back[0].details["offset_seconds"] - shift.total_seconds()) <= 60


def test_explicit_date_command_gives_exact_offset(tmp_path: Path) -> None:
    log = tmp_path / "auth.log"
    make_authlog(log, -timedelta(hours=3), 3, date_cmd=True)
    findings = check_files([log], "UTC", 2025, CheckOptions())
    changes = [f for f in findings if f.kind == "clock_change"]
    assert len(changes) == 1
    assert changes[0].details["offset_seconds"] == pytest.approx(-10800, abs=1)
    assert changes[0].details["user"] == "admin"


def test_clock_set_forward_is_not_reported_as_backwards(tmp_path: Path) -> None:
    log = tmp_path / "auth.log"
    make_authlog(log, timedelta(hours=5), 9)
    findings = check_files([log], "UTC", 2025, CheckOptions())
    assert not [f for f in findings if f.kind == "time_backwards"]


def test_untampered_log_gives_no_time_findings(tmp_path: Path) -> None:
    log = tmp_path / "auth.log"
    make_authlog(log, timedelta(0), 5)
    findings = check_files([log], "UTC", 2025, CheckOptions())
    assert [f.kind for f in findings if f.kind in ("time_backwards", "clock_change")] == []


def test_real_evtx_4616_three_days_back() -> None:
    findings = check_files([DATA / "mitre_ID4616-system-time-changed.evtx"], "UTC", None, CheckOptions())
    changes = [f for f in findings if f.kind == "clock_change"]
    # powershell.exe moved the clock 3 days ahead, then the time service set it back.
    ahead = [f for f in changes if f.details["offset_seconds"] > 2 * 86400]
    back = [f for f in changes if f.details["offset_seconds"] < -2 * 86400]
    assert ahead and back, [f.summary for f in changes]
    assert "powershell" in ahead[0].details["process"].lower()
    assert ahead[0].details["user"] == "admmig"
    assert any(f.kind == "time_backwards" for f in findings)


def test_windows7_style_4616_dates() -> None:
    findings = check_files([DATA / "plaso_System2_truncated.evtx"], "UTC", None, CheckOptions())
    changes = [f for f in findings if f.kind == "clock_change" and f.details["offset_seconds"] is not None]
    assert changes and all(abs(f.details["offset_seconds"]) > 3000 for f in changes)


def test_command_new_time_formats() -> None:
    at = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
    assert command_new_time('/bin/date -s "2025-03-14 09:00:00"', at, "UTC") == at - timedelta(hours=3)
    assert command_new_time("/bin/date 03140900", at, "UTC") == at - timedelta(hours=3)
    assert command_new_time("timedatectl set-time '09:00'", at, "UTC") == at - timedelta(hours=3)
    assert command_new_time("/usr/bin/ls -la", at, "UTC") is None
    assert command_new_time("/bin/date --set='-3 hours'", at, "UTC") == at - timedelta(hours=3)
    assert command_new_time("/bin/date -s '3 hours ago'", at, "UTC") == at - timedelta(hours=3)
    assert command_new_time("date -s @1741935600", at, "UTC") == datetime(2025, 3, 14, 7, 0, tzinfo=UTC)
    assert command_new_time("hwclock --set --date='2025-03-14 09:00:00'", at, "UTC") == at - timedelta(
        hours=3
    )


def test_check_cli_json_lines(tmp_path: Path) -> None:
    log = tmp_path / "auth.log"
    make_authlog(log, -timedelta(hours=3), 1)
    result = CliRunner().invoke(app, ["timeline", "check", str(log), "--json", "--tz", "UTC"])
    assert result.exit_code == 0, result.output
    objs = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert any(o["kind"] == "time_backwards" for o in objs)
    for o in objs:
        assert {"kind", "source", "at", "offset_seconds", "summary"} <= set(o)


def test_timestomp_walk_zero_subseconds(tmp_path: Path) -> None:
    import os

    for i in range(5):
        (tmp_path / f"f{i}.txt").write_text(str(i))
        os.utime(tmp_path / f"f{i}.txt", ns=(1_700_000_000_123_456_789 + i, 1_700_000_000_987_654_321 + i))
    evil = tmp_path / "evil.exe"
    evil.write_bytes(b"MZ")
    os.utime(evil, ns=(1_546_336_800_000_000_000, 1_546_336_800_000_000_000))
    result = CliRunner().invoke(app, ["timeline", "check", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    objs = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    stomped = [o for o in objs if o["kind"] == "timestomp"]
    assert len(stomped) == 1 and stomped[0]["refs"][0]["path"].endswith("evil.exe")


def test_wtmp_clock_set_back(tmp_path: Path) -> None:
    import struct

    def rec(typ: int, user: str, sec: int) -> bytes:
        return struct.pack("<hxxi32s4s32s256shhiii4i20s", typ, 100, b"pts/0", b"ts/0", user.encode(), b"203.0.113.5",
                           0, 0, 0, sec, 0, 0, 0, 0, 0, b"")  # fmt: skip

    base = 1_700_000_000
    data = b"".join(rec(7, f"u{i}", base + i * 600) for i in range(10))
    data += b"".join(rec(7, f"v{i}", base + 6000 - 7200 + i * 600) for i in range(10))
    wtmp = tmp_path / "wtmp"
    wtmp.write_bytes(data)
    back = [f for f in check_files([wtmp], "UTC", None, CheckOptions()) if f.kind == "time_backwards"]
    assert len(back) == 1 and abs(back[0].details["offset_seconds"] + 7200) <= 60


def test_offset_measured_against_network_reference(tmp_path: Path) -> None:
    """auth.log clock set back by an odd amount; Zeek (trusted clock) saw the same client ports."""
    rng = random.Random(5)
    shift = -timedelta(hours=3, minutes=7, seconds=41)
    t = datetime(2025, 3, 14, 6, 0, 0)
    auth, conn = (
        [],
        [
            "#separator \\x09",
            "#path\tconn",
            "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto",
        ],
    )
    for i in range(200):
        t += timedelta(seconds=rng.randint(30, 900))
        port = 40000 + i
        shown = t + shift if i >= 100 else t
        auth.append(
            f"{shown:%b} {shown.day:2d} {shown:%H:%M:%S} web01 sshd[{2000 + i}]: Failed password for root from 203.0.113.9 port {port} ssh2"
        )
        conn.append(
            f"{(t.replace(tzinfo=UTC) - timedelta(seconds=1)).timestamp():.6f}\tC{i}\t203.0.113.9\t{port}\t10.0.0.5\t22\ttcp"
        )
    (tmp_path / "auth.log").write_text("\n".join(auth) + "\n")
    (tmp_path / "conn.log").write_text("\n".join(conn) + "\n")
    findings = check_files([tmp_path / "auth.log", tmp_path / "conn.log"], "UTC", 2025, CheckOptions())
    back = [f for f in findings if f.kind == "time_backwards"]
    assert len(back) == 1
    d = back[0].details
    assert d["reference_source"].endswith("conn.log") and d["reference_matches"] >= 50
    assert abs(d["offset_seconds"] - shift.total_seconds()) <= 2
