"""Generated Korean names for property tests: table surnames with random given-name syllables."""

from __future__ import annotations

from hypothesis import strategies as st

from matching.hangul import SYLLABLE_BASE, SYLLABLE_COUNT
from matching.surnames import COMPOUND_SURNAMES, SURNAMES

syllables = st.integers(0, SYLLABLE_COUNT - 1).map(lambda offset: chr(SYLLABLE_BASE + offset))
single_surnames = st.sampled_from(sorted(h for h in SURNAMES if h not in COMPOUND_SURNAMES))
compound_surnames = st.sampled_from(sorted(COMPOUND_SURNAMES))
given_names = st.lists(syllables, min_size=2, max_size=2).map("".join)
