"""Registered persons in a text: name candidates verified against the registry's answers, then every
value of the persons found (and of the linked ones) looked for exhaustively.

Verification is cheap first: a candidate and a registered name must share a blocking key
(`matching.keys.name_keys`) before the scorer (`matching.score.is_match`, ~2.7 ms a cold pair) is
asked, and an alias is verified by equal compact forms only. A person's own values then identify
wherever they appear: the given name alone ("Chol-su said"), the surname alone, aliases, family
members' names, the date of birth in any format, the place of origin, unit, facilities and serial
number (IDENTIFYING), and the rank (QUASI).

The text is indexed once (`TextIndex`: candidates by key and compact form, given-name stretches by
skeleton, surname words by surname class, Hangul stems), so each person costs a few dictionary
look-ups, not a pass over the text.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from consent.disclosure.data.vocabulary import (
    AMBIGUOUS_RANKS_EN,
    AMBIGUOUS_RANKS_KO,
    ENGLISH_SURNAME_HOMOGRAPHS,
    RANK_ABBREVIATIONS_EN,
    RANK_EQUIVALENTS,
    RANKS_EN,
    RANKS_KO,
    ROLES_EN,
    ROLES_KO,
    TITLES_KO,
)
from consent.disclosure.dates import DateMention
from consent.disclosure.findings import make
from consent.disclosure.names import (
    NameCandidate,
    capitalised_runs,
    given_syllables,
    is_given_word,
    is_lower_given,
    is_lower_surname,
    is_title_before,
    to_cyrillic,
    to_latin,
)
from consent.disclosure.places import PlaceMention, places_named
from consent.disclosure.text import Document, Script, Spans, Word, hangul_stems, has_hangul
from consent.disclosure.types import Finding, Kind, NameRecord, PersonRecord, Severity
from matching.hangul import southern
from matching.keys import given_skeletons, name_keys, surname_classes
from matching.names import Script as NameScript
from matching.names import parse
from matching.normal import compact, tokens
from matching.romanise import revised_syllable
from matching.score import is_match
from matching.surnames import SURNAME_READINGS, normalise, surname, surnames_for_reading

IDENTIFYING, QUASI = Severity.IDENTIFYING, Severity.QUASI
MAX_GIVEN_SYLLABLES = 3
_PRONOUN_SURNAMES_KO = frozenset({"나 ", "이 "})
_TITLE_WORDS_KO = frozenset((*TITLES_KO, *RANKS_KO, *ROLES_KO, *AMBIGUOUS_RANKS_KO))
# Every rank and role the generic recogniser knows; a person's rank outside it is searched for itself.
RANK_VOCABULARY = frozenset(
    (*RANKS_EN, *ROLES_EN, *AMBIGUOUS_RANKS_EN, *RANK_ABBREVIATIONS_EN, *RANKS_KO, *ROLES_KO, *AMBIGUOUS_RANKS_KO)
)


@functools.lru_cache(maxsize=1 << 14)
def alias_forms(name: str) -> frozenset[str]:
    """The compact forms an alias is known by: as written, its first word moved last, transliterated."""
    words = tokens(name)
    forms = {"".join(words)}
    if len(words) > 1:
        forms.add("".join(words[1:] + words[:1]))
    forms |= {compact(to_latin(f)) for f in list(forms)} | {compact(to_cyrillic(f)) for f in list(forms)}
    return frozenset(f for f in forms if f)


@functools.lru_cache(maxsize=1 << 14)
def _keys(name: str) -> frozenset[str]:
    return name_keys(name)


_compact = functools.lru_cache(maxsize=1 << 14)(compact)


@functools.lru_cache(maxsize=1 << 14)
def _surname_readings(word: str) -> frozenset[str]:
    return SURNAME_READINGS.get(normalise(word), frozenset())


@functools.lru_cache(maxsize=1 << 14)
def _given_parts(name: str) -> tuple[str, frozenset[str], str]:
    """A written name's given-name compact form (romanised names only), given-name skeletons, and its
    surname romanised (the DPRK spelling of a Hangul surname)."""
    try:
        parsed = parse(name)
    except ValueError:
        return "", frozenset(), ""
    skeletons = given_skeletons("-".join(parsed.given)) if parsed.given else frozenset()
    family = parsed.surname
    if parsed.script is NameScript.HANGUL:
        row = surname(parsed.surname)
        family = row.north if row is not None else ""
    return _given_compact(name), skeletons, family


@functools.lru_cache(maxsize=1 << 14)
def _given_compact(name: str) -> str:
    """The compact form of a romanised name's given name ("Ri Su Hyon" → "suhyon"); "" for Hangul or none."""
    if not name.isascii():
        return ""
    try:
        parsed = parse(name)
    except ValueError:
        return ""
    return compact("".join(parsed.given))


