"""Offline tracing: country, operator and the "who holds the data" line for each identifier.

Everything here uses data shipped in installed packages (``iptocc`` for IP allocations,
``phonenumbers`` for numbering plans and original operators) or small tables in this module, so
tracing works on an air-gapped workstation. When nothing can be known offline the ``holder`` line
says so plainly, which is what a preservation request needs to know next.
"""

from __future__ import annotations

import ipaddress
from typing import Any

# Issuer prefixes (BIN) that are public knowledge and stable; anything else is "not known offline".
BINS: dict[str, tuple[str, str]] = {
    "440043": ("Kaspi Bank", "KZ"),
}

# KZ IBAN positions 5-7: bank code (National Bank of Kazakhstan bank identifier codes).
KZ_BANK_CODES: dict[str, str] = {
    "722": "Kaspi Bank (CASPKZKA)",
    "601": "Halyk Bank (HSBKKZKX)",
    "070": "Treasury Committee, Ministry of Finance (KKMFKZ2A)",
    "125": "National Bank of Kazakhstan (NBRKKZKX)",
}

EMAIL_PROVIDERS: dict[str, tuple[str, str]] = {
    "gmail.com": ("Google LLC", "US"),
    "googlemail.com": ("Google LLC", "US"),
    "mail.ru": ("VK (Mail.ru)", "RU"),
    "bk.ru": ("VK (Mail.ru)", "RU"),
    "inbox.ru": ("VK (Mail.ru)", "RU"),
    "list.ru": ("VK (Mail.ru)", "RU"),
    "yandex.ru": ("Yandex", "RU"),
    "yandex.kz": ("Yandex", "RU"),
    "ya.ru": ("Yandex", "RU"),
    "outlook.com": ("Microsoft", "US"),
    "hotmail.com": ("Microsoft", "US"),
    "live.com": ("Microsoft", "US"),
    "icloud.com": ("Apple", "US"),
    "yahoo.com": ("Yahoo", "US"),
    "proton.me": ("Proton AG", "CH"),
    "protonmail.com": ("Proton AG", "CH"),
    "rambler.ru": ("Rambler", "RU"),
}

# Registries of top-level domains an investigator in Kazakhstan meets most.
TLD_REGISTRIES: dict[str, tuple[str, str]] = {
    "kz": ("KazNIC (.kz registry)", "KZ"),
    "қаз": ("KazNIC (.қаз registry)", "KZ"),
    "xn--80ao21a": ("KazNIC (.қаз registry)", "KZ"),
    "ru": ("Coordination Center for TLD RU", "RU"),
    "рф": ("Coordination Center for TLD RU", "RU"),
    "xn--p1ai": ("Coordination Center for TLD RU", "RU"),
    "su": ("Coordination Center for TLD RU (.su)", "RU"),
    "com": ("Verisign (.com registry)", "US"),
    "net": ("Verisign (.net registry)", "US"),
    "org": ("Public Interest Registry (.org)", "US"),
    "uz": ("UZINFOCOM (.uz registry)", "UZ"),
    "kg": ("AsiaInfo (.kg registry)", "KG"),
}

SHORTENERS = {"bit.ly", "tinyurl.com", "clck.ru", "cutt.ly", "is.gd", "t.co", "goo.su", "vk.cc", "u.to"}

PLATFORM_DOMAINS: dict[str, tuple[str, str]] = {
    "t.me": ("Telegram FZ-LLC", "AE"),
    "telegram.me": ("Telegram FZ-LLC", "AE"),
    "wa.me": ("WhatsApp LLC (Meta)", "US"),
    "instagram.com": ("Meta Platforms", "US"),
    "facebook.com": ("Meta Platforms", "US"),
    "vk.com": ("VK", "RU"),
    "olx.kz": ("OLX Kazakhstan", "KZ"),
    "krisha.kz": ("Krisha.kz", "KZ"),
    "kolesa.kz": ("Kolesa Group", "KZ"),
    "drive.google.com": ("Google LLC", "US"),
    "anydesk.com": ("AnyDesk Software GmbH", "DE"),
}

