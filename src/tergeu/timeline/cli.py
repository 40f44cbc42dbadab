"""``tergeu timeline ...``: build, show, export, check and Sigma over a case or loose files.

``tergeu timeline FILE...`` (no sub-command) is the loose-file form: the group rewrites it to
``tergeu timeline files FILE...`` when the first word is not a sub-command, so both
``timeline build CASE`` and ``timeline auth.log`` work as the issue asks.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from tergeu import settings
from tergeu.console import FriendlyGroup, console, count_progress, err_console
from tergeu.db import session_scope
from tergeu.i18n import t
from tergeu.records import Event, Finding
from tergeu.timeline.core import iso, parse_iso, zone


class TimelineGroup(FriendlyGroup):
    """Sends ``timeline FILE...`` to the ``files`` command."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        first = next((a for a in args if not a.startswith("-")), None)
        if first is not None and first not in self.commands and "--help" not in args:
            args = ["files", *args]
        return super().parse_args(ctx, args)  # type: ignore[no-any-return]


app = typer.Typer(
    cls=TimelineGroup,
    help="Timelines from logs and artifacts; clock-tampering checks; Sigma. `tergeu timeline FILE...` works on loose files.",
    no_args_is_help=True,
    add_completion=False,
)

TZ_HELP = "Time zone of sources whose stamps carry none (IANA name or +05:00); per-item 'tz=' notes win."


def _officer(by: str | None) -> str:
    return str(by or settings.get("officer") or os.environ.get("USER") or "officer")


def _when(text: str | None, tz: str) -> datetime | None:
    return parse_iso(text, zone(tz))[0] if text else None


def _is_case(ref: str) -> bool:
    if Path(ref).exists():
        return False
    from tergeu.cases import get_case
    from tergeu.errors import NotFoundError

    try:
        with session_scope() as s:
            get_case(s, ref)
        return True
    except NotFoundError:
        return False


def _event_json(ev: Event, display_tz: str) -> dict[str, Any]:
    from tergeu.timeline.run import event_json

    return event_json(ev, display_tz)


def _print_events(events: list[Event] | Any, as_json: bool, display_tz: str, limit: int | None = None) -> int:
    n = 0
    if as_json:
        out = sys.stdout
        for ev in events:
            out.write(json.dumps(_event_json(ev, display_tz), ensure_ascii=False, default=str) + "\n")
            n += 1
        return n
    table = Table(show_lines=False)
    for key in ("timeline.col.time_utc", "timeline.col.time_display", "timeline.col.source",
                "timeline.col.type", "timeline.col.message", "timeline.col.ref"):  # fmt: skip
        table.add_column(t(key, tz=display_tz))
    for ev in events:
        if limit is not None and n >= limit:
            break
        where = ev.ref.record or ev.ref.offset
        table.add_row(
            iso(ev.ts),
            iso(ev.ts, display_tz) + ("" if ev.tz in ("UTC", display_tz) else f" [src {ev.tz}]"),
            ev.source,
            ev.event_type,
            escape(ev.message[:160]),
            escape(f"{Path(ev.ref.path).name}@{where}"),
        )
        n += 1
    console.print(table)
    return n


