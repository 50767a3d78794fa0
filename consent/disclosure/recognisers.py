"""The generic recognisers: what identifies someone in a text whoever they are, no registry needed.

Dates of birth, ages, ranks and military roles, units, North Korean places and hometowns, capture
details, facilities, e-mail addresses, serial and document numbers, phone numbers written beside a
phone word (Presidio's phonenumbers-based recogniser finds the others, see `phones`), and a surname
alone beside an age or a title ("Ri, 26", "Mr Ri", "리 하사"). Severities follow DESIGN-7: age, rank,
place, unit, facility, capture and a lone surname are QUASI; a birth date, a hometown, a phone, an
e-mail and a serial number are IDENTIFYING.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from consent.disclosure.data.vocabulary import (
    AMBIGUOUS_RANKS_EN,
    AMBIGUOUS_RANKS_KO,
    CAPTURE_EN,
    CAPTURE_KO,
    HONORIFICS_EN,
    NAMED_UNITS_EN,
    NAMED_UNITS_KO,
    NON_NAME_WORDS_EN,
    PARTICLES_KO,
    RANK_ABBREVIATIONS_EN,
    RANKS_EN,
    RANKS_KO,
    ROLES_EN,
    ROLES_KO,
    SERIAL_CONTEXT_EN,
    SERIAL_CONTEXT_KO,
    TITLES_KO,
)
from consent.disclosure.dates import DateMention
from consent.disclosure.findings import make
from consent.disclosure.names import NameCandidate, given_syllables, is_given_word, is_surname_word, is_title_before
from consent.disclosure.places import PlaceMention
from consent.disclosure.text import (
    Document,
    Script,
    Spans,
    Word,
    alternation,
    hangul_stems,
    has_hangul,
    without_particle,
)
from consent.disclosure.types import Finding, Kind, Severity
from matching.surnames import SURNAMES

IDENTIFYING, QUASI = Severity.IDENTIFYING, Severity.QUASI
_TITLE_WORDS_KO = frozenset((*TITLES_KO, *RANKS_KO, *ROLES_KO, *AMBIGUOUS_RANKS_KO))
_HANGUL_SURNAMES = frozenset((*SURNAMES, *(row.north_hangul for row in SURNAMES.values())))
MIN_AGE, MAX_AGE = 14, 79


# Dates of birth and years of birth.


def date_findings(
    document: Document, dates: Sequence[DateMention], candidates: Sequence[NameCandidate]
) -> Iterator[Finding]:
    """A date stated as a birth date (or in brackets right after a name) is a DATE_OF_BIRTH; a year of
    birth alone ("born in 1999", "99년생") an AGE."""
    text = document.text
    name_ends = {c.end for c in candidates}
    for mention in dates:
        bracketed = text[mention.start - 1 : mention.start] == "(" and any(
            0 <= mention.start - 1 - end <= 2 for end in name_ends
        )
        if not (mention.is_birth or (bracketed and mention.has_year)):
            continue
        if mention.has_month:
            yield make(text, mention.start, mention.end, Kind.DATE_OF_BIRTH, IDENTIFYING, "pattern_date_of_birth")
        elif mention.has_year:
            yield make(text, mention.start, mention.end, Kind.AGE, QUASI, "pattern_birth_year")


# Ages.

_NATIVE_TENS = "열|스물|스무|서른|마흔|쉰|예순|일흔"
_NATIVE_UNITS = "한|하나|두|둘|세|셋|네|넷|다섯|여섯|일곱|여덟|아홉"
_AGE_PATTERNS = (
    re.compile(r"(?<![0-9])(?P<age>[0-9]{1,2})[-\s]?(?:years?|yrs?)[-\s]old\b", re.IGNORECASE),
    re.compile(r"(?<![0-9])(?P<age>[0-9]{1,2})-year-old\b", re.IGNORECASE),
    re.compile(
        r"\b(?:aged|ages?(?: (?:as|of|is|was|given as))?|at the age of|at age)[:\s(]+"
        r"(?:about\s+|around\s+|roughly\s+|nearly\s+|almost\s+)?(?P<age>[0-9]{1,2})(?![0-9])",
        re.IGNORECASE,
    ),
    # "a man of 26", "his 26th birthday", "he will turn 27", "At 26, he ..."
    re.compile(
        r"\b(?:man|soldier|boy|prisoner|conscript|youth) of (?P<age>[0-9]{2})\b(?!\s?(?:%|years? (?:ago|later)))|"
        r"\b(?P<birthday>[0-9]{2})(?:st|nd|rd|th) birthday\b|\bwill turn (?P<turn>[0-9]{2})\b|"
        r"(?:^|[.!?,;]\s+|\n)at (?P<at>[0-9]{2}),\s",
        re.IGNORECASE,
    ),
    # An answer to "How old are you?" in an interview transcript.
    re.compile(r"\bhow old\b[^\n]{0,40}\n\s*(?:a:|answer:)?\s*(?P<age>[0-9]{1,2})\b", re.IGNORECASE),
    re.compile(r"(?<![0-9])(?P<age>[0-9]{1,2})\s?(?:y\.o\.|y/o\b|yo\b)", re.IGNORECASE),
    # "born '99", "Happy 22nd", "The youngest of them, 20, told"
    re.compile(
        r"\bborn\s+(?:in\s+)?['\u2019](?P<yy>[0-9]{2})\b|\bhappy\s+(?P<ordinal>[0-9]{2})(?:st|nd|rd|th)\b|"
        r"\b(?:youngest|oldest|eldest)\b[^.;\n]{0,30}?,\s(?P<listed>[0-9]{2}),",
        re.IGNORECASE,
    ),
    re.compile(r"(?:만\s?)?(?<![0-9])(?P<age>[0-9]{1,2})\s?(?:세|살)(?![0-9]|대|기|대의)"),
    re.compile(
        f"(?:{_NATIVE_TENS})(?:\\s?(?:{_NATIVE_UNITS}))?\\s?살|"
        f"(?:(?<=올해 )|(?<=나이는 )|(?<=나이가 ))(?:{_NATIVE_TENS})(?:{_NATIVE_UNITS})?"
        f"(?=이다|이었|이며|이고|\\.|,|\\s?살)"
    ),
    re.compile(
        r"\bin (?:his|her) (?:early|mid|late)?[-\s]?(?:teens|twenties|thirties|forties|fifties|[1-5]0s)\b",
        re.IGNORECASE,
    ),
    re.compile(r"(?<![0-9])[1-5]0대\s?(?:초반|중반|후반)?"),
)
_NUMBER_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy)(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
_ORDINAL_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy)[-\s](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|"
    r"(?:twent|thirt|fort|fift|sixt|sevent)ieth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth)"
)
_AGE_WORD_PATTERNS = (
    re.compile(rf"\b{_ORDINAL_WORD} birthday\b", re.IGNORECASE),
    re.compile(rf"\bhow old\b[^\n]{{0,40}}\n\s*(?:a:|answer:)?\s*{_NUMBER_WORD}\b", re.IGNORECASE),
    re.compile(rf"\b{_NUMBER_WORD}[-\s]years?[-\s]old\b", re.IGNORECASE),
    re.compile(
        rf"\b(?:aged|age of|age as|age was|age is|at the age of)\s+(?:about\s+)?{_NUMBER_WORD}\b", re.IGNORECASE
    ),
    re.compile(
        rf"\b(?:he|she|who|I) (?:is|was|am|turned|turns) (?:now |only |just )?{_NUMBER_WORD}\b"
        r"(?![-\s](?:years? (?:ago|later)|times|men|days|months|soldiers))",
        re.IGNORECASE,
    ),
)
# "he is 31", "who is now 22", "Min-gil is 18": an age stated of a person (not "is 31 kilometres").
_AGE_IS = re.compile(
    r"(?:'s|'m|,? is|,? was|,? am|,? turned|,? turns|,? would be|,? will be|, now)(?: now| only| just| about)? "
    r"(?P<age>[0-9]{2})\b"
    r"(?!\s?(?:%|percent|km|kilomet|miles|metres|meters|days|months|weeks|hours|times|men|soldiers|prisoners|"
    r"years? (?:ago|later)|:|[.,][0-9]))"
)
_AGE_IS_SUBJECTS = frozenset({"he", "she", "who"})
_NOT_AGE_SUBJECTS = frozenset(
    ["it", "this", "that", "there", "which", "what", "the", "unit", "camp", "room", "cell", "number", "total", "toll"]
)


def _is_person_subject(document: Document, offset: int) -> bool:
    """Whether the word ending at `offset` can be a person the age is stated of: he, she, who, or a name."""
    while offset > 0 and document.text[offset - 1] in ")\"'\u201d\u2019":  # Ri ("Myongil"), now 40
        offset -= 1
    words = document.words_between(max(0, offset - 40), offset)
    if not words or words[-1].end != offset:
        return False
    word = words[-1]
    return word.lower in _AGE_IS_SUBJECTS or (word.is_capitalised and word.lower not in _NOT_AGE_SUBJECTS)


_AGE_SUPERLATIVE = re.compile(
    r"\b(?:oldest|youngest|eldest|older|younger)\b[^.;\n]{0,40}?\b(?:at|aged)\s+(?P<age>[0-9]{2})\b(?!\s?(?:%|km|days|hours|times))",
    re.IGNORECASE,
)
# Words after which ", 26," is an age: ranks, roles and nouns for a person ("the sergeant, 35, said").
_PERSON_WORDS = frozenset(
    (
        *(r.split()[-1] for r in (*RANKS_EN, *ROLES_EN, *AMBIGUOUS_RANKS_EN)),
        *["prisoner", "soldier", "man", "woman", "interviewee", "detainee", "defector", "conscript", "captive", "boy"],
    )
)
_AGE_AFTER_NAME = re.compile(
    r",\s(?P<age>[0-9]{2})(?=\s?[,;)]|\.(?:\s|$)|\s(?:years|and)\b)|\s?\((?P<bracket>[0-9]{2})\)"
)
# "21, private, Unit 40001": a number opening a list whose next item is a rank or a person noun.
_AGE_BEFORE_RANK = re.compile(
    r"(?:^|(?<=[.;:\n]\s)|(?<=\n))(?P<age>[0-9]{2}),\s(?:a\s|an\s|the\s)?(?:former\s)?(?P<word>[a-z]+)"
)


def _matches(document: Document, pattern: re.Pattern[str], *, needs_digit: bool = True) -> Iterator[re.Match[str]]:
    """A pattern's matches, searched only around the text's digits when every match holds one."""
    if not needs_digit:
        yield from pattern.finditer(document.text)
        return
    for start, end in document.digit_windows:
        yield from pattern.finditer(document.text, start, end)


# The patterns with no digit in them (native numerals; "in his twenties"), with a word each needs.
_AGE_WITHOUT_DIGITS = {  # pattern index → a string the text must hold for the pattern to be worth a scan
    next(i for i, p in enumerate(_AGE_PATTERNS) if p.pattern.startswith("(?:열")): "",  # any Hangul text
    next(i for i, p in enumerate(_AGE_PATTERNS) if p.pattern.startswith(r"\bin (?:his")): "in h",
}


def _one_pattern(patterns: Sequence[re.Pattern[str]]) -> re.Pattern[str]:
    """Patterns as one alternation (one scan of the text instead of several); a group "x" of the i-th
    pattern becomes "age<i>x", so names stay unique and still end as they did."""
    alternatives = []
    for i, pattern in enumerate(patterns):
        renamed = re.sub(r"[(][?]P<([a-z]+)>", rf"(?P<age{i}\1>", pattern.pattern)
        alternatives.append(f"(?:{renamed})")
    return re.compile("|".join(alternatives), re.IGNORECASE)


_DIGIT_AGES = _one_pattern([p for i, p in enumerate(_AGE_PATTERNS) if i not in _AGE_WITHOUT_DIGITS])
_WORD_AGES = [(needed, _AGE_PATTERNS[i]) for i, needed in _AGE_WITHOUT_DIGITS.items()]


def age_findings(document: Document) -> Iterator[Finding]:
    text = document.text
    lower = text.lower()
    for match in _matches(document, _DIGIT_AGES):
        groups = [(name, value) for name, value in match.groupdict().items() if value]
        name = groups[0][0] if groups else ""
        if groups and not name.endswith("yy") and not MIN_AGE <= int(groups[0][1]) <= MAX_AGE:
            continue  # (a two-digit year of birth is any number)
        if name.endswith(("at", "turn", "birthday", "yy", "ordinal", "listed")):  # the number alone is the age
            yield make(text, match.start(name), match.end(name), Kind.AGE, QUASI, "pattern_age")
        else:
            yield make(text, match.start(), match.end(), Kind.AGE, QUASI, "pattern_age")
    for needed, pattern in _WORD_AGES:
        if (needed in lower) if needed else has_hangul(text):
            for match in pattern.finditer(text):
                yield make(text, match.start(), match.end(), Kind.AGE, QUASI, "pattern_age")
    for match in _matches(document, _AGE_IS):
        if MIN_AGE <= int(match.group("age")) <= MAX_AGE and _is_person_subject(document, match.start()):
            yield make(text, match.start("age"), match.end("age"), Kind.AGE, QUASI, "pattern_age")
    for match in _matches(document, _AGE_SUPERLATIVE):
        if MIN_AGE <= int(match.group("age")) <= MAX_AGE:
            yield make(text, match.start("age"), match.end("age"), Kind.AGE, QUASI, "pattern_age")
    if any(w in lower for w in ("twent", "thirt", "fort", "fift", "teen")):
        for pattern in _AGE_WORD_PATTERNS:
            for match in pattern.finditer(text):
                yield make(text, match.start(), match.end(), Kind.AGE, QUASI, "pattern_age")
    for match in _matches(document, _AGE_AFTER_NAME):
        before = document.words_between(max(0, match.start() - 40), match.start())
        if not before:
            continue
        word = before[-1]
        closing = text[word.end : match.start()] in (")", '")', "\u201d)", "')", "\u2019)", '"', "\u201d")
        personal = word.is_capitalised or word.script is Script.HANGUL or word.lower in _PERSON_WORDS
        if (word.end != match.start() and not closing) or not personal:
            continue
        group = "age" if match.group("age") else "bracket"
        if MIN_AGE <= int(match.group(group)) <= MAX_AGE:
            yield make(text, match.start(group), match.end(group), Kind.AGE, QUASI, "pattern_age_after_name")
    for match in _matches(document, _AGE_BEFORE_RANK):
        if MIN_AGE <= int(match.group("age")) <= MAX_AGE and (
            match.group("word") in _PERSON_WORDS or match.group("word") in _RANK_TABLE
        ):
            yield make(text, match.start("age"), match.end("age"), Kind.AGE, QUASI, "pattern_age_before_rank")


# Ranks and military roles.


def _phrase_table(phrases: Iterable[str]) -> dict[str, list[tuple[str, ...]]]:
    """Phrases by their first word, longest first: {"machine": [("machine", "gunner")], ...}."""
    table: dict[str, list[tuple[str, ...]]] = {}
    phrases = {*phrases, *(p.replace(" ", "-") for p in phrases if " " in p and "." not in p)}
    for phrase in sorted(phrases, key=lambda p: -len(p.split())):
        words = tuple(w.strip(".") for w in phrase.split())
        table.setdefault(words[0], []).append(words)
    return table


_RANK_TABLE = _phrase_table((*RANKS_EN, *ROLES_EN))
_ABBREVIATION_TABLE = _phrase_table(RANK_ABBREVIATIONS_EN)
_AMBIGUOUS_TABLE = _phrase_table(AMBIGUOUS_RANKS_EN)
_PHRASE_GAPS = frozenset({" ", "-", ". ", ".", "\u00a0"})
_FIRST_WORDS = frozenset((*_RANK_TABLE, *_ABBREVIATION_TABLE, *_AMBIGUOUS_TABLE))


def phrase_at(
    document: Document, word: Word, table: dict[str, list[tuple[str, ...]]], *, plural: bool = True
) -> Word | None:
    """The last word of the longest phrase of `table` starting at `word`; a plural last word only with
    `plural` ("snipers" is a group of people, not one person's role)."""
    first = word.lower
    phrases = table.get(first)
    if phrases is None and plural and first.endswith("s"):
        phrases = [p for p in table.get(first[:-1], ()) if len(p) == 1]
    if not phrases:
        return None
    for words in phrases:
        last: Word | None = word
        for expected in words[1:]:
            following = document.next(last) if last is not None else None
            if (
                following is None
                or document.gap(last, following) not in _PHRASE_GAPS  # type: ignore[arg-type]
                or following.lower not in ((expected, expected + "s") if plural else (expected,))
            ):
                last = None
                break
            last = following
        if last is not None:
            return last
    return None


_MILITARY_AFTER = re.compile(
    r"^[\s,]+(?:(?:first class|1st class)\b|(?:in|of|from|with|serving|who|assigned|attached|attached to|"
    r"belonging to|at)\b[^.;]{0,60}?\b(?:corps|brigade|division|regiment|battalion|company|platoon|unit|army|"
    r"kpa|forces|infantry|special|troops|military|battery|squad))",
    re.IGNORECASE,
)
_RANK_POSITION_BEFORE = re.compile(
    r"(?:promoted to|rank of|ranked as|rank was|rank is|rank:|served as|serving as|demoted to|his rank,)"
    r"\s*(?:a\s+|an\s+)?$",
    re.IGNORECASE,
)
_OFFICER_ADJECTIVE_AFTER = re.compile(r"^\s+(?:general|marshal)\b", re.IGNORECASE)
# Before an ambiguous word: an article, a possessive or an age ("a private", "his captain", "a 26-year-old major").
_DETERMINER_BEFORE = re.compile(
    r"\b(?:a|an|the|his|her|their|as a|as an|former|young|junior|senior|[0-9]{2}-year-old|(?:[0-9]{2}),)\s+$",
    re.IGNORECASE,
)
# After it, what a noun is followed by: punctuation, a preposition, a relative pronoun or a verb.
_NOUN_AFTER = re.compile(
    r"^(?:\s*[,.;:)\]]|\s+(?:in|of|from|with|at|who|whose|whom|that|serving|assigned|attached|belonging|and|"
    r"or|said|says|told|was|is|had|has|captured|taken|named|called|since|until|when|before|after|during|near|"
    r"we|i|he|she|they|you|whom)\b)",
    re.IGNORECASE,
)
_NOT_A_RANK_AFTER = re.compile(
    r"^\s+of\s+(?:the\s+)?(?:a\s+)?(?:fishing|boat|ship|vessel|team|club|trawler)\b", re.IGNORECASE
)


def _name_follows(document: Document, word: Word) -> bool:
    """Whether a surname or a Korean-shaped romanised name comes right after `word` ("Private Kim")."""
    following = document.next(word)
    if following is None or document.gap(word, following) not in (" ", ". ", "\u00a0"):
        return False
    return is_surname_word(following) or (
        following.is_capitalised and given_syllables(following.text) > 0 and following.lower not in NON_NAME_WORDS_EN
    )


def _name_precedes(document: Document, word: Word) -> bool:
    """Whether a capitalised romanised name word stands right before `word`, a comma between."""
    before = document.previous(word)
    return before is not None and before.is_capitalised and document.gap(before, word) == ", "


def _foreign_name_follows(document: Document, word: Word) -> bool:
    """Whether a non-Korean name comes right after a rank ("Captain Olena Shevchuk", "Col. Andriy Melnyk"):
    the rank is that officer's, not a protected person's."""
    following = document.next(word)
    if following is None or document.gap(word, following) not in (" ", ". ") or not following.is_capitalised:
        return False
    if is_surname_word(following) or len(following.text) == 1:  # "Sergeant R." is an initial
        return False
        return False
    second = document.next(following)
    words = [following] + (
        [second] if second is not None and second.is_capitalised and document.gap(following, second) == " " else []
    )
    return any(w.script is Script.LATIN and given_syllables(w.text) == 0 for w in words)


_LIST_OPENING = re.compile(r"(?:[(,;:\u2014\u2013]|[0-9]{2}[.,]| -|[a-z]\.|, the)\s?$")
_LOWER_CASE_ABBREVIATIONS = frozenset({"sgt", "cpl", "pfc", "pvt", "jr", "sr", "ssgt", "msgt"})


def _abbreviation_listed(document: Document, word: Word, last: Word) -> bool:
    """A capitalised rank abbreviation standing as an item of a list or a bracket: "(Sgt, 11 Corps)",
    "Ko Myong-chol — PFC, 11th Corps", "21. PFC." (not "col" or "lt" inside prose)."""
    if not word.text[:1].isupper() and word.lower not in _LOWER_CASE_ABBREVIATIONS:
        return False
    text = document.text
    after = text[last.end : last.end + 2]
    return bool(_LIST_OPENING.search(text[max(0, word.start - 6) : word.start])) and (
        after[:1] in (",", ")", ";") or after in (". ", ".\n", ".,", ".)") or last.end == len(text)
    )


def rank_findings(document: Document, hangul_name_spans: Sequence[tuple[int, int]]) -> Iterator[Finding]:
    text = document.text
    for word in document.words:
        if word.script is not Script.LATIN:
            continue
        lower = word.lower
        if lower not in _FIRST_WORDS:
            continue
        last = phrase_at(document, word, _RANK_TABLE, plural=False)
        if last is not None:
            if not _OFFICER_ADJECTIVE_AFTER.match(text[last.end : last.end + 12]) and not _foreign_name_follows(
                document, last
            ):
                yield make(text, word.start, last.end, Kind.RANK, QUASI, "vocabulary_rank")
            continue
        last = phrase_at(document, word, _ABBREVIATION_TABLE)
        if (
            last is not None
            and _abbreviation_listed(document, word, last)
            and not _foreign_name_follows(document, last)
            and not _name_follows(document, last)
        ):
            yield make(text, word.start, last.end, Kind.RANK, QUASI, "vocabulary_rank_listed")
            continue
        if last is not None and _name_follows(document, last) and not _foreign_name_follows(document, last):
            end = last.end + (1 if text[last.end : last.end + 1] == "." else 0)
            yield make(text, word.start, end, Kind.RANK, QUASI, "vocabulary_rank")
            continue
        last = phrase_at(document, word, _AMBIGUOUS_TABLE)
        if last is None:
            continue
        before = document.before(word.start, 40)
        after = text[last.end : last.end + 100]
        if (
            _OFFICER_ADJECTIVE_AFTER.match(after)
            or _NOT_A_RANK_AFTER.match(after)
            or _foreign_name_follows(document, last)
        ):
            continue
        determined = _DETERMINER_BEFORE.search(before) is not None
        listed = (
            before.endswith(", ")
            and (text[last.end : last.end + 1] == "," or _MILITARY_AFTER.match(after) is not None)
            and _name_precedes(document, word)
        )
        is_rank = (
            listed
            or (word.text[:1].isupper() and _name_follows(document, last))
            or (determined and (_MILITARY_AFTER.match(after) is not None or _NOUN_AFTER.match(after) is not None))
            or _RANK_POSITION_BEFORE.search(before) is not None
        )
        if is_rank:
            yield make(text, word.start, last.end, Kind.RANK, QUASI, "vocabulary_rank_position")
    yield from _korean_ranks(document, hangul_name_spans)


_RANKS_KO = frozenset((*RANKS_KO, *ROLES_KO))
_AMBIGUOUS_KO = frozenset(AMBIGUOUS_RANKS_KO)
# A rank written onto a name, with or without a particle after it: 리철수하사는, 김중사.
_GLUED_RANK_KO = re.compile(
    "(?P<rank>" + "|".join(sorted(_RANKS_KO, key=len, reverse=True)) + ")(?:" + "|".join(PARTICLES_KO) + ")?$"
)
_RANK_CONTEXT_KO = re.compile(r"(?:계급(?:은|이|이었던|인)?|직책(?:은|이)?)\s?:?\s?$")
_RANK_SERVICE_AFTER_KO = re.compile(r"^(?:로|으로)\s?(?:복무|근무|진급|입대|참전|파병)")


# Long ranks and roles written with spaces ("무인기 조종사", "정치 지도원").
_SPACED_RANKS_KO = re.compile(
    "|".join(r"\s?".join(rank) for rank in sorted((r for r in _RANKS_KO if len(r) >= 4), key=len, reverse=True))
)


def _korean_ranks(document: Document, hangul_name_spans: Sequence[tuple[int, int]]) -> Iterator[Finding]:
    text = document.text
    if has_hangul(text):
        for match in _SPACED_RANKS_KO.finditer(text):
            if " " in match.group():
                yield make(text, match.start(), match.end(), Kind.RANK, QUASI, "vocabulary_rank")
    name_ends = {end for _, end in hangul_name_spans}
    name_starts = {start for start, _ in hangul_name_spans}
    for word in document.words:
        if word.script is not Script.HANGUL:
            continue
        for stem, suffix in hangul_stems(word.text):
            end = word.start + len(stem)
            if stem in _RANKS_KO or stem.replace(" ", "") in _RANKS_KO:
                yield make(text, word.start, end, Kind.RANK, QUASI, "vocabulary_rank")
                break
            # A rank written onto a name: 리철수하사, 김중사
            if stem in _AMBIGUOUS_KO:
                previous, following = document.previous(word), document.next(word)
                beside_name = (
                    (previous is not None and previous.end in name_ends and document.gap(previous, word) == " ")
                    or (
                        previous is not None
                        and document.gap(previous, word) == " "
                        and previous.text in ("소속", *_HANGUL_SURNAMES)
                    )
                    or any(word.start - e in (0, 1) for e in name_ends)
                    or (following is not None and following.start in name_starts)
                )
                if (
                    beside_name
                    or _RANK_CONTEXT_KO.search(document.before(word.start, 12))
                    or _RANK_SERVICE_AFTER_KO.match(suffix + text[word.end : word.end + 6])
                ):
                    yield make(text, word.start, end, Kind.RANK, QUASI, "vocabulary_rank_position")
                break
        else:
            glued = _GLUED_RANK_KO.search(word.text)
            if glued is not None and glued.start() > 0:
                start = word.start + glued.start()
                yield make(text, start, start + len(glued.group("rank")), Kind.RANK, QUASI, "vocabulary_rank")


# Units.

_ORDINAL = r"[0-9]{1,3}(?:st|nd|rd|th)"
_UNIT_KINDS_EN = (
    r"(?:army\s+corps|corps|brigade|division|regiment|battalion|company|platoon|squad|detachment|army|battery)"
)
_UNIT_ADJECTIVES = (
    r"(?:army|light|infantry|airborne|sniper|special|operations|reconnaissance|recon|artillery|mechanised|"
    r"mechanized|tank|marine|storm|guards|motorised|motorized|rifle|assault|independent|engineer|signal|"
    r"air|assault|naval|\(?separate\)?)"
)
# Numbered units ("Unit 40001", "94th Brigade", "Brigade 94", "40001부대", "제11군단"), one scan.
_NUMBERED_UNIT = re.compile(
    "|".join(
        (
            r"\b(?:military\s+)?unit\s+(?:no\.?\s*|number\s+|#)?[0-9]{3,6}\b",
            rf"\b{_ORDINAL}\s+(?:{_UNIT_ADJECTIVES}\s+){{0,3}}{_UNIT_KINDS_EN}\b",
            r"\b(?:corps|brigade|division|regiment|battalion|company|platoon)\s+(?:no\.?\s*|#)?[0-9]{1,5}\b",
            r"\b[0-9]{3,6}(?:th|st|nd|rd)?\s+(?:military\s+)?unit\b",
            r"(?:제\s?)?[0-9]{1,6}\s?(?:번\s?)?(?:독립|경보병|보병|포병|공병|정찰|저격)?"
            r"(?:군단|사단|여단|려단|연대|련대|대대|중대|소대|분대|부대|구분대|훈련소)",
            r"[0-9]{3,6}\s?군부대",
            # Abbreviated: "6th Inf. Div.", "94th Bde", "3rd Bn.", "120th Arty Regt", "25th Engineer Bn", "94 Bde"
            rf"\b(?:{_ORDINAL}|[0-9]{{1,3}})\s+(?:(?:inf|lt\s?inf|sp|recon|arty|mech|{_UNIT_ADJECTIVES})\.?\s+)?"
            r"(?:div|bde|regt|rgt|bn|coy|plt)\b\.?",
            # A branch alone after an ordinal: "8th recon", "3rd artillery"
            rf"\b{_ORDINAL}\s+(?:recon|reconnaissance|artillery|engineers?|sappers|snipers?)\b",
        )
    ),
    re.IGNORECASE,
)
# A cardinal before a capitalised formation ("11 Corps", "94 Brigade"), case-sensitive: "12 corps" in
# running prose is a count.
_CARDINAL_UNIT = re.compile(r"\b[0-9]{1,3}\s(?:Corps|Brigade|Division|Regiment|Battalion|Army Corps)\b")
# Named formations ("Storm Corps", "폭풍군단"), which need no digit.
_NAMED_UNIT = re.compile(
    r"\b(?:" + alternation(NAMED_UNITS_EN) + r")\b|(?:" + "|".join(NAMED_UNITS_KO) + ")"
    # Korean formations of a branch, no number needed: 포병연대, 정찰대대, 포병련대
    r"|(?:포병|공병|정찰|보병|저격|통신|경보병|기계화|전차|특수|돌격)(?:연대|련대|대대|여단|려단|사단|중대)",
    re.IGNORECASE,
)


def unit_findings(document: Document) -> Iterator[Finding]:
    text = document.text
    for match in (
        *_matches(document, _NUMBERED_UNIT),
        *_matches(document, _CARDINAL_UNIT),
        *_matches(document, _NAMED_UNIT, needs_digit=False),
    ):
        yield make(text, match.start(), match.end(), Kind.UNIT, QUASI, "pattern_unit")


# Places.


def place_findings(document: Document, mentions: Sequence[PlaceMention]) -> Iterator[Finding]:
    text = document.text
    for mention in mentions:
        if mention.is_origin:
            yield make(text, mention.start, mention.end, Kind.PLACE_OF_ORIGIN, IDENTIFYING, "context_origin")
        else:
            yield make(text, mention.start, mention.end, Kind.PLACE, QUASI, "gazetteer_place")


# Capture.

_CAPTURE_EN = re.compile(
    r"\b(?:(?:" + alternation(CAPTURE_EN) + r")\b(?:\s+(?:prisoner|captive|into captivity|as a prisoner(?: of war)?))?|"
    r"(?:took|take|takes|taking)\s+(?:[\w'\u2019-]+\s+){0,4}?(?:prisoner|captive)s?\b)",
    re.IGNORECASE,
)
_CAPTURE_BY = re.compile(
    r"\s+by\s+(?:[\w'\u2019-]+\s+){0,4}?(?:forces|troops|soldiers|marines|paratroopers|units?|brigade|army|"
    r"servicemen|border guards|special forces)\b",
    re.IGNORECASE,
)
_CAPTURE_PLACE = re.compile(
    r",?\s+(?:near|in|at|outside|around|close to|on the outskirts of|not far from|north of|south of|east of|"
    r"west of)\s+(?:the\s+)?(?:(?:village|town|city|settlement)\s+of\s+)?"
    r"(?P<place>[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,2}(?:\s+(?:region|oblast|area|district|province|"
    r"front|direction|sector|border|village))?)"
)
_CAPTURE_DATE = re.compile(r",?\s+(?:on|in|during|early|late|at the end of|in early|in late|in mid-?)?\s*(?:the\s+)?")
_MONTHS_EN = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
# A month alone as the time of capture: "in early January", "in March 2025" is a DateMention already.
_CAPTURE_MONTH = re.compile(
    rf",?\s+(?P<when>(?:on|in|during|at the end of)\s+(?:the\s+)?(?:(?:early|late|mid)[-\s])?(?:{_MONTHS_EN})\b)",
    re.IGNORECASE,
)
_DATE_LEAD_BEFORE = re.compile(r"(?:^|\b(?:on|in|since|early|late)\s+|^\s*)$", re.IGNORECASE)
_DATE_BEFORE_DISTANCE = 100


def capture_findings(document: Document, dates: Sequence[DateMention]) -> Iterator[Finding]:
    """Where and when someone was captured: the places and dates after a capture word ("captured near
    Kursk on 9 January"), and a date opening the sentence before one ("On 9 January, paratroopers took
    two men prisoner")."""
    text = document.text
    date_starts = {d.start: d for d in dates}
    for match in _CAPTURE_EN.finditer(text):
        position = match.end()
        by = _CAPTURE_BY.match(text, position)
        if by is not None:
            position = by.end()
        start = end = -1
        for _ in range(3):
            place = _CAPTURE_PLACE.match(text, position)
            if place is not None:
                if start < 0:
                    start = place.start("place")
                end = position = place.end("place")
                continue
            lead = _CAPTURE_DATE.match(text, position)
            offset = lead.end() if lead else position
            date = date_starts.get(offset)
            if date is not None and lead is not None and lead.group().strip(", "):
                if start < 0:
                    start = date.start
                end = position = date.end
                continue
            month = _CAPTURE_MONTH.match(text, position)
            if month is not None:
                if start < 0:
                    start = month.start("when")
                end = position = month.end("when")
                continue
            break
        if start >= 0:
            yield make(text, start, end, Kind.CAPTURE, QUASI, "context_capture")
        sentence = document.sentence_of(match.start())
        floor = max(document.sentence_starts[sentence], match.start() - _DATE_BEFORE_DISTANCE)
        before = [d for d in dates if floor <= d.start and d.end <= match.start() and not d.is_birth]
        if before:
            date = before[-1]
            if _DATE_LEAD_BEFORE.search(text[max(floor, date.start - 12) : date.start]):
                yield make(text, date.start, date.end, Kind.CAPTURE, QUASI, "context_capture")
    yield from _korean_capture(document, dates)


_CAPTURE_TRIGGER_KO = re.compile("|".join(CAPTURE_KO))
_CAPTURE_PLACE_WORDS_KO = frozenset(
    {"지역", "인근", "근처", "부근", "일대", "방면", "전선", "마을", "일원", "주", "州"}
)


_AGENT_ENDINGS_KO = ("군에", "군에게", "에게", "한테", "군에게서", "부대에")
_COUNTRIES_KO = frozenset({"우크라이나", "러시아", "북한", "한국", "중국", "남한", "조선"})
_TIME_WORDS_KO = frozenset(
    {
        "년",
        "월",
        "일",
        "초",
        "말",
        "중순",
        "상순",
        "하순",
        "경",
        "지난해",
        "작년",
        "올해",
        "지난달",
        "이달",
        "지난주",
        "당시",
    }
)
_CASE_PARTICLES_KO = ("은", "는", "이", "가", "을", "를", "의", "도", "와", "과", "고", "며", "다")


def _korean_capture(document: Document, dates: Sequence[DateMention]) -> Iterator[Finding]:
    """The place and date before a capture word: "2025년 2월 말라야 로크냐 인근에서 포로로 잡혔다"."""
    text = document.text
    for match in _CAPTURE_TRIGGER_KO.finditer(text):
        sentence = document.sentence_of(match.start())
        words = [w for w in document.words_between(max(0, match.start() - 80), match.start()) if w.sentence == sentence]
        included: list[Word] = []
        for word in reversed(words):
            bare = without_particle(word.text) if word.script is Script.HANGUL else word.text
            suffix = word.text[len(bare) :]
            if word.script is Script.HANGUL and word.text.endswith(_AGENT_ENDINGS_KO):
                continue  # "우크라이나군에 붙잡힌": by whom, not where
            is_locative = word.script is Script.HANGUL and suffix in ("에서", "에", "서", "에서의")
            is_date = (
                word.script is Script.NUMBER
                or any(d.start <= word.start < d.end for d in dates)
                or word.text in _TIME_WORDS_KO
            )
            is_chained = (
                bool(included)
                and text[word.end : included[-1].start] == " "
                and word.script in (Script.HANGUL, Script.LATIN)
                and not word.text.endswith(_CASE_PARTICLES_KO)
            )
            if is_date or is_locative or bare in _CAPTURE_PLACE_WORDS_KO or is_chained:
                included.append(word)
                continue
            break
        if included and not all(without_particle(w.text) in _COUNTRIES_KO for w in included):
            yield make(text, included[-1].start, included[0].end, Kind.CAPTURE, QUASI, "context_capture")


# E-mail addresses, phone numbers beside a phone word, serial numbers.

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
_EMAIL_SPELLED = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+\s?[\[(]at[\])]\s?[A-Za-z0-9-]+(?:\s?[\[(]dot[\])]\s?[A-Za-z0-9-]+)+", re.IGNORECASE
)
# A phone number written beside a phone word (Presidio finds the others): the number first, then the word.
_PHONE_NUMBER = re.compile(r"(?<![0-9+])\+?\(?[0-9][0-9 ()\-.\u2010-\u2013]{5,18}[0-9](?![0-9])")
_PHONE_BEFORE = re.compile(
    r"(?:\b(?:tel|phone|telephone|mobile|cell|cellphone|call|whatsapp|telegram|signal|viber|contact|number)\b|"
    r"전화|연락처|휴대폰|핸드폰|휴대전화|번호)[^0-9+\n]{0,16}$",
    re.IGNORECASE,
)
# A serial or document number: a code with three digits or more, right after a context phrase.
_SERIAL_CODE = re.compile(
    r"(?<![\w/-])(?=[A-Za-z0-9\-/ ]*[0-9]{3})(?:[A-Za-z]{1,4}[-/ ]?)?[0-9][0-9A-Za-z\-/]{1,20}(?:[ ][0-9]{2,8})?"
)
_SERIAL_BEFORE = re.compile(
    r"(?:"
    + alternation(SERIAL_CONTEXT_EN)
    + r")s?\b[^\S\n]*(?:(?:is|was|reads|of|no\.?|number|:|#|-|\.)[^\S\n]*){0,3}$",
    re.IGNORECASE,
)
_SERIAL_KO = re.compile(
    r"(?:"
    + "|".join(re.escape(s) for s in SERIAL_CONTEXT_KO)
    + r")\s?(?:번호)?\s?(?:은|는|이|가|:|-)?\s?"
    + r"(?P<code>(?=[A-Za-z0-9\-/ ]*[0-9]{3})(?:[A-Za-z]{1,4}[-/ ]?)?[0-9][0-9A-Za-z\-/]{1,20})"
)


