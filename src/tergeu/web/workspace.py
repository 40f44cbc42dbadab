"""The investigators' workspace as a library: who may see and do what, and the case views.

Every page and API route goes through :func:`require` (role) and :func:`visible_case` (scope: admin
sees every case; others only their unit's cases and cases assigned to them). A case outside a
user's scope is reported as not found, so its existence does not leak. Findings, events and
identifiers are read from the generic tables and grouped by analyzer and kind, so the output of an
analyzer added later appears without changes here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from tergeu import custody
from tergeu.cases import _validate_articles, get_case
from tergeu.db import Case, EventRow, EvidenceItem, FindingRow, IdentifierRow, ParseWarningRow
from tergeu.errors import ConfigError, NotFoundError, TergeuError
from tergeu.web.models import Assignment, AuditEntry, Note, Statement, Task, User

#: Which roles may do what. "view": read a case in scope; "work": notes, tasks, verification;
#: "decide": register statements, change status, assign; "admin": accounts and the global audit log.
PERMISSIONS: dict[str, tuple[str, ...]] = {
    "view": ("admin", "investigator", "analyst", "viewer"),
    "work": ("admin", "investigator", "analyst"),
    "decide": ("admin", "investigator"),
    "admin": ("admin",),
}

STATUSES = ("statement", "registered", "investigation", "suspended", "sent_to_court", "closed", "rejected")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "statement": ("registered", "rejected"),
    "registered": ("investigation", "suspended", "closed"),
    "investigation": ("suspended", "sent_to_court", "closed"),
    "suspended": ("investigation", "closed"),
    "sent_to_court": ("closed",),
    "closed": ("investigation",),
    "rejected": ("statement",),
}


class Forbidden(TergeuError):
    key = "web.err.forbidden"
    exit_code = 8


def allowed(user: User, what: str) -> bool:
    return user.role in PERMISSIONS[what]


def require(user: User, what: str) -> None:
    if not allowed(user, what):
        raise Forbidden(what)


Q = TypeVar("Q", bound=Select)  # type: ignore[type-arg]


def scope_filter(session: Session, user: User, query: Q) -> Q:
    if user.role == "admin":
        return query
    assigned = select(Assignment.case_id).where(Assignment.user_id == user.id)
    return query.where(or_(Case.unit == user.unit, Case.id.in_(assigned)))


def visible_case(session: Session, user: User, ref: str) -> Case:
    """The case if ``user`` may see it; NotFound otherwise (the same answer as for a missing case)."""
    require(user, "view")
    try:
        case = get_case(session, ref)
    except NotFoundError:
        raise
    query = scope_filter(session, user, select(Case.id).where(Case.id == case.id))
    if session.scalar(query) is None:
        raise NotFoundError(str(ref), key="error.case_not_found")
    return case


def visible_statement(session: Session, user: User, statement_id: int) -> Statement:
    statement = session.get(Statement, statement_id)
    if statement is None:
        raise NotFoundError(str(statement_id), key="web.err.no_statement")
    visible_case(session, user, str(statement.case_id))
    return statement


def list_cases(session: Session, user: User, status: str = "") -> list[Case]:
    require(user, "view")
    query = scope_filter(session, user, select(Case))
    if status:
        query = query.where(Case.status == status)
    return list(session.scalars(query.order_by(Case.id.desc()).limit(500)))


def queue(session: Session, user: User) -> list[tuple[Statement, Case]]:
    """Statements waiting for a decision, oldest first."""
    require(user, "view")
    query = scope_filter(
        session, user, select(Statement, Case).join(Case, Case.id == Statement.case_id)
    ).where(Statement.status == "received")
    return [(s, c) for s, c in session.execute(query.order_by(Statement.id).limit(500))]


def audit(
    session: Session,
    actor: str,
    action: str,
    *,
    role: str = "",
    target: str = "",
    case_id: int | None = None,
    ip: str = "",
    user_agent: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            actor=actor[:80],
            role=role,
            action=action[:60],
            target=target[:200],
            case_id=case_id,
            ip=ip[:60],
            user_agent=user_agent[:300],
            details=details or {},
        )
    )
    session.flush()


def register(
    session: Session,
    user: User,
    statement: Statement,
    erdr_number: str,
    articles: list[str],
    method: str = "",
) -> Case:
    """Register a statement as a criminal case: ERDR number and the investigator's qualification."""
    require(user, "decide")
    case = visible_case(session, user, str(statement.case_id))
    if statement.status != "received":
        raise ConfigError(statement.number, key="web.err.already_decided")
    erdr_number = erdr_number.strip()
    if not erdr_number or len(erdr_number) > 40:
        raise ConfigError(erdr_number, key="web.err.erdr_required")
    case.articles = _validate_articles([a for a in articles if a.strip()])
    case.erdr_number = erdr_number
    if method:
        case.method = method
    case.status = "registered"
    statement.status = "registered"
    _assign(session, case, user, user.username)
    return case