def name_record(person: PersonRecord) -> NameRecord:
    """A person's written names as the registry gives them for verification."""
    names = [
        f"{person.family_name} {person.given_name}".strip(),
        f"{person.family_name_hangul}{person.given_name_hangul}".strip(),
        *(alias.strip() for alias in person.aliases),
    ]
    return NameRecord(person.person_id, tuple(n for n in names if n), tuple(person.family_member_names))


_SEPARATORS = re.compile(r"[\s,\-\u2010\u2011]+")


class Phrases:
    """The text folded for phrase search (lower case, runs of spaces, commas and hyphens as one space),
    with each folded character's offset in the original, so a phrase is found with `str.find`."""

    def __init__(self, text: str) -> None:
        lowered = text.lower()
        if len(lowered) != len(text):  # a letter whose lower case is longer (İ): fold it alone
            lowered = "".join(c.lower()[:1] or c for c in text)
        self.text = _SEPARATORS.sub(" ", lowered)
        # Where each stretch of the folded text starts, there and in the original: (folded, original).
        folded_starts = [0]
        original_starts = [0]
        removed = 0
        for match in _SEPARATORS.finditer(lowered):
            removed += len(match.group()) - 1
            folded_starts.append(match.end() - removed)
            original_starts.append(match.end())
        self._folded_starts = folded_starts
        self._original_starts = original_starts
        self._found: dict[str, tuple[tuple[int, int], ...]] = {}

    def _original(self, folded: int) -> int:
        index = bisect.bisect_right(self._folded_starts, folded) - 1
        return self._original_starts[index] + folded - self._folded_starts[index]

    def find(self, phrase: str) -> tuple[tuple[int, int], ...]:
        """Every whole-word occurrence of `phrase`, as spans of the original text (kept for the check:
        persons who share a hometown or a camp ask for the same phrase)."""
        found = self._found.get(phrase)
        if found is None:
            found = self._found[phrase] = tuple(self._find(phrase))
        return found

    def _find(self, phrase: str) -> Iterator[tuple[int, int]]:
        needle = _SEPARATORS.sub(" ", phrase.strip().lower())
        if not needle:
            return
        start = self.text.find(needle)
        while start >= 0:
            end = start + len(needle)
            before = self.text[start - 1] if start else " "
            after = self.text[end] if end < len(self.text) else " "
            if not before.isalnum() and not after.isalnum():
                yield self._original(start), self._original(end - 1) + 1
            start = self.text.find(needle, start + 1)


