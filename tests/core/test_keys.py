"""Officer keys: a missing passphrase, a wrong one and a damaged key file are three different messages."""

from __future__ import annotations

import pytest

from tergeu import keys
from tergeu.db import session_scope
from tergeu.errors import KeyringError


def _make(officer: str, monkeypatch: pytest.MonkeyPatch, passphrase: str | None) -> None:
    if passphrase:
        monkeypatch.setenv("TERGEU_KEY_PASSPHRASE", passphrase)
    with session_scope() as s:
        keys.new_key(s, officer)
    monkeypatch.delenv("TERGEU_KEY_PASSPHRASE", raising=False)


def test_missing_passphrase_is_not_called_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    _make("Alice", monkeypatch, "right")
    with pytest.raises(KeyringError) as info:
        keys.load_private("Alice")
    assert info.value.key == "error.key_passphrase_missing"
    monkeypatch.setenv("TERGEU_KEY_PASSPHRASE", "wrong")
    with pytest.raises(KeyringError) as info:
        keys.load_private("Alice")
    assert info.value.key == "error.key_passphrase"
    monkeypatch.setenv("TERGEU_KEY_PASSPHRASE", "right")
    assert keys.load_private("Alice") is not None


def test_passphrase_set_for_an_unprotected_key_still_signs(monkeypatch: pytest.MonkeyPatch) -> None:
    _make("Bob", monkeypatch, None)
    monkeypatch.setenv("TERGEU_KEY_PASSPHRASE", "some other officer's")
    assert keys.load_private("Bob") is not None


def test_damaged_key_file_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    _make("Carol", monkeypatch, None)
    path = keys._key_file("Carol")
    path.chmod(0o600)
    path.write_bytes(b"\x00\x01 not a key")
    with pytest.raises(KeyringError) as info:
        keys.load_private("Carol")
    assert info.value.key == "error.key_corrupt" and str(path) in info.value.message()
