"""Explainable cues of social-engineering scripts in kk, ru and en.

Each cue is a documented trait of the scripts in bank and police warnings (asks for the SMS code,
a "safe account", urgency, secrecy, a remote-access app, payment before delivery, ...). Cues are
features of the model *and* the reasons shown to the person reading the verdict, with their spans.
Patterns run on :func:`tergeu.messages.normalize.fold` output, which keeps offsets of the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_W = r"[\w\-]*"  # rest of a word (stems below)
_GAP = r"(?:[\s,.:;!?\-–—«»\"']+[\w\-]+){0,4}?[\s,.:;!?\-–—«»\"']+"  # up to four words in between


_AMT = (
    r"(?:[$€£₸]\s?\d[\d.,]{0,15}(?:\s\d{3}){0,5}|\d[\d.,]{0,15}(?:\s\d{3}){0,5}\s?"
    r"(?:тенге|теңге|тг|₸|kzt|tenge|usd|usdt|\$|руб\w*|₽|евро|€|долл\w*|мың|тыс\w*|k)\b)"
)
_URLRX = r"(?:https?://|hxxps?://|www\.)\S+|\b[\w-]+\.(?:kz|ru|com|net|org|site|online|top|xyz|info|pro|club|shop|ly)\b\S*"


def _rx(*parts: str) -> re.Pattern[str]:
    """Alternatives, with placeholders for amounts, numbers, codes and links spelled as regexes."""
    body = "|".join(f"(?:{p})" for p in parts)
    body = body.replace("amountx", _AMT).replace("numx", r"\d{1,6}").replace("codex", r"\d{4,8}")
    body = body.replace("urlx", f"(?:{_URLRX})").replace(r"\d+", r"\d{1,6}")
    return re.compile(body, re.IGNORECASE)


_ASK_VERB_RU = (
    r"(?:назов|продикт|диктуй|скаж|сообщ|отправ|переш|пришл|скин|напиш|уточн|зачитай|прочитай|прочтите)"
)
_SECRET_RU = r"(?:код|пароль|cvv|cvc|cvv2|пин|pin|три цифры|цифры на обороте|цифры с обратной|смс|sms)"
_ASK_VERB_EN = r"(?:tell|send|give|share|read|forward|provide|text|dictate)"
_SECRET_EN = r"(?:code|otp|pin|cvv|cvc|password|passcode|security number|digits on the back)"
_SECRET_KK = r"(?:код|құпия ?сөз|пин|cvv|смс|sms|цифрлар)"
_ASK_VERB_KK = r"(?:айт|жібер|жаз|көрсет|бер|хабарла|оқы|оқып)"
_NEG_BEFORE = re.compile(
    r"(?:\bне\b|\bни\b|никому|никогда|never|\bnot\b|don'?t|do not|ешкімге|ешқашан)[\s,]+(?:\w+[\s,]+)?$"
)
_NEG_KK_VERB = re.compile(
    r"\w+(?:па|пе|ма|ме|ба|бе)(?:ңыз|ңіз|ңдар|ңдер|йды|йді|ды|ді|сын|сін)\b|\b(?:айтпа|берме|жіберме)\b"
)


def _top_alternatives(src: str) -> list[str]:
    out, depth, cur, i = [], 0, [], 0
    while i < len(src):
        ch = src[i]
        if ch == "\\":
            cur.append(src[i : i + 2])
            i += 2
            continue
        if ch == "[":
            j = src.index("]", i + 1)
            cur.append(src[i : j + 1])
            i = j + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


def _prefixes(alt: str) -> set[str] | None:
    """Literal strings one of which every match of ``alt`` must contain (None: cannot tell)."""
    while alt.startswith(("\\b", "^")):
        alt = alt[2:] if alt.startswith("\\b") else alt[1:]
    if alt.startswith("(?:"):
        depth, j = 0, 0
        while j < len(alt):
            ch = alt[j]
            if ch == "\\":
                j += 2
                continue
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0:
                break
            j += 1
        if j + 1 < len(alt) and alt[j + 1] in "?*{":
            return None
        out: set[str] = set()
        for inner in _top_alternatives(alt[3:j]):
            got = _prefixes(inner)
            if got is None:
                return None
            out |= got
        return out
    lit = []
    for i, ch in enumerate(alt):
        if ch in ".^$*+?{}[]|()\\":
            break
        if i + 1 < len(alt) and alt[i + 1] in "?*{":
            break
        lit.append(ch)
    text = "".join(lit)
    return {text} if len(text) >= 2 else None


def _anchors(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    out: set[str] = set()
    for alt in _top_alternatives(pattern.pattern):
        got = _prefixes(alt)
        if got is None:
            return None
        out |= got
    return tuple(sorted(a.lower() for a in out))


@dataclass(frozen=True)
class CueDef:
    name: str
    pattern: re.Pattern[str]
    fraud: bool = True  # False for cues that mark genuine messages (e.g. "never share this code")

    @property
    def anchors(self) -> tuple[str, ...] | None:
        """Substrings one of which any match contains: a cheap gate before the regex runs."""
        return _ANCHORS.setdefault(self.name, _anchors(self.pattern))


# Hand-written gates where the derived ones are missing or too common; a test checks that gating
# never changes the cues found on the corpus.
_ANCHORS: dict[str, tuple[str, ...] | None] = {
    "urgency": (
        "срочно",
        "немедлен",
        "в течение",
        "прямо сейчас",
        "сегодня же",
        "последн",
        "пока не поздно",
        "иначе",
        "urgent",
        "immediately",
        "right now",
        "right away",
        "within",
        "asap",
        "act now",
        "final ",
        "otherwise",
        "шұғыл",
        "дереу",
        "тез арада",
        "ішінде",
        "әйтпесе",
    ),
    "install_app": (
        "скача",
        "установ",
        "загруз",
        ".apk",
        "install",
        "download",
        "қосымша",
        "бағдарлама",
        "файл",
        "apk",
        "орнатыңыз",
        "жүктеп",
    ),
    "prepayment": (
        "предоплат",
        "доплат",
        "аванс",
        "оплат",
        "внес",
        "перевед",
        "комисси",
        "pay ",
        "upfront",
        "advance",
        "processing fee",
        "алдын ала",
        "кепіл",
        "комиссия",
        "жеткізу ақы",
        "бастау үшін",
        "deposit",
        "депозит",
        "для начала",
        "обучение",
        "training fee",
        "оқу ақы",
    ),
    "link_action": (
        "перейдите",
        "пройдите",
        "нажмите",
        "откройте",
        "заполните",
        "авторизуйтесь",
        "войдите",
        "click",
        "tap",
        "open",
        "follow",
        "visit",
        "log",
        "өтіңіз",
        "басыңыз",
        "ашыңыз",
        "кіріңіз",
        "толтырыңыз",
    ),
    "investment": (
        "инвест",
        "пассивн",
        "доход",
        "прибыл",
        "%",
        "брокер",
        "трейд",
        "гарантирован",
        "invest",
        "passive income",
        "guaranteed",
        "trading platform",
        "broker",
        "тұрақты табыс",
        "кепілдендірілген",
        "пайда табу",
    ),
    "relative_trouble": (
        "попал",
        "сбил",
        "чтобы",
        "новый номер",
        "это я",
        "телефон разбился",
        "accident",
        "trouble",
        "new number",
        "phone",
        "апатқа",
        "жаңа нөмір",
        "телефоным",
        "полицияға",
    ),
    "prize": (
        "выигр",
        "приз",
        "розыгрыш",
        "подар",
        "победител",
        "поздравляем",
        "бонус",
        "won",
        "winner",
        "prize",
        "lottery",
        "giveaway",
        "congratulations",
        "reward",
        "bonus",
        "ұтыс",
        "жүлде",
        "сыйлық",
        "жеңімпаз",
        "құттықтаймыз",
        "ұттыңыз",
    ),
}


CUES: tuple[CueDef, ...] = (
    CueDef(
        "asks_code",
        _rx(
            rf"\b{_ASK_VERB_RU}{_W}{_GAP}{_SECRET_RU}",
            rf"\b{_SECRET_RU}{_W}{_GAP}{_ASK_VERB_RU}{_W}",
            rf"\b{_ASK_VERB_EN}{_W}{_GAP}(?:the |me |us |your )?{_SECRET_EN}",
            rf"\b{_SECRET_KK}{_W}{_GAP}{_ASK_VERB_KK}{_W}",
            rf"\b(?:айт|жібер|жаз|оқы)(?:ыңыз|іңіз|ып|іп|шы|ші)\w*{_GAP}{_SECRET_KK}",
            r"какой (?:код|пароль) (?:пришел|пришёл|пришл)|what(?:'s| is) the code|қандай код келді",
        ),
    ),
    CueDef(
        "never_share",
        _rx(
            r"никому не (?:сообща|говор|переда|называ|показыва)\w*",
            r"не (?:сообщайте|передавайте|называйте|говорите)(?: его| этот| никому)? (?:код|пароль)?",
            r"сотрудник\w* банка никогда",
            r"never (?:share|give|tell|disclose)|do not (?:share|give|disclose)|don'?t (?:share|give|disclose)",
            r"(?:will|would) never (?:ask|call)",
            r"ешкімге (?:айтпа|берме|хабарлама|көрсетпе)\w*|ешкіммен бөліспе\w*|бөліспеңіз",
            r"ешқашан (?:сұрамайды|сұрамайды)",
            r"банк ешқашан",
            # genuine warnings forbid the fraudster's request outright ("do not install AnyDesk")
            r"не (?:устанавливайте|скачивайте|переходите по|открывайте ссылк|переводите (?:деньги |средства )?на)",
            r"(?:never|do not|don'?t) (?:install|download|click|move (?:your )?money|transfer (?:your )?(?:money|funds) to)",
            r"(?:орнатпаңыз|жүктемеңіз|өтпеңіз|аудармаңыз)",
        ),
        fraud=False,
    ),
    CueDef(
        "safe_account",
        _rx(
            r"безопасн\w* (?:сч[её]т|карт|ячейк)|защищ[её]нн\w* сч[её]т|резервн\w* сч[её]т|специальн\w* сч[её]т",
            r"(?:safe|secure|protected|reserve|holding) (?:account|wallet)",
            r"қауіпсіз (?:шот|есепшот|карта)|резервтік шот|арнайы шот",
        ),
    ),
    CueDef(
        "card_blocked",
        _rx(
            r"карт\w* (?:\w+ ){0,2}(?:заблокир|блокир|арестован|приостанов)\w*|блокировк\w* (?:карт|сч[её]т)",
            r"(?:card|account) (?:has been |is |was |will be )?(?:blocked|suspended|frozen|locked|restricted)",
            r"бұғатта\w*|бұғаттал\w*",
        ),
    ),
    CueDef(
        "suspicious_activity",
        _rx(
            r"подозрительн\w* (?:операц|перевод|транзакц|вход|активн)\w*|попытк\w* (?:списани|перевод|вход|взлом)\w*",
            r"(?:на ваше имя|без вашего ведома|пытаются) (?:\w+ ){0,3}(?:оформ|кредит|заявк|займ)\w*|мошенник\w* (?:пытаются|оформ)\w*",
            r"suspicious (?:transaction|activity|login|transfer|payment)|unauthori[sz]ed (?:transaction|payment|login|access)",
            r"күдікті (?:операция|аударым|транзакция|кіру)|атыңызға несие",
        ),
    ),
    CueDef(
        "bank_security",
        _rx(
            r"служб\w* безопасности|отдел\w* безопасности|службы финансового мониторинга|финмониторинг\w*",
            r"security (?:service|department|team|officer)|fraud (?:department|team|prevention)",
            r"қауіпсіздік қызметі\w*|қаржылық мониторинг",
        ),
    ),
    CueDef(
        "authority",
        _rx(
            r"полици\w*|\bмвд\b|\bкнб\b|прокуратур\w*|следовател\w*|\bафм\b|нацбанк\w*|национальн\w* банк\w*|агентств\w* по (?:финансов|регулир)\w*",
            r"\bpolice\b|investigator|prosecutor|central bank|national bank|\bfbi\b|interpol",
            r"ұлттық банк\w*|тергеуші|прокуратура|полиция\w*",
        ),
    ),
    CueDef(
        "urgency",
        _rx(
            r"\bсрочно|немедленно|в течение (?:\d+|codex|numx|часа|минут|суток|дня)\w*|прямо сейчас|сегодня же|последн\w* (?:шанс|день|предупреждени)|пока не поздно|иначе",
            r"\burgent\w*|immediately|right now|right away|within (?:\d+|numx|an?|the next) (?:hours?|minutes?|days?)|\basap\b|act now|final (?:warning|notice)|otherwise",
            r"шұғыл|дереу|тез арада|\d+ (?:сағат|минут) ішінде|numx (?:сағат|минут) ішінде|әйтпесе",
        ),
    ),
    CueDef(
        "secrecy",
        _rx(
            r"не (?:говорите|сообщайте|рассказывайте) (?:об этом )?(?:никому|родным|близким|родственникам|сотрудникам|банку|в банке|полиции)",
            r"(?:это|информация) (?:конфиденциальн|секретн|тайна)\w*|держите в (?:секрете|тайне)|разглашени\w*|неразглашени\w*|подписк\w* о неразглашении",
            r"(?:don'?t|do not) tell (?:anyone|your|the bank|bank staff|family|police)|keep (?:this|it) (?:secret|confidential|between us)",
            r"(?:туыстарыңызға|жақындарыңызға|банк қызметкерлеріне) (?:айтпа|хабарлама)\w*|құпия сақта\w*",
        ),
    ),
    CueDef(
        "remote_access",
        _rx(
            r"any ?desk|team ?viewer|rust ?desk|quick ?support|ammyy|aeroadmin|\bsupremo\b|\brms\b",
            r"демонстраци\w* экрана|удал[её]нн\w* доступ|screen ?shar\w*|remote (?:access|desktop|control)|экранды көрсет\w*|қашықтан (?:қол|басқару)",
        ),
    ),
    CueDef(
        "install_app",
        _rx(
            r"(?:скачайте|установите|загрузите|скачать|установить) (?:\w+ )?(?:приложени|программ|файл)\w*|\.apk\b",
            r"(?:install|download) (?:the |this |our )?(?:\w+ )?(?:app|application|program|file)\b",
            r"қосымша\w* (?:жүкте|орнат)\w*|бағдарлама\w* (?:жүкте|орнат)\w*|(?:файл|apk)\w* (?:жүкте|орнат)\w*|орнатыңыз|жүктеп алыңыз",
        ),
    ),
    CueDef(
        "prepayment",
        _rx(
            r"предоплат\w*|\bаванс\w*|(?:оплат|внес|перевед)\w* (?:\w+ )?(?:за )?(?:доставк|залог|комисси|страховк|пошлин|налог|депозит)\w*|сначала (?:оплат|перевед|перевест|внес)\w*",
            r"комисси\w* за (?:вывод|перевод|доставк|страховк|снятие)\w*",
            r"pay (?:the |a |an )?(?:small )?(?:fee|deposit|delivery|customs|commission|tax|insurance|advance)|upfront|advance (?:payment|fee)|processing fee",
            r"алдын ала төле\w*|кепіл (?:ақы|ақша)\w*|комиссия\w* төле\w*|жеткізу ақы\w*|бастау үшін (?:\w+ ){0,2}сал\w*",
            r"(?:first |initial )?deposit (?:of )?(?:amountx )?(?:is )?required|первый депозит|для начала (?:нужно )?внести|оплатите обучение|training fee|оқу ақы\w*",
        ),
    ),
    CueDef(
        "money_transfer",
        _rx(
            r"перевед(?:и|ите)\b|перевести|перекин\w*|скин(?:ь|ьте|уть)\b|кинь\b|отправьте (?:деньги|сумму|amountx)|пополните|оплатите|внесите",
            r"transfer (?:the |your )?(?:money|funds|amountx|balance|savings)|send (?:me |us )?(?:the )?(?:money|amountx|funds)|\bwire\b|top up",
            r"аударыңыз|аударып жібер\w*|салып жібер\w*|төлеңіз|салыңыз|жіберіп жібер\w*|ақша (?:жібер|сал)\w*",
        ),
    ),
    CueDef(
        "link_action",
        _rx(
            r"(?:перейдите|пройдите|нажмите|откройте|заполните|авторизуйтесь|войдите) (?:\w+ ){0,3}(?:по )?(?:ссылк|сайт|форм|urlx)\w*",
            r"(?:click|tap|open|follow|visit|log ?in)(?: on| at| to| via)? (?:\w+ ){0,3}(?:link|urlx|website|page|form)",
            r"(?:сілтеме|urlx)\w* (?:\w+ ){0,2}(?:өтіңіз|басыңыз|ашыңыз|кіріңіз|толтырыңыз)",
        ),
    ),
    CueDef(
        "prize",
        _rx(
            r"выигр\w*|\bприз\w*|розыгрыш\w*|подар\w*|победител\w*|поздравляем|\bбонус\w*",
            r"you(?:'ve| have)? won|\bwinner\b|\bprize\b|lottery|giveaway|congratulations|\breward\b|\bbonus\b",
            r"ұтыс\w*|жүлде\w*|сыйлық\w*|жеңімпаз\w*|құттықтаймыз|ұттыңыз",
        ),
    ),
    CueDef(
        "investment",
        _rx(
            r"инвест\w*|пассивн\w* доход|(?:доход|прибыль|доходность)\w* (?:от |до )?(?:\d+|numx)|numx ?% (?:в|за) (?:день|неделю|месяц)|брокер\w*|трейд\w*|гарантированн\w* (?:доход|прибыль)",
            r"invest\w*|passive income|guaranteed (?:returns?|profit|income)|numx ?% (?:daily|weekly|per day|a day|a week|per week)|trading platform|broker",
            r"инвестиция\w*|тұрақты табыс|кепілдендірілген табыс|пайда табу",
        ),
    ),
    CueDef(
        "crypto",
        _rx(
            r"крипт\w*|биткоин\w*|bitcoin|\bbtc\b|\busdt\b|tether|binance|бинанс|trc-?20|кошел[её]к\w*|\bwallet\b|әмиян"
        ),
    ),
    CueDef(
        "easy_job",
        _rx(
            r"подработк\w*|работа на дому|(?:лайк|отзыв|выкуп)\w* (?:за|товар)|ставить лайки|оплата ежедневно|заработ\w* (?:от|до) (?:\d+|numx|amountx)",
            r"part[- ]time|work from home|easy money|earn (?:amountx|numx|up to)|per (?:day|hour) from home|like (?:videos|posts) and earn|simple tasks",
            r"қосымша табыс|үйден жұмыс|күніне amountx|оңай табыс",
        ),
    ),
    CueDef(
        "relative_trouble",
        _rx(
            r"попал\w* в (?:аварию|дтп|беду|больниц|полици|неприятност)\w*|сбил\w* (?:человека|пешехода)|чтобы (?:не )?завели дело|новый номер|это я,? (?:твой|ваш)|телефон разбился",
            r"(?:in|had an?) (?:accident|trouble)|(?:this is my|it'?s me,? (?:mom|mum|dad)|my) new number|phone (?:broke|is broken)|lost my phone",
            r"апатқа (?:түс|ұшыра)\w*|жаңа нөмір\w*|телефоным сынды|полицияға түстім",
        ),
    ),
    CueDef(
        "money_mule",
        _rx(
            r"принимать (?:\w+ )?(?:переводы|деньги|платежи)|переводить (?:их )?дальше|оформить (?:на себя )?карт\w* (?:за|и)|дроп\w*",
            r"receive (?:\w+ )?(?:transfers|payments|money) (?:to|into|on) (?:your|their|own)|forward (?:them|the money|it) (?:on|to)|you keep numx ?%",
            r"аударым(?:дар)? қабылда\w*|әрі қарай аудар\w*",
        ),
    ),
    CueDef(
        "loan",
        _rx(r"\bкредит\w*|\bзайм\w*|\bloan\w*|\bнесие\w*|микрокредит\w*"),
    ),
    CueDef(
        "delivery",
        _rx(
            r"посылк\w*|курьер\w*|казпочт\w*|kazpost|таможн\w*|\bcustoms\b|\bparcel\b|\bcourier\b|сәлемдеме\w*|қазпошта"
        ),
    ),
    CueDef(
        "marketplace",
        _rx(
            r"\bolx\b|\bолх\b|безопасн\w* сделк\w*|объявлени\w*|\bkrisha\b|\bkolesa\b|\blisting\b|safe deal|хабарландыру\w*"
        ),
    ),
    CueDef(
        "rental",
        _rx(r"квартир\w*|аренд\w*|посуточн\w*|\bapartment\b|\brent\w*|пәтер\w*|жалға"),
    ),
    CueDef(
        "social_payment",
        _rx(
            r"пособи\w*|выплат\w*|компенсаци\w*|соцвыплат\w*|\begov\b|\bегов|енпф|\benpf\b",
            r"\bbenefits?\b|compensation|payout|refund",
            r"жәрдемақы\w*|өтемақы\w*|әлеуметтік төлем\w*|зейнетақы\w*",
        ),
    ),
    CueDef(
        "account_takeover",
        _rx(
            r"проголосу\w*|голосовани\w*|код (?:из|от|в) (?:whatsapp|ватсап\w*|телеграм\w*|telegram|вацап\w*)",
            r"vote for|(?:whatsapp|telegram) (?:verification )?code|6-digit code",
            r"дауыс бер\w*|(?:whatsapp|телеграм)\w* код\w*",
        ),
    ),
    CueDef(
        "romance",
        _rx(
            r"любим\w*|скучаю|люблю тебя|\bdarling\b|my love|sweetheart|i miss you|сағындым|жаным|сүйікті\w*"
        ),
    ),
    CueDef(
        "tech_support",
        _rx(
            r"техподдержк\w*|служб\w* поддержки|tech(?:nical)? support|your (?:computer|device) (?:is|has been) (?:infected|hacked)|\bвирус\w*|\bvirus\w*|техникалық қолдау"
        ),
    ),
)


_STEM = 6  # anchors are matched as prefixes (at most this long) of the words of a message
_TOKEN = re.compile(r"\w+")


def _alternatives(pattern: re.Pattern[str]) -> list[str]:
    """The flat list of top-level alternatives of a cue pattern built by :func:`_rx`."""
    out: list[str] = []
    for group in _top_alternatives(pattern.pattern):
        inner = group[3:-1] if group.startswith("(?:") and group.endswith(")") else group
        parts = _top_alternatives(inner)
        out.extend(parts if all(p.count("(") == p.count(")") for p in parts) else [group])
    return out


Gate = tuple[int, int]  # (cue index, alternative index)


def _build_gates() -> tuple[list[list[re.Pattern[str]]], dict[str, frozenset[Gate]], frozenset[Gate]]:
    """Word-prefix index of the anchors of every alternative; unindexable alternatives always run."""
    alts: list[list[re.Pattern[str]]] = []
    index: dict[str, set[Gate]] = {}
    always: set[Gate] = set()
    for i, cue in enumerate(CUES):
        srcs = _alternatives(cue.pattern)
        alts.append([re.compile(a, re.IGNORECASE) for a in srcs])
        manual = _ANCHORS.get(cue.name)
        for j, src in enumerate(srcs):
            anchors = (
                manual if cue.name in _ANCHORS else (None if (p := _prefixes(src)) is None else tuple(p))
            )
            if anchors is None or any(_TOKEN.match(x) is None for x in anchors):
                always.add((i, j))
                continue
            for x in anchors:
                # every word of an anchor starts a word of the text: index the most selective one
                index.setdefault(max(_TOKEN.findall(x.lower()), key=len)[:_STEM], set()).add((i, j))
    return alts, {k: frozenset(v) for k, v in index.items()}, frozenset(always)


_ALTS, _INDEX, _ALWAYS = _build_gates()
_STEM_LENS = tuple(sorted({len(k) for k in _INDEX}))


def candidate_cues(folded: str) -> set[Gate]:
    """(cue, alternative) pairs whose anchors start one of the words of ``folded`` (a cheap pre-filter)."""
    out = set(_ALWAYS)
    index = _INDEX
    for tok in set(_TOKEN.findall(folded)):
        for n in _STEM_LENS:
            if n > len(tok):
                break
            hit = index.get(tok[:n])
            if hit:
                out |= hit
    return out


def _first(folded: str, i: int, cand: set[Gate]) -> re.Match[str] | None:
    """Leftmost match of cue ``i`` over its candidate alternatives (what the whole pattern finds)."""
    best: re.Match[str] | None = None
    for j, rx in enumerate(_ALTS[i]):
        if (i, j) not in cand:
            continue
        m = rx.search(folded)
        if m is not None and (best is None or m.start() < best.start()):
            best = m
    return best


CUE_NAMES: tuple[str, ...] = (*(c.name for c in CUES), "warning_text")


@dataclass(frozen=True, slots=True)
class CueHit:
    name: str
    span: tuple[int, int]
    fraud: bool


_NOT_BANK = re.compile(r"домофон|подъезд|wi-?fi|вайфай|калитк|door|gate|сейф|шкаф|есік")
_NEG_IN = re.compile(r"(?:^|\W)(?:не|никому|never|not|don'?t|ешкімге)(?:\W|$)")


def _negated(folded: str, m: re.Match[str]) -> bool:
    """A code request that is really a warning ("never share", "никому не сообщайте", "айтпаңыз")."""
    if _NOT_BANK.search(folded[m.start() : m.end() + 25]):
        return True
    return bool(
        _NEG_BEFORE.search(folded[max(0, m.start() - 30) : m.start()])
        or _NEG_IN.search(m.group(0))
        or _NEG_KK_VERB.search(folded[m.start() : m.end() + 3])
    )


_NEGATABLE = frozenset({"asks_code", "remote_access", "install_app", "safe_account", "money_transfer"})
_SENT = re.compile(r"[.!?\n]")
_WARN = re.compile(
    r"(?:^|\W)(?:не|никогда|never|don'?t|do not|нельзя|not)(?:\W|$)|\w+(?:ма|ме|па|пе|ба|бе)(?:ңыз|ңіз|ңдар|ңдер)\b|такого сч[её]та не|no such|мұндай шот жоқ"
)


_WARN_AFTER = re.compile(
    r"\w+(?:ма|ме|па|пе|ба|бе)(?:ңыз|ңіз|ңдар|ңдер)\b|не существует|(?:does not|doesn'?t) exist|\bжоқ\b"
)


def _warned(folded: str, m: re.Match[str]) -> bool:
    """The cue sits in a sentence that warns against it ("never install AnyDesk", "орнатпаңыз")."""
    starts = [x.end() for x in _SENT.finditer(folded, 0, m.start())]
    a = max(starts[-1] if starts else 0, m.start() - 40)
    e = _SENT.search(folded, m.end())
    b = min(e.start() if e else len(folded), m.end() + 45)
    return bool(_WARN.search(folded[a : m.end()]) or _WARN_AFTER.search(folded[m.start() : b]))


def find_cues(folded: str) -> list[CueHit]:
    """Every cue in ``folded`` text (output of :func:`fold`), first hit per cue."""
    hits: list[CueHit] = []
    negated_code = False
    cand = candidate_cues(folded)
    cues_in = {i for i, _j in cand}
    for i, cue in enumerate(CUES):
        if i not in cues_in:
            continue
        m = _first(folded, i, cand)
        if not m:
            continue
        if cue.name in _NEGATABLE and cue.name != "asks_code" and _warned(folded, m):
            m = next((x for x in cue.pattern.finditer(folded, m.end()) if not _warned(folded, x)), None)
            if m is None:
                if not any(h.name == "warning_text" for h in hits):
                    hits.append(CueHit("warning_text", (0, 0), False))
                continue
        if cue.name == "asks_code" and _negated(folded, m):
            negated_code = True
            m = next((x for x in cue.pattern.finditer(folded, m.end()) if not _negated(folded, x)), None)
            if m is None:
                continue
        hits.append(CueHit(cue.name, (m.start(), m.end()), cue.fraud))
    if negated_code and not any(h.name == "never_share" for h in hits):
        hits.append(CueHit("never_share", (0, 0), False))
    return hits