@app.command("files")
def files_cmd(
    paths: list[Path] = typer.Argument(..., help="Files or folders."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per event."),
    tz: str = typer.Option("UTC", "--tz", help=TZ_HELP),
    year: int = typer.Option(None, "--year", help="Year of the first line of logs without years (RFC 3164)."),
    parser: str = typer.Option(None, "--parser", help="Use this parser instead of sniffing."),
    display_tz: str = typer.Option(None, "--display-tz", help="Zone to show times in (TERGEU_DISPLAY_TZ)."),
    limit: int = typer.Option(200, "--limit", help="Rows shown in the table (all rows with --json)."),
    mapping: str = typer.Option(
        None, "--map", help="Generic CSV/JSONL: time=COL,message=COL,type=COL,fmt=%d.%m.%Y %H:%M"
    ),
    fs: bool = typer.Option(
        False, "--fs", help="Also walk given folders for file-system times (MAC, owner, size)."
    ),
) -> None:
    """Parse loose files (no case) and print their events in time order."""
    from tergeu.timeline.run import parse_loose, stream_json

    dtz = display_tz or settings.get("display_tz")
    zone(dtz)
    zone(tz)

    def report(path: str, parser: str | None, error: str | None, warnings: list[Any]) -> None:
        for w in warnings:
            where = w.offset if w.offset is not None else w.record
            err_console.print(escape(f"! {w.path}@{where}: {w.message}"))
        if error:
            err_console.print(escape(f"✗ {path}: {error}"))
        elif parser is None:
            err_console.print(escape(f"! {path}: {t('timeline.no_parser')}"))

    options = {"map": mapping} if mapping else {}
    if as_json and not fs:
        sys.stdout.flush()
        stream_json(
            paths,
            sys.stdout.buffer,
            tz,
            year,
            parser,
            dtz,
            on_result=lambda r: report(r["path"], r["parser"], r["error"], r["warnings"]),
            options=options,
        )
        sys.stdout.buffer.flush()
        return
    events: list[Event] = []
    for res in parse_loose(paths, tz, year, parser, options, fs):
        report(res.path, res.parser, res.error, res.warnings)
        events.extend(res.events)
    events.sort(key=lambda e: e.ts)
    _print_events(events, as_json, dtz, None if as_json else limit)


@app.command("parsers")
def parsers_cmd() -> None:
    """List the registered parsers."""
    from tergeu.timeline.core import parsers

    table = Table()
    table.add_column("name")
    table.add_column("format")
    for p in parsers():
        table.add_row(p.name, p.format)
    console.print(table)


@app.command("build")
def build_cmd(
    case: str = typer.Argument(..., help="Case number."),
    tz: str = typer.Option("UTC", "--tz", help=TZ_HELP),
    year: int = typer.Option(None, "--year", help="Year of the first line of logs without years."),
    parser: str = typer.Option(None, "--parser", help="Only this parser."),
    by: str = typer.Option(None, "--by", help="Officer recorded in the custody ledger."),
    mapping: str = typer.Option(None, "--map", help="Generic CSV/JSONL column mapping (see timeline files)."),
) -> None:
    """Run every matching parser over the case's evidence (one task per file)."""
    from tergeu.cases import get_case
    from tergeu.timeline.run import build_case

    zone(tz)
    with session_scope() as s:
        c = get_case(s, case)
        with count_progress("timeline", len(c.evidence)) as advance:
            res = build_case(
                s,
                c,
                tz,
                year,
                parser,
                _officer(by),
                on_item=advance,
                options={"map": mapping} if mapping else None,
            )
        console.print(
            t(
                "timeline.built",
                case=c.number,
                events=res.events,
                files=res.files,
                warnings=res.warnings,
                skipped=len(res.skipped),
            )
        )
        for name, n in sorted(res.per_parser.items()):
            console.print(f"  {name}: {n}")


@app.command("show")
def show_cmd(
    case: str = typer.Argument(..., help="Case number."),
    start: str = typer.Option(None, "--from", help="ISO time (display zone unless it has an offset)."),
    end: str = typer.Option(None, "--to", help="ISO time."),
    grep: str = typer.Option(None, "--grep", help="Substring of the message."),
    source: str = typer.Option(None, "--source", help="Source (syslog, auth, evtx, journal, ...)."),
    as_json: bool = typer.Option(False, "--json"),
    display_tz: str = typer.Option(None, "--display-tz"),
    limit: int = typer.Option(200, "--limit"),
) -> None:
    """Show the case's timeline (UTC and display zone side by side)."""
    from tergeu.cases import get_case
    from tergeu.timeline.run import case_events

    dtz = display_tz or settings.get("display_tz")
    with session_scope() as s:
        c = get_case(s, case)
        evs = case_events(s, c, _when(start, dtz), _when(end, dtz), grep, source)
        _print_events(evs, as_json, dtz, None if as_json else limit)


@app.command("export")
def export_cmd(
    case: str = typer.Argument(..., help="Case number."),
    out: Path = typer.Option(..., "--out", "-o", help="Output file."),
    fmt: str = typer.Option(
        "jsonl", "--format", "-f", help="jsonl (Timesketch), csv (Timesketch), l2tcsv, parquet."
    ),
    display_tz: str = typer.Option(None, "--display-tz"),
    by: str = typer.Option(None, "--by"),
) -> None:
    """Export the case's timeline."""
    from tergeu import custody
    from tergeu.cases import get_case
    from tergeu.timeline.export import FORMATS, export
    from tergeu.timeline.run import case_events

    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    dtz = display_tz or settings.get("display_tz")
    with session_scope() as s:
        c = get_case(s, case)
        n = export(case_events(s, c), out, fmt, dtz)
        custody.append(
            s,
            c,
            _officer(by),
            "exported",
            [],
            {"what": "timeline", "format": fmt, "path": str(out), "events": n},
        )
    console.print(t("timeline.exported", n=n, path=out))


def _print_findings(findings: list[Finding], as_json: bool) -> None:
    from tergeu.timeline.detect import to_line

    if as_json:
        for f in findings:
            sys.stdout.write(json.dumps(to_line(f), ensure_ascii=False, default=str) + "\n")
        return
    table = Table()
    for col in ("kind", "at", "offset_seconds", "summary"):
        table.add_column(col)
    for f in findings:
        d = f.details
        table.add_row(f.kind, str(d.get("at")), str(d.get("offset_seconds")), escape(f.summary))
    console.print(table)
    console.print(t("timeline.checked", n=len(findings)))


@app.command("check")
def check_cmd(
    targets: list[str] = typer.Argument(..., help="A case number, or files."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per finding."),
    tz: str = typer.Option("UTC", "--tz", help=TZ_HELP),
    year: int = typer.Option(None, "--year"),
    tolerance: float = typer.Option(
        60.0, "--tolerance", help="Seconds of backward step tolerated as clock noise."
    ),
    by: str = typer.Option(None, "--by"),
    fs: bool = typer.Option(True, "--fs/--no-fs", help="Walk given folders for timestomping checks."),
) -> None:
    """Find clock changes, time going backwards, record gaps, future times and timestomping."""
    from tergeu.timeline.checks import check_case, check_files
    from tergeu.timeline.detect import CheckOptions

    opts = CheckOptions(tolerance_s=tolerance)
    if len(targets) == 1 and _is_case(targets[0]):
        from tergeu.cases import get_case

        with session_scope() as s:
            c = get_case(s, targets[0])
            findings = check_case(s, c, opts, _officer(by))
    else:
        findings = check_files([Path(p) for p in targets], tz, year, opts, fs)
    _print_findings(findings, as_json)


@app.command("sigma")
def sigma_cmd(
    target: list[str] = typer.Argument(..., help="A case number, or files."),
    rules: Path = typer.Option(None, "--rules", help="Folder of Sigma rules (default: the shipped set)."),
    as_json: bool = typer.Option(False, "--json"),
    tz: str = typer.Option("UTC", "--tz", help=TZ_HELP),
    by: str = typer.Option(None, "--by"),
) -> None:
    """Run Sigma rules over the timeline; matches are stored as findings of the case."""
    from tergeu.timeline.sigma import load_rules, run_case, run_files

    ruleset = load_rules(rules)
    if len(target) == 1 and _is_case(target[0]):
        from tergeu.cases import get_case

        with session_scope() as s:
            c = get_case(s, target[0])
            findings, n_events = run_case(s, c, ruleset, _officer(by))
    else:
        findings, n_events = run_files([Path(p) for p in target], ruleset, tz)
    if as_json:
        for f in findings:
            sys.stdout.write(
                json.dumps(
                    {
                        "kind": f.kind,
                        "rule": f.method,
                        "summary": f.summary,
                        "at": iso(f.start) if f.start else None,
                        "details": f.details,
                        "refs": [r.to_dict() for r in f.refs[:20]],
                    },
                    ensure_ascii=False,
                    default=str,
                )
                + "\n"
            )
    else:
        for f in findings:
            console.print(escape(f"{f.details.get('level', '')} {f.summary}"))
        console.print(t("timeline.sigma_done", rules=len(ruleset), events=n_events, n=len(findings)))
