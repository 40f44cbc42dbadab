"""Officer keys: the in-memory cache of private keys never outlives a replaced key file."""

from __future__ import annotations

import os

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from typer.testing import CliRunner

from tergeu import keys
from tergeu.cli import app
from tergeu.db import session_scope
from tergeu.errors import KeyringError


def _public(officer: str) -> Ed25519PublicKey:
    with session_scope() as s:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(keys.public_key(s, officer).public_key))


def test_loaded_key_is_reused_while_its_file_is_unchanged() -> None:
    with session_scope() as s:
        keys.new_key(s, "Officer A")
    first = keys.load_private("Officer A")
    assert keys.load_private("Officer A") is first


def test_keys_new_force_invalidates_the_cached_key() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["keys", "new", "Officer B"]).exit_code == 0
    old = keys.load_private("Officer B")
    result = runner.invoke(app, ["keys", "new", "Officer B", "--force"])
    assert result.exit_code == 0, result.output
    new = keys.load_private("Officer B")
    assert new is not old
    sig = new.sign(b"entry")
    _public("Officer B").verify(sig, b"entry")  # signs with the key now registered


def test_key_file_replaced_by_another_process_is_reloaded() -> None:
    """Another process rewriting the file (new inode, times) must not be shadowed by this one's cache."""
    with session_scope() as s:
        keys.new_key(s, "Officer C")
    cached = keys.load_private("Officer C")
    path = keys._key_file("Officer C")
    other = path.with_name("other.pem")
    with session_scope() as s:
        keys.new_key(s, "Officer D")
    os.replace(keys._key_file("Officer D"), other)
    os.replace(other, path)  # what `keys new --force` in another process leaves behind
    reloaded = keys.load_private("Officer C")
    assert reloaded is not cached
    assert keys.raw_public(reloaded.public_key()) != keys.raw_public(cached.public_key())


def test_removed_key_file_is_an_error_even_when_cached() -> None:
    with session_scope() as s:
        keys.new_key(s, "Officer E")
    keys.load_private("Officer E")
    keys._key_file("Officer E").unlink()
    with pytest.raises(KeyringError):
        keys.load_private("Officer E")


def test_changed_passphrase_is_not_served_from_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERGEU_KEY_PASSPHRASE", "correct horse")
    with session_scope() as s:
        keys.new_key(s, "Officer F")
    keys.load_private("Officer F")
    monkeypatch.setenv("TERGEU_KEY_PASSPHRASE", "wrong")
    with pytest.raises(KeyringError):
        keys.load_private("Officer F")


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
