"""The home folder: resolved once per value, yet following TERGEU_HOME and recreated when removed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tergeu import settings
from tergeu.errors import ConfigError


def test_home_follows_the_setting_and_is_recreated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    monkeypatch.setenv("TERGEU_HOME", str(first))
    assert settings.home() == first.resolve() and first.is_dir()
    monkeypatch.setenv("TERGEU_HOME", str(second))
    assert settings.home() == second.resolve() and second.is_dir()
    shutil.rmtree(second)
    assert settings.home() == second.resolve() and second.is_dir()


def test_relative_home_is_taken_from_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERGEU_HOME", "rel-home")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    assert settings.home() == (tmp_path / "a" / "rel-home").resolve()
    monkeypatch.chdir(tmp_path / "b")
    assert settings.home() == (tmp_path / "b" / "rel-home").resolve()


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
