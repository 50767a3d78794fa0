from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from registry.models import Person
from registry.services import person_index_refresh
from tracing.services import family_index_refresh
from vault.runtime import key_scope


class Command(BaseCommand):
    help = (
        "Rebuild every person's blind-index rows, their family members' included "
        "(after changing name forms or the truncation)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        persons = Person.objects.filter(erased_at__isnull=True, data_key__isnull=False)
        total = persons.count()
        rows = 0
        with (
            key_scope(),
            tqdm(total=total, desc="reindexing", unit="person", file=sys.stderr, disable=None) as bar,
        ):
            for person in persons.select_related("data_key").prefetch_related("aliases").iterator(chunk_size=500):
                with transaction.atomic():
                    rows += person_index_refresh(person=person)
                    rows += family_index_refresh(person)
                bar.update(1)
        self.stdout.write(f"Reindexed {total} person(s): {rows} blind-index row(s).")
