"""The vault: envelope encryption of protected fields under per-person data keys, blind indexes,
key rotation and crypto-shredding."""
