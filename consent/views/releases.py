"""Pages of releases: the organisation's list, preparing one, and its page with the text highlighted
where the disclosure check found something, the findings to redact or dismiss, the consents it needs,
the separate review and the release; the takedown follow-ups opened by revocations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.policy import (
    Action,
    case_access_q,
    may_read_release_text,
    may_review_releases,
    release_access_organisations,
    release_organisations,
)
from consent import selectors
from consent.forms import DismissForm, ReleaseEditForm, ReleaseForm, ReviewForm, TakedownForm
from consent.labels import kind_label, severity_label
from consent.models import MediaRequest, Purpose, Release, ReleaseFinding, TakedownRequest
from consent.services import releases as services
from consent.views.disclosure import marked_runs, redacted_download
from consent.views.media import run_step
from passage.errors import EditConflict
from passage.pages import form_errors_apply
from protection.selectors import unmet_text
from registry.models import Case


def _release(request: HttpRequest, pk: int) -> Release:
    row = (
        selectors.releases_for(request.user).select_related("data_key", "recipient_organisation").filter(pk=pk).first()
    )
    if row is None:
        raise Http404("No release found.")
    return row


def _readable(request: HttpRequest, row: Release) -> bool:
    return row.data_key_id is not None and may_read_release_text(
        request.user, created_by_id=row.created_by_id, cases=services.release_cases(row)
    )


def release_list(request: HttpRequest) -> HttpResponse:
    if not release_access_organisations(request.user):
        raise Http404
    status = request.GET.get("status", "")
    rows = selectors.releases_for(request.user)
    if status in Release.Status.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "consent/release_list.html",
        {
            "releases": list(rows[:500]),
            "statuses": Release.Status.choices,
            "status": status,
            "may_create": bool(release_organisations(request.user)),
        },
    )


@require_http_methods(["GET", "POST"])
def release_create(request: HttpRequest) -> HttpResponse:
    organisations = release_organisations(request.user)
    if not organisations:
        raise Http404
    approved = MediaRequest.objects.filter(
        organisation__in=organisations, status__in=[MediaRequest.Status.APPROVED, MediaRequest.Status.COMPLETED]
    )
    initial: dict[str, Any] = {}
    media_request_id = request.GET.get("media_request", "")
    if media_request_id.isdigit():
        chosen = approved.filter(pk=int(media_request_id)).first()
        if chosen is not None:
            initial = {
                "media_request": chosen,
                "kind": Release.Kind.MEDIA_MATERIAL,
                "purpose": chosen.purposes[0] if chosen.purposes else Purpose.INTERVIEW,
                "recipient": chosen.outlet,
                "cases": " ".join(
                    chosen.persons.filter(withdrawn_at__isnull=True).values_list("case__reference", flat=True)
                ),
            }
    form = ReleaseForm(request.POST or None, initial=initial, media_requests=approved)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.release_create(
                actor=request.user,
                organisation=organisations[0],
                kind=data["kind"],
                purpose=data["purpose"],
                title=data["title"],
                recipient=data["recipient"],
                text=data["text"],
                case_references=form.references(),
                media_request=data["media_request"],
                recipient_organisation=data["recipient_organisation"],
                recipient_state=data["recipient_state"],
                channel="web",
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        except services.ReleaseRoleRefused as refused:
            return render(request, "consent/forbidden.html", {"message": str(refused)}, status=403)
        else:
            messages.success(request, _("Release prepared and checked."))
            return redirect(reverse("consent:release_detail", args=[row.pk]))
    return render(request, "consent/release_form.html", {"form": form}, status=400 if form.errors else 200)


def _finding_rows(
    findings: list[ReleaseFinding], text: str, visible: dict[int, str], consented: set[int]
) -> list[dict[str, Any]]:
    rows = []
    for number, finding in enumerate(findings, start=1):
        person_ids = [int(p) for p in finding.person_ids]
        parts = [text[a:b] for a, b in finding.parts] if finding.parts else []
        rows.append(
            {
                "number": number,
                "finding": finding,
                "text": text[finding.start : finding.end],
                "parts": parts,
                "kind": kind_label(finding.kind),
                "severity_label": severity_label(finding.severity),
                "severity": finding.severity,
                "replacement": finding.replacement,
                "references": sorted(visible[p] for p in person_ids if p in visible),
                "hidden_persons": sum(1 for p in person_ids if p not in visible),
                "is_covered": services.is_covered(finding, consented),
            }
        )
    return rows


def release_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = _release(request, pk)
    cases = services.release_cases(row)
    can_read = _readable(request, row)
    context: dict[str, Any] = {"release": row, "cases": cases, "can_read": can_read}
    if can_read:
        text = str(row.text)
        findings = list(ReleaseFinding.objects.filter(release=row, text_version=row.checked_version))
        named = {int(p) for finding in findings for p in finding.person_ids}
        visible = dict(
            Case.objects.filter(case_access_q(request.user, Action.VIEW), person_id__in=named).values_list(
                "person_id", "reference"
            )
        )
        consents = services.release_consent_rows(row, cases)
        consented = {entry["case"].person_id for entry in consents if entry["live"]}
        context.update(
            {
                "text": text,
                "rows": _finding_rows(findings, text, visible, consented),
                "runs": marked_runs(text, findings, [f.kind for f in findings], [f.severity for f in findings]),
                "blocking_open": sum(
                    1 for f in findings if f.is_blocking and not f.decision and not services.is_covered(f, consented)
                ),
                "consents": consents,
                "dismiss_form": DismissForm(),
                "review_form": ReviewForm(),
            }
        )
        services.release_record_view(actor=request.user, release=row, channel="web")
    step = {"draft": "submit", "in_review": "approve", "approved": "release"}.get(row.status)
    is_author_side = any(o.pk == row.organisation_id for o in release_organisations(request.user))
    may_review = may_review_releases(request.user, row.organisation_id)
    context.update(
        {
            "unmet": [unmet_text(p) for p in services.release_unmet(request.user, row, step)]
            if step and can_read
            else [],
            "may_edit": can_read and is_author_side and row.is_editable,
            "may_review": can_read and may_review and row.status == Release.Status.IN_REVIEW,
            "may_release": can_read and (is_author_side or may_review) and row.status == Release.Status.APPROVED,
            "may_cancel": can_read and (is_author_side or may_review) and row.is_pending,
            "takedowns": list(row.takedowns.select_related("case")),
        }
    )
    return render(request, "consent/release_detail.html", context)


def _back(pk: int) -> str:
    return reverse("consent:release_detail", args=[pk])


@require_http_methods(["GET", "POST"])
def release_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = _release(request, pk)
    if not _readable(request, row):
        raise Http404
    form = ReleaseEditForm(
        request.POST or None,
        initial={"title": row.title, "recipient": row.recipient, "text": row.text, "version": row.text_version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.release_update(
                actor=request.user,
                release=row,
                values={"title": data["title"], "recipient": data["recipient"], "text": data["text"]},
                expected_version=data["version"],
                channel="web",
            )
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Release saved and checked again."))
            return redirect(_back(pk))
    return render(
        request, "consent/release_edit.html", {"release": row, "form": form}, status=400 if form.errors else 200
    )


@require_POST
def release_check(request: HttpRequest, pk: int) -> HttpResponse:
    row = _release(request, pk)
    return run_step(
        request,
        lambda: services.release_check(actor=request.user, release=row, channel="web"),
        success=_("Checked again."),
        back=_back(pk),
    )


@require_POST
def release_redact(request: HttpRequest, pk: int) -> HttpResponse:
    row = _release(request, pk)
    chosen = [int(value) for value in request.POST.getlist("finding") if value.isdigit()]
    return run_step(
        request,
        lambda: services.release_redact(actor=request.user, release=row, finding_ids=chosen or None, channel="web"),
        success=_("Redacted and checked again."),
        back=_back(pk),
    )


@require_POST
def release_finding_dismiss(request: HttpRequest, pk: int, finding_id: int) -> HttpResponse:
    row = _release(request, pk)
    finding = ReleaseFinding.objects.filter(release=row, pk=finding_id).first()
    if finding is None:
        raise Http404("No finding found.")
    form = DismissForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return run_step(
        request,
        lambda: services.release_finding_dismiss(
            actor=request.user, release=row, finding=finding, reason=reason, channel="web"
        ),
        success=_("Finding dismissed."),
        back=_back(pk),
    )


@require_POST
def release_submit(request: HttpRequest, pk: int) -> HttpResponse:
    row = _release(request, pk)
    return run_step(
        request,
        lambda: services.release_submit(actor=request.user, release=row, channel="web"),
        success=_("Submitted for review."),
        back=_back(pk),
    )


@require_POST
def release_review(request: HttpRequest, pk: int) -> HttpResponse:
    row = _release(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to refuse, and give the reasons."))
        return redirect(_back(pk))
    approve = form.cleaned_data["decision"] == "approve"
    return run_step(
        request,
        lambda: services.release_review(
            actor=request.user, release=row, approve=approve, note=form.cleaned_data["reasons"], channel="web"
        ),
        success=_("Release approved.") if approve else _("Release refused."),
        back=_back(pk),
    )


@require_POST
def release_mark_released(request: HttpRequest, pk: int) -> HttpResponse:
    row = _release(request, pk)
    return run_step(
        request,
        lambda: services.release_mark_released(actor=request.user, release=row, channel="web"),
        success=_("Recorded as released."),
        back=_back(pk),
    )


@require_POST
def release_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    row = _release(request, pk)
    return run_step(
        request,
        lambda: services.release_cancel(actor=request.user, release=row, channel="web"),
        success=_("Release cancelled."),
        back=_back(pk),
    )


def release_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The text as it now stands (redacted where the author redacted), as a file: audited."""
    row = _release(request, pk)
    if not _readable(request, row):
        raise Http404
    services.release_record_view(actor=request.user, release=row, channel="web", purpose="download")
    return redacted_download(str(row.text), filename=f"release-{row.pk}-v{row.text_version}.txt")


def takedown_list(request: HttpRequest) -> HttpResponse:
    if not release_access_organisations(request.user):
        raise Http404
    rows = list(selectors.takedowns_for(request.user).order_by("status", "due_on"))
    return render(
        request,
        "consent/takedown_list.html",
        {"takedowns": rows, "form": TakedownForm(), "statuses": TakedownRequest.Status.choices},
    )


@require_POST
def takedown_update(request: HttpRequest, pk: int) -> HttpResponse:
    takedown = selectors.takedowns_for(request.user).filter(pk=pk).first()
    if takedown is None:
        raise Http404("No follow-up found.")
    form = TakedownForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose where the follow-up stands."))
        return redirect(reverse("consent:takedown_list"))
    return run_step(
        request,
        lambda: services.takedown_update(
            actor=request.user,
            takedown=takedown,
            status=form.cleaned_data["status"],
            notes=form.cleaned_data["notes"],
            channel="web",
        ),
        success=_("Follow-up updated."),
        back=reverse("consent:takedown_list"),
    )
