"""Meta-tests: every message in three languages, every setting documented, plugins load."""

from __future__ import annotations

import re
from pathlib import Path

from tergeu import plugins, settings
from tergeu.i18n import LANGS, catalogue

KAZAKH_ONLY = set("әғқңөұүһі")


def test_every_message_has_three_languages() -> None:
    for key, texts in catalogue().items():
        for lang in LANGS:
            assert texts.get(lang), f"{key} has no {lang} text"


def test_placeholders_agree_across_languages() -> None:
    for key, texts in catalogue().items():
        names = {lang: set(re.findall(r"{(\w+)", texts[lang])) for lang in LANGS}
        assert names["kk"] == names["ru"] == names["en"], key


def test_kazakh_texts_use_kazakh_letters() -> None:
    long_kk = [v["kk"] for v in catalogue().values() if len(v["kk"]) > 40]
    assert sum(1 for s in long_kk if KAZAKH_ONLY & set(s.lower())) > 0.8 * len(long_kk)


def test_every_setting_documented_in_table_and_readme() -> None:
    for s in settings.SETTINGS:
        assert s.help and s.env.startswith("TERGEU_")
        settings.get(s.name)


def test_plugin_groups_load() -> None:
    for group in plugins.GROUPS:
        for name, obj in plugins.registry(group).items():
            assert getattr(obj, "name", name) == name, (group, name)
            assert getattr(obj, "format", None), (group, name)


def test_every_module_has_a_docstring() -> None:
    import ast

    root = Path(plugins.__file__).parent
    for path in root.rglob("*.py"):
        if "migrations" in path.parts or path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{path} lacks a module docstring"


def test_every_plugin_class_is_registered() -> None:
    """A parser/reader/detector/exporter class that exists but is not registered is a bug."""
    import importlib
    import pkgutil

    import tergeu

    registered = {obj for group in plugins.GROUPS for obj in plugins.registry(group).values()}
    for info in pkgutil.walk_packages(tergeu.__path__, "tergeu."):
        if ".migrations" in info.name or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, plugins.Plugin)
                and obj.__module__ == module.__name__
                and obj.name
            ):
                assert obj in registered, (
                    f"{obj.__module__}.{obj.__qualname__} is not registered as an entry point"
                )