@dataclass
class TextIndex:
    """The text's name-like material, indexed once for every person's search."""

    document: Document
    candidates: Sequence[NameCandidate]
    by_key: dict[str, list[NameCandidate]] = field(default_factory=dict)
    by_compact: dict[str, list[NameCandidate]] = field(default_factory=dict)
    stretches: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)  # given skeleton → spans
    surnames: dict[str, list[Word]] = field(default_factory=dict)  # surname class → Latin words
    stems: dict[str, list[tuple[Word, str]]] = field(default_factory=dict)  # Hangul stem → (word, suffix)
    names: Spans = field(default_factory=lambda: Spans(()))
    lower: str = ""  # the text in lower case, for cheap "is it there at all" checks
    _phrases: Phrases | None = None
    _hangul_given: dict[str, list[tuple[int, int, str]]] | None = None
    _hangul_skeletons: dict[str, list[tuple[int, int]]] | None = None
    dates_by_year: dict[int | None, list[DateMention]] = field(default_factory=dict)
    given: list[NameCandidate] = field(default_factory=list)  # the given-name-alone candidates
    whole_words: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    code_runs: tuple[tuple[str, tuple[int, ...], frozenset[int], frozenset[int]], ...] | None = None
    given_by_compact: dict[str, list[NameCandidate]] = field(default_factory=dict)
    given_by_skeleton: dict[str, list[NameCandidate]] = field(default_factory=dict)
    has_hangul: bool = False

    @property
    def phrases(self) -> Phrases:
        """The folded text for phrase search, built on first use."""
        if self._phrases is None:
            self._phrases = Phrases(self.document.text)
        return self._phrases

    def hangul_skeletons(self) -> dict[str, list[tuple[int, int]]]:
        """One or two Hangul words (the last without its particle) by consonant skeleton, built on first
        use: where a foreign alias written in Hangul is looked for."""
        if self._hangul_skeletons is None:
            self._hangul_skeletons = {}
            words = [w for w in self.document.words if w.script is Script.HANGUL and len(w.text) >= 2]
            for i, word in enumerate(words):
                stretches: list[tuple[Word, ...]] = [(word,)]
                if i + 1 < len(words) and self.document.gap(word, words[i + 1]) == " ":
                    stretches.append((word, words[i + 1]))
                for stretch in stretches:
                    for stem, _suffix in hangul_stems(stretch[-1].text):
                        if len(stem) >= 2:
                            span = (stretch[0].start, stretch[-1].start + len(stem))
                            written = self.document.text[span[0] : stretch[-1].start] + stem
                            self._hangul_skeletons.setdefault(consonant_skeleton(written), []).append(span)
        return self._hangul_skeletons

    def hangul_given(self) -> dict[str, list[tuple[int, int, str]]]:
        """Hangul stems of one to three syllables by given-name skeleton (built on first use: only a
        person recorded without a Hangul given name needs it)."""
        if self._hangul_given is None:
            self._hangul_given = {}
            for stem, entries in self.stems.items():
                if 1 <= len(stem) <= MAX_GIVEN_SYLLABLES:
                    for skeleton in given_skeletons(stem):
                        for word, _suffix in entries:
                            self._hangul_given.setdefault(skeleton, []).append(
                                (word.start, word.start + len(stem), stem)
                            )
        return self._hangul_given

    @classmethod
    def of(cls, document: Document, candidates: Sequence[NameCandidate]) -> TextIndex:
        index = cls(document, candidates, lower=document.text.lower())
        for candidate in candidates:
            for key in candidate.keys:
                index.by_key.setdefault(key, []).append(candidate)
            for form in candidate.compacts:
                index.by_compact.setdefault(form, []).append(candidate)
            if candidate.is_korean and _compact(candidate.form):
                index.by_compact.setdefault(_compact(candidate.form), []).append(candidate)
        # A spaced Hangul name whose surname word is also a pronoun or "this" ("나 성민이야": "it's me,
        # Song-min") does not hide the given name inside it.
        index.names = Spans(
            (c.start, c.end)
            for c in candidates
            if c.is_korean and document.text[c.start : c.start + 2] not in _PRONOUN_SURNAMES_KO
        )
        index.given = [c for c in candidates if c.is_given]
        for candidate in index.given:
            for form in candidate.compacts:
                index.given_by_compact.setdefault(form, []).append(candidate)
            for skeleton in given_skeletons(candidate.form.replace(" ", "-")):
                index.given_by_skeleton.setdefault(skeleton, []).append(candidate)
        index.has_hangul = has_hangul(document.text)
        for run in capitalised_runs(document):
            for i in range(len(run)):
                for j in range(i, min(i + MAX_GIVEN_SYLLABLES, len(run))):
                    words = run[i : j + 1]
                    if not is_given_word(words[-1]):
                        break
                    if sum(given_syllables(w.text) for w in words) > MAX_GIVEN_SYLLABLES:
                        break
                    start, end = words[0].start, words[-1].end
                    text = document.text[start:end]
                    for skeleton in given_skeletons(text.replace(" ", "-")):
                        index.stretches.setdefault(skeleton, []).append((start, end, text))
        # A text that types a name in lower case (a chat, field notes) may type the others so too.
        lower_case = any(candidate.is_lower_case for candidate in candidates)
        if lower_case:
            index._lower_case_stretches()
        for word in document.words:
            if word.script is Script.LATIN and (
                (word.text[:1].isupper() and word.text != "I") or (lower_case and is_lower_surname(word.text))
            ):
                for cls_ in _surname_readings(word.text):
                    index.surnames.setdefault(cls_, []).append(word)
            elif word.script is Script.HANGUL:
                for stem, suffix in hangul_stems(word.text):
                    index.stems.setdefault(stem, []).append((word, suffix))
        return index

    def _lower_case_stretches(self) -> None:
        """Given names typed in lower case ("jinhak", "hyang-mi", "jin hak"): one to three words of two or
        three syllables in all, the first not an English word, indexed like capitalised ones."""
        document = self.document
        words = document.words
        for index, word in enumerate(words):
            if word.script is not Script.LATIN or not is_lower_given(word.text, first=True):
                continue
            syllables = 0
            for end_index in range(index, min(index + MAX_GIVEN_SYLLABLES, len(words))):
                last = words[end_index]
                if end_index > index and (
                    document.gap(words[end_index - 1], last) != " " or not is_lower_given(last.text, first=False)
                ):
                    break
                syllables += given_syllables(last.text)
                if syllables > MAX_GIVEN_SYLLABLES:
                    break
                if syllables >= 2:
                    text = document.text[word.start : last.end]
                    for skeleton in given_skeletons(text.replace(" ", "-")):
                        self.stretches.setdefault(skeleton, []).append((word.start, last.end, text))

    def given_candidates_for(self, name: str) -> Iterator[NameCandidate]:
        """Given-name-alone candidates that are this written name's given name: equal compact forms, or
        (another romanisation) a shared given-name skeleton and the scorer's agreement once the name's own
        surname is put before the candidate."""
        if not self.given:
            return
        form, skeletons, family = _given_parts(name)
        seen: set[int] = set()
        for candidate in self.given_by_compact.get(form, ()) if form else ():
            seen.add(id(candidate))
            yield candidate
        if not family:
            return
        for skeleton in skeletons:
            for candidate in self.given_by_skeleton.get(skeleton, ()):
                if id(candidate) not in seen and is_match(f"{family} {candidate.form}", name):
                    seen.add(id(candidate))
                    yield candidate

    def candidates_for(self, name: str) -> Iterator[NameCandidate]:
        """Candidates that are this written name: keys shared and the scorer agrees, or compact forms equal."""
        seen: set[int] = set()
        for key in _keys(name):
            for candidate in self.by_key.get(key, ()):
                if id(candidate) not in seen and is_match(candidate.form, name):
                    seen.add(id(candidate))
                    yield candidate
        for form in alias_forms(name):
            for candidate in self.by_compact.get(form, ()):
                if id(candidate) not in seen and not candidate.is_given:
                    seen.add(id(candidate))
                    yield candidate


