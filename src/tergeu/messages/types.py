"""The message record every reader yields and every analyzer of messages reads.

A message keeps who sent it, when, in which conversation, and the :class:`EvidenceRef` (byte offset
or record id) that lets an investigator point at it in the original export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tergeu.records import EvidenceRef


@dataclass(slots=True)
class Message:
    """One message. ``ts`` is aware when the source states a zone, naive (device local time) otherwise."""

    text: str
    ref: EvidenceRef
    sender: str | None = None
    ts: datetime | None = None
    conversation: str | None = None
    id: str | None = None
    attachments: list[str] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "sender": self.sender,
            "ts": self.ts.isoformat() if self.ts else None,
            "conversation": self.conversation,
            "attachments": list(self.attachments),
            "ref": self.ref.to_dict(),
            "attrs": self.attrs,
        }
