"""The FastAPI application factory: middleware, sessions, language, errors, templates.

Pages (:mod:`tergeu.web.pages`) and the JSON API (:mod:`tergeu.web.api`) are thin: they parse the
request, call the library (:mod:`tergeu.web.portal`, :mod:`tergeu.web.workspace`), write the audit
log, and render. Security decisions are made in one place each: sessions and CSRF here, roles and
case scope in :mod:`tergeu.web.workspace`.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Awaitable, Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.middleware.sessions import SessionMiddleware

from tergeu import __version__, settings
from tergeu.db import session_scope
from tergeu.errors import ConfigError, NotFoundError, TergeuError
from tergeu.i18n import LANGS, t
from tergeu.web import security
from tergeu.web.models import User
from tergeu.web.workspace import Forbidden, audit

SESSION_HOURS = 8


class LoginRequired(Exception):
    """Raised by page dependencies; turns into a redirect to the login page (401 for the API)."""


class CsrfFailed(Exception):
    pass


class RateLimited(Exception):
    pass


def secret_key() -> str:
    configured = str(settings.get("secret_key"))
    if configured:
        return configured
    path = settings.home() / "web-secret"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def templates_dir() -> Path:
    return Path(str(resources.files("tergeu.web") / "templates"))


def static_dir() -> Path:
    return Path(str(resources.files("tergeu.web") / "static"))


def db() -> Iterator[Session]:
    with session_scope() as session:
        yield session


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def lang_of(request: Request) -> str:
    """?lang= (remembered in the session), then the session, then the browser, then the setting."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        request.session["lang"] = asked
        return asked
    remembered = request.session.get("lang")
    if remembered in LANGS:
        return str(remembered)
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return str(settings.get("lang"))


def csrf_token(request: Request) -> str:
    token = request.session.get(security.CSRF_KEY)
    if not token:
        token = security.new_csrf()
        request.session[security.CSRF_KEY] = token
    return str(token)


def password_stamp(user: User) -> str:
    """Kept in the session so that a password change ends every other session of that account."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


class PayloadTooLarge(Exception):
    pass


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes while they stream in (chunked uploads included)."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise PayloadTooLarge()
            return message

        await self.app(scope, limited, send)


def current_user(request: Request, session: Session) -> User | None:
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        return None
    user = session.get(User, uid)
    if user is None or not user.active or request.session.get("pw") != password_stamp(user):
        request.session.pop("uid", None)
        return None
    request.state.user = user
    return user


def audit_request(session: Session, request: Request, action: str, **kw: Any) -> None:
    user: User | None = getattr(request.state, "user", None)
    fallback = kw.pop("actor", "anonymous")
    audit(
        session,
        user.username if user else fallback,
        action,
        role=user.role if user else "",
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
        **kw,
    )


def _audit_denied(request: Request, action: str, detail: str) -> None:
    try:
        with session_scope() as s:
            user: User | None = getattr(request.state, "user", None)
            audit(
                s,
                user.username if user else "anonymous",
                action,
                role=user.role if user else "",
                target=f"{request.method} {request.url.path}"[:200],
                ip=client_ip(request),
                user_agent=request.headers.get("user-agent", ""),
                details={"detail": detail[:300]},
            )
    except Exception:  # the refusal itself must still be answered
        pass


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app() -> FastAPI:
    from tergeu.db import get_engine
    from tergeu.web import api, pages

    get_engine()  # migrate now: Alembic is not safe to run from concurrent first requests
    app = FastAPI(
        title="Tergeu",
        version=__version__,
        description="Victims' statements and the investigators' workspace (kk/ru/en).",
        docs_url=None,  # Swagger UI would load scripts from a CDN: no network at run time
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.limiter = security.RateLimiter(int(settings.get("web_rate_per_min")))
    app.state.templates = Jinja2Templates(directory=str(templates_dir()))
    app.state.templates.env.globals["version"] = __version__
    app.state.templates.env.globals["LANGS"] = LANGS
    max_body = int(settings.get("web_max_files")) * int(settings.get("upload_max_mib")) * 2**20 + 4 * 2**20

    app.add_middleware(BodyLimit, limit=max_body)  # innermost: its refusal reaches the handlers

    @app.middleware("http")
    async def headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > max_body:
            return JSONResponse({"detail": t("web.err.too_big", lang_of(request))}, status_code=413)
        response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        )
        if request.url.path.startswith(("/work", "/track", "/api/v1")):
            response.headers["Cache-Control"] = "no-store"
        return response

    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key(),
        session_cookie="tergeu_session",
        max_age=SESSION_HOURS * 3600,
        same_site="strict",
        https_only=bool(settings.get("web_https")),
    )

    def page_error(request: Request, status: int, message: str) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": message}, status_code=status)
        lang = lang_of(request)
        return app.state.templates.TemplateResponse(
            request,
            "error.html",
            {
                "lang": lang,
                "_": _translator(lang),
                "message": message,
                "status": status,
                "user": None,
                "csrf": csrf_token(request),
            },
            status_code=status,
        )

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "authentication required"}, status_code=401)
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        await run_in_threadpool(_audit_denied, request, "denied", str(exc))
        return page_error(request, 403, t("web.err.forbidden", lang_of(request)))

    @app.exception_handler(NotFoundError)
    async def _notfound(request: Request, exc: NotFoundError) -> Response:
        if request.url.path.startswith(("/work", "/api/v1/cases", "/api/v1/statements")):
            await run_in_threadpool(_audit_denied, request, "not_found", str(exc))
        return page_error(request, 404, exc.message(lang_of(request)))

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc: CsrfFailed) -> Response:
        await run_in_threadpool(_audit_denied, request, "csrf_failed", "")
        return page_error(request, 403, t("web.err.csrf", lang_of(request)))

    @app.exception_handler(RateLimited)
    async def _rate(request: Request, exc: RateLimited) -> Response:
        response = page_error(request, 429, t("web.err.rate", lang_of(request)))
        response.headers["Retry-After"] = "60"
        return response

    @app.exception_handler(PayloadTooLarge)
    async def _too_large(request: Request, exc: PayloadTooLarge) -> Response:
        return page_error(request, 413, t("web.err.too_big", lang_of(request)))

    @app.exception_handler(ValidationError)
    async def _invalid(request: Request, exc: ValidationError) -> Response:
        errors = [
            {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors(include_url=False)
        ]
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(TergeuError)
    async def _tergeu(request: Request, exc: TergeuError) -> Response:
        return page_error(request, 400, exc.message(lang_of(request)))

    app.mount("/static", StaticFiles(directory=str(static_dir())), name="static")
    app.include_router(pages.router)
    app.include_router(api.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def _translator(lang: str) -> Callable[..., str]:
    def _(key: str, **params: Any) -> str:
        return t(key, lang, **params)

    return _


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    lang = lang_of(request)
    ctx = {
        "lang": lang,
        "_": _translator(lang),
        "csrf": csrf_token(request),
        "user": getattr(request.state, "user", None),
        "flash": request.session.pop("flash", []),
        "path": request.url.path,
        **context,
    }
    templates: Jinja2Templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    return response


def flash(request: Request, level: str, text: str) -> None:
    request.session.setdefault("flash", []).append([level, text])


def check_listen(host: str, port: int) -> None:
    """Bind once before serving: a busy port or an unknown host is told before "running at" is."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, kind, proto, _name, addr = infos[0]
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(addr)
    except OSError as exc:
        raise ConfigError(exc.strerror or str(exc), key="web.err.listen", address=f"{host}:{port}") from exc
