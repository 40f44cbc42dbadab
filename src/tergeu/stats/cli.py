"""``tergeu stats``: Table 1 and the survey from the article, the case database, imported CSVs, charts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer
from rich.table import Table

from tergeu.console import console
from tergeu.i18n import current_lang, t
from tergeu.stats.builtin import CrossTable


def cross_rich(table: CrossTable, title: str, lang: str, with_titles: bool = True) -> Table:
    out = Table(title=title, show_footer=True)
    out.add_column(t("exchange.stats.article", lang), footer=t("exchange.stats.total", lang))
    if with_titles:
        out.add_column(t("exchange.stats.title", lang), max_width=60)
    totals = table.year_totals()
    for year, total in zip(table.years, totals, strict=True):
        out.add_column(str(year), justify="right", footer=str(total))
    out.add_column(t("exchange.stats.total", lang), justify="right", footer=str(table.total()))
    for article, values in table.rows.items():
        if article == "—":  # cases not qualified yet are counted, under a name a person can read
            cells = ["—"] + ([t("exchange.stats.no_article", lang)] if with_titles else [])
        else:
            cells = [t("exchange.stats.art_short", lang, article=article)]
            if with_titles:
                cells.append(t(f"exchange.article.{article.split('.')[0]}", lang))
        out.add_row(*cells, *map(str, values), str(sum(values)))
    return out


def _counter(title: str, counts: Counter[str] | Counter[int], lang: str, column: str | None = None) -> Table:
    out = Table(title=title)
    out.add_column("")
    out.add_column(column or t("exchange.stats.count", lang), justify="right")
    for key, n in sorted(counts.items(), key=lambda kv: str(kv[0])):
        out.add_row(str(key), f"{n:,}".replace(",", " "))
    return out


def stats(
    builtin: str = typer.Option(None, "--builtin", help="Built-in figures of the article: erdr or survey."),
    import_file: Path = typer.Option(
        None, "--import", help="Import a statistics CSV: article,year,region,count."
    ),
    name: str = typer.Option("imported", "--name", help="Dataset name for --import."),
    dataset: str = typer.Option(None, "--dataset", help="Show an imported dataset."),
    charts: Path = typer.Option(None, "--charts", help="Folder to write PNG and SVG charts into."),
    latent_low: float = typer.Option(0.85, "--latent-low", help="Lower latent share (0–1)."),
    latent_high: float = typer.Option(0.90, "--latent-high", help="Upper latent share (0–1)."),
    lang: str = typer.Option(None, "--lang", help="kk, ru or en (default TERGEU_LANG)."),
) -> None:
    """Cybercrime statistics: the article's Table 1 and survey, the case database, imported CSVs."""
    from tergeu.stats import builtin as bi
    from tergeu.stats import charts as ch
    from tergeu.stats import imported

    lg = current_lang(lang)
    written: list[Path] = []
    if import_file is not None:
        path, rows = imported.import_csv(import_file, name)
        console.print(t("exchange.stats.imported", lg, n=len(rows), name=name, path=path))
        dataset = dataset or name
    if builtin is not None:
        if builtin not in ("erdr", "survey"):
            raise typer.BadParameter(t("exchange.stats.unknown_builtin", lg, name=builtin))
        if builtin == "erdr":
            table = bi.erdr_table()
            console.print(cross_rich(table, t("exchange.stats.table1", lg), lg))
            band = bi.latency_band(table.total(), latent_low, latent_high)
            console.print(_latency(band, lg))
            if charts:
                written += ch.dynamics_chart(table, charts, lg, f"erdr_dynamics_{lg}")
                written += ch.structure_chart(table, charts, lg, f"erdr_structure_{lg}")
        else:
            answers = bi.survey()
            out = Table(title=t("exchange.stats.survey_title", lg))
            out.add_column(t("exchange.stats.answer", lg))
            out.add_column(t("exchange.stats.share", lg), justify="right")
            for a in answers:
                out.add_row(t(f"exchange.survey.{a.code}", lg), f"{a.share_percent:g}")
            console.print(out)
            if charts:
                written += ch.survey_chart(answers, charts, lg, f"survey_reasons_{lg}")
    elif dataset is not None:
        rows = imported.load_dataset(dataset)
        table = imported.cross_table(rows)
        console.print(cross_rich(table, t("exchange.stats.dataset_title", lg, name=dataset), lg))
        console.print(_counter(t("exchange.stats.by_region", lg), imported.by_region(rows), lg))
        console.print(_latency(bi.latency_band(table.total(), latent_low, latent_high), lg))
        if charts:
            written += ch.dynamics_chart(table, charts, lg, f"{dataset}_dynamics_{lg}")
            written += ch.structure_chart(table, charts, lg, f"{dataset}_structure_{lg}")
    else:
        written += _case_db(lg, charts)
    if written:
        console.print(t("exchange.stats.charts_written", lg, n=len(written), out=charts))
        for p in written:
            console.print(f"  {p}")


def _latency(band: object, lang: str) -> str:
    from tergeu.stats.builtin import LatencyBand

    assert isinstance(band, LatencyBand)
    return t(
        "exchange.stats.latency",
        lang,
        registered=band.registered,
        low=f"{100 * band.latent_low:g}",
        high=f"{100 * band.latent_high:g}",
        est_low=band.estimate_low,
        est_high=band.estimate_high,
    )


def _case_db(lang: str, charts: Path | None) -> list[Path]:
    from tergeu.db import session_scope
    from tergeu.stats import charts as ch
    from tergeu.stats.casedb import case_stats

    with session_scope() as s:
        st = case_stats(s)
    console.print(f"[bold]{t('exchange.stats.cases_title', lang)}[/]")
    console.print(
        t(
            "exchange.stats.cases_summary",
            lang,
            cases=st.cases,
            cleared=st.cleared,
            share=f"{100 * st.cleared_share:.1f}",
            loss=f"{st.loss_kzt:,.0f}".replace(",", " "),
        )
    )
    years = sorted(st.by_year)
    table = CrossTable(years=years)
    for art in sorted(st.by_article, key=lambda a: (len(a), a)):
        table.rows[art] = [st.article_year[(art, y)] for y in years]
    if years:
        console.print(cross_rich(table, t("exchange.stats.by_article", lang), lang))
    for key, counts in (
        ("by_region", st.by_region),
        ("by_method", st.by_method),
        ("by_channel", st.by_channel),
        ("loss_by_year", st.loss_by_year),
    ):
        if counts:
            column = t("exchange.rep.loss", lang) if key == "loss_by_year" else None
            console.print(_counter(t(f"exchange.stats.{key}", lang), counts, lang, column))
    written: list[Path] = []
    if charts and years:
        written += ch.dynamics_chart(table, charts, lang, f"cases_dynamics_{lang}")
        written += ch.structure_chart(table, charts, lang, f"cases_structure_{lang}")
        if st.by_region:
            written += ch.counter_chart(
                dict(st.by_region), t("exchange.stats.by_region", lang), charts, f"cases_region_{lang}"
            )
    return written


def register(app: typer.Typer) -> None:
    app.command("stats")(stats)
