"""A model field whose values are encrypted under the owning person's data key.

Reading the attribute decrypts on first access (and caches the plaintext on the instance);
saving encrypts. Values loaded from the database stay sealed until read, so list pages only
decrypt what they show. Lookups on the field are refused: search goes through blind indexes.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

from vault import crypto, runtime
from vault.models import DataKey

logger = logging.getLogger("passage.security")


class Sealed(str):
    """A stored ciphertext, not yet decrypted."""


class Unreadable(str):
    """Shown instead of a value whose ciphertext failed to authenticate; saving keeps the original."""

    sealed: str

    def __new__(cls, sealed: str) -> Unreadable:
        value = super().__new__(cls, "[unreadable]")
        value.sealed = sealed
        return value


def owner_data_key(instance: Model, key_owner: str) -> DataKey | None:
    """The data key of the person that owns `instance` (the instance itself, or a related person)."""
    owner: Any = instance
    if key_owner:
        for part in key_owner.split("."):
            owner = getattr(owner, part)
    if owner.data_key_id is None:
        return None
    data_key: DataKey = owner.data_key
    return data_key


class _EncryptedAttribute:
    def __init__(self, field: EncryptedTextField) -> None:
        self.field = field

    def __get__(self, instance: Model | None, owner: type[Model]) -> Any:
        if instance is None:
            return self
        attname = self.field.attname
        value = instance.__dict__.get(attname)
        if isinstance(value, Sealed):
            value = self.field.decrypt(instance, value)
            instance.__dict__[attname] = value
        return value

    def __set__(self, instance: Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted with AES-256-GCM under the owner's data key.

    `key_owner` is the attribute path from a row to the person whose key protects it
    ("" for the person row itself, "person" for a row with a `person` foreign key).
    """

    def __init__(self, *args: Any, key_owner: str = "", **kwargs: Any) -> None:
        self.key_owner = key_owner
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.key_owner:
            kwargs["key_owner"] = self.key_owner
        return name, path, args, kwargs

    def contribute_to_class(self, cls: type[Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.attname, _EncryptedAttribute(self))

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        return None if value is None else Sealed(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(f"{self.name} is encrypted: search it through its blind indexes")
        return super().get_lookup(lookup_name)

    def pre_save(self, model_instance: Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None or isinstance(value, Sealed):
            return value
        if isinstance(value, Unreadable):
            return value.sealed
        data_key = owner_data_key(model_instance, self.key_owner)
        if data_key is None:
            raise runtime.KeyDestroyed(f"{model_instance._meta.db_table}.{self.name}: no data key")
        return Sealed(runtime.seal_text(data_key, model_instance._meta.db_table, self.name, str(value)))

    def decrypt(self, instance: Model, stored: Sealed) -> str:
        return self.decrypt_stored(instance.pk, owner_data_key(instance, self.key_owner), stored)

    def decrypt_stored(self, row_id: Any, data_key: DataKey | None, stored: str) -> str:
        """The plaintext of a value read without its model instance (`values_list`), under the data key
        of the person that owns row `row_id`: bulk readers skip building thousands of instances."""
        table = self.model._meta.db_table
        if data_key is None:
            raise runtime.KeyDestroyed(f"{table}.{self.name} of row {row_id}: the data key was destroyed")
        try:
            return runtime.unseal_text(data_key, table, self.name, stored)
        except crypto.DecryptionFailed:
            report_unreadable(table=table, field=self.name, row_id=row_id, data_key_id=data_key.pk)
            return Unreadable(str(stored))


def report_unreadable(*, table: str, field: str, row_id: Any, data_key_id: int) -> None:
    """Alert and audit a ciphertext that did not authenticate (tampering, a moved value, a wrong key)."""
    from audit.models import AuditEvent
    from audit.services import audit_record

    logger.error(
        "vault: %s.%s of row %s did not authenticate under data key %s (moved, tampered with, or wrong key)",
        table,
        field,
        row_id,
        data_key_id,
    )
    audit_record(
        actor=None,
        kind=AuditEvent.Kind.SECURITY,
        action="vault.decrypt_failed",
        object_type=table,
        object_id=str(row_id),
        changed_fields=[field],
        purpose=f"data key {data_key_id}",
    )
