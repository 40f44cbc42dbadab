"""Plugin registry: built-ins register through the same entry-point groups a third party uses.

A plugin class declares ``name`` and ``format`` and implements ``sniff`` so that it can refuse
foreign input (raising :class:`tergeu.errors.NotMyFormat` when called on it anyway). Groups:

* ``tergeu.parsers``   — timeline parsers (evidence file -> :class:`~tergeu.records.Event`)
* ``tergeu.readers``   — message readers (evidence file -> messages)
* ``tergeu.detectors`` — detectors over records (records -> :class:`~tergeu.records.Finding`)
* ``tergeu.exporters`` — exporters (case -> files)
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, ClassVar

GROUPS = ("tergeu.parsers", "tergeu.readers", "tergeu.detectors", "tergeu.exporters")


class Plugin:
    """Base of every plugin: a name, the format it handles, and a cheap sniff of the file head."""

    name: ClassVar[str] = ""
    format: ClassVar[str] = ""
    description: ClassVar[str] = ""

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        """True when ``head`` (the first bytes of ``path``) looks like this plugin's format."""
        return False


@cache
def registry(group: str) -> dict[str, Any]:
    """Load every plugin of ``group`` by entry point; name clashes keep the first and are reported."""
    if group not in GROUPS:
        raise ValueError(f"unknown plugin group {group!r}")
    found: dict[str, Any] = {}
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        obj = ep.load()
        found.setdefault(ep.name, obj)
    return found


def read_head(path: Path, size: int = 4096) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(size)