def reject(session: Session, user: User, statement: Statement, reason: str) -> None:
    require(user, "decide")
    case = visible_case(session, user, str(statement.case_id))
    if statement.status != "received":
        raise ConfigError(statement.number, key="web.err.already_decided")
    statement.status = "rejected"
    case.status = "rejected"
    session.add(Note(case_id=case.id, author=user.username, text=f"[rejected] {reason}"))


def set_status(session: Session, user: User, case: Case, status: str) -> None:
    require(user, "decide")
    if status not in TRANSITIONS.get(case.status, ()):
        raise ConfigError(status, key="web.err.bad_transition", frm=case.status, to=status)
    case.status = status


def _assign(session: Session, case: Case, user: User, by: str) -> None:
    exists = session.scalar(
        select(Assignment).where(Assignment.case_id == case.id, Assignment.user_id == user.id)
    )
    if exists is None:
        session.add(Assignment(case_id=case.id, user_id=user.id, assigned_by=by))
        session.flush()


def assign(session: Session, user: User, case: Case, username: str) -> User:
    require(user, "decide")
    target = session.scalar(select(User).where(User.username == username))
    if target is None:
        raise NotFoundError(username, key="web.err.no_user", user=username)
    _assign(session, case, target, user.username)
    return target


def add_note(session: Session, user: User, case: Case, text: str) -> Note:
    require(user, "work")
    text = text.strip()
    if not text:
        raise ConfigError("", key="web.err.empty")
    note = Note(case_id=case.id, author=user.username, text=text[:20_000])
    session.add(note)
    session.flush()
    return note


def add_task(session: Session, user: User, case: Case, title: str, assignee: str = "", due: str = "") -> Task:
    require(user, "work")
    title = title.strip()
    if not title:
        raise ConfigError("", key="web.err.empty")
    if due:
        try:
            datetime.strptime(due, "%Y-%m-%d")
        except ValueError as exc:
            raise ConfigError(due, key="web.err.bad_date") from exc
    task = Task(
        case_id=case.id, title=title[:2000], assignee=assignee[:80], due=due, created_by=user.username
    )
    session.add(task)
    session.flush()
    return task


def finish_task(session: Session, user: User, case: Case, task_id: int) -> Task:
    require(user, "work")
    task = session.get(Task, task_id)
    if task is None or task.case_id != case.id:
        raise NotFoundError(str(task_id), key="web.err.no_task")
    task.done = True
    return task


@dataclass
class Linked:
    case: Case
    shared: list[tuple[str, str]]


def linked_cases(session: Session, user: User, case: Case) -> tuple[list[Linked], int]:
    """Cases sharing an identifier with ``case``: the ones ``user`` may see, and a count of the others."""
    mine = (
        select(IdentifierRow.type, IdentifierRow.normalized)
        .where(IdentifierRow.case_id == case.id)
        .distinct()
    )
    pairs = {(t, n) for t, n in session.execute(mine)}
    if not pairs:
        return [], 0
    other = session.execute(
        select(IdentifierRow.case_id, IdentifierRow.type, IdentifierRow.normalized)
        .where(IdentifierRow.case_id != case.id)
        .where(or_(*[and_(IdentifierRow.type == t, IdentifierRow.normalized == n) for t, n in pairs]))
        .distinct()
    )
    shared: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for cid, t, n in other:
        shared[cid].add((t, n))
    if not shared:
        return [], 0
    visible = set(session.scalars(scope_filter(session, user, select(Case.id).where(Case.id.in_(shared)))))
    out = [Linked(session.get(Case, cid), sorted(shared[cid])) for cid in sorted(visible)]  # type: ignore[arg-type]
    return out, len(shared) - len(visible)


