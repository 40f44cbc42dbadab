"""Scanning message evidence: read with the registered readers, score every message and conversation.

This is the library behind ``tergeu messages scan``; it also turns verdicts into
:class:`~tergeu.records.Finding` s so that the web app and reports show them.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tergeu.errors import TergeuError
from tergeu.iocs.mask import mask_cards_in_text
from tergeu.messages.classify import MessageVerdict, classify_conversation, classify_many
from tergeu.messages.readers import read_messages
from tergeu.messages.types import Message
from tergeu.records import Finding, ParseWarning

ANALYZER = "messages"
CHAT_READERS = frozenset({"whatsapp", "telegram", "sms_xml"})


@dataclass
class ScanResult:
    path: str
    reader: str | None = None
    messages: list[Message] = field(default_factory=list)
    verdicts: list[MessageVerdict] = field(default_factory=list)
    conversations: list[tuple[str, list[int], MessageVerdict]] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    def message_id(self, i: int) -> str:
        m = self.messages[i]
        return str(m.id) if m.id is not None else str(m.ref.record or i + 1)

    def json_id(self, i: int) -> Any:
        """The id as given in the input (a JSONL number stays a number), else :meth:`message_id`."""
        raw = self.messages[i].attrs.get("raw_id")
        return raw if isinstance(raw, str | int | float) and not isinstance(raw, bool) else self.message_id(i)


def _is_transcript(msgs: list[Message]) -> bool:
    return len(msgs) > 1 and sum(1 for m in msgs if m.sender) >= 0.6 * len(msgs)


def scan_file(
    path: Path,
    evidence_id: int | None = None,
    display_path: str | None = None,
    conversations: bool | None = None,
) -> ScanResult:
    """Score every message of one file; chats (and transcripts) are also scored per conversation."""
    res = ScanResult(display_path or str(path))
    try:
        rr = read_messages(path, evidence_id)
    except TergeuError as exc:
        res.warnings.append(ParseWarning(res.path, exc.message(), code="unreadable", evidence_id=evidence_id))
        return res
    res.reader = rr.reader
    res.warnings = rr.warnings
    for w in res.warnings:
        w.path = res.path
        w.evidence_id = evidence_id
    scored = [m for m in rr.messages if not m.attrs.get("system")]
    res.messages = scored
    res.verdicts = classify_many([m.text for m in scored])
    if conversations is None:
        conversations = res.reader in CHAT_READERS or (res.reader == "text" and _is_transcript(scored))
    if conversations:
        groups: OrderedDict[str, list[int]] = OrderedDict()
        for i, m in enumerate(scored):
            groups.setdefault(m.conversation or res.path, []).append(i)
        for name, idx in groups.items():
            if len(idx) > 1:
                res.conversations.append((name, idx, classify_conversation([scored[i].text for i in idx])))
    return res


def verdict_json(v: MessageVerdict, id: Any) -> dict[str, Any]:
    """Exactly the contract of ``tergeu messages scan --json``: id, verdict, score, scheme, lang, cues."""
    return v.to_dict(id)


def findings(res: ScanResult) -> list[Finding]:
    """Findings for flagged messages and conversations (message text shown with cards masked)."""
    out: list[Finding] = []
    for i, (m, v) in enumerate(zip(res.messages, res.verdicts, strict=True)):
        if v.verdict != "fraud":
            continue
        out.append(
            Finding(
                kind="fraud_message",
                analyzer=ANALYZER,
                method="char-ngram linear model + cues",
                summary=f"{v.scheme or 'fraud'}: {mask_cards_in_text(m.text)[:300]}",
                score=v.score,
                start=m.ts,
                end=m.ts,
                src=m.sender,
                details={**verdict_json(v, res.message_id(i)), "conversation": m.conversation},
                refs=[m.ref],
            )
        )
    for name, idx, v in res.conversations:
        if v.verdict != "fraud":
            continue
        ms = [res.messages[i] for i in idx]
        times = [m.ts for m in ms if m.ts is not None]
        out.append(
            Finding(
                kind="fraud_conversation",
                analyzer=ANALYZER,
                method="conversation windows (3 messages) + cues",
                summary=f"{v.scheme or 'fraud'}: {name} ({len(ms)} messages)",
                score=v.score,
                start=min(times) if times else None,
                end=max(times) if times else None,
                details={
                    **verdict_json(v, f"conversation:{name}"),
                    "messages": [res.message_id(i) for i in idx],
                },
                refs=[m.ref for m in ms[:50]],
            )
        )
    return out
