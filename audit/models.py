"""The audit log: one row for every write and every read of protected data.

Rows name the actor, the action, the object and the names of changed fields, never a protected
value. Each row is linked into one of several hash chains (partitions), so concurrent writers
do not queue behind one lock; signed Merkle checkpoints tie the partitions together. A partition's
head is simply its last entry (the table is never updated, so long transactions stay cheap).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        WRITE = "write", _("Write")
        READ = "read", _("Read")
        DENIED = "denied", _("Denied")
        SECURITY = "security", _("Security")

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=254, help_text=_("E-mail or program name at the time."))
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    case_reference = models.CharField(max_length=13, blank=True, db_index=True)
    changed_fields = models.JSONField(default=list, blank=True)
    purpose = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=16, blank=True, help_text=_("web, api or cli"))
    # The chain: set by the database trigger on PostgreSQL, by `audit_record` on SQLite.
    partition = models.PositiveSmallIntegerField(default=0)
    seq = models.PositiveBigIntegerField(default=0)
    prev_hash = models.BinaryField(default=b"")
    entry_hash = models.BinaryField(default=b"")
    payload = models.TextField(help_text=_("The canonical text the entry hash covers."))

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["partition", "seq"], name="audit_one_entry_per_link")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.case_reference}"
