"""Script-neutral normal forms of written names: case folding, accents and breves removed, words split
on spaces, hyphens and punctuation. The vault's blind indexes and the disclosure check both use them."""

from __future__ import annotations

import re
import unicodedata

_SPLIT = re.compile("[\\s\\-\u2010\u2011\u00b7.,'\u2019]+")


def fold(text: str) -> str:
    """Lower case, accents and breves removed (Ch'ŏl → chol), Hangul kept as composed syllables."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFKC", stripped).replace("'", "").replace("\u2019", "")


def tokens(text: str) -> list[str]:
    return [token for token in _SPLIT.split(fold(text)) if token]


def compact(text: str) -> str:
    return "".join(tokens(text))
