"""TERGEU_HOME that cannot be used is a ConfigError naming the variable and the path."""

from __future__ import annotations

from pathlib import Path

import pytest

from tergeu import settings
from tergeu.errors import ConfigError


def test_home_that_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    monkeypatch.setenv("TERGEU_HOME", str(f))
    with pytest.raises(ConfigError) as info:
        settings.home()
    assert "TERGEU_HOME" in info.value.message() and str(f) in info.value.message()


def test_home_that_cannot_be_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    monkeypatch.setenv("TERGEU_HOME", str(f / "sub"))
    with pytest.raises(ConfigError) as info:
        settings.home()
    assert "TERGEU_HOME" in info.value.message()
