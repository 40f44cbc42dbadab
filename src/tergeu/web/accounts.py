"""Accounts of the workspace: argon2id password hashes, roles and units.

Passwords are only ever stored as argon2id hashes; a hash made with older parameters is upgraded on
the next successful login. Failed logins take as long as successful ones (a dummy hash is checked
for unknown users) so that usernames cannot be probed by timing.
"""

from __future__ import annotations

import contextlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tergeu import settings
from tergeu.errors import ConfigError, NotFoundError
from tergeu.web.models import ROLES, User

_hasher = PasswordHasher()
_DUMMY = _hasher.hash("tergeu-dummy-password")
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ConfigError(str(MIN_PASSWORD), key="web.err.password_short", n=MIN_PASSWORD)
    return _hasher.hash(password)


def create_user(
    session: Session, username: str, password: str, role: str, unit: str = "", full_name: str = ""
) -> User:
    """Create an account; ``unit`` defaults to the ``unit`` setting (cases are filed under it)."""
    username = username.strip()
    if role not in ROLES:
        raise ConfigError(role, key="web.err.bad_role", roles=", ".join(ROLES))
    if not username or len(username) > 80:
        raise ConfigError(username, key="web.err.bad_username")
    if session.scalar(select(User).where(User.username == username)):
        raise ConfigError(username, key="web.err.user_exists", user=username)
    user = User(
        username=username,
        full_name=full_name or username,
        password_hash=hash_password(password),
        role=role,
        unit=unit or str(settings.get("unit")),
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, username: str, password: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError(username, key="web.err.no_user", user=username)
    user.password_hash = hash_password(password)
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.active:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY, password + "x")
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))
