"""Sigma: shipped rules load with pySigma and fire on real samples; correlation finds brute force."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tergeu.timeline.sigma import load_rules, run_files

DATA = Path(__file__).parents[1] / "data" / "timeline"


def _titles(findings: list) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in findings:
        out[f.details["title"]] = out.get(f.details["title"], 0) + f.details["matched"]
    return out


def test_shipped_rules_load() -> None:
    rs = load_rules()
    assert len(rs.rules) >= 15 and len(rs.correlations) == 2 and not rs.warnings


def test_windows_rules_on_real_evtx() -> None:
    rs = load_rules()
    f, n = run_files([DATA / "mitre_ID104-1102-event-log-cleared.evtx", DATA / "mitre_ID4616-system-time-changed.evtx",
                      DATA / "mitre_ID4720-4728-hidden-user-creation.evtx"], rs)  # fmt: skip
    titles = _titles(f)
    assert titles["Event log cleared (System 104)"] == 90
    assert titles["Security audit log cleared"] == 2
    assert titles["System time changed by a process other than the time service"] >= 1
    assert "User account created" in titles
    assert n > 100


def test_linux_brute_force_correlation(tmp_path: Path) -> None:
    from tests.timeline.test_detect import make_authlog

    log = tmp_path / "auth.log"
    make_authlog(log, timedelta(0), 2, n=200, mean_gap=5.0)
    f, _ = run_files([log], load_rules())
    brute = [x for x in f if x.details["title"].startswith("SSH brute force")]
    assert brute and all(x.details["matched"] >= 10 for x in brute)
    assert brute[0].details["group_by"]["src_ip"] in {
        "203.0.113.7",
        "198.51.100.23",
        "192.0.2.44",
        "45.33.10.2",
    }


def test_custom_rule_folder_and_bad_rule(tmp_path: Path) -> None:
    (tmp_path / "ok.yml").write_text(
        "title: Cron root\nlogsource:\n  product: linux\ndetection:\n  sel:\n    program: CRON\n"
        "    message|re: 'CMD \\(.*crond'\n  condition: sel\nlevel: low\n"
    )
    (tmp_path / "bad.yml").write_text("title: broken\ndetection: [\n")
    rs = load_rules(tmp_path)
    assert len(rs.rules) == 1 and rs.warnings and "bad.yml" in rs.warnings[0].path
    f, _ = run_files([DATA / "plaso_syslog"], rs)
    assert _titles(f).get("Cron root", 0) >= 2
