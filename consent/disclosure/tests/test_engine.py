"""The engine as a whole: one registry call per question, linked persons, reports and errors that
never carry text of the document."""

from __future__ import annotations

import logging

import pytest

from consent.disclosure import engine
from consent.disclosure.engine import DisclosureCheckError, analyse
from consent.disclosure.memory_registry import InMemoryRegistry
from consent.disclosure.tests.registry import PERSONS, registry
from consent.disclosure.types import Kind


def test_the_registry_is_asked_once_per_question():
    lookup = registry()
    text = (
        "Ri Chol Su and Pak Song-il, born on 12 April 1999, were captured. Kim Ok-hui wrote. "
        "리철수는 웃었다. Ivan Petrov, Chol-su and Ri met again; Lee Cheol-su said nothing."
    )
    analyse(text, lookup, linked_person_ids=[3])
    assert lookup.calls == ["name_candidates", "date_of_birth_candidates", "details"]


def test_a_text_with_no_candidates_asks_the_registry_nothing():
    lookup = registry()
    analyse("the weather was fine.", lookup)
    assert lookup.calls == []


def test_the_registry_is_asked_with_deduplicated_forms():
    class Counting(InMemoryRegistry):
        asked: tuple[list[str], list[str]] = ([], [])

        def name_candidates(self, keys, compacts):
            self.asked = (list(keys), list(compacts))
            return super().name_candidates(keys, compacts)

    lookup = Counting(PERSONS)
    analyse("Ri Chol Su met Ri Chol Su. Ri Chol Su left. Ivan Petrov and Ivan Petrov.", lookup)
    keys, compacts = lookup.asked
    assert len(keys) == len(set(keys)) and len(compacts) == len(set(compacts))
    assert keys.count("이:JOLSO") == 1


def test_linked_persons_are_searched_without_being_named():
    result = analyse("He was born on 12.04.1999 and served with the 94th Brigade.", registry(), linked_person_ids=[1])
    kinds = {f.kind for f in result.findings if 1 in f.person_ids}
    assert {Kind.DATE_OF_BIRTH, Kind.UNIT} <= kinds


def test_unknown_linked_persons_are_ignored():
    assert analyse("Nothing about anyone.", registry(), linked_person_ids=[999]).is_clean


def test_a_clean_text_is_clean():
    result = analyse("The delegation visited the camp and spoke to the detaining authorities.", registry())
    assert result.is_clean
    assert result.findings == ()


def test_the_report_says_how_many_persons_were_checked_and_how_long_it_took():
    result = analyse("Ri Chol Su was interviewed.", registry())
    assert result.persons_checked == 1
    assert {"recognisers", "registry", "verify", "total"} <= set(result.timings_ms)


def test_a_failure_raises_without_any_text_of_the_document(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("not a Hangul name: '리철수'")

    monkeypatch.setattr(engine, "find_places", broken)
    with pytest.raises(DisclosureCheckError) as caught:
        analyse("리철수는 회령 출신이다.", registry())
    assert "리철수" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_nothing_is_logged(caplog):
    caplog.set_level(logging.DEBUG)
    analyse("Ri Chol Su, +82 10-2345-6789, 리철수 하사, Ivan Petrov, born 12 April 1999.", registry())
    for record in caplog.records:
        message = record.getMessage()
        assert "Chol" not in message and "리철수" not in message and "2345" not in message
