"""Preservation requests to foreign providers, item by item after Budapest Convention art. 29(2).

Each of the six items (a)–(f) is a numbered section, so the addressee — and a court reviewing the
later mutual-assistance request — can check completeness at a glance. The data to preserve are the
case's identifiers whose enrichment names the provider as the holder (``attrs["holder"]``), each with
what to keep for its kind and the evidence it was found in. Kazakhstan is not a Party, so the text
also stands as an annex to a request for mutual legal assistance. Rendered through
:mod:`tergeu.documents` (DOCX and PDF, Kazakh letters embedded).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tergeu.db import Case, EventRow
from tergeu.documents import Document, write
from tergeu.errors import InputError
from tergeu.exchange.casedata import CaseData, IdentifierView, load
from tergeu.i18n import t

DATA_KIND = {
    "phone": "phone",
    "ipv4": "ip",
    "ipv6": "ip",
    "domain": "web",
    "url": "web",
    "email": "email",
    "card": "account",
    "iban": "account",
    "btc": "wallet",
    "eth": "wallet",
    "tron": "wallet",
    "telegram": "messenger",
}


def select_identifiers(data: CaseData, provider: str, include_all: bool = False) -> list[IdentifierView]:
    """Identifiers held by ``provider`` (holder name contains it, case-insensitive), or all shareable."""
    shareable = [v for v in data.identifiers if v.shareable]
    if include_all:
        return shareable
    want = provider.casefold().strip()
    return [v for v in shareable if v.holder and (want in v.holder.casefold() or v.holder.casefold() in want)]


def _period(session: Session, data: CaseData) -> tuple[datetime | None, datetime | None]:
    times: list[datetime] = []
    lo, hi = session.execute(
        select(func.min(EventRow.ts), func.max(EventRow.ts)).where(EventRow.case_id == data.case.id)
    ).one()
    times += [x for x in (lo, hi) if x is not None]
    for f in data.findings:
        times += [x for x in (f.start, f.end) if x is not None]
    times = [x if x.tzinfo else x.replace(tzinfo=UTC) for x in times]
    return (min(times), max(times)) if times else (None, None)


def build(
    session: Session,
    case: Case,
    provider: str,
    country: str,
    lang: str,
    officer: str,
    include_all: bool = False,
) -> Document:
    data = load(session, case)
    chosen = select_identifiers(data, provider, include_all)
    if not chosen:
        holders = sorted({v.holder for v in data.identifiers if v.holder}) or ["—"]
        raise InputError(
            t("exchange.pres.none", lang, case=case.number, provider=provider, holders=", ".join(holders))
        )
    today = datetime.now(UTC).date().isoformat()
    doc = Document(
        title=t("exchange.pres.title", lang),
        lang=lang,
        subtitle=t("exchange.pres.to", lang, provider=provider, country=country.upper())
        + "\n"
        + t("exchange.pres.ref", lang, case=case.number, erdr=case.erdr_number or "—", date=today),
        footer=f"{case.number} — Budapest Convention art. 29(2)(a)–(f)",
    )
    doc.paragraph(t("exchange.pres.intro", lang, provider=provider))
    doc.paragraph(t("exchange.pres.not_party", lang))

    doc.heading(t("exchange.pres.a", lang))
    doc.keyvalues(
        [
            (t("exchange.pres.authority", lang), data.unit),
            (t("exchange.pres.officer", lang), officer),
            (t("exchange.pres.contact", lang), t("exchange.pres.contact_fill", lang)),
            (
                t("exchange.pres.case", lang),
                case.number + (f" / ERDR {case.erdr_number}" if case.erdr_number else ""),
            ),
        ]
    )

    doc.heading(t("exchange.pres.b", lang))
    start, end = _period(session, data)
    articles = [f"{a} — {t(f'exchange.article.{_base(a)}', lang)}" for a in case.articles] or ["—"]
    rows = [(t("exchange.pres.articles", lang), "; ".join(articles))]
    if case.method:
        rows.append(
            (t("exchange.pres.method", lang), case.method + (f" / {case.channel}" if case.channel else ""))
        )
    if start:
        rows.append((t("exchange.pres.period", lang), f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"))
    if case.loss_kzt:
        rows.append((t("exchange.pres.loss", lang), f"{case.loss_kzt:,.0f} KZT".replace(",", " ")))
    doc.keyvalues(rows)
    doc.paragraph(f"{t('exchange.pres.facts', lang)}: {case.description or case.title}")

    doc.heading(t("exchange.pres.c", lang))
    table_rows = []
    for v in chosen:
        where = []
        for _eid, name, offset, record in v.refs[:3]:
            loc = f", offset {offset}" if offset is not None else (f", record {record}" if record else "")
            where.append(t("exchange.pres.relation", lang, evidence=name or "—", where=loc))
        table_rows.append(
            [
                t(f"exchange.idtype.{v.type}", lang),
                v.shown,
                t(f"exchange.pres.data.{DATA_KIND.get(v.type, 'other')}", lang),
                "; ".join(where),
            ]
        )
    doc.table(
        [t(f"exchange.pres.col_{c}", lang) for c in ("type", "value", "data", "relation")],
        table_rows,
        widths=[1.0, 1.6, 2.2, 1.8],
    )
    if start:
        doc.paragraph(
            t("exchange.pres.window", lang, start=f"{start:%Y-%m-%d %H:%M}", end=f"{end:%Y-%m-%d %H:%M}")
        )

    doc.heading(t("exchange.pres.d", lang))
    custodians = sorted({(v.holder or t("exchange.pres.unknown", lang), v.country or "—") for v in chosen})
    doc.keyvalues(
        [
            (t("exchange.pres.custodian", lang), provider),
            (t("exchange.pres.country", lang), country.upper()),
            (t("exchange.pres.holders", lang), "; ".join(f"{h} ({c})" for h, c in custodians)),
        ]
    )

    doc.heading(t("exchange.pres.e", lang))
    doc.paragraph(t("exchange.pres.necessity", lang))

    doc.heading(t("exchange.pres.f", lang))
    doc.paragraph(t("exchange.pres.mla", lang))
    doc.paragraph(t("exchange.pres.annex", lang))
    doc.paragraph(t("exchange.pres.signature", lang, officer=officer, date=today))
    return doc


def _base(article: str) -> str:
    return str(article).strip().split(".")[0].split("-")[0]


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40] or "provider"


def write_request(
    session: Session,
    case: Case,
    provider: str,
    country: str,
    lang: str,
    out_dir: Path,
    officer: str,
    include_all: bool = False,
) -> list[Path]:
    """Write the request as DOCX and PDF into ``out_dir``; returns both paths."""
    if not re.fullmatch(r"[A-Za-z]{2}", country):
        raise InputError(f"country {country!r} must be a two-letter ISO 3166 code, e.g. DE, US, AE")
    doc = build(session, case, provider, country, lang, officer, include_all)
    stem = f"preservation_{case.number}_{slug(provider)}_{lang}"
    return [write(doc, out_dir / f"{stem}.docx"), write(doc, out_dir / f"{stem}.pdf")]
