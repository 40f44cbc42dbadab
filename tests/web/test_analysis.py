"""Re-analysis picks statements by number; a number that does not exist is an error, not silence."""

from __future__ import annotations

import pytest

from tergeu.db import session_scope
from tergeu.errors import NotFoundError
from tergeu.web.analysis import statements_for


def test_unknown_statement_number_is_named() -> None:
    with session_scope() as s, pytest.raises(NotFoundError) as info:
        statements_for(s, ["ST-2026-999999"])
    assert "ST-2026-999999" in info.value.message("kk")


def test_none_means_all_and_empty_is_fine() -> None:
    with session_scope() as s:
        assert statements_for(s, []) == []
