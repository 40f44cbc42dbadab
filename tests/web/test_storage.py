"""The web tables on each database (SQLite here, PostgreSQL too in CI): migration, filing, scope,
linking and the append-only audit log enforced by the database itself."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from tergeu.db import IdentifierRow, session_scope
from tergeu.web import accounts, workspace
from tergeu.web.demo import sample_statement
from tergeu.web.models import AuditEntry, Statement
from tergeu.web.portal import submit
from tests.web.conftest import PASSWORD


def test_web_storage_on_each_database(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERGEU_UNIT", "K-unit")
    with session_scope() as s:
        accounts.create_user(s, "inv", PASSWORD, "investigator", "K-unit")
        accounts.create_user(s, "far", PASSWORD, "investigator", "Other unit")
    first = submit(sample_statement(), [], "192.0.2.1")
    second = submit(sample_statement(), [], "192.0.2.2")
    assert first.number != second.number and first.case_number != second.case_number
    with session_scope() as s:
        inv = accounts.authenticate(s, "inv", PASSWORD)
        far = accounts.authenticate(s, "far", PASSWORD)
        assert inv and far and accounts.authenticate(s, "inv", "wrong password") is None
        case = workspace.visible_case(s, inv, first.case_number)
        assert [c.number for c in workspace.list_cases(s, far)] == []
        linked, hidden = workspace.linked_cases(s, inv, case)
        assert [lk.case.number for lk in linked] == [second.case_number] and hidden == 0
        assert ("phone", "+77051234567") in linked[0].shared
        st = s.scalar(select(Statement).where(Statement.number == first.number))
        assert st is not None
        workspace.register(s, inv, st, "261234", ["190-2-4"])
        workspace.audit(s, "inv", "case_registered", case_id=case.id, ip="192.0.2.9")
        assert (
            s.scalar(select(IdentifierRow.normalized).where(IdentifierRow.type == "card"))
            == "4400430123456789"
        )
    for sql in ("UPDATE web_audit SET actor = 'someone else'", "DELETE FROM web_audit"):
        with pytest.raises(Exception, match="append-only"), session_scope() as s:
            s.execute(text(sql))
    with session_scope() as s:
        assert s.scalar(select(AuditEntry.actor)) == "inv"
