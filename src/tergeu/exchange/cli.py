"""Commands of the exchange area: ``tergeu export``, ``import``, ``taxii`` and ``request``.

Thin wrappers: the work is in :mod:`tergeu.exchange.stix`, ``misp``, ``taxii``, ``matching`` and
``preservation``. Every command that touches a case records it in the custody ledger.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import typer

from tergeu.console import console, err_console, new_app
from tergeu.db import session_scope
from tergeu.i18n import t

export_app = new_app(help="Export a case for partners: STIX 2.1 or MISP event JSON.")
import_app = new_app(help="Import partners' indicators (STIX 2.1, MISP) and match them against every case.")
taxii_app = new_app(help="Push a case to, or pull indicators from, a TAXII 2.1 collection.")
request_app = new_app(help="Draft requests to foreign providers (preservation, Budapest Convention art. 29).")

TLP_HELP = "TLP marking: clear, green, amber or red."


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _record_export(case_ref: str, fmt: str, out: Path, tlp: str, by: str | None) -> None:
    from tergeu import custody
    from tergeu.cases import get_case
    from tergeu.exchange.casedata import officer

    with session_scope() as s:
        case = get_case(s, case_ref)
        custody.append(
            s,
            case,
            officer(by),
            "exported",
            [],
            {"format": fmt, "file": out.name, "sha256": _sha256(out), "tlp": tlp},
        )


@export_app.command("stix")
def export_stix(
    case: str,
    out: Path = typer.Option(..., "--out", help="Bundle file to write (.json)."),
    tlp: str = typer.Option("amber", "--tlp", help=TLP_HELP),
    by: str = typer.Option(None, "--by", help="Officer recorded in the custody ledger."),
) -> None:
    """Write the case as a STIX 2.1 bundle (identity, report, incident, indicators, observed-data)."""
    from tergeu.cases import get_case
    from tergeu.exchange.stix import export_case, tlp_marking

    tlp_marking(tlp)
    with session_scope() as s:
        path = export_case(s, get_case(s, case), out, tlp)
    _record_export(case, "stix-2.1", path, tlp, by)
    console.print(t("exchange.exported", fmt="STIX 2.1", out=path, sha=_sha256(path)))


@export_app.command("misp")
def export_misp(
    case: str,
    out: Path = typer.Option(..., "--out", help="MISP event file to write (.json)."),
    tlp: str = typer.Option("amber", "--tlp", help=TLP_HELP),
    by: str = typer.Option(None, "--by", help="Officer recorded in the custody ledger."),
) -> None:
    """Write the case as a MISP event (attributes, objects, tags, TLP) for import into MISP."""
    from tergeu.cases import get_case
    from tergeu.exchange.misp import export_case
    from tergeu.exchange.stix import tlp_marking

    tlp_marking(tlp)
    with session_scope() as s:
        path = export_case(s, get_case(s, case), out, tlp)
    _record_export(case, "misp-json", path, tlp, by)
    console.print(t("exchange.exported", fmt="MISP", out=path, sha=_sha256(path)))


def _print_match(result: object) -> None:
    from tergeu.exchange.matching import MatchResult

    assert isinstance(result, MatchResult)
    for w in result.warnings:
        err_console.print(f"[yellow]![/] {w.path}: {w.message}", soft_wrap=True)
    console.print(
        t("exchange.import_done", indicators=result.indicators, hits=result.total, cases=len(result.hits))
    )
    for number, n in result.hits.items():
        console.print(f"  {number}: {n}")


@import_app.command("stix")
def import_stix(
    file: Path = typer.Argument(..., help="STIX 2.x bundle (JSON)."),
    by: str = typer.Option(None, "--by", help="Officer recorded in the custody ledger."),
) -> None:
    """Match a partner's STIX indicators against every case; hits become findings (analyzer exchange)."""
    from tergeu.exchange.casedata import officer
    from tergeu.exchange.matching import from_stix, match
    from tergeu.exchange.stix import read_bundle

    indicators, warnings = from_stix(read_bundle(file), file.name)
    with session_scope() as s:
        result = match(s, indicators, "stix-indicator", officer(by))
    result.warnings = warnings
    _print_match(result)


@import_app.command("misp")
def import_misp(
    file: Path = typer.Argument(..., help="MISP event JSON."),
    by: str = typer.Option(None, "--by", help="Officer recorded in the custody ledger."),
) -> None:
    """Match a partner's MISP attributes against every case; hits become findings (analyzer exchange)."""
    from tergeu.exchange.casedata import officer
    from tergeu.exchange.matching import match
    from tergeu.exchange.misp import indicators_from_file

    indicators, warnings = indicators_from_file(file)
    with session_scope() as s:
        result = match(s, indicators, "misp-attribute", officer(by))
    result.warnings = warnings
    _print_match(result)


