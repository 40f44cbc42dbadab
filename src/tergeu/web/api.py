"""The JSON API under ``/api/v1``, described by OpenAPI at ``/openapi.json``: what the pages do.

Authentication is the same session cookie as the pages (``POST /api/v1/session``); every unsafe
method of an authenticated route also needs the session's CSRF token in ``X-CSRF-Token``. The
public routes (filing a statement, tracking it) need no account and are rate limited.
"""

from __future__ import annotations

import secrets
import shutil
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from tergeu import qualify, settings
from tergeu.db import Case
from tergeu.i18n import LANGS
from tergeu.web import accounts, portal, security, workspace
from tergeu.web.analysis import mask
from tergeu.web.app import (
    CsrfFailed,
    LoginRequired,
    RateLimited,
    audit_request,
    client_ip,
    csrf_token,
    current_user,
    db,
    lang_of,
    password_stamp,
)
from tergeu.web.models import User
from tergeu.web.pages import file_and_audit, receive_uploads

router = APIRouter(prefix="/api/v1", tags=["api"])


def api_user(request: Request, session: Session = Depends(db)) -> User:
    user = current_user(request, session)
    if user is None:
        raise LoginRequired()
    return user


def api_csrf(
    request: Request, user: User = Depends(api_user), x_csrf_token: str | None = Header(default=None)
) -> None:
    """Unsafe methods need the session's token; authentication is checked first (401 before 403)."""
    if not security.csrf_ok(request.session.get(security.CSRF_KEY), x_csrf_token):
        raise CsrfFailed()


class Filed(BaseModel):
    number: str
    tracking_token: str
    tracking_url: str
    warnings: list[str]
    advice: list[str]
    suggestions: list[dict[str, Any]]


class Login(BaseModel):
    username: str = Field(max_length=80)
    password: str = Field(max_length=500)


class SessionInfo(BaseModel):
    username: str
    role: str
    unit: str
    csrf_token: str


class Register(BaseModel):
    erdr_number: str = Field(min_length=1, max_length=40)
    articles: list[str] = Field(default_factory=list, max_length=20)


class Reject(BaseModel):
    reason: str = Field(default="", max_length=2000)


class AssignIn(BaseModel):
    username: str = Field(min_length=1, max_length=80)


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=500)
    role: str = Field(max_length=20)
    unit: str = Field(default="", max_length=200)
    full_name: str = Field(default="", max_length=200)


class StatusChange(BaseModel):
    status: str = Field(max_length=30)


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=20_000)


class TaskIn(BaseModel):
    title: str = Field(min_length=1, max_length=2000)
    assignee: str = Field(default="", max_length=80)
    due: str = Field(default="", max_length=10)


class QualifyIn(BaseModel):
    method: str = Field(default="", max_length=40)
    acts: list[str] = Field(default_factory=list, max_length=20)
    text: str = Field(default="", max_length=50_000)
    lang: str = Field(default="en", max_length=2)


def _advice(keys: list[str], lang: str) -> list[str]:
    from tergeu.i18n import t

    return [t(k, lang) for k in keys]


def _suggest(method: str, acts: list[str], lang: str) -> list[dict[str, Any]]:
    try:
        return [s.to_dict(lang) for s in qualify.suggest(method, acts)]
    except ValueError:
        return []


