"""Every timeline parser over real samples (tests/data/timeline) or faithfully written fixtures."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tergeu.errors import NotMyFormat
from tergeu.records import Event
from tergeu.timeline.core import ParseContext, get_parser, parsers
from tergeu.timeline.run import FileResult, parse_one

DATA = Path(__file__).parents[1] / "data" / "timeline"


def run(
    path: Path, tz: str = "UTC", year: int | None = None, only: str | None = None, **opts: object
) -> FileResult:
    return parse_one(ParseContext(path=path, tz=tz, year=year, options=dict(opts)), only)


def types(res: FileResult) -> set[str]:
    return {e.event_type for e in res.events}


def test_every_parser_has_name_format_and_refuses_foreign_input(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(os.urandom(4096))
    names = {p.name for p in parsers()}
    assert {"syslog", "authlog", "evtx", "journal", "auditd", "utmp", "weblog_access", "weblog_error",
            "winevt_xml", "winevt_csv", "chromium_history", "firefox_places", "bodyfile", "zeek",
            "suricata_eve", "generic"} <= names  # fmt: skip
    for p in parsers():
        assert p.name and p.format
        assert not p.sniff(junk, junk.read_bytes()[:4096]) or p.name == "utmp"
        res = run(junk, only=p.name) if p.name != "utmp" else None
        if res is not None:
            assert res.error or not res.events, p.name


def test_forced_parser_on_foreign_file_raises_not_my_format() -> None:
    ctx = ParseContext(path=DATA / "plaso_chrome_History")
    with pytest.raises(NotMyFormat):
        next(get_parser("firefox_places")().parse(ctx))
    with pytest.raises(NotMyFormat):
        next(get_parser("evtx")().parse(ParseContext(path=DATA / "plaso_syslog")))


def test_authlog_event_types() -> None:
    res = run(DATA / "beats_auth_test.log", year=2024)
    assert res.parser == "authlog"
    t = types(res)
    assert {"ssh_login_success", "ssh_invalid_user", "ssh_login_failed", "sudo_command"} <= t
    ok = next(e for e in res.events if e.event_type == "ssh_login_success")
    assert (
        ok.attrs["user"] == "vagrant"
        and ok.attrs["src_ip"] == "10.0.2.2"
        and ok.attrs["method"] == "publickey"
    )
    sudo = next(e for e in res.events if e.event_type == "sudo_command")
    assert sudo.attrs["command"] == "/bin/ls" and sudo.attrs["target_user"] == "root"
    assert all(e.ref.offset is not None for e in res.events)


def test_authlog_named_file_and_user_management(tmp_path: Path) -> None:
    log = tmp_path / "auth.log"
    log.write_text(
        "Mar  3 10:00:01 srv useradd[901]: new user: name=backup2, UID=1002, GID=1002, home=/home/backup2, shell=/bin/bash\n"
        "Mar  3 10:00:02 srv usermod[905]: add 'backup2' to group 'sudo'\n"
        "Mar  3 10:00:03 srv su: (to root) admin on pts/1\n"
        "Mar  3 10:00:04 srv passwd[910]: pam_unix(passwd:chauthtok): password changed for backup2\n"
        "Mar  3 10:00:05 srv userdel[920]: delete user 'backup2'\n"
        "Mar  3 10:00:06 srv sudo:    admin : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/root ; USER=root ; COMMAND=/bin/bash\n"
        "Mar  3 10:00:07 srv systemd[1]: Time has been changed\n",
        encoding="utf-8",
    )
    res = run(log, year=2025, tz="Asia/Almaty")
    assert res.parser == "authlog"
    assert [e.event_type for e in res.events] == [
        "user_created", "user_added_to_group", "su_success", "password_changed", "user_deleted", "sudo_failed",
        "time_changed",
    ]  # fmt: skip
    first = res.events[0]
    assert first.source == "auth" and first.tz == "Asia/Almaty"
    assert first.ts == datetime(2025, 3, 3, 5, 0, 1, tzinfo=UTC)  # Almaty is UTC+5 in 2025
    assert res.events[1].attrs["group"] == "sudo"


def test_syslog_year_wrap_and_impossible_date(tmp_path: Path) -> None:
    log = tmp_path / "messages"
    log.write_text(
        "Dec 31 23:59:58 h kernel: a\nJan  1 00:00:02 h kernel: b\nFeb 30 10:00:00 h kernel: impossible\nFeb  1 00:00:00 h kernel: c\n"
    )
    mtime = datetime(2025, 2, 2, tzinfo=UTC).timestamp()
    os.utime(log, (mtime, mtime))
    res = run(log)
    assert [e.ts.year for e in res.events] == [2024, 2025, 2025]
    assert any("impossible date" in w.message and w.offset == 56 for w in res.warnings)
    res2 = run(log, year=2019)
    assert [e.ts.year for e in res2.events] == [2019, 2020, 2020]


def test_leap_day_with_inferred_year() -> None:
    res = run(DATA / "plaso_syslog", year=2012)
    assert any(e.ts.month == 2 and e.ts.day == 29 for e in res.events)


def test_rfc5424_and_multiline() -> None:
    res = run(DATA / "plaso_syslog_rsyslog_SyslogProtocol23Format")
    assert res.parser == "syslog" and len(res.events) >= 8
    first = res.events[0]
    assert first.ts == datetime(2021, 3, 6, 4, 7, 38, 251122, tzinfo=UTC) and first.ts_precision == "us"
    assert any("with another line" in e.message for e in res.events)


def test_bad_input_never_raises(tmp_path: Path) -> None:
    log = tmp_path / "auth.log"
    good = b"Mar  3 10:00:01 srv sshd[1]: Accepted password for root from 10.1.1.1 port 22 ssh2\n"
    cyr_cp1251 = "Mar  3 10:00:02 srv app: пользователь қате\n".encode("cp1251", errors="replace")
    cyr_utf8 = "Mar  3 10:00:03 srv app: пайдаланушы қате\n".encode()
    data = good + os.urandom(300).replace(b"\n", b"x") + b"\n" + cyr_cp1251 + cyr_utf8
    data += b"Mar  3 10:00:04 srv app: " + b"A" * (10 * 1024 * 1024) + b"\n" + good
    log.write_bytes(data)
    res = run(log, year=2025)
    assert res.error is None
    assert len([e for e in res.events if e.event_type == "ssh_login_success"]) == 2
    assert any("қате" in e.message for e in res.events)
    assert any("пользователь" in e.message for e in res.events)
    codes = {w.code for w in res.warnings}
    assert "long_line" in codes and "encoding" in codes
    assert all(w.offset is not None for w in res.warnings)


def test_evtx_records_and_truncation() -> None:
    res = run(DATA / "plaso_System2_truncated.evtx")
    assert len(res.events) == 194
    ids = [int(e.ref.record or 0) for e in res.events]
    assert ids == sorted(ids)
    bad = run(DATA / "omerbenamram_sample_with_a_bad_chunk_magic.evtx")
    assert len(bad.events) == 270 and len(bad.warnings) >= 2
    assert any("chunk" in w.message for w in bad.warnings)
    cleared = run(DATA / "mitre_ID104-1102-event-log-cleared.evtx")
    assert sum(1 for e in cleared.events if e.event_type == "log_cleared") == 91


def test_journal_json_and_pretty() -> None:
    lines = run(DATA / "lnav_logfile_journald.json")
    assert lines.parser == "journal" and len(lines.events) == 2
    assert lines.events[0].ts == datetime(2018, 8, 21, 14, 4, 21, 221373, tzinfo=UTC)
    assert "seqnum" in lines.events[0].attrs
    pretty = run(DATA / "beats_journalctl_sample-journal-event.json")
    assert pretty.parser == "journal" and len(pretty.events) == 1


def test_auditd() -> None:
    res = run(DATA / "plaso_audit_enriched.log")
    assert res.parser == "auditd"
    assert {"user_created", "user_deleted"} <= types(res)
    sel = run(DATA / "plaso_selinux_audit.log")
    assert sel.events and sel.warnings  # the sample's malformed dates are warned about, the rest kept


def test_auditd_time_change(tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    log.write_text(
        "type=SYSCALL msg=audit(1700000000.123:500): arch=c000003e syscall=227 success=yes exit=0 a0=0 "
        'auid=1000 uid=0 comm="date" exe="/usr/bin/date" key="time-change"\n'
    )
    res = run(log)
    assert res.events[0].event_type == "audit_time_change" and res.events[0].ts_precision == "ms"


def test_utmp_wtmp() -> None:
    res = run(DATA / "plaso_utmp")
    assert res.parser == "utmp" and len(res.events) >= 10
    assert "login" in types(res)
    cut = run(DATA / "plaso_wtmp.1")
    assert any(w.code == "truncated" for w in cut.warnings)
    corrupt = run(DATA / "plaso_utmp_corrupted")
    assert corrupt.error is None and corrupt.warnings


def test_browsers_are_opened_read_only(tmp_path: Path) -> None:
    for name, parser in (
        ("plaso_chrome_History", "chromium_history"),
        ("plaso_firefox_places.sqlite", "firefox_places"),
    ):
        copy = tmp_path / name
        shutil.copy2(DATA / name, copy)
        copy.chmod(0o444)
        before = copy.read_bytes()
        res = run(copy)
        assert res.parser == parser and res.events and "web_visit" in types(res)
        assert copy.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            p.name
            for p in tmp_path.iterdir()
            if p.name in {"plaso_chrome_History", "plaso_firefox_places.sqlite"}
        )
    chrome = run(DATA / "plaso_chrome_History")
    assert all(
        datetime(2000, 1, 1, tzinfo=UTC) < e.ts < datetime(2030, 1, 1, tzinfo=UTC) for e in chrome.events
    )


def test_sqlite_that_is_no_browser_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (a)")
    con.commit()
    con.close()
    res = run(db)
    assert res.parser is None


def test_web_logs(tmp_path: Path) -> None:
    acc = tmp_path / "access.log"
    acc.write_text(
        '203.0.113.9 - - [10/Oct/2024:13:55:36 +0500] "GET /wp-login.php HTTP/1.1" 404 153 "-" "curl/8.0"\n'
        '203.0.113.9 - bob [10/Oct/2024:13:55:37 +0500] "POST /login HTTP/1.1" 200 - "https://x/" "Mozilla/5.0"\n'
        "garbage\n"
    )
    res = run(acc)
    assert res.parser == "weblog_access" and len(res.events) == 2 and len(res.warnings) == 1
    assert res.events[0].ts == datetime(2024, 10, 10, 8, 55, 36, tzinfo=UTC)
    assert res.events[1].attrs["user"] == "bob" and res.events[0].attrs["status"] == 404
    err = tmp_path / "error.log"
    err.write_text(
        '2024/10/10 13:55:36 [error] 1234#0: *5 open() "/var/www/x" failed (2: No such file), client: 198.51.100.4, server: x\n'
        "[Thu Oct 10 13:55:37.123456 2024] [core:error] [pid 77] [client 198.51.100.5:5555] AH00126: Invalid URI\n"
    )
    res = run(err, tz="Asia/Almaty")
    assert res.parser == "weblog_error" and len(res.events) == 2
    assert res.events[0].attrs["src_ip"] == "198.51.100.4" and res.events[1].attrs["src_ip"] == "198.51.100.5"
    assert res.events[0].ts == datetime(2024, 10, 10, 8, 55, 36, tzinfo=UTC)


WIN_XML = """<?xml version="1.0" encoding="utf-8"?>
<Events><Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Security-Auditing" Guid="{54849625-5478-4994-A5BA-3E3B0328C30D}"/><EventID>4625</EventID><Version>0</Version><Level>0</Level><TimeCreated SystemTime="2024-05-01T10:00:00.1234567Z"/><EventRecordID>1001</EventRecordID><Channel>Security</Channel><Computer>WS01</Computer></System><EventData><Data Name="TargetUserName">admin</Data><Data Name="IpAddress">203.0.113.5</Data><Data Name="LogonType">10</Data></EventData></Event>
<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Security-Auditing"/><EventID>4616</EventID><TimeCreated SystemTime="2024-05-01T10:05:00Z"/><EventRecordID>1002</EventRecordID><Channel>Security</Channel><Computer>WS01</Computer></System><EventData><Data Name="PreviousTime">2024-05-01T10:05:00Z</Data><Data Name="NewTime">2024-05-01T07:05:00Z</Data><Data Name="ProcessName">C:\\Windows\\System32\\cmd.exe</Data></EventData></Event></Events>
"""


def test_windows_xml_and_csv(tmp_path: Path) -> None:
    x = tmp_path / "security.xml"
    x.write_text(WIN_XML, encoding="utf-8")
    res = run(x)
    assert res.parser == "winevt_xml" and [e.event_type for e in res.events] == [
        "logon_failed",
        "time_changed",
    ]
    assert res.events[0].attrs["TargetUserName"] == "admin" and res.events[0].ref.record == "1001"
    c = tmp_path / "events.csv"
    c.write_text(
        '#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\n"Message","Id","RecordId","ProviderName","LogName","MachineName","TimeCreated"\n'
        '"An account failed to log on.","4625","77","Microsoft-Windows-Security-Auditing","Security","WS01","5/1/2024 3:00:00 PM"\n',
        encoding="utf-8",
    )
    res = run(c, tz="Asia/Almaty")
    assert res.parser == "winevt_csv" and res.events[0].event_type == "logon_failed"
    assert res.events[0].ts == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    ev = tmp_path / "viewer.csv"
    ev.write_bytes(
        "Level,Date and Time,Source,Event ID,Task Category\nСведения,01.05.2024 15:00:00,Microsoft-Windows-Security-Auditing,4720,User Account Management,Создана учётная запись\n".encode(
            "cp1251"
        )
    )
    res = run(ev, tz="Asia/Almaty")
    assert res.parser == "winevt_csv" and res.events[0].event_type == "user_created"
    assert "учётная" in res.events[0].message


def test_bodyfile_and_walk(tmp_path: Path) -> None:
    body = tmp_path / "body.txt"
    body.write_text(
        "0|/etc/passwd|1234|-rw-r--r--|0|0|2345|1700000300|1700000200|1700000200|1700000100\n"
        "0|/home/a/x|1235|-rw-r--r--|1000|1000|10|1700000300.5|1690000000|1700000300.5|1700000100\n"
    )
    res = run(body)
    assert res.parser == "bodyfile"
    first = [e for e in res.events if e.attrs["path"] == "/etc/passwd"]
    assert [e.attrs["macb"] for e in first] == ["...B", "M.C.", ".A.."]
    from tergeu.timeline.detect import timestomp

    stomp = timestomp(res.events, "body")
    assert any(f.details["path"] == "/home/a/x" for f in stomp)
    from tergeu.timeline.parsers.fs import walk

    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f.txt").write_text("x")
    evs = list(walk(tmp_path / "d"))
    assert evs and all(isinstance(e, Event) and e.source == "fs" for e in evs)


def test_zeek_tsv_and_json(tmp_path: Path) -> None:
    tsv = tmp_path / "conn.log"
    tsv.write_text(
        "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
        "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\tconn_state\n"
        "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tstring\n"
        "1700000000.123456\tCx1\t10.0.0.2\t5555\t203.0.113.1\t22\ttcp\tssh\t1.5\tSF\n"
        "1700000001.000000\tCx2\t10.0.0.2\t5556\t203.0.113.1\t22\ttcp\t-\t-\tS0\n"
    )
    res = run(tsv)
    assert res.parser == "zeek" and len(res.events) == 2 and res.events[0].event_type == "zeek_conn"
    assert res.events[0].ts.microsecond == 123456 and res.events[0].attrs["dst_ip"] == "203.0.113.1"
    js = tmp_path / "dns.log"
    js.write_text(
        '{"ts":"2024-05-01T10:00:00.5Z","uid":"C1","id.orig_h":"10.0.0.2","id.orig_p":53000,"id.resp_h":"8.8.8.8","id.resp_p":53,"query":"evil.example","qtype_name":"A"}\n'
    )
    res = run(js)
    assert (
        res.parser == "zeek"
        and res.events[0].event_type == "zeek_dns"
        and "evil.example" in res.events[0].message
    )


def test_suricata_eve(tmp_path: Path) -> None:
    eve = tmp_path / "eve.json"
    eve.write_text(
        '{"timestamp":"2024-05-01T10:00:00.123456+0500","flow_id":1,"event_type":"alert","src_ip":"203.0.113.9","src_port":4444,"dest_ip":"10.0.0.5","dest_port":22,"proto":"TCP","alert":{"signature_id":2001219,"signature":"ET SCAN Potential SSH Scan","category":"Attempted Information Leak"}}\n'
        "not json\n"
    )
    res = run(eve)
    assert res.parser == "suricata_eve" and res.events[0].event_type == "suricata_alert"
    assert res.events[0].ts == datetime(2024, 5, 1, 5, 0, 0, 123456, tzinfo=UTC)
    assert len(res.warnings) == 1


def test_generic_csv_and_jsonl_with_mapping(tmp_path: Path) -> None:
    c = tmp_path / "bank.csv"
    c.write_text(
        "Дата;Операция;Сумма\n01.05.2024 10:00;перевод;50000\n32.05.2024 10:00;bad;1\n", encoding="utf-8"
    )
    res = run(
        c, tz="Asia/Almaty", only="generic", map="time=Дата,message=Операция,fmt=%d.%m.%Y %H:%M,source=bank"
    )
    assert len(res.events) == 1 and res.events[0].source == "bank" and res.events[0].attrs["Сумма"] == "50000"
    assert res.events[0].ts == datetime(2024, 5, 1, 5, 0, tzinfo=UTC) and len(res.warnings) == 1
    j = tmp_path / "events.jsonl"
    j.write_text(
        '{"timestamp": 1714557600, "message": "hello"}\n{"timestamp": 1714557600123, "message": "ms"}\n'
    )
    res = run(j)
    assert res.parser == "generic" and res.events[1].ts_precision == "ms"


def test_dst_fall_back_is_not_a_clock_change(tmp_path: Path) -> None:
    from tergeu.timeline.detect import CheckOptions, check_stream

    log = tmp_path / "syslog"
    lines = []
    for hh, mm in [(1, 50), (2, 10), (2, 40), (2, 55), (2, 5), (2, 20), (2, 50), (3, 10)]:
        lines.append(f"Oct 27 {hh:02d}:{mm:02d}:00 h cron[1]: tick")
    log.write_text("\n".join(lines) + "\n")
    res = run(log, tz="Europe/Berlin", year=2024)
    assert [e.ts for e in res.events] == sorted(e.ts for e in res.events)
    assert not [f for f in check_stream(res.events, "syslog", CheckOptions()) if f.kind == "time_backwards"]
