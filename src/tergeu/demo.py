"""``tergeu demo``: the whole journey on sample evidence shipped inside the package.

The core steps (case, intake, custody transfer, verification, ledger export) run here; every other
area adds its steps through the ``tergeu.demo`` entry-point group: a callable taking a
:class:`DemoContext` and returning ``(what it did, where to look)`` lines.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from importlib.metadata import entry_points
from pathlib import Path

from rich.panel import Panel
from rich.table import Table

from tergeu import settings
from tergeu.console import console
from tergeu.db import session_scope
from tergeu.errors import IntegrityFailure
from tergeu.i18n import t

OFFICER = "Lt. A. Seitkali"
EXAMINER = "Expert D. Omarova"


@dataclass
class DemoContext:
    home: Path
    out: Path
    samples: Path
    case_number: str = ""
    officer: str = OFFICER
    examiner: str = EXAMINER
    where: list[tuple[str, str]] = field(default_factory=list)


DemoStep = Callable[[DemoContext], list[tuple[str, str]]]


def samples_dir() -> Path:
    return Path(str(resources.files("tergeu") / "samples"))


def _steps() -> list[tuple[str, DemoStep]]:
    return [(ep.name, ep.load()) for ep in sorted(entry_points(group="tergeu.demo"), key=lambda e: e.name)]


def run_demo(home: Path | None = None) -> DemoContext:
    if home is not None:
        os.environ["TERGEU_HOME"] = str(home)
    from tergeu.cases import new_case
    from tergeu.custody import transfer
    from tergeu.custody_export import export_ledger
    from tergeu.evidence import add_evidence
    from tergeu.verify import verify_case

    ctx = DemoContext(home=settings.home(), out=settings.home() / "demo-output", samples=samples_dir())
    ctx.out.mkdir(parents=True, exist_ok=True)
    console.print(Panel(t("demo.title"), style="bold cyan"))
    n = 0

    def say(what: str) -> None:
        nonlocal n
        n += 1
        console.print(f"[bold green]✓[/] {t('demo.step', n=n, what=what)}")

    with session_scope() as s:
        case = new_case(s, "Demo: SMS-code fraud and SSH brute force", OFFICER, ["190"])
        ctx.case_number = case.number
        say(f"{t('demo.case')}: {case.number}")
        evidence = sorted(
            p for p in ctx.samples.iterdir() if p.is_file() and not p.name.startswith(("LICENSE", "README"))
        )
        result = add_evidence(s, case, evidence, OFFICER, source="tergeu demo samples")
        say(f"{t('demo.intake')}: {len(result.added)}")
        transfer(s, case, [i.id for i in result.added], OFFICER, EXAMINER)
        say(t("demo.transfer"))
    ctx.where.append(("tergeu case show " + ctx.case_number, t("demo.look_case")))
    ctx.where.append(("tergeu custody log " + ctx.case_number, t("demo.look_ledger")))

    labels: dict[str, str] = {}
    for name, step in _steps():
        for what, where in step(ctx):
            say(f"[{name}] {what}")
            ctx.where.append((where, name))
            labels[where] = what

    with session_scope() as s:
        from tergeu.cases import get_case

        case = get_case(s, ctx.case_number)
        report = verify_case(s, case)
        if not report.ok:
            raise IntegrityFailure(report.problems)
        say(t("demo.verified", items=report.items, entries=report.entries, seal=report.seal[:16]))
        ledger_dir = ctx.out / "custody"
        export_ledger(s, case, ledger_dir)
        say(t("demo.export"))
    ctx.where.append((str(ledger_dir / "VERIFY.kk.md"), t("demo.look_procedure")))
    ctx.where.append((f"tergeu verify {ctx.case_number}", t("demo.look_verify")))

    table = Table(title=t("demo.where"))
    table.add_column(t("demo.col_where"), overflow="fold")
    table.add_column(t("demo.col_what"), overflow="fold")
    for where, what in ctx.where:
        # A step's own line says what is there; its area name (``30_net``) means nothing to a reader.
        table.add_row(where, labels.get(where, what))
    console.print(table)
    console.print(t("demo.done", home=ctx.home))
    return ctx
