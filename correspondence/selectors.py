"""Reads of a case's correspondence. The case comes from `registry.selectors.case_get` (the access policy
already decided); here: the items with what the list shows, one item with its translations, attachments
(never their bytes) and deliveries, the month's Art. 71 tally, and when the capture card is due.

When the capture card is due is rule (c) 2 of `protection.alerts` applied to this case: its function is
called here, never re-implemented."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from correspondence import rules
from correspondence.models import Attachment, Correspondence, Delivery, Translation
from protection import alerts
from protection import selectors as protection_selectors
from protection.models import Alert, CaseEvent
from registry.models import Case


def mail_minimums() -> rules.MailMinimums:
    return rules.MailMinimums(
        letters=int(settings.PASSAGE_MAIL_MINIMUM_LETTERS), cards=int(settings.PASSAGE_MAIL_MINIMUM_CARDS)
    )


def case_correspondence(case: Case) -> QuerySet[Correspondence]:
    """The items of the case, newest first, with the counts the list shows (one query)."""
    return (
        Correspondence.objects.filter(case=case)
        .select_related("person__data_key", "recorded_by")
        .annotate(
            n_attachments=Count("attachments", distinct=True),
            n_translations=Count("translations", distinct=True),
            n_deliveries=Count("deliveries", distinct=True),
        )
    )


def correspondence_get(case: Case, item_id: int) -> Correspondence:
    """The item of this case, or 404."""
    item = (
        Correspondence.objects.filter(case=case, pk=item_id)
        .select_related("person__data_key", "recorded_by", "decided_by")
        .first()
    )
    if item is None:
        raise Http404("No correspondence found.")
    return item


def item_translations(item: Correspondence) -> QuerySet[Translation]:
    return Translation.objects.filter(correspondence=item).select_related("person__data_key", "recorded_by")


def item_attachments(item: Correspondence) -> QuerySet[Attachment]:
    """The attachments of an item without their bytes (up to 25 MB each: read only on download)."""
    return (
        Attachment.objects.filter(correspondence=item)
        .defer("content")
        .select_related("person__data_key", "recorded_by")
    )


def attachment_get(item: Correspondence, attachment_id: int) -> Attachment:
    attachment = (
        Attachment.objects.filter(correspondence=item, pk=attachment_id).select_related("person__data_key").first()
    )
    if attachment is None:
        raise Http404("No attachment found.")
    return attachment


def item_deliveries(item: Correspondence) -> QuerySet[Delivery]:
    return Delivery.objects.filter(correspondence=item).select_related(
        "person__data_key", "recipient_organisation", "translation", "release__data_key", "recorded_by"
    )


def delivery_get(item: Correspondence, delivery_id: int) -> Delivery:
    delivery = item_deliveries(item).filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404("No delivery found.")
    return delivery


# --- The Art. 71 tally ------------------------------------------------------------------------


def mail_items_around(case: Case, day: dt.date) -> list[rules.MailItem]:
    """The outgoing letters and cards that may count in `day`'s month (the rule decides which do)."""
    first, last = rules.month_bounds(day)
    rows = (
        Correspondence.objects.filter(
            Q(sent_on__range=(first, last)) | Q(sent_on__isnull=True, decided_on__range=(first, last)),
            case=case,
            direction=Correspondence.Direction.OUTGOING,
            kind__in=[Correspondence.Kind.LETTER, Correspondence.Kind.CARD],
            status__in=[status.value for status in rules.COUNTED_STATUSES],
        )
        .order_by()
        .values_list("direction", "kind", "status", "sent_on", "decided_on")
    )
    return [rules.MailItem(*row) for row in rows]


def month_tally(case: Case, day: dt.date) -> rules.MonthTally:
    """Letters and cards sent or approved in `day`'s calendar month, capture cards excluded (Art. 71)."""
    return rules.month_tally(mail_items_around(case, day), day)


# --- When the capture card is due (rule (c) 2, protection.alerts) --------------------------------


@dataclass(frozen=True)
class CaptureCardDue:
    """A capture card owed for a custody record (arrival at a camp, a hospital, a transfer)."""

    custody_id: int
    due_on: dt.date
    is_overdue: bool


def capture_cards_due(case: Case, *, today: dt.date) -> list[CaptureCardDue]:
    """Every custody record no capture card covers yet, with the day its card falls due. This is
    `protection.alerts.capture_card_due` on this case's facts, asked as of the end of time so that it
    names the cards due later as well as those already late."""
    facts = alerts.DeadlineFacts(
        stage=case.stage,
        entry_route=case.entry_route,
        custody=tuple(
            alerts.CustodyStart(record.pk, record.from_date)
            for record in sorted(case.custody_records.all(), key=lambda record: (record.from_date, record.pk))
        ),
        last_capture_card_on=CaseEvent.objects.filter(case=case, kind__in=CaseEvent.CAPTURE_CARD_DONE).aggregate(
            last=Max("occurred_on")
        )["last"],
    )
    owed = alerts.capture_card_due(facts, today=dt.date.max, deadlines=protection_selectors.deadlines())
    return [CaptureCardDue(due.subject_id, due.due_on, due.due_on < today) for due in owed]


# --- The case page's panel --------------------------------------------------------------------


def _count(rows: QuerySet[Correspondence]) -> Coalesce:
    per_case = rows.order_by().values("case").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(per_case), 0)


def case_panel_counts(case: Case) -> dict[str, int]:
    """For the case page, in one query: items in and out, mail requests awaiting a decision, and the
    open capture-card alerts."""
    here = OuterRef("pk")
    open_alerts = (
        Alert.objects.filter(case=here, kind=Alert.Kind.CAPTURE_CARD, resolved_at__isnull=True)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return dict(
        Case.objects.filter(pk=case.pk)
        .annotate(
            n_incoming=_count(Correspondence.objects.filter(case=here, direction=Correspondence.Direction.INCOMING)),
            n_outgoing=_count(Correspondence.objects.filter(case=here, direction=Correspondence.Direction.OUTGOING)),
            n_requests=_count(Correspondence.objects.filter(case=here, status=Correspondence.Status.REQUESTED)),
            n_capture_card_alerts=Coalesce(Subquery(open_alerts), 0),
        )
        .values("n_incoming", "n_outgoing", "n_requests", "n_capture_card_alerts")
        .get()
    )
