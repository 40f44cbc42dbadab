"""A populated case built through the foundation API, shared by exchange, report and request tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tergeu.cases import new_case
from tergeu.db import EventRow, session_scope
from tergeu.evidence import add_evidence
from tergeu.records import EvidenceRef, Finding, Identifier
from tergeu.results import save_findings, save_identifiers

OFFICER = "Lt. A. Test"
CARD = "4400430012345678"
PHONE = "+77011234567"
IP = "185.220.101.4"
DOMAIN = "kaspi-secure-pay.com"
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


@dataclass
class Built:
    number: str
    other: str
    evidence_sha256: str
    chat_name: str


def build_case(tmp: Path) -> Built:
    chat = tmp / "chat_export.txt"
    chat.write_text(
        "12.03.2025, 14:02 - Қызметкер: Сәлеметсіз бе, Kaspi қауіпсіздік қызметі. SMS-кодты айтыңыз.\n"
        f"12.03.2025, 14:03 - Қызметкер: Картаңыз {CARD} бұғатталды, {PHONE} нөміріне қоңырау шалыңыз.\n"
        f"12.03.2025, 14:05 - Қызметкер: https://{DOMAIN}/confirm сілтемесіне өтіңіз.\n",
        encoding="utf-8",
    )
    log = tmp / "auth.log"
    log.write_text(
        f"Mar 12 14:10:01 srv sshd[101]: Failed password for root from {IP} port 40022 ssh2\n" * 3,
        encoding="utf-8",
    )
    with session_scope() as s:
        case = new_case(
            s,
            "SMS-code fraud (Kaspi impersonation)",
            OFFICER,
            ["190", "205"],
            region="Almaty",
            method="social_engineering",
            channel="phone",
            loss_kzt=450000.0,
            erdr_number="255100031000123",
            description="The victim received a call from a person posing as bank security and disclosed an SMS code.",
        )
        result = add_evidence(s, case, [chat, log], OFFICER, source="victim's phone export")
        items = {i.name: i for i in result.added}
        ci, li = items["chat_export.txt"], items["auth.log"]

        def ref(item: object, offset: int) -> EvidenceRef:
            return EvidenceRef(item.name, item.id, offset, None)  # type: ignore[attr-defined]

        ids = [
            Identifier("phone", PHONE, PHONE, ref(ci, 120), attrs={"holder": "Kcell JSC", "country": "KZ"}),
            Identifier(
                "card",
                CARD,
                CARD,
                ref(ci, 100),
                attrs={"masked": "4400 43** **** 5678", "holder": "Halyk Bank", "country": "KZ"},
            ),
            Identifier(
                "domain",
                DOMAIN,
                DOMAIN,
                ref(ci, 200),
                attrs={"holder": "Namecheap, Inc.", "country": "US", "ips": ["104.21.3.7"]},
            ),
            Identifier(
                "url",
                f"https://{DOMAIN}/confirm",
                f"https://{DOMAIN}/confirm",
                ref(ci, 190),
                attrs={"holder": "Cloudflare, Inc.", "country": "US"},
            ),
            Identifier("ipv4", IP, IP, ref(li, 60), attrs={"holder": "Hetzner Online GmbH", "country": "DE"}),
            Identifier("email", "Support@Kaspi-Secure-Pay.com", "support@kaspi-secure-pay.com", ref(ci, 250)),
            Identifier(
                "iban",
                "KZ86125KZT5004100100",
                "KZ86125KZT5004100100",
                ref(ci, 260),
                attrs={"holder": "Bank CenterCredit", "country": "KZ"},
            ),
            Identifier(
                "btc",
                "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                ref(ci, 270),
            ),
            Identifier(
                "telegram",
                "@kaspi_help_bot",
                "kaspi_help_bot",
                ref(ci, 280),
                attrs={"holder": "Telegram Messenger Inc.", "country": "AE"},
            ),
            Identifier("sha256", SHA256, SHA256, ref(ci, 290)),
            Identifier("iin", "900101300123", "900101300123", ref(ci, 300)),
        ]
        save_identifiers(s, case, ids)
        t0 = datetime(2025, 3, 12, 9, 2, tzinfo=UTC)
        save_findings(
            s,
            case,
            [
                Finding(
                    "ssh_bruteforce",
                    "net",
                    "threshold",
                    f"3 failed SSH logins from {IP}",
                    0.9,
                    t0,
                    t0 + timedelta(seconds=5),
                    src=IP,
                    dst="10.0.0.5:22",
                    refs=[ref(li, 0)],
                ),
                Finding(
                    "fraud_script",
                    "messages",
                    "keywords",
                    "Bank-security impersonation asking for an SMS code",
                    0.95,
                    t0,
                    refs=[ref(ci, 0)],
                ),
            ],
        )
        # Events added through the ORM, as any analyzer's rows would look in the table.
        for i in range(3):
            s.add(
                EventRow(
                    case_id=case.id,
                    evidence_id=ci.id,
                    ts=t0 + timedelta(minutes=i),
                    source="chat",
                    event_type="message",
                    message=f"message {i}: Қызметкер",
                    offset=i * 80,
                )
            )
        number = case.number
        sha = ci.sha256
        other = new_case(s, "Second victim, same phone", OFFICER, ["190"], region="Astana")
        save_identifiers(s, other, [Identifier("phone", "8 701 123 45 67", PHONE, EvidenceRef("note.txt"))])
        other_number = other.number
    return Built(number, other_number, sha, "chat_export.txt")
