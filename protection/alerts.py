"""Alerts for the deadline rules of PROCESS.md (c): one pure function per rule over a snapshot of a
case's dates and kinds, and `alerts_run`, which opens and resolves `Alert` rows for every case.

The snapshot holds no protected value: alerts read dates, kinds and yes/no facts only, so nothing is
decrypted, and the snapshots of all cases come from a fixed number of set-based queries.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import connection, transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from tqdm import tqdm

from accounts.policy import Action, Actor, case_access_q
from audit.models import AuditEvent
from audit.services import audit_record
from protection import rules, selectors
from protection.models import Acceptance, Alert, CaseEvent, Extension, ProtectionRequest, StageChange
from protection.stages import MAIN_PATH, Stage
from protection.transitions import pathway_for
from registry.models import Case, Custody

# The person is held by the detaining power: from capture until the transfer, or while proceedings
# keep them (Art. 119(5)). Exits (repatriation, release, escape, death, ...) end the custody rules.
IN_CUSTODY_STAGES = frozenset({*MAIN_PATH[: MAIN_PATH.index(Stage.TRANSFERRED)], Stage.HELD_PENDING_PROCEEDINGS})
# Stages before the receiving state's protection decision (rule (c) 15 matters only until then).
BEFORE_PROTECTION_DECISION = frozenset(
    {*MAIN_PATH[: MAIN_PATH.index(Stage.PROTECTION_GRANTED)], Stage.HELD_PENDING_PROCEEDINGS}
)
PATHWAY_DEADLINE_STAGES = frozenset({Stage.SCREENING, Stage.RESIDENCE_PROTECTION})
HEALTH_KINDS = frozenset({CaseEvent.Kind.HOSPITAL_ADMISSION, CaseEvent.Kind.HEALTH_WEEKLY})
# Any fixed number, the same in every process: concurrent runs queue on it (PostgreSQL).
RUN_LOCK_KEY = 7_050_617_301
T = TypeVar("T")

# What the person who sees an alert should do, in words.
ALERT_TODO: dict[str, Promise] = {
    Alert.Kind.CAPTURE_CARD: _(
        "Enable the prisoner to send the capture card, then record it as sent or declined (GC III Art. 70)."
    ),
    Alert.Kind.HEALTH_WEEKLY: _(
        "Record this week's health report on the seriously ill or wounded prisoner (GC III Art. 122)."
    ),
    Alert.Kind.SCREENING_OVERDUE: _(
        "Conclude the screening with a protection decision, or record the approved extension (once)."
    ),
    Alert.Kind.RESIDENCE_PROTECTION_ENDING: _(
        "Prepare the end of residence protection with the person, or record an approved extension."
    ),
    Alert.Kind.LATE_APPLICATION: _(
        "The application came long after entry: review the Art. 9 exclusions before the decision."
    ),
    Alert.Kind.NOTIFICATION_WAITING: _(
        "Forward the notification to the NIB or the Central Agency and mark it forwarded (GC III Art. 122)."
    ),
    Alert.Kind.VISIT_WITH_WITNESSES: _(
        "Arrange a visit without witnesses (GC III Art. 126) and record it; the alert closes when it is on file."
    ),
}
# What each alert's date means.
ALERT_DATE_LABEL: dict[str, Promise] = {
    Alert.Kind.CAPTURE_CARD: _("Card due"),
    Alert.Kind.HEALTH_WEEKLY: _("Report due"),
    Alert.Kind.SCREENING_OVERDUE: _("Screening limit"),
    Alert.Kind.RESIDENCE_PROTECTION_ENDING: _("Ends on"),
    Alert.Kind.LATE_APPLICATION: _("Year after entry ended"),
    Alert.Kind.NOTIFICATION_WAITING: _("Forward by"),
    Alert.Kind.VISIT_WITH_WITNESSES: _("Visit on"),
}


# --- The snapshot and the rules (pure) ---------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """An alert a rule finds due: its kind, the row it is about (0: the case) and its date."""

    kind: str
    subject_id: int
    due_on: dt.date


@dataclass(frozen=True)
class CustodyStart:
    custody_id: int
    from_date: dt.date


@dataclass(frozen=True)
class HealthReport:
    event_id: int
    occurred_on: dt.date
    is_seriously_ill: bool


@dataclass(frozen=True)
class QueuedNotification:
    event_id: int
    queued_on: dt.date


@dataclass(frozen=True)
class Visit:
    event_id: int
    occurred_on: dt.date
    witnesses_present: bool
    witnesses_requested: bool

    @property
    def is_flagged(self) -> bool:
        """As `CaseEvent.is_flagged_visit`: witnesses the prisoner did not ask for."""
        return self.witnesses_present and not self.witnesses_requested


@dataclass(frozen=True)
class ApplicationFacts:
    request_id: int
    requested_on: dt.date
    entered_receiving_state_on: dt.date | None


@dataclass(frozen=True)
class DeadlineFacts:
    """What the alert rules read about one case: dates, kinds and yes/no facts, nothing protected."""

    stage: str
    entry_route: str = Case.EntryRoute.PRISONER
    custody: tuple[CustodyStart, ...] = ()
    last_capture_card_on: dt.date | None = None  # the latest card sent or declined
    latest_health_report: HealthReport | None = None
    notifications: tuple[QueuedNotification, ...] = ()
    visits: tuple[Visit, ...] = ()  # oldest first
    application: ApplicationFacts | None = None  # the latest protection request
    pathway: rules.PathwayFacts = field(default_factory=rules.PathwayFacts)

    @property
    def is_held(self) -> bool:
        return self.stage in IN_CUSTODY_STAGES

    @property
    def is_prisoner_held(self) -> bool:
        """GC III's custody duties (capture card, weekly health) are owed to a prisoner of war while held."""
        return self.entry_route == Case.EntryRoute.PRISONER and self.is_held


