"""Money amounts: "$60 million", "£150m", "$1.2bn", "€3,500,000" -> (amount, currency)."""
from __future__ import annotations

import re

CURRENCIES = {"$": "USD", "US$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "C$": "CAD", "A$": "AUD"}
MONEY = re.compile(
    r"(?P<cur>US\$|C\$|A\$|[$£€¥])\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s?"
    r"(?P<unit>billion|bn|million|mln|m|mn|thousand|k)?(?![\w])",
    re.IGNORECASE,
)
UNITS = {"billion": 1e9, "bn": 1e9, "million": 1e6, "mln": 1e6, "m": 1e6, "mn": 1e6, "thousand": 1e3, "k": 1e3}


def parse_money(match: re.Match[str]) -> tuple[int, str] | None:
    """The amount in units and an ISO currency code, or None for a bare number."""
    number = float(match.group("num").replace(",", ""))
    unit = (match.group("unit") or "").lower()
    amount = number * UNITS.get(unit, 1)
    if amount <= 0:
        return None
    return int(round(amount)), CURRENCIES[match.group("cur").upper() if match.group("cur") != "$" else "$"]


def find_money(text: str) -> list[tuple[int, int, int, str]]:
    """(start, end, amount, currency) for every amount in a text."""
    out = []
    for m in MONEY.finditer(text):
        parsed = parse_money(m)
        if parsed:
            out.append((m.start(), m.end(), *parsed))
    return out
