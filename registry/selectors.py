"""Reads of cases, always scoped by the access policy. Names are searched through blind indexes."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.policy import Action, Actor, case_access_q
from passage.errors import CaseMerged, PersonErased
from protection.stages import Stage
from registry.models import Case, Custody, Erasure
from registry.search_terms import (
    COMPACT,
    NAME_KEY,
    PERSON_TABLE,
    SURNAME_YEAR,
    TOKEN,
    PersonNames,
    QueryForms,
    names_match,
    query_forms,
)
from vault.models import BlindIndex
from vault.services import blind_index_values


def cases_visible_to(actor: Actor, action: Action = Action.VIEW) -> QuerySet[Case]:
    return Case.objects.filter(case_access_q(actor, action))


def _index_hits(index: str, forms: list[str]) -> QuerySet[BlindIndex]:
    values = blind_index_values(PERSON_TABLE, "name", index, forms)
    return BlindIndex.objects.filter(table=PERSON_TABLE, name=index, value__in=values)


def _candidate_filter(forms: QueryForms) -> Q:
    """Cases whose person has blind-index rows for the query: every word, or the whole name."""
    condition = Q(pk__in=[])
    if forms.tokens:
        every_word = Q()
        for token in forms.tokens:
            every_word &= Q(person__data_key__in=_index_hits(TOKEN, [token]).values("data_key_id"))
        condition |= every_word
    if forms.compact:
        compacts = [forms.compact, *sorted(forms.extra)]
        condition |= Q(person__data_key__in=_index_hits(COMPACT, compacts).values("data_key_id"))
    if forms.surname_year:
        condition |= Q(person__data_key__in=_index_hits(SURNAME_YEAR, [forms.surname_year]).values("data_key_id"))
    if forms.keys:
        condition |= Q(person__data_key__in=_index_hits(NAME_KEY, sorted(forms.keys)).values("data_key_id"))
    return condition


def _verified_ids(cases: QuerySet[Case], forms: QueryForms) -> list[int]:
    """Decrypt the candidates' names and keep those that really match (blind indexes collide)."""
    limit = int(settings.PASSAGE_SEARCH_CANDIDATE_LIMIT)
    candidates = cases.select_related("person__data_key").prefetch_related("person__aliases")[:limit]
    matched: list[int] = []
    for case in candidates:
        person = case.person
        names = PersonNames(
            family_name=person.family_name,
            given_name=person.given_name,
            family_name_hangul=person.family_name_hangul,
            given_name_hangul=person.given_name_hangul,
            aliases=tuple(alias.name for alias in person.aliases.all()),
            date_of_birth=person.date_of_birth,
        )
        if names_match(forms, names):
            matched.append(case.pk)
    return matched


def case_list(
    *,
    actor: Actor,
    query: str = "",
    stage: str = "",
    organisation_slug: str = "",
) -> QuerySet[Case]:
    cases = cases_visible_to(actor).filter(is_erased=False, merged_into__isnull=True)
    if stage:
        cases = cases.filter(stage=stage)
    if organisation_slug:
        cases = cases.filter(organisation__slug=organisation_slug)
    if query.strip():
        upper = query.strip().upper()
        if upper.startswith("PSG-"):
            cases = cases.filter(reference__startswith=upper)
        else:
            forms = query_forms(query)
            candidates = cases.filter(_candidate_filter(forms))
            cases = Case.objects.filter(pk__in=_verified_ids(candidates, forms))
    return cases.order_by("-updated_at", "reference")


def case_rows(case_ids: list[int]) -> list[Case]:
    """The cases of one page, fully loaded, in the given order.

    Lists sort and count the narrow case rows only (`case_list(...).values_list("pk")`), then load
    the wide, encrypted person rows of the page alone."""
    rows = {
        case.pk: case
        for case in Case.objects.filter(pk__in=case_ids).select_related("person__data_key", "organisation")
    }
    return [rows[pk] for pk in case_ids if pk in rows]


def case_get(*, actor: Actor, reference: str, action: Action = Action.VIEW, channel: str = "web") -> Case:
    """The case, or 404 when it does not exist or the actor may not `action` it; 410 once erased."""
    try:
        case = (
            cases_visible_to(actor, action)
            .select_related("person__data_key", "organisation", "merged_into")
            .prefetch_related(
                "person__aliases",
                Prefetch("custody_records", queryset=Custody.objects.select_related("person__data_key")),
                "assignments__team__organisation",
            )
            .get(reference=reference.strip().upper())
        )
    except Case.DoesNotExist:
        from registry.services import case_record_denied

        case_record_denied(actor=actor, reference=reference, action=str(action), channel=channel)
        raise Http404("No case found.") from None
    if case.merged_into is not None:
        raise CaseMerged(reference=case.reference, merged_into=case.merged_into.reference)
    if case.person.is_erased:
        erasure = Erasure.objects.filter(reference=case.reference).first()
        raise PersonErased(reference=case.reference, erased_at=erasure.erased_at if erasure else None)
    return case


def caseload_by_stage(*, actor: Actor) -> list[tuple[Stage, int]]:
    visible = cases_visible_to(actor).filter(is_erased=False, merged_into__isnull=True)
    counts = dict(visible.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    return [(stage, counts.get(stage.value, 0)) for stage in Stage]
