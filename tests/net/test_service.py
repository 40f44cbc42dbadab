"""Case mode names evidence as the investigator knows it (#id and file name), not by its store path."""

from __future__ import annotations

from pathlib import Path

import pytest

from tergeu.cases import new_case
from tergeu.db import session_scope
from tergeu.errors import InputError
from tergeu.evidence import add_evidence
from tergeu.net.service import analyse_case


def test_non_capture_evidence_is_named_by_id_and_name(tmp_path: Path) -> None:
    log = tmp_path / "auth.log"
    log.write_text("Jan  1 00:00:00 host sshd[1]: Failed password for root\n")
    with session_scope() as s:
        case = new_case(s, "t", "Officer")
        item = add_evidence(s, case, [log], "Officer").added[0]
        with pytest.raises(InputError) as info:
            analyse_case(s, case, [str(item.id)])
    msg = info.value.message()
    assert f"#{item.id}" in msg and "auth.log" in msg
    assert item.sha256 in msg  # the store copy stays traceable
