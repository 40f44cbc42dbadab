"""Unusable database settings are named in a translated message, never a SQLAlchemy traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tergeu.db import session_scope
from tergeu.errors import ConfigError, StorageError


@pytest.mark.parametrize("url", ["foo://bar", "notaurl"])
def test_unparseable_url_is_a_config_error(url: str) -> None:
    with pytest.raises(ConfigError) as info, session_scope(url):
        pass
    assert "TERGEU_DATABASE_URL" in info.value.message()


def test_unreachable_postgres_names_the_server_not_the_password() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql+psycopg://tergeu:s3cret@127.0.0.1:{port}/db"
    with pytest.raises(StorageError) as info, session_scope(url):
        pass
    msg = info.value.message("ru")
    assert f"127.0.0.1:{port}" in msg and "s3cret" not in msg and "sqlalche.me" not in msg


def test_sqlite_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00garbage" * 1000)
    before = junk.read_bytes()
    with pytest.raises(StorageError) as info, session_scope(f"sqlite:///{junk}"):
        pass
    assert "junk.db" in info.value.message() and "not a database" in info.value.message()
    assert junk.read_bytes() == before


def test_sqlite_in_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as info, session_scope(f"sqlite:///{tmp_path}/no/such/dir/x.db"):
        pass
    assert "x.db" in info.value.message()
