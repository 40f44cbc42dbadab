"""Sigma rules over timeline events: pySigma parses, our matcher evaluates.

pySigma turns each rule's condition into a tree of AND/OR/NOT over ``field = value`` and keyword
expressions (modifiers such as ``contains``, ``endswith``, ``re``, ``cidr`` already applied); we walk
that tree against an event's fields (its attributes plus ``message``, ``event_type``, ``source``, and
``Provider_Name`` for Windows). ``event_count`` correlation rules (brute force) are evaluated with a
sliding window per group. The rule set shipped in ``tergeu/timeline/rules`` covers the article's
cases: brute force, new administrator/user, log cleared (1102/104), time changed, remote logons.
"""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from tergeu.errors import InputError
from tergeu.i18n import t
from tergeu.records import Event, Finding, ParseWarning

ANALYZER = "timeline.sigma"
LINUX_SOURCES = {"syslog", "auth", "journal", "audit", "wtmp", "btmp"}
AUTH_PROGRAMS = {"sshd", "sudo", "su", "login", "useradd", "usermod", "userdel", "groupadd", "passwd", "gpasswd",
                 "adduser", "deluser", "systemd-logind", "chpasswd", "sshd-session"}  # fmt: skip
WIN_SERVICES = {
    "security": "Security",
    "system": "System",
    "application": "Application",
    "sysmon": "Microsoft-Windows-Sysmon/Operational",
    "powershell": "Microsoft-Windows-PowerShell/Operational",
    "terminalservices-remoteconnectionmanager": "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational",
    "terminalservices-localsessionmanager": "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational",
}
LEVEL_SCORE = {"informational": 0.2, "low": 0.4, "medium": 0.6, "high": 0.8, "critical": 0.95}


@dataclass
class RuleSet:
    rules: list[Any] = field(default_factory=list)
    correlations: list[Any] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rules) + len(self.correlations)


def shipped_rules_dir() -> Path:
    return Path(str(resources.files("tergeu.timeline") / "rules"))


def load_rules(folder: Path | None = None) -> RuleSet:
    """Every ``*.yml``/``*.yaml`` under ``folder`` (default: the shipped set); bad files become warnings."""
    import yaml
    from sigma.collection import SigmaCollection
    from sigma.correlations import SigmaCorrelationRule
    from sigma.exceptions import SigmaError

    root = folder or shipped_rules_dir()
    if not root.exists():
        raise InputError("rule folder not found", path=root)
    files = sorted(p for p in root.rglob("*") if p.suffix in (".yml", ".yaml")) if root.is_dir() else [root]
    out = RuleSet()
    texts = []
    for p in files:
        try:
            text = p.read_text(encoding="utf-8")
            SigmaCollection.from_yaml(text)  # validate each file on its own so one bad file is named
            texts.append(text)
        except (SigmaError, ValueError, OSError, UnicodeError, yaml.YAMLError) as exc:
            out.warnings.append(ParseWarning(str(p), f"Sigma rule not loaded: {exc}", code="sigma"))
    if not texts:
        return out
    coll = SigmaCollection.from_yaml("\n---\n".join(x.strip().removeprefix("---").strip() for x in texts))
    try:
        coll.resolve_rule_references()
    except SigmaError as exc:
        out.warnings.append(ParseWarning(str(root), f"Sigma references: {exc}", code="sigma"))
    for r in coll.rules:
        if isinstance(r, SigmaCorrelationRule):
            out.correlations.append(r)
        else:
            out.rules.append(r)
    return out


def event_fields(ev: Event) -> dict[str, Any]:
    f: dict[str, Any] = dict(ev.attrs)
    f["message"] = ev.message
    f["event_type"] = ev.event_type
    f["source"] = ev.source
    if "Provider" in f:
        f.setdefault("Provider_Name", f["Provider"])
    if "ProcessName" in f:
        f.setdefault("Image", f["ProcessName"])
    return f


def logsource_matches(ls: Any, ev: Event) -> bool:
    product = (ls.product or "").lower()
    service = (ls.service or "").lower()
    category = (ls.category or "").lower()
    a = ev.attrs
    if product == "windows" and ev.source != "evtx":
        return False
    if product == "linux" and ev.source not in LINUX_SOURCES:
        return False
    if service:
        if product == "windows" or ev.source == "evtx":
            want = WIN_SERVICES.get(service, service)
            chan = str(a.get("Channel", ""))
            if chan.lower() != want.lower() and service.replace("-", "") not in chan.lower().replace("-", ""):
                return False
        elif service == "auth":
            if ev.source != "auth" and str(a.get("program", "")).lower() not in AUTH_PROGRAMS:
                return False
        elif service == "auditd":
            if ev.source != "audit":
                return False
        elif service in ("sshd", "sudo", "su", "cron") and str(a.get("program", "")).lower() != service:
            return False
    return not (category == "process_creation" and ev.event_type != "process_created")


