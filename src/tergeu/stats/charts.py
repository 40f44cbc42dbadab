"""Charts of the statistics as PNG (for documents) and SVG (for the web and print), via matplotlib Agg.

Labels are translated and set in DejaVu Sans, which ships with matplotlib and has every Kazakh
letter, so ә ғ қ ң ө ұ ү һ і never turn into empty boxes. SVG keeps text as text (searchable,
selectable); metadata dates are dropped so the same data gives the same files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tergeu.i18n import t
from tergeu.stats.builtin import CrossTable, SurveyAnswer

_RC: Any = {
    "font.family": "DejaVu Sans",
    "svg.fonttype": "none",
    "svg.hashsalt": "tergeu",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _save(fig: object, out_dir: Path, stem: str) -> list[Path]:
    from matplotlib.figure import Figure

    assert isinstance(fig, Figure)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in ("png", "svg"):
        path = out_dir / f"{stem}.{ext}"
        meta = {"Date": None} if ext == "svg" else {"Software": "Tergeu"}
        fig.savefig(path, format=ext, dpi=150, bbox_inches="tight", metadata=meta)
        paths.append(path)
    return paths


def _figure(width: float = 8.0, height: float = 4.5) -> object:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def dynamics_chart(table: CrossTable, out_dir: Path, lang: str, stem: str = "dynamics_by_year") -> list[Path]:
    """Stacked bars per article for each year, with the yearly total printed above each bar."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        fig = _figure()
        ax = fig.add_subplot()  # type: ignore[attr-defined]
        labels = [str(y) for y in table.years]
        bottom = [0] * len(table.years)
        cmap = matplotlib.colormaps["tab10"]
        for i, (article, values) in enumerate(table.rows.items()):
            if not any(values):
                continue
            ax.bar(
                labels,
                values,
                bottom=bottom,
                label=t("exchange.stats.art_short", lang, article=article),
                color=cmap(i % 10),
            )
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        for x, total in zip(labels, table.year_totals(), strict=True):
            ax.annotate(str(total), (x, total), ha="center", va="bottom", fontweight="bold")
        ax.set_title(t("exchange.stats.chart_dynamics", lang))
        ax.set_xlabel(t("exchange.stats.year", lang))
        ax.set_ylabel(t("exchange.stats.registered", lang))
        ax.legend(fontsize=7, ncols=2, loc="upper left")
        ax.set_ylim(0, max(table.year_totals() or [1]) * 1.25 + 1)
        return _save(fig, out_dir, stem)


def structure_chart(
    table: CrossTable, out_dir: Path, lang: str, stem: str = "structure_by_article"
) -> list[Path]:
    """Horizontal bars of the period total per article, with its share of all offences."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        fig = _figure(8.0, 0.45 * max(len(table.rows), 3) + 1.5)
        ax = fig.add_subplot()  # type: ignore[attr-defined]
        total = table.total() or 1
        items = sorted(table.rows, key=table.row_total)
        values = [table.row_total(a) for a in items]
        names = [t("exchange.stats.art_short", lang, article=a) for a in items]
        bars = ax.barh(names, values, color="#3b6ea8")
        for bar, v in zip(bars, values, strict=True):
            ax.annotate(
                f"{v} ({100 * v / total:.1f} %)",
                (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        years = f"{table.years[0]}–{table.years[-1]}" if table.years else ""
        ax.set_title(t("exchange.stats.chart_structure", lang, years=years))
        ax.set_xlabel(t("exchange.stats.registered", lang))
        ax.set_xlim(0, max(values or [1]) * 1.3 + 1)
        return _save(fig, out_dir, stem)


def survey_chart(
    answers: Sequence[SurveyAnswer], out_dir: Path, lang: str, stem: str = "survey_reasons"
) -> list[Path]:
    """The survey answers as horizontal bars, "would report" set apart in another colour."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        fig = _figure(9.0, 4.8)
        ax = fig.add_subplot()  # type: ignore[attr-defined]
        ordered = sorted(answers, key=lambda a: a.share_percent)
        names = [_wrap(t(f"exchange.survey.{a.code}", lang)) for a in ordered]
        colors = ["#2e8b57" if a.code == "report" else "#c0504d" for a in ordered]
        bars = ax.barh(names, [a.share_percent for a in ordered], color=colors)
        for bar, a in zip(bars, ordered, strict=True):
            ax.annotate(
                f"{a.share_percent:g} %",
                (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        ax.set_title(t("exchange.stats.chart_survey", lang))
        ax.set_xlabel("%")
        ax.tick_params(axis="y", labelsize=7)
        ax.set_xlim(0, max(a.share_percent for a in ordered) * 1.2)
        return _save(fig, out_dir, stem)


def counter_chart(counts: dict[str, int], title: str, out_dir: Path, stem: str) -> list[Path]:
    """A plain bar chart of a count per label (case-database dimensions, findings per kind)."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        fig = _figure(8.0, 0.4 * max(len(counts), 3) + 1.5)
        ax = fig.add_subplot()  # type: ignore[attr-defined]
        items = sorted(counts.items(), key=lambda kv: kv[1])
        ax.barh([_wrap(str(k)) for k, _ in items], [v for _, v in items], color="#3b6ea8")
        ax.set_title(title)
        return _save(fig, out_dir, stem)


def _wrap(text: str, width: int = 42) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def builtin_charts(out_dir: Path, lang: str) -> list[Path]:
    """All three charts of the article's figures (dynamics, structure, survey) in PNG and SVG."""
    from tergeu.stats.builtin import erdr_table, survey

    table = erdr_table()
    return [
        *dynamics_chart(table, out_dir, lang, f"erdr_dynamics_{lang}"),
        *structure_chart(table, out_dir, lang, f"erdr_structure_{lang}"),
        *survey_chart(survey(), out_dir, lang, f"survey_reasons_{lang}"),
    ]
