"""Tamper-evident custody ledger: one hash chain per case, every entry signed by its actor.

Entry ``n`` is canonical JSON (sorted keys, no spaces, UTF-8) of
``{case, seq, ts, actor, action, evidence, details, prev}``; its hash is
``sha256(canonical)`` and ``prev`` is entry ``n-1``'s hash (64 zeros for the first). The actor signs
the hash bytes with Ed25519. The case's seal is the Merkle root over all entry hashes (pairs
concatenated and hashed with SHA-256, an odd last node carried up unchanged).

Editing, deleting, reordering or inserting entries breaks the chain; swapping a public key breaks
the signatures; :func:`verify_chain` names the first entry where each check fails.

The newest head of each case is also appended to an anchor file outside the database, once the
transaction that wrote it has committed (one line per case and commit, as the chain links every
earlier entry to it). Written before the commit, a rolled-back or crashed transaction would leave an
anchor to an entry that never existed, and verification would cry tampering over an honest crash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from tergeu import keys, settings
from tergeu.db import Case, CustodyEntry, Officer
from tergeu.errors import TergeuError
from tergeu.i18n import t

GENESIS = "0" * 64
ACTIONS = (
    "acquired",
    "transferred",
    "examined",
    "exported",
    "sealed",
    "analysed",
    "verified",
    "opened",
    "note",
)


def action_label(action: str, lang: str | None = None) -> str:
    """The action as a person reads it; the ledger itself keeps the English code."""
    from tergeu.i18n import catalogue

    key = f"custody.action.{action}"
    return t(key, lang) if key in catalogue() else action


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_payload(case_number: str, entry: CustodyEntry) -> dict[str, Any]:
    return {
        "case": case_number,
        "seq": entry.seq,
        "ts": entry.ts,
        "actor": entry.actor,
        "action": entry.action,
        "evidence": list(entry.evidence_ids),
        "details": entry.details,
        "prev": entry.prev_hash,
    }


def entry_hash(case_number: str, entry: CustodyEntry) -> str:
    return hashlib.sha256(canonical(entry_payload(case_number, entry))).hexdigest()


def merkle_root(hashes: Sequence[str]) -> str:
    if not hashes:
        return GENESIS
    level = [bytes.fromhex(h) for h in hashes]
    while len(level) > 1:
        nxt = [hashlib.sha256(level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].hex()


def entries(session: Session, case: Case) -> list[CustodyEntry]:
    return list(
        session.scalars(select(CustodyEntry).where(CustodyEntry.case_id == case.id).order_by(CustodyEntry.id))
    )


def append(
    session: Session,
    case: Case,
    actor: str,
    action: str,
    evidence_ids: Sequence[int] = (),
    details: dict[str, Any] | None = None,
) -> CustodyEntry:
    """Sign and append one entry; the key is created on the officer's first use."""
    if action not in ACTIONS:
        raise ValueError(f"unknown custody action {action!r}")
    officers: dict[str, Officer] = session.info.setdefault("tergeu.custody.officers", {})
    officer = officers.get(actor)
    if officer is None:  # later entries of this session stat the key file in keys.load_private
        officer = officers[actor] = keys.ensure_key(session, actor)
    # A chain this session started (a case it created, invisible to other transactions until the
    # commit) cannot grow elsewhere meanwhile: its head is taken from memory instead of a query.
    heads: dict[int, CustodyEntry] = session.info.setdefault("tergeu.custody.heads", {})
    last = heads.get(case.id)
    if last is None or not inspect(last).persistent:
        last = session.scalar(
            select(CustodyEntry)
            .where(CustodyEntry.case_id == case.id)
            .order_by(CustodyEntry.seq.desc())
            .limit(1)
        )
    entry = CustodyEntry(
        case_id=case.id,
        seq=(last.seq + 1) if last else 1,
        ts=datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
        actor=actor,
        action=action,
        evidence_ids=sorted(evidence_ids),
        details=details or {},
        prev_hash=last.entry_hash if last else GENESIS,
        entry_hash="",
        signature="",
        key_fingerprint=officer.fingerprint,
    )
    entry.entry_hash = entry_hash(case.number, entry)
    entry.signature = keys.load_private(actor).sign(bytes.fromhex(entry.entry_hash)).hex()
    session.add(entry)
    session.flush()
    if entry.seq == 1 or case.id in heads:
        heads[case.id] = entry
    _anchor_on_commit(session, case.number, entry)
    return entry


_PENDING = "tergeu.custody.pending_anchors"


def _anchor_on_commit(session: Session, case_number: str, entry: CustodyEntry) -> None:
    pending: dict[str, list[tuple[int, str, CustodyEntry]]] | None = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = {}
        if not event.contains(session, "after_commit", _write_anchors):
            event.listen(session, "after_commit", _write_anchors)
            event.listen(session, "after_rollback", _drop_anchors)
    pending.setdefault(case_number, []).append((entry.seq, entry.entry_hash, entry))


