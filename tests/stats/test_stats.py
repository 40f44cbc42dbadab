"""Statistics: Table 1 reproduced with its totals, latency band, case database, CSV import, charts."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tergeu.errors import InputError
from tergeu.stats import builtin, imported
from tergeu.stats.charts import builtin_charts

runner = CliRunner()


def _cli(*args: str) -> str:
    from tergeu.cli import app

    result = runner.invoke(app, list(args), env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def test_table1_matches_article() -> None:
    table = builtin.erdr_table()
    assert table.years == [2020, 2021, 2022, 2023]
    assert table.year_totals() == [62, 74, 85, 78]
    assert table.total() == 299
    assert table.row_total("205") == 158 and table.row_total("206") == 62


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("kk", "иеленіп"),
        ("ru", "завладение"),
        ("en", "possession"),
    ],
)
def test_cli_builtin_erdr_prints_totals(lang: str, title: str) -> None:
    out = _cli("stats", "--builtin", "erdr", "--lang", lang)
    total_line = next(line for line in out.splitlines() if "62" in line and "299" in line)
    assert [int(x) for x in total_line.replace("│", " ").split() if x.isdigit()] == [62, 74, 85, 78, 299]
    assert title in out
    assert "1993" in out and "2990" in out


def test_survey_shares() -> None:
    answers = {a.code: a.share_percent for a in builtin.survey()}
    assert answers["report"] == 26 and answers["no_information"] == 22
    out = _cli("stats", "--builtin", "survey", "--lang", "kk")
    assert "тәртібі" in out and "22" in out


def test_latency_band() -> None:
    band = builtin.latency_band(299)
    assert (band.estimate_low, band.estimate_high) == (1993, 2990)
    assert builtin.latency_band(100, 0.9, 0.5).estimate_low == 200  # swapped ends are ordered
    with pytest.raises(ValueError):
        builtin.latency_band(10, 1.0, 1.0)


def test_import_valid_csv(tmp_path: Path) -> None:
    src = tmp_path / "s.csv"
    src.write_text(
        "article,year,region,count\n205,2024,Almaty,12\n205,2024,Astana,3\n190,2024,Almaty,40\n206,2025,Astana,1\n",
        encoding="utf-8",
    )
    path, rows = imported.import_csv(src, "kz2024")
    assert path.exists() and len(rows) == 4
    table = imported.cross_table(imported.load_dataset("kz2024"))
    assert table.years == [2024, 2025] and table.rows["205"] == [15, 0] and table.total() == 56
    out = _cli("stats", "--dataset", "kz2024")
    assert "Almaty" in out and "52" in out


def test_import_semicolon_and_bom(tmp_path: Path) -> None:
    src = tmp_path / "s.csv"
    src.write_bytes("\ufeffArticle;Year;Region;Count\n207;2023;Шымкент;4\n".encode())
    _, rows = imported.import_csv(src, "semi")
    assert rows[0].region == "Шымкент" and rows[0].count == 4


def test_import_reports_every_bad_row(tmp_path: Path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text(
        "article,year,region,count\n205,2024,A,1\n999,2024,A,1\n205,20x4,A,1\n205,2024,B,-3\n205,2024,A,2\n"
    )
    with pytest.raises(InputError) as err:
        imported.import_csv(src, "bad")
    msg = err.value.message("en")
    assert "bad.csv" in msg and "4 bad row(s)" in msg
    assert "line 3" in msg and "999" in msg and "line 4" in msg and "line 5" in msg and "duplicate" in msg
    assert err.value.offset == len("article,year,region,count\n205,2024,A,1\n")
    assert not (imported.datasets_dir() / "bad.csv").exists()


def test_import_missing_column_and_cli_error(tmp_path: Path) -> None:
    from tergeu.cli import app

    src = tmp_path / "h.csv"
    src.write_text("article,year,count\n205,2024,1\n")
    result = runner.invoke(app, ["stats", "--import", str(src)])
    assert result.exit_code == 4
    assert "region" in result.output and "h.csv" in result.output and "Traceback" not in result.output


def test_case_database_stats(db_url: str) -> None:
    from tergeu.cases import new_case
    from tergeu.db import session_scope
    from tergeu.stats.casedb import case_stats

    with session_scope() as s:
        new_case(
            s,
            "a",
            "officer",
            ["190"],
            region="Almaty",
            method="social_engineering",
            channel="phone",
            loss_kzt=150000.0,
        )
        c = new_case(s, "b", "officer", ["205", "210"], region="Astana", method="malware", loss_kzt=50000.0)
        c.status = "cleared"
    with session_scope() as s:
        st = case_stats(s)
    assert st.cases == 2 and st.cleared == 1 and st.loss_kzt == 200000.0
    assert st.by_article == {"190": 1, "205": 1, "210": 1}
    assert st.by_region == {"Almaty": 1, "Astana": 1} and st.by_channel["—"] == 1
    out = _cli("stats", "--lang", "ru")
    assert "200 000" in out and "Almaty" in out and "50.0" in out


def test_charts_png_svg_with_kazakh_labels(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a UserWarning in matplotlib
        paths = builtin_charts(tmp_path, "kk")
    assert sorted(p.suffix for p in paths) == [".png"] * 3 + [".svg"] * 3
    for p in paths:
        assert p.stat().st_size > 2000
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in paths if p.suffix == ".png")
    svg = (tmp_path / "survey_reasons_kk.svg").read_text(encoding="utf-8")
    assert "Кибершабуыл" in svg and "DejaVu Sans" in svg
    assert "тіркелген" in (tmp_path / "erdr_dynamics_kk.svg").read_text(encoding="utf-8")


def test_bad_latent_share_is_a_translated_error() -> None:
    from tergeu.cli import app

    result = runner.invoke(
        app, ["--lang", "kk", "stats", "--builtin", "erdr", "--latent-low", "2"], env={"COLUMNS": "250"}
    )
    assert result.exit_code != 0
    assert "ValueError" not in result.output and "Бірдеңе дұрыс болмады" not in result.output
    assert "2" in result.output


def test_case_without_article_is_not_a_raw_key() -> None:
    from tergeu.cases import new_case
    from tergeu.db import session_scope

    with session_scope() as s:
        new_case(s, "no article yet", "officer", [])
    out = _cli("--lang", "kk", "stats")
    assert "exchange.article" not in out and "—-бап" not in out
