"""The ``tergeu`` command line: a thin layer over the library modules.

Core commands live here; every other area contributes a Typer app through the ``tergeu.commands``
entry-point group (built-ins exactly like third-party plugins), mounted under its entry-point name.
"""

from __future__ import annotations

import os
import time
from importlib.metadata import entry_points
from pathlib import Path

import typer
from rich.table import Table

from tergeu import __version__, settings
from tergeu.console import byte_progress, console, err_console, new_app
from tergeu.db import session_scope
from tergeu.errors import IntegrityFailure
from tergeu.i18n import t

app = new_app(help="Tergeu — detect and investigate cyberattacks (kk/ru/en).")
case_app = new_app(help="Create and list cases.")
evidence_app = new_app(help="Add evidence to a case (hashes, store, custody).")
keys_app = new_app(help="Officer signing keys.")
custody_app = new_app(help="The custody ledger of a case.")
config_app = new_app(help="Settings (environment variables TERGEU_*).")
app.add_typer(case_app, name="case")
app.add_typer(evidence_app, name="evidence")
app.add_typer(keys_app, name="keys")
app.add_typer(custody_app, name="custody")
app.add_typer(config_app, name="config")


def _version(value: bool) -> None:
    if value:
        console.print(f"tergeu {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    lang: str = typer.Option(None, "--lang", help="Language of messages: kk, ru or en (TERGEU_LANG)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True),
) -> None:
    if lang:
        os.environ["TERGEU_LANG"] = lang
    settings.validate_all()


def _officer(by: str | None) -> str:
    officer = by or settings.get("officer") or os.environ.get("USER") or "officer"
    return str(officer)


@case_app.command("new")
def case_new(
    title: str,
    article: list[str] = typer.Option([], "--article", "-a", help="Criminal Code article, e.g. 190 or 205."),
    by: str = typer.Option(None, "--by", help="Officer creating the case."),
) -> None:
    """Create a case; prints its number."""
    from tergeu.cases import new_case

    with session_scope() as s:
        case = new_case(s, title, _officer(by), article)
        console.print(t("cli.case_created", number=case.number))
        console.print(case.number, style="bold")


@case_app.command("list")
def case_list() -> None:
    """List cases."""
    from tergeu.cases import list_cases, status_label

    with session_scope() as s:
        cases = list_cases(s)
        if not cases:
            console.print(t("cli.no_cases"))
            return
        table = Table()
        for key in ("number", "title", "status", "articles", "evidence", "created"):
            table.add_column(t(f"cli.col.{key}"), no_wrap=key in ("number", "created"))
        for c in cases:
            table.add_row(
                c.number,
                c.title,
                status_label(c.status),
                ", ".join(c.articles),
                str(len(c.evidence)),
                f"{c.created_at:%Y-%m-%d %H:%M}",
            )
        console.print(table)


@case_app.command("show")
def case_show(case: str) -> None:
    """Show one case: number, title, status, articles, creator, times and evidence."""
    from tergeu.cases import get_case, status_label

    with session_scope() as s:
        c = get_case(s, case)
        table = Table(show_header=False)
        for key, value in (
            ("number", c.number),
            ("title", c.title),
            ("status", status_label(c.status)),
            ("articles", ", ".join(c.articles) or "—"),
            ("created_by", c.created_by),
            ("created", c.created_at.isoformat()),
            ("updated", c.updated_at.isoformat()),
        ):
            table.add_row(t(f"cli.col.{key}"), value)
        console.print(table)
        if c.evidence:
            ev = Table(title=t("cli.col.evidence"))
            for col in ("#", t("cli.col.name"), t("cli.col.size"), "SHA-256"):
                ev.add_column(col)
            for item in c.evidence:
                ev.add_row(str(item.id), item.name, f"{item.size:,}", item.sha256)
            console.print(ev)


@evidence_app.command("add")
def evidence_add(
    case: str,
    paths: list[Path] = typer.Argument(..., help="Files or directories."),
    by: str = typer.Option(None, "--by", help="Officer taking the evidence."),
    source: str = typer.Option("", "--source", help='Where it came from, e.g. "seized phone of ...".'),
    note: str = typer.Option("", "--note"),
) -> None:
    """Hash (MD5, SHA-1, SHA-256 in one read), store read-only, and record custody."""
    from tergeu.cases import get_case
    from tergeu.evidence import add_evidence, expand

    total = sum(p.stat().st_size for p in expand(paths))
    started = time.perf_counter()
    with session_scope() as s:
        c = get_case(s, case)
        with byte_progress(t("cli.hashing"), total) as advance:
            result = add_evidence(
                s, c, paths, _officer(by), source, note, on_bytes=advance, on_item=lambda _p, n: advance(n)
            )
        for item in result.added:
            console.print(f"#{item.id} {item.sha256} {item.original_path}")
        for path, msg in result.failed[:20]:
            err_console.print(f"[red]{t('cli.intake_failed')}[/]: {path}: {msg}")
        if len(result.failed) > 20:  # a store refusing every write must not bury the summary
            err_console.print(f"[red]{t('cli.intake_failed')}[/]: … +{len(result.failed) - 20}")
    elapsed = max(time.perf_counter() - started, 1e-9)
    mib = result.bytes_read / 2**20
    console.print(
        t(
            "cli.intake_done",
            added=len(result.added),
            skipped=len(result.skipped),
            failed=len(result.failed),
            mib=mib,
            rate=mib / elapsed,
        )
    )
    if result.failed:
        raise typer.Exit(4)


