"""Vault writes: key checks, blind-index rows, rotation (rewrapping data keys) and shredding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from vault import crypto, runtime
from vault.keys import KekVersion, VaultKeyError, save_key_file
from vault.models import BlindIndex, DataKey, KeyCheck

KEY_CHECK_PLAINTEXT = b"passage key check"


def key_checks_ensure() -> None:
    """Record a key check for every usable key version that has none yet."""
    ring = runtime.key_ring()
    existing = set(KeyCheck.objects.values_list("kek_version", flat=True))
    for version in ring.usable_versions:
        if version not in existing:
            KeyCheck.objects.create(
                kek_version=version,
                sealed=crypto.seal(ring.kek(version), KEY_CHECK_PLAINTEXT, crypto.key_check_associated_data(version)),
            )


def key_file_verify() -> None:
    """Refuse a key file that does not belong to this database, with a message saying so."""
    ring = runtime.key_ring()
    for check in KeyCheck.objects.all():
        if check.kek_version not in ring.usable_versions:
            continue
        try:
            crypto.unseal(
                ring.kek(check.kek_version),
                bytes(check.sealed),
                crypto.key_check_associated_data(check.kek_version),
            )
        except crypto.DecryptionFailed:
            raise VaultKeyError(
                f"the key file {ring.path} does not belong to this database: key version "
                f"{check.kek_version} cannot open this database's key check. Restore the right key file."
            ) from None
    in_use = set(DataKey.objects.values_list("kek_version", flat=True).distinct())
    missing = sorted(in_use - set(ring.usable_versions))
    if missing:
        raise VaultKeyError(
            f"data keys are wrapped under key version(s) {missing}, which the key file {ring.path} "
            "does not hold. Restore the key file that still has them."
        )


def blind_indexes_replace(*, data_key: DataKey, table: str, terms: Iterable[tuple[str, str, str]]) -> int:
    """Replace the blind-index rows of one person's table. `terms` holds (field, index, normalised)."""
    BlindIndex.objects.filter(data_key=data_key, table=table).delete()
    rows = {
        (index, runtime.blind_value(table, field, index, normalised))
        for field, index, normalised in terms
        if normalised
    }
    BlindIndex.objects.bulk_create(
        [BlindIndex(data_key=data_key, table=table, name=index, value=value) for index, value in sorted(rows)]
    )
    return len(rows)


def blind_index_values(table: str, field: str, index: str, normalised_forms: Iterable[str]) -> list[str]:
    return sorted({runtime.blind_value(table, field, index, form) for form in normalised_forms if form})


@transaction.atomic
def data_key_destroy(data_key_id: int) -> None:
    """Crypto-shred: delete the wrapped key and its blind-index rows, and forget it in this process."""
    BlindIndex.objects.filter(data_key_id=data_key_id).delete()
    runtime.forget_data_key(data_key_id)
    DataKey.objects.filter(pk=data_key_id).delete()


def key_rotation_start() -> int:
    """Add a new key version to the key file and make it active; returns the new version."""
    ring = runtime.key_ring()
    version = max(ring.versions) + 1
    ring.versions[version] = KekVersion(version, crypto.new_key(), dt.datetime.now(dt.UTC).isoformat())
    ring.active_version = version
    save_key_file(ring)
    runtime.reset()
    key_checks_ensure()
    return version


def data_keys_to_rewrap(target_version: int) -> int:
    return DataKey.objects.exclude(kek_version=target_version).count()


def data_keys_rewrap(
    *, target_version: int, batch_size: int = 500, on_progress: Callable[[int], None] | None = None
) -> int:
    """Rewrap every data key not yet under `target_version`. Each batch commits on its own, so an
    interrupted run resumes where it stopped. The data itself is never re-encrypted."""
    provider = runtime.key_provider()
    done = 0
    while True:
        with transaction.atomic():
            batch = list(
                DataKey.objects.select_for_update().exclude(kek_version=target_version).order_by("pk")[:batch_size]
            )
            if not batch:
                return done
            now = timezone.now()
            for data_key in batch:
                raw = provider.unwrap(
                    data_key.kek_version,
                    bytes(data_key.wrapped),
                    crypto.wrap_associated_data(data_key.kek_version, data_key.pk),
                )
                data_key.wrapped = provider.wrap(
                    target_version, raw, crypto.wrap_associated_data(target_version, data_key.pk)
                )
                data_key.kek_version = target_version
                data_key.rewrapped_at = now
            DataKey.objects.bulk_update(batch, ["wrapped", "kek_version", "rewrapped_at"])
        done += len(batch)
        if on_progress is not None:
            on_progress(len(batch))


def key_version_retire(version: int) -> None:
    """Destroy an old key version in the key file, once no data key is wrapped under it."""
    ring = runtime.key_ring()
    if version == ring.active_version:
        raise VaultKeyError(f"key version {version} is the active version; rotate first")
    if version not in ring.versions or ring.versions[version].retired_at is not None:
        raise VaultKeyError(f"key version {version} is not a usable version in the key file")
    still = DataKey.objects.filter(kek_version=version).count()
    if still:
        raise VaultKeyError(
            f"{still} data key(s) are still wrapped under version {version}; run `passage keys rotate --resume`"
        )
    entry = ring.versions[version]
    entry.key = b""
    entry.retired_at = dt.datetime.now(dt.UTC).isoformat()
    save_key_file(ring)
    runtime.reset()
    KeyCheck.objects.filter(kek_version=version).delete()
