"""The case report: what a prosecutor, a court or a partner agency reads about a case.

Summary, qualification, method, evidence with hashes, a timeline excerpt, findings with their
evidence references, identifiers (cards masked), linked cases, the custody verification result with
the seal, and charts. The case is verified (every item re-hashed, chain and signatures re-checked)
while the report is built, so the seal printed is the one that was just checked, not a stored claim.
Rendered through :mod:`tergeu.documents`: HTML self-contained, PDF with Kazakh letters embedded.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tergeu.cases import status_label
from tergeu.db import Case
from tergeu.documents import Document, write
from tergeu.exchange.casedata import events, load
from tergeu.i18n import t
from tergeu.verify import verify_case

FORMATS = ("html", "pdf", "docx")


def _ref_text(refs: list[dict[str, Any]], names: dict[int, str]) -> str:
    parts = []
    for r in refs[:3]:
        eid = r.get("evidence_id")
        label = f"#{eid} {names.get(eid, r.get('path', ''))}" if eid else str(r.get("path", ""))
        if r.get("offset") is not None:
            label += f" @{r['offset']}"
        elif r.get("record"):
            label += f" rec {r['record']}"
        parts.append(label.strip())
    if len(refs) > 3:
        parts.append(f"+{len(refs) - 3}")
    return "; ".join(parts) or "—"


def _when(value: datetime | None) -> str:
    return f"{value.astimezone(UTC):%Y-%m-%d %H:%M:%S}" if value else "—"


def build(
    session: Session,
    case: Case,
    lang: str,
    chart_dir: Path,
    timeline_limit: int = 40,
    on_bytes: Callable[[int], None] | None = None,
) -> Document:
    data = load(session, case)
    names = {i: e.name for i, e in data.evidence.items()}
    n_events, excerpt = events(session, case, timeline_limit)
    now = datetime.now(UTC)
    doc = Document(
        title=t("exchange.rep.title", lang, case=case.number),
        lang=lang,
        subtitle=f"{case.title}\n{t('exchange.rep.generated', lang, date=f'{now:%Y-%m-%d %H:%M}')}",
        footer=f"{case.number} — {data.unit}",
    )
    no = t("exchange.rep.none", lang)

    doc.heading(t("exchange.rep.summary", lang))
    doc.keyvalues(
        [
            (
                t("exchange.pres.case", lang),
                case.number + (f" / ERDR {case.erdr_number}" if case.erdr_number else ""),
            ),
            (t("exchange.rep.title_f", lang), case.title),
            (t("exchange.rep.status", lang), status_label(case.status, lang)),
            (t("exchange.rep.unit", lang), data.unit),
            (t("exchange.rep.created", lang), _when(case.created_at)),
            (t("exchange.rep.region", lang), case.region or "—"),
            (t("exchange.rep.loss", lang), f"{case.loss_kzt:,.0f}".replace(",", " ")),
            (
                t("exchange.rep.counts", lang),
                f"{len(data.evidence)} / {len(data.all_findings)} / {len(data.identifiers)} / {n_events}",
            ),
        ]
    )
    if case.description:
        doc.paragraph(f"{t('exchange.rep.description', lang)}: {case.description}")

    doc.heading(t("exchange.rep.qualification", lang))
    arts = [
        f"{t('exchange.stats.art_short', lang, article=a)} — {t(f'exchange.article.{_base(a)}', lang)}"
        for a in case.articles
    ]
    doc.bullets(arts) if arts else doc.paragraph(no)

    doc.heading(t("exchange.rep.method", lang))
    if case.method or case.channel:
        method = t(f"exchange.method.{case.method}", lang) if case.method else "—"
        if method.startswith("exchange.method."):
            method = case.method
        doc.keyvalues(
            [
                (t("exchange.pres.method", lang), method),
                (t("exchange.rep.channel", lang), case.channel or "—"),
            ]
        )
    else:
        doc.paragraph(no)

    doc.heading(t("exchange.rep.evidence", lang))
    if data.evidence:
        doc.table(
            ["#", t("exchange.rep.col_name", lang), t("exchange.rep.col_size", lang), "SHA-256 / MD5"],
            [
                [str(e.id), e.name, f"{e.size:,}".replace(",", " "), f"{e.sha256}\n{e.md5}"]
                for e in data.evidence.values()
            ],
            widths=[0.4, 1.6, 0.9, 4.0],
        )
    else:
        doc.paragraph(no)

    doc.heading(t("exchange.rep.timeline", lang, shown=len(excerpt), total=n_events))
    if excerpt:
        doc.table(
            [t(f"exchange.rep.col_{c}", lang) for c in ("time", "source", "message", "ref")],
            [
                [
                    _when(e.ts),
                    f"{e.source}/{e.event_type}",
                    e.message[:200],
                    _ref_text(
                        [{"evidence_id": e.evidence_id, "offset": e.offset, "record": e.record}], names
                    ),
                ]
                for e in excerpt
            ],
            widths=[1.4, 1.0, 3.2, 1.4],
        )
    else:
        doc.paragraph(no)

    doc.heading(t("exchange.rep.findings", lang))
    if data.all_findings:
        doc.table(
            [
                t(f"exchange.rep.col_{c}", lang)
                for c in ("kind", "analyzer", "score", "summary", "time", "ref")
            ],
            [
                [
                    f.kind,
                    f.analyzer,
                    f"{f.score:.2f}",
                    f.summary[:300],
                    _when(f.start),
                    _ref_text(list(f.refs or []), names),
                ]
                for f in data.all_findings
            ],
            widths=[1.0, 0.9, 0.6, 2.6, 1.2, 1.3],
        )
    else:
        doc.paragraph(no)

    doc.heading(t("exchange.rep.identifiers", lang))
    if data.identifiers:
        doc.table(
            [
                t("exchange.pres.col_type", lang),
                t("exchange.pres.col_value", lang),
                t("exchange.rep.col_holder", lang),
                t("exchange.rep.col_country", lang),
                t("exchange.rep.col_seen", lang),
            ],
            [
                [
                    t(f"exchange.idtype.{v.type}", lang)
                    if not t(f"exchange.idtype.{v.type}", lang).startswith("exchange.")
                    else v.type,
                    v.shown,
                    v.holder or "—",
                    v.country or "—",
                    _ref_text(
                        [{"evidence_id": r[0], "path": r[1], "offset": r[2], "record": r[3]} for r in v.refs],
                        names,
                    ),
                ]
                for v in data.identifiers
            ],
            widths=[1.2, 2.2, 1.4, 0.6, 1.6],
        )
    else:
        doc.paragraph(no)

    doc.heading(t("exchange.rep.linked", lang))
    if data.linked:
        doc.table(
            [t("exchange.rep.col_case", lang), t("exchange.rep.col_shared", lang)],
            [
                [number, "; ".join(f"{ty}: {val}" for ty, val in shared)]
                for number, shared in data.linked.items()
            ],
            widths=[1.2, 4.0],
        )
    else:
        doc.paragraph(no)

    doc.heading(t("exchange.rep.custody", lang))
    report = verify_case(session, case, on_bytes)
    if report.ok:
        doc.paragraph(t("exchange.rep.verify_ok", lang, items=report.items, entries=report.entries))
    else:
        doc.paragraph(t("exchange.rep.verify_failed", lang, n=len(report.problems)))
        doc.bullets(report.problems)
    doc.keyvalues(
        [(t("exchange.rep.seal", lang), report.seal), (t("exchange.rep.entries", lang), str(report.entries))]
    )
    doc.mono(f"Merkle root: {report.seal}")
    doc.paragraph(t("exchange.rep.seal_note", lang))

    charts = _charts(data, lang, chart_dir)
    if charts:
        doc.heading(t("exchange.rep.charts", lang))
        for path, caption in charts:
            doc.image(path, caption)
    return doc


def _charts(data: Any, lang: str, out: Path) -> list[tuple[Path, str]]:
    from tergeu.stats.charts import counter_chart

    result = []
    kinds = Counter(f.kind for f in data.all_findings)
    if kinds:
        title = t("exchange.rep.chart_findings", lang)
        result.append((counter_chart(dict(kinds), title, out, f"findings_{lang}")[0], title))
    types = Counter(t(f"exchange.idtype.{v.type}", lang) for v in data.identifiers)
    if types:
        title = t("exchange.rep.chart_identifiers", lang)
        result.append((counter_chart(dict(types), title, out, f"identifiers_{lang}")[0], title))
    return result


def _base(article: str) -> str:
    return str(article).strip().split(".")[0].split("-")[0]


def write_report(
    session: Session,
    case: Case,
    lang: str,
    fmt: str,
    out: Path,
    on_bytes: Callable[[int], None] | None = None,
) -> Path:
    """Build and render the report; chart images live in a temporary folder (inlined or embedded)."""
    with tempfile.TemporaryDirectory(prefix="tergeu-report-") as tmp:
        doc = build(session, case, lang, Path(tmp), on_bytes=on_bytes)
        return write(doc, out, fmt)  # type: ignore[arg-type]