@dataclass
class Match:
    """Persons a span was verified against, and whether as a family member's name."""

    start: int
    end: int
    persons: set[int] = field(default_factory=set)
    family_of: set[int] = field(default_factory=set)


def verify(index: TextIndex, records: Iterable[NameRecord]) -> dict[tuple[int, int], Match]:
    """Every candidate span verified against the registry's records, keyed by span."""
    matches: dict[tuple[int, int], Match] = {}
    for record in records:
        for name in record.names:
            for candidate in (*index.candidates_for(name), *index.given_candidates_for(name)):
                span = (candidate.start, candidate.end)
                matches.setdefault(span, Match(*span)).persons.add(record.person_id)
        for name in record.family_member_names:
            for candidate in (*index.candidates_for(name), *index.given_candidates_for(name)):
                span = (candidate.start, candidate.end)
                matches.setdefault(span, Match(*span)).family_of.add(record.person_id)
    return matches


# The exhaustive search of one person's values.


@dataclass(frozen=True)
class Profile:
    """What of one person the text could disclose, prepared for searching.

    `latin_family` and `hangul_families` are the surname in each script, as recorded or, when only the
    other script is recorded, as the variant table spells it (리 → Ri; Ri → 이, 리): a given name alone
    is scored with the surname put back in its own script."""

    person: PersonRecord
    latin_family: str
    hangul_families: tuple[str, ...]
    names: tuple[str, ...]  # full names as recorded, romanised and Hangul
    surname_classes: frozenset[str]
    given_skeletons: frozenset[str]

    @classmethod
    def of(cls, person: PersonRecord) -> Profile:
        roman = f"{person.family_name} {person.given_name}".strip()
        hangul = f"{person.family_name_hangul}{person.given_name_hangul}".strip()
        classes = surname_classes(person.family_name) | surname_classes(person.family_name_hangul)
        skeletons: set[str] = set()
        for given in (person.given_name, person.given_name_hangul):
            if given.strip():
                skeletons |= given_skeletons(given.replace(" ", "-"))
        latin = person.family_name.strip()
        if not latin and person.family_name_hangul:
            row = surname(person.family_name_hangul.strip())
            latin = row.north if row is not None else ""
        families: tuple[str, ...] = (person.family_name_hangul.strip(),) if person.family_name_hangul.strip() else ()
        if not families and latin:
            families = tuple(sorted(surnames_for_reading(latin)))
        return cls(
            person,
            latin,
            families,
            tuple(n for n in (roman, hangul) if n),
            frozenset(classes),
            frozenset(skeletons),
        )


def _given_alone(index: TextIndex, profile: Profile) -> Iterator[tuple[int, int]]:
    """The person's given name written alone: "Chol-su", "Cheol Su", "철수는" (not inside a longer name)."""
    if not profile.names:
        return
    seen: set[tuple[int, int]] = set()
    if profile.latin_family:
        for skeleton in profile.given_skeletons:
            for start, end, given in index.stretches.get(skeleton, ()):
                if (start, end) in seen or index.names.strictly_contains(start, end):
                    continue
                seen.add((start, end))
                if any(is_match(f"{profile.latin_family} {given}", name) for name in profile.names):
                    yield start, end
    given_hangul = profile.person.given_name_hangul
    if given_hangul:
        for form in {given_hangul, southern(given_hangul)}:
            for word, _suffix in index.stems.get(form, ()):
                span = (word.start, word.start + len(form))
                if not index.names.strictly_contains(*span, from_before=True):
                    yield span
    elif profile.hangul_families:
        for skeleton in profile.given_skeletons:
            for start, end, stem in index.hangul_given().get(skeleton, ()):
                if (start, end) in seen or index.names.strictly_contains(start, end, from_before=True):
                    continue
                seen.add((start, end))
                if any(is_match(family + stem, name) for family in profile.hangul_families for name in profile.names):
                    yield start, end


