"""The victims' statement: validation, filing as a case with evidence and custody, and tracking.

A statement becomes a case at once (status ``statement``) so that its text and uploads enter the
evidence store with a custody entry from the first minute, and analyzers store their output against
it like against any other case. Registering it (ERDR number, qualification) is the investigator's
step. The victim gets a number and a private tracking link; only a hash of the link's token is kept.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tergeu import settings
from tergeu.cases import new_case
from tergeu.db import Case, session_scope
from tergeu.errors import InputError
from tergeu.evidence import add_evidence
from tergeu.web.models import Statement

PORTAL_ACTOR = "web-portal"
CHANNELS = ("call", "sms", "whatsapp", "telegram", "website", "email", "other")
SUSPECT_TYPES = ("phone", "card", "iban", "email", "url", "telegram", "wallet", "other")
_filing_lock = threading.Lock()


def iin_valid(iin: str) -> bool:
    """Kazakhstan IIN: 12 digits, a real birth date (YYMMDD + century digit) and the check digit."""
    if not re.fullmatch(r"\d{12}", iin):
        return False
    d = [int(c) for c in iin]
    century = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}.get(d[6])
    if century is None:
        return False
    try:
        datetime(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return False
    check = sum(w * x for w, x in zip(range(1, 12), d[:11], strict=True)) % 11
    if check == 10:
        weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
        check = sum(w * x for w, x in zip(weights, d[:11], strict=True)) % 11
        if check == 10:
            return False
    return check == d[11]


class SuspectIn(BaseModel):
    type: Literal["phone", "card", "iban", "email", "url", "telegram", "wallet", "other"]
    value: str = Field(min_length=1, max_length=300)


class TransactionIn(BaseModel):
    time: datetime | None = None
    amount_kzt: float = Field(default=0.0, ge=0, le=1e12)
    bank: str = Field(default="", max_length=200)
    recipient: str = Field(default="", max_length=200)


class StatementIn(BaseModel):
    """What a victim submits; the same model serves the form and ``POST /api/v1/statements``."""

    lang: Literal["kk", "ru", "en"] = "kk"
    victim_name: str = Field(min_length=3, max_length=200)
    victim_iin: str = Field(min_length=12, max_length=12)
    victim_phone: str = Field(default="", max_length=40)
    victim_email: str = Field(default="", max_length=200)
    victim_address: str = Field(default="", max_length=1000)
    channel: Literal["call", "sms", "whatsapp", "telegram", "website", "email", "other"]
    happened_at: datetime | None = None
    description: str = Field(min_length=10, max_length=20_000)
    suspects: list[SuspectIn] = Field(default_factory=list, max_length=20)
    transactions: list[TransactionIn] = Field(default_factory=list, max_length=20)
    messages: str = Field(default="", max_length=200_000)
    confirm_truth: bool

    @field_validator("victim_iin")
    @classmethod
    def _iin(cls, value: str) -> str:
        if not iin_valid(value):
            raise ValueError("invalid IIN (12 digits, birth date and check digit)")
        return value

    @field_validator("confirm_truth")
    @classmethod
    def _confirm(cls, value: bool) -> bool:
        if not value:
            raise ValueError("the victim must confirm awareness of liability for a knowingly false report")
        return value

    @field_validator("victim_name", "description")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("required")
        return value


@dataclass
class Upload:
    """A file received from the victim, already size-checked and sniffed, in a temporary folder."""

    name: str
    path: Path
    kind: str


@dataclass
class Filed:
    statement: Statement
    case: Case
    token: str
    warnings: list[str] = field(default_factory=list)


def local_to_utc(value: datetime | None) -> datetime | None:
    """Times a victim types carry no zone: they are wall-clock times where the victim lives, taken
    in the ``display_tz`` setting (e.g. Asia/Almaty), and stored as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        from tergeu.errors import ConfigError

        zone = str(settings.get("display_tz"))
        try:
            value = value.replace(tzinfo=ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"TERGEU_DISPLAY_TZ={zone!r}: unknown time zone", key="error.config") from exc
    return value.astimezone(UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def statement_text(data: StatementIn, number: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """The statement as one UTF-8 document (kept as evidence) and the character span of each section."""
    parts: list[tuple[str, str]] = [
        ("header", f"Statement {number}\nFiled: {datetime.now(UTC).isoformat(timespec='seconds')}\n"),
        (
            "victim",
            f"Victim: {data.victim_name}\nIIN: {data.victim_iin}\nPhone: {data.victim_phone}\n"
            f"E-mail: {data.victim_email}\nAddress: {data.victim_address}\n",
        ),
        (
            "incident",
            f"Channel: {data.channel}\nWhen: {data.happened_at.isoformat() if data.happened_at else ''}\n",
        ),
        ("description", f"What happened:\n{data.description}\n"),
        ("suspects", "Suspect identifiers:\n" + "".join(f"{s.type}: {s.value}\n" for s in data.suspects)),
        (
            "transactions",
            "Transactions:\n"
            + "".join(
                f"{tx.time.isoformat() if tx.time else ''} | {tx.amount_kzt:.2f} KZT | {tx.bank} | {tx.recipient}\n"
                for tx in data.transactions
            ),
        ),
        ("messages", f"Messages:\n{data.messages}\n"),
    ]
    text, spans, pos = "", {}, 0
    for name, chunk in parts:
        chunk += "\n"
        spans[name] = (pos, pos + len(chunk))
        text += chunk
        pos += len(chunk)
    return text, spans


def file_statement(session: Session, data: StatementIn, uploads: list[Upload], client_ip: str = "") -> Filed:
    """Create the case, store the statement text and uploads as evidence, then analyse them."""
    from tergeu.web.analysis import analyse_statement

    statement, case, token = _create(session, data, client_ip)
    warnings: list[str] = []
    # The document is written under its statement number in this process's scratch folder (a number
    # is held by one open transaction at a time, and filings in a process are serialised), then
    # removed: no folder is made or removed per filing, which costs milliseconds on some file systems.
    doc = _scratch() / f"{statement.number}.txt"
    try:
        text, spans = statement_text(data, statement.number)
        doc.write_text(text, encoding="utf-8")
        # One intake, one signed ``acquired`` entry covering the statement text and every upload,
        # flushed into the filing's transaction (committed by the caller with everything else).
        notes = {str(doc.resolve()): "statement text as submitted by the victim"}
        notes.update(
            {str(up.path.resolve()): f"uploaded by the victim as {up.name!r} ({up.kind})" for up in uploads}
        )
        intake = add_evidence(
            session,
            case,
            [doc, *(up.path for up in uploads)],
            PORTAL_ACTOR,
            source=f"statement {statement.number} (web portal)",
            note="statement text and uploads as submitted by the victim",
            commit=False,
            resume=False,
            notes=notes,
        )
        doc_item = next((i for i in intake.added if i.original_path == str(doc.resolve())), None)
        for failed_path, msg in intake.failed:
            warnings.append(f"{Path(failed_path).name}: {msg}")
        analysis = analyse_statement(session, case, statement, text, spans, doc_item, fresh=True)
        statement.analysis = analysis
        case.title = f"Statement {statement.number} ({data.channel})"  # one UPDATE with the analysis
        warnings.extend(analysis.get("warnings", []))
    finally:
        doc.unlink(missing_ok=True)
    return Filed(statement=statement, case=case, token=token, warnings=warnings)


@dataclass
class Receipt:
    """What the portal tells the victim after a committed filing."""

    number: str
    token: str
    case_id: int
    case_number: str
    analysis: dict[str, Any]
    warnings: list[str]


def submit(
    data: StatementIn,
    uploads: list[Upload],
    client_ip: str = "",
    on_filed: Callable[[Session, Filed], None] | None = None,
) -> Receipt:
    """File a statement in its own transaction, committed before this returns.

    ``on_filed`` runs inside the same transaction (the web app writes its audit entry there).

    Filings in one process are serialised so that case and statement numbers never collide and a
    SQLite writer never has to upgrade a stale read snapshot; a collision with another process
    (numbers are per-year counters) is retried.
    """
    for attempt in range(3):
        try:
            with _filing_lock, session_scope() as session:
                if session.get_bind().dialect.name == "sqlite":
                    # Take the write lock now: a deferred transaction that reads first may be refused
                    # the upgrade (SQLITE_BUSY) when another connection wrote in between.
                    session.connection().exec_driver_sql("BEGIN IMMEDIATE")
                filed = file_statement(session, data, uploads, client_ip)
                if on_filed is not None:
                    on_filed(session, filed)
                return Receipt(
                    filed.statement.number,
                    filed.token,
                    filed.case.id,
                    filed.case.number,
                    dict(filed.statement.analysis),
                    filed.warnings,
                )
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _scratch() -> Path:
    work = settings.home() / "tmp" / f"statements-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    return work


def _create(session: Session, data: StatementIn, client_ip: str) -> tuple[Statement, Case, str]:
    loss = sum(tx.amount_kzt for tx in data.transactions)
    case = new_case(
        session,
        f"Statement ({data.channel})",
        PORTAL_ACTOR,
        (),
        channel=data.channel,
        loss_kzt=loss,
        description=data.description[:2000],
        status="statement",
    )
    token = secrets.token_urlsafe(24)
    happened = data.happened_at = local_to_utc(data.happened_at)
    for tx in data.transactions:
        tx.time = local_to_utc(tx.time)
    statement = Statement(
        number=f"tmp-{secrets.token_hex(8)}",
        token_hash=token_hash(token),
        case_id=case.id,
        lang=data.lang,
        victim_name=data.victim_name,
        victim_iin=data.victim_iin,
        victim_phone=data.victim_phone,
        victim_email=data.victim_email,
        victim_address=data.victim_address,
        channel=data.channel,
        happened_at=happened,
        description=data.description,
        suspects=[s.model_dump() for s in data.suspects],
        transactions=[tx.model_dump(mode="json") for tx in data.transactions],
        messages=data.messages,
        client_ip=client_ip[:60],
    )
    session.add(statement)
    session.flush()
    statement.number = f"ST-{datetime.now(UTC).year}-{statement.id:06d}"
    session.flush()  # a number taken by another process fails here, early, and the filing is retried
    return statement, case, token


def by_token(session: Session, token: str) -> Statement:
    row = session.scalar(select(Statement).where(Statement.token_hash == token_hash(token)))
    if row is None:
        from tergeu.errors import NotFoundError

        raise NotFoundError("statement", key="web.err.no_statement")
    return row


def tracking_view(session: Session, statement: Statement) -> dict[str, Any]:
    """What the victim may see: number, status, dates, advice; not investigators' notes."""
    case = session.get(Case, statement.case_id)
    return {
        "number": statement.number,
        "status": statement.status,
        "case_status": case.status if case else "",
        "erdr_number": case.erdr_number if case else "",
        "filed_at": statement.created_at.isoformat(),
        "advice": list(statement.analysis.get("advice", [])),
    }


def check_upload_size(size: int) -> None:
    limit = int(settings.get("upload_max_mib")) * 2**20
    if size > limit:
        raise InputError(f"larger than {settings.get('upload_max_mib')} MiB", key="web.err.too_big")
