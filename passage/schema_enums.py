"""Choice sets named for the OpenAPI schema (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]):
several models have a `kind`, and the schema should call each by what it is."""

from __future__ import annotations

from consent.disclosure.types import Kind as FindingKind
from consent.models import MediaRequest, Release, TakedownRequest
from protection.models import Alert, CaseEvent, Extension, Interview, Transfer
from registry.models import Alias, Custody, DuplicateCandidate

INTERVIEW_KINDS = Interview.Kind.choices
EVENT_KINDS = CaseEvent.Kind.choices
EXTENSION_KINDS = Extension.Kind.choices
ALERT_KINDS = Alert.Kind.choices
CUSTODY_KINDS = Custody.Kind.choices
ALIAS_KINDS = Alias.Kind.choices
DUPLICATE_STATUSES = DuplicateCandidate.Status.choices
DUPLICATE_SOURCES = DuplicateCandidate.Source.choices
TRANSFER_STATUSES = Transfer.Status.choices
RELEASE_KINDS = Release.Kind.choices
RELEASE_STATUSES = Release.Status.choices
RELEASE_CANCEL_REASONS = Release.CancelReason.choices
MEDIA_REQUEST_STATUSES = MediaRequest.Status.choices
MEDIA_REQUEST_CANCEL_REASONS = MediaRequest.CancelReason.choices
TAKEDOWN_STATUSES = TakedownRequest.Status.choices
FINDING_KINDS = [(kind.value, kind.value) for kind in FindingKind]
