"""Schemathesis against /openapi.json: generated requests, anonymous and logged in, never a 5xx.

Bounded (a few examples per operation, derandomised) so that it stays well under a minute in CI.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tergeu.web.app import create_app
from tests.web.conftest import PASSWORD, World


@pytest.fixture
def fuzz_target(world: World, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("TERGEU_WEB_RATE_PER_MIN", "100000")
    app = create_app()
    with TestClient(app) as client:
        r = client.post("/api/v1/session", json={"username": "admin", "password": PASSWORD})
        assert r.status_code == 200
        auth = {
            "Cookie": f"tergeu_session={client.cookies['tergeu_session']}",
            "X-CSRF-Token": r.json()["csrf_token"],
        }
    return {"schema": schemathesis.openapi.from_asgi("/openapi.json", app), "auth": auth}


@pytest.fixture
def api_schema(fuzz_target: dict[str, Any]) -> Any:
    return fuzz_target["schema"]


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error(case: Any, fuzz_target: dict[str, Any]) -> None:
    case.call_and_validate(checks=[not_a_server_error])
    case.call_and_validate(headers=fuzz_target["auth"], checks=[not_a_server_error])
