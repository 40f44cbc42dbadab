"""Commands of the web area: ``tergeu serve`` and ``tergeu users ...`` (accounts of the workspace)."""

from __future__ import annotations

import typer
from rich.table import Table

from tergeu import settings
from tergeu.console import console, new_app
from tergeu.db import session_scope
from tergeu.i18n import t

users_app = new_app(help="Accounts of the web workspace (roles admin, investigator, analyst, viewer).")


@users_app.command("add")
def users_add(
    username: str,
    role: str = typer.Option("investigator", "--role", help="admin, investigator, analyst or viewer."),
    unit: str = typer.Option(
        "", "--unit", help="Unit whose cases the user sees (default: the unit setting)."
    ),
    full_name: str = typer.Option("", "--name", help="Full name shown in the audit log."),
    password: str = typer.Option(
        ...,
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        envvar="TERGEU_NEW_PASSWORD",
        help="Prompted when not given (or set TERGEU_NEW_PASSWORD).",
    ),
) -> None:
    """Create an account; the password is stored as an argon2id hash only."""
    from tergeu.web.accounts import create_user

    with session_scope() as s:
        user = create_user(s, username, password, role, unit, full_name)
        console.print(t("web.cli.user_created", user=user.username, role=user.role, unit=user.unit))


@users_app.command("passwd")
def users_passwd(
    username: str,
    password: str = typer.Option(
        ...,
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        envvar="TERGEU_NEW_PASSWORD",
    ),
) -> None:
    """Set a new password."""
    from tergeu.web.accounts import set_password

    with session_scope() as s:
        set_password(s, username, password)
        console.print(t("web.cli.password_set", user=username))


@users_app.command("list")
def users_list() -> None:
    """List accounts with their role and unit."""
    from tergeu.web.accounts import list_users

    with session_scope() as s:
        users = list_users(s)
        if not users:
            console.print(t("web.cli.no_users"))
            return
        table = Table()
        for col in ("web.login.username", "web.users.name", "web.audit.role", "web.queue.unit"):
            table.add_column(t(col))
        for u in users:
            table.add_row(u.username, u.full_name, u.role, u.unit)
        console.print(table)


statements_app = new_app(help="Victims' statements filed through the portal.")


@statements_app.command("reanalyse")
def statements_reanalyse(
    numbers: list[str] = typer.Argument(None, help="Statement numbers (ST-YYYY-NNNNNN); none means all."),
    by: str = typer.Option("", "--by", help="Officer recorded in the custody entry."),
) -> None:
    """Run the statement analysis again (after the fraud classifier or identifier extractor is installed)."""
    import os

    from tergeu.web.analysis import reanalyse_statement, statements_for

    officer = by or str(settings.get("officer")) or os.environ.get("USER", "officer")
    with session_scope() as s:
        rows = statements_for(s, numbers or [])
        if not rows:
            console.print(t("web.cli.no_statements"))
        for st in rows:
            analysis = reanalyse_statement(s, st, officer)
            console.print(
                t(
                    "web.cli.reanalysed",
                    number=st.number,
                    findings=analysis["findings"],
                    identifiers=analysis["identifiers"],
                    warnings=len(analysis["warnings"]),
                )
            )


def serve(
    host: str = typer.Option(None, "--host", help="Listen address (TERGEU_WEB_HOST, default 127.0.0.1)."),
    port: int = typer.Option(None, "--port", help="Port (TERGEU_WEB_PORT, default 8800)."),
) -> None:
    """Run the web application: the victims' portal and the investigators' workspace."""
    import uvicorn

    from tergeu.db import get_engine
    from tergeu.web.app import check_listen, create_app

    get_engine()  # migrate before the first request
    host = host or str(settings.get("web_host"))
    port = port or int(settings.get("web_port"))
    check_listen(host, port)
    console.print(t("web.cli.serving", url=f"http://{host}:{port}/"))
    uvicorn.run(create_app(), host=host, port=port, log_level="warning", proxy_headers=False)


def register(app: typer.Typer) -> None:
    """Mount ``tergeu serve`` and ``tergeu users``."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
    app.add_typer(statements_app, name="statements")
