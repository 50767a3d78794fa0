"""Choice sets named for the OpenAPI schema (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]):
several models have a `kind`, and the schema should call each by what it is."""

from __future__ import annotations

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