def _days(count: int) -> dt.timedelta:
    return dt.timedelta(days=count)


def capture_card_due(facts: DeadlineFacts, *, today: dt.date, deadlines: rules.Deadlines) -> list[Due]:
    """No capture card sent or declined more than 7 days after arrival at a camp (transit camps
    included), a hospital admission or a transfer, each a custody record: one alert per record
    (PROCESS.md (c) 2; GC III Art. 70). A card on or after the record's start covers it. Only while a
    prisoner of war is held."""
    if not facts.is_prisoner_held:
        return []
    found = []
    for custody in facts.custody:
        due_on = custody.from_date + _days(deadlines.capture_card_days)
        card = facts.last_capture_card_on
        if (card is None or card < custody.from_date) and today > due_on:
            found.append(Due(Alert.Kind.CAPTURE_CARD, custody.custody_id, due_on))
    return found


def health_report_due(facts: DeadlineFacts, *, today: dt.date, deadlines: rules.Deadlines) -> list[Due]:
    """A seriously ill or wounded prisoner with no health update for more than 7 days: the latest
    hospital admission or weekly report says seriously ill and is older than that (PROCESS.md (c) 4;
    GC III Art. 122). The alert is about that report, so a newer one closes it. Only while held."""
    report = facts.latest_health_report
    if not facts.is_prisoner_held or report is None or not report.is_seriously_ill:
        return []
    due_on = report.occurred_on + _days(deadlines.health_report_days)
    return [Due(Alert.Kind.HEALTH_WEEKLY, report.event_id, due_on)] if today > due_on else []


def screening_overdue(facts: DeadlineFacts, *, today: dt.date, deadlines: rules.Deadlines) -> list[Due]:
    """Screening longer than the pathway's limit: 90 days, or 90 + 30 with one approved extension
    (PROCESS.md (c) 14; ROK Enforcement Decree, 2018; `PathwayFacts.screening_limit_days`)."""
    started_on = facts.pathway.screening_started_on
    if facts.stage != Stage.SCREENING or started_on is None:
        return []
    due_on = started_on + _days(facts.pathway.screening_limit_days)
    return [Due(Alert.Kind.SCREENING_OVERDUE, 0, due_on)] if today > due_on else []