_SPEECH_AFTER = re.compile(
    r"^(?:\s?\([0-9]{2}\)|,\s[0-9]{2}\b|,\s(?:who|whose)\b|\s(?:said|says|told|added|wrote|asked|explained|recalled|replied|continued|"
    r"insisted|admitted|described|stated)\b)"
)


def _surname_alone(index: TextIndex, profile: Profile) -> Iterator[tuple[int, int]]:
    """The person's surname written alone: "Ri said", "Mr Ri", "리 하사는", "리씨" (not inside a longer name)."""
    document = index.document
    for cls_ in profile.surname_classes:
        for word in index.surnames.get(cls_, ()):
            if index.names.strictly_contains(word.start, word.end):
                continue
            following = document.next(word)
            if following is not None and document.gap(word, following) == " " and is_given_word(following):
                continue  # the start of another name
            if word.lower in ENGLISH_SURNAME_HOMOGRAPHS and not (
                is_title_before(document, word) or _SPEECH_AFTER.match(document.text[word.end : word.end + 12])
            ):
                continue  # "So", "Son", "Moon" as English words
            yield word.start, word.end
    # As recorded, or as the variant table spells a surname recorded only in Latin letters (Pak → 박).
    for form in {f for hangul in profile.hangul_families for f in (hangul, southern(hangul))} - {""}:
        for word, suffix in index.stems.get(form, ()):
            following = document.next(word)
            titled = bool(suffix) and any(suffix.startswith(t) for t in TITLES_KO)
            spaced = (
                not suffix
                and following is not None
                and document.gap(word, following) == " "
                and any(s in _TITLE_WORDS_KO for s, _ in hangul_stems(following.text))
            )
            if titled or spaced:
                yield word.start, word.start + len(form)


@functools.lru_cache(maxsize=4096)
def _member_profile(name: str) -> Profile | None:
    """A family member's written name as a profile of its own, for finding the given name alone."""
    try:
        parsed = parse(name)
    except ValueError:
        return None
    if not parsed.given:
        return None
    if parsed.script is NameScript.HANGUL:
        person = PersonRecord(person_id=0, family_name_hangul=parsed.surname, given_name_hangul=parsed.given_text)
    else:
        person = PersonRecord(person_id=0, family_name=parsed.surname, given_name="-".join(parsed.given))
    return Profile.of(person)


def _family_given_alone(index: TextIndex, family_names: Sequence[str]) -> Iterator[tuple[int, int]]:
    """A family member's given name alone ("his sister Ok-hui"), scored with the member's surname."""
    for name in family_names:
        profile = _member_profile(name)
        if profile is not None:
            yield from _given_alone(index, profile)


def _date_of_birth(index: TextIndex, person: PersonRecord) -> Iterator[tuple[int, int, Kind]]:
    if not person.date_of_birth:
        return
    year = person.date_of_birth[:4]
    for mention in (
        *index.dates_by_year.get(int(year) if year.isdigit() else -1, ()),
        *index.dates_by_year.get(None, ()),
    ):
        if not mention.has_year and not mention.is_birth:
            continue  # "24 February" is a birthday only when said to be one
        if mention.agrees_with(person.date_of_birth):
            if mention.has_month:
                yield mention.start, mention.end, Kind.DATE_OF_BIRTH
            elif mention.is_birth:
                yield mention.start, mention.end, Kind.AGE


def _origin(index: TextIndex, places: Sequence[PlaceMention], person: PersonRecord) -> Iterator[tuple[int, int]]:
    if not person.place_of_origin:
        return
    named = places_named(person.place_of_origin)
    wanted = {place.hangul for place in named if place.kind != "province"} or {p.hangul for p in named}
    for mention in places:
        if any(place.hangul in wanted for place in mention.places):
            yield mention.start, mention.end
    # The person's own place in any spelling, even where a generic reading is not sure it is a place
    # (무산 is also "come to nothing"): the person is in the text.
    for place in named:
        if place.hangul not in wanted:
            continue
        for word, _suffix in index.stems.get(place.hangul, ()):
            yield word.start, word.start + len(place.hangul)
        for spelling in place.spellings:
            yield from index.phrases.find(spelling)
    if not named:
        yield from index.phrases.find(person.place_of_origin.split(",")[0])