def case_overview(session: Session, user: User, case: Case) -> dict[str, Any]:
    """Everything the case page shows, read from the generic tables."""
    findings = list(
        session.scalars(
            select(FindingRow)
            .where(FindingRow.case_id == case.id)
            .order_by(FindingRow.score.desc())
            .limit(2000)
        )
    )
    by_analyzer: dict[str, dict[str, list[FindingRow]]] = defaultdict(lambda: defaultdict(list))
    for f in findings:
        by_analyzer[f.analyzer][f.kind].append(f)
    identifiers = list(
        session.scalars(
            select(IdentifierRow)
            .where(IdentifierRow.case_id == case.id)
            .order_by(IdentifierRow.type)
            .limit(5000)
        )
    )
    by_type: dict[str, list[IdentifierRow]] = defaultdict(list)
    for i in identifiers:
        by_type[i.type].append(i)
    event_counts = list(
        session.execute(
            select(EventRow.source, func.count(EventRow.id))
            .where(EventRow.case_id == case.id)
            .group_by(EventRow.source)
        )
    )
    warnings = (
        session.scalar(select(func.count(ParseWarningRow.id)).where(ParseWarningRow.case_id == case.id)) or 0
    )
    evidence = list(
        session.scalars(
            select(EvidenceItem).where(EvidenceItem.case_id == case.id).order_by(EvidenceItem.id).limit(5000)
        )
    )
    linked, hidden = linked_cases(session, user, case)
    return {
        "case": case,
        "statement": session.scalar(select(Statement).where(Statement.case_id == case.id)),
        "evidence": evidence,
        "evidence_names": {e.id: e.name for e in evidence},
        "custody": custody.entries(session, case),
        "findings": {a: dict(k) for a, k in sorted(by_analyzer.items())},
        "n_findings": len(findings),
        "identifiers": dict(sorted(by_type.items())),
        "event_counts": event_counts,
        "n_events": sum(n for _, n in event_counts),
        "warnings": warnings,
        "linked": linked,
        "linked_hidden": hidden,
        "tasks": list(
            session.scalars(select(Task).where(Task.case_id == case.id).order_by(Task.done, Task.id))
        ),
        "notes": list(session.scalars(select(Note).where(Note.case_id == case.id).order_by(Note.id.desc()))),
        "assigned": [
            u.username
            for u in session.scalars(
                select(User)
                .join(Assignment, Assignment.user_id == User.id)
                .where(Assignment.case_id == case.id)
            )
        ],
        "transitions": TRANSITIONS.get(case.status, ()),
        "audit": list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.case_id == case.id)
                .order_by(AuditEntry.id.desc())
                .limit(200)
            )
        ),
    }


def events(
    session: Session,
    case: Case,
    source: str = "",
    event_type: str = "",
    text: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 200,
    offset: int = 0,
) -> tuple[list[EventRow], int]:
    """One page of the case timeline with filters, and the number of matching events."""
    query = select(EventRow).where(EventRow.case_id == case.id)
    if source:
        query = query.where(EventRow.source == source)
    if event_type:
        query = query.where(EventRow.event_type == event_type)
    if text:
        query = query.where(EventRow.message.contains(text[:200], autoescape=True))
    if start:
        query = query.where(EventRow.ts >= start)
    if end:
        query = query.where(EventRow.ts <= end)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(
        session.scalars(query.order_by(EventRow.ts, EventRow.id).limit(min(limit, 1000)).offset(offset))
    )
    return rows, total


def event_facets(session: Session, case: Case) -> tuple[list[str], list[str]]:
    sources = list(
        session.scalars(
            select(EventRow.source).where(EventRow.case_id == case.id).distinct().order_by(EventRow.source)
        )
    )
    types = list(
        session.scalars(
            select(EventRow.event_type)
            .where(EventRow.case_id == case.id)
            .distinct()
            .order_by(EventRow.event_type)
        )
    )
    return sources, types


def global_audit(session: Session, user: User, limit: int = 500) -> list[AuditEntry]:
    require(user, "admin")
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