def residence_protection_ending(facts: DeadlineFacts, *, today: dt.date, deadlines: rules.Deadlines) -> list[Due]:
    """Residence protection ends 5 years after it began, plus recorded extensions: alert from the
    warning window (90 days) before the end, and after it (PROCESS.md (c) 16; NK Refugees Act; MOU)."""
    ends_on = facts.pathway.residence_protection_ends_on
    if facts.stage != Stage.RESIDENCE_PROTECTION or ends_on is None:
        return []
    if today >= ends_on - _days(deadlines.residence_protection_warning_days):
        return [Due(Alert.Kind.RESIDENCE_PROTECTION_ENDING, 0, ends_on)]
    return []


def late_application(facts: DeadlineFacts, *, today: dt.date, deadlines: rules.Deadlines) -> list[Due]:
    """A protection application more than 1 year after entry into the receiving state is flagged for
    the Art. 9 exclusion review, until the protection decision (PROCESS.md (c) 15; NK Refugees Act
    Art. 9). The alert is about the latest request."""
    application = facts.application
    if facts.stage not in BEFORE_PROTECTION_DECISION or application is None:
        return []
    entered_on = application.entered_receiving_state_on
    if entered_on is None:
        return []
    due_on = entered_on + _days(deadlines.late_application_days)
    if application.requested_on > due_on:
        return [Due(Alert.Kind.LATE_APPLICATION, application.request_id, due_on)]
    return []


def notification_waiting(facts: DeadlineFacts, *, today: dt.date, deadlines: rules.Deadlines) -> list[Due]:
    """A transfer, release, repatriation, escape, hospital admission, death (and the other events of
    `CaseEvent.FORWARDED_KINDS`) waits to be forwarded more than a day after it was queued: one alert
    per event (PROCESS.md (c) 3; GC III Art. 122, "immediately by the most rapid means"). In every
    stage: a death or a release must be passed on all the same."""
    found = []
    for notification in facts.notifications:
        due_on = notification.queued_on + _days(deadlines.notification_forward_days)
        if today > due_on:
            found.append(Due(Alert.Kind.NOTIFICATION_WAITING, notification.event_id, due_on))
    return found


def visit_with_witnesses(facts: DeadlineFacts, *, today: dt.date, deadlines: rules.Deadlines) -> list[Due]:
    """An Art. 126 visit with witnesses the prisoner did not ask for is flagged (PROCESS.md (c) 6;
    GC III Art. 126, interviews "without witnesses"): one alert per such visit.

    Nothing the visit itself records can undo it, so the alert stays open until the remedy is on
    file: a later visit without witnesses (or with witnesses the prisoner asked for). It also closes
    when the person is no longer held, as a follow-up visit is then no longer possible."""
    if not facts.is_held:
        return []
    found = []
    for index, visit in enumerate(facts.visits):
        if visit.is_flagged and not any(not later.is_flagged for later in facts.visits[index + 1 :]):
            found.append(Due(Alert.Kind.VISIT_WITH_WITNESSES, visit.event_id, visit.occurred_on))
    return found


Rule = Callable[..., list[Due]]
RULES: tuple[Rule, ...] = (
    capture_card_due,
    notification_waiting,
    health_report_due,
    visit_with_witnesses,
    screening_overdue,
    late_application,
    residence_protection_ending,
)


def alerts_due(facts: DeadlineFacts, *, today: dt.date, deadlines: rules.Deadlines) -> list[Due]:
    """Every alert the rules find due for one case today."""
    return [due for rule in RULES for due in rule(facts, today=today, deadlines=deadlines)]


# --- The snapshot of every case (set-based reads) ------------------------------------------------


def _live_cases() -> QuerySet[Case]:
    return Case.objects.filter(is_erased=False, merged_into__isnull=True)


def _latest_per_case(rows: Iterable[tuple[int, T]]) -> dict[int, T]:
    """From rows ordered newest first, the first of each case."""
    found: dict[int, T] = {}
    for case_id, value in rows:
        found.setdefault(case_id, value)
    return found


@dataclass(frozen=True)
class _Request:
    receiving_state: str
    application: ApplicationFacts