def _unit(index: TextIndex, person: PersonRecord) -> Iterator[tuple[int, int]]:
    """The person's unit, whole or by its parts ("94th Brigade, 11th Army Corps": either formation),
    and a unit number of four digits or more wherever it stands."""
    if not person.unit:
        return
    text = index.document.text
    phrases, numbers = _unit_parts(person.unit)
    for phrase in phrases:
        yield from index.phrases.find(phrase)
    for number in numbers:
        position = text.find(number)
        while position >= 0:
            end = position + len(number)
            if not text[position - 1 : position].isdigit() and not text[end : end + 1].isdigit():
                yield position, end
            position = text.find(number, end)


@functools.lru_cache(maxsize=4096)
def _unit_parts(unit: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A recorded unit's formations ("94th Brigade", "11th Army Corps") and unit numbers of 4-6 digits."""
    parts = [p.strip() for p in re.split(r",|;| of the | of |/|\(|\)", unit) if p.strip()]
    phrases = [re.sub(r"^the\s+", "", part, flags=re.IGNORECASE) for part in parts]
    kept = [p for p in phrases if len(p) > 4 or any(c.isdigit() for c in p)]
    # The formation without its number when a branch word says which ("120th Artillery Regiment" →
    # "Artillery Regiment"): "he served with an artillery regiment".
    for phrase in list(kept):
        bare = re.sub(r"^(?:no\.?\s*)?[0-9]+(?:st|nd|rd|th)?\s+", "", phrase, flags=re.IGNORECASE)
        if bare != phrase and len(bare.split()) >= 2 and bare.split()[0].lower() in _BRANCH_WORDS:
            kept.append(bare)
    return tuple(kept), tuple(re.findall(r"[0-9]{4,6}", unit))


_BRANCH_WORDS = frozenset(
    {"artillery", "engineer", "reconnaissance", "sniper", "infantry", "light", "tank", "signal", "assault", "mortar"}
)


def rank_forms(rank: str) -> frozenset[str]:
    """A recorded rank in every form the text may use: "하사" → 하사, junior sergeant, jr sgt, ..."""
    value = rank.strip()
    forms = {value.lower()}
    for korean, english in RANK_EQUIVALENTS.items():
        if value == korean or value.lower() in english:
            forms.add(korean)
            forms.update(english)
    return frozenset(f for f in forms if f)


def _rank(index: TextIndex, person: PersonRecord, generic: Sequence[Finding]) -> Iterator[tuple[int, int]]:
    """The person's rank where the generic recogniser found a rank (in rank position, for the ambiguous
    words), and a recorded rank outside the vocabulary wherever it is written."""
    if not person.rank:
        return
    forms = rank_forms(person.rank)
    text = index.document.text
    for finding in generic:
        if text[finding.start : finding.end].lower().rstrip(".") in forms:
            yield finding.start, finding.end
    for form in forms - RANK_VOCABULARY:
        if form.isascii() and len(form) >= 3:
            yield from index.phrases.find(form)
        elif not form.isascii():
            for word, _suffix in index.stems.get(form, ()):
                yield word.start, word.start + len(form)


_SKELETON_CLASSES = (
    ("shch", "S"), ("kh", "H"), ("ts", "S"), ("ch", "S"), ("sh", "S"), ("zh", "S"), ("ph", "P"), ("th", "T"),
    ("b", "P"), ("p", "P"), ("f", "P"), ("v", "P"), ("w", "P"), ("k", "K"), ("g", "K"), ("c", "K"), ("q", "K"),
    ("x", "KS"), ("h", "H"), ("t", "T"), ("d", "T"), ("s", "S"), ("z", "S"), ("j", "S"), ("r", "L"), ("l", "L"),
    ("m", "M"), ("n", "N"),
)  # fmt: skip
_SKELETON = re.compile("|".join(latin for latin, _ in _SKELETON_CLASSES))
_SKELETON_OF = dict(_SKELETON_CLASSES)


@functools.lru_cache(maxsize=4096)
def consonant_skeleton(text: str) -> str:
    """The consonants of a name in coarse classes, vowels dropped and repeats merged, in any script:
    "Viktor Pavlov", "Виктор Павлов" and the Korean loanword spelling "빅토르 파블로프" all give "PKTLPLP".
    How a Russian name written in Hangul is recognised as the alias recorded in Latin or Cyrillic."""
    if has_hangul(text):
        text = "".join(revised_syllable(c) if "\uac00" <= c <= "\ud7a3" else c for c in text)
    letters = to_latin(text) if any("\u0400" <= c <= "\u04ff" for c in text) else text.lower()
    classes = "".join(_SKELETON_OF[m.group()] for m in _SKELETON.finditer(letters.replace("ng", "n")))
    return "".join(c for i, c in enumerate(classes) if i == 0 or classes[i - 1] != c)


def _hangul_aliases(index: TextIndex, person: PersonRecord) -> Iterator[tuple[int, int]]:
    """A foreign alias written in Hangul ("빅토르 파블로프" for Viktor Pavlov): one or two Hangul words of two
    syllables or more whose consonant skeleton is the alias's (five consonants at least)."""
    wanted = {consonant_skeleton(a) for a in person.aliases if not _keys(a) and not has_hangul(a)}
    for skeleton in wanted:
        if len(skeleton) >= 5:
            yield from index.hangul_skeletons().get(skeleton, ())


_ALIAS_WORD = re.compile(r"[A-Z\u0400-\u042f][\w'\u2019-]{3,}")
_NICKNAME = re.compile(r"[A-Z\u0400-\u042f][\w'\u2019-]{2,}")


def _alias_words(index: TextIndex, person: PersonRecord) -> Iterator[tuple[int, int]]:
    """Each capitalised word of four letters or more of a foreign alias, and a one-word nickname, written
    alone: "Namsaraev" for the alias Aleksei Namsaraev, "Sunny", "Kom", "꼬마야" (a Korean-shaped alias
    is a name and found as one)."""
    for alias in person.aliases:
        alias = alias.strip()
        if has_hangul(alias):
            if " " not in alias and 2 <= len(alias) <= 4:  # a nickname: 꼬마이에요
                for stem_word, _suffix in index.stems.get(alias, ()):
                    yield stem_word.start, stem_word.start + len(alias)
            continue
        if any(not key.startswith("?") for key in _keys(alias)):
            continue  # Korean-shaped ("?" opens the key of a name with no Korean surname)
        pattern = _NICKNAME if " " not in alias else _ALIAS_WORD
        for written in {m.group() for m in pattern.finditer(alias)}:
            yield from _whole_words(index, written)


def _facilities(index: TextIndex, person: PersonRecord) -> Iterator[tuple[int, int]]:
    """The person's facilities as recorded, and by their own name alone ("Drohobych" for "Drohobych POW
    camp": "I am in Drohobych now")."""
    for facility in person.facilities:
        variant = re.sub(r"^the\s+", "", facility.strip(), flags=re.IGNORECASE)
        if variant:
            yield from index.phrases.find(variant)
        core = _facility_name(variant)
        if core and core != variant:
            yield from index.phrases.find(core)
        for short in _facility_short_forms(variant):
            yield from _whole_words(index, short)


_FACILITY_ACRONYM_WORD = re.compile(r"\b(?!(?:No|Nr|of|the|and)\b)[A-Z][a-z]+")
_FACILITY_NUMBER_PART = re.compile(r"\b(?:No\.?|Nr\.?|Number|#)?\s*([0-9]{1,4})\b")


def _facility_short_forms(facility: str) -> frozenset[str]:
    """A recorded facility's initials as staff write them: "Holding Centre No. 4" → HC-4, HC4, HC 4;
    "Birch Hill Camp" → BHC; and, for three words or more, its first two ("Western Transit" of
    "Western Transit Point", written "Western Transit Pt")."""
    if not facility.isascii():
        return frozenset()
    words = _FACILITY_ACRONYM_WORD.findall(facility)
    forms: set[str] = set()
    if len(words) >= 2:
        initials = "".join(word[0] for word in words)
        number = _FACILITY_NUMBER_PART.search(facility)
        if number is not None:
            forms |= {f"{initials}-{number.group(1)}", f"{initials}{number.group(1)}", f"{initials} {number.group(1)}"}
        else:
            forms.add(initials)
    if len(words) >= 3:
        forms.add(" ".join(words[:2]))
    return frozenset(forms)


def _whole_words(index: TextIndex, phrase: str) -> tuple[tuple[int, int], ...]:
    """Case-sensitive whole-word occurrences of `phrase` (initials are capitals: "BHC", not "bhc"),
    kept for the check: persons who share a camp or a nickname ask for the same one."""
    found = index.whole_words.get(phrase)
    if found is None:
        text = index.document.text
        pattern = r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])"
        found = tuple(m.span() for m in re.finditer(pattern, text)) if phrase in text else ()
        index.whole_words[phrase] = found
    return found