@router.post(
    "/statements", response_model=Filed, status_code=201, summary="File a victim's statement (public)"
)
async def file_statement(
    request: Request,
    statement: str = Form(..., description="StatementIn as JSON", max_length=400_000),
    files: list[UploadFile] = File(default=[]),
) -> Filed:
    """Multipart: ``statement`` is the JSON of :class:`StatementIn`, ``files`` the uploads."""
    if not request.app.state.limiter.allow(client_ip(request)):
        raise RateLimited()
    data = portal.StatementIn.model_validate_json(statement)
    work = settings.home() / "tmp" / f"upload-{secrets.token_hex(8)}"
    try:
        uploads = await receive_uploads(list(files), work, data.lang)
        filed = await run_in_threadpool(file_and_audit, request, data, uploads, True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    a = filed.analysis
    return Filed(
        number=filed.number,
        tracking_token=filed.token,
        tracking_url=f"/track/{filed.token}",
        warnings=filed.warnings,
        advice=_advice(a.get("advice", []), data.lang),
        suggestions=_suggest(a.get("method", ""), a.get("acts", []), data.lang),
    )


@router.get("/track/{token}", summary="Status of a statement by its private token (public)")
def track(token: str, request: Request, session: Session = Depends(db)) -> dict[str, Any]:
    view = portal.tracking_view(session, portal.by_token(session, token))
    view["advice"] = _advice(view["advice"], lang_of(request))
    return view


@router.post("/session", response_model=SessionInfo, summary="Log in (sets the session cookie)")
def login(body: Login, request: Request, session: Session = Depends(db)) -> SessionInfo:
    if not request.app.state.limiter.allow("login:" + client_ip(request)):
        raise RateLimited()
    user = accounts.authenticate(session, body.username, body.password)
    if user is None:
        audit_request(
            session, request, "login_failed", actor=body.username[:80] or "?", details={"api": True}
        )
        raise LoginRequired()
    request.session.clear()
    request.session.update({"uid": user.id, "pw": password_stamp(user)})
    request.state.user = user
    audit_request(session, request, "login", details={"api": True})
    return SessionInfo(username=user.username, role=user.role, unit=user.unit, csrf_token=csrf_token(request))


@router.delete("/session", status_code=204, dependencies=[Depends(api_csrf)], summary="Log out")
def logout(request: Request, user: User = Depends(api_user), session: Session = Depends(db)) -> None:
    audit_request(session, request, "logout", details={"api": True})
    request.session.clear()


def _case_summary(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "title": case.title,
        "status": case.status,
        "articles": list(case.articles),
        "erdr_number": case.erdr_number,
        "unit": case.unit,
        "method": case.method,
        "channel": case.channel,
        "loss_kzt": case.loss_kzt,
        "created_at": case.created_at.isoformat(),
    }


@router.get("/statements", summary="Queue of statements waiting for a decision")
def statements(
    request: Request, user: User = Depends(api_user), session: Session = Depends(db)
) -> list[dict[str, Any]]:
    audit_request(session, request, "view_queue", details={"api": True})
    return [
        {
            "id": s.id,
            "number": s.number,
            "case": c.number,
            "channel": s.channel,
            "filed_at": s.created_at.isoformat(),
            "method": s.analysis.get("method", ""),
            "loss_kzt": c.loss_kzt,
        }
        for s, c in workspace.queue(session, user)
    ]


@router.get("/statements/{statement_id}", summary="One statement with its analysis and suggested articles")
def statement(
    statement_id: int, request: Request, user: User = Depends(api_user), session: Session = Depends(db)
) -> dict[str, Any]:
    s = workspace.visible_statement(session, user, statement_id)
    audit_request(
        session, request, "view_statement", target=s.number, case_id=s.case_id, details={"api": True}
    )
    lang = lang_of(request)
    return {
        "id": s.id,
        "number": s.number,
        "status": s.status,
        "case_id": s.case_id,
        "lang": s.lang,
        "victim": {
            "name": s.victim_name,
            "iin": s.victim_iin,
            "phone": s.victim_phone,
            "email": s.victim_email,
        },
        "channel": s.channel,
        "happened_at": s.happened_at.isoformat() if s.happened_at else None,
        "description": s.description,
        "messages": s.messages,
        "suspects": [{**x, "shown": mask(x["type"], x["value"])} for x in s.suspects],
        "transactions": [{**x, "recipient": mask("card", x.get("recipient", ""))} for x in s.transactions],
        "analysis": s.analysis,
        "suggestions": _suggest(s.analysis.get("method", ""), s.analysis.get("acts", []), lang),
    }


@router.post(
    "/statements/{statement_id}/register", dependencies=[Depends(api_csrf)], summary="Register as a case"
)
def register(
    statement_id: int,
    body: Register,
    request: Request,
    user: User = Depends(api_user),
    session: Session = Depends(db),
) -> dict[str, Any]:
    s = workspace.visible_statement(session, user, statement_id)
    case = workspace.register(session, user, s, body.erdr_number, body.articles, s.analysis.get("method", ""))
    audit_request(
        session,
        request,
        "case_registered",
        target=case.number,
        case_id=case.id,
        details={"erdr": case.erdr_number, "articles": case.articles, "api": True},
    )
    return _case_summary(case)


@router.post(
    "/statements/{statement_id}/reject", dependencies=[Depends(api_csrf)], summary="Refuse registration"
)
def reject(
    statement_id: int,
    body: Reject,
    request: Request,
    user: User = Depends(api_user),
    session: Session = Depends(db),
) -> dict[str, Any]:
    s = workspace.visible_statement(session, user, statement_id)
    workspace.reject(session, user, s, body.reason)
    audit_request(
        session, request, "statement_rejected", target=s.number, case_id=s.case_id, details={"api": True}
    )
    return {"number": s.number, "status": s.status}


@router.get("/cases", summary="Cases the user may see")
def cases(
    request: Request,
    status: str = Query(default="", max_length=30),
    user: User = Depends(api_user),
    session: Session = Depends(db),
) -> list[dict[str, Any]]:
    audit_request(session, request, "list_cases", details={"api": True})
    return [_case_summary(c) for c in workspace.list_cases(session, user, status)]


@router.get(
    "/cases/{number}", summary="A case: evidence, custody, findings and identifiers of every analyzer"
)
def case(
    number: str, request: Request, user: User = Depends(api_user), session: Session = Depends(db)
) -> dict[str, Any]:
    c = workspace.visible_case(session, user, number)
    audit_request(session, request, "view_case", target=c.number, case_id=c.id, details={"api": True})
    v = workspace.case_overview(session, user, c)
    return {
        **_case_summary(c),
        "evidence": [
            {
                "id": e.id,
                "name": e.name,
                "size": e.size,
                "sha256": e.sha256,
                "acquired_by": e.acquired_by,
                "acquired_at": e.acquired_at.isoformat(),
                "source": e.source,
            }
            for e in v["evidence"]
        ],
        "custody": [
            {
                "seq": e.seq,
                "ts": e.ts,
                "actor": e.actor,
                "action": e.action,
                "evidence": e.evidence_ids,
                "hash": e.entry_hash,
            }
            for e in v["custody"]
        ],
        "findings": [
            {
                "id": f.id,
                "analyzer": f.analyzer,
                "kind": f.kind,
                "method": f.method,
                "score": f.score,
                "summary": f.summary,
                "evidence_id": f.evidence_id,
                "refs": f.refs,
                "details": f.details,
            }
            for kinds in v["findings"].values()
            for rows in kinds.values()
            for f in rows
        ],
        "identifiers": [
            {
                "type": i.type,
                "value": mask(i.type, i.value),
                "normalized": mask(i.type, i.normalized),
                "valid": i.valid,
                "evidence_id": i.evidence_id,
                "offset": i.offset,
            }
            for rows in v["identifiers"].values()
            for i in rows
        ],
        "events": {src: n for src, n in v["event_counts"]},
        "linked_cases": [
            {"number": lk.case.number, "shared": [list(p) for p in lk.shared]} for lk in v["linked"]
        ],
        "linked_elsewhere": v["linked_hidden"],
        "tasks": [
            {"id": t.id, "title": t.title, "assignee": t.assignee, "due": t.due, "done": t.done}
            for t in v["tasks"]
        ],
        "notes": [
            {"id": n.id, "author": n.author, "text": n.text, "at": n.created_at.isoformat()}
            for n in v["notes"]
        ],
    }


@router.get("/cases/{number}/events", summary="Timeline of a case with filters")
def case_events(
    number: str,
    request: Request,
    source: str = Query(default="", max_length=60),
    type: str = Query(default="", max_length=60),
    q: str = Query(default="", max_length=200),
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = Query(default=200, ge=1, le=1000),
    offset: int = Query(default=0, ge=0, le=10_000_000),
    user: User = Depends(api_user),
    session: Session = Depends(db),
) -> dict[str, Any]:
    c = workspace.visible_case(session, user, number)
    rows, total = workspace.events(session, c, source, type, q, start, end, limit, offset)
    audit_request(session, request, "view_timeline", target=c.number, case_id=c.id, details={"api": True})
    return {
        "total": total,
        "events": [
            {
                "ts": e.ts.isoformat(),
                "source": e.source,
                "type": e.event_type,
                "message": e.message,
                "evidence_id": e.evidence_id,
                "offset": e.offset,
                "record": e.record,
                "tz": e.tz,
            }
            for e in rows
        ],
    }


@router.post(
    "/cases/{number}/verify", dependencies=[Depends(api_csrf)], summary="Re-hash evidence, check custody"
)
def verify(
    number: str, request: Request, user: User = Depends(api_user), session: Session = Depends(db)
) -> dict[str, Any]:
    from tergeu import custody
    from tergeu.verify import verify_case

    workspace.require(user, "work")
    c = workspace.visible_case(session, user, number)
    report = verify_case(session, c)
    if report.ok:
        custody.append(
            session, c, user.username, "verified", [], {"items": report.items, "seal": report.seal}
        )
    audit_request(
        session,
        request,
        "custody_verified",
        target=c.number,
        case_id=c.id,
        details={"ok": report.ok, "api": True},
    )
    return {
        "ok": report.ok,
        "items": report.items,
        "entries": report.entries,
        "seal": report.seal,
        "problems": report.problems,
    }


@router.post("/cases/{number}/status", dependencies=[Depends(api_csrf)], summary="Change the case status")
def status(
    number: str,
    body: StatusChange,
    request: Request,
    user: User = Depends(api_user),
    session: Session = Depends(db),
) -> dict[str, Any]:
    c = workspace.visible_case(session, user, number)
    old = c.status
    workspace.set_status(session, user, c, body.status)
    audit_request(
        session,
        request,
        "status_changed",
        target=c.number,
        case_id=c.id,
        details={"from": old, "to": c.status, "api": True},
    )
    return _case_summary(c)


@router.post("/cases/{number}/notes", dependencies=[Depends(api_csrf)], status_code=201, summary="Add a note")
def note(
    number: str,
    body: NoteIn,
    request: Request,
    user: User = Depends(api_user),
    session: Session = Depends(db),
) -> dict[str, Any]:
    c = workspace.visible_case(session, user, number)
    n = workspace.add_note(session, user, c, body.text)
    audit_request(
        session, request, "note_added", target=c.number, case_id=c.id, details={"note": n.id, "api": True}
    )
    return {"id": n.id}


@router.post("/cases/{number}/tasks", dependencies=[Depends(api_csrf)], status_code=201, summary="Add a task")
def task(
    number: str,
    body: TaskIn,
    request: Request,
    user: User = Depends(api_user),
    session: Session = Depends(db),
) -> dict[str, Any]:
    c = workspace.visible_case(session, user, number)
    tk = workspace.add_task(session, user, c, body.title, body.assignee, body.due)
    audit_request(
        session, request, "task_added", target=c.number, case_id=c.id, details={"task": tk.id, "api": True}
    )
    return {"id": tk.id}


@router.post(
    "/cases/{number}/tasks/{task_id}/done", dependencies=[Depends(api_csrf)], summary="Mark a task done"
)
def task_done(
    number: str,
    task_id: int,
    request: Request,
    user: User = Depends(api_user),
    session: Session = Depends(db),
) -> dict[str, Any]:
    c = workspace.visible_case(session, user, number)
    tk = workspace.finish_task(session, user, c, task_id)
    audit_request(
        session, request, "task_done", target=c.number, case_id=c.id, details={"task": tk.id, "api": True}
    )
    return {"id": tk.id, "done": tk.done}


@router.post("/cases/{number}/assign", dependencies=[Depends(api_csrf)], summary="Assign the case to a user")
def assign(
    number: str,
    body: AssignIn,
    request: Request,
    user: User = Depends(api_user),
    session: Session = Depends(db),
) -> dict[str, Any]:
    c = workspace.visible_case(session, user, number)
    target = workspace.assign(session, user, c, body.username)
    audit_request(
        session,
        request,
        "assigned",
        target=c.number,
        case_id=c.id,
        details={"user": target.username, "api": True},
    )
    return {"case": c.number, "assigned": target.username}


@router.get("/cases/{number}/evidence/{item_id}", summary="One evidence item with what analyzers found in it")
def evidence_item(
    number: str,
    item_id: int,
    request: Request,
    user: User = Depends(api_user),
    session: Session = Depends(db),
) -> dict[str, Any]:
    from sqlalchemy import select

    from tergeu.db import EvidenceItem, FindingRow, IdentifierRow
    from tergeu.errors import NotFoundError

    c = workspace.visible_case(session, user, number)
    e = session.get(EvidenceItem, item_id)
    if e is None or e.case_id != c.id:
        raise NotFoundError(str(item_id), key="error.evidence_not_found")
    audit_request(
        session, request, "view_evidence", target=f"{c.number}#{e.id}", case_id=c.id, details={"api": True}
    )
    return {
        "id": e.id,
        "name": e.name,
        "size": e.size,
        "sha256": e.sha256,
        "sha1": e.sha1,
        "md5": e.md5,
        "acquired_by": e.acquired_by,
        "acquired_at": e.acquired_at.isoformat(),
        "source": e.source,
        "note": e.note,
        "findings": [
            {"analyzer": f.analyzer, "kind": f.kind, "summary": f.summary, "score": f.score, "refs": f.refs}
            for f in session.scalars(select(FindingRow).where(FindingRow.evidence_id == e.id).limit(500))
        ],
        "identifiers": [
            {"type": i.type, "value": mask(i.type, i.value), "offset": i.offset}
            for i in session.scalars(
                select(IdentifierRow).where(IdentifierRow.evidence_id == e.id).limit(2000)
            )
        ],
    }


@router.get("/cases/{number}/audit", summary="Audit log of a case")
def case_audit(
    number: str, request: Request, user: User = Depends(api_user), session: Session = Depends(db)
) -> list[dict[str, Any]]:
    c = workspace.visible_case(session, user, number)
    v = workspace.case_overview(session, user, c)
    return [_audit_row(a) for a in v["audit"]]


@router.get("/audit", summary="Global audit log (admin)")
def global_audit(
    request: Request, user: User = Depends(api_user), session: Session = Depends(db)
) -> list[dict[str, Any]]:
    rows = workspace.global_audit(session, user)
    audit_request(session, request, "view_audit", details={"api": True})
    return [_audit_row(a) for a in rows]


def _audit_row(a: Any) -> dict[str, Any]:
    return {
        "ts": a.ts.isoformat(),
        "actor": a.actor,
        "role": a.role,
        "action": a.action,
        "target": a.target,
        "ip": a.ip,
        "details": a.details,
    }


@router.get("/users", summary="Accounts (admin)")
def users(
    request: Request, user: User = Depends(api_user), session: Session = Depends(db)
) -> list[dict[str, Any]]:
    workspace.require(user, "admin")
    return [
        {"username": u.username, "full_name": u.full_name, "role": u.role, "unit": u.unit, "active": u.active}
        for u in accounts.list_users(session)
    ]


@router.post("/users", dependencies=[Depends(api_csrf)], status_code=201, summary="Create an account (admin)")
def user_add(
    body: UserIn, request: Request, user: User = Depends(api_user), session: Session = Depends(db)
) -> dict[str, Any]:
    workspace.require(user, "admin")
    new = accounts.create_user(session, body.username, body.password, body.role, body.unit, body.full_name)
    audit_request(
        session,
        request,
        "user_created",
        target=new.username,
        details={"role": new.role, "unit": new.unit, "api": True},
    )
    return {"username": new.username, "role": new.role, "unit": new.unit}


@router.post("/qualify", summary="Suggest articles from method and acts (or from a text)")
def qualify_api(body: QualifyIn, user: User = Depends(api_user)) -> dict[str, Any]:
    lang = body.lang if body.lang in LANGS else "en"
    method, acts = body.method, list(body.acts)
    inferred = None
    if body.text and not (method or acts):
        inferred = qualify.infer_from_text(body.text)
        method, acts = inferred.method, inferred.acts
    if (method and method not in qualify.METHODS) or any(a not in qualify.ACTS for a in acts):
        from tergeu.errors import ConfigError

        raise ConfigError(method, key="web.err.bad_qualify")
    return {
        "method": method,
        "acts": acts,
        "cues": inferred.cues if inferred else {},
        "suggestions": [s.to_dict(lang) for s in qualify.suggest(method, acts)],
        "note": "Titles are summaries; check them against the official text. The investigator decides.",
    }
