"""The seed article's published figures, shipped as data so statistics work offline.

Table 1 (ERDR registrations under Criminal Code ch. 7, 2020–2023) and Diagram 1 (survey reasons for
not reporting) are read from CSV files in ``tergeu/stats/data`` and checked against the totals the
article prints, so a transcription error in the data is caught rather than silently charted.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from importlib import resources

from tergeu.errors import InputError, TergeuError

#: Column totals and grand total as printed under Table 1 of the article.
PUBLISHED_YEAR_TOTALS = {2020: 62, 2021: 74, 2022: 85, 2023: 78}
PUBLISHED_GRAND_TOTAL = 299

#: Share of cybercrime never registered, as stated in the article (85–90 %).
LATENT_LOW = 0.85
LATENT_HIGH = 0.90

CHAPTER7 = ("205", "206", "207", "208", "209", "210", "211", "212", "213")


@dataclass
class CrossTable:
    """Counts by article (rows) and year (columns), with both margins."""

    years: list[int]
    rows: dict[str, list[int]] = field(default_factory=dict)

    def row_total(self, article: str) -> int:
        return sum(self.rows[article])

    def year_totals(self) -> list[int]:
        return [sum(v[i] for v in self.rows.values()) for i in range(len(self.years))]

    def total(self) -> int:
        return sum(self.year_totals())


@dataclass(frozen=True)
class SurveyAnswer:
    code: str
    share_percent: float
    answer_en: str


def _data(name: str) -> str:
    return (resources.files("tergeu.stats") / "data" / name).read_text(encoding="utf-8")


def erdr_table() -> CrossTable:
    """Table 1 of the article, verified against its printed totals."""
    text = _data("erdr_ch7_2020_2023.csv")
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    years = [int(y) for y in header[1:]]
    table = CrossTable(years=years)
    for row in reader:
        if row:
            table.rows[row[0]] = [int(v) for v in row[1:]]
    totals = dict(zip(years, table.year_totals(), strict=True))
    if totals != PUBLISHED_YEAR_TOTALS or table.total() != PUBLISHED_GRAND_TOTAL:
        raise InputError(
            f"year totals {totals} / {table.total()} differ from the article's "
            f"{PUBLISHED_YEAR_TOTALS} / {PUBLISHED_GRAND_TOTAL}",
            path="tergeu/stats/data/erdr_ch7_2020_2023.csv",
        )
    return table


def survey() -> list[SurveyAnswer]:
    """Diagram 1 of the article: why people would not report a cyberattack (shares sum to 100)."""
    rows = list(csv.DictReader(io.StringIO(_data("survey_reporting_reasons.csv"))))
    answers = [SurveyAnswer(r["code"], float(r["share_percent"]), r["answer_en"]) for r in rows]
    total = sum(a.share_percent for a in answers)
    if abs(total - 100.0) > 0.01:
        raise InputError(f"survey shares sum to {total}, not 100", path="survey_reporting_reasons.csv")
    return answers


@dataclass(frozen=True)
class LatencyBand:
    registered: int
    latent_low: float
    latent_high: float
    estimate_low: int
    estimate_high: int


class LatentShareError(TergeuError, ValueError):
    """A latent share outside [0, 1): translated for the CLI, still a ValueError for callers."""

    key = "exchange.stats.bad_latent"
    exit_code = 2


def latency_band(
    registered: int, latent_low: float = LATENT_LOW, latent_high: float = LATENT_HIGH
) -> LatencyBand:
    """Estimated real number of offences: registered ÷ (1 − latent share), at both ends of the band.

    The registered figure is the visible part only; if a share ``p`` stays latent, the whole is
    ``registered / (1 - p)``. The article gives p as 85–90 %, so the result is a band, not a point.
    """
    for p in (latent_low, latent_high):
        if not 0.0 <= p < 1.0:
            raise LatentShareError(value=p)
    if latent_low > latent_high:
        latent_low, latent_high = latent_high, latent_low
    return LatencyBand(
        registered=registered,
        latent_low=latent_low,
        latent_high=latent_high,
        estimate_low=round(registered / (1.0 - latent_low)),
        estimate_high=round(registered / (1.0 - latent_high)),
    )