def _write_anchors(session: Session) -> None:
    """After a commit: anchor each case's newest committed entry (savepoint rollbacks excluded)."""
    session.info.pop("tergeu.custody.heads", None)  # committed chains are visible to others now
    pending = session.info.pop(_PENDING, None) or {}
    for case_number, heads in pending.items():
        kept = [(seq, digest) for seq, digest, row in heads if inspect(row).persistent]
        if kept:
            seq, digest = max(kept)
            _anchor(case_number, seq, digest)


def _drop_anchors(session: Session) -> None:
    session.info.pop("tergeu.custody.heads", None)
    session.info.pop(_PENDING, None)


def _anchor_file(case_number: str) -> Path:
    return settings.home() / "ledger-anchors" / f"{case_number}.log"


def _anchor(case_number: str, seq: int, digest: str) -> None:
    """Append the new head outside the database so that cutting off the chain's tail is noticed."""
    path = _anchor_file(case_number)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"{seq} {digest}\n")


def anchored_head(case_number: str) -> tuple[int, str] | None:
    path = _anchor_file(case_number)
    if not path.exists():
        return None
    lines = [ln.split() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if not lines:
        return None
    seq, digest = lines[-1]
    return int(seq), digest


@dataclass
class ChainReport:
    entries: int
    seal: str
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(session: Session, case: Case) -> ChainReport:
    """Recompute every hash, link and signature; collect every problem with the entry it concerns."""
    rows = entries(session, case)
    officers = {o.name: o for o in session.scalars(select(Officer))}
    problems: list[str] = []
    prev = GENESIS
    for position, row in enumerate(rows, start=1):
        label = t("verify.entry", seq=row.seq, row=position)
        if row.seq != position:
            problems.append(t("verify.seq", label=label, expected=position, found=row.seq))
        if row.prev_hash != prev:
            problems.append(t("verify.link", label=label, expected=prev[:16], found=row.prev_hash[:16]))
        recomputed = entry_hash(case.number, row)
        if recomputed != row.entry_hash:
            problems.append(
                t("verify.content", label=label, expected=row.entry_hash[:16], found=recomputed[:16])
            )
        officer = officers.get(row.actor)
        if officer is None:
            problems.append(t("verify.no_key", label=label, actor=repr(row.actor)))
        else:
            if (
                officer.fingerprint != row.key_fingerprint
                or keys.fingerprint(officer.public_key) != officer.fingerprint
            ):
                problems.append(
                    t(
                        "verify.key_changed",
                        label=label,
                        actor=repr(row.actor),
                        expected=row.key_fingerprint[:16],
                        found=keys.fingerprint(officer.public_key)[:16],
                    )
                )
            try:
                Ed25519PublicKey.from_public_bytes(bytes.fromhex(officer.public_key)).verify(
                    bytes.fromhex(row.signature), bytes.fromhex(recomputed)
                )
            except (InvalidSignature, ValueError):
                problems.append(t("verify.signature", label=label, actor=repr(row.actor)))
        prev = row.entry_hash
    head = anchored_head(case.number)
    if head is not None:
        seq, digest = head
        match = [r for r in rows if r.seq == seq]
        if not match or match[0].entry_hash != digest:
            problems.append(t("verify.anchor_differs", seq=seq, digest=digest[:16]))
        elif rows and rows[-1].seq < seq:
            problems.append(t("verify.anchor_short", last=rows[-1].seq, seq=seq))
    return ChainReport(entries=len(rows), seal=merkle_root([r.entry_hash for r in rows]), problems=problems)


def holders(session: Session, case: Case) -> dict[int, str]:
    """Who holds each evidence item now, read from the ledger: the acquirer, then each receiver."""
    held: dict[int, str] = {}
    for row in entries(session, case):
        if row.action == "acquired":
            for item in row.evidence_ids:
                held[int(item)] = row.actor
        elif row.action == "transferred" and row.details.get("to"):
            for item in row.evidence_ids:
                held[int(item)] = str(row.details["to"])
    return held


def transfer(
    session: Session, case: Case, evidence_ids: Sequence[int], src: str, dst: str, reason: str = ""
) -> CustodyEntry:
    """Hand items from ``src`` to ``dst``; only the officer who holds an item may hand it over."""
    held = holders(session, case)
    for item in evidence_ids:
        holder = held.get(int(item))
        if holder is not None and holder != src:
            raise TergeuError(f"#{item}", key="error.not_holder", item=f"#{item}", holder=holder, src=src)
    return append(session, case, src, "transferred", evidence_ids, {"from": src, "to": dst, "reason": reason})
