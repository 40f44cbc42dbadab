"""Server-rendered pages: the public portal (no login) and the workspace under ``/work``.

Handlers stay thin: parse the form, call the library, audit, render. Every form carries the
session's CSRF token and every ``/work`` route resolves the user and checks role and case scope.
"""

from __future__ import annotations

import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from tergeu import evidence as evidence_lib
from tergeu import qualify, settings
from tergeu.db import EvidenceItem, FindingRow, IdentifierRow, session_scope
from tergeu.errors import InputError, NotFoundError
from tergeu.i18n import t
from tergeu.web import accounts, portal, security, workspace
from tergeu.web.analysis import mask
from tergeu.web.app import (
    CsrfFailed,
    LoginRequired,
    RateLimited,
    audit_request,
    client_ip,
    current_user,
    db,
    flash,
    lang_of,
    password_stamp,
    render,
)
from tergeu.web.models import ROLES, User

router = APIRouter(include_in_schema=False)


async def csrf_form(request: Request) -> FormData:
    form = await request.form()
    given = form.get("csrf")
    if not security.csrf_ok(
        request.session.get(security.CSRF_KEY), given if isinstance(given, str) else None
    ):
        raise CsrfFailed()
    return form


def page_user(request: Request, session: Session = Depends(db)) -> User:
    user = current_user(request, session)
    if user is None:
        raise LoginRequired()
    return user


def _s(form: FormData, name: str, limit: int = 20_000) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


# ---------------------------------------------------------------- public portal


@router.get("/")
def home(request: Request, session: Session = Depends(db)) -> Response:
    current_user(request, session)
    return render(request, "portal_home.html", {})


@router.get("/statement")
def statement_form(request: Request, session: Session = Depends(db)) -> Response:
    current_user(request, session)
    return render(request, "statement_form.html", {"values": {}, "errors": {}, **_form_choices()})


def _form_choices() -> dict[str, Any]:
    return {"channels": portal.CHANNELS, "suspect_types": portal.SUSPECT_TYPES, "rows": range(3)}


def _statement_input(form: FormData, lang: str) -> dict[str, Any]:
    suspects = [
        {"type": typ, "value": str(val).strip()}
        for typ, val in zip(form.getlist("suspect_type"), form.getlist("suspect_value"), strict=False)
        if isinstance(val, str) and val.strip()
    ]
    txs = []
    for when, amount, bank, recipient in zip(
        form.getlist("tx_time"),
        form.getlist("tx_amount"),
        form.getlist("tx_bank"),
        form.getlist("tx_recipient"),
        strict=False,
    ):
        if any(isinstance(v, str) and v.strip() for v in (when, amount, bank, recipient)):
            txs.append(
                {
                    "time": (when or None) if isinstance(when, str) else None,
                    "amount_kzt": (str(amount).replace(" ", "").replace(",", ".") or 0)
                    if isinstance(amount, str)
                    else 0,
                    "bank": bank if isinstance(bank, str) else "",
                    "recipient": recipient if isinstance(recipient, str) else "",
                }
            )
    return {
        "lang": lang,
        "victim_name": _s(form, "victim_name", 300),
        "victim_iin": _s(form, "victim_iin", 20).strip(),
        "victim_phone": _s(form, "victim_phone", 40),
        "victim_email": _s(form, "victim_email", 200),
        "victim_address": _s(form, "victim_address", 1000),
        "channel": _s(form, "channel", 20),
        "happened_at": _s(form, "happened_at", 40) or None,
        "description": _s(form, "description"),
        "suspects": suspects,
        "transactions": txs,
        "messages": _s(form, "messages", 200_000),
        "confirm_truth": form.get("confirm_truth") == "yes",
    }


