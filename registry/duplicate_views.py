"""Pages for possible duplicates: the review queue, the side-by-side comparison, merge and distinct."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.policy import Action, may_act_on_case
from passage.errors import NotPermitted
from registry import duplicates
from registry.duplicates import MergeRefused
from registry.models import DuplicateCandidate, LinkRun

PAGE_SIZE = 50


@require_GET
def duplicate_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", DuplicateCandidate.Status.OPEN)
    if status not in DuplicateCandidate.Status.values:
        status = DuplicateCandidate.Status.OPEN
    rows = duplicates.duplicates_visible_to(request.user, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/duplicate_list.html",
        {
            "page": page,
            "status": status,
            "statuses": DuplicateCandidate.Status.choices,
            "link_run": LinkRun.objects.first(),
        },
    )


def _pair(request: HttpRequest, candidate_id: int) -> DuplicateCandidate:
    try:
        return duplicates.duplicate_get(request.user, candidate_id)
    except NotPermitted:
        raise Http404 from None


@require_GET
def duplicate_detail(request: HttpRequest, candidate_id: int) -> HttpResponse:
    pair = _pair(request, candidate_id)
    case_a, case_b = pair.person_a.case, pair.person_b.case
    rows = duplicates.duplicate_compare(request.user, pair, channel="web")
    blockers = {case.reference: duplicates.merge_blockers(case) for case in (case_a, case_b)}
    return render(
        request,
        "registry/duplicate_detail.html",
        {
            "pair": pair,
            "case_a": case_a,
            "case_b": case_b,
            "rows": rows,
            "can_decide": duplicates.may_decide(request.user, pair) and pair.status == DuplicateCandidate.Status.OPEN,
            "can_merge_into": {
                case.reference: may_act_on_case(request.user, Action.ERASE, other) and not blockers[other.reference]
                for case, other in ((case_a, case_b), (case_b, case_a))
            },
            "blockers": blockers,
        },
    )


@require_POST
def duplicate_distinct(request: HttpRequest, candidate_id: int) -> HttpResponse:
    pair = _pair(request, candidate_id)
    try:
        duplicates.duplicate_mark_distinct(actor=request.user, candidate=pair)
    except NotPermitted:
        raise Http404 from None
    except MergeRefused as refused:
        messages.error(request, str(refused))
        return redirect("registry:duplicate_detail", candidate_id=pair.pk)
    messages.success(request, _("Marked as two different persons; this pair will not be proposed again."))
    return redirect("registry:duplicate_list")


@require_POST
def duplicate_merge(request: HttpRequest, candidate_id: int) -> HttpResponse:
    pair = _pair(request, candidate_id)
    survivor = request.POST.get("survivor", "")
    try:
        case = duplicates.duplicate_merge(actor=request.user, candidate=pair, survivor_reference=survivor)
    except NotPermitted:
        raise Http404 from None
    except MergeRefused as refused:
        messages.error(request, str(refused))
        return redirect("registry:duplicate_detail", candidate_id=pair.pk)
    messages.success(request, _("The two cases were merged into %(reference)s.") % {"reference": case.reference})
    return redirect("registry:case_detail", reference=case.reference)