# Official domains of brands that fraudsters imitate; a domain naming a brand but not under
# one of its official domains is flagged as a look-alike.
BRANDS: dict[str, tuple[str, ...]] = {
    "kaspi": ("kaspi.kz",),
    "halyk": ("halykbank.kz", "homebank.kz", "halykmarket.kz"),
    "homebank": ("homebank.kz",),
    "egov": ("egov.kz", "gov.kz"),
    "kazpost": ("kazpost.kz", "post.kz"),
    "olx": ("olx.kz", "olx.ua", "olx.uz", "olx.pl"),
    "jusan": ("jusan.kz",),
    "forte": ("forte.kz", "fortebank.com"),
    "bcc": ("bcc.kz",),
    "freedom": ("ffin.kz", "freedombank.kz", "bankffin.kz"),
    "sber": ("sberbank.ru", "sber.ru", "sberbank.kz"),
    "tinkoff": ("tinkoff.ru", "tbank.ru"),
    "gosuslugi": ("gosuslugi.ru",),
    "telegram": ("telegram.org", "t.me", "telegram.me"),
    "whatsapp": ("whatsapp.com", "wa.me"),
    "binance": ("binance.com",),
    "kolesa": ("kolesa.kz",),
    "krisha": ("krisha.kz",),
    "cdek": ("cdek.kz", "cdek.ru"),
}

NOT_OFFLINE = "not known offline"


def _ip_attrs(addr: str) -> dict[str, Any]:
    ip = ipaddress.ip_address(addr)
    if ip.version == 4 and ip in ipaddress.ip_network("100.64.0.0/10"):
        cls = "cgnat"
    elif ip.is_loopback:
        cls = "loopback"
    elif ip.is_link_local:
        cls = "link-local"
    elif ip.is_multicast:
        cls = "multicast"
    elif ip.is_private:
        cls = "private"
    elif ip.is_reserved or ip.is_unspecified or not ip.is_global:
        cls = "reserved"
    else:
        cls = "public"
    out: dict[str, Any] = {"class": cls}
    if cls == "public":
        try:
            import iptocc

            cc = iptocc.country_code(str(ip))
        except Exception:
            cc = None
        out["country"] = cc
        out["holder"] = (
            f"ISP or hosting provider holding this allocation (country {cc or '?'}); "
            f"AS and subscriber {NOT_OFFLINE}: ask the provider for subscriber data and logs"
        )
    elif cls == "cgnat":
        out["holder"] = "mobile/ISP carrier-grade NAT: the operator needs source port and exact time"
    else:
        out["holder"] = "not routable on the Internet: the local network owner's logs (router, firewall)"
    return out


def _registry(domain: str) -> tuple[str, str | None]:
    tld = domain.rsplit(".", 1)[-1].lower()
    reg = TLD_REGISTRIES.get(tld)
    if reg:
        return reg[0], reg[1]
    if len(tld) == 2:
        return f".{tld} registry", tld.upper()
    return f".{tld} registry", None


def lookalike(domain: str) -> str | None:
    """The imitated brand when ``domain`` names a known brand outside its official domains."""
    d = domain.lower().rstrip(".")
    for brand, official in BRANDS.items():
        if brand in d and not any(d == o or d.endswith("." + o) for o in official):
            return brand
    return None


def _domain_attrs(domain: str) -> dict[str, Any]:
    d = domain.lower().rstrip(".")
    out: dict[str, Any] = {}
    for known, (who, cc) in PLATFORM_DOMAINS.items():
        if d == known or d.endswith("." + known):
            out.update(holder=f"{who} (platform)", country=cc, platform=who)
            break
    else:
        reg, rcc = _registry(d)
        out["holder"] = f"registrar and hosting of {d}: {NOT_OFFLINE}; registry {reg}"
        out["country"] = rcc
    if d in SHORTENERS:
        out["shortener"] = True
        out["holder"] = f"link shortener {d}: the service holds the real target and creator"
    brand = lookalike(d)
    if brand:
        out["lookalike"] = brand
    return out


