"""Database models and engine: SQLite (WAL) under ``$TERGEU_HOME`` by default, PostgreSQL for teams.

The schema is owned by Alembic migrations in ``tergeu/migrations``; :func:`init_db` brings any
database to the latest revision. Times are stored as naive UTC and handed back timezone-aware.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker
from sqlalchemy.types import TypeDecorator

from tergeu import settings
from tergeu.errors import ConfigError, StorageError


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC; refuses naive input so local time never sneaks in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Officer(Base):
    __tablename__ = "officers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    public_key: Mapped[str] = mapped_column(String(64))  # raw Ed25519 public key, hex
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(30), default="open")
    articles: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    description: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str] = mapped_column(String(100), default="")
    method: Mapped[str] = mapped_column(String(40), default="")
    channel: Mapped[str] = mapped_column(String(40), default="")
    loss_kzt: Mapped[float] = mapped_column(Float, default=0.0)
    erdr_number: Mapped[str] = mapped_column(String(40), default="")
    evidence: Mapped[list[EvidenceItem]] = relationship(back_populates="case", order_by="EvidenceItem.id")


class EvidenceItem(Base):
    __tablename__ = "evidence_items"
    __table_args__ = (UniqueConstraint("case_id", "original_path", "sha256", name="uq_evidence_once"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    sha1: Mapped[str] = mapped_column(String(40))
    md5: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(BigInteger)
    original_path: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    mtime: Mapped[datetime | None] = mapped_column()
    atime: Mapped[datetime | None] = mapped_column()
    ctime: Mapped[datetime | None] = mapped_column()
    birthtime: Mapped[datetime | None] = mapped_column()
    owner: Mapped[str] = mapped_column(String(200), default="")
    mode: Mapped[int] = mapped_column(Integer, default=0)
    acquired_by: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)
    acquisition_host: Mapped[str] = mapped_column(String(200), default="")
    tool_version: Mapped[str] = mapped_column(String(60), default="")
    case: Mapped[Case] = relationship(back_populates="evidence")


class CustodyEntry(Base):
    __tablename__ = "custody_entries"
    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_custody_seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    ts: Mapped[str] = mapped_column(String(40))  # ISO-8601 UTC exactly as hashed
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    evidence_ids: Mapped[list[Any]] = mapped_column(default=list)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
    key_fingerprint: Mapped[str] = mapped_column(String(64))


class ParseWarningRow(Base):
    __tablename__ = "parse_warnings"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_items.id"))
    analyzer: Mapped[str] = mapped_column(String(60), default="")
    path: Mapped[str] = mapped_column(Text)
    offset: Mapped[int | None] = mapped_column(BigInteger)
    record: Mapped[str | None] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(60), default="parse")
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FindingRow(Base):
    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_items.id"), index=True)
    kind: Mapped[str] = mapped_column(String(60), index=True)
    analyzer: Mapped[str] = mapped_column(String(60), index=True)
    method: Mapped[str] = mapped_column(String(100))
    score: Mapped[float] = mapped_column(Float, default=1.0)
    summary: Mapped[str] = mapped_column(Text)
    start: Mapped[datetime | None] = mapped_column()
    end: Mapped[datetime | None] = mapped_column()
    src: Mapped[str | None] = mapped_column(String(200))
    dst: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    refs: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_case_ts", "case_id", "ts"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_items.id"), index=True)
    ts: Mapped[datetime] = mapped_column()
    ts_precision: Mapped[str] = mapped_column(String(4), default="s")
    tz: Mapped[str] = mapped_column(String(60), default="UTC")
    ts_desc: Mapped[str] = mapped_column(String(60), default="Event Time")
    source: Mapped[str] = mapped_column(String(60))
    event_type: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(Text)
    attrs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    offset: Mapped[int | None] = mapped_column(BigInteger)
    record: Mapped[str | None] = mapped_column(String(100))


class IdentifierRow(Base):
    __tablename__ = "identifiers"
    __table_args__ = (Index("ix_identifiers_type_norm", "type", "normalized"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_items.id"))
    type: Mapped[str] = mapped_column(String(30))
    value: Mapped[str] = mapped_column(Text)
    normalized: Mapped[str] = mapped_column(String(300))
    valid: Mapped[bool] = mapped_column(Boolean, default=True)
    offset: Mapped[int | None] = mapped_column(BigInteger)
    record: Mapped[str | None] = mapped_column(String(100))
    attrs: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Artifact(Base):
    """A derived file (flows parquet, report, export) kept under $TERGEU_HOME with its hash."""

    __tablename__ = "artifacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_items.id"))
    kind: Mapped[str] = mapped_column(String(40))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def database_url() -> str:
    url: str = settings.get("database_url")
    return url or f"sqlite:///{settings.home() / 'tergeu.db'}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _shown(url: str) -> str:
    """The URL as a person may see it: the password never appears in a message."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # unparseable: nothing in it can be told apart from a password
        return url.split("@")[-1] if "@" in url else url


@cache
def _engine_for(url: str) -> Engine:
    try:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ConfigError(f"{_shown(url)}: {exc}", key="error.database_url") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def get_engine(url: str | None = None) -> Engine:
    engine = _engine_for(url or database_url())
    _migrate_once(engine)
    return engine


_migrated: set[str] = set()
_migrate_lock = threading.Lock()


def _migrate_once(engine: Engine) -> None:
    """Upgrade once per process and URL; the lock keeps concurrent first requests from racing Alembic."""
    key = str(engine.url)
    if key in _migrated:
        return
    with _migrate_lock:
        if key not in _migrated:
            try:
                init_db(engine)
            except DBAPIError as exc:  # server down, wrong password, a file that is no database, ...
                reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
                shown = engine.url.render_as_string(hide_password=True)
                raise StorageError(f"{shown}: {reason}", key="error.database") from exc
            _migrated.add(key)


def init_db(engine: Engine) -> None:
    """Upgrade the database to the newest Alembic revision (creating it when empty)."""
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("tergeu") / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    maker = sessionmaker(bind=get_engine(url), expire_on_commit=False)
    session = maker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
