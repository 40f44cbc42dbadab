"""Declared record schemas shared by parsers, detectors, exporters and the web app.

Parsers produce these records; detectors and exporters read only these, never parser internals.
Every record carries an :class:`EvidenceRef` so that each derived fact points back to the evidence
item and the offset or record id it came from.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    """Where a fact came from: evidence item id (None for loose files), path, byte offset, record id."""

    path: str
    evidence_id: int | None = None
    offset: int | None = None
    record: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class ParseWarning:
    """A recoverable problem in an input, kept with its location instead of being raised."""

    path: str
    message: str
    offset: int | None = None
    record: str | None = None
    code: str = "parse"
    evidence_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Event:
    """One timeline event. ``ts`` is timezone-aware UTC; ``tz`` is the source's own zone."""

    ts: datetime
    source: str
    event_type: str
    message: str
    ref: EvidenceRef
    ts_desc: str = "Event Time"
    ts_precision: str = "s"
    tz: str = "UTC"
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Finding:
    """A detection by any analyzer; ``kind`` is the analyzer's vocabulary (port_scan, fraud, ...)."""

    kind: str
    analyzer: str
    method: str
    summary: str
    score: float = 1.0
    start: datetime | None = None
    end: datetime | None = None
    src: str | None = None
    dst: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    refs: list[EvidenceRef] = field(default_factory=list)


@dataclass(slots=True)
class Identifier:
    """An identifier found in evidence (phone, card, IBAN, IP, domain, wallet, ...)."""

    type: str
    value: str
    normalized: str
    ref: EvidenceRef
    valid: bool = True
    span: tuple[int, int] | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