@lru_cache(maxsize=4096)
def _rx(parts: tuple[Any, ...], cased: bool) -> re.Pattern[str]:
    from sigma.types import SpecialChars

    out = []
    for p in parts:
        if p == SpecialChars.WILDCARD_MULTI:
            out.append(".*")
        elif p == SpecialChars.WILDCARD_SINGLE:
            out.append(".")
        else:
            out.append(re.escape(str(p)))
    return re.compile("".join(out), re.S if cased else re.S | re.I)


@lru_cache(maxsize=1024)
def _regex(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def _value_matches(value: Any, actual: Any) -> bool:
    from sigma.types import (
        SigmaBool,
        SigmaCIDRExpression,
        SigmaCompareExpression,
        SigmaExists,
        SigmaNull,
        SigmaNumber,
        SigmaRegularExpression,
        SigmaString,
    )

    if isinstance(value, SigmaExists):
        return (actual is not None) == bool(value.exists)
    if isinstance(value, SigmaNull):
        return actual is None or actual == ""
    if actual is None:
        return False
    if isinstance(value, SigmaNumber):
        try:
            return float(actual) == float(value.number)
        except (TypeError, ValueError):
            return str(actual) == str(value.number)
    if isinstance(value, SigmaBool):
        return str(actual).lower() == str(value.boolean).lower()
    if isinstance(value, SigmaString):
        return _rx(tuple(value.s), False).fullmatch(str(actual)) is not None
    if isinstance(value, SigmaRegularExpression):
        flags = 0
        for fl in getattr(value, "flags", set()) or set():
            flags |= {"i": re.I, "m": re.M, "s": re.S}.get(getattr(fl, "name", str(fl)).lower()[:1], 0)
        rx: Any = value.regexp
        if isinstance(rx, SigmaString):  # pySigma 2 keeps the pattern as a SigmaString
            rx = getattr(rx, "original", None) or rx.to_plain()
        return _regex(str(rx), flags).search(str(actual)) is not None
    if isinstance(value, SigmaCIDRExpression):
        try:
            return ipaddress.ip_address(str(actual)) in value.network
        except ValueError:
            return False
    if isinstance(value, SigmaCompareExpression):
        try:
            n, ref = float(actual), float(value.number.number)
        except (TypeError, ValueError):
            return False
        op = value.op.name
        return {"LT": n < ref, "LTE": n <= ref, "GT": n > ref, "GTE": n >= ref}.get(op, False)
    return str(actual) == str(value)


def _lookup(fields: dict[str, Any], name: str) -> Any:
    if name in fields:
        return fields[name]
    low = name.lower()
    for k, v in fields.items():
        if k.lower() == low:
            return v
    return None


def evaluate(node: Any, fields: dict[str, Any]) -> bool:
    """Evaluate a pySigma condition tree against one event's fields."""
    from sigma.conditions import (
        ConditionAND,
        ConditionFieldEqualsValueExpression,
        ConditionNOT,
        ConditionOR,
        ConditionValueExpression,
    )

    if isinstance(node, ConditionAND):
        return all(evaluate(a, fields) for a in node.args)
    if isinstance(node, ConditionOR):
        return any(evaluate(a, fields) for a in node.args)
    if isinstance(node, ConditionNOT):
        return not evaluate(node.args[0], fields)
    if isinstance(node, ConditionFieldEqualsValueExpression):
        actual = _lookup(fields, node.field)
        if isinstance(actual, list):
            return any(_value_matches(node.value, a) for a in actual)
        return _value_matches(node.value, actual)
    if isinstance(node, ConditionValueExpression):  # keywords: anywhere in the message
        from sigma.types import SigmaString

        v = node.value
        if isinstance(v, SigmaString):
            parts = tuple(v.s)
            from sigma.types import SpecialChars

            if not parts or parts[0] != SpecialChars.WILDCARD_MULTI:
                parts = (SpecialChars.WILDCARD_MULTI, *parts)
            if parts[-1] != SpecialChars.WILDCARD_MULTI:
                parts = (*parts, SpecialChars.WILDCARD_MULTI)
            return _rx(parts, False).fullmatch(str(fields.get("message", ""))) is not None
        return _value_matches(v, fields.get("message"))
    return bool(evaluate(node.parsed, fields)) if hasattr(node, "parsed") else False


def _trees(rule: Any) -> list[Any]:
    cache = getattr(rule, "_tergeu_trees", None)
    if cache is None:
        cache = [c.parsed for c in rule.detection.parsed_condition]
        rule._tergeu_trees = cache
    return cache


def match(rule: Any, ev: Event) -> bool:
    if not logsource_matches(rule.logsource, ev):
        return False
    f = event_fields(ev)
    return any(evaluate(tree, f) for tree in _trees(rule))


def _level(rule: Any) -> str:
    lv = getattr(rule, "level", None)
    return str(getattr(lv, "name", lv) or "medium").lower()


def run(events: Sequence[Event], ruleset: RuleSet, source_of: Any = None) -> list[Finding]:
    """Findings: one per (rule, source) with every matching event, and one per correlation trigger."""
    src = source_of or (lambda e: e.ref.path)
    hits: dict[int, list[Event]] = defaultdict(list)
    for ev in events:
        for i, rule in enumerate(ruleset.rules):
            try:
                if match(rule, ev):
                    hits[i].append(ev)
            except Exception:  # one odd rule must not stop the others
                continue
    out: list[Finding] = []
    for i, evs in hits.items():
        rule = ruleset.rules[i]
        by_source: dict[str, list[Event]] = defaultdict(list)
        for e in evs:
            by_source[src(e)].append(e)
        for source, group in by_source.items():
            group.sort(key=lambda e: e.ts)
            out.append(_finding(rule, group, source, None))
    for corr in ruleset.correlations:
        out += _correlate(corr, ruleset, hits, src)
    return out


def _finding(rule: Any, group: list[Event], source: str, extra: dict[str, Any] | None) -> Finding:
    level = _level(rule)
    return Finding(
        kind="sigma",
        analyzer=ANALYZER,
        method=f"sigma:{rule.id or rule.title}",
        summary=t("timeline.f.sigma", title=rule.title, level=level, n=len(group), source=source),
        score=LEVEL_SCORE.get(level, 0.5),
        start=group[0].ts,
        end=group[-1].ts,
        details={
            "rule_id": str(rule.id) if rule.id else None,
            "title": rule.title,
            "level": level,
            "tags": [str(x) for x in (rule.tags or [])],
            "matched": len(group),
            "source": source,
            "description": rule.description or "",
            **(extra or {}),
        },
        refs=[e.ref for e in group[:100]],
    )


def _correlate(corr: Any, ruleset: RuleSet, hits: dict[int, list[Event]], src: Any) -> list[Finding]:
    if getattr(corr.type, "name", str(corr.type)).lower() != "event_count":
        return []
    targets = {id(r.rule) for r in corr.rules if getattr(r, "rule", None) is not None}
    evs: list[Event] = []
    for i, rule in enumerate(ruleset.rules):
        if id(rule) in targets:
            evs += hits.get(i, [])
    if not evs:
        return []
    span = float(corr.timespan.seconds)
    need = int(corr.condition.count)
    op = corr.condition.op.name
    groups: dict[tuple[Any, ...], list[Event]] = defaultdict(list)
    for e in evs:
        f = event_fields(e)
        key = tuple(str(_lookup(f, g)) for g in (corr.group_by or []))
        groups[key].append(e)
    out = []
    for key, group in groups.items():
        group.sort(key=lambda e: e.ts)
        window: deque[Event] = deque()
        best: list[Event] = []
        for e in group:
            window.append(e)
            while (e.ts - window[0].ts).total_seconds() > span:
                window.popleft()
            if len(window) > len(best):
                best = list(window)
        n = len(best)
        ok = {"GTE": n >= need, "GT": n > need, "EQ": n == need, "LTE": n <= need, "LT": n < need}.get(
            op, False
        )
        if ok and n:
            extra = {
                "group_by": dict(zip(corr.group_by or [], key, strict=False)),
                "window_seconds": span,
                "threshold": need,
            }
            out.append(_finding(corr, best, src(best[0]), extra))
    return out


def run_files(paths: Sequence[Path], ruleset: RuleSet, tz: str = "UTC") -> tuple[list[Finding], int]:
    from tergeu.timeline.run import parse_loose

    events: list[Event] = []
    for res in parse_loose(paths, tz):
        events += res.events
    return run(events, ruleset), len(events)


def run_case(session: Any, case: Any, ruleset: RuleSet, actor: str = "tergeu") -> tuple[list[Finding], int]:
    from tergeu import custody, results
    from tergeu.timeline.run import case_events

    events = list(case_events(session, case))
    findings = run(events, ruleset)
    results.clear(session, case, ANALYZER)
    results.save_findings(session, case, findings)
    results.save_warnings(session, case, ANALYZER, ruleset.warnings)
    custody.append(
        session,
        case,
        actor,
        "analysed",
        [],
        {"analyzer": ANALYZER, "rules": len(ruleset), "findings": len(findings)},
    )
    return findings, len(events)


def describe(findings: Iterable[Finding]) -> list[str]:
    return [f.summary for f in findings]
