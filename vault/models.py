"""Wrapped data keys, blind-index rows and key checks. Master keys are never stored here."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DataKey(models.Model):
    """A random 256-bit data key of one person, wrapped by a versioned key-encryption key.

    Deleting the row destroys the person's data (crypto-shredding): nothing can unwrap it again.
    """

    kek_version = models.PositiveIntegerField(db_index=True)
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    rewrapped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "data key"

    def __str__(self) -> str:
        return f"data key #{self.pk} (key version {self.kek_version})"


class BlindIndex(models.Model):
    """One keyed, truncated HMAC of a normalised form of a protected value."""

    data_key = models.ForeignKey(DataKey, on_delete=models.CASCADE, related_name="blind_indexes")
    table = models.CharField(max_length=64)
    name = models.CharField(max_length=64)
    value = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["table", "name", "value"], name="blind_index_lookup")]
        verbose_name = "blind index"
        verbose_name_plural = "blind indexes"

    def __str__(self) -> str:
        return f"{self.table}.{self.name}={self.value}"


class KeyCheck(models.Model):
    """A value sealed under one key version, so a wrong key file is caught at start-up."""

    kek_version = models.PositiveIntegerField(unique=True)
    sealed = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "key check"

    def __str__(self) -> str:
        return f"key check for version {self.kek_version}"