def deadline_facts() -> dict[int, DeadlineFacts]:
    """The snapshot of every live case, keyed by case id, from a fixed number of queries."""
    live = _live_cases()
    cases = list(live.order_by("pk").values_list("pk", "stage", "entry_route"))
    held = live.filter(stage__in=IN_CUSTODY_STAGES)
    prisoners_held = held.filter(entry_route=Case.EntryRoute.PRISONER)

    custody: dict[int, list[CustodyStart]] = defaultdict(list)
    for pk, case_id, from_date in (
        Custody.objects.filter(case__in=prisoners_held)
        .order_by("from_date", "pk")
        .values_list("pk", "case_id", "from_date")
    ):
        custody[case_id].append(CustodyStart(pk, from_date))
    cards = dict(
        CaseEvent.objects.filter(case__in=prisoners_held, kind__in=CaseEvent.CAPTURE_CARD_DONE)
        .order_by()
        .values("case_id")
        .annotate(last=Max("occurred_on"))
        .values_list("case_id", "last")
    )
    health: dict[int, HealthReport] = {}
    for pk, case_id, occurred_on, ill in (
        CaseEvent.objects.filter(case__in=prisoners_held, kind__in=HEALTH_KINDS)
        .order_by("occurred_on", "pk")
        .values_list("pk", "case_id", "occurred_on", "is_seriously_ill")
    ):
        health[case_id] = HealthReport(pk, occurred_on, ill)
    notifications: dict[int, list[QueuedNotification]] = defaultdict(list)
    for pk, case_id, occurred_on, recorded_at in (
        CaseEvent.objects.filter(case__in=live, forwarding=CaseEvent.Forwarding.QUEUED)
        .order_by("occurred_on", "pk")
        .values_list("pk", "case_id", "occurred_on", "recorded_at")
    ):
        # Queued when recorded; an event recorded ahead of its date waits from its date.
        queued_on = max(occurred_on, timezone.localdate(recorded_at))
        notifications[case_id].append(QueuedNotification(pk, queued_on))
    visits: dict[int, list[Visit]] = defaultdict(list)
    for pk, case_id, occurred_on, present, requested in (
        CaseEvent.objects.filter(case__in=held, kind=CaseEvent.Kind.VISIT)
        .order_by("occurred_on", "pk")
        .values_list("pk", "case_id", "occurred_on", "witnesses_present", "witnesses_requested")
    ):
        visits[case_id].append(Visit(pk, occurred_on, present, requested))

    requested_cases = live.filter(stage__in=BEFORE_PROTECTION_DECISION | PATHWAY_DEADLINE_STAGES)
    requests = _latest_per_case(
        (case_id, _Request(state, ApplicationFacts(pk, requested_on, entered_on)))
        for case_id, pk, state, requested_on, entered_on in ProtectionRequest.objects.filter(case__in=requested_cases)
        .order_by("case_id", "-requested_on", "-pk")
        .values_list("case_id", "pk", "receiving_state", "requested_on", "entered_receiving_state_on")
    )
    pathway_ids = [case_id for case_id, stage, _route in cases if stage in PATHWAY_DEADLINE_STAGES]
    pathways = _pathway_facts(live.filter(stage__in=PATHWAY_DEADLINE_STAGES), pathway_ids, requests)

    snapshot = {}
    for case_id, stage, entry_route in cases:
        request = requests.get(case_id)
        snapshot[case_id] = DeadlineFacts(
            stage=stage,
            entry_route=entry_route,
            custody=tuple(custody.get(case_id, ())),
            last_capture_card_on=cards.get(case_id),
            latest_health_report=health.get(case_id),
            notifications=tuple(notifications.get(case_id, ())),
            visits=tuple(visits.get(case_id, ())),
            application=request.application if request is not None else None,
            pathway=pathways.get(case_id, rules.PathwayFacts()),
        )
    return snapshot


