"""North Korean places in a text (the gazetteer of `data.gazetteer`), and whether the context makes one
a hometown ("a native of Hoeryong", "from Musan county", "회령 출신", "고향은 청진").

A place is a PLACE quasi-identifier; in an origin context it is the person's PLACE_OF_ORIGIN, which
identifies. Spellings are compared folded (case, breves, apostrophes, hyphens and spaces dropped), so
"Hoeryŏng", "HOERYONG" and "Hoe-ryong" are one. Korean place-name morphology counts too where the
gazetteer is silent: a romanised word ending in -ri, -dong, -gun or -up ("Sangdong-ri") and, in an
origin context, a Hangul word ending in 리, 동, 읍, 면, 군 or 구역.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from consent.disclosure.data.gazetteer import (
    LATIN_ADMIN_HYPHEN_SUFFIXES,
    LATIN_ADMIN_SUFFIXES,
    PLACES,
    Place,
)
from consent.disclosure.data.vocabulary import ORIGIN_BEFORE_EN, ORIGIN_KO
from consent.disclosure.text import Document, Script, Word, hangul_stems
from matching.normal import compact
from matching.romanise import segmentations
from matching.surnames import normalise


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    places: tuple[Place, ...]  # empty for a place known only by its shape ("Sangdong-ri")
    is_origin: bool


@functools.lru_cache(maxsize=1 << 14)
def folded(text: str) -> str:
    """A spelling folded for comparison: "Hoeryŏng", "HOE-RYONG" → "hoeryong"; Hangul kept."""
    return compact(text).replace("'", "")


@functools.cache
def _latin_index() -> Mapping[str, tuple[tuple[Place, bool], ...]]:
    """Folded romanised spelling → (place, whether the spelling is the South's own for a shared name)."""
    index: dict[str, list[tuple[Place, bool]]] = {}
    for place in PLACES:
        for spelling in place.spellings:
            if any("\uac00" <= c <= "\ud7a3" for c in spelling):
                continue
            southern_only = place.is_shared_south and spelling == place.revised
            for form in {folded(spelling), normalise(spelling)}:
                entries = index.setdefault(form, [])
                if all(p is not place for p, _ in entries):
                    entries.append((place, southern_only))
    return MappingProxyType({k: tuple(v) for k, v in index.items()})


@functools.cache
def _hangul_index() -> Mapping[str, tuple[tuple[Place, bool], ...]]:
    """Hangul form → (place, whether the form needs an administrative suffix or an origin context)."""
    index: dict[str, list[tuple[Place, bool]]] = {}
    for place in PLACES:
        bases = [place.hangul, *(o for o in place.other if any("\uac00" <= c <= "\ud7a3" for c in o))]
        for base in bases:
            index.setdefault(base, []).append((place, place.is_common_word))
            if place.kind != "province":
                for suffix in ("시", "군", "구역", "지구"):
                    index.setdefault(base + suffix, []).append((place, False))
            elif base.endswith("도"):
                index.setdefault(base[:-1], []).append((place, True))  # 함경북 (도 left out)
    return MappingProxyType({k: tuple(v) for k, v in index.items()})


def places_named(text: str) -> tuple[Place, ...]:
    """The gazetteer places a written place of origin names ("Hoeryong, North Hamgyong" → both)."""
    found: list[Place] = []
    for part in re.split(r"[,;/()]| - ", text):
        part = part.strip()
        if not part:
            continue
        for candidate in (part, re.sub(r"\s+(province|county|city|district|region|area)$", "", part, flags=re.I)):
            for place, _ in _latin_index().get(folded(candidate), ()):
                found.append(place)
            for stem, _ in hangul_stems(candidate.replace(" ", "")):
                for place, _ in _hangul_index().get(stem, ()):
                    found.append(place)
        words = part.split()
        for word in words:
            bare = re.sub(r"-(si|shi|gun|kun|do|guyok)$", "", word, flags=re.I)
            for place, _ in _latin_index().get(folded(bare), ()):
                found.append(place)
    return tuple(dict.fromkeys(found))


_ORIGIN_BEFORE = re.compile(
    r"(?:"
    + "|".join(re.escape(p) for p in sorted(ORIGIN_BEFORE_EN, key=len, reverse=True))
    + r")\s+(?:(?:the|a|an|small|little|remote|rural|border|mining|coastal|northern|north|korean|farming|"
    r"fishing|industrial|port|village|town|city|county|province|area|district|region|of|near|outside|in|"
    r"called|named|known|as)\s+){0,6}$"
)
_ORIGIN_AFTER = re.compile(r"^(?:[\s-]+(?:native|natives|born)\b|[''\u2019]s\s+native)")
_ORIGIN_BEFORE_KO = re.compile(r"(?:고향(?:은|이|인|도)?|출생지(?:는|가)?|출신지(?:는|가)?|고향 마을인?)\s*$")
_ORIGIN_AFTER_KO = re.compile(
    r"^(?:시|군|도|구역|읍|리|지역)?(?:\s?(?:" + "|".join(ORIGIN_KO) + r")|에서\s?(?:태어|나고|자란|자랐|출생|살|거주)|"
    r"(?:이|가)\s?고향|(?:의)?\s?(?:한|작은)?\s?(?:마을|농촌|시골)(?:에서|의)?\s?(?:태어|자란|출신))"
)
_CAPITAL_METONYMY = re.compile(
    r"^(?:[''\u2019]s)?\s+(?:has|have|had|said|says|denied|denies|announced|claims|claimed|is|was|will|would|"
    r"did|does|sent|stated|insists|government|regime|authorities|leadership|officials|media|state)\b",
    re.IGNORECASE,
)
_ORGANISATION_AFTER = re.compile(
    r"^(?:[\s-]+)(?:university|institute|college|steel|iron|works|complex|industrial|airport|station|hotel|"
    r"stadium|declaration|agreement|times|broadcasting|radio|conference|summit|talks|process)\b",
    re.IGNORECASE,
)
_LOCATIVE_BEFORE = re.compile(
    r"(?:\bin|\bat|\bnear|\bfrom|\bof|\boutside|\baround|\bto|\binto|\bwithin)\s+(?:the\s+)?$"
)
_METONYMY_KO = re.compile(r"^\s?(?:당국|정권|정부|측|지도부|방송)")
_SHAPE_SUFFIXES_KO = ("구역", "리", "동", "읍", "면", "군")
_CAPITAL = "평양"


# Where something was said or held, not where someone is from: "said in Pyongyang on Monday", "a
# conference held in Pyongyang", and a dateline opening a line ("PYONGYANG, 12 March (KCNA) -").
_EVENT_BEFORE = re.compile(
    r"\b(?:said|says|told reporters|announced|stated|reported|declared|held|took place|met|opened|"
    r"closed|published|broadcast|aired)\s+(?:\w+\s+){0,2}?in\s+(?:the\s+)?$"
)
_DATELINE_AFTER = re.compile(
    r"^\s*(?:,\s*[0-9]{1,2}\s+[A-Za-z]+|,\s*[A-Za-z]+\s+[0-9]{1,2}|\s*\((?:KCNA|AP|AFP|Reuters|Yonhap)\))"
)


def _is_event_place(document: Document, start: int, end: int) -> bool:
    line_start = document.text.rfind("\n", 0, start) + 1
    if not document.text[line_start:start].strip() and _DATELINE_AFTER.match(document.text[end : end + 24]):
        return True
    return bool(_EVENT_BEFORE.search(document.before(start, 48)))


def _is_origin_before(document: Document, start: int) -> bool:
    before = document.before(start, 60)
    return bool(_ORIGIN_BEFORE.search(before) or _ORIGIN_BEFORE_KO.search(before))


def _is_origin_after(document: Document, end: int, *, hangul: bool) -> bool:
    after = document.text[end : end + 24]
    if hangul:
        return bool(_ORIGIN_AFTER_KO.match(after))
    return bool(_ORIGIN_AFTER.match(after))


def _extend_latin(document: Document, words: Sequence[Word], end: int) -> int:
    """A place's span, extended over an administrative word after it ("Musan County", "Hoeryong city")."""
    last = words[-1]
    after = document.next(last)
    if after is not None and document.gap(last, after) == " " and after.lower in LATIN_ADMIN_SUFFIXES:
        return after.end
    return end


def _latin_mentions(document: Document) -> Iterator[PlaceMention]:
    index = _latin_index()
    words = document.words
    i = 0
    while i < len(words):
        word = words[i]
        if word.script is not Script.LATIN or not word.text[:1].isupper():
            i += 1
            continue
        matched = False
        for length in (3, 2, 1):
            stretch = words[i : i + length]
            if len(stretch) < length or any(w.script is not Script.LATIN for w in stretch):
                continue
            if any(document.gap(a, b) not in (" ", "-") for a, b in itertools.pairwise(stretch)):
                continue
            text = document.text[stretch[0].start : stretch[-1].end]
            hyphen_origin = False
            entries = index.get(folded(text))
            if entries is None and length == 1:
                parts = re.split(r"[-\u2010\u2011]", text)
                if len(parts) >= 2 and parts[-1].lower() in (*LATIN_ADMIN_HYPHEN_SUFFIXES, "born"):
                    hyphen_origin = parts[-1].lower() == "born"
                    entries = index.get(folded("".join(parts[:-1])))
                    if (
                        entries is None
                        and not hyphen_origin
                        and parts[-1].lower() in ("ri", "dong", "gun", "kun", "up")
                    ):
                        stem = normalise("".join(parts[:-1]))
                        if stem and segmentations(stem) and len(stem) >= 4:
                            entries = ()  # Korean place-name shape, not in the gazetteer
            if entries is None:
                continue
            start, end = stretch[0].start, _extend_latin(document, stretch, stretch[-1].end)
            is_origin = (
                hyphen_origin or _is_origin_before(document, start) or _is_origin_after(document, end, hangul=False)
            )
            places = tuple(p for p, southern_only in entries if is_origin or not southern_only)
            if entries and not places:
                continue
            after = document.text[end : end + 40]
            if _ORGANISATION_AFTER.match(after) or (not is_origin and _is_event_place(document, start, end)):
                i += length
                matched = True
                break
            if (
                any(p.hangul == _CAPITAL for p in places)
                and not is_origin
                and not _LOCATIVE_BEFORE.search(document.before(start, 16))
                and (_CAPITAL_METONYMY.match(after) or document.before(start, 5).endswith("the "))
            ):
                i += length
                matched = True
                break
            yield PlaceMention(start, end, places, is_origin)
            i += length + (1 if end > stretch[-1].end else 0)
            matched = True
            break
        if not matched:
            i += 1


def _hangul_mentions(document: Document) -> Iterator[PlaceMention]:
    index = _hangul_index()
    for word in document.words:
        if word.script is not Script.HANGUL:
            continue
        for stem, _suffix in hangul_stems(word.text):
            entries = index.get(stem)
            end = word.start + len(stem)
            if entries is None:
                if (
                    len(stem) >= 3
                    and stem.endswith(_SHAPE_SUFFIXES_KO)
                    and _is_origin_after(document, end, hangul=True)
                ):
                    yield PlaceMention(word.start, end, (), True)
                    break
                continue
            is_origin = _is_origin_before(document, word.start) or _is_origin_after(document, end, hangul=True)
            places = tuple(p for p, needs_context in entries if is_origin or not needs_context)
            if not places:
                continue
            if any(p.hangul == _CAPITAL for p in places) and not is_origin and _METONYMY_KO.match(document.text[end:]):
                break
            yield PlaceMention(word.start, end, places, is_origin)
            break


def find_places(document: Document) -> list[PlaceMention]:
    """Every North Korean place in the text; adjacent places share an origin context ("from Hoeryong,
    North Hamgyong Province"; "함경북도 회령시 출신")."""
    mentions = sorted((*_latin_mentions(document), *_hangul_mentions(document)), key=lambda m: m.start)
    changed = True
    while changed:
        changed = False
        for left, right in itertools.pairwise(mentions):
            gap = document.text[left.end : right.start]
            if left.is_origin != right.is_origin and len(gap) <= 3 and gap.strip() in ("", ","):
                index = mentions.index(left if not left.is_origin else right)
                mention = mentions[index]
                mentions[index] = PlaceMention(mention.start, mention.end, mention.places, True)
                changed = True
    return mentions
