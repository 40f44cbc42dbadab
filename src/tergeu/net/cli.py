"""``tergeu net ...`` (flows, scan, watch) plus ``tergeu lab net`` and ``tergeu train net``; thin wrappers.

The work lives in :mod:`tergeu.net.service`, :mod:`tergeu.net.lab`, :mod:`tergeu.net.model` and
:mod:`tergeu.net.live` so that scripts and the web app can call it without the CLI.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.table import Table

from tergeu.console import console, err_console, new_app
from tergeu.i18n import t
from tergeu.records import Finding, ParseWarning

app = new_app(help="Network captures: flows, detections, live monitoring.")


def _warn(ws: list[ParseWarning]) -> None:
    for w in ws[:50]:
        where = f" @ {w.offset}" if w.offset is not None else ""
        err_console.print(f"[yellow]![/] {w.path}{where}: {w.message}", soft_wrap=True)
    if len(ws) > 50:
        err_console.print(f"[yellow]![/] … {len(ws) - 50} more")


def _table(findings: list[Finding]) -> Table:
    tb = Table(title=t("net.findings_title", n=len(findings)))
    # identifiers never wrap (an address cut in two is misread); the explanation takes the rest
    for key in ("net.col_kind", "net.col_src", "net.col_dst", "net.col_start", "net.col_score"):
        tb.add_column(t(key), no_wrap=True)
    tb.add_column(t("net.col_summary"), ratio=1, overflow="fold")
    for f in findings:
        tb.add_row(
            f.kind,
            f.src or "",
            f.dst or "*",
            f.start.strftime("%Y-%m-%d %H:%M:%S") if f.start else "",
            f"{f.score:.2f}",
            f"{f.summary} [dim]({f.method})[/]",
        )
    return tb


def _print_findings(findings: list[Finding], as_json: bool) -> None:
    from tergeu.net.detect import finding_json

    if as_json:
        for f in findings:
            sys.stdout.write(json.dumps(finding_json(f), ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()
    elif findings:
        console.print(_table(findings))
    else:
        console.print(t("net.no_findings"))


@app.command("flows")
def flows_cmd(
    captures: list[str] = typer.Argument(None, help="pcap/pcapng files (or evidence ids with --case)."),
    out: Path = typer.Option(None, "--out", "-o", help="Output file: .parquet or .csv."),
    case: str = typer.Option(
        None, "--case", help="Case number: read its evidence and store flows as an artifact."
    ),
    by: str = typer.Option(None, "--by", help="Officer recorded in custody (with --case)."),
) -> None:
    """Compute bidirectional flows with CICFlowMeter-family features."""
    from tergeu.net import service
    from tergeu.net.analyze import check_flows_out, flows_summary, write_flows

    if out is not None:
        check_flows_out(out)
    if case:
        from tergeu.cases import get_case
        from tergeu.db import session_scope

        with session_scope() as s:
            res = service.flows_case(s, get_case(s, case), captures or [], by)
        a = res.analysis
        console.print(t("net.artifact", path=str(res.artifact)))
        if out:
            write_flows(service.with_evidence_columns(a), out)
    else:
        if not captures:
            raise typer.BadParameter("give capture files or --case")
        if out is None:
            raise typer.BadParameter("--out is needed without --case")
        from tergeu.net.analyze import analyse

        a = analyse(service.expand_captures(captures))
        write_flows(a.flows, out)
    _warn(a.warnings)
    summ = flows_summary(a)
    console.print(t("net.flows_done", **summ, out=str(out or "")))


@app.command("scan")
def scan_cmd(
    captures: list[str] = typer.Argument(None, help="pcap/pcapng files (or evidence ids with --case)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per finding per line."),
    case: str = typer.Option(None, "--case", help="Case number: scan its evidence and store findings."),
    by: str = typer.Option(None, "--by", help="Officer recorded in custody (with --case)."),
    model: bool | None = typer.Option(
        None, "--model/--no-model", help="Also run the trained flow model (default: setting net_model)."
    ),
) -> None:
    """Detect scans, sweeps, brute force, DoS, exfiltration, beaconing and DNS tunnels."""
    from tergeu.net import service

    if case:
        from tergeu.cases import get_case
        from tergeu.db import session_scope

        with session_scope() as s:
            res = service.scan_case(s, get_case(s, case), captures or [], by, use_model=model)
    else:
        if not captures:
            raise typer.BadParameter("give capture files or --case")
        res = service.scan_files(captures, use_model=model)
    _warn(res.analysis.warnings)
    _print_findings(res.findings, as_json)
    if not as_json:
        console.print(
            t(
                "net.scan_done",
                packets=res.analysis.n_packets,
                flows=res.analysis.flows.height,
                findings=len(res.findings),
            )
        )


@app.command("watch")
def watch_cmd(
    iface: str = typer.Argument(..., help="Interface to listen on (root)."),
    seconds: int = typer.Option(0, "--seconds", help="Stop after this many seconds (0: until Ctrl-C)."),
    interval: int = typer.Option(5, "--interval", help="Seconds between analyses of the rolling window."),
    window: int = typer.Option(300, "--window", help="Seconds of traffic each analysis looks at."),
    netns: str = typer.Option(None, "--netns", help="Listen inside this network namespace."),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of text."),
) -> None:
    """Flows and detections from a live interface, printing findings as they appear."""
    from tergeu.net.detect import finding_json
    from tergeu.net.live import watch

    for f in watch(iface, seconds=seconds, interval=interval, window=window, netns=netns):
        if as_json:
            sys.stdout.write(json.dumps(finding_json(f), ensure_ascii=False, default=str) + "\n")
            sys.stdout.flush()
        else:
            console.print(f"[bold red]{f.kind}[/] {f.src} → {f.dst or '*'}  {f.score:.2f}  {f.summary}")


lab_app = new_app(help="Isolated labs that generate labelled evidence with real tools.")
train_app = new_app(help="Rebuild the models shipped with Tergeu.")


@lab_app.command("net")
def lab_net(
    out: Path = typer.Option(..., "--out", help="Folder for captures and manifest.json."),
    scenarios: str = typer.Option("", "--scenarios", help="Comma-separated subset (default: all)."),
    seed: int = typer.Option(1, "--seed"),
    scale: float = typer.Option(1.0, "--scale", help="Size of each scenario (0.2 = quick)."),
) -> None:
    """Namespaces + bridge, services, benign users and real attack tools, captured with labels."""
    from tergeu.net.lab import SCENARIOS, run_lab

    chosen = [s.strip() for s in scenarios.split(",") if s.strip()] or list(SCENARIOS)
    manifest = run_lab(out, chosen, seed=seed, scale=scale, say=lambda s: err_console.print(f"· {s}"))
    console.print(t("net.lab_done", path=str(manifest)))


@train_app.command("net")
def train_net(
    data: list[Path] = typer.Option(
        None, "--data", help="Lab folders with manifest.json (default: the shipped training captures)."
    ),
    out: Path = typer.Option(None, "--out", help="Where to write the model (default: inside the package)."),
) -> None:
    """Rebuild the flow model reproducibly from labelled lab captures."""
    from tergeu.net import model

    path, info = model.train(data or None, out)
    console.print(t("net.model_done", path=str(path), flows=info["flows"], attacks=info["attack_flows"]))


def register(root: typer.Typer) -> None:
    """Mounts ``tergeu lab`` and ``tergeu train`` (top-level groups other areas may extend later)."""
    root.add_typer(lab_app, name="lab")
    root.add_typer(train_app, name="train")
