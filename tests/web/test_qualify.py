"""The qualification helper: articles from method and acts, reasons in three languages."""

from __future__ import annotations

import pytest

from tergeu import qualify


def _arts(sugg: list[qualify.Suggestion]) -> dict[str, str]:
    return {s.article: s.strength for s in sugg}


def test_each_act_maps_to_its_article() -> None:
    expected = {
        "access": "205",
        "modification": "206",
        "disruption": "207",
        "taking_information": "208",
        "coercion": "209",
        "malware": "210",
        "distributing_restricted": "211",
        "hosting_unlawful": "212",
        "imei_change": "213",
        "theft_by_deception": "190",
    }
    for act, art in expected.items():
        assert art in _arts(qualify.suggest("technical_means", [act])), act


def test_social_engineering_card_fraud_is_190_part_2_item_4() -> None:
    sugg = qualify.suggest("social_engineering", ["taking_information", "theft_by_deception"])
    main = [s for s in sugg if s.strength == "primary"]
    assert [s.code for s in main] == ["190-2-4"]
    assert _arts(sugg)["208"] == "consider"
    assert "190 part 2 item 4" in main[0].to_dict("en")["label"]
    assert main[0].to_dict("kk")["label"] == "190-бап 2-бөлік 4-тармақ"


def test_theft_by_technical_means_is_not_called_deception() -> None:
    (sugg,) = qualify.suggest("technical_means", ["theft_by_deception"])
    assert sugg.part == "" and any("188" in r for r in sugg.to_dict("en")["reasons"])


def test_malware_method_adds_article_210_to_consider() -> None:
    assert _arts(qualify.suggest("malware", ["access"])) == {"205": "primary", "210": "consider"}


def test_reasons_and_titles_in_each_language() -> None:
    (sugg,) = qualify.suggest("malware", ["malware"])
    en, ru, kk = (sugg.to_dict(lang) for lang in ("en", "ru", "kk"))
    assert "malicious" in en["title"] and "вредоносных" in ru["title"] and "Зиянды" in kk["title"]
    assert en["title_is_summary"] and "(summary)" in en["title"] and "(қысқаша)" in kk["title"]
    assert "Тәсілі: зиянды бағдарлама" in kk["reasons"]
    assert all("{" not in r for r in ru["reasons"])


def test_unknown_method_or_act_is_refused() -> None:
    with pytest.raises(ValueError):
        qualify.suggest("magic", [])
    with pytest.raises(ValueError):
        qualify.suggest("", ["jaywalking"])


@pytest.mark.parametrize(
    ("text", "money", "method", "acts"),
    [
        (
            "Позвонили из службы безопасности банка, попросили код из SMS, списали 90 000 тг",
            False,
            "social_engineering",
            {"taking_information", "theft_by_deception"},
        ),
        (
            "Маған банк қызметкері боп қоңырау шалды, SMS-код сұрады",
            True,
            "social_engineering",
            {"taking_information", "theft_by_deception"},
        ),
        (
            "My phone got a virus after I installed an APK; they accessed my banking app",
            False,
            "malware",
            {"malware", "access"},
        ),
        (
            "Someone threatened to publish my photos unless I sent my passwords: blackmail",
            False,
            "",
            {"coercion", "taking_information"},
        ),
        ("Our web server was hit by a DDoS and stopped working", False, "technical_means", {"disruption"}),
    ],
)
def test_infer_from_text(text: str, money: bool, method: str, acts: set[str]) -> None:
    inferred = qualify.infer_from_text(text, money_lost=money)
    assert inferred.method == method
    assert acts <= set(inferred.acts), inferred
    assert all(inferred.cues[f"act:{a}"] for a in acts)


def test_nothing_inferred_from_unrelated_text() -> None:
    inferred = qualify.infer_from_text("I would like to know the opening hours of the office.")
    assert inferred.method == "" and inferred.acts == []
    assert qualify.suggest(inferred.method, inferred.acts) == []
