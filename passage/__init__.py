"""Passage: protected case management from custody to resettlement."""

__version__ = "0.1.0"
