"""Pages of a case's correspondence: the list (with when the capture card is due and the month's Art. 71
tally), recording an item with its attachment, the item's page with its steps, translations,
attachments and deliveries, the download of an attachment, and the delivery form with the disclosure
check shown before it is confirmed. Thin: the selectors read, the services write and check the policy
again under the case lock. Pages that take a file use the in-memory upload handler (correspondence.uploads).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.policy import may_read_correspondence, may_record_correspondence
from consent.views.disclosure import check_context
from correspondence import rules, selectors, services
from correspondence.forms import (
    AttachmentForm,
    CensorshipForm,
    CorrespondenceForm,
    CorrespondenceUpdateForm,
    DeclineForm,
    DeliveredForm,
    DeliveryForm,
    DeliveryStatusForm,
    RefuseForm,
    SentForm,
    TranslationForm,
)
from correspondence.models import Correspondence, Delivery
from correspondence.uploads import attachment_max_bytes, attachment_uploads, upload_was_too_large
from passage.errors import ConditionsUnmet
from passage.pages import form_errors_apply
from protection.selectors import unmet_text
from registry import selectors as registry_selectors
from registry.models import Case

# The forms of the item page, by prefix: each step posts to its own URL.
STEP_FORMS: dict[str, type[BaseForm]] = {
    "refuse": RefuseForm,
    "sent": SentForm,
    "delivered": DeliveredForm,
    "decline": DeclineForm,
    "censor": CensorshipForm,
    "translation": TranslationForm,
    "attachment": AttachmentForm,
}


def _forbidden(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    return render(request, "protection/forbidden.html", {"case": case, "message": message}, status=403)


def _reading_refused(request: HttpRequest, case: Case) -> HttpResponse | None:
    if may_read_correspondence(request.user, case):
        return None
    return _forbidden(request, case, _("Your role may not read this person's correspondence."))


def _recording_refused(request: HttpRequest, case: Case) -> HttpResponse | None:
    if may_record_correspondence(request.user, case):
        return None
    return _forbidden(request, case, _("Your role may not record correspondence on this case."))


def _upload(file: UploadedFile) -> services.AttachmentUpload:
    return services.AttachmentUpload(
        filename=file.name or "", declared_type=file.content_type or "", data=bytes(file.read())
    )


def _too_large_message() -> str:
    return _("The file is larger than the limit of %(limit)s MB.") % {"limit": round(attachment_max_bytes() / 1e6, 1)}


def _detail_url(case: Case, item: Correspondence, anchor: str = "") -> str:
    return reverse("correspondence:detail", args=[case.reference, item.pk]) + (f"#{anchor}" if anchor else "")


def release_url(release_id: int | None) -> str:
    """The release's page (consent app), or "" while it has none."""
    if release_id is None:
        return ""
    try:
        return reverse("consent:release_detail", args=[release_id])
    except NoReverseMatch:
        return ""


# --- The list and recording ---------------------------------------------------------------------


def correspondence_list(request: HttpRequest, reference: str) -> HttpResponse:
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    refused = _reading_refused(request, case)
    if refused:
        return refused
    today = timezone.localdate()
    items = list(selectors.case_correspondence(case))
    context = {
        "case": case,
        "items": items,
        "tally": selectors.month_tally(case, today),
        "minimums": selectors.mail_minimums(),
        "capture_cards": selectors.capture_cards_due(case, today=today),
        "may_record": may_record_correspondence(request.user, case),
    }
    services.correspondence_record_view(actor=request.user, case=case, purpose="correspondence list", channel="web")
    return render(request, "correspondence/list.html", context)