def _phone_attrs(e164: str) -> dict[str, Any]:
    import phonenumbers
    from phonenumbers import carrier, geocoder, number_type

    p = phonenumbers.parse(e164, None)
    region = phonenumbers.region_code_for_number(p)
    op = carrier.name_for_number(p, "en")
    place = geocoder.description_for_number(p, "en")
    kinds = {
        phonenumbers.PhoneNumberType.MOBILE: "mobile",
        phonenumbers.PhoneNumberType.FIXED_LINE: "fixed",
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_or_mobile",
        phonenumbers.PhoneNumberType.TOLL_FREE: "toll_free",
        phonenumbers.PhoneNumberType.VOIP: "voip",
    }
    out: dict[str, Any] = {
        "country": region,
        "line": kinds.get(number_type(p), "other"),
        "operator": op or None,
        "place": place or None,
    }
    if op:
        out["holder"] = f"{op} ({region}), original operator; the number may have been ported since"
    else:
        out["holder"] = f"telecom operator in {region or '?'}: operator {NOT_OFFLINE}"
    return out


def enrich(kind: str, normalized: str) -> dict[str, Any]:
    """Offline enrichment attributes for one identifier (always includes a ``holder`` line)."""
    if kind in ("ipv4", "ipv6"):
        return _ip_attrs(normalized)
    if kind == "domain":
        return _domain_attrs(normalized)
    if kind == "url":
        from urllib.parse import urlsplit

        host = (urlsplit(normalized).hostname or "").lower()
        out = _domain_attrs(host) if host else {"holder": NOT_OFFLINE}
        out["host"] = host
        return out
    if kind == "email":
        dom = normalized.rsplit("@", 1)[-1]
        prov = EMAIL_PROVIDERS.get(dom)
        if prov:
            return {"holder": f"{prov[0]} (mail provider)", "country": prov[1], "provider": prov[0]}
        reg, cc = _registry(dom)
        out = {"holder": f"mail server operator of {dom}: {NOT_OFFLINE}; registry {reg}", "country": cc}
        brand = lookalike(dom)
        if brand:
            out["lookalike"] = brand
        return out
    if kind == "phone":
        return _phone_attrs(normalized)
    if kind == "card":
        from tergeu.iocs.checksums import card_brand
        from tergeu.iocs.mask import mask_card

        known = BINS.get(normalized[:6])
        brand = card_brand(normalized)
        out = {"brand": brand, "masked": mask_card(normalized), "bin": normalized[:6]}
        if known:
            out.update(bank=known[0], country=known[1], holder=f"{known[0]} ({known[1]}), issuing bank")
        else:
            out.update(country=None, holder=f"issuing bank of BIN {normalized[:6]}: {NOT_OFFLINE}")
        return out
    if kind == "iban":
        cc = normalized[:2]
        bank = KZ_BANK_CODES.get(normalized[4:7]) if cc == "KZ" else None
        holder = f"{bank}, account-holding bank ({cc})" if bank else f"bank in {cc}: bank {NOT_OFFLINE}"
        return {
            "country": cc,
            "bank": bank,
            "bank_code": normalized[4:7] if cc == "KZ" else None,
            "holder": holder,
        }
    if kind == "iin":
        from tergeu.iocs.checksums import iin_details

        return {
            "country": "KZ",
            "holder": "Kazakhstan state database of individuals (GBD FL)",
            **iin_details(normalized),
        }
    if kind == "bin":
        return {"country": "KZ", "holder": "Kazakhstan state database of legal entities (GBD UL)"}
    if kind in ("btc", "eth", "tron"):
        chain = {"btc": "Bitcoin", "eth": "Ethereum", "tron": "TRON"}[kind]
        return {
            "chain": chain,
            "holder": f"{chain} public ledger; custodial exchange or wallet provider {NOT_OFFLINE}",
        }
    if kind == "telegram":
        return {"platform": "Telegram", "holder": "Telegram FZ-LLC (platform)", "country": "AE"}
    if kind in ("md5", "sha1", "sha256"):
        return {"holder": "file hash: no data holder; match against malware repositories"}
    return {"holder": NOT_OFFLINE}
