"""Card masking: every report shows a card as ``4400 43** **** 5678`` (first six, last four).

PCI DSS allows the BIN (first six) and the last four to be displayed; the middle digits never leave
the evidence store, so reports and exports can be shared without leaking card numbers.
"""

from __future__ import annotations

import re

_CARD_IN_TEXT = re.compile(r"(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])")


def mask_card(number: str) -> str:
    """Mask a card number, grouping by four; input may contain spaces or dashes."""
    digits = "".join(c for c in number if c.isdigit())
    if len(digits) < 10:
        return "*" * len(digits)
    keep = digits[:6] + "*" * (len(digits) - 10) + digits[-4:]
    return " ".join(keep[i : i + 4] for i in range(0, len(keep), 4))


def mask_cards_in_text(text: str) -> str:
    """Mask every Luhn-valid card number inside free text (message bodies shown in reports)."""
    from tergeu.iocs.checksums import luhn_ok

    def repl(m: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", m.group(0))
        return mask_card(digits) if 13 <= len(digits) <= 19 and luhn_ok(digits) else m.group(0)

    return _CARD_IN_TEXT.sub(repl, text)
