"""Top-level commands ``tergeu protocol CASE`` and ``tergeu collect linux ROOT``."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import typer

from tergeu import settings
from tergeu.console import console, new_app
from tergeu.db import session_scope
from tergeu.i18n import t

collect_app = new_app(help="Collect facts about a seized system for the protocol.")


def _officer(by: str | None) -> str:
    return str(by or settings.get("officer") or os.environ.get("USER") or "officer")


@collect_app.command("linux")
def collect_linux_cmd(
    root: Path = typer.Argument(
        ..., help="A Linux system folder or mounted image (with etc/, var/log, home/)."
    ),
    case: str = typer.Option(None, "--case", help="Store the profile with this case (used by the protocol)."),
    as_json: bool = typer.Option(False, "--json", help="Print the profile as JSON."),
    by: str = typer.Option(None, "--by"),
) -> None:
    """Device, OS, users, network configuration, packages and shell histories of a Linux root."""
    from tergeu.timeline.collect import collect_linux

    prof = collect_linux(root).to_dict()
    if case:
        from tergeu.cases import get_case
        from tergeu.timeline.protocol import store_profile

        with session_scope() as s:
            store_profile(s, get_case(s, case), prof, _officer(by))
    if as_json:
        sys.stdout.write(json.dumps(prof, ensure_ascii=False, indent=1) + "\n")
        return
    console.print(
        t(
            "timeline.p.collected",
            root=root,
            host=prof["hostname"] or "?",
            os=prof["os_name"] or "?",
            users=len(prof["users"]),
            packages=len(prof["packages"]),
            histories=len(prof["histories"]),
        )
    )


def protocol_cmd(
    case: str = typer.Argument(..., help="Case number."),
    evidence: str = typer.Argument(None, help="Only this evidence item (id or SHA-256 prefix)."),
    lang: str = typer.Option(None, "--lang", help="kk, ru or en (TERGEU_LANG)."),
    out: Path = typer.Option(Path("."), "--out", help="Output folder."),
    by: str = typer.Option(None, "--by", help="Examiner named in the protocol and the ledger."),
) -> None:
    """Write the digital-trace examination protocol (DOCX and PDF)."""
    from tergeu.cases import get_case
    from tergeu.timeline.protocol import write_protocol

    language = lang or str(settings.get("lang"))
    if language not in ("kk", "ru", "en"):
        raise typer.BadParameter("--lang must be kk, ru or en")
    with session_scope() as s:
        paths = write_protocol(s, get_case(s, case), language, out, evidence, _officer(by))
    for p in paths:
        console.print(t("timeline.p.written", language, path=p))


def register(app: typer.Typer) -> None:
    app.command("protocol")(protocol_cmd)
    app.add_typer(collect_app, name="collect")
