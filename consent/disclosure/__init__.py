"""The disclosure check: finds what in an outgoing text could identify a protected person.

Pure Python (no Django), so it tests in milliseconds and runs from the command line, a page or a
benchmark alike. The registry reaches it only through the `RegistryLookup` protocol of `types`:
the vault implementation (`consent.disclosure_lookup`) answers through blind indexes and decrypts
only the few persons they return; `memory_registry` answers from plain records, for evaluation.
"""
