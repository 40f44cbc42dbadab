"""Statistics over the cases in the database, in the ERDR's own dimensions.

Counts by article, year, region, method and channel; losses in KZT; how many were cleared. A case
with several articles counts once under each (as ERDR qualification does), so the article column can
sum to more than the number of cases — the "cases" total is reported separately.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from tergeu.db import Case

#: Case statuses that mean the offence was cleared (solved / sent to court).
CLEARED = frozenset({"cleared", "solved", "closed_solved", "sent_to_court", "court"})


@dataclass
class CaseStats:
    cases: int = 0
    cleared: int = 0
    loss_kzt: float = 0.0
    by_article: Counter[str] = field(default_factory=Counter)
    by_year: Counter[int] = field(default_factory=Counter)
    by_region: Counter[str] = field(default_factory=Counter)
    by_method: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    loss_by_year: Counter[int] = field(default_factory=Counter)
    article_year: Counter[tuple[str, int]] = field(default_factory=Counter)

    @property
    def cleared_share(self) -> float:
        return self.cleared / self.cases if self.cases else 0.0


def _article_base(article: str) -> str:
    return str(article).strip().split(".")[0].split("-")[0]


def case_stats(session: Session) -> CaseStats:
    """One pass over every case; empty dimensions are counted as "—" so nothing disappears."""
    stats = CaseStats()
    for case in session.scalars(select(Case).order_by(Case.id)):
        stats.cases += 1
        year = case.created_at.year
        stats.by_year[year] += 1
        stats.by_region[case.region or "—"] += 1
        stats.by_method[case.method or "—"] += 1
        stats.by_channel[case.channel or "—"] += 1
        stats.loss_kzt += float(case.loss_kzt or 0.0)
        stats.loss_by_year[year] += round(float(case.loss_kzt or 0.0))
        if (case.status or "").lower() in CLEARED:
            stats.cleared += 1
        for art in case.articles or ["—"]:
            base = _article_base(art)
            stats.by_article[base] += 1
            stats.article_year[(base, year)] += 1
    return stats
