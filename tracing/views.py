"""Pages of family tracing: a case's family members, the tracing requests, and the review of the
candidates a search proposes, side by side. Thin: the selectors read, the services write and check."""

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
    may_read_family_location,
    may_record_family_member,
    may_trace,
    may_trace_for_case,
    tracing_organisations,
)
from audit.models import AuditEvent
from audit.services import audit_record
from passage.errors import NotPermitted
from passage.pages import form_errors_apply
from registry import selectors as registry_selectors
from registry.models import Case
from registry.services import case_record_view
from tracing import selectors, services
from tracing.compare import compare
from tracing.forms import CloseForm, FamilyMemberForm, ReviewForm, TracingRequestForm
from tracing.models import FamilyMember, TracingMatch, TracingRequest


def _forbidden(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    return render(request, "protection/forbidden.html", {"case": case, "message": message}, status=403)


# --- Family members ---------------------------------------------------------------------------


def family_list(request: HttpRequest, reference: str) -> HttpResponse:
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    members = list(selectors.case_family_members(case))
    case_record_view(actor=request.user, case=case, purpose="family members", channel="web")
    context = {
        "case": case,
        "members": members,
        "may_read_location": may_read_family_location(request.user, case),
        "may_record": may_record_family_member(request.user, case),
        "may_trace_for_case": may_trace_for_case(request.user, case),
    }
    return render(request, "tracing/family_list.html", context)


@require_http_methods(["GET", "POST"])
def family_add(request: HttpRequest, reference: str) -> HttpResponse:
    return _family_form(request, reference, member_id=None)


@require_http_methods(["GET", "POST"])
def family_edit(request: HttpRequest, reference: str, member_id: int) -> HttpResponse:
    return _family_form(request, reference, member_id=member_id)


def _family_form(request: HttpRequest, reference: str, *, member_id: int | None) -> HttpResponse:
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    member: FamilyMember | None = None
    if member_id is not None:
        member = selectors.case_family_members(case).filter(pk=member_id).first()
        if member is None:
            raise Http404("No family member found.")
    if not may_record_family_member(request.user, case):
        return _forbidden(request, case, _("Your role may not record family members on this case."))
    may_read_location = may_read_family_location(request.user, case)
    if request.method == "POST":
        form = FamilyMemberForm(request.POST, may_read_location=may_read_location)
    elif member is not None:
        initial = FamilyMemberForm.initial_from(member, may_read_location=may_read_location)
        form = FamilyMemberForm(initial=initial, may_read_location=may_read_location)
    else:
        form = FamilyMemberForm(may_read_location=may_read_location)
    if request.method == "POST" and form.is_valid():
        try:
            if member is None:
                services.family_member_add(actor=request.user, case=case, values=form.values(), channel="web")
            else:
                services.family_member_update(
                    actor=request.user, case=case, member=member, values=form.values(), channel="web"
                )
        except services.TracingRoleRefused as refused:
            return _forbidden(request, case, str(refused))
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Family member saved."))
            return redirect(reverse("tracing:family_list", args=[case.reference]))
    if member is not None:
        case_record_view(actor=request.user, case=case, purpose="family member form", channel="web")
    context = {"case": case, "form": form, "member": member}
    return render(request, "tracing/family_form.html", context, status=400 if form.errors else 200)


# --- Tracing requests -------------------------------------------------------------------------


def _tracer(request: HttpRequest) -> None:
    if not may_trace(request.user):
        raise Http404


def request_list(request: HttpRequest) -> HttpResponse:
    """The tracing requests the user may see, with the status of each."""
    _tracer(request)
    requests = list(
        selectors.tracing_requests_visible_to(request.user)
        .select_related("data_key", "organisation", "case")
        .order_by("-updated_at", "-pk")[:200]
    )
    audit_record(
        actor=request.user,
        kind=AuditEvent.Kind.READ,
        action="tracing_request.list",
        object_type="tracingrequest",
        purpose=f"{len(requests)} requests",
        channel="web",
    )
    return render(request, "tracing/request_list.html", {"requests": requests})


@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    _tracer(request)
    organisations = tracing_organisations(request.user)
    initial: dict[str, Any] = {}
    if request.GET.get("case"):
        initial = {
            "case_reference": request.GET["case"][:20],
            "direction": TracingRequest.Direction.PERSON_SEEKS_FAMILY,
        }
    form = TracingRequestForm(request.POST or None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        case = None
        reference = form.cleaned_data["case_reference"].strip()
        try:
            if reference:
                case = registry_selectors.case_get(actor=request.user, reference=reference)
            created = services.tracing_request_create(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                direction=form.cleaned_data["direction"],
                case=case,
                values=form.values(),
                channel="web",
            )
        except (Http404, NotPermitted):
            form.add_error("case_reference", _("No case found."))
        except services.TracingRoleRefused as refused:
            form.add_error(None, str(refused))
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Tracing request opened."))
            return redirect(reverse("tracing:request_detail", args=[created.pk]))
    return render(request, "tracing/request_form.html", {"form": form}, status=400 if form.errors else 200)


def _review_rows(request: HttpRequest, tracing_request: TracingRequest) -> list[dict[str, Any]]:
    rows = []
    for match in selectors.tracing_matches_shown(actor=request.user, tracing_request=tracing_request):
        match.request = tracing_request
        aliases = [alias.name for alias in match.person.aliases.all()]
        rows.append(
            {
                "match": match,
                "case": match.person.case,
                "fields": compare(tracing_request, match.person, aliases),
                "form": ReviewForm(prefix=f"m{match.pk}"),
            }
        )
    return rows


def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    """The request, the search button, and each candidate side by side with confirm and reject."""
    _tracer(request)
    tracing_request = selectors.tracing_request_get(actor=request.user, request_id=request_id)
    rows = _review_rows(request, tracing_request)
    services.tracing_request_record_view(
        actor=request.user, tracing_request=tracing_request, purpose="match review", channel="web"
    )
    for row in rows:
        case_record_view(actor=request.user, case=row["case"], purpose="tracing match review", channel="web")
    context = {
        "tracing_request": tracing_request,
        "rows": rows,
        "proposed": sum(1 for row in rows if row["match"].status == TracingMatch.Status.PROPOSED),
        "close_form": CloseForm(),
    }
    return render(request, "tracing/request_detail.html", context)


def _back(tracing_request: TracingRequest) -> HttpResponse:
    return redirect(reverse("tracing:request_detail", args=[tracing_request.pk]) + "#matches")


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
def request_search(request: HttpRequest, request_id: int) -> HttpResponse:
    _tracer(request)
    tracing_request = selectors.tracing_request_get(actor=request.user, request_id=request_id)
    try:
        found = services.tracing_search(actor=request.user, tracing_request=tracing_request, channel="web")
    except ValidationError as error:
        _error_messages(request, error)
    else:
        if found:
            messages.success(
                request, _("Candidates found: %(count)d. Compare each before you decide.") % {"count": len(found)}
            )
        else:
            messages.info(request, _("No candidate found among the persons who consented to be traced."))
    return _back(tracing_request)


def _match(tracing_request: TracingRequest, match_id: int) -> TracingMatch:
    match = TracingMatch.objects.filter(pk=match_id, request=tracing_request).first()
    if match is None:
        raise Http404("No match found.")
    return match


@require_POST
def match_confirm(request: HttpRequest, request_id: int, match_id: int) -> HttpResponse:
    return _match_review(request, request_id, match_id, confirm=True)


@require_POST
def match_reject(request: HttpRequest, request_id: int, match_id: int) -> HttpResponse:
    return _match_review(request, request_id, match_id, confirm=False)


def _match_review(request: HttpRequest, request_id: int, match_id: int, *, confirm: bool) -> HttpResponse:
    _tracer(request)
    tracing_request = selectors.tracing_request_get(actor=request.user, request_id=request_id)
    match = _match(tracing_request, match_id)
    form = ReviewForm(request.POST, prefix=f"m{match.pk}")
    note = form.cleaned_data["note"] if form.is_valid() else ""
    review = services.tracing_match_confirm if confirm else services.tracing_match_reject
    try:
        review(actor=request.user, tracing_request=tracing_request, match=match, note=note, channel="web")
    except NotPermitted as error:
        raise Http404("No match found.") from error
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Match confirmed: the request is confirmed.") if confirm else _("Match rejected."))
    return _back(tracing_request)


@require_POST
def request_close(request: HttpRequest, request_id: int) -> HttpResponse:
    _tracer(request)
    tracing_request = selectors.tracing_request_get(actor=request.user, request_id=request_id)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Close as “no match” or “withdrawn”."))
        return _back(tracing_request)
    try:
        services.tracing_request_close(
            actor=request.user, tracing_request=tracing_request, status=form.cleaned_data["status"], channel="web"
        )
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Tracing request closed."))
    return _back(tracing_request)
