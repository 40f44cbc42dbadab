"""Card numbers never leave Tergeu in full: every export and document shows ``4400 43** **** 5678``.

PCI DSS allows the first six and last four digits to be displayed; that is enough for a bank to find
the card, and too little to use it. (Another area ships ``tergeu.iocs.mask.mask_card``; the two are to
be unified when branches merge.)
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"\D")


def mask_card(value: str) -> str:
    """Keep the first six and last four digits, star the rest, group by four.

    Already-masked input (containing ``*``) is returned regrouped, never unmasked; anything that is
    too short to be a card number is fully starred rather than echoed.
    """
    raw = str(value).strip()
    if "*" in raw:
        chars = [c for c in raw if c.isdigit() or c == "*"]
    else:
        digits = _DIGITS.sub("", raw)
        if len(digits) < 12:
            return "*" * max(len(digits), 4)
        chars = list(digits[:6] + "*" * (len(digits) - 10) + digits[-4:])
    return " ".join("".join(chars[i : i + 4]) for i in range(0, len(chars), 4))
