"""``tergeu report CASE``: the case report as HTML, PDF or DOCX in kk, ru or en."""

from __future__ import annotations

import hashlib
from pathlib import Path

import typer

from tergeu.console import byte_progress, console
from tergeu.db import session_scope
from tergeu.i18n import current_lang, t


def report(
    case: str,
    lang: str = typer.Option(None, "--lang", help="kk, ru or en (default TERGEU_LANG)."),
    fmt: str = typer.Option("html", "--format", help="html, pdf or docx."),
    out: Path = typer.Option(..., "--out", help="File to write."),
    by: str = typer.Option(None, "--by", help="Officer recorded in the custody ledger."),
) -> None:
    """Write the case report: summary, qualification, findings, identifiers, custody seal, charts."""
    from tergeu import custody
    from tergeu.cases import get_case
    from tergeu.errors import InputError
    from tergeu.exchange.casedata import officer
    from tergeu.reports.case_report import FORMATS, write_report

    lg = current_lang(lang)
    if fmt not in FORMATS:
        raise InputError(t("exchange.rep.bad_format", lg, fmt=fmt), path=out)
    with session_scope() as s:
        c = get_case(s, case)
        with byte_progress(t("cli.verifying", lg), sum(i.size for i in c.evidence)) as advance:
            path = write_report(s, c, lg, fmt, out, advance)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        custody.append(
            s,
            c,
            officer(by),
            "exported",
            [],
            {"document": "case-report", "format": fmt, "lang": lg, "file": path.name, "sha256": sha},
        )
    console.print(t("exchange.rep.written", lg, out=path, sha=sha))


def register(app: typer.Typer) -> None:
    app.command("report")(report)
