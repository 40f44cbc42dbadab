"""One table of settings that drives validation, ``tergeu config show`` and the docs.

Every setting is read from the environment variable ``TERGEU_<NAME>`` (upper case) and falls back
to its default. Other modules never read ``TERGEU_*`` variables directly: they call :func:`get`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tergeu.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str
    secret: bool = False

    @property
    def env(self) -> str:
        return "TERGEU_" + self.name.upper()


def _positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError("must be a positive integer")
    return number


def _lang(value: str) -> str:
    if value not in ("kk", "ru", "en"):
        raise ValueError("must be one of kk, ru, en")
    return value


def _bool(value: str) -> bool:
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("must be true or false")


SETTINGS: tuple[Setting, ...] = (
    Setting("home", "./tergeu-data", "Folder holding the SQLite database, evidence store, keys and outputs."),
    Setting(
        "database_url",
        "",
        "SQLAlchemy URL; empty means SQLite at $TERGEU_HOME/tergeu.db. "
        "For teams: postgresql+psycopg://user:pass@host/db",
        secret=True,
    ),
    Setting("lang", "en", "Language of messages and documents: kk, ru or en.", _lang),
    Setting("display_tz", "UTC", "Time zone used to display times (storage is always UTC)."),
    Setting("scheduler", "", "Dask scheduler address (tcp://host:8786); empty means a local process pool."),
    Setting("workers", 2, "Worker processes of the local executor.", _positive_int),
    Setting("chunk_mib", 8, "Read size in MiB used when hashing and copying evidence.", _positive_int),
    Setting(
        "key_passphrase",
        "",
        "Passphrase that encrypts officer private keys; empty stores them 0600.",
        secret=True,
    ),
    Setting(
        "fsync",
        True,
        "Flush each stored evidence copy to disk before recording it (off only for benchmarks or scratch work).",
        _bool,
    ),
    Setting("officer", "", "Default officer name for custody entries when --by is not given."),
    Setting("unit", "Cyber unit", "Name of the investigating unit, used in documents and exports."),
    Setting("upload_max_mib", 50, "Largest file accepted by the web portal, in MiB.", _positive_int),
    Setting(
        "secret_key",
        "",
        "Secret for web session cookies; empty generates one under $TERGEU_HOME.",
        secret=True,
    ),
    Setting("debug", False, "Show tracebacks instead of friendly messages.", _bool),
    Setting("taxii_user", "", "User name for TAXII 2.1 servers (tergeu taxii push/pull)."),
    Setting("taxii_password", "", "Password for TAXII 2.1 servers.", secret=True),
    Setting("net_idle_timeout", 120, "Seconds of silence after which a network flow ends.", _positive_int),
    Setting(
        "net_active_timeout",
        1800,
        "Longest a network flow may last before it is cut, in seconds.",
        _positive_int,
    ),
    Setting(
        "net_gzip_max_mib",
        4096,
        "Largest size a gzip-compressed capture may expand to in memory, in MiB (guards against gzip bombs).",
        _positive_int,
    ),
    Setting("net_model", True, "Run the trained flow model in `tergeu net scan` besides the rules.", _bool),
    Setting("web_host", "127.0.0.1", "Address `tergeu serve` listens on (loopback by default)."),
    Setting("web_port", 8800, "Port `tergeu serve` listens on.", _positive_int),
    Setting(
        "web_rate_per_min",
        10,
        "Statements one address may file per minute on the public portal.",
        _positive_int,
    ),
    Setting("web_https", False, "Mark session cookies Secure (set when served behind TLS).", _bool),
    Setting("web_max_files", 10, "Most files one statement may upload.", _positive_int),
    Setting(
        "chat_tz",
        "Asia/Almaty",
        "Time zone assumed for chat exports that carry local times only (WhatsApp, CSV).",
        lambda v: str(__import__("zoneinfo").ZoneInfo(v).key),
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> Any:
    """Return the validated value of one setting."""
    try:
        setting = _BY_NAME[name]
    except KeyError as exc:
        raise ConfigError(f"unknown setting {name!r}") from exc
    raw = os.environ.get(setting.env)
    if raw is None:
        return setting.default
    try:
        return setting.parse(raw)
    except ValueError as exc:
        raise ConfigError(f"{setting.env}={raw!r}: {exc}", key="error.config") from exc


def validate_all() -> None:
    """Fail early, naming the variable, when any TERGEU_* value is unusable."""
    for s in SETTINGS:
        get(s.name)


_homes: dict[tuple[str, str, str], Path] = {}


def home() -> Path:
    """The resolved home folder, created on first use. Resolved once per setting value (resolving
    walks every path component, and a web filing asks for the home a dozen times); a home removed
    meanwhile is created again. An unusable home is a ConfigError naming the folder."""
    raw = str(get("home"))
    key = (raw, os.getcwd(), os.environ.get("HOME", ""))
    path = _homes.get(key)
    if path is not None and path.is_dir():
        return path
    path = Path(raw).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise ConfigError(f"{path}: not a folder", key="error.home") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}", key="error.home") from exc
    _homes[key] = path
    return path


def show() -> list[tuple[str, str, str, str]]:
    """Rows of (env variable, current value, default, help); secrets are masked."""
    rows = []
    for s in SETTINGS:
        value = get(s.name)
        shown = "***" if s.secret and value else str(value)
        rows.append((s.env, shown, str(s.default), s.help))
    return rows
