"""Cases: creation, lookup by number, listing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tergeu import custody, settings
from tergeu.db import Case
from tergeu.errors import ConfigError, NotFoundError, StorageError, TergeuError

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


NUMBER_ATTEMPTS = 20


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
    unit = str(fields.pop("unit", settings.get("unit")))
    cleaned = _validate_articles(articles)
    for _attempt in range(NUMBER_ATTEMPTS):
        # Next number after the highest one of the year; another process taking the same number at
        # the same moment makes the unique constraint fail, and we simply take the next one.
        last = session.scalar(select(func.max(Case.number)).where(Case.number.like(f"TG-{year}-%")))
        seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
        case = Case(
            number=f"TG-{year}-{seq:06d}",
            title=title,
            articles=cleaned,
            created_by=created_by,
            unit=unit,
            **fields,
        )
        try:
            with session.begin_nested():
                session.add(case)
                session.flush()
        except IntegrityError:
            continue
        custody.append(session, case, created_by, "opened", details={"title": title})
        return case
    raise StorageError(f"no free case number after {NUMBER_ATTEMPTS} attempts")


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
