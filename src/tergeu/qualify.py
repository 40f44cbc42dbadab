"""Qualification helper (S2): from the method and the act, suggest Criminal Code articles with reasons.

The investigator decides; this module only lays out which articles of the Criminal Code of the RK
(chapter 7, art. 205–213, and art. 190 for fraud) the described facts point to and why, so that a
statement can be routed and a qualification drafted quickly. Article titles are short summaries
(``qualify.art.*`` messages) to be checked against the official text before they are shown as law.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tergeu.i18n import t

METHODS = ("social_engineering", "malware", "technical_means")
ACTS = (
    "access",
    "modification",
    "disruption",
    "taking_information",
    "coercion",
    "malware",
    "distributing_restricted",
    "hosting_unlawful",
    "imei_change",
    "theft_by_deception",
)

#: The article each act corresponds to (chapter 7 is one act per article; fraud is art. 190).
ACT_ARTICLE = {
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


@dataclass
class Reason:
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str | None = None) -> str:
        # Parameters written "@key" are message keys themselves, translated into the same language.
        params = {
            k: t(v[1:], lang) if isinstance(v, str) and v.startswith("@") else v
            for k, v in self.params.items()
        }
        return t(self.key, lang, **params)


@dataclass
class Suggestion:
    """One suggested article; ``strength`` is "primary" or "consider" (a concurrence to examine)."""

    article: str
    part: str = ""
    item: str = ""
    strength: str = "primary"
    reasons: list[Reason] = field(default_factory=list)

    @property
    def code(self) -> str:
        """Compact form used when the article is recorded on a case: ``190-2-4``."""
        return "-".join(x for x in (self.article, self.part, self.item) if x)

    def label(self, lang: str | None = None) -> str:
        if self.part and self.item:
            return t("qualify.label.part_item", lang, article=self.article, part=self.part, item=self.item)
        return t("qualify.label.article", lang, article=self.article)

    def title(self, lang: str | None = None) -> str:
        return t(f"qualify.art.{self.article}", lang)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "article": self.article,
            "part": self.part,
            "item": self.item,
            "code": self.code,
            "label": self.label(lang),
            "strength": self.strength,
            "title": self.title(lang),
            "title_is_summary": True,
            "reasons": [r.text(lang) for r in self.reasons],
        }


@dataclass
class Inferred:
    """Method and acts read from free text, each with the words that triggered it."""

    method: str = ""
    acts: list[str] = field(default_factory=list)
    cues: dict[str, list[str]] = field(default_factory=dict)


def suggest(method: str, acts: list[str] | tuple[str, ...]) -> list[Suggestion]:
    """Articles for ``method`` (one of :data:`METHODS` or "") and ``acts`` (from :data:`ACTS`)."""
    if method and method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    unknown = [a for a in acts if a not in ACTS]
    if unknown:
        raise ValueError(f"unknown act(s) {', '.join(unknown)}")
    out: dict[str, Suggestion] = {}
    method_reason = (
        Reason("qualify.reason.method", {"method": f"@qualify.method.{method}"}) if method else None
    )
    for act in dict.fromkeys(acts):
        art = ACT_ARTICLE[act]
        sug = out.setdefault(art, Suggestion(article=art))
        sug.reasons.append(Reason("qualify.reason.act", {"act": f"@qualify.act.{act}"}))
        if art == "190":
            if method == "social_engineering":
                sug.part, sug.item = "2", "4"
                sug.reasons.append(Reason("qualify.reason.190_se"))
            elif method in ("malware", "technical_means"):
                sug.reasons.append(Reason("qualify.reason.190_not_deception"))
    if method_reason:
        for sug in out.values():
            sug.reasons.insert(0, method_reason)
    # Concurrences the investigator should examine.
    if method == "malware" and "210" not in out and acts:
        reasons = [r for r in (method_reason, Reason("qualify.reason.malware_used")) if r]
        out["210"] = Suggestion(article="210", strength="consider", reasons=reasons)
    if "190" in out and "208" in out and method == "social_engineering":
        out["208"].strength = "consider"
        out["208"].reasons.append(Reason("qualify.reason.info_for_theft"))
    if "205" in out and "190" in out:
        out["205"].strength = "consider"
        out["205"].reasons.append(Reason("qualify.reason.access_as_means"))
    order = {"primary": 0, "consider": 1}
    return sorted(out.values(), key=lambda s: (order[s.strength], s.article))


# Words in kk/ru/en that point to a method or an act; matched case-insensitively on word stems.
_METHOD_CUES: dict[str, tuple[str, ...]] = {
    "social_engineering": (
        r"служб\w* безопасност",
        r"security (service|department)",
        r"қауіпсіздік қызмет",
        r"код\w* из (смс|sms)",
        r"sms[- ]?code",
        r"(смс|sms)[- ]?код",
        r"code from (the )?sms",
        r"представил\w*",
        r"posed as",
        r"pretend\w*",
        r"атын жамылып",
        r"қызметкер\w* боп",
        r"сотрудник\w* банка",
        r"bank (employee|staff)",
        r"банк қызметкер",
        r"позвонил\w*",
        r"called me",
        r"қоңырау шал",
        r"безопасный сч[её]т",
        r"safe account",
        r"қауіпсіз шот",
        r"перевед\w*",
        r"убедил\w*",
        r"convinced",
        r"сендір",
    ),
    "malware": (
        r"вирус",
        r"virus",
        r"malware",
        r"вредонос",
        r"зиянды",
        r"\bapk\b",
        r"троян",
        r"trojan",
        r"шифровальщик",
        r"ransomware",
        r"приложени\w* .{0,20}(установ|скача)",
        r"install\w* .{0,20}app",
        r"қосымша\w* .{0,20}(орнат|жүкте)",
        r"anydesk",
        r"teamviewer",
        r"rustdesk",
    ),
    "technical_means": (
        r"взлом",
        r"hack\w*",
        r"бұзып",
        r"бұзды",
        r"ddos",
        r"перебор",
        r"brute[- ]?force",
        r"скиммер",
        r"skimmer",
        r"imei",
        r"wi-?fi",
        r"ботнет",
        r"botnet",
        r"sim[- ]?(swap|box)",
    ),
}
_ACT_CUES: dict[str, tuple[str, ...]] = {
    "access": (
        r"взлом",
        r"hack\w*",
        r"бұзып",
        r"бұзды",
        r"вош[её]л\w* в",
        r"доступ к",
        r"access(ed)? (to )?my",
        r"кіріп алды",
        r"аккаунт\w*",
        r"account (was )?(taken|hijack)",
        r"whatsapp .{0,20}(угнал|украл)",
    ),
    "modification": (r"удал\w*", r"изменил\w*", r"deleted", r"modified", r"өшір", r"өзгерт"),
    "disruption": (r"ddos", r"не работа\w*", r"stopped working", r"down\b", r"жұмысы тоқта", r"бұзылды"),
    "taking_information": (
        r"данные карты",
        r"card (details|data|number)",
        r"карта\w* деректер",
        r"cvv",
        r"cvc",
        r"пароль",
        r"password",
        r"құпия сөз",
        r"код\w* из (смс|sms)",
        r"(смс|sms)[- ]?код",
        r"sms[- ]?code",
        r"code from (the )?sms",
        r"персональн\w* данн",
        r"personal data",
        r"жеке деректер",
    ),
    "coercion": (
        r"шантаж",
        r"blackmail",
        r"угрож\w*",
        r"threat\w*",
        r"қорқыт",
        r"бопса",
        r"вымогат",
        r"extort",
    ),
    "malware": (
        r"вирус",
        r"virus",
        r"malware",
        r"вредонос",
        r"зиянды",
        r"\bapk\b",
        r"троян",
        r"trojan",
        r"ransomware",
    ),
    "distributing_restricted": (
        r"слил\w*",
        r"leak\w*",
        r"опубликовал\w* .{0,20}(данн|фото)",
        r"published my",
        r"тарат",
        r"интим\w*",
        r"intimate",
    ),
    "hosting_unlawful": (r"хостинг", r"hosting", r"фишинг\w* сайт", r"phishing (site|page)", r"жалған сайт"),
    "imei_change": (r"imei", r"перепрош\w*", r"reflash"),
    "theft_by_deception": (
        r"перевел\w*",
        r"перевела",
        r"списал\w*",
        r"списан\w*",
        r"transferred",
        r"debited",
        r"аудардым",
        r"аударды",
        r"ақша\w* .{0,20}(шешіп|алды|кетті)",
        r"украл\w* деньги",
        r"stole (my )?money",
        r"lost \d",
        r"\d[\d\s]* ?(тг|тенге|₸|kzt)",
        r"безопасный сч[её]т",
        r"safe account",
        r"қауіпсіз шот",
        r"предоплат",
        r"prepay",
        r"алдын ала төле",
    ),
}


def _scan(text: str, table: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, patterns in table.items():
        for pat in patterns:
            m = re.search(pat, text, re.IGNORECASE | re.UNICODE)
            if m:
                found.setdefault(name, []).append(m.group(0))
    return found


def infer_from_text(text: str, money_lost: bool = False) -> Inferred:
    """Read the method and acts from a statement's words; ``money_lost`` when transactions were given."""
    methods = _scan(text, _METHOD_CUES)
    acts = _scan(text, _ACT_CUES)
    if money_lost and "theft_by_deception" not in acts:
        acts["theft_by_deception"] = ["(transactions)"]
    method = ""
    if methods:
        # Deception of the person decides the method when present: it is what the victim saw.
        ranked = sorted(methods, key=lambda m: (-len(methods[m]), METHODS.index(m)))
        method = "social_engineering" if "social_engineering" in methods else ranked[0]
    elif acts.get("theft_by_deception"):
        method = "social_engineering"
    cues = {**{f"method:{k}": v for k, v in methods.items()}, **{f"act:{k}": v for k, v in acts.items()}}
    return Inferred(method=method, acts=[a for a in ACTS if a in acts], cues=cues)
