"""The demo's messages step flags the shipped fraud chat and indexes its identifiers."""

from __future__ import annotations

from pathlib import Path


def test_demo_step(tmp_path: Path) -> None:
    from sqlalchemy import select

    from tergeu.db import FindingRow, IdentifierRow, session_scope
    from tergeu.demo import run_demo

    ctx = run_demo(tmp_path / "demo")
    assert any("messages scan" in where for where, _ in ctx.where)
    with session_scope() as s:
        kinds = {f.kind for f in s.scalars(select(FindingRow).where(FindingRow.analyzer == "messages"))}
        assert {"fraud_message", "fraud_conversation"} <= kinds
        types = {i.type for i in s.scalars(select(IdentifierRow))}
        assert {"phone", "card", "iban", "url", "ipv4"} <= types
