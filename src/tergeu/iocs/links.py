"""Cross-case linking: which other cases share phones, cards, IBANs, wallets, IPs or domains.

Serial offenders reuse the same mule cards, SIM cards and wallets across many victims; an index of
identifiers per case (the ``identifiers`` table) turns that reuse into leads.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from tergeu.db import Case, IdentifierRow
from tergeu.iocs.mask import mask_card

LINK_TYPES = (
    "phone",
    "card",
    "iban",
    "btc",
    "eth",
    "tron",
    "ipv4",
    "ipv6",
    "domain",
    "email",
    "telegram",
    "url",
)
# Addresses and domains everyone shares are not leads.
_IGNORE_CLASSES = {"private", "loopback", "link-local", "multicast", "reserved", "cgnat"}


@dataclass
class SharedIdentifier:
    type: str
    normalized: str
    display: str
    here: int
    there: int


@dataclass
class LinkedCase:
    """Another case sharing identifiers with the one asked about."""

    number: str
    title: str
    shared: list[SharedIdentifier] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for s in self.shared:
            out[s.type] += 1
        return dict(out)


def display(kind: str, normalized: str) -> str:
    """How an identifier is shown in reports (cards always masked)."""
    return mask_card(normalized) if kind == "card" else normalized


def _linkable(row: IdentifierRow) -> bool:
    if not row.valid or row.type not in LINK_TYPES:
        return False
    attrs = row.attrs or {}
    if attrs.get("class") in _IGNORE_CLASSES:
        return False
    return not (row.type == "domain" and attrs.get("platform"))


def linked_cases(session: Session, case: Case) -> list[LinkedCase]:
    """Other cases sharing identifiers with ``case``, most shared first."""
    mine: dict[tuple[str, str], int] = defaultdict(int)
    for row in session.scalars(select(IdentifierRow).where(IdentifierRow.case_id == case.id)):
        if _linkable(row):
            mine[(row.type, row.normalized)] += 1
    if not mine:
        return []
    by_type: dict[str, list[str]] = defaultdict(list)
    for kind, norm in mine:
        by_type[kind].append(norm)
    hits: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for kind, values in by_type.items():
        for i in range(0, len(values), 500):
            chunk = values[i : i + 500]
            q = select(IdentifierRow.case_id, IdentifierRow.normalized).where(
                IdentifierRow.type == kind,
                IdentifierRow.normalized.in_(chunk),
                IdentifierRow.case_id != case.id,
                IdentifierRow.valid.is_(True),
            )
            for cid, norm in session.execute(q):
                hits[cid][(kind, norm)] += 1
    out: list[LinkedCase] = []
    for cid, shared in hits.items():
        other = session.get(Case, cid)
        if other is None:
            continue
        lc = LinkedCase(other.number, other.title)
        for (kind, norm), n in sorted(shared.items()):
            lc.shared.append(SharedIdentifier(kind, norm, display(kind, norm), mine[(kind, norm)], n))
        out.append(lc)
    out.sort(key=lambda c: (-len(c.shared), c.number))
    return out