_ORGANISATION_CONTEXT = re.compile(
    r"(?:press office|press desk|media (?:contact|enquiries|inquiries|relations|office)|for (?:further|more) "
    r"information|contact us|hotline|switchboard|helpline|secretariat|newsroom|general enquiries|"
    r"communications (?:office|team|department)|our office|the office|"
    r"문의|언론 담당|보도 담당|대변인실|홍보실|대표 전화)"
)
_PERSONAL_CONTEXT = re.compile(
    r"\b(?:his|her|him|hers|family|relatives?|mother|father|brother|sister|wife|husband|son|daughter|uncle|aunt|"
    r"cousin|parents?)\b|가족|어머니|아버지|형|누나|아내|동생|부모|친척|본인"
)
_ORGANISATION_MAILBOXES = frozenset(
    [
        "press",
        "media",
        "info",
        "contact",
        "office",
        "communications",
        "news",
        "enquiries",
        "inquiries",
        "pr",
        "secretariat",
        "hotline",
        "newsroom",
        "comms",
        "help",
        "support",
        "admin",
    ]
)


def is_organisation_contact(document: Document, start: int, end: int) -> bool:
    """A phone number or e-mail address published as an organisation's contact ("Media enquiries: ...",
    press@...), not a person's: it does not identify anyone (advisory only)."""
    text = document.text
    if "@" in text[start:end] and text[start:end].split("@")[0].lower().strip(".") in _ORGANISATION_MAILBOXES:
        return True
    before = document.before(start, 100)
    return bool(_ORGANISATION_CONTEXT.search(before)) and not _PERSONAL_CONTEXT.search(before)


