"""``tergeu iocs extract`` and ``tergeu links``: thin commands over :mod:`tergeu.iocs`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from tergeu.console import console, err_console, new_app
from tergeu.i18n import t

app = new_app(help="Identifiers (phones, cards, IBANs, wallets, IPs, domains): extract, trace, link.")


def _officer(by: str | None) -> str:
    import os

    from tergeu import settings

    return str(by or settings.get("officer") or os.environ.get("USER") or "officer")


@app.command("extract")
def extract_cmd(
    files: list[Path] = typer.Argument(
        None, help="Files to read (chat exports, SMS XML, e-mail, text, CSV/JSONL)."
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per identifier (JSON Lines)."),
    case: str = typer.Option(
        None, "--case", help="Index the identifiers in this case (all its evidence when no FILE)."
    ),
    by: str = typer.Option(None, "--by", help="Officer recorded in the custody ledger."),
) -> None:
    """Find validated identifiers with location and offline tracing (cards always masked)."""
    from tergeu.iocs.store import FileIdentifiers, extract_file, identifier_json

    results: list[FileIdentifiers] = []
    evidence_ids: list[int] = []
    if case:
        from tergeu import custody
        from tergeu.cases import get_case
        from tergeu.db import session_scope
        from tergeu.evidence import stored_path
        from tergeu.iocs.store import ANALYZER, clear_identifiers
        from tergeu.results import save_identifiers, save_warnings

        with session_scope() as s:
            c = get_case(s, case)
            if files:
                results = [extract_file(p) for p in files]
            else:
                for item in c.evidence:
                    results.append(extract_file(stored_path(item), item.id, item.original_path))
                    evidence_ids.append(item.id)
            clear_identifiers(s, c)
            n = sum(save_identifiers(s, c, r.identifiers) for r in results)
            save_warnings(s, c, ANALYZER, [w for r in results for w in r.warnings])
            custody.append(
                s, c, _officer(by), "analysed", evidence_ids, {"analyzer": ANALYZER, "identifiers": n}
            )
    else:
        if not files:
            raise typer.BadParameter(t("iocs.need_input"))
        from tergeu.console import count_progress

        with count_progress(t("iocs.title"), len(files)) as advance:
            for p in files:
                results.append(extract_file(p))
                advance()
    for r in results:
        for w in r.warnings:
            err_console.print(
                f"[yellow]![/] {w.path}: {w.message}" + (f" @ {w.offset}" if w.offset is not None else "")
            )
    if as_json:
        for r in results:
            for i in r.identifiers:
                print(json.dumps(identifier_json(i), ensure_ascii=False, default=str))
        return
    table = Table(title=t("iocs.title"))
    for col in ("iocs.col_type", "iocs.col_value", "iocs.col_where", "iocs.col_country", "iocs.col_holder"):
        table.add_column(t(col))
    total = 0
    for r in results:
        for i in r.identifiers:
            j = identifier_json(i)
            where = f"{Path(i.ref.path).name}:{i.ref.record or i.ref.offset}"
            table.add_row(
                i.type, j["value"], where, str(i.attrs.get("country") or "—"), str(i.attrs.get("holder", ""))
            )
            total += 1
    console.print(table)
    console.print(t("iocs.summary", n=total, files=len(results)))


def register(root: typer.Typer) -> None:
    """Adds the top-level ``tergeu links CASE`` command."""

    @root.command("links")
    def links_cmd(
        case: str = typer.Argument(..., help="Case number or id."),
        as_json: bool = typer.Option(False, "--json", help="JSON output."),
    ) -> None:
        """Other cases sharing phones, cards, IBANs, wallets, IPs or domains with CASE."""
        from tergeu.cases import get_case
        from tergeu.db import session_scope
        from tergeu.iocs.links import linked_cases

        with session_scope() as s:
            c = get_case(s, case)
            links = linked_cases(s, c)
            if as_json:
                doc = [
                    {
                        "case": lc.number,
                        "title": lc.title,
                        "counts": lc.counts,
                        "shared": [
                            {"type": x.type, "value": x.display, "here": x.here, "there": x.there}
                            for x in lc.shared
                        ],
                    }
                    for lc in links
                ]
                print(json.dumps(doc, ensure_ascii=False, indent=2))
                return
            if not links:
                console.print(t("iocs.no_links", case=c.number))
                return
            table = Table(title=t("iocs.links_title", case=c.number))
            for col in ("iocs.col_case", "iocs.col_counts", "iocs.col_shared"):
                table.add_column(t(col))
            for lc in links:
                counts = ", ".join(f"{k}: {v}" for k, v in sorted(lc.counts.items()))
                shared = "; ".join(f"{x.type} {x.display}" for x in lc.shared[:10])
                table.add_row(f"{lc.number} — {lc.title}", counts, shared)
            console.print(table)
