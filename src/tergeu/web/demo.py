"""Demo step of the web area: a victim's statement filed through the portal library and analysed."""

from __future__ import annotations

from tergeu import settings
from tergeu.db import session_scope
from tergeu.demo import DemoContext
from tergeu.i18n import t
from tergeu.web.portal import StatementIn, SuspectIn, TransactionIn, file_statement

SAMPLE_DESCRIPTION = (
    "Маған банктің қауіпсіздік қызметінің қызметкері боп таныстырған адам қоңырау шалды. "
    "Картаңыздан күдікті аударым жасалып жатыр, оны тоқтату үшін SMS-код айтыңыз деді. "
    "Мен кодты айттым, содан кейін картадан 185 000 теңге шешіліп кетті."
)
SAMPLE_MESSAGES = (
    "Сәлеметсіз бе! Сіздің картаңыз бұғатталды. Бұғаттан шығару үшін SMS-тегі кодты жіберіңіз.\n\n"
    "Здравствуйте, служба безопасности банка. По вашей карте подозрительная операция, продиктуйте код из SMS."
)


def sample_statement() -> StatementIn:
    return StatementIn(
        lang="kk",
        victim_name="Әлия Нұрланқызы Серікова",
        victim_iin="900101400003",
        victim_phone="+7 701 555 12 34",
        channel="call",
        description=SAMPLE_DESCRIPTION,
        suspects=[SuspectIn(type="phone", value="+7 705 123 45 67")],
        transactions=[TransactionIn(amount_kzt=185000, bank="Kaspi", recipient="4400 4301 2345 6789")],
        messages=SAMPLE_MESSAGES,
        confirm_truth=True,
    )


def demo_step(ctx: DemoContext) -> list[tuple[str, str]]:
    with session_scope() as s:
        filed = file_statement(s, sample_statement(), [], "127.0.0.1")
        number, case = filed.statement.number, filed.case.number
    url = f"http://{settings.get('web_host')}:{settings.get('web_port')}/work/cases/{case}"
    return [
        (t("web.demo.filed", number=number, case=case), f"tergeu case show {case}"),
        (t("web.demo.serve", url=url), url),
    ]
