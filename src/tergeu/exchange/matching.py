"""Partners' indicators matched against every case: identifiers, finding addresses and flow tables.

STIX patterns and MISP attributes are reduced to :class:`Indicator` (identifier type + normalised
value, or an IP network for CIDR patterns). Each hit becomes a finding of the analyzer ``exchange``
in the case where the value was seen, pointing at the same evidence as the matched identifier, so the
partner's context (who reported it, why) appears next to the local trace. Re-importing the same feed
adds nothing twice.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from tergeu import custody
from tergeu.db import Artifact, Case, FindingRow, IdentifierRow
from tergeu.exchange.casedata import shown_value
from tergeu.records import EvidenceRef, Finding, ParseWarning
from tergeu.results import save_findings

ANALYZER = "exchange"
IPNet = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass
class Indicator:
    """One value a partner asks us to look for."""

    type: str
    value: str
    source: str
    ref_id: str
    name: str = ""
    description: str = ""
    confidence: float = 1.0
    producer: str = ""
    labels: list[str] = field(default_factory=list)
    network: IPNet | None = None


def normalize(type_: str, value: str) -> str:
    """The same canonical form the identifier store uses, so partner values compare equal."""
    v = value.strip()
    if type_ in ("ipv4", "ipv6"):
        try:
            return str(ipaddress.ip_address(v))
        except ValueError:
            return v
    if type_ in ("domain", "email", "md5", "sha1", "sha256", "eth", "tron", "telegram"):
        v = v.lower().rstrip(".") if type_ == "domain" else v.lower()
        return v.lstrip("@") if type_ == "telegram" else v
    if type_ == "iban":
        return re.sub(r"\s+", "", v).upper()
    if type_ == "phone":
        digits = re.sub(r"[^\d+]", "", v)
        if digits.startswith("8") and len(digits) == 11:
            digits = "+7" + digits[1:]
        return digits if digits.startswith("+") else "+" + digits
    if type_ == "url":
        m = re.match(r"^([a-zA-Z][\w+.-]*://)([^/]*)(.*)$", v)
        return (m.group(1).lower() + m.group(2).lower() + m.group(3)) if m else v
    return v


STIX_PATHS = {
    ("ipv4-addr", "value"): "ipv4",
    ("ipv6-addr", "value"): "ipv6",
    ("domain-name", "value"): "domain",
    ("url", "value"): "url",
    ("email-addr", "value"): "email",
    ("file", "hashes.MD5"): "md5",
    ("file", "hashes.SHA-1"): "sha1",
    ("file", "hashes.SHA1"): "sha1",
    ("file", "hashes.SHA-256"): "sha256",
    ("file", "hashes.SHA256"): "sha256",
}


def from_stix(objects: Iterable[dict[str, Any]], source: str) -> tuple[list[Indicator], list[ParseWarning]]:
    """Indicators out of STIX objects; patterns the grammar rejects become warnings, not failures."""
    from stix2patterns.v21.pattern import Pattern

    producers = {o["id"]: o.get("name", "") for o in objects if o.get("type") == "identity" and "id" in o}
    out: list[Indicator] = []
    warnings: list[ParseWarning] = []
    for n, obj in enumerate(objects):
        if obj.get("type") != "indicator" or obj.get("pattern_type", "stix") != "stix":
            continue
        try:
            comparisons = Pattern(obj.get("pattern", "")).inspect().comparisons
        except Exception as exc:  # the pattern library raises bare exceptions on bad grammar
            warnings.append(
                ParseWarning(source, f"indicator {obj.get('id')}: bad pattern: {exc}", record=str(n))
            )
            continue
        base = {
            "source": source,
            "ref_id": str(obj.get("id", "")),
            "name": str(obj.get("name", "")),
            "description": str(obj.get("description", "")),
            "confidence": float(obj.get("confidence", 100)) / 100.0,
            "producer": producers.get(obj.get("created_by_ref", ""), ""),
            "labels": [str(x) for x in obj.get("indicator_types", []) + obj.get("labels", [])],
        }
        for obj_type, comps in comparisons.items():
            if obj_type == "x-tergeu-identifier":
                kinds = [_unquote(v) for path, op, v in comps if path == ["identifier_type"] and op == "="]
                values = [_unquote(v) for path, op, v in comps if path == ["value"] and op == "="]
                if kinds and values and kinds[0] != "card-masked":
                    out.append(Indicator(kinds[0], normalize(kinds[0], values[0]), **base))
                continue
            for path, op, raw in comps:
                key = (obj_type, ".".join(str(p) for p in path))
                type_ = STIX_PATHS.get(key)
                if type_ is None:
                    continue
                if op == "=":
                    value = _unquote(raw)
                    net = _network(type_, value)
                    out.append(
                        Indicator(
                            type_, normalize(type_, value) if net is None else value, network=net, **base
                        )
                    )
                elif op == "ISSUBSET" and type_ in ("ipv4", "ipv6"):
                    value = _unquote(raw)
                    out.append(Indicator(type_, value, network=_network(type_, value, force=True), **base))
                elif op == "IN":
                    for value in re.findall(r"'((?:[^'\\]|\\.)*)'", str(raw)):
                        out.append(Indicator(type_, normalize(type_, value), **base))
    return out, warnings


def _unquote(raw: Any) -> str:
    s = str(raw)
    if len(s) >= 2 and s[0] == s[-1] == "'":
        s = s[1:-1]
    return s.replace("\\'", "'").replace("\\\\", "\\")


def _network(type_: str, value: str, force: bool = False) -> IPNet | None:
    if type_ not in ("ipv4", "ipv6") or ("/" not in value and not force):
        return None
    try:
        return ipaddress.ip_network(value, strict=False)
    except ValueError:
        return None


@dataclass
class MatchResult:
    indicators: int = 0
    hits: dict[str, int] = field(default_factory=dict)  # case number -> new findings
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.hits.values())


def match(session: Session, indicators: list[Indicator], method: str, actor: str) -> MatchResult:
    """Look every indicator up in every case and store each new hit as a finding."""
    result = MatchResult(indicators=len(indicators))
    exact: dict[tuple[str, str], list[Indicator]] = {}
    nets: list[Indicator] = []
    for ind in indicators:
        if ind.network is not None:
            nets.append(ind)
        else:
            exact.setdefault((ind.type, ind.value), []).append(ind)
    cases = {c.id: c for c in session.scalars(select(Case))}
    seen = _already(session)
    per_case: dict[int, list[Finding]] = {}
    from tergeu.exchange.stix import stix_id

    for case_id, ind, value, ref, where in _hits(session, exact, nets):
        if ind.ref_id == stix_id("indicator", cases[case_id].number, ind.type, value):
            continue  # our own export of this very case coming back (e.g. a shared TAXII collection)
        key = (case_id, ind.ref_id, ind.type, shown_value(ind.type, value) if ind.type == "card" else value)
        if key in seen:
            continue
        seen.add(key)
        per_case.setdefault(case_id, []).append(_finding(ind, value, ref, where, method))
    for case_id, findings in per_case.items():
        case = cases[case_id]
        save_findings(session, case, findings)
        evidence_ids = sorted({r.evidence_id for f in findings for r in f.refs if r.evidence_id is not None})
        custody.append(
            session,
            case,
            actor,
            "analysed",
            evidence_ids,
            {"analyzer": ANALYZER, "method": method, "hits": len(findings), "source": indicators[0].source},
        )
        result.hits[case.number] = len(findings)
    return result


def _already(session: Session) -> set[tuple[int, str, str, str]]:
    rows = session.scalars(select(FindingRow).where(FindingRow.analyzer == ANALYZER))
    return {
        (
            r.case_id,
            str(r.details.get("indicator_id", "")),
            str(r.details.get("type", "")),
            str(r.details.get("value", "")),
        )
        for r in rows
    }


def _hits(
    session: Session, exact: dict[tuple[str, str], list[Indicator]], nets: list[Indicator]
) -> Iterator[tuple[int, Indicator, str, EvidenceRef, str]]:
    from tergeu.db import EvidenceItem

    names = {i: n for i, n in session.execute(select(EvidenceItem.id, EvidenceItem.name))}

    def ref_of(row: IdentifierRow) -> EvidenceRef:
        return EvidenceRef(names.get(row.evidence_id or 0, ""), row.evidence_id, row.offset, row.record)

    # Exact values: indexed look-ups on (type, normalized), in chunks, so a feed of 100 000
    # indicators never loads the whole identifier table.
    keys = list(exact)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        stmt = select(IdentifierRow).where(tuple_(IdentifierRow.type, IdentifierRow.normalized).in_(chunk))
        for row in session.scalars(stmt):
            for ind in exact.get((row.type, row.normalized), []):
                yield row.case_id, ind, row.normalized, ref_of(row), "identifier"
    # Networks (CIDR patterns): only address identifiers are scanned, streamed.
    if nets:
        stmt = (
            select(IdentifierRow)
            .where(IdentifierRow.type.in_(("ipv4", "ipv6")))
            .execution_options(yield_per=2000)
        )
        for row in session.scalars(stmt):
            ip = _ip(row.normalized)
            if ip is None:
                continue
            for ind in nets:
                if ind.network is not None and ip.version == ind.network.version and ip in ind.network:
                    yield row.case_id, ind, row.normalized, ref_of(row), "identifier"
    ip_exact = {v: inds for (t, v), inds in exact.items() if t in ("ipv4", "ipv6")}
    if ip_exact or nets:
        fstmt = select(FindingRow).where(
            FindingRow.analyzer != ANALYZER, (FindingRow.src.is_not(None)) | (FindingRow.dst.is_not(None))
        )
        for f in session.scalars(fstmt.execution_options(yield_per=2000)):
            refs = [EvidenceRef(**r) for r in (f.refs or [])] or [EvidenceRef("", f.evidence_id)]
            for side in (f.src, f.dst):
                ip = _ip(_host(side or ""))
                if ip is None:
                    continue
                for ind in ip_exact.get(str(ip), []) + [
                    n for n in nets if n.network and ip.version == n.network.version and ip in n.network
                ]:
                    yield f.case_id, ind, str(ip), refs[0], f"finding #{f.id} ({f.kind})"
        yield from _flow_hits(session, ip_exact, nets)


def _flow_hits(
    session: Session, ip_exact: dict[str, list[Indicator]], nets: list[Indicator]
) -> Iterator[tuple[int, Indicator, str, EvidenceRef, str]]:
    """Flow tables (Parquet artifacts of the network area) searched by their address columns."""
    from pathlib import Path

    for art in session.scalars(select(Artifact).where(Artifact.kind.like("%flow%"))):
        path = Path(art.path)
        if path.suffix != ".parquet" or not path.exists():
            continue
        try:
            import polars as pl

            frame = pl.read_parquet(path)
        except Exception:  # an unreadable derived file must not stop matching the rest
            continue
        cols = [c for c in frame.columns if c.lower() in ("src", "dst", "src_ip", "dst_ip", "saddr", "daddr")]
        for col in cols:
            for value in frame.get_column(col).cast(pl.Utf8).drop_nulls().unique().to_list():
                ip = _ip(str(value))
                if ip is None:
                    continue
                inds = ip_exact.get(str(ip), []) + [
                    n for n in nets if n.network and ip.version == n.network.version and ip in n.network
                ]
                for ind in inds:
                    yield (
                        art.case_id,
                        ind,
                        str(ip),
                        EvidenceRef(path.name, art.evidence_id),
                        f"flows {path.name} ({col})",
                    )


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _host(value: str) -> str:
    v = value.strip()
    if v.startswith("["):
        return v[1:].split("]")[0]
    return v.split(":")[0] if v.count(":") == 1 else v


def _finding(ind: Indicator, value: str, ref: EvidenceRef, where: str, method: str) -> Finding:
    shown = shown_value(ind.type, value)
    value = shown if ind.type == "card" else value
    who = ind.producer or ind.source
    summary = f"Partner indicator matched: {ind.type} {shown} ({where}); reported by {who}"
    if ind.name:
        summary += f": {ind.name}"
    return Finding(
        kind="ioc_match",
        analyzer=ANALYZER,
        method=method,
        summary=summary,
        score=max(0.0, min(1.0, ind.confidence)),
        src=value if ind.type in ("ipv4", "ipv6") else None,
        details={
            "indicator_id": ind.ref_id,
            "type": ind.type,
            "value": value,
            "matched_in": where,
            "source": ind.source,
            "producer": ind.producer,
            "description": ind.description,
            "labels": ind.labels,
            "network": str(ind.network) if ind.network else None,
        },
        refs=[ref],
    )
