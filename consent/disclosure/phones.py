"""Phone numbers, found by Presidio's `PhoneRecognizer` (python-phonenumbers), offline.

Wiring (SECURITY_NOTES, DESIGN-7): one `AnalyzerEngine` per process, built lazily on the first
call (spaCy's import costs about a second: never at Django start-up). Its NLP engine is a
`SpacyNlpEngine` whose pipeline is `spacy.blank("en")`, set directly; `load()` does nothing, so
`spacy.load` and its model download are never reached. Its registry holds `PhoneRecognizer` alone:
no spaCy NER recogniser, and none of Presidio's e-mail or URL recognisers, which call `tldextract`
and would fetch a suffix list from the internet (e-mail addresses are our own regex, in
`recognisers`).

Presidio reads only the stretches of the text around a run of seven or more digits. Run over a
whole 5,000-word text it costs about 300 ms (phonenumbers tries each region on every digit run, and
the context enhancer walks every token for each result); over the stretches, a few milliseconds.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Any

REGIONS = ("KR", "KP", "UA", "RU", "CN", "US", "GB", "DE", "FR", "CH", "PL", "JP")
_DIGIT_RUN = re.compile(r"\+?\(?[0-9][0-9 ()\-.\u2010-\u2013/]{5,24}[0-9]")
_DATE_LIKE = re.compile(
    r"^(?:(?:19|20)[0-9]{2}[-./ ]+[0-9]{1,2}[-./ ]+[0-9]{1,2}|[0-9]{1,2}[-./ ]+[0-9]{1,2}[-./ ]+(?:19|20)[0-9]{2})\.?$"
)
_CONTEXT_CHARS = 24
_MIN_DIGITS = 7
NATIONAL, INTERNATIONAL = "PHONE_NUMBER", "INTERNATIONAL_PHONE_NUMBER"


@functools.cache
def analyzer() -> Any:
    """The process's Presidio analyzer: a blank English spaCy pipeline and the phone recogniser only."""
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer
    from spacy.lang.en.stop_words import STOP_WORDS

    class BlankSpacyNlpEngine(SpacyNlpEngine):
        """spaCy's blank English pipeline (a tokenizer, no model), never loaded from disk or the network."""

        def __init__(self) -> None:
            super().__init__(models=[{"lang_code": "en", "model_name": "blank"}])
            self.nlp = {"en": spacy.blank("en")}  # type: ignore[assignment]

        def load(self) -> None:
            """Nothing to load: the pipeline is set in the constructor (spacy.load would download)."""

        def is_stopword(self, word: str, language: str) -> bool:
            return word.lower() in STOP_WORDS

        def is_punct(self, word: str, language: str) -> bool:
            return not any(c.isalnum() for c in word)

    class NoContextEnhancer(ContextAwareEnhancer):
        """Scores are not used (every phone number found is reported), so context words need no search;
        the default enhancer walks every token of the text for each result."""

        def __init__(self) -> None:
            super().__init__(0.0, 0.0, 0, 0)

        def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):  # type: ignore[no-untyped-def]
            return raw_results

    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(PhoneRecognizer(supported_regions=REGIONS, supported_language="en"))
    # A number written with its country code (+82 ...) parses without a default region: one pass, not twelve.
    registry.add_recognizer(
        PhoneRecognizer(supported_regions=("ZZ",), supported_language="en", supported_entity=INTERNATIONAL)
    )
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=BlankSpacyNlpEngine(),
        supported_languages=["en"],
        context_aware_enhancer=NoContextEnhancer(),
    )


def _windows(text: str) -> list[tuple[int, int, bool]]:
    """Stretches around digit runs long enough to be a phone number, overlapping ones merged, and whether
    every number in the stretch starts with its country code."""
    windows: list[tuple[int, int, bool]] = []
    for match in _DIGIT_RUN.finditer(text):
        if sum(c.isdigit() for c in match.group()) < _MIN_DIGITS or _DATE_LIKE.match(match.group()):
            continue
        start = max(0, match.start() - _CONTEXT_CHARS)
        end = min(len(text), match.end() + _CONTEXT_CHARS)
        international = match.group().startswith("+")
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end, windows[-1][2] and international)
        else:
            windows.append((start, end, international))
    return windows


_SEPARATOR = "\n\nxxxxx\n\n"  # between stretches: letters end any phone number candidate


def find_phones(text: str) -> list[tuple[int, int]]:
    """(start, end) of every phone number Presidio finds in the text: one analysis for the stretches whose
    numbers carry a country code, one for the others."""
    spans: list[tuple[int, int]] = []
    windows = _windows(text)
    for entity, international in ((INTERNATIONAL, True), (NATIONAL, False)):
        chosen = [(s, e) for s, e, i in windows if i is international]
        if not chosen:
            continue
        joined = _SEPARATOR.join(text[s:e] for s, e in chosen)
        origins: list[tuple[int, int]] = []  # (offset in `joined`, offset in `text`) of each stretch
        position = 0
        for s, e in chosen:
            origins.append((position, s))
            position += e - s + len(_SEPARATOR)
        for result in analyzer().analyze(joined, language="en", entities=[entity]):
            index = bisect.bisect_right([o for o, _ in origins], result.start) - 1
            offset, origin = origins[index]
            spans.append((origin + result.start - offset, origin + result.end - offset))
    return sorted(set(spans))
