"""Writes of the consent app: consents (`consents`), media requests (`media`), releases and their
disclosure check (`releases`, `disclosure`). Each checks the policy, runs in one transaction and
leaves its audit entry there; audit entries name purposes, fields and counts, never a value."""

from consent.services.consents import TEXT_FIELDS, ConsentRoleRefused, consent_record, consent_revoke

__all__ = ["TEXT_FIELDS", "ConsentRoleRefused", "consent_record", "consent_revoke"]