def contact_findings(document: Document) -> Iterator[Finding]:
    text = document.text
    if "@" in text or "[at]" in text.lower() or "(at)" in text.lower():
        for pattern in (_EMAIL, _EMAIL_SPELLED):
            for match in pattern.finditer(text):
                yield contact(document, match.start(), match.end(), Kind.EMAIL, "pattern_email")
    for match in _matches(document, _PHONE_NUMBER):
        number = match.group()
        if sum(c.isdigit() for c in number) >= 7 and _PHONE_BEFORE.search(
            text[max(0, match.start() - 40) : match.start()]
        ):
            yield contact(document, match.start(), match.end(), Kind.PHONE, "pattern_phone")
    for match in _matches(document, _SERIAL_CODE):
        if _SERIAL_BEFORE.search(text[max(0, match.start() - 48) : match.start()]):
            code = match.group().rstrip("-/ ")
            yield make(
                text, match.start(), match.start() + len(code), Kind.SERIAL_NUMBER, IDENTIFYING, "pattern_serial"
            )
    for pattern in (_SERIAL_KO,):
        for match in _matches(document, pattern):
            code = match.group("code").rstrip("-/ ")
            yield make(
                text,
                match.start("code"),
                match.start("code") + len(code),
                Kind.SERIAL_NUMBER,
                IDENTIFYING,
                "pattern_serial",
            )


