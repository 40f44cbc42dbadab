"""The web area's demo step files a statement through the library and points at `tergeu serve`."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tergeu.cases import get_case
from tergeu.db import session_scope
from tergeu.demo import DemoContext, samples_dir
from tergeu.web.demo import demo_step
from tergeu.web.models import Statement


def test_demo_step(tmp_path: Path) -> None:
    ctx = DemoContext(home=tmp_path, out=tmp_path / "out", samples=samples_dir())
    lines = demo_step(ctx)
    assert len(lines) == 2 and "tergeu serve" in lines[1][0] and lines[1][1].startswith("http://127.0.0.1:")
    with session_scope() as s:
        st = s.scalars(select(Statement)).one()
        case = get_case(s, st.case_id)
        assert st.number in lines[0][0] and case.number in lines[0][0]
        assert st.analysis["method"] == "social_engineering"
        assert "theft_by_deception" in st.analysis["acts"] and st.analysis["identifiers"] >= 2
        assert f"tergeu case show {case.number}" == lines[0][1]