def field_errors(exc: ValidationError, lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else "form"
        key = {"victim_iin": "web.err.iin", "confirm_truth": "web.err.confirm"}.get(field, "web.err.field")
        out.setdefault(field, t(key, lang, field=t(f"web.f.{field}", lang)))
    return out


async def receive_uploads(
    files: list[Any], work: Path, lang: str, any_type: bool = False
) -> list[portal.Upload]:
    """Copy uploads into ``work``, enforcing count, size and (unless ``any_type``: officers adding
    captures, logs or images of their own) the sniffed type; raises InputError."""
    real = [f for f in files if isinstance(f, UploadFile) and f.filename]
    if len(real) > int(settings.get("web_max_files")):
        raise InputError(str(len(real)), key="web.err.too_many", n=settings.get("web_max_files"))
    limit = int(settings.get("upload_max_mib")) * 2**20
    out = []
    for i, up in enumerate(real):
        name = security.safe_filename(up.filename or "upload")
        head = await up.read(4096)
        kind = security.sniff(head, name) or (
            security.Sniffed("application/octet-stream", ()) if any_type else None
        )
        if kind is None:
            raise InputError(name, key="web.err.bad_type", name=name)
        folder = work / f"{i:02d}"
        folder.mkdir(parents=True)
        dest = folder / name
        size = len(head)
        with open(dest, "wb") as fh:
            fh.write(head)
            while chunk := await up.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise InputError(
                        name, key="web.err.too_big_file", name=name, mib=settings.get("upload_max_mib")
                    )
                fh.write(chunk)
        if size == 0:
            raise InputError(name, key="web.err.empty_file", name=name)
        out.append(portal.Upload(name=name, path=dest, kind=kind.kind))
    return out


@router.post("/statement")
async def statement_submit(request: Request, form: FormData = Depends(csrf_form)) -> Response:
    # Async only to stream uploads; every database step runs in a worker thread so the event loop
    # is never blocked on SQLite's write lock (which another request's commit may be holding).
    lang = lang_of(request)
    await run_in_threadpool(_who, request)
    if not request.app.state.limiter.allow(client_ip(request)):
        raise RateLimited()
    raw = _statement_input(form, lang)
    try:
        data = portal.StatementIn.model_validate(raw)
    except ValidationError as exc:
        values = {k: v for k, v in raw.items() if isinstance(v, str)}
        return render(
            request,
            "statement_form.html",
            {"values": values, "errors": field_errors(exc, lang), **_form_choices()},
            status_code=422,
        )
    work = settings.home() / "tmp" / f"upload-{secrets.token_hex(8)}"
    try:
        try:
            uploads = await receive_uploads(form.getlist("files"), work, lang)
        except InputError as exc:
            values = {k: v for k, v in raw.items() if isinstance(v, str)}
            return render(
                request,
                "statement_form.html",
                {"values": values, "errors": {"files": exc.message(lang)}, **_form_choices()},
                status_code=422,
            )
        filed = await run_in_threadpool(file_and_audit, request, data, uploads)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    request.session["last_statement"] = [filed.number, filed.token]
    return _back("/statement/done")


def _who(request: Request) -> None:
    with session_scope() as session:
        current_user(request, session)


def file_and_audit(
    request: Request, data: portal.StatementIn, uploads: list[portal.Upload], api: bool = False
) -> portal.Receipt:
    """File, and record who filed it from where, in one committed transaction."""

    def record(session: Session, filed: portal.Filed) -> None:
        audit_request(
            session,
            request,
            "statement_filed",
            actor="victim",
            target=filed.statement.number,
            case_id=filed.case.id,
            details={"files": len(uploads), "api": api},
        )

    filed = portal.submit(data, uploads, client_ip(request), on_filed=record)
    return filed


@router.get("/statement/done")
def statement_done(request: Request, session: Session = Depends(db)) -> Response:
    last = request.session.get("last_statement")
    if not last:
        return _back("/statement")
    number, token = last
    statement = portal.by_token(session, token)
    return render(
        request,
        "statement_done.html",
        {
            "number": number,
            "token": token,
            "statement": statement,
            "track_url": f"/track/{token}",
            "suggestions": _suggestions(statement.analysis, lang_of(request)),
        },
    )


def _suggestions(analysis: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    try:
        sugg = qualify.suggest(analysis.get("method", ""), analysis.get("acts", []))
    except ValueError:
        return []
    return [s.to_dict(lang) for s in sugg]


@router.get("/track/{token}")
def track(token: str, request: Request, session: Session = Depends(db)) -> Response:
    current_user(request, session)
    statement = portal.by_token(session, token)
    return render(request, "track.html", {"view": portal.tracking_view(session, statement)})


# ---------------------------------------------------------------- login


@router.get("/login")
def login_form(request: Request, session: Session = Depends(db)) -> Response:
    current_user(request, session)
    return render(request, "login.html", {"error": "", "next": request.query_params.get("next", "/work")})


@router.post("/login")
def login(request: Request, form: FormData = Depends(csrf_form), session: Session = Depends(db)) -> Response:
    lang = lang_of(request)
    username, password = _s(form, "username", 80), _s(form, "password", 500)
    if not request.app.state.limiter.allow("login:" + client_ip(request)):
        raise RateLimited()
    user = accounts.authenticate(session, username, password)
    nxt = _s(form, "next", 300)
    if not nxt.startswith("/work") or "//" in nxt:
        nxt = "/work"
    if user is None:
        audit_request(session, request, "login_failed", actor=username[:80] or "?")
        return render(
            request, "login.html", {"error": t("web.err.login", lang), "next": nxt}, status_code=401
        )
    keep_lang = request.session.get("lang")
    request.session.clear()  # a fresh session on login (no fixation)
    request.session.update({"uid": user.id, "pw": password_stamp(user), "lang": keep_lang or lang})
    request.state.user = user
    audit_request(session, request, "login")
    return _back(nxt)


@router.post("/logout")
def logout(request: Request, form: FormData = Depends(csrf_form), session: Session = Depends(db)) -> Response:
    if current_user(request, session):
        audit_request(session, request, "logout")
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang
    return _back("/")


# ---------------------------------------------------------------- workspace


@router.get("/work")
def work_home(request: Request, user: User = Depends(page_user), session: Session = Depends(db)) -> Response:
    status = request.query_params.get("status", "")
    if status not in ("", *workspace.STATUSES):
        status = ""
    audit_request(session, request, "view_queue", details={"status": status} if status else {})
    return render(
        request,
        "work_queue.html",
        {
            "queue": workspace.queue(session, user),
            "cases": workspace.list_cases(session, user, status),
            "status": status,
            "statuses": workspace.STATUSES,
        },
    )


@router.get("/work/statements/{statement_id}")
def statement_detail(
    statement_id: int, request: Request, user: User = Depends(page_user), session: Session = Depends(db)
) -> Response:
    statement = workspace.visible_statement(session, user, statement_id)
    audit_request(session, request, "view_statement", target=statement.number, case_id=statement.case_id)
    return render(
        request,
        "statement_detail.html",
        {
            "s": statement,
            "suggestions": _suggestions(statement.analysis, lang_of(request)),
            "articles": ("190", "205", "206", "207", "208", "209", "210", "211", "212", "213"),
            "can_decide": workspace.allowed(user, "decide"),
            "mask": mask,
        },
    )


@router.post("/work/statements/{statement_id}/register")
def statement_register(
    statement_id: int,
    request: Request,
    form: FormData = Depends(csrf_form),
    user: User = Depends(page_user),
    session: Session = Depends(db),
) -> Response:
    statement = workspace.visible_statement(session, user, statement_id)
    articles = [a for a in form.getlist("articles") if isinstance(a, str)]
    extra = _s(form, "articles_text", 200)
    articles += [a.strip() for a in extra.replace(";", ",").split(",") if a.strip()]
    detailed = {a.split("-")[0] for a in articles if "-" in a}
    articles = sorted(dict.fromkeys(a for a in articles if "-" in a or a not in detailed))
    case = workspace.register(
        session, user, statement, _s(form, "erdr_number", 40), articles, statement.analysis.get("method", "")
    )
    audit_request(
        session,
        request,
        "case_registered",
        target=case.number,
        case_id=case.id,
        details={"erdr": case.erdr_number, "articles": case.articles},
    )
    flash(request, "ok", t("web.flash.registered", lang_of(request), case=case.number))
    return _back(f"/work/cases/{case.number}")


@router.post("/work/statements/{statement_id}/reject")
def statement_reject(
    statement_id: int,
    request: Request,
    form: FormData = Depends(csrf_form),
    user: User = Depends(page_user),
    session: Session = Depends(db),
) -> Response:
    statement = workspace.visible_statement(session, user, statement_id)
    workspace.reject(session, user, statement, _s(form, "reason", 2000))
    audit_request(session, request, "statement_rejected", target=statement.number, case_id=statement.case_id)
    return _back("/work")


@router.get("/work/cases/{number}")
def case_page(
    number: str, request: Request, user: User = Depends(page_user), session: Session = Depends(db)
) -> Response:
    case = workspace.visible_case(session, user, number)
    audit_request(session, request, "view_case", target=case.number, case_id=case.id)
    view = workspace.case_overview(session, user, case)
    return render(
        request,
        "case.html",
        {
            **view,
            "mask": mask,
            "can_work": workspace.allowed(user, "work"),
            "can_decide": workspace.allowed(user, "decide"),
            "suggestions": _suggestions(view["statement"].analysis, lang_of(request))
            if view["statement"]
            else [],
        },
    )


def _parse_dt(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@router.get("/work/cases/{number}/timeline")
def timeline(
    number: str, request: Request, user: User = Depends(page_user), session: Session = Depends(db)
) -> Response:
    case = workspace.visible_case(session, user, number)
    q = request.query_params
    page = max(int(q.get("page", "0")) if q.get("page", "0").isdigit() else 0, 0)
    rows, total = workspace.events(
        session,
        case,
        q.get("source", ""),
        q.get("type", ""),
        q.get("q", ""),
        _parse_dt(q.get("start")),
        _parse_dt(q.get("end")),
        limit=200,
        offset=page * 200,
    )
    sources, types = workspace.event_facets(session, case)
    audit_request(session, request, "view_timeline", target=case.number, case_id=case.id)
    return render(
        request,
        "timeline.html",
        {
            "case": case,
            "rows": rows,
            "total": total,
            "page": page,
            "sources": sources,
            "types": types,
            "q": q,
        },
    )


@router.get("/work/cases/{number}/evidence/{item_id}")
def evidence_page(
    number: str,
    item_id: int,
    request: Request,
    user: User = Depends(page_user),
    session: Session = Depends(db),
) -> Response:
    case = workspace.visible_case(session, user, number)
    item = session.get(EvidenceItem, item_id)
    if item is None or item.case_id != case.id:
        raise NotFoundError(str(item_id), key="error.evidence_not_found")
    offset = request.query_params.get("offset", "")
    excerpt = _excerpt(item, int(offset) if offset.isdigit() else 0)
    audit_request(session, request, "view_evidence", target=f"{case.number}#{item.id}", case_id=case.id)
    return render(
        request,
        "evidence.html",
        {
            "case": case,
            "item": item,
            "excerpt": excerpt,
            "offset": offset,
            "mask": mask,
            "findings": list(
                session.scalars(select(FindingRow).where(FindingRow.evidence_id == item.id).limit(500))
            ),
            "identifiers": list(
                session.scalars(select(IdentifierRow).where(IdentifierRow.evidence_id == item.id).limit(2000))
            ),
        },
    )


def _excerpt(item: EvidenceItem, offset: int) -> str:
    """A readable piece of a text item around ``offset``; binary items get no excerpt."""
    path = evidence_lib.stored_path(item)
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
            found = security.sniff(head, item.name)
            if found is None or found.kind != "text/plain":
                return ""
            start = max(offset - 300, 0)
            fh.seek(start)
            return fh.read(1500).decode("utf-8", errors="replace")
    except OSError:
        return ""


@router.post("/work/cases/{number}/verify")
def case_verify(
    number: str,
    request: Request,
    form: FormData = Depends(csrf_form),
    user: User = Depends(page_user),
    session: Session = Depends(db),
) -> Response:
    from tergeu import custody
    from tergeu.verify import verify_case

    workspace.require(user, "work")
    case = workspace.visible_case(session, user, number)
    report = verify_case(session, case)
    lang = lang_of(request)
    if report.ok:
        custody.append(
            session, case, user.username, "verified", [], {"items": report.items, "seal": report.seal}
        )
        flash(
            request,
            "ok",
            t("web.flash.verify_ok", lang, items=report.items, entries=report.entries, seal=report.seal[:16]),
        )
    else:
        flash(request, "bad", t("web.flash.verify_bad", lang, n=len(report.problems)))
        for problem in report.problems[:20]:
            flash(request, "bad", problem)
    audit_request(
        session,
        request,
        "custody_verified",
        target=case.number,
        case_id=case.id,
        details={"ok": report.ok, "problems": report.problems[:20]},
    )
    return _back(f"/work/cases/{case.number}#custody")


def _case_for(request: Request, number: str, what: str) -> tuple[User, str]:
    with session_scope() as session:
        user = current_user(request, session)
        if user is None:
            raise LoginRequired()
        workspace.require(user, what)
        return user, workspace.visible_case(session, user, number).number


def add_case_evidence(
    request: Request, user: User, number: str, uploads: list[portal.Upload], source: str, note: str
) -> list[int]:
    """Officer's intake from the browser: same store, hashes and signed custody entry as the CLI."""
    with session_scope() as session:
        case = workspace.visible_case(session, user, number)
        added: list[int] = []
        for up in uploads:
            res = evidence_lib.add_evidence(
                session,
                case,
                [up.path],
                user.username,
                source=source or "web upload",
                note=(note + " " if note else "") + f"uploaded as {up.name!r} ({up.kind})",
            )
            added += [i.id for i in res.added]
        audit_request(
            session, request, "evidence_added", target=case.number, case_id=case.id, details={"items": added}
        )
        return added


@router.post("/work/cases/{number}/evidence")
async def case_evidence(number: str, request: Request, form: FormData = Depends(csrf_form)) -> Response:
    user, number = await run_in_threadpool(_case_for, request, number, "work")
    work = settings.home() / "tmp" / f"upload-{secrets.token_hex(8)}"
    try:
        uploads = await receive_uploads(form.getlist("files"), work, lang_of(request), any_type=True)
        added = await run_in_threadpool(
            add_case_evidence, request, user, number, uploads, _s(form, "source", 500), _s(form, "note", 2000)
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    flash(request, "ok", t("web.flash.evidence_added", lang_of(request), n=len(added)))
    return _back(f"/work/cases/{number}#evidence")


@router.post("/work/cases/{number}/status")
def case_status(
    number: str,
    request: Request,
    form: FormData = Depends(csrf_form),
    user: User = Depends(page_user),
    session: Session = Depends(db),
) -> Response:
    case = workspace.visible_case(session, user, number)
    old = case.status
    workspace.set_status(session, user, case, _s(form, "status", 30))
    audit_request(
        session,
        request,
        "status_changed",
        target=case.number,
        case_id=case.id,
        details={"from": old, "to": case.status},
    )
    return _back(f"/work/cases/{case.number}")


@router.post("/work/cases/{number}/notes")
def case_note(
    number: str,
    request: Request,
    form: FormData = Depends(csrf_form),
    user: User = Depends(page_user),
    session: Session = Depends(db),
) -> Response:
    case = workspace.visible_case(session, user, number)
    note = workspace.add_note(session, user, case, _s(form, "text"))
    audit_request(
        session, request, "note_added", target=case.number, case_id=case.id, details={"note": note.id}
    )
    return _back(f"/work/cases/{case.number}#notes")


@router.post("/work/cases/{number}/tasks")
def case_task(
    number: str,
    request: Request,
    form: FormData = Depends(csrf_form),
    user: User = Depends(page_user),
    session: Session = Depends(db),
) -> Response:
    case = workspace.visible_case(session, user, number)
    task = workspace.add_task(
        session, user, case, _s(form, "title", 2000), _s(form, "assignee", 80), _s(form, "due", 10)
    )
    audit_request(
        session, request, "task_added", target=case.number, case_id=case.id, details={"task": task.id}
    )
    return _back(f"/work/cases/{case.number}#tasks")


@router.post("/work/cases/{number}/tasks/{task_id}/done")
def case_task_done(
    number: str,
    task_id: int,
    request: Request,
    form: FormData = Depends(csrf_form),
    user: User = Depends(page_user),
    session: Session = Depends(db),
) -> Response:
    case = workspace.visible_case(session, user, number)
    workspace.finish_task(session, user, case, task_id)
    audit_request(
        session, request, "task_done", target=case.number, case_id=case.id, details={"task": task_id}
    )
    return _back(f"/work/cases/{case.number}#tasks")


@router.post("/work/cases/{number}/assign")
def case_assign(
    number: str,
    request: Request,
    form: FormData = Depends(csrf_form),
    user: User = Depends(page_user),
    session: Session = Depends(db),
) -> Response:
    case = workspace.visible_case(session, user, number)
    target = workspace.assign(session, user, case, _s(form, "username", 80))
    audit_request(
        session, request, "assigned", target=case.number, case_id=case.id, details={"user": target.username}
    )
    return _back(f"/work/cases/{case.number}")


@router.get("/work/qualify")
def qualify_page(request: Request, user: User = Depends(page_user)) -> Response:
    q = request.query_params
    method = q.get("method", "")
    acts = [a for a in q.getlist("act") if a in qualify.ACTS]
    suggestions: list[dict[str, Any]] = []
    if method in qualify.METHODS or acts:
        suggestions = [
            s.to_dict(lang_of(request))
            for s in qualify.suggest(method if method in qualify.METHODS else "", acts)
        ]
    return render(
        request,
        "qualify.html",
        {
            "methods": qualify.METHODS,
            "acts": qualify.ACTS,
            "method": method,
            "chosen": acts,
            "suggestions": suggestions,
        },
    )


@router.get("/work/audit")
def audit_page(request: Request, user: User = Depends(page_user), session: Session = Depends(db)) -> Response:
    rows = workspace.global_audit(session, user)
    audit_request(session, request, "view_audit")
    return render(request, "audit.html", {"rows": rows})


@router.get("/work/users")
def users_page(request: Request, user: User = Depends(page_user), session: Session = Depends(db)) -> Response:
    workspace.require(user, "admin")
    audit_request(session, request, "view_users")
    return render(request, "users.html", {"users": accounts.list_users(session), "roles": ROLES, "error": ""})


@router.post("/work/users")
def users_add(
    request: Request,
    form: FormData = Depends(csrf_form),
    user: User = Depends(page_user),
    session: Session = Depends(db),
) -> Response:
    workspace.require(user, "admin")
    new = accounts.create_user(
        session,
        _s(form, "username", 80),
        _s(form, "password", 500),
        _s(form, "role", 20),
        _s(form, "unit", 200),
        _s(form, "full_name", 200),
    )
    audit_request(
        session, request, "user_created", target=new.username, details={"role": new.role, "unit": new.unit}
    )
    return _back("/work/users")
