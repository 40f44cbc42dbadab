"""The 30_net demo step runs inside ``tergeu demo`` and stores its findings in the demo case."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select


def test_demo_step_stores_findings(tmp_path: Path) -> None:
    from tergeu.db import Artifact, FindingRow, session_scope
    from tergeu.demo import run_demo

    ctx = run_demo(tmp_path / "home")
    assert any(name == "30_net" for _w, name in ctx.where)
    with session_scope() as s:
        kinds = sorted(f.kind for f in s.scalars(select(FindingRow).where(FindingRow.analyzer == "net")))
        assert kinds == ["beaconing", "brute_force", "dns_tunnel", "port_scan"]
        assert s.scalars(select(Artifact).where(Artifact.kind == "net_flows")).first() is not None
