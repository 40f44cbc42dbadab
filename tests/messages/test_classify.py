"""Classifier behaviour on messages outside the corpus, conversations, cues and the JSON contract."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tergeu.messages.classify import SCHEMES, classify_conversation, classify_many, classify_text
from tergeu.messages.cues import find_cues
from tergeu.messages.normalize import detect_lang, fold, model_text

FRAUD = [
    "Добрый день, это служба безопасности банка, с вашей карты пытаются списать деньги, продиктуйте код из смс",
    "Ваши сбережения под угрозой, срочно переведите их на безопасный счёт, реквизиты пришлю",
    "Банк қауіпсіздік қызметінен хабарласып тұрмын, телефонға келген кодты айтыңызшы",
    "This is your bank's fraud team. To stop the payment, please read me the code we texted you.",
    "Установите AnyDesk, и наш специалист удалённо отменит перевод",
]
LEGIT = [
    "Ваш код для входа: 7731. Никому не сообщайте его.",
    "Кодыңыз: 4412. Оны ешкімге айтпаңыз.",
    "Your code is 220145. Never share it, we will never call you to ask for it.",
    "Мам, я в пути, буду через час",
    "Ертең сағат 9-да жиналыс болады, кешікпеңіздер",
    "Can we move our meeting to Thursday afternoon?",
]


def test_flags_fraud_outside_corpus() -> None:
    for v, text in zip(classify_many(FRAUD), FRAUD, strict=True):
        assert v.verdict == "fraud", text
        assert v.scheme in SCHEMES
        assert v.cues


def test_clears_genuine_messages_outside_corpus() -> None:
    for v, text in zip(classify_many(LEGIT), LEGIT, strict=True):
        assert v.verdict == "legit", (text, v.score)
        assert v.scheme is None


def test_friendly_opening_then_code_request_flags() -> None:
    conv = [
        "Привет! Сто лет не виделись, как семья?",
        "Да всё хорошо, спасибо, а у тебя?",
        "Отлично! Слушай, тебе сейчас придёт смс с кодом, скинь его мне, пожалуйста, я номер перепутала",
    ]
    assert classify_text(conv[0]).verdict == "legit"
    v = classify_conversation(conv)
    assert v.verdict == "fraud"
    joined = "\n".join(conv)
    assert any("код" in joined[c.span[0] : c.span[1]] for c in v.cues)
    assert classify_conversation(conv[:2]).verdict == "legit"
    assert classify_conversation([]).verdict == "legit"


def test_cue_spans_index_original_text() -> None:
    text = "СРОЧНО! Служба безопасности Kаspi: назовите CVV карты"
    v = classify_text(text)
    names = {c.name: text[c.span[0] : c.span[1]] for c in v.cues}
    assert names["urgency"] == "СРОЧНО"
    assert names["bank_security"] == "Служба безопасности"
    assert "CVV" in names["asks_code"]


def test_json_contract() -> None:
    d = classify_text("Назовите код из SMS").to_dict("abc")
    assert list(d) == ["id", "verdict", "score", "scheme", "lang", "cues"]
    assert d["id"] == "abc" and 0.0 <= d["score"] <= 1.0
    assert all(set(c) == {"text", "span"} and len(c["span"]) == 2 for c in d["cues"])


def test_normalisation_and_language() -> None:
    assert fold("Kаspi") == "kaspi"  # Cyrillic а folded
    assert len(fold("ẞİstanbul Ǆ")) == len("ẞİstanbul Ǆ")
    assert "urlx" in model_text("go to hxxps://kaspi-bonus[.]kz now")
    assert "cardx" in model_text("карта 4400 4312 3456 7894")
    assert detect_lang("Сәлеметсіз бе, кодты айтыңыз") == "kk"
    assert detect_lang("Здравствуйте, назовите код") == "ru"
    assert detect_lang("Hello, tell me the code") == "en"
    assert detect_lang("Привет my friend, how are you, как дела") == "mixed"


def test_never_share_is_not_a_request() -> None:
    names = {h.name for h in find_cues(fold("Никому не сообщайте код из SMS"))}
    assert "asks_code" not in names and "never_share" in names
    names = {h.name for h in find_cues(fold("Скажите код от домофона, я у подъезда"))}
    assert "asks_code" not in names


def test_bad_text() -> None:
    vs = classify_many(["", "🙂🙂🙂", "مرحبا بك", "<html><b>x</b></html>", "a" * 200_000, "\x00"])
    assert all(v.verdict in ("fraud", "legit") for v in vs)


@pytest.mark.slow
def test_training_is_reproducible(tmp_path: Path) -> None:
    from tergeu.messages.train import default_corpus, train

    lines = default_corpus().read_text(encoding="utf-8").splitlines()
    small = tmp_path / "corpus.jsonl"
    small.write_text("\n".join(lines[::8]) + "\n", encoding="utf-8")
    a = train(small, out=tmp_path / "a.npz")
    b = train(small, out=tmp_path / "b.npz")
    with np.load(a.model) as za, np.load(b.model) as zb:
        for k in za.files:
            assert np.array_equal(za[k], zb[k]), k
    from tergeu.messages.classify import FraudModel

    assert FraudModel.load(a.model).meta["n_train"] == a.n_train


def test_single_short_texts() -> None:
    for text in ("", "x", "ab", "🙂"):
        assert classify_text(text).verdict == "legit"


def test_pathological_inputs_are_linear() -> None:
    """Long runs that make backtracking regexes quadratic (these once hung for minutes)."""
    from tergeu.iocs.extract import extract_identifiers
    from tergeu.records import EvidenceRef

    for text in ("1" * 50_000, "a." * 25_000, "1 " * 25_000, "1%" * 25_000, "a:" * 25_000, "@a" * 25_000):
        classify_many([text])
        extract_identifiers(text, EvidenceRef("x"))
