"""STIX 2.1 export of a case (python-stix2), for partners' threat-intelligence platforms.

The bundle holds the unit's identity, a report, the incident, one indicator per shareable identifier
(with a valid STIX pattern), observed-data for identifiers and for findings with addresses, and the
relationships between them, all under one TLP marking. Object ids are UUIDv5 of the case number and
the value, so exporting the same case again updates partners' copies instead of duplicating them.

Phones, IBANs, wallets and Telegram accounts have no STIX 2.1 cyber-observable type; they travel as
the custom observable ``x-tergeu-identifier`` (type + value), which STIX allows and validators accept
with a warning. It is deliberately not declared through an extension-definition object: medallion
3.0, the TAXII reference server, reads that object's ``version`` property as a timestamp and fails
every later GET on the collection. Card numbers are shared masked only, as observed data (never as
an indicator).
"""

from __future__ import annotations

import ipaddress
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import stix2
from sqlalchemy.orm import Session
from stix2.properties import StringProperty

from tergeu.db import Case
from tergeu.errors import InputError
from tergeu.exchange.casedata import CaseData, IdentifierView, load
from tergeu.plugins import Plugin
from tergeu.store import check_regular

NAMESPACE = uuid.UUID("5b9e3a57-63c5-4d6e-9f8a-7b1c2f0e4a11")

TLP = {
    "clear": stix2.TLP_WHITE,
    "white": stix2.TLP_WHITE,
    "green": stix2.TLP_GREEN,
    "amber": stix2.TLP_AMBER,
    "red": stix2.TLP_RED,
}

#: identifier type -> (STIX object type, object path) for the standard observables.
STANDARD = {
    "ipv4": ("ipv4-addr", "value"),
    "ipv6": ("ipv6-addr", "value"),
    "domain": ("domain-name", "value"),
    "url": ("url", "value"),
    "email": ("email-addr", "value"),
    "md5": ("file", "hashes.MD5"),
    "sha1": ("file", "hashes.'SHA-1'"),
    "sha256": ("file", "hashes.'SHA-256'"),
}
#: identifier types shared through the custom observable.
CUSTOM = ("phone", "iban", "btc", "eth", "tron", "telegram", "bin")


@stix2.v21.CustomObservable(
    "x-tergeu-identifier",
    [("identifier_type", StringProperty(required=True)), ("value", StringProperty(required=True))],
    id_contrib_props=["identifier_type", "value"],
)
class TergeuIdentifier:
    """An identifier STIX 2.1 has no observable for (phone, IBAN, wallet, messenger account)."""


def tlp_marking(level: str) -> Any:
    try:
        return TLP[level.lower()]
    except KeyError:
        raise InputError(f"unknown TLP level {level!r}; use clear, green, amber or red") from None


def stix_id(kind: str, *parts: str) -> str:
    """A stable id in UUIDv4 form (as STIX asks of SDOs/SROs), its bits taken from a UUIDv5 hash.

    The same case and value always give the same id, so a partner's platform updates the object
    on re-export (newer ``modified``) instead of storing a duplicate.
    """
    digest = uuid.uuid5(NAMESPACE, "|".join(parts)).bytes
    return f"{kind}--{uuid.UUID(bytes=digest, version=4)}"


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def pattern_for(view: IdentifierView) -> str | None:
    """A STIX pattern that matches this identifier, or None when it must not be an indicator."""
    if view.type in STANDARD:
        obj, path = STANDARD[view.type]
        return f"[{obj}:{path} = {_quote(view.normalized)}]"
    if view.type in CUSTOM:
        return (
            f"[x-tergeu-identifier:identifier_type = {_quote(view.type)} AND "
            f"x-tergeu-identifier:value = {_quote(view.normalized)}]"
        )
    return None


def observable_for(view: IdentifierView, marks: list[str] | None = None) -> Any | None:
    """The cyber-observable of an identifier (cards appear masked, never in full)."""
    t, v = view.type, view.normalized
    m: dict[str, Any] = {"object_marking_refs": marks} if marks else {}
    if t == "ipv4":
        return stix2.IPv4Address(value=v, **m)
    if t == "ipv6":
        return stix2.IPv6Address(value=v, **m)
    if t == "domain":
        return stix2.DomainName(value=v, **m)
    if t == "url":
        return stix2.URL(value=v, **m)
    if t == "email":
        return stix2.EmailAddress(value=v, **m)
    if t in ("md5", "sha1", "sha256"):
        algo = {"md5": "MD5", "sha1": "SHA-1", "sha256": "SHA-256"}[t]
        return stix2.File(hashes={algo: v}, **m)
    if t in CUSTOM:
        return TergeuIdentifier(identifier_type=t, value=v, **m)  # type: ignore[call-arg]
    if t == "card":
        return TergeuIdentifier(identifier_type="card-masked", value=view.shown, **m)  # type: ignore[call-arg]
    return None


