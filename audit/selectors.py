"""Reads of the audit log, scoped by the access policy. Entries never hold case content."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Q, QuerySet

from accounts.policy import Action, Actor, case_access_q, organisations_for
from audit.models import AuditEvent
from registry.models import Case


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    case_reference: str = ""
    action: str = ""
    kind: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def audit_log_for(*, actor: Actor, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The entries an auditor may see: their organisations' entries, and security events of the
    system itself (no user, no organisation: a ciphertext that failed to authenticate, say)."""
    organisations = [org.pk for org in organisations_for(actor, Action.AUDIT_LOG)]
    if not organisations:
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(
        Q(organisation_id__in=organisations)
        | Q(organisation_id__isnull=True, actor__isnull=True, kind=AuditEvent.Kind.SECURITY)
    )
    if filters.actor:
        events = events.filter(actor_label__icontains=filters.actor.strip())
    if filters.case_reference:
        events = events.filter(case_reference__startswith=filters.case_reference.strip().upper())
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.since:
        events = events.filter(at__date__gte=filters.since)
    if filters.until:
        events = events.filter(at__date__lte=filters.until)
    return events.order_by("-at", "-pk")


def case_for_audit(*, actor: Actor, reference: str) -> Case | None:
    """The case whose trail `actor` may see (supervisors and auditors of the owning organisation)."""
    return Case.objects.filter(case_access_q(actor, Action.AUDIT), reference=reference.strip().upper()).first()


def case_trail(*, case: Case, limit: int | None = None) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(case_reference=case.reference).order_by("-at", "-pk")
    return events[:limit] if limit else events


def actions_in_use() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


@dataclass(frozen=True)
class CheckpointSummary:
    path: Path
    written_at: dt.datetime
    size: int


def latest_checkpoint() -> CheckpointSummary | None:
    path = Path(settings.PASSAGE_AUDIT_CHECKPOINT_DIR) / "latest.txt"
    if not path.exists():
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    size = int(lines[1]) if len(lines) > 1 and lines[1].isdigit() else 0
    return CheckpointSummary(path, dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC), size)
