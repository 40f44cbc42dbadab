"""Shared Rich console, error handling and progress helpers for every command module.

Command modules (``tergeu.commands`` entry points) build their Typer apps with :func:`new_app` so that
any :class:`~tergeu.errors.TergeuError` becomes a translated one-line message and an exit code.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from typer.core import TyperGroup

from tergeu import settings
from tergeu.errors import TergeuError
from tergeu.i18n import t

# A library's log handler writing to a closed stream must never show a traceback to the user.
logging.raiseExceptions = False

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def _debug() -> bool:
    try:
        return bool(settings.get("debug"))
    except TergeuError:
        return False


class FriendlyGroup(TyperGroup):
    """Turns our exceptions (and, unless TERGEU_DEBUG=1, unexpected ones) into messages."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TergeuError as exc:
            err_console.print(f"[bold red]✗[/] {exc.message()}", soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            # The reader of our output went away (``| head``): nothing to tell, and Python must not
            # complain again when it flushes stdout at exit.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err_console.print(f"[bold yellow]![/] {t('error.interrupted')}")
            raise typer.Exit(130) from None
        except OSError as exc:
            # An output that is a folder, a full or read-only disk: the person can act on the path.
            if _debug():
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            reason = exc.strerror or str(exc)
            err_console.print(f"[bold red]✗[/] {t('error.os')} — {where}{reason}", soft_wrap=True)
            raise typer.Exit(4) from None
        except Exception as exc:
            if _debug() or type(exc).__module__.startswith(("click", "typer")):
                raise
            err_console.print(
                f"[bold red]✗[/] {t('error.generic')}: {type(exc).__name__}: {exc}", soft_wrap=True
            )
            err_console.print(f"  {t('error.debug_hint')}")
            if os.environ.get("TERGEU_TRACE_FILE"):
                with open(os.environ["TERGEU_TRACE_FILE"], "a", encoding="utf-8") as fh:
                    traceback.print_exc(file=fh)
            raise typer.Exit(1) from None


def new_app(help: str = "", **kwargs: Any) -> typer.Typer:
    return typer.Typer(cls=FriendlyGroup, help=help, no_args_is_help=True, add_completion=False, **kwargs)


@contextmanager
def byte_progress(description: str, total: int | None) -> Iterator[Any]:
    """A Rich progress bar with MB/s; yields ``advance(n_bytes)``. Silent when not a terminal."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=not sys.stderr.isatty(),
        transient=True,
    )
    with progress:
        task = progress.add_task(description, total=total)

        def advance(n: int) -> None:
            progress.update(task, advance=n)

        yield advance


@contextmanager
def count_progress(description: str, total: int | None) -> Iterator[Any]:
    """A Rich progress bar over a count of items; yields ``advance(n=1)``."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
        console=err_console,
        disable=not sys.stderr.isatty(),
        transient=True,
    )
    with progress:
        task = progress.add_task(description, total=total)

        def advance(n: int = 1) -> None:
            progress.update(task, advance=n)

        yield advance