def contact(document: Document, start: int, end: int, kind: Kind, rule: str) -> Finding:
    """A phone or e-mail finding: identifying, or advisory when it is an organisation's published contact."""
    if is_organisation_contact(document, start, end):
        return make(document.text, start, end, kind, Severity.ADVISORY, "organisation_contact")
    return make(document.text, start, end, kind, IDENTIFYING, rule)


# A surname alone beside an age or a title: "Ri, 26", "Mr Ri", "Sergeant Pak", "리 하사", "김씨".


def _rank_title_before(document: Document, word: Word) -> bool:
    """Whether a military rank, not a civil honorific, stands right before `word` ("Sergeant Pak", "Pvt. Kim")."""
    before = document.previous(word)
    if before is None or not is_title_before(document, word):
        return False
    return before.lower not in HONORIFICS_EN


_SURNAME_AS_SUBJECT = re.compile(
    r"^(?:,\s(?:who|whose)\b|\s(?:said|says|told|added|wrote|asked|explained|recalled|replied|insisted|admitted|"
    r"described|stated|is|was|has|had)\b)"
)


def surname_findings(document: Document, candidates: Sequence[NameCandidate]) -> Iterator[Finding]:
    """A lone surname beside an age or a military title; and, once one is, the same surname standing
    alone as the subject elsewhere ("Ho, 30, a scout ... Ho, who asked not to be named, ...")."""
    text = document.text
    korean_spans = Spans((c.start, c.end) for c in candidates if c.is_korean)
    lone: list[Word] = []
    established: set[str] = set()
    for word in document.words:
        if word.script is Script.LATIN and is_surname_word(word):
            if korean_spans.strictly_contains(word.start, word.end):
                continue
            following = document.next(word)
            if following is not None and document.gap(word, following) == " " and is_given_word(following):
                continue
            lone.append(word)
            after = text[word.end : word.end + 8]
            if _rank_title_before(document, word) or re.match(r",\s[0-9]{2}(?:\s?[,;)]|\s)|\s?\([0-9]{2}\)", after):
                established.add(word.text)
                yield make(text, word.start, word.end, Kind.SURNAME, QUASI, "context_surname")
        elif word.script is Script.HANGUL:
            for stem, suffix in hangul_stems(word.text):
                if not 1 <= len(stem) <= 2 or stem not in _HANGUL_SURNAMES:
                    continue
                following = document.next(word)
                titled_after = suffix and any(
                    suffix.startswith(t)
                    for t in ("씨", "님", "동무", "하사", "중사", "상사", "전사", "소위", "중위", "대위", "상등병")
                )
                spaced = (
                    not suffix
                    and following is not None
                    and document.gap(word, following) == " "
                    and any(s in _TITLE_WORDS_KO for s, _ in hangul_stems(following.text))
                )
                if titled_after or spaced:
                    yield make(text, word.start, word.start + len(stem), Kind.SURNAME, QUASI, "context_surname")
                break
    for word in lone:
        if word.text in established and _SURNAME_AS_SUBJECT.match(text[word.end : word.end + 12]):
            yield make(text, word.start, word.end, Kind.SURNAME, QUASI, "context_surname_again")
