"""Translations for everything a person reads, in kk, ru and en.

Each area ships ``tergeu/locales/<area>.json`` mapping a message key to ``{"en", "ru", "kk"}``;
all files are merged once. A meta-test checks that every key has all three languages. Missing keys
fall back to English, then to the key itself, so a gap is visible but never fatal.
"""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from typing import Any

LANGS = ("kk", "ru", "en")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    folder = resources.files("tergeu") / "locales"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            for key, texts in data.items():
                if key in merged:
                    raise ValueError(f"duplicate i18n key {key!r} in {entry.name}")
                merged[key] = texts
    return merged


def current_lang(lang: str | None = None) -> str:
    value = (lang or os.environ.get("TERGEU_LANG") or "en").lower()[:2]
    return value if value in LANGS else "en"


def t(key: str, lang: str | None = None, /, **params: Any) -> str:
    """Translate ``key`` into ``lang`` and format it with ``params`` (missing params left as-is)."""
    entry = catalogue().get(key)
    if entry is None:
        return key
    text = entry.get(current_lang(lang)) or entry.get("en") or key
    try:
        return text.format_map(_Lenient(params))
    except (ValueError, IndexError):
        return text


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
