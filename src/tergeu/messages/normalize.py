"""Text normalisation for the fraud classifier: case and look-alike folding, placeholders, language.

Fraud texts hide from keyword filters with mixed Latin/Cyrillic letters ("Kаspi" with a Cyrillic
"а"), and every message carries different numbers, links and amounts. Folding keeps the length
of the text (so cue spans still index the original) while the model text replaces links, phones,
cards, amounts and codes by placeholders, so the model learns the script, not the numbers.
"""

from __future__ import annotations

import re

KK_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_LAT2CYR = str.maketrans("aceopxykmthbABCEHKMOPTXY", "асеорхукмтнвАВСЕНКМОРТХУ")
_CYR2LAT = str.maketrans("асеорхукмтнвіАВСЕНКМОРТХУІ", "aceopxykmthbiABCEHKMOPTXYI")
_WORD = re.compile(r"\w+")
# Letters with no look-alike in the other script decide which script a mixed word really is.
_CYR_ONLY = re.compile(r"[бгдждзийлпфцчшщъыьэюяБГДЖЗИЙЛПФЦЧШЩЪЫЬЭЮЯәғқңөұүһӘҒҚҢӨҰҮҺ]")
_LAT_ONLY = re.compile(r"[dfgjlnqrsuvwzDFGJLNQRSUVWZ]")
_CYR = re.compile(r"[\u0400-\u04ff]")
_LAT = re.compile(r"[a-zA-Z]")


def _fold_word(m: re.Match[str]) -> str:
    w = m.group(0)
    has_c = _CYR.search(w) is not None
    has_l = _LAT.search(w) is not None
    if has_c and has_l:
        if _CYR_ONLY.search(w):
            return w.translate(_LAT2CYR)
        if _LAT_ONLY.search(w):
            return w.translate(_CYR2LAT)
        ncyr = len(_CYR.findall(w))
        nlat = len(_LAT.findall(w))
        return w.translate(_LAT2CYR) if ncyr >= nlat else w.translate(_CYR2LAT)
    return w


_MIXED = re.compile(r"[a-zA-Z][\u0400-\u04ff]|[\u0400-\u04ff][a-zA-Z]")


def fold(text: str) -> str:
    """Lower-case and undo Latin/Cyrillic look-alike mixing inside words; same length as ``text``."""
    # linear scan for a Latin/Cyrillic pair first; only then rewrite word by word
    folded = _WORD.sub(_fold_word, text) if _MIXED.search(text) else text
    low = folded.lower()
    if len(low) != len(text):  # a few characters lower-case to two; keep offsets exact
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    return low.replace("ё", "е")


_URL = re.compile(
    r"(?:(?:https?|hxxps?)://|www\.)\S+|\b[\w-]{1,63}(?:\.|\[\.\]|\(dot\))(?:[\w-]{1,63}(?:\.|\[\.\])){0,6}"
    r"(?:kz|ru|com|net|org|info|xyz|top|site|online|shop|ly|me|io|su|pro|club|app|link|click|cc|biz|қаз|рф)\b\S*",
    re.IGNORECASE,
)
_CARD = re.compile(
    r"(?<!\d)(?:\d{4}[ \-]?){3}\d{1,4}(?!\d)|\b\d{4}[\d*\s]{4,14}\*[\d*\s]*\d{4}\b|\*{1,}\d{4}\b"
)
_PHONE = re.compile(r"(?<![\w])(?:\+?[78]|\+\d{1,3})[\s\-(]*\d{3}[\s\-)]*\d{3}[\s\-]*\d{2}[\s\-]*\d{2}(?!\d)")
_AMOUNT = re.compile(
    r"(?:[$€₸£]\s?\d[\d\s.,]{0,20}|\d[\d\s.,]{0,20}\s?(?:₸|тг\b|tg\b|тенге|теңге|kzt|руб\w*|р\.|₽|usd|usdt|\$|€|eur|долл\w*|dollars?|евро|млн|тыс\w*|мың|k\b))",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_URL_HINT = re.compile(r"://|www\.|\w(?:\.|\[\.\]|\(dot\))\w", re.IGNORECASE)
_CODE = re.compile(r"(?<![\d\w])\d{4,6}(?![\d\w])")
_NUM = re.compile(r"\d+")
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,5}")
_SPACE = re.compile(r"\s+")


def model_text(text: str) -> str:
    """Folded text with placeholders for links, e-mails, cards, phones, amounts, codes and numbers."""
    s = _URL.sub(" urlx ", text) if _URL_HINT.search(text) else text
    if "@" in s:
        s = _EMAIL.sub(" emailx ", s)
    digits = _DIGIT.search(s) is not None
    if digits:
        s = _CARD.sub(" cardx ", s)
        s = _PHONE.sub(" phonex ", s)
        s = _AMOUNT.sub(" amountx ", s)
    s = fold(s)
    if digits:
        s = _CODE.sub(" codex ", s)
        s = _NUM.sub(" numx ", s)
    return _SPACE.sub(" ", s).strip()


_KK_WORDS = frozenset(
    [
        "сіз",
        "сізге",
        "сіздің",
        "сізді",
        "сен",
        "саған",
        "сенің",
        "және",
        "үшін",
        "емес",
        "жоқ",
        "бар",
        "деп",
        "керек",
        "болады",
        "болса",
        "қазір",
        "бүгін",
        "ертең",
        "рахмет",
        "сәлем",
        "сәлеметсіз",
        "қалайсыз",
        "жақсы",
        "иә",
        "жоқ",
        "мен",
        "біз",
        "олар",
        "осы",
        "мына",
        "кодты",
        "кодын",
        "шотыңыз",
        "картаңыз",
        "картаңызға",
        "ақша",
        "аударыңыз",
        "жіберіңіз",
        "айтыңыз",
        "нөмір",
        "нөміріңіз",
        "банкі",
        "қызметі",
    ]
)


def detect_lang(text: str) -> str:
    """'kk', 'ru', 'en' or 'mixed' (Cyrillic and Latin words both substantial)."""
    words = _WORD.findall(text.lower())
    cyr = lat = kk = 0
    for w in words:
        if _CYR.search(w):
            cyr += 1
            if KK_LETTERS & set(w) or w in _KK_WORDS:
                kk += 1
        elif _LAT.search(w):
            lat += 1
    if cyr == 0 and lat == 0:
        return "mixed" if not words else "en"
    total = cyr + lat
    if cyr and lat and min(cyr, lat) / total >= 0.35:
        return "mixed"
    if cyr >= lat:
        return "kk" if kk and kk / cyr >= 0.15 else "ru"
    return "en"
