"""The disclosure check page: paste or upload a text, see what could identify someone highlighted, and
download the redacted version. Nothing of the text is kept; the check is audited."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.policy import may_check_disclosure
from consent.forms import DisclosureCheckForm
from consent.highlight import runs
from consent.labels import kind_label, severity_label
from consent.services.disclosure import DisclosureCheck, ShownFinding, disclosure_check
from consent.services.releases import cases_from_references
from passage.pages import form_errors_apply


def finding_rows(text: str, findings: tuple[ShownFinding, ...]) -> list[dict[str, Any]]:
    """Rows of the findings table, numbered as the highlights are."""
    return [
        {
            "number": number,
            "text": shown.text,
            "parts": [text[a:b] for a, b in shown.finding.parts],
            "kind": kind_label(shown.finding.kind.value),
            "severity": shown.finding.severity.value,
            "severity_label": severity_label(shown.finding.severity.value),
            "references": shown.references,
            "hidden_persons": shown.hidden_persons,
            "replacement": shown.finding.replacement,
        }
        for number, shown in enumerate(findings, start=1)
    ]


class _Marked(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def marked_runs(
    text: str, findings: Sequence[_Marked], kinds: Sequence[str], severities: Sequence[str]
) -> list[dict[str, Any]]:
    """The text as runs to mark, numbered as the findings table is (1-based, in the order given).
    Combinations show through their parts, which are findings of their own."""
    plain = [i for i, kind in enumerate(kinds) if kind != "combination"]
    cut = runs(text, [findings[i] for i in plain], [severities[i] for i in plain])
    return [
        {
            "text": run.text,
            "number": plain[run.finding] + 1 if run.finding is not None else None,
            "severity": run.severity,
            "kind": kind_label(kinds[plain[run.finding]]) if run.finding is not None else "",
        }
        for run in cut
    ]


def highlighted(text: str, findings: tuple[ShownFinding, ...]) -> list[dict[str, Any]]:
    engine_findings = [shown.finding for shown in findings]
    return marked_runs(
        text,
        engine_findings,
        [f.kind.value for f in engine_findings],
        [f.severity.value for f in engine_findings],
    )


def check_context(text: str, check: DisclosureCheck) -> dict[str, Any]:
    return {
        "check": check,
        "runs": highlighted(text, check.findings),
        "rows": finding_rows(text, check.findings),
        "counts": check.counts(),
    }


def redacted_download(text: str, filename: str = "redacted.txt") -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def disclosure_check_page(request: HttpRequest) -> HttpResponse:
    if not may_check_disclosure(request.user):
        raise Http404
    form = DisclosureCheckForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            cases = cases_from_references(request.user, form.references())
            check = disclosure_check(actor=request.user, text=text, cases=cases, channel="web")
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            if request.POST.get("download") == "redacted":
                return redacted_download(check.redacted_text)
            context.update(check_context(text, check))
            context["text"] = text
    status = 400 if form.errors else 200
    response = render(request, "consent/disclosure_check.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response