@keys_app.command("new")
def keys_new(
    officer: str, force: bool = typer.Option(False, "--force", help="Replace an existing key.")
) -> None:
    """Create an Ed25519 key pair for an officer and register its public key."""
    from tergeu.keys import new_key

    with session_scope() as s:
        row = new_key(s, officer, overwrite=force)
        console.print(t("cli.key_created", officer=officer, fp=row.fingerprint))


@custody_app.command("log")
def custody_log(case: str) -> None:
    """Show the custody ledger of a case."""
    from tergeu import custody
    from tergeu.cases import get_case

    with session_scope() as s:
        c = get_case(s, case)
        table = Table()
        for key in ("seq", "time", "actor", "action", "evidence", "hash"):
            table.add_column(t(f"cli.col.{key}"))
        for e in custody.entries(s, c):
            detail = f" → {e.details['to']}" if e.details.get("to") else ""
            table.add_row(
                str(e.seq),
                e.ts,
                e.actor,
                custody.action_label(e.action) + detail,
                ",".join(map(str, e.evidence_ids)),
                e.entry_hash[:16],
            )
        console.print(table)
        seal = custody.merkle_root([e.entry_hash for e in custody.entries(s, c)])
        console.print(t("cli.seal_line", seal=seal))


@custody_app.command("transfer")
def custody_transfer(
    case: str,
    evidence: list[str] = typer.Argument(
        ..., help="Evidence ids (or SHA-256 prefixes); 'all' for every item."
    ),
    src: str = typer.Option(..., "--from", help="Officer handing over."),
    dst: str = typer.Option(..., "--to", help="Officer receiving."),
    reason: str = typer.Option("", "--reason"),
) -> None:
    """Record a transfer of custody, signed by the officer handing over."""
    from tergeu import custody
    from tergeu.cases import get_case
    from tergeu.evidence import get_item

    with session_scope() as s:
        c = get_case(s, case)
        items = c.evidence if evidence == ["all"] else [get_item(s, c, ref) for ref in evidence]
        entry = custody.transfer(s, c, [i.id for i in items], src, dst, reason)
        console.print(
            t("cli.transferred", items=", ".join(f"#{i.id}" for i in items), src=src, dst=dst, seq=entry.seq)
        )


@custody_app.command("seal")
def custody_seal(case: str, by: str = typer.Option(None, "--by", help="Officer sealing the ledger.")) -> None:
    """Append a signed ``sealed`` entry carrying the Merkle root of every entry before it."""
    from tergeu import custody
    from tergeu.cases import get_case

    with session_scope() as s:
        c = get_case(s, case)
        rows = custody.entries(s, c)
        root = custody.merkle_root([e.entry_hash for e in rows])
        entry = custody.append(s, c, _officer(by), "sealed", [], {"merkle_root": root, "entries": len(rows)})
        console.print(t("cli.sealed", case=c.number, seal=root, entries=len(rows), seq=entry.seq))


@custody_app.command("export")
def custody_export(case: str, out: Path = typer.Option(..., "--out", help="Folder to write.")) -> None:
    """Write the ledger, public keys, seal and a kk/ru/en verification procedure."""
    from tergeu.cases import get_case
    from tergeu.custody_export import export_ledger

    with session_scope() as s:
        export_ledger(s, get_case(s, case), out)
        console.print(t("cli.exported", out=out))


@app.command("verify")
def verify(case: str) -> None:
    """Re-hash every stored item and re-check the custody chain and every signature."""
    from tergeu.cases import get_case
    from tergeu.verify import verify_case

    with session_scope() as s:
        c = get_case(s, case)
        with byte_progress(t("cli.verifying"), sum(i.size for i in c.evidence)) as advance:
            report = verify_case(s, c, advance)
    if not report.ok:
        err_console.print(f"[bold red]{t('cli.verify_failed', case=report.case, n=len(report.problems))}[/]")
        for p in report.problems:
            err_console.print(f"  - {p}", soft_wrap=True)
        raise typer.Exit(IntegrityFailure.exit_code)
    console.print(t("cli.verify_ok", items=report.items, entries=report.entries, seal=report.seal))


@config_app.command("show")
def config_show() -> None:
    """Every setting with its current value, default and meaning."""
    table = Table()
    for key in ("setting", "value", "default", "help"):
        table.add_column(t(f"cli.col.{key}"))
    for row in settings.show():
        table.add_row(*row)
    console.print(table)


@app.command("demo")
def demo(
    home: Path = typer.Option(None, "--home", help="Data folder for the demo (default: $TERGEU_HOME)."),
) -> None:
    """Run the whole journey on shipped sample evidence."""
    from tergeu.demo import run_demo

    run_demo(home)


def _mount_plugins() -> None:
    for ep in sorted(entry_points(group="tergeu.commands"), key=lambda e: e.name):
        sub = ep.load()
        if isinstance(sub, typer.Typer):
            app.add_typer(sub, name=ep.name)
        else:
            sub(app)


_mount_plugins()


def main() -> None:
    app(prog_name="tergeu")
