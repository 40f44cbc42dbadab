"""Shared fixtures: every test gets its own TERGEU_HOME; ``db_url`` also runs on PostgreSQL when set."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("COLUMNS", "200")  # Rich tables in CLI output unwrapped for assertions

DATA = Path(__file__).parent / "data"
SHARED_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "samples"


@pytest.fixture(autouse=True)
def tergeu_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("TERGEU_HOME", str(home))
    monkeypatch.delenv("TERGEU_DATABASE_URL", raising=False)
    monkeypatch.delenv("TERGEU_SCHEDULER", raising=False)
    monkeypatch.delenv("TERGEU_KEY_PASSPHRASE", raising=False)
    monkeypatch.setenv("TERGEU_LANG", "en")
    return home


def _postgres_database(base_url: str) -> str:
    """A fresh database for one test on the CI server (so parallel workers never collide)."""
    from sqlalchemy import create_engine, text

    name = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Runs a storage test on SQLite, and on PostgreSQL when TERGEU_TEST_POSTGRES_URL is set."""
    if request.param == "postgresql":
        base = os.environ.get("TERGEU_TEST_POSTGRES_URL")
        if not base:
            pytest.skip("TERGEU_TEST_POSTGRES_URL not set (CI sets it after starting PostgreSQL)")
        url = _postgres_database(base)
        monkeypatch.setenv("TERGEU_DATABASE_URL", url)
        yield url
    else:
        from tergeu.db import database_url

        yield database_url()