@attachment_uploads
@require_http_methods(["GET", "POST"])
def correspondence_create(request: HttpRequest, reference: str) -> HttpResponse:
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    refused = _recording_refused(request, case)
    if refused:
        return refused
    initial: dict[str, str] = {
        "direction": Correspondence.Direction.OUTGOING,
        "status": Correspondence.Status.REQUESTED,
    }
    for name in ("direction", "kind", "status"):
        if request.GET.get(name):
            initial[name] = request.GET[name][:24]
    posted = request.method == "POST"
    form = CorrespondenceForm(request.POST if posted else None, request.FILES if posted else None, initial=initial)
    if request.method == "POST":
        valid = form.is_valid()
        if upload_was_too_large(request):
            form.add_error("attachment", _too_large_message())
        elif valid:
            file = form.cleaned_data.get("attachment")
            values = {name: value for name, value in form.values().items() if name != "attachment"}
            try:
                item = services.correspondence_record(
                    actor=request.user,
                    case=case,
                    values=values,
                    attachments=[_upload(file)] if file else [],
                    channel="web",
                )
            except services.CorrespondenceRoleRefused as role:
                return _forbidden(request, case, str(role))
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("Correspondence recorded."))
                return redirect(_detail_url(case, item))
    context = {"case": case, "form": form, "item": None, "max_mb": round(attachment_max_bytes() / 1e6, 1)}
    return render(request, "correspondence/form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def correspondence_edit(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    item = selectors.correspondence_get(case, item_id)
    refused = _recording_refused(request, case)
    if refused:
        return refused
    if request.method == "POST":
        form = CorrespondenceUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.correspondence_update(
                    actor=request.user, case=case, item=item, values=form.values(), channel="web"
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("Correspondence saved."))
                return redirect(_detail_url(case, item))
    else:
        form = CorrespondenceUpdateForm(initial=CorrespondenceUpdateForm.initial_from(item))
        services.correspondence_record_view(
            actor=request.user, case=case, item=item, purpose="correspondence form", channel="web"
        )
    context = {"case": case, "form": form, "item": item}
    return render(request, "correspondence/form.html", context, status=400 if form.errors else 200)


# --- The item's page and its steps --------------------------------------------------------------


def _detail(
    request: HttpRequest,
    case: Case,
    item: Correspondence,
    *,
    bound: dict[str, BaseForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    forms = {prefix: form_class(prefix=prefix) for prefix, form_class in STEP_FORMS.items()}
    forms.update(bound or {})
    refusal_blocked: list[str] = []
    tally = None
    if item.is_mail_request and item.kind in (Correspondence.Kind.LETTER, Correspondence.Kind.CARD):
        tally = selectors.month_tally(case, today)
        refusal_blocked = [
            unmet_text(problem) for problem in rules.refusal_unmet(item.kind, tally, selectors.mail_minimums())
        ]
    deliveries = list(selectors.item_deliveries(item))
    context = {
        "case": case,
        "item": item,
        "translations": list(selectors.item_translations(item)),
        "attachments": list(selectors.item_attachments(item)),
        "deliveries": [
            {
                "delivery": delivery,
                "release_url": release_url(delivery.release_id),
                "status_form": DeliveryStatusForm(prefix=f"delivery{delivery.pk}"),
            }
            for delivery in deliveries
        ],
        "forms": forms,
        "tally": tally,
        "minimums": selectors.mail_minimums(),
        "refusal_blocked": refusal_blocked,
        "may_record": may_record_correspondence(request.user, case),
        "steps": {
            step.value: not rules.step_unmet(direction=item.direction, kind=item.kind, status=item.status, step=step)
            for step in rules.Step
        },
        "max_mb": round(attachment_max_bytes() / 1e6, 1),
    }
    services.correspondence_record_view(
        actor=request.user, case=case, item=item, purpose="correspondence item", channel="web"
    )
    return render(request, "correspondence/detail.html", context, status=status)


def correspondence_detail(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    item = selectors.correspondence_get(case, item_id)
    refused = _reading_refused(request, case)
    if refused:
        return refused
    return _detail(request, case, item)


Perform = Callable[[HttpRequest, Case, Correspondence, dict[str, Any]], object]


def _step(
    request: HttpRequest, reference: str, item_id: int, *, prefix: str | None, perform: Perform, done: str
) -> HttpResponse:
    """A step posted from the item's page: its form, the service, back to the page (or the page again
    with the errors at the form: 400 for bad input, 409 for a rule that refuses it)."""
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    item = selectors.correspondence_get(case, item_id)
    refused = _recording_refused(request, case)
    if refused:
        return refused
    form: BaseForm | None = STEP_FORMS[prefix](request.POST, request.FILES, prefix=prefix) if prefix else None
    status = 400
    if prefix and upload_was_too_large(request):
        assert form is not None
        form.is_valid()
        form.add_error("attachment", _too_large_message())
    elif form is None or form.is_valid():
        try:
            perform(request, case, item, form.cleaned_data if form is not None else {})
        except services.CorrespondenceRoleRefused as role:
            return _forbidden(request, case, str(role))
        except ConditionsUnmet as unmet:
            status = 409  # shown at the top: the step's form may no longer be on the page
            for problem in unmet.unmet:
                messages.error(request, unmet_text(problem))
        except ValidationError as error:
            if form is None:
                for message in error.messages:
                    messages.error(request, message)
            else:
                form_errors_apply(form, error)
        else:
            messages.success(request, done)
            return redirect(_detail_url(case, item, prefix or ""))
    item.refresh_from_db()
    return _detail(request, case, item, bound={prefix: form} if prefix and form is not None else None, status=status)


@require_POST
def correspondence_approve(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    def perform(request: HttpRequest, case: Case, item: Correspondence, data: dict[str, Any]) -> object:
        return services.mail_request_approve(actor=request.user, case=case, item=item, channel="web")

    return _step(request, reference, item_id, prefix=None, perform=perform, done=_("Mail request approved."))


@require_POST
def correspondence_refuse(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    def perform(request: HttpRequest, case: Case, item: Correspondence, data: dict[str, Any]) -> object:
        return services.mail_request_refuse(
            actor=request.user, case=case, item=item, reason=data["reason"], channel="web"
        )

    return _step(request, reference, item_id, prefix="refuse", perform=perform, done=_("Mail request refused."))


@require_POST
def correspondence_sent(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    def perform(request: HttpRequest, case: Case, item: Correspondence, data: dict[str, Any]) -> object:
        return services.correspondence_mark_sent(
            actor=request.user, case=case, item=item, sent_on=data["sent_on"], channel="web"
        )

    return _step(request, reference, item_id, prefix="sent", perform=perform, done=_("Recorded as sent."))


@require_POST
def correspondence_delivered(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    def perform(request: HttpRequest, case: Case, item: Correspondence, data: dict[str, Any]) -> object:
        return services.correspondence_mark_delivered(
            actor=request.user, case=case, item=item, delivered_on=data["delivered_on"], channel="web"
        )

    return _step(request, reference, item_id, prefix="delivered", perform=perform, done=_("Recorded as delivered."))


@require_POST
def correspondence_decline(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    def perform(request: HttpRequest, case: Case, item: Correspondence, data: dict[str, Any]) -> object:
        return services.capture_card_decline(
            actor=request.user, case=case, item=item, declined_on=data["declined_on"], channel="web"
        )

    done = _("Recorded: the person declined to send the capture card to the family.")
    return _step(request, reference, item_id, prefix="decline", perform=perform, done=done)


@require_POST
def correspondence_censor(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    def perform(request: HttpRequest, case: Case, item: Correspondence, data: dict[str, Any]) -> object:
        return services.correspondence_censor(
            actor=request.user,
            case=case,
            item=item,
            state=data["state"],
            censored_on=data["censored_on"],
            channel="web",
        )

    return _step(request, reference, item_id, prefix="censor", perform=perform, done=_("Censorship recorded."))


@require_POST
def translation_add(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    def perform(request: HttpRequest, case: Case, item: Correspondence, data: dict[str, Any]) -> object:
        return services.translation_add(
            actor=request.user,
            case=case,
            item=item,
            language=data["language"],
            text=data["text"],
            translator=data["translator"],
            channel="web",
        )

    return _step(request, reference, item_id, prefix="translation", perform=perform, done=_("Translation added."))


@attachment_uploads
@require_POST
def attachment_add(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    def perform(request: HttpRequest, case: Case, item: Correspondence, data: dict[str, Any]) -> object:
        return services.attachment_add(
            actor=request.user, case=case, item=item, upload=_upload(data["attachment"]), channel="web"
        )

    done = _("Attachment checked and stored encrypted.")
    return _step(request, reference, item_id, prefix="attachment", perform=perform, done=done)


def attachment_download(request: HttpRequest, reference: str, item_id: int, attachment_id: int) -> HttpResponse:
    """The file, as an attachment with its detected type (never rendered in the page); an audited read."""
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    item = selectors.correspondence_get(case, item_id)
    attachment = selectors.attachment_get(item, attachment_id)
    refused = _reading_refused(request, case)
    if refused:
        return refused
    try:
        data = services.attachment_open(actor=request.user, case=case, attachment=attachment, channel="web")
    except services.AttachmentUnreadable as unreadable:
        messages.error(request, str(unreadable))
        return redirect(_detail_url(case, item, "attachments"))
    return attachment_response(data, content_type=attachment.content_type, filename=str(attachment.filename))


def attachment_response(data: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        data, content_type=f"{content_type}; charset=utf-8" if content_type.startswith("text/") else content_type
    )
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# --- Deliveries ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def delivery_create(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    """Where the item goes. To the family or the person: the disclosure check's findings are shown,
    highlighted in the text, before the delivery is confirmed. To the press or an authority: a release
    is prepared, whose page takes it through its check, consents and review."""
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    item = selectors.correspondence_get(case, item_id)
    refused = _recording_refused(request, case)
    if refused:
        return refused
    default_channel = Delivery.Channel.FAMILY if item.direction == item.Direction.OUTGOING else Delivery.Channel.PERSON
    form = DeliveryForm(
        request.POST if request.method == "POST" else None,
        item=item,
        initial={"channel": default_channel, "version": Delivery.Version.ORIGINAL},
    )
    context: dict[str, Any] = {"case": case, "item": item, "form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arguments = {
            "delivery_channel": data["channel"],
            "version": data["version"],
            "translation": data["translation"],
        }
        try:
            if data["channel"] not in Delivery.THROUGH_RELEASE and request.POST.get("confirm") != "1":
                check = services.delivery_check(actor=request.user, case=case, item=item, **arguments, channel="web")
                text = services.delivery_text(item, version=data["version"], translation=data["translation"])
                context.update(check_context(text, check))
                context.update({"checked": True, "text": text, "text_lang": item.language})
                response = render(request, "correspondence/delivery_form.html", context)
                response["Cache-Control"] = "no-store"
                return response
            recorded = services.delivery_record(
                actor=request.user,
                case=case,
                item=item,
                **arguments,
                recipient=data["recipient"],
                recipient_organisation=data["recipient_organisation"],
                recipient_state=data["recipient_state"],
                sent_on=data["sent_on"],
                channel="web",
            )
        except services.CorrespondenceRoleRefused as role:
            return _forbidden(request, case, str(role))
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            if recorded.check is not None and recorded.check.findings:
                messages.warning(
                    request,
                    _(
                        "Recorded. The disclosure check found %(count)s passages that could identify someone "
                        "in what was sent (%(blocking)s identifying)."
                    )
                    % {"count": len(recorded.check.findings), "blocking": len(recorded.check.blocking)},
                )
            elif recorded.delivery.release_id is not None:
                messages.success(
                    request,
                    _(
                        "A release was prepared. It goes out only after its check, the person's consent "
                        "and a separate review; the delivery follows it."
                    ),
                )
            else:
                messages.success(request, _("Delivery recorded."))
            return redirect(_detail_url(case, item, "deliveries"))
    status = 400 if form.errors else 200
    return render(request, "correspondence/delivery_form.html", context, status=status)


@require_POST
def delivery_status(request: HttpRequest, reference: str, item_id: int, delivery_id: int) -> HttpResponse:
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    item = selectors.correspondence_get(case, item_id)
    delivery = selectors.delivery_get(item, delivery_id)
    refused = _recording_refused(request, case)
    if refused:
        return refused
    form = DeliveryStatusForm(request.POST, prefix=f"delivery{delivery.pk}")
    if form.is_valid():
        try:
            services.delivery_mark(
                actor=request.user,
                case=case,
                item=item,
                delivery=delivery,
                status=form.cleaned_data["status"],
                sent_on=form.cleaned_data["sent_on"],
                channel="web",
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Delivery updated."))
            return redirect(_detail_url(case, item, "deliveries"))
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))
    return _detail(request, case, item, status=400)
