"""MISP event JSON export and import with PyMISP, offline (no MISP server is contacted).

Export: one event per case — addresses, URLs and e-mails as attributes, domains as domain-ip objects
(with the addresses enrichment resolved), hashes as file objects, people-and-money identifiers as
MISP objects (phone, bank-account, coin-address, telegram-account, credit-card with the number masked), finding addresses as ip-src/ip-dst, tags for TLP and the
Criminal Code articles. UUIDs are derived from the case number and value, so a re-import in MISP
updates the event. Import: every attribute of an event (objects included) becomes an indicator for
:mod:`tergeu.exchange.matching`.
"""

from __future__ import annotations

import ipaddress
import json
import uuid
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from tergeu.db import Case
from tergeu.errors import InputError
from tergeu.exchange.casedata import CaseData, load
from tergeu.exchange.matching import Indicator, normalize
from tergeu.plugins import Plugin
from tergeu.records import ParseWarning

NAMESPACE = uuid.UUID("0c8f4b8e-2b1e-4f0c-9d57-5d3a4c6f2e90")

#: identifier type -> MISP attribute type, for identifiers exported as plain attributes.
ATTRIBUTE = {
    "ipv4": "ip-dst",
    "ipv6": "ip-dst",
    "url": "url",
    "email": "email",
}
CRYPTO_SYMBOL = {"btc": "BTC", "eth": "ETH", "tron": "TRX"}

#: MISP attribute type -> identifier type, for import (composite types are split on "|").
FROM_MISP = {
    "ip-dst": "ip",
    "ip-src": "ip",
    "domain": "domain",
    "hostname": "domain",
    "url": "url",
    "link": "url",
    "email": "email",
    "email-src": "email",
    "email-dst": "email",
    "md5": "md5",
    "sha1": "sha1",
    "sha256": "sha256",
    "phone-number": "phone",
    "whois-registrant-phone": "phone",
    "iban": "iban",
    "btc": "btc",
}
#: (object name, object relation) -> identifier type, for relations whose attribute type is "text".
FROM_OBJECT = {
    ("phone", "msisdn"): "phone",
    ("telegram-account", "username"): "telegram",
    ("telegram-account", "phone"): "phone",
    ("coin-address", "address-crypto"): "crypto",
}


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


def build_event(data: CaseData, tlp: str = "amber") -> Any:
    from pymisp import MISPEvent, MISPObject, MISPOrganisation

    case = data.case
    event = MISPEvent()
    event.uuid = _uuid(case.number)
    event.info = f"{case.number}: {case.title}"
    event.date = case.created_at.date()
    event.threat_level_id = 2
    event.analysis = 1
    org = MISPOrganisation()
    org.name = data.unit
    org.uuid = _uuid("org", data.unit)
    event.Orgc = org
    event.add_tag(f"tlp:{'clear' if tlp.lower() == 'white' else tlp.lower()}")
    for art in case.articles:
        event.add_tag(f'tergeu:criminal-code-rk-article="{art}"')
    if case.method:
        event.add_tag(f'tergeu:method="{case.method}"')
    event.add_attribute(
        "text",
        case.number,
        category="Internal reference",
        comment="Tergeu case number",
        to_ids=False,
        uuid=_uuid(case.number, "case-number"),
    )
    for view in data.identifiers:
        if not view.shareable:
            continue
        comment = "; ".join(x for x in (view.holder, view.country) if x)
        ref = _uuid(case.number, view.type, view.normalized)
        if view.type in ATTRIBUTE:
            event.add_attribute(ATTRIBUTE[view.type], view.normalized, comment=comment, to_ids=True, uuid=ref)
            continue
        obj: Any = None
        if view.type == "domain":
            obj = MISPObject("domain-ip", standalone=False)
            obj.add_attribute("domain", value=view.normalized, to_ids=True)
            for ip in _resolved(view.attrs):
                obj.add_attribute("ip", value=ip, to_ids=True)
        elif view.type in ("md5", "sha1", "sha256"):
            obj = MISPObject("file", standalone=False)
            obj.add_attribute(view.type, value=view.normalized, to_ids=True)
            if view.attrs.get("filename"):
                obj.add_attribute("filename", value=str(view.attrs["filename"]))
        elif view.type == "phone":
            obj = MISPObject("phone", standalone=False)
            obj.add_attribute("msisdn", value=view.normalized)
            if view.holder:
                obj.add_attribute("text", value=f"operator: {view.holder}")
        elif view.type == "iban":
            obj = MISPObject("bank-account", standalone=False)
            obj.add_attribute("iban", value=view.normalized, to_ids=True)
            if view.holder:
                obj.add_attribute("institution-name", value=view.holder)
        elif view.type in CRYPTO_SYMBOL:
            obj = MISPObject("coin-address", standalone=False)
            if view.type == "btc":
                obj.add_attribute("address", value=view.normalized, to_ids=True)
            else:
                obj.add_attribute("address-crypto", value=view.normalized, to_ids=True)
            obj.add_attribute("symbol", value=CRYPTO_SYMBOL[view.type])
        elif view.type == "telegram":
            obj = MISPObject("telegram-account", standalone=False)
            obj.add_attribute("username", value=view.normalized)
        elif view.type == "card":
            obj = MISPObject("credit-card", standalone=False)
            obj.add_attribute("cc-number", value=view.shown, to_ids=False, disable_correlation=True)
            if view.holder:
                obj.add_attribute("bank_name", value=view.holder)
        if obj is not None:
            obj.uuid = ref
            if comment:
                obj.comment = comment
            event.add_object(obj)
    for f in data.findings:
        for side, kind in ((f.src, "ip-src"), (f.dst, "ip-dst")):
            host = _host(side or "")
            try:
                ipaddress.ip_address(host)
            except ValueError:
                continue
            event.add_attribute(
                kind,
                host,
                comment=f"{f.kind}: {f.summary}"[:250],
                to_ids=False,
                uuid=_uuid(case.number, "finding", str(f.id), kind),
            )
    return event


