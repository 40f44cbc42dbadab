"""The one exception hierarchy of Tergeu.

Library code raises these; the CLI and the web app turn them into a translated message
(``error.message(lang)``) and an exit code, never a traceback::

    TergeuError                      exit 1; base of everything we raise on purpose
    ├── ConfigError                  a setting has a value we cannot use
    ├── NotFoundError                a case, evidence item, key or user does not exist
    ├── InputError                   a file we were given is unusable (names file and offset)
    │   ├── NotMyFormat              a parser/reader refuses foreign input (used for sniffing)
    │   └── EvidenceUnreadable       missing, unreadable or permission denied
    ├── StorageError                 the store or database cannot take the write (disk full, ...)
    ├── KeyringError                 officer key missing, wrong passphrase, key mismatch
    ├── IntegrityFailure             verification found a difference (lists every one)
    └── ToolMissing                  an external program (tcpdump, nmap, ...) or privilege is missing

Recoverable problems inside a file (a corrupt record, a bad line) are *not* exceptions: parsers
yield :class:`tergeu.records.ParseWarning` records with their location and carry on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


class TergeuError(Exception):
    """Base class; ``key`` names a message in the i18n catalogue, ``params`` fill it."""

    key = "error.generic"
    exit_code = 1

    def __init__(self, detail: str = "", *, key: str | None = None, **params: Any) -> None:
        super().__init__(detail or (key or self.key))
        self.detail = detail
        if key:
            self.key = key
        self.params = params

    def message(self, lang: str | None = None) -> str:
        from tergeu.i18n import t

        text = t(self.key, lang, **{"detail": self.detail, **self.params})
        if self.detail and "{detail}" not in _raw(self.key) and self.detail not in text:
            text = f"{text}: {self.detail}"
        return text


def _raw(key: str) -> str:
    from tergeu.i18n import catalogue

    return catalogue().get(key, {}).get("en", "")


class ConfigError(TergeuError):
    key = "error.config"
    exit_code = 2


class NotFoundError(TergeuError):
    key = "error.not_found"
    exit_code = 3


class InputError(TergeuError):
    """A problem with one input file; always names the file and, when known, the byte offset."""

    key = "error.input"
    exit_code = 4

    def __init__(
        self, detail: str = "", *, path: str | Path | None = None, offset: int | None = None, **kw: Any
    ) -> None:
        # A name from seized media may not be UTF-8: keep its bytes as \xNN so the message prints.
        shown = os.fsencode(str(path)).decode("utf-8", "backslashreplace") if path is not None else None
        super().__init__(detail, path=shown or "", offset=offset, **kw)
        self.path = shown
        self.offset = offset

    def message(self, lang: str | None = None) -> str:
        from tergeu.i18n import t

        where = self.path or "?"
        if self.offset is not None:
            where = t("error.at_offset", lang, path=where, offset=self.offset)
        return f"{t(self.key, lang, **self.params, detail=self.detail)} — {where}: {self.detail}".rstrip(": ")


class NotMyFormat(InputError):
    key = "error.not_my_format"


class EvidenceUnreadable(InputError):
    key = "error.unreadable"


class StorageError(TergeuError):
    key = "error.storage"
    exit_code = 5


class KeyringError(TergeuError):
    key = "error.keyring"
    exit_code = 6


class IntegrityFailure(TergeuError):
    """Raised by verification; ``problems`` lists every difference found, not just the first."""

    key = "error.integrity"
    exit_code = 10

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class ToolMissing(TergeuError):
    key = "error.tool_missing"
    exit_code = 7
