"""Fixtures of the web tests: an app on a fresh database, accounts of every role, a filed statement."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from tergeu.cases import get_case
from tergeu.db import session_scope
from tergeu.web.accounts import create_user
from tergeu.web.app import create_app
from tergeu.web.demo import sample_statement
from tergeu.web.models import Task
from tergeu.web.portal import StatementIn, file_statement

PASSWORD = "correct horse battery"
ROLES = ("admin", "investigator", "analyst", "viewer")
UNIT = "Almaty cyber unit"
OTHER_UNIT = "Astana cyber unit"


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests hash many passwords: use light argon2id parameters (the product keeps the defaults)."""
    from argon2 import PasswordHasher

    from tergeu.web import accounts

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@dataclass
class World:
    statement_id: int
    case_number: str
    other_statement_id: int
    other_case_number: str
    token: str
    evidence_id: int
    task_id: int


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    """Users of every role in UNIT, an outsider in OTHER_UNIT, one statement per unit."""
    monkeypatch.setenv("TERGEU_UNIT", UNIT)
    with session_scope() as s:
        for role in ROLES:
            create_user(s, role, PASSWORD, role, UNIT)
        create_user(s, "outsider", PASSWORD, "investigator", OTHER_UNIT)
        mine = file_statement(s, sample_statement(), [], "10.0.0.1")
    monkeypatch.setenv("TERGEU_UNIT", OTHER_UNIT)
    with session_scope() as s:
        other = file_statement(s, other_statement(), [], "10.0.0.2")
    monkeypatch.setenv("TERGEU_UNIT", UNIT)
    with session_scope() as s:
        case = get_case(s, mine.case.number)
        task = Task(case_id=case.id, title="Request subscriber data from the operator", created_by="admin")
        s.add(task)
        s.flush()
        return World(
            mine.statement.id,
            mine.case.number,
            other.statement.id,
            other.case.number,
            mine.token,
            case.evidence[0].id,
            task.id,
        )


def other_statement() -> StatementIn:
    data = sample_statement().model_copy(deep=True)
    data.victim_name = "Иван Петров"
    data.description = "Позвонил сотрудник банка, попросил код из SMS, списали 50 000 тенге."
    data.lang = "ru"
    return data


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(), base_url="http://testserver") as c:
        yield c


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    page = client.get("/login")
    r = client.post(
        "/login",
        data={"csrf": csrf_of(page.text), "username": username, "password": password, "next": "/work"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:500]
