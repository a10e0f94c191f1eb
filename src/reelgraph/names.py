"""Name folding shared by the catalog, the linker and the scorer."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
# Cyrillic and Greek letters that look Latin, as found in copy-pasted names ("Ӧstlund")
HOMOGLYPHS = str.maketrans(dict(zip("АВЕКМНОРСТХаеорсухӦӧІіЈјΑΒΕΗΙΚΜΝΟΡΤΧΥΖ", "ABEKMHOPCTXaeopcyxÖöIiJjABEHIKMNOPTXYZ")))
_POSSESSIVE = re.compile(r"'s\b|(?<=s)'(?=\s|$)")
_NON_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
_LEADING_ARTICLE = re.compile(r"^the\s+")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """Fold case, accents, punctuation, a leading "The" and possessive "'s"."""
    text = strip_accents(name.translate(_APOS).translate(HOMOGLYPHS)).lower()
    text = _POSSESSIVE.sub("", text)
    text = _NON_WORD.sub(" " if "&" not in text else " ", text).replace("_", " ")
    text = _SPACES.sub(" ", text).strip()
    return _LEADING_ARTICLE.sub("", text)


def slug(name: str) -> str:
    return fold(name).replace(" ", "-") or "unnamed"


def film_label(title: str, year: int | None) -> str:
    """The gold way to write a film: "Title (Year)" or "Title"."""
    return f"{title} ({year})" if year else title


_LABEL = re.compile(r"^(?P<title>.*?)\s*\((?P<year>\d{4})\)$")


def parse_film_label(label: str) -> tuple[str, int | None]:
    m = _LABEL.match(label.strip())
    if m:
        return m.group("title"), int(m.group("year"))
    return label.strip(), None


def surname(name: str) -> str:
    parts = fold(name).split()
    return parts[-1] if parts else ""
