"""Korean name matching without Django: parsing, romanisation and surname variants.

`hangul` composes and decomposes syllables and applies the initial-sound law, `surnames` holds
the surname variant table, `romanise` spells Hangul names in each romanisation system, and
`names` splits a written name in any script into surname and given name.
"""
