"""Authorisation matrix: every route of the app, as every role, as an outsider and as anonymous.

Every route must be classified below; a new route that is not makes this test fail, so nobody adds
a case route without deciding who may use it.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tergeu.web.workspace import PERMISSIONS
from tests.web.conftest import ROLES, World, csrf_of, login

# (method, path) -> (who may, whether the route is scoped to one case)
ROUTES: dict[tuple[str, str], tuple[str, bool]] = {
    ("GET", "/"): ("public", False),
    ("GET", "/statement"): ("public", False),
    ("POST", "/statement"): ("public", False),
    ("GET", "/statement/done"): ("public", False),
    ("GET", "/track/{token}"): ("public", False),
    ("GET", "/login"): ("public", False),
    ("POST", "/login"): ("public", False),
    ("POST", "/logout"): ("public", False),
    ("GET", "/healthz"): ("public", False),
    ("GET", "/openapi.json"): ("public", False),
    ("GET", "/work"): ("view", False),
    ("GET", "/work/statements/{statement_id}"): ("view", True),
    ("POST", "/work/statements/{statement_id}/register"): ("decide", True),
    ("POST", "/work/statements/{statement_id}/reject"): ("decide", True),
    ("GET", "/work/cases/{number}"): ("view", True),
    ("GET", "/work/cases/{number}/timeline"): ("view", True),
    ("GET", "/work/cases/{number}/evidence/{item_id}"): ("view", True),
    ("POST", "/work/cases/{number}/verify"): ("work", True),
    ("POST", "/work/cases/{number}/status"): ("decide", True),
    ("POST", "/work/cases/{number}/evidence"): ("work", True),
    ("POST", "/work/cases/{number}/notes"): ("work", True),
    ("POST", "/work/cases/{number}/tasks"): ("work", True),
    ("POST", "/work/cases/{number}/tasks/{task_id}/done"): ("work", True),
    ("POST", "/work/cases/{number}/assign"): ("decide", True),
    ("GET", "/work/qualify"): ("view", False),
    ("GET", "/work/audit"): ("admin", False),
    ("GET", "/work/users"): ("admin", False),
    ("POST", "/work/users"): ("admin", False),
    ("POST", "/api/v1/statements"): ("public", False),
    ("GET", "/api/v1/track/{token}"): ("public", False),
    ("POST", "/api/v1/session"): ("public", False),
    ("DELETE", "/api/v1/session"): ("view", False),
    ("GET", "/api/v1/statements"): ("view", False),
    ("GET", "/api/v1/statements/{statement_id}"): ("view", True),
    ("POST", "/api/v1/statements/{statement_id}/register"): ("decide", True),
    ("POST", "/api/v1/statements/{statement_id}/reject"): ("decide", True),
    ("GET", "/api/v1/cases"): ("view", False),
    ("GET", "/api/v1/cases/{number}"): ("view", True),
    ("GET", "/api/v1/cases/{number}/events"): ("view", True),
    ("POST", "/api/v1/cases/{number}/verify"): ("work", True),
    ("POST", "/api/v1/cases/{number}/status"): ("decide", True),
    ("POST", "/api/v1/cases/{number}/notes"): ("work", True),
    ("POST", "/api/v1/cases/{number}/tasks"): ("work", True),
    ("GET", "/api/v1/cases/{number}/audit"): ("view", True),
    ("POST", "/api/v1/cases/{number}/tasks/{task_id}/done"): ("work", True),
    ("POST", "/api/v1/cases/{number}/assign"): ("decide", True),
    ("GET", "/api/v1/cases/{number}/evidence/{item_id}"): ("view", True),
    ("GET", "/api/v1/users"): ("admin", False),
    ("POST", "/api/v1/users"): ("admin", False),
    ("GET", "/api/v1/audit"): ("admin", False),
    ("POST", "/api/v1/qualify"): ("view", False),
}
BAD_LOGINS = {("POST", "/login"), ("POST", "/api/v1/session")}
LOGOUTS = {("POST", "/logout"), ("DELETE", "/api/v1/session")}


def app_routes(client: TestClient) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()

    def walk(routes: list[Any]) -> None:
        for r in routes:
            if hasattr(r, "original_router"):
                walk(r.original_router.routes)
            elif hasattr(r, "methods") and r.methods:
                found.update((m, r.path) for m in r.methods if m != "HEAD")

    walk(client.app.routes)  # type: ignore[attr-defined]
    return found


def test_every_route_is_classified(client: TestClient) -> None:
    assert app_routes(client) == set(ROUTES)


def _csrf(client: TestClient) -> str:
    r = client.get("/work/qualify", follow_redirects=False)
    return csrf_of(r.text if r.status_code == 200 else client.get("/statement").text)


def _request(
    client: TestClient, method: str, path: str, w: World, case: str, statement: int, csrf: str
) -> Any:
    url = (
        path.replace("{token}", w.token)
        .replace("{statement_id}", str(statement))
        .replace("{number}", case)
        .replace("{item_id}", str(w.evidence_id))
        .replace("{task_id}", str(w.task_id))
    )
    form = {
        "csrf": csrf,
        "erdr_number": "251234567890",
        "articles": "190",
        "reason": "no crime",
        "status": "investigation",
        "text": "note",
        "title": "task",
        "username": "viewer",
        "password": "x" * 12,
        "role": "viewer",
        "unit": "U",
    }
    body = {
        "erdr_number": "251234567890",
        "articles": ["190"],
        "status": "investigation",
        "text": "note",
        "title": "task",
        "method": "malware",
        "acts": ["access"],
        "username": "viewer",
        "password": "wrong-password",
        "role": "viewer",
        "reason": "no crime",
    }
    if path.startswith("/api/"):
        headers = {"X-CSRF-Token": csrf}
        if path == "/api/v1/statements" and method == "POST":
            return client.post(url, data={"statement": "{}"}, headers=headers)
        if method == "GET":
            return client.get(url)
        return client.request(method, url, json=body, headers=headers)
    if method == "GET":
        return client.get(url, follow_redirects=False)
    return client.post(url, data=form, follow_redirects=False)


def _check(client: TestClient, w: World, who: str) -> None:
    order = sorted(ROUTES, key=lambda r: r in LOGOUTS)
    csrf = _csrf(client)  # the session's token; it changes only when the session is renewed
    for method, path in order:
        need, scoped = ROUTES[(method, path)]
        own = w.case_number
        if (method, path) in LOGOUTS:
            if who != "anonymous":
                login(client, who)
            csrf = _csrf(client)
        r = _request(client, method, path, w, own, w.statement_id, csrf)
        label = f"{who} {method} {path} -> {r.status_code}"
        assert r.status_code < 500, label
        if need == "public":
            # wrong credentials on the login routes are answered 401, as they should be
            assert r.status_code not in (401, 403) or (method, path) in BAD_LOGINS, label
            continue
        if who == "anonymous":
            if path.startswith("/api/"):
                assert r.status_code == 401, label
            else:
                assert r.status_code == 303 and r.headers["location"].startswith("/login"), label
            continue
        role = "investigator" if who == "outsider" else who
        if who == "outsider" and scoped:
            assert r.status_code == 404, label
        elif role not in PERMISSIONS[need]:
            assert r.status_code == 403, label
        else:
            assert r.status_code not in (401, 403, 404), label


@pytest.mark.parametrize("who", [*ROLES, "outsider", "anonymous"])
def test_matrix(client: TestClient, world: World, who: str) -> None:
    if who != "anonymous":
        login(client, who)
    _check(client, world, who)


def test_outsider_sees_no_trace_of_other_units_cases(client: TestClient, world: World) -> None:
    login(client, "outsider")
    assert world.case_number not in client.get("/work").text
    assert world.other_case_number in client.get("/work").text
    assert world.case_number not in client.get("/api/v1/cases").text
    assert all(s["case"] != world.case_number for s in client.get("/api/v1/statements").json())


def test_assignment_extends_scope(client: TestClient, world: World) -> None:
    login(client, "investigator")
    page = client.get(f"/work/cases/{world.case_number}")
    r = client.post(
        f"/work/cases/{world.case_number}/assign",
        data={"csrf": csrf_of(page.text), "username": "outsider"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    client.cookies.clear()
    login(client, "outsider")
    assert client.get(f"/work/cases/{world.case_number}").status_code == 200