_FACILITY_GENERIC = re.compile(
    r"\b(?:pow|prisoner[- ]of[- ]war|camp|detention|centre|center|pre-trial|hospital|military|regional|central|"
    r"clinical|prison|colony|penal|correctional|facility|holding|filtration|no\.?|number|the|of|in|near)\b|[0-9]+",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=4096)
def _facility_name(facility: str) -> str:
    """A recorded facility's own name, its generic words dropped ("Drohobych POW camp" → "Drohobych");
    "" when nothing distinctive is left (Camp No. 3), or in Hangul (searched whole)."""
    if not facility.isascii():
        return ""
    rest = " ".join(_FACILITY_GENERIC.sub(" ", facility).split())
    return rest if len(rest) >= 4 and rest[:1].isupper() else ""


_CODE_RUN = re.compile(r"[A-Za-z0-9]+(?:[-/. ][A-Za-z0-9]+)*")


def _code_runs(text: str) -> tuple[tuple[str, tuple[int, ...], frozenset[int], frozenset[int]], ...]:
    """Runs of letters and digits with their single separators dropped: the characters, where each one
    was, and which positions of the run start and end a written token (a serial is matched whole tokens)."""
    runs = []
    for match in _CODE_RUN.finditer(text):
        if not any(c.isdigit() for c in match.group()):
            continue
        normal: list[str] = []
        positions: list[int] = []
        starts: set[int] = set()
        ends: set[int] = set()
        previous_alnum = False
        for offset, char in enumerate(match.group()):
            if char.isalnum():
                if not previous_alnum:
                    starts.add(len(normal))
                normal.append(char.upper())
                positions.append(match.start() + offset)
                previous_alnum = True
            else:
                ends.add(len(normal))
                previous_alnum = False
        ends.add(len(normal))
        runs.append(("".join(normal), tuple(positions), frozenset(starts), frozenset(ends)))
    return tuple(runs)