def _ts(value: datetime | None) -> datetime:
    return (value or datetime.now(UTC)).astimezone(UTC)


def build_bundle(data: CaseData, tlp: str = "amber") -> stix2.Bundle:
    case = data.case
    marking = tlp_marking(tlp)
    marks = [marking.id]
    created = _ts(case.created_at)
    identity = stix2.Identity(
        id=stix_id("identity", "unit", data.unit),
        name=data.unit,
        identity_class="organization",
        sectors=["government"],
        created=created,
        modified=created,
        object_marking_refs=marks,
    )
    common: dict[str, Any] = {"created_by_ref": identity.id, "object_marking_refs": marks}
    incident = stix2.Incident(
        id=stix_id("incident", case.number),
        name=f"{case.number}: {case.title}",
        description=(case.description or case.title)
        + (f"\nCriminal Code of the RK, art. {', '.join(case.articles)}" if case.articles else ""),
        labels=[f"article-{a}" for a in case.articles] + ([f"method-{case.method}"] if case.method else []),
        created=created,
        modified=created,
        external_references=[{"source_name": "tergeu-case", "external_id": case.number}]
        + ([{"source_name": "erdr", "external_id": case.erdr_number}] if case.erdr_number else []),
        **common,
    )
    objects: list[Any] = [identity, incident]
    now = datetime.now(UTC)
    for view in data.identifiers:
        if not view.shareable:
            continue
        obs = observable_for(view, marks)
        od = None
        if obs is not None:
            od = stix2.ObservedData(
                id=stix_id("observed-data", case.number, view.type, view.normalized),
                first_observed=created,
                last_observed=now,
                number_observed=max(1, len(view.refs)),
                object_refs=[obs.id],
                created=created,
                modified=now,
                allow_custom=True,
                **common,
            )
            objects += [obs, od]
            objects.append(_rel(case.number, od.id, "related-to", incident.id, common, created))
        pattern = pattern_for(view)
        if pattern is None:
            continue
        desc = f"{view.type} seen in case {case.number}"
        if view.holder:
            desc += f"; data held by {view.holder}"
        if view.country:
            desc += f" ({view.country})"
        ind = stix2.Indicator(
            id=stix_id("indicator", case.number, view.type, view.normalized),
            name=f"{view.type}: {view.shown}",
            description=desc,
            pattern=pattern,
            pattern_type="stix",
            valid_from=created,
            indicator_types=["malicious-activity"],
            created=created,
            modified=now,
            **common,
        )
        objects.append(ind)
        objects.append(_rel(case.number, ind.id, "related-to", incident.id, common, created))
        if od is not None:
            objects.append(_rel(case.number, ind.id, "based-on", od.id, common, created))
    for f in data.findings:
        refs = _finding_observables(f.src, f.dst, marks)
        if not refs:
            continue
        first, last = _ts(f.start or f.created_at), _ts(f.end or f.start or f.created_at)
        od = stix2.ObservedData(
            id=stix_id("observed-data", case.number, "finding", str(f.id)),
            first_observed=first,
            last_observed=max(first, last),
            number_observed=1,
            object_refs=[o.id for o in refs],
            labels=[f.kind, f.analyzer],
            created=_ts(f.created_at),
            modified=_ts(f.created_at),
            **common,
        )
        note = stix2.Note(
            id=stix_id("note", case.number, "finding", str(f.id)),
            abstract=f"{f.analyzer}: {f.kind}",
            content=f"{f.summary} (score {f.score:.2f}, method {f.method})",
            object_refs=[od.id],
            created=_ts(f.created_at),
            modified=_ts(f.created_at),
            **common,
        )
        objects += [*refs, od, note, _rel(case.number, od.id, "related-to", incident.id, common, created)]
    unique: dict[str, Any] = {}
    for o in objects:
        unique.setdefault(o.id, o)
    report = stix2.Report(
        id=stix_id("report", case.number),
        name=f"{data.unit}: {case.number} {case.title}",
        description=f"Indicators and observations of case {case.number}, exported by Tergeu.",
        report_types=["threat-report", "indicator", "observed-data"],
        published=now,
        object_refs=[oid for oid in unique if not oid.startswith("identity--")] or [incident.id],
        created=created,
        modified=now,
        allow_custom=True,
        **common,
    )
    return stix2.Bundle(objects=[marking, *unique.values(), report], allow_custom=True)