@taxii_app.command("push")
def taxii_push(
    case: str,
    server: str = typer.Option(..., "--server", help="TAXII 2.1 discovery URL (…/taxii2/) or API root URL."),
    collection_id: str = typer.Option(..., "--collection", help="Collection id."),
    tlp: str = typer.Option("amber", "--tlp", help=TLP_HELP),
    user: str = typer.Option(None, "--user", help="User name (default TERGEU_TAXII_USER)."),
    by: str = typer.Option(None, "--by", help="Officer recorded in the custody ledger."),
) -> None:
    """Send the case's STIX 2.1 bundle to a TAXII collection."""
    from tergeu import custody
    from tergeu.cases import get_case
    from tergeu.exchange.casedata import load, officer
    from tergeu.exchange.stix import build_bundle, tlp_marking
    from tergeu.exchange.taxii import collection, push

    tlp_marking(tlp)
    with session_scope() as s:
        c = get_case(s, case)
        bundle = build_bundle(load(s, c), tlp).serialize()
    result = push(collection(server, collection_id, user), bundle)
    with session_scope() as s:
        custody.append(
            s,
            get_case(s, case),
            officer(by),
            "exported",
            [],
            {
                "format": "taxii-2.1",
                "server": server,
                "collection": collection_id,
                "tlp": tlp,
                "sha256": hashlib.sha256(bundle.encode()).hexdigest(),
                "objects": result.total,
            },
        )
    console.print(
        t(
            "exchange.taxii_pushed",
            status=result.status,
            success=result.success,
            total=result.total,
            failure=result.failure,
        )
    )


@taxii_app.command("pull")
def taxii_pull(
    server: str = typer.Option(..., "--server", help="TAXII 2.1 discovery URL (…/taxii2/) or API root URL."),
    collection_id: str = typer.Option(..., "--collection", help="Collection id."),
    added_after: str = typer.Option(
        None, "--added-after", help="Only objects added after this time (RFC 3339)."
    ),
    user: str = typer.Option(None, "--user", help="User name (default TERGEU_TAXII_USER)."),
    save: Path = typer.Option(None, "--save", help="Also keep the pulled objects as a bundle file."),
    by: str = typer.Option(None, "--by", help="Officer recorded in the custody ledger."),
) -> None:
    """Fetch a TAXII collection and match its indicators against every case."""
    import json

    from tergeu.exchange.casedata import officer
    from tergeu.exchange.matching import from_stix, match
    from tergeu.exchange.taxii import collection, pull

    objects = pull(collection(server, collection_id, user), added_after)
    console.print(t("exchange.taxii_pulled", n=len(objects)))
    if save:
        save.parent.mkdir(parents=True, exist_ok=True)
        save.write_text(
            json.dumps(
                {
                    "type": "bundle",
                    "id": "bundle--" + __import__("uuid").uuid4().__str__(),
                    "objects": objects,
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    indicators, warnings = from_stix(objects, f"taxii:{server}#{collection_id}")
    with session_scope() as s:
        result = match(s, indicators, "taxii-indicator", officer(by))
    result.warnings = warnings
    _print_match(result)


@request_app.command("preservation")
def request_preservation(
    case: str,
    provider: str = typer.Option(
        ..., "--provider", help="Provider holding the data, e.g. 'Telegram Messenger Inc.'."
    ),
    country: str = typer.Option(..., "--country", help="Provider's country, ISO 3166 two-letter code."),
    lang: str = typer.Option("en", "--lang", help="Language of the request: kk, ru or en."),
    out: Path = typer.Option(Path("."), "--out", help="Folder for the DOCX and PDF."),
    include_all: bool = typer.Option(
        False, "--all", help="List every shareable identifier, not only the provider's."
    ),
    by: str = typer.Option(None, "--by", help="Officer signing the request."),
) -> None:
    """Draft a preservation request (Budapest Convention art. 29(2) a–f) as DOCX and PDF."""
    from tergeu import custody
    from tergeu.cases import get_case
    from tergeu.exchange.casedata import officer
    from tergeu.exchange.preservation import write_request
    from tergeu.i18n import current_lang

    lg = current_lang(lang)
    who = officer(by)
    with session_scope() as s:
        c = get_case(s, case)
        paths = write_request(s, c, provider, country, lg, out, who, include_all)
        custody.append(
            s,
            c,
            who,
            "exported",
            [],
            {
                "document": "preservation-request",
                "provider": provider,
                "country": country.upper(),
                "files": {p.name: _sha256(p) for p in paths},
            },
        )
    console.print(t("exchange.pres.written", lg, files=", ".join(str(p) for p in paths)))