def _serial(index: TextIndex, person: PersonRecord) -> Iterator[tuple[int, int]]:
    wanted = re.sub(r"[^A-Za-z0-9]", "", person.serial_number).upper()
    if len(wanted) < 4:
        return
    if index.code_runs is None:  # once per check: a process-wide cache would keep the texts checked
        index.code_runs = _code_runs(index.document.text)
    for normal, positions, starts, ends in index.code_runs:
        found = normal.find(wanted)
        while found >= 0:
            if found in starts and found + len(wanted) in ends:
                yield positions[found], positions[found + len(wanted) - 1] + 1
            found = normal.find(wanted, found + 1)


def person_findings(
    index: TextIndex,
    profiles: Sequence[Profile],
    dates: Sequence[DateMention],
    places: Sequence[PlaceMention],
    generic: Sequence[Finding],
) -> Iterator[Finding]:
    """Every value of these persons in the text, as findings naming the person."""
    document = index.document
    text = document.text
    ranks = [f for f in generic if f.kind is Kind.RANK]
    index.dates_by_year = {}
    for mention in dates:
        for year in {y for y, _, _ in mention.readings}:
            index.dates_by_year.setdefault(year, []).append(mention)
    for profile in profiles:
        person = profile.person
        pid = (person.person_id,)
        record = name_record(person)
        for name in record.names:
            for candidate in index.candidates_for(name):
                yield make(text, candidate.start, candidate.end, Kind.NAME, IDENTIFYING, "person_name", pid)
        for name in record.family_member_names:
            for candidate in index.candidates_for(name):
                yield make(
                    text, candidate.start, candidate.end, Kind.FAMILY_NAME, IDENTIFYING, "person_family_name", pid
                )
        for start, end in _given_alone(index, profile):
            yield make(text, start, end, Kind.NAME, IDENTIFYING, "person_given_name", pid)
        for start, end in _alias_words(index, person):
            yield make(text, start, end, Kind.NAME, IDENTIFYING, "person_alias_word", pid)
        if profile.person.aliases and index.has_hangul:
            for start, end in _hangul_aliases(index, person):
                yield make(text, start, end, Kind.NAME, IDENTIFYING, "person_alias_in_hangul", pid)
        for start, end in _family_given_alone(index, record.family_member_names):
            yield make(text, start, end, Kind.FAMILY_NAME, IDENTIFYING, "person_family_given_name", pid)
        for start, end in _surname_alone(index, profile):
            yield make(text, start, end, Kind.SURNAME, IDENTIFYING, "person_surname", pid)
        for start, end, kind in _date_of_birth(index, person):
            severity = IDENTIFYING if kind is Kind.DATE_OF_BIRTH else QUASI
            yield make(text, start, end, kind, severity, "person_date_of_birth", pid)
        for start, end in _origin(index, places, person):
            yield make(text, start, end, Kind.PLACE_OF_ORIGIN, IDENTIFYING, "person_place_of_origin", pid)
        for start, end in _unit(index, person):
            yield make(text, start, end, Kind.UNIT, IDENTIFYING, "person_unit", pid)
        for start, end in _rank(index, person, ranks):
            yield make(text, start, end, Kind.RANK, QUASI, "person_rank", pid)
        for start, end in _facilities(index, person):
            yield make(text, start, end, Kind.FACILITY, IDENTIFYING, "person_facility", pid)
        for start, end in _serial(index, person):
            yield make(text, start, end, Kind.SERIAL_NUMBER, IDENTIFYING, "person_serial_number", pid)
