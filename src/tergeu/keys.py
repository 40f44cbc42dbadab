"""Officer signing keys (Ed25519).

The private key lives under ``$TERGEU_HOME/keys/<officer>.pem``: encrypted with
``TERGEU_KEY_PASSPHRASE`` when set, otherwise plain PEM with mode 0600. The public key is registered
in the database so that anyone can verify the ledger without the private key.

A loaded private key is kept in memory per key file (a server signs several entries per request;
parsing PEM, and with a passphrase running its KDF, each time dominated a filing). The cache entry is
used only while the file's identity (device, inode, size, mtime, ctime) and the passphrase are
unchanged, and :func:`new_key` drops it and replaces the file atomically (a new inode), so a key
replaced with ``keys new --force``, by this process or another, is never signed with again.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from tergeu import settings
from tergeu.db import Officer
from tergeu.errors import KeyringError, NotFoundError

_KeyStamp = tuple[int, int, int, int, int, str]
_private_cache: dict[Path, tuple[_KeyStamp, Ed25519PrivateKey]] = {}
_cache_lock = threading.Lock()


def forget_cached_keys() -> None:
    """Drop every in-memory private key (e.g. when keys were moved out of band)."""
    with _cache_lock:
        _private_cache.clear()


def _key_file(officer: str) -> Path:
    safe = re.sub(r"[^\w.-]+", "_", officer, flags=re.UNICODE)
    return settings.home() / "keys" / f"{safe}.pem"


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(public_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()


def new_key(session: Session, officer: str, *, overwrite: bool = False) -> Officer:
    """Create an officer key pair and register the public half."""
    path = _key_file(officer)
    existing = session.scalar(select(Officer).where(Officer.name == officer))
    if (existing or path.exists()) and not overwrite:
        raise KeyringError(officer, key="error.key_exists")
    private = Ed25519PrivateKey.generate()
    passphrase = settings.get("key_passphrase")
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Written beside and renamed over the old key: readers see the old or the new key, never half a
    # file, and the new inode tells every process's key cache that the key changed.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    with _cache_lock:
        _private_cache.pop(path, None)
    public_hex = raw_public(private.public_key()).hex()
    if existing:
        existing.public_key, existing.fingerprint = public_hex, fingerprint(public_hex)
        return existing
    officer_row = Officer(name=officer, public_key=public_hex, fingerprint=fingerprint(public_hex))
    session.add(officer_row)
    session.flush()
    return officer_row


def ensure_key(session: Session, officer: str) -> Officer:
    """The officer's registered key, creating one on first use (so intake never stalls on setup)."""
    row = session.scalar(select(Officer).where(Officer.name == officer))
    if row is not None and _key_file(officer).exists():
        return row
    if row is not None:
        raise KeyringError(officer, key="error.key_missing")
    return new_key(session, officer)


def load_private(officer: str) -> Ed25519PrivateKey:
    """The officer's private key, from the in-memory cache while its file is unchanged."""
    path = _key_file(officer)
    try:
        st = os.stat(path)
    except FileNotFoundError as exc:
        raise KeyringError(officer, key="error.key_missing") from exc
    passphrase = settings.get("key_passphrase")
    secret = hashlib.sha256(passphrase.encode()).hexdigest() if passphrase else ""
    stamp: _KeyStamp = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, secret)
    with _cache_lock:
        cached = _private_cache.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    key = _read_private(officer, path, passphrase)
    with _cache_lock:
        _private_cache[path] = (stamp, key)
    return key


def _read_private(officer: str, path: Path, passphrase: str | None) -> Ed25519PrivateKey:
    if not path.exists():
        raise KeyringError(officer, key="error.key_missing")
    data = path.read_bytes()
    if not data.lstrip().startswith(b"-----BEGIN"):
        raise KeyringError(f"{officer}: {path}", key="error.key_corrupt")
    # One passphrase serves a unit's protected keys; an unprotected key is read without it.
    encrypted = b"ENCRYPTED" in data
    if encrypted and not passphrase:
        raise KeyringError(officer, key="error.key_passphrase_missing")
    try:
        key = serialization.load_pem_private_key(data, (passphrase or "").encode() if encrypted else None)
    except (TypeError, ValueError) as exc:
        if encrypted:
            raise KeyringError(officer, key="error.key_passphrase") from exc
        raise KeyringError(f"{officer}: {path}", key="error.key_corrupt") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyringError(officer, key="error.key_type")
    return key


def public_key(session: Session, officer: str) -> Officer:
    row = session.scalar(select(Officer).where(Officer.name == officer))
    if row is None:
        raise NotFoundError(officer, key="error.officer_not_found")
    return row
