"""Build ``corpus.jsonl`` from the hand-written scripts in ``scripts_{kk,ru,en}.py``.

Each *core* sentence is one documented script (a fraud script from bank/police warnings, or a
genuine message type). Variants add an opening, a closing and slot values (banks, amounts, links,
phones, cards, names); some are typed with slips, without punctuation, with look-alike letters
or in Latin letters (translit). The held-out split is by script: a core and all its variants are either
train or test, decided by a hash of the script id, so test sentences are never seen in training.

Run: ``python data/messages/build_corpus.py`` (deterministic: fixed seed, no network).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import random
from pathlib import Path

HERE = Path(__file__).parent
SEED = 20261130
VARIANTS_FRAUD = 5
VARIANTS_LEGIT = 9

SLOTS: dict[str, dict[str, list[str]]] = {
    "common": {
        "bank": ["Kaspi Bank", "Halyk Bank", "Jusan Bank", "ForteBank", "Банк ЦентрКредит", "Freedom Bank", "Kaspi", "Halyk", "Home Credit Bank", "Otbasy Bank"],
        "url": [
            "https://kaspi-bonus.kz/login", "http://halyk-secure.com/verify", "kaspi-pay.online", "https://olx-dostavka.site/deal/83412",
            "hxxps://egov-kz[.]top/vyplata", "https://kazpost-delivery.info/track", "bit.ly/3kP9xQz", "https://jusan-help.xyz",
            "www.kaspi-gold-kz.com", "https://clck.ru/36Ftqw", "https://invest-kz.pro/start", "http://secure-bank-kz.club",
            "https://vote-konkurs.ru/p/4412", "https://cdek-oplata.shop/pay", "https://binance-bonus.site/claim",
        ],
        "phone": ["+7 701 234 56 78", "8 707 555 12 34", "+7 747 100 20 30", "8-775-321-44-55", "+7 916 123 45 67", "+7 (778) 901-23-45", "87012223344"],
        "card": ["4400 4312 3456 7894", "5169 4971 2345 6789", "4405 6398 1111 2222", "2200 1234 5678 9019", "4263 9823 4567 1234"],
        "last4": ["1234", "5678", "0912", "4471", "8830", "2026"],
        "code": ["4521", "837164", "1290", "553018", "7720", "604112"],
        "app": ["kaspi_update", "halyk_secure", "bank_protect", "egov_mobile"],
        "tg": ["@invest_kz_profit", "@crypto_dohod_bot", "@fast_money_kz", "@trade_expert_ali"],
        "btc": ["1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"],
        "tron": ["TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"],
        "track": ["RR123456789KZ", "CP987654321KZ", "LZ555666777CN", "EE112233445KZ"],
        "order": ["4471-2291", "88213", "KZ-55120", "302917"],
        "date": ["12.03", "05.11", "28.02", "17.09"],
        "okurl": [
            "https://kaspi.kz/shop/p/123456", "https://egov.kz/cms/ru/services", "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://2gis.kz/almaty/firm/70000001", "https://docs.google.com/document/d/1AbC/edit", "https://tengrinews.kz/news/",
            "https://www.nationalbank.kz", "https://kolesa.kz/a/show/155", "https://en.wikipedia.org/wiki/Almaty",
            "https://github.com/tergeu/tergeu", "https://www.bbc.com/news", "https://halykbank.kz/ru/about",
        ],
        "shop": ["Magnum", "Small", "Sulpak", "Technodom", "Arbuz.kz", "Wildberries", "Yandex Go"],
    },
    "ru": {
        "name": ["Айгерим", "Ерлан", "Светлана", "Данияр", "Наталья", "Асель", "Игорь", "Марат", "Ольга"],
        "amount": ["50 000 тенге", "150 000 ₸", "25 000 тг", "300 000 тенге", "1 200 000 ₸", "9 990 ₸", "500 000 тг", "3 500 тенге"],
        "city": ["Алматы", "Астане", "Шымкенте", "Караганде", "Актобе", "Павлодаре"],
    },
    "kk": {
        "name": ["Айгерім", "Ерлан", "Гүлнар", "Данияр", "Әсел", "Нұрлан", "Мадина", "Бауыржан", "Жанар"],
        "amount": ["50 000 теңге", "150 000 ₸", "25 000 тг", "300 000 теңге", "1 200 000 ₸", "9 990 ₸", "500 000 тг", "3 500 теңге"],
        "city": ["Алматы", "Астана", "Шымкент", "Қарағанды", "Ақтөбе", "Павлодар"],
    },
    "en": {
        "name": ["Aigerim", "John", "Sarah", "Daniyar", "Emma", "Michael", "Asel", "David", "Olga"],
        "amount": ["$500", "$1,200", "50,000 KZT", "£300", "€250", "$99", "150,000 tenge", "$2,000"],
        "city": ["Almaty", "Astana", "London", "Shymkent", "New York", "Karaganda"],
    },
}
SOURCES = {
    "fraud": "script paraphrased from bank and police warnings (see PROVENANCE.md)",
    "otp": "genuine OTP template style of KZ banks/eGov/WhatsApp (hard negative)",
    "bank_notice": "genuine bank notification style (hard negative)",
    "family": "everyday family money/errand messages (hard negative)",
    "market": "genuine marketplace buyer/seller chat (hard negative)",
    "delivery": "official post/courier notice style (hard negative)",
    "chat": "everyday personal/work chat",
    "warning": "anti-fraud warnings and news items quoting the scripts (hard negative)",
    "service": "genuine service notices and promotions (hard negative)",
    "links": "genuine messages sharing official or everyday links (hard negative)",
    "misc": "everyday work/school/home messages mentioning payments and phones (hard negative)",
}


def _load(lang: str) -> object:
    spec = importlib.util.spec_from_file_location(f"scripts_{lang}", HERE / f"scripts_{lang}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class _Filler(dict[str, str]):
    def __init__(self, rnd: random.Random, lang: str) -> None:
        super().__init__()
        self.rnd = rnd
        self.lang = lang

    def __missing__(self, key: str) -> str:
        base = key.rstrip("2")
        pool = SLOTS[self.lang].get(base) or SLOTS["common"][base]
        return self.rnd.choice(pool)


def _is_test(script: str) -> bool:
    return int(hashlib.sha1(script.encode()).hexdigest(), 16) % 4 == 0


_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i",
}


def _translit(text: str) -> str:
    """Cyrillic typed in Latin letters, as people do on phones without a Cyrillic keyboard."""
    out = []
    for ch in text:
        t = _TRANSLIT.get(ch.lower())
        if t is None:
            out.append(ch)
        else:
            out.append(t.capitalize() if ch.isupper() else t)
    return "".join(out)


def _typos(text: str, rnd: random.Random) -> str:
    """One or two slips of the thumb: a dropped, doubled or swapped letter inside a longer word."""
    words = text.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    for i in rnd.sample(idx, min(len(idx), rnd.randint(1, 2))):
        w = words[i]
        j = rnd.randrange(1, len(w) - 2)
        op = rnd.randrange(3)
        if op == 0:
            w = w[:j] + w[j + 1 :]
        elif op == 1:
            w = w[:j] + w[j] + w[j:]
        else:
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        words[i] = w
    return " ".join(words)


def _perturb(text: str, rnd: random.Random) -> str:
    r = rnd.random()
    if r < 0.08:
        return text.lower()
    if r < 0.14:
        return "".join(c for c in text if c not in ".,!;")
    if r < 0.18:
        swap = str.maketrans("аеорсАЕОРС", "aeopcAEOPC")
        return text.translate(swap)
    if r < 0.25:
        return _typos(text, rnd)
    if r < 0.29 and any("\u0400" <= c <= "\u04ff" for c in text):
        return _translit(text).lower()
    return text


def build() -> list[dict[str, object]]:
    rnd = random.Random(SEED)
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for lang in ("kk", "ru", "en"):
        mod = _load(lang)
        for label, table, opens, closes, k in (
            ("fraud", mod.FRAUD, mod.OPEN_FRAUD, mod.CLOSE_FRAUD, VARIANTS_FRAUD),  # type: ignore[attr-defined]
            ("legit", mod.LEGIT, mod.OPEN_LEGIT, mod.CLOSE_LEGIT, VARIANTS_LEGIT),  # type: ignore[attr-defined]
        ):
            for scheme, cores in table.items():
                splits = [_is_test(f"{lang}/{label}/{scheme}/{i}") for i in range(len(cores))]
                if all(splits):
                    splits[0] = False
                for i, core in enumerate(cores):
                    script = f"{lang}/{label}/{scheme}/{i}"
                    for _ in range(k):
                        fill = _Filler(rnd, lang)
                        parts = [rnd.choice(opens), core, rnd.choice(closes)]
                        text = " ".join(p for p in parts if p).format_map(fill)
                        text = _perturb(text, rnd)
                        if text in seen:
                            continue
                        seen.add(text)
                        rows.append(
                            {
                                "id": f"{lang}-{len(rows):05d}",
                                "text": text,
                                "label": label,
                                "scheme": scheme if label == "fraud" else None,
                                "kind": scheme if label == "legit" else "fraud",
                                "lang": lang,
                                "script": script,
                                "split": "test" if splits[i] else "train",
                                "source": SOURCES["fraud" if label == "fraud" else scheme],
                            }
                        )
    return rows


def main() -> None:
    rows = build()
    out = HERE / "corpus.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    from collections import Counter

    c = Counter((r["lang"], r["label"], r["split"]) for r in rows)
    for key in sorted(c):
        print(*key, c[key])
    print("total", len(rows), "->", out)


if __name__ == "__main__":
    main()