def _rel(case_number: str, src: str, kind: str, dst: str, common: dict[str, Any], created: datetime) -> Any:
    return stix2.Relationship(
        id=stix_id("relationship", case_number, src, kind, dst),
        source_ref=src,
        relationship_type=kind,
        target_ref=dst,
        created=created,
        modified=created,
        **common,
    )


def _finding_observables(src: str | None, dst: str | None, marks: list[str]) -> list[Any]:
    addrs: list[Any] = []
    for value in (src, dst):
        if not value:
            addrs.append(None)
            continue
        host = _host(value)
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            addrs.append(None)
            continue
        cls = stix2.IPv4Address if ip.version == 4 else stix2.IPv6Address
        addrs.append(cls(value=str(ip), object_marking_refs=marks))
    present = [a for a in addrs if a is not None]
    if not present:
        return []
    ports = {k: p for k, p in (("src_port", _port(src)), ("dst_port", _port(dst))) if p is not None}
    traffic = stix2.NetworkTraffic(
        protocols=["ipv4" if present[0].type == "ipv4-addr" else "ipv6"],
        **ports,
        src_ref=addrs[0].id if addrs[0] is not None else None,
        dst_ref=addrs[1].id if addrs[1] is not None else None,
        object_marking_refs=marks,
    )
    return [*present, traffic]


def _port(value: str | None) -> int | None:
    """The port of ``1.2.3.4:22`` or ``[2001:db8::1]:443``, if one is given."""
    v = (value or "").strip()
    tail = (
        v.rsplit("]:", 1)[1]
        if v.startswith("[") and "]:" in v
        else v.split(":")[1]
        if v.count(":") == 1
        else ""
    )
    return int(tail) if tail.isdigit() and 0 <= int(tail) <= 65535 else None


def _host(value: str) -> str:
    """The address part of ``1.2.3.4``, ``1.2.3.4:22`` or ``[2001:db8::1]:443``."""
    v = value.strip()
    if v.startswith("["):
        return v[1:].split("]")[0]
    if v.count(":") == 1:
        return v.split(":")[0]
    return v


def export_case(session: Session, case: Case, out: Path, tlp: str = "amber") -> Path:
    bundle = build_bundle(load(session, case), tlp)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(bundle.serialize(pretty=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def load_json(path: Path) -> Any:
    """A partner's JSON file, every failure an :class:`InputError` naming the file and the byte offset.

    Partners' files are untrusted: invalid UTF-8 (CP1251 from an old tool), a UTF-8 BOM from a
    Windows editor, and arrays nested deeper than the decoder's recursion limit all occur.
    """
    try:
        check_regular(path, allow_block=False)
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), path=path) from exc
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=path, offset=bom + exc.start) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        offset = bom + len(text[: exc.pos].encode("utf-8"))
        raise InputError(f"not JSON: {exc.msg}", path=path, offset=offset) from exc
    except RecursionError as exc:
        raise InputError("JSON nested too deeply to be an exchange file", path=path) from exc


def read_bundle(path: Path) -> list[dict[str, Any]]:
    """The objects of a STIX 2.x bundle file (or a TAXII envelope), with a clear error on foreign input."""
    data = load_json(path)
    if isinstance(data, dict) and data.get("type") == "bundle":
        objects = data.get("objects") or []
    elif isinstance(data, dict) and "objects" in data:
        objects = data["objects"]
    elif isinstance(data, list):
        objects = data
    else:
        raise InputError('not a STIX bundle (no "type": "bundle" with objects)', path=path, offset=0)
    if not isinstance(objects, list):
        raise InputError('"objects" of the bundle is not a list', path=path, offset=0)
    found = [o for o in objects if isinstance(o, dict)]
    if objects and not any("type" in o for o in found):
        raise InputError('not a STIX bundle (no object with a "type")', path=path, offset=0)
    return found


class StixExporter(Plugin):
    """Exporter plugin: a case as a STIX 2.1 bundle."""

    name: ClassVar[str] = "stix"
    format: ClassVar[str] = "stix-2.1"
    description: ClassVar[str] = "STIX 2.1 bundle (identity, report, incident, indicators, observed-data)"

    @staticmethod
    def export(session: Session, case: Case, out: Path, tlp: str = "amber") -> Path:
        return export_case(session, case, out, tlp)