def _resolved(attrs: dict[str, Any]) -> list[str]:
    """Addresses the enrichment found for a domain (``attrs["ips"]``, ``["ip"]`` or ``["resolved"]``)."""
    found: list[str] = []
    for key in ("ips", "ip", "resolved", "a"):
        value = attrs.get(key)
        items = value if isinstance(value, list) else [value] if value else []
        for item in items:
            try:
                found.append(str(ipaddress.ip_address(str(item).strip())))
            except ValueError:
                continue
    return sorted(set(found))


def _host(value: str) -> str:
    v = value.strip()
    if v.startswith("["):
        return v[1:].split("]")[0]
    return v.split(":")[0] if v.count(":") == 1 else v


def export_case(session: Session, case: Case, out: Path, tlp: str = "amber") -> Path:
    event = build_event(load(session, case), tlp)
    out.parent.mkdir(parents=True, exist_ok=True)
    body = {"Event": json.loads(event.to_json())}
    out.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


def load_events(path: Path) -> list[Any]:
    """MISP events from a file: ``{"Event": ...}``, a bare event, or a list/``response`` of them."""
    from pymisp import MISPEvent

    from tergeu.exchange.stix import load_json

    data = load_json(path)
    if isinstance(data, dict) and "response" in data:
        data = data["response"]
    items = data if isinstance(data, list) else [data]
    events = []
    for n, item in enumerate(items):
        body = item.get("Event", item) if isinstance(item, dict) else None
        if not isinstance(body, dict) or (
            "info" not in body and "Attribute" not in body and "Object" not in body
        ):
            raise InputError(f"item {n} is not a MISP event (no Event/info/Attribute)", path=path, offset=0)
        event = MISPEvent()
        try:
            event.load({"Event": body})
        except Exception as exc:  # PyMISP raises several unrelated types on malformed events
            raise InputError(f"item {n}: not a valid MISP event: {exc}", path=path) from exc
        events.append(event)
    return events


def indicators_from_file(path: Path) -> tuple[list[Indicator], list[ParseWarning]]:
    out: list[Indicator] = []
    warnings: list[ParseWarning] = []
    for event in load_events(path):
        producer = getattr(getattr(event, "Orgc", None), "name", "") or ""
        base = {"source": path.name, "producer": producer, "labels": [t.name for t in event.tags]}
        pairs = [(None, a) for a in event.attributes] + [(o, a) for o in event.objects for a in o.attributes]
        for obj, attr in pairs:
            for type_, value in _types(obj.name if obj is not None else None, attr):
                if type_ == "ip":
                    try:
                        type_ = "ipv4" if ipaddress.ip_address(value.strip()).version == 4 else "ipv6"
                    except ValueError:
                        warnings.append(
                            ParseWarning(path.name, f"attribute {attr.uuid}: {value!r} is not an IP address")
                        )
                        continue
                out.append(
                    Indicator(
                        type_,
                        normalize(type_, value),
                        ref_id=str(attr.uuid),
                        name=f"{event.info}",
                        description=str(getattr(attr, "comment", "") or ""),
                        **base,  # type: ignore[arg-type]
                    )
                )
    return out, warnings


def _types(obj_name: str | None, attr: Any) -> list[tuple[str, str]]:
    kind, value = str(attr.type), str(attr.value)
    if obj_name is not None:
        rel = str(getattr(attr, "object_relation", "") or "")
        mapped = FROM_OBJECT.get((obj_name, rel))
        if mapped == "crypto":
            v = value.strip()
            return [("eth" if v.lower().startswith("0x") else "tron" if v.startswith("T") else "btc", v)]
        if mapped:
            return [(mapped, value)]
    if "|" in kind:
        parts = list(zip(kind.split("|"), value.split("|"), strict=False))
        return [(FROM_MISP[k], v) for k, v in parts if k in FROM_MISP]
    return [(FROM_MISP[kind], value)] if kind in FROM_MISP else []


class MispExporter(Plugin):
    """Exporter plugin: a case as a MISP event JSON."""

    name: ClassVar[str] = "misp"
    format: ClassVar[str] = "misp-event-json"
    description: ClassVar[str] = "MISP event (attributes, objects, tags, TLP), PyMISP offline"

    @staticmethod
    def export(session: Session, case: Case, out: Path, tlp: str = "amber") -> Path:
        return export_case(session, case, out, tlp)
