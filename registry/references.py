"""Case references: random and non-identifying, such as PSG-7KQ2-9D4M."""

from __future__ import annotations

import re
import secrets

# Crockford's base32 alphabet: no I, L, O or U, so references survive being read aloud.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_PATTERN = re.compile(r"^PSG-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def new_reference() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"PSG-{chars[:4]}-{chars[4:]}"


def normalise_reference(text: str) -> str:
    return text.strip().upper()


def is_valid_reference(text: str) -> bool:
    return REFERENCE_PATTERN.match(text) is not None
