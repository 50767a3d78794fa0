"""Consents, media requests and releases (the models of the consent app)."""

from consent.models.consents import SHARING_PURPOSES, Consent, Purpose
from consent.models.media import MEDIA_PURPOSES, MediaRequest, MediaRequestPerson
from consent.models.releases import Release, ReleaseCase, ReleaseFinding, TakedownRequest

__all__ = [
    "MEDIA_PURPOSES",
    "SHARING_PURPOSES",
    "Consent",
    "MediaRequest",
    "MediaRequestPerson",
    "Purpose",
    "Release",
    "ReleaseCase",
    "ReleaseFinding",
    "TakedownRequest",
]
