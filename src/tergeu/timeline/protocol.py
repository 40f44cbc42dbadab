"""The digital-trace examination protocol (article S7) in DOCX and PDF, in kk, ru or en.

Per source (evidence item): device identity, owner, connections, operating system, file placement
and times, the logs and the periods they cover, attached screenshots, hashes; then the findings of
every analyzer and a list of every file with its hashes. Device facts come from ``collect linux``
profiles stored as artifacts, and from the events themselves (host names, Windows Computer names,
remote addresses seen in logons). Rendering is :mod:`tergeu.documents` (DejaVu embedded in PDF).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tergeu import settings
from tergeu.db import Artifact, Case, EventRow, EvidenceItem, FindingRow
from tergeu.documents import Document, write
from tergeu.i18n import t
from tergeu.timeline.core import iso

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


def _l(key: str, lang: str, **kw: Any) -> str:
    return t(f"timeline.p.{key}", lang, **kw)


def _when(ts: datetime | None, tz: str) -> str:
    if ts is None:
        return "—"
    return f"{iso(ts)} ({iso(ts, tz)} {tz})" if tz != "UTC" else iso(ts)


def profiles(session: Session, case: Case) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Artifact).where(Artifact.case_id == case.id, Artifact.kind == "linux_profile")
    )
    return [dict(r.meta, _artifact_sha256=r.sha256, _artifact_path=r.path) for r in rows]


def _item_facts(session: Session, item: EvidenceItem) -> dict[str, Any]:
    q = (
        select(EventRow.source, func.count(EventRow.id), func.min(EventRow.ts), func.max(EventRow.ts))
        .where(EventRow.evidence_id == item.id, EventRow.source != "fs")
        .group_by(EventRow.source)
    )
    logs = [(s, n, a, b) for s, n, a, b in session.execute(q)]
    hosts: Counter[str] = Counter()
    remotes: Counter[str] = Counter()
    users: Counter[str] = Counter()
    for (attrs,) in session.execute(
        select(EventRow.attrs).where(EventRow.evidence_id == item.id).limit(50000)
    ):
        a = attrs or {}
        for k in ("Computer", "host", "hostname", "_HOSTNAME"):
            if a.get(k):
                hosts[str(a[k])] += 1
        for k in ("src_ip", "IpAddress", "dst_ip"):
            v = a.get(k)
            if v and v not in ("-", "::1", "127.0.0.1", "?"):
                remotes[str(v)] += 1
        for k in ("user", "TargetUserName", "SubjectUserName"):
            v = a.get(k)
            if v and v not in ("-", "SYSTEM") and not str(v).endswith("$"):
                users[str(v)] += 1
    return {"logs": logs, "hosts": hosts, "remotes": remotes, "users": users}


def build(
    session: Session, case: Case, lang: str, evidence: str | None = None, examiner: str = ""
) -> Document:
    from tergeu.evidence import get_item, stored_path

    tz = str(settings.get("display_tz"))
    items = [get_item(session, case, evidence)] if evidence else list(case.evidence)
    now = datetime.now(UTC)
    doc = Document(
        title=_l("title", lang),
        lang=lang,
        subtitle=f"{case.number} — {case.title}",
        footer=f"Tergeu · {case.number} · {iso(now)}",
    )
    doc.keyvalues(
        [
            (_l("case", lang), f"{case.number} {case.title}"),
            (_l("articles", lang), ", ".join(case.articles or []) or "—"),
            (_l("unit", lang), case.unit or str(settings.get("unit"))),
            (_l("examiner", lang), examiner or case.created_by),
            (_l("date", lang), _when(now, tz)),
            (_l("display_tz", lang), tz),
        ]
    )
    doc.paragraph(_l("intro", lang, n=len(items)))

    profs = profiles(session, case)
    if profs:
        doc.heading(_l("systems", lang), 1)
        for p in profs:
            _profile_block(doc, p, lang)

    for n, item in enumerate(items, 1):
        facts = _item_facts(session, item)
        doc.heading(_l("source", lang, n=n, name=item.name), 1)
        device = ", ".join(h for h, _ in facts["hosts"].most_common(5)) or "—"
        owner_bits = [item.owner] if item.owner else []
        owner_bits += [u for u, _ in facts["users"].most_common(5)]
        doc.keyvalues(
            [
                (_l("device", lang), device),
                (_l("owner", lang), ", ".join(dict.fromkeys(owner_bits)) or "—"),
                (
                    _l("connections", lang),
                    ", ".join(f"{ip} ×{c}" for ip, c in facts["remotes"].most_common(10)) or "—",
                ),
                (_l("os", lang), _os_guess(facts, profs)),
                (_l("placement", lang), item.original_path),
                (_l("size", lang), f"{item.size}"),
                (_l("created", lang), _when(item.birthtime, tz)),
                (_l("modified", lang), _when(item.mtime, tz)),
                (_l("accessed", lang), _when(item.atime, tz)),
                (_l("changed", lang), _when(item.ctime, tz)),
                (_l("acquired", lang), f"{_when(item.acquired_at, tz)} — {item.acquired_by}"),
                ("MD5", item.md5),
                ("SHA-1", item.sha1),
                ("SHA-256", item.sha256),
            ]
        )
        if facts["logs"]:
            doc.heading(_l("logs", lang), 2)
            doc.table(
                [_l("log_source", lang), _l("events", lang), _l("from", lang), _l("to", lang)],
                [[s, str(c), _when(a, tz), _when(b, tz)] for s, c, a, b in facts["logs"]],
            )
        if item.name.lower().endswith(IMAGE_SUFFIXES):
            doc.heading(_l("screenshot", lang), 2)
            try:
                doc.image(stored_path(item), caption=f"{item.name} — SHA-256 {item.sha256}")
            except OSError:
                doc.paragraph(item.name)

    findings = list(
        session.scalars(select(FindingRow).where(FindingRow.case_id == case.id).order_by(FindingRow.start))
    )
    doc.heading(_l("findings", lang), 1)
    if findings:
        doc.table(
            [_l("kind", lang), _l("when", lang), _l("offset", lang), _l("description", lang)],
            [[f.kind, _when(f.start, tz), _offset(f.details), f.summary[:600]] for f in findings[:300]],
        )
        if len(findings) > 300:
            doc.paragraph(_l("more", lang, n=len(findings) - 300))
    else:
        doc.paragraph(_l("no_findings", lang))

    doc.heading(_l("hashes", lang), 1)
    doc.table(
        ["#", _l("placement", lang), "SHA-256", "MD5"],
        [[str(i.id), i.original_path, i.sha256, i.md5] for i in items],
    )
    arts = list(session.scalars(select(Artifact).where(Artifact.case_id == case.id)))
    if arts:
        doc.heading(_l("artifacts", lang), 2)
        doc.table(
            [_l("kind", lang), _l("placement", lang), "SHA-256"], [[a.kind, a.path, a.sha256] for a in arts]
        )
    doc.paragraph(_l("closing", lang))
    return doc


def _offset(details: dict[str, Any]) -> str:
    v = details.get("offset_seconds") if details else None
    return "—" if v is None else f"{float(v):+.0f} s"


def _os_guess(facts: dict[str, Any], profs: list[dict[str, Any]]) -> str:
    hosts = set(facts["hosts"])
    for p in profs:
        if p.get("hostname") and p["hostname"] in hosts:
            return str(p.get("os_name") or "Linux")
    sources = {s for s, *_ in facts["logs"]}
    if "evtx" in sources:
        return "Microsoft Windows"
    if sources & {"syslog", "auth", "journal", "audit", "wtmp", "btmp"}:
        return "Linux/Unix"
    return "—"


def _profile_block(doc: Document, p: dict[str, Any], lang: str) -> None:
    doc.heading(_l("system", lang, name=p.get("hostname") or p.get("root", "")), 2)
    net = p.get("network") or {}
    doc.keyvalues(
        [
            (_l("device", lang), f"{p.get('hostname', '')} (machine-id {p.get('machine_id', '') or '—'})"),
            (_l("os", lang), f"{p.get('os_name', '')} {p.get('os_version', '')}".strip() or "—"),
            (_l("tz", lang), p.get("timezone") or "—"),
            (_l("users", lang), ", ".join(f"{u['name']} ({u['uid']})" for u in p.get("users", [])) or "—"),
            (_l("admins", lang), ", ".join(p.get("admins", [])) or "—"),
            (_l("connections", lang), ", ".join(net.get("addresses", []) + net.get("wifi", [])) or "—"),
            ("DNS", ", ".join(net.get("nameservers", [])) or "—"),
            (_l("packages", lang), str(len(p.get("packages", [])))),
            (_l("placement", lang), p.get("root", "")),
            ("SHA-256", p.get("_artifact_sha256", "")),
        ]
    )
    for h in p.get("histories", []):
        doc.paragraph(_l("history", lang, path=h["path"], lines=h["lines"], sha=h["sha256"]))
        if h.get("tail"):
            doc.mono("\n".join(h["tail"][-15:]))


def write_protocol(
    session: Session, case: Case, lang: str, out: Path, evidence: str | None = None, actor: str = "tergeu"
) -> list[Path]:
    """Write DOCX and PDF, record them as artifacts with their hashes, and log the export."""
    from tergeu import custody

    doc = build(session, case, lang, evidence, actor)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"protocol-{case.number}-{lang}"
    paths = [write(doc, out / f"{stem}.docx"), write(doc, out / f"{stem}.pdf")]
    for p in paths:
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        session.add(
            Artifact(case_id=case.id, kind="protocol", path=str(p), sha256=digest, meta={"lang": lang})
        )
    session.flush()
    custody.append(
        session,
        case,
        actor,
        "exported",
        [i.id for i in case.evidence],
        {"what": "protocol", "lang": lang, "files": [str(p) for p in paths]},
    )
    return paths


def store_profile(session: Session, case: Case, profile: dict[str, Any], actor: str = "tergeu") -> Artifact:
    """Keep a ``collect linux`` profile with the case (JSON file under $TERGEU_HOME + artifact row)."""
    from tergeu import custody

    folder = settings.home() / "artifacts" / case.number
    folder.mkdir(parents=True, exist_ok=True)
    data = json.dumps(profile, ensure_ascii=False, indent=1, sort_keys=True).encode()
    digest = hashlib.sha256(data).hexdigest()
    path = folder / f"linux-profile-{digest[:12]}.json"
    path.write_bytes(data)
    art = Artifact(case_id=case.id, kind="linux_profile", path=str(path), sha256=digest, meta=profile)
    session.add(art)
    session.flush()
    custody.append(
        session,
        case,
        actor,
        "examined",
        [],
        {"what": "collect linux", "root": profile.get("root"), "sha256": digest},
    )
    return art
