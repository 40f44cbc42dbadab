"""Cases: creation, lookup by number, listing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tergeu import custody, settings
from tergeu.db import Case
from tergeu.errors import ConfigError, NotFoundError, TergeuError

#: Articles the qualification helper may suggest: Criminal Code of the RK ch. 7 and art. 190.
KNOWN_ARTICLES = ("190", "205", "206", "207", "208", "209", "210", "211", "212", "213")


def _validate_articles(articles: Sequence[str]) -> list[str]:
    cleaned = []
    for art in articles:
        base = art.strip().split(".")[0].split("-")[0]
        if base not in KNOWN_ARTICLES:
            raise ConfigError(art, key="error.unknown_article")
        cleaned.append(art.strip())
    return cleaned


def new_case(
    session: Session,
    title: str,
    created_by: str,
    articles: Sequence[str] = (),
    **fields: str | float,
) -> Case:
    """Create a case with the next number of the year (``TG-YYYY-NNNNNN``) and open its ledger."""
    if not title.strip():
        raise TergeuError(key="error.empty_title")
    year = datetime.now(UTC).year
    count = session.scalar(select(func.count(Case.id)).where(Case.number.like(f"TG-{year}-%"))) or 0
    case = Case(
        number=f"TG-{year}-{count + 1:06d}",
        title=title,
        articles=_validate_articles(articles),
        created_by=created_by,
        unit=str(fields.pop("unit", settings.get("unit"))),
        **fields,
    )
    session.add(case)
    session.flush()
    custody.append(session, case, created_by, "opened", details={"title": title})
    return case


def get_case(session: Session, ref: str | int) -> Case:
    """Find a case by number (``TG-2026-000001``), or by numeric id."""
    if isinstance(ref, int) or str(ref).isdigit():
        case = session.get(Case, int(ref))
    else:
        case = session.scalar(select(Case).where(Case.number == str(ref)))
    if case is None:
        raise NotFoundError(str(ref), key="error.case_not_found")
    return case


def list_cases(session: Session) -> list[Case]:
    return list(session.scalars(select(Case).order_by(Case.id)))


def status_label(status: str, lang: str | None = None) -> str:
    """A case status as a person reads it (statuses set by the workspace carry ``web.st.*`` texts)."""
    from tergeu.i18n import catalogue, t

    for key in (f"case.status.{status}", f"web.st.{status}"):
        if key in catalogue():
            return t(key, lang)
    return status
