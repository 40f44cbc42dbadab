"""Card masking: every report shows a card as ``4400 43** **** 5678`` (first six, last four).

PCI DSS allows the BIN (first six) and the last four to be displayed; the middle digits never leave
the evidence store, so reports and exports can be shared without leaking card numbers.
"""

from __future__ import annotations

import re

_CARD_IN_TEXT = re.compile(r"(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])")


def mask_card(number: str) -> str:
    """Keep the first six and last four digits, star the rest, group by four.

    Input may contain spaces or dashes. Already-masked input (containing ``*``) is regrouped, never
    unmasked; anything too short to be a card number is fully starred rather than echoed.
    """
    raw = str(number).strip()
    if "*" in raw:
        keep = "".join(c for c in raw if c.isdigit() or c == "*")
    else:
        digits = "".join(c for c in raw if c.isdigit())
        if len(digits) < 12:
            return "*" * max(len(digits), 4)
        keep = digits[:6] + "*" * (len(digits) - 10) + digits[-4:]
    return " ".join(keep[i : i + 4] for i in range(0, len(keep), 4))


def mask_cards_in_text(text: str) -> str:
    """Mask every Luhn-valid card number inside free text (message bodies shown in reports)."""
    from tergeu.iocs.checksums import luhn_ok

    def repl(m: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", m.group(0))
        return mask_card(digits) if 13 <= len(digits) <= 19 and luhn_ok(digits) else m.group(0)

    return _CARD_IN_TEXT.sub(repl, text)