def _pathway_facts(
    cases: QuerySet[Case], case_ids: list[int], requests: dict[int, _Request]
) -> dict[int, rules.PathwayFacts]:
    """`PathwayFacts` as `protection.selectors.case_facts` builds them, for many cases at once: the
    pathway of the receiving state (the latest acceptance, else the latest request), the day the case
    last entered screening or residence protection, and the approved extensions."""
    entered: dict[tuple[int, str], dt.date] = {
        (case_id, stage): timezone.localdate(at)
        for case_id, stage, at in StageChange.objects.filter(case__in=cases, to_stage__in=PATHWAY_DEADLINE_STAGES)
        .order_by()
        .values("case_id", "to_stage")
        .annotate(last=Max("occurred_at"))
        .values_list("case_id", "to_stage", "last")
    }
    screening_extensions: dict[int, int] = defaultdict(int)
    screening_extension_days: dict[int, int] = defaultdict(int)
    residence_extension_days: dict[int, int] = defaultdict(int)
    for case_id, kind, days in Extension.objects.filter(case__in=cases).values_list("case_id", "kind", "days"):
        if kind == Extension.Kind.SCREENING:
            screening_extensions[case_id] += 1
            screening_extension_days[case_id] += days
        elif kind == Extension.Kind.RESIDENCE_PROTECTION:
            residence_extension_days[case_id] += days
    accepted = _latest_per_case(
        Acceptance.objects.filter(case__in=cases)
        .order_by("case_id", "-decided_on", "-pk")
        .values_list("case_id", "receiving_state")
    )
    found = {}
    for case_id in case_ids:
        request = requests.get(case_id)
        state = accepted.get(case_id) or (request.receiving_state if request is not None else "")
        pathway = pathway_for(state, selectors.pathways())
        found[case_id] = rules.PathwayFacts(
            screening_started_on=entered.get((case_id, Stage.SCREENING)),
            screening_max_days=pathway.screening_max_days,
            screening_extension_days=pathway.screening_extension_days,
            screening_extensions_approved=screening_extensions[case_id],
            screening_extension_days_approved=screening_extension_days[case_id],
            residence_protection_started_on=entered.get((case_id, Stage.RESIDENCE_PROTECTION)),
            residence_protection_years=pathway.residence_protection_years,
            residence_protection_extension_days=residence_extension_days[case_id],
        )
    return found


# --- The run -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertRunSummary:
    today: dt.date
    cases: int
    opened: int
    resolved: int
    open_by_kind: dict[str, int]

    @property
    def open(self) -> int:
        return sum(self.open_by_kind.values())


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def alerts_run(*, today: dt.date | None = None, progress: bool = False, channel: str = "cli") -> AlertRunSummary:
    """Compute every alert for every live case as of `today`: open those newly due, resolve those no
    longer due (and those of erased cases), leave the others as they are; one transaction, one audit
    entry. Running it twice changes nothing the second time.

    An open alert whose date moved (an extension was approved, a custody date corrected) is resolved
    and opened anew with the new date, so no list shows a stale deadline."""
    today = today or timezone.localdate()
    deadlines = selectors.deadlines()
    with transaction.atomic():
        if connection.vendor == "postgresql":  # SQLite serialises writers already (BEGIN IMMEDIATE)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RUN_LOCK_KEY])
        snapshot = deadline_facts()
        wanted: dict[tuple[int, str, int], Due] = {}
        bar = tqdm(
            snapshot.items(), desc="checking cases", unit="case", file=sys.stderr, disable=None if progress else True
        )
        for case_id, facts in bar:
            for due in alerts_due(facts, today=today, deadlines=deadlines):
                wanted[(case_id, due.kind, due.subject_id)] = due
        bar.close()
        current = {
            (case_id, kind, subject_id): (pk, due_on)
            for pk, case_id, kind, subject_id, due_on in Alert.objects.filter(resolved_at__isnull=True).values_list(
                "pk", "case_id", "kind", "subject_id", "due_on"
            )
        }
        stale = [pk for key, (pk, due_on) in current.items() if key not in wanted or wanted[key].due_on != due_on]
        now = timezone.now()
        for chunk in _chunks(stale):
            Alert.objects.filter(pk__in=chunk).update(resolved_at=now)
        fresh = [
            Alert(case_id=case_id, kind=kind, subject_id=subject_id, due_on=due.due_on, opened_at=now)
            for (case_id, kind, subject_id), due in wanted.items()
            if (case_id, kind, subject_id) not in current or current[(case_id, kind, subject_id)][1] != due.due_on
        ]
        Alert.objects.bulk_create(fresh, batch_size=500)
        open_by_kind: dict[str, int] = defaultdict(int)
        for _case_id, kind, _subject_id in wanted:
            open_by_kind[kind] += 1
        summary = AlertRunSummary(
            today=today,
            cases=len(snapshot),
            opened=len(fresh),
            resolved=len(stale),
            open_by_kind={kind: open_by_kind[kind] for kind in Alert.Kind.values if open_by_kind[kind]},
        )
        audit_record(
            actor=None,
            kind=AuditEvent.Kind.WRITE,
            action="alerts.run",
            object_type="alert",
            purpose=(
                f"as of {today.isoformat()}: {summary.cases} cases, {summary.opened} opened, "
                f"{summary.resolved} resolved, {summary.open} open"
            )[:200],
            channel=channel,
        )
    return summary


