"""``tergeu messages scan`` and ``tergeu train messages``: thin commands over :mod:`tergeu.messages`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer
from rich.table import Table

from tergeu.console import console, err_console, new_app
from tergeu.i18n import t

app = new_app(help="Messages: social-engineering fraud detection in chats, SMS, e-mail (kk/ru/en).")


def _officer(by: str | None) -> str:
    from tergeu import settings

    return str(by or settings.get("officer") or os.environ.get("USER") or "officer")


@app.command("scan")
def scan_cmd(
    files: list[Path] = typer.Argument(None, help="Chat exports, SMS XML, .eml, text, CSV/JSONL."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per message (JSON Lines)."),
    case: str = typer.Option(
        None, "--case", help="Store findings in this case (all its evidence when no FILE)."
    ),
    conversations: bool = typer.Option(
        None,
        "--conversations/--no-conversations",
        help="Also score whole conversations (default: chats only).",
    ),
    by: str = typer.Option(None, "--by", help="Officer recorded in the custody ledger."),
) -> None:
    """Flag fraud scripts (fake bank security, SMS code requests, safe account, ...) and say why."""
    from tergeu.messages.scan import ANALYZER, ScanResult, findings, scan_file, verdict_json

    results: list[ScanResult] = []
    if case:
        from tergeu import custody
        from tergeu.cases import get_case
        from tergeu.db import session_scope
        from tergeu.evidence import stored_path
        from tergeu.results import clear, save_findings, save_warnings

        with session_scope() as s:
            c = get_case(s, case)
            ids: list[int] = []
            if files:
                results = [scan_file(p, conversations=conversations) for p in files]
            else:
                for item in c.evidence:
                    results.append(scan_file(stored_path(item), item.id, item.original_path, conversations))
                    ids.append(item.id)
            clear(s, c, ANALYZER)
            n = sum(save_findings(s, c, findings(r)) for r in results)
            save_warnings(s, c, ANALYZER, [w for r in results for w in r.warnings])
            custody.append(s, c, _officer(by), "analysed", ids, {"analyzer": ANALYZER, "findings": n})
    else:
        if not files:
            raise typer.BadParameter(t("iocs.need_input"))
        from tergeu.console import count_progress

        with count_progress(t("messages.scan_title"), len(files)) as advance:
            for p in files:
                results.append(scan_file(p, conversations=conversations))
                advance()
    for r in results:
        for w in r.warnings:
            err_console.print(
                f"[yellow]![/] {w.path}: {w.message}" + (f" @ {w.offset}" if w.offset is not None else "")
            )
    if as_json:
        for r in results:
            for i, v in enumerate(r.verdicts):
                print(json.dumps(verdict_json(v, r.json_id(i)), ensure_ascii=False))
            for name, _idx, v in r.conversations:
                print(json.dumps(verdict_json(v, f"conversation:{name}"), ensure_ascii=False))
        return
    table = Table(title=t("messages.scan_title"))
    for col in (
        "messages.col_id",
        "messages.col_verdict",
        "messages.col_score",
        "messages.col_scheme",
        "messages.col_why",
    ):
        table.add_column(t(col))
    n = fraud = conv = nconv = 0
    for r in results:
        for i, v in enumerate(r.verdicts):
            n += 1
            if v.verdict == "fraud":
                fraud += 1
                table.add_row(
                    f"{Path(r.path).name}:{r.message_id(i)}",
                    t("messages.fraud"),
                    f"{v.score:.2f}",
                    v.scheme or "",
                    "; ".join(c.text for c in v.cues),
                )
        for name, _idx, v in r.conversations:
            nconv += 1
            if v.verdict == "fraud":
                conv += 1
                table.add_row(
                    f"{t('messages.conversation')}: {name}",
                    t("messages.fraud"),
                    f"{v.score:.2f}",
                    v.scheme or "",
                    "; ".join(c.text for c in v.cues),
                )
    if fraud or conv:
        console.print(table)
    console.print(t("messages.summary", fraud=fraud, n=n, conv=conv, nconv=nconv))


def register_train(root: typer.Typer) -> None:
    """Adds ``tergeu train messages`` (to an existing ``train`` group when another area made one)."""
    train_app = None
    for g in root.registered_groups:
        if g.name == "train" and g.typer_instance is not None:
            train_app = g.typer_instance
    if train_app is None:
        train_app = new_app(help="Rebuild shipped models from the corpora in the repository.")
        root.add_typer(train_app, name="train")

    @train_app.command("messages")
    def train_messages(
        corpus: Path = typer.Option(
            None, "--corpus", help="Corpus JSONL (default data/messages/corpus.jsonl)."
        ),
        out: Path = typer.Option(
            None, "--out", help="Where to write the model (default: inside the package)."
        ),
    ) -> None:
        """Rebuild the fraud model reproducibly from the team corpus (train split)."""
        from tergeu.messages.train import train

        rep = train(corpus, out)
        console.print(t("messages.trained", n=rep.n_train, path=str(rep.model), size=rep.size))