# --- Reads for the dashboard and the API ---------------------------------------------------------


def alerts_open_for(actor: Actor) -> QuerySet[Alert]:
    """The open alerts of the cases `actor` may see (the access policy decides), soonest date first."""
    visible = Case.objects.filter(case_access_q(actor, Action.VIEW), is_erased=False, merged_into__isnull=True)
    return (
        Alert.objects.filter(resolved_at__isnull=True, case__in=visible)
        .select_related("case")
        .only("pk", "kind", "due_on", "subject_id", "opened_at", "case__reference")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class AlertRow:
    reference: str
    due_on: dt.date
    about: str  # the event or custody record the alert is about, in words; "" for the case itself


@dataclass(frozen=True)
class AlertGroup:
    """The open alerts of one kind on the dashboard: the count, and the first few by date."""

    kind: str
    label: str
    todo: str
    date_label: str
    count: int
    rows: list[AlertRow]

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


EVENT_SUBJECTS = frozenset({Alert.Kind.NOTIFICATION_WAITING, Alert.Kind.HEALTH_WEEKLY, Alert.Kind.VISIT_WITH_WITNESSES})


def _subjects(kind: str, ids: list[int]) -> dict[int, str]:
    """What the alerts of `kind` with these subject ids are about, in words (kinds and dates only)."""
    if kind in EVENT_SUBJECTS:
        events = dict(CaseEvent.Kind.choices)
        return {
            pk: gettext("%(what)s on %(date)s") % {"what": events.get(event_kind, event_kind), "date": on.isoformat()}
            for pk, event_kind, on in CaseEvent.objects.filter(pk__in=ids).values_list("pk", "kind", "occurred_on")
        }
    if kind == Alert.Kind.CAPTURE_CARD:
        places = dict(Custody.Kind.choices)
        return {
            pk: gettext("%(what)s since %(date)s") % {"what": places.get(place, place), "date": since.isoformat()}
            for pk, place, since in Custody.objects.filter(pk__in=ids).values_list("pk", "kind", "from_date")
        }
    return {}


def alert_dashboard(*, actor: Actor, per_kind: int = 10) -> list[AlertGroup]:
    """The actor's open alerts grouped by kind, in the order of `Alert.Kind`: one query for the counts,
    and for each kind that has alerts one for the first few and one for what they are about."""
    alerts = alerts_open_for(actor)
    counts = dict(alerts.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    groups = []
    for kind in Alert.Kind:
        if not counts.get(kind.value):
            continue
        first = list(alerts.filter(kind=kind.value)[:per_kind])
        about = _subjects(kind.value, [alert.subject_id for alert in first if alert.subject_id])
        groups.append(
            AlertGroup(
                kind=kind.value,
                label=str(kind.label),
                todo=str(ALERT_TODO[kind]),
                date_label=str(ALERT_DATE_LABEL[kind]),
                count=counts[kind.value],
                rows=[AlertRow(a.case.reference, a.due_on, about.get(a.subject_id, "")) for a in first],
            )
        )
    return groups
