"""Generate the labelled Korean name pair sets the scorer is developed and judged on.

    .venv/bin/python scripts/make_name_pairs.py            # writes the three sets under tests/data/

Every name is generated: a surname from matching.surnames (itself from the public variant tables
cited there) and two given-name syllables from a list of common ones. Positives are one name
written two ways: Hangul (southern or northern), the Revised Romanization, McCune-Reischauer with or
without diacritics, North Korea's system, popular spellings, hyphenated, spaced or joined, swapped
order, surname in capitals. Negatives are two different names: another given name, one syllable
different (김정은/김정일), another surname family (이/임, 조/최, 전/정), or nothing in common; these are
made from syllables and surnames that share no spelling. Harder negatives swap one syllable or the
surname for a look-alike that may share a spelling (송/성 are both "Song", 석/숙 both "Suk", 영/용
both "Yong"): such a pair is kept only when its two written forms cannot spell one common Hangul name
(송지훈 against "Sung Ji-hoon" is kept, "Song Ji-hun" against "Sung Ji-hoon" is not), so no label is in
doubt. A third set, the noisy one, also gives a quarter of its romanised forms, of positives and
negatives alike, one slip of the keyboard (a swapped, dropped, doubled or wrong letter), as careless
data entry does.

The development set and the held-out set use different seeds, and the held-out set draws on
surnames and syllables the development set does not use and on popular spellings more often.
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matching.hangul import initial_law_north, is_syllable, southern  # noqa: E402
from matching.names import Script, parse  # noqa: E402
from matching.romanise import (  # noqa: E402
    hangul_candidates,
    mccune_reischauer,
    north,
    popular,
    revised,
    syllable_readings,
)
from matching.surnames import (  # noqa: E402
    COMPOUND_SURNAMES,
    SURNAMES,
    normalise,
    surname,
    surname_readings,
    surnames_for_reading,
)

DATA = ROOT / "tests" / "data"

SHARED_SYLLABLES = tuple("민수영진철희은정")
DEV_SYLLABLES = tuple("서지현우준혜성동호재연경미숙태광일명상나윤아하원주혁훈규빈도순세율남")
HELDOUT_SYLLABLES = tuple("석용한유선범국자송기환식창택봉인애향화춘금옥란찬길덕복필근")
# Different families that look alike: the hard negatives named in KOREAN_NAMES.md and a few more.
CONFUSABLE_SURNAMES = (("이", "임"), ("조", "최"), ("전", "정"), ("박", "백"), ("김", "금"), ("장", "정"), ("윤", "유"))
# Look-alikes that may share a spelling or sit one letter apart; a pair made from them is kept only when
# its written forms settle it (see `_is_resolvable`).
LOOKALIKE_SURNAMES = (
    ("송", "성"), ("선", "성"), ("전", "천"), ("주", "조"), ("오", "우"), ("고", "구"), ("신", "심"),
    ("강", "장"), ("한", "함"), ("하", "허"), ("서", "소"), ("여", "연"), ("배", "백"), ("노", "오"),
)  # fmt: skip
LOOKALIKE_SYLLABLES = (
    ("송", "성"), ("선", "성"), ("석", "숙"), ("영", "용"), ("희", "혜"), ("은", "운"), ("순", "숙"),
    ("진", "준"), ("현", "훈"), ("정", "종"), ("철", "천"), ("재", "제"), ("수", "숙"), ("민", "미"),
    ("태", "택"), ("호", "후"), ("경", "광"), ("혁", "학"), ("주", "조"), ("연", "윤"), ("지", "진"),
    ("하", "해"), ("상", "성"), ("선", "순"), ("승", "성"), ("근", "곤"), ("혜", "해"), ("숙", "속"),
)  # fmt: skip

_single = sorted(h for h in SURNAMES if h not in COMPOUND_SURNAMES)
DEV_SURNAMES = tuple([*_single[0::2], "남궁", "선우"])
HELDOUT_SURNAMES = tuple([*_single[1::2], "황보", "제갈"])


@dataclass(frozen=True)
class Plan:
    seed: int
    surnames: tuple[str, ...]
    syllables: tuple[str, ...]
    pairs: int
    popular_share: float  # how often a romanised rendering is a popular spelling
    has_free_forms: bool = False  # also "Kim, Cheolsu" and all lower case, which the dev set never shows
    lookalike_share: float = 0.3  # how often a negative is made from look-alike syllables or surnames
    slip_share: float = 0.0  # how often a romanised form carries one slip of the keyboard


DEV = Plan(
    seed=20240611, surnames=DEV_SURNAMES, syllables=SHARED_SYLLABLES + DEV_SYLLABLES, pairs=2000, popular_share=0.3
)
HELDOUT = Plan(
    seed=90210,
    surnames=HELDOUT_SURNAMES,
    syllables=SHARED_SYLLABLES + HELDOUT_SYLLABLES,
    pairs=1000,
    popular_share=0.7,
    has_free_forms=True,
)
# Careless data entry: every surname and syllable, a quarter of the pairs with one slip of the keyboard.
# Kept apart from the development and held-out sets, whose blocking-key tests (matching/tests/test_keys.py)
# assume clean spellings.
NOISY = Plan(
    seed=31337,
    surnames=tuple(SURNAMES),
    syllables=SHARED_SYLLABLES + DEV_SYLLABLES + HELDOUT_SYLLABLES,
    pairs=1000,
    popular_share=0.5,
    has_free_forms=True,
    slip_share=0.25,
)


def _given_text(latin: str, rng: random.Random, has_free_forms: bool) -> str:
    """Reshape a romanised "Family Given-name" string: hyphen, space or joined; swapped; capitals."""
    family, _, given = latin.partition(" ")
    parts = given.replace("-", " ").split()
    style = rng.choice(("hyphen", "space", "joined"))
    if style == "hyphen":
        given = "-".join([parts[0], *(p.lower() for p in parts[1:])])
    elif style == "space":
        given = " ".join(p.capitalize() for p in parts)
    else:
        given = "".join(parts).capitalize()
    if rng.random() < 0.15:
        family = family.upper()
    if has_free_forms and rng.random() < 0.3:
        return rng.choice((f"{family}, {given}", f"{family} {given}".lower()))
    return f"{given} {family}" if rng.random() < 0.25 else f"{family} {given}"


def render(name: str, rng: random.Random, plan: Plan) -> str:
    """One written form of a Hangul name, chosen at random."""
    family = name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]
    given = name[len(family) :]
    roll = rng.random()
    if roll < 0.2:
        row = SURNAMES[family]
        first = rng.choice(sorted(initial_law_north(given[0])))  # northern spelling of the first syllable
        hangul_forms = [
            name,
            f"{row.north_hangul}{given}",
            f"{family} {given}",
            f"{row.north_hangul}{first}{given[1:]}",
        ]
        return rng.choice(hangul_forms)
    if rng.random() < plan.popular_share:
        latin = rng.choice(sorted(popular(name)))
    else:
        makers: list[Callable[[], str]] = [
            lambda: revised(name),
            lambda: revised(name, usual_surname=False),
            lambda: revised(name, hyphen=False),
            lambda: mccune_reischauer(name),
            lambda: mccune_reischauer(name, diacritics=False),
            lambda: north(name),
        ]
        latin = rng.choice(makers)()
    return _given_text(latin, rng, plan.has_free_forms)


def _distinct(a: str, b: str) -> bool:
    """Two syllables no spelling can confuse, the initial-sound law included."""
    fold_a = {southern(a), *initial_law_north(southern(a))}
    fold_b = {southern(b), *initial_law_north(southern(b))}
    if fold_a & fold_b:
        return False
    readings_a = frozenset[str]().union(*(syllable_readings(c) for c in fold_a))
    readings_b = frozenset[str]().union(*(syllable_readings(c) for c in fold_b))
    return readings_a.isdisjoint(readings_b)


def _distinct_surnames(a: str, b: str) -> bool:
    return a != b and surname_readings(a).isdisjoint(surname_readings(b))


def _slip(text: str, rng: random.Random) -> str:
    """One slip of the keyboard in a romanised name's letters: two swapped, one dropped, doubled or wrong."""
    positions = [i for i, c in enumerate(text) if c.isalpha() and c.isascii()]
    if len(positions) < 4 or any(is_syllable(c) for c in text):
        return text
    i = rng.choice(positions[1:-1])
    kind = rng.choice(("swap", "drop", "double", "wrong"))
    if kind == "swap" and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == "drop":
        return text[:i] + text[i + 1 :]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    wrong = rng.choice([c for c in "aeiouynghkmrst" if c != text[i].lower()])
    return text[:i] + (wrong.upper() if text[i].isupper() else wrong) + text[i + 1 :]


_CANDIDATE_LIMIT = 100_000  # every candidate: resolvability must not depend on a ranking cut-off


Reading = tuple[frozenset[str], frozenset[str]]


def _readings(text: str) -> list[Reading]:
    """Every southern Hangul surname and given name a written name can spell (from the package's tables),
    in the parser's name order and, when the last word is a surname spelling, with that word as surname."""
    parsed = parse(text)
    if parsed.script is Script.HANGUL:
        row = surname(parsed.surname)
        family = row.hangul if row is not None else southern(parsed.surname)
        return [(frozenset({family}), frozenset({southern(parsed.given_text)}))]
    orders = [(parsed.surname, "-".join(parsed.given))]
    words = text.split()
    if len(words) >= 2 and "," not in text and surnames_for_reading(words[-1]):
        orders.append((words[-1], "-".join(words[:-1])))
    found: list[Reading] = []
    for family, given in orders:
        families = surnames_for_reading(family) or frozenset({normalise(family)})
        givens = hangul_candidates(given, limit=_CANDIDATE_LIMIT)
        found.append((families, frozenset(southern(g) for g in givens)))
    return found


def _is_resolvable(left: str, right: str) -> bool:
    """Whether two written names cannot be one Hangul name, whichever way round the name order allows."""
    return all(
        left_families.isdisjoint(right_families) or left_given.isdisjoint(right_given)
        for left_families, left_given in _readings(left)
        for right_families, right_given in _readings(right)
    )


def _lookalike(syllable: str, rng: random.Random) -> str | None:
    partners = [b if a == syllable else a for a, b in LOOKALIKE_SYLLABLES if syllable in (a, b)]
    return rng.choice(partners) if partners else None


def _other(pool: Sequence[str], than: str, rng: random.Random, distinct: Callable[[str, str], bool]) -> str:
    for _ in range(200):
        candidate = rng.choice(pool)
        if distinct(candidate, than):
            return candidate
    raise RuntimeError(f"no candidate distinct from {than!r}")


def make_pairs(plan: Plan) -> list[tuple[str, str, int]]:
    rng = random.Random(plan.seed)  # noqa: S311 - reproducible test data, not secrets
    confusable = [pair for pair in CONFUSABLE_SURNAMES if pair[0] in plan.surnames or pair[1] in plan.surnames]
    rows: list[tuple[str, str, int]] = []
    seen: set[tuple[str, str]] = set()

    def new_name(family: str | None = None) -> tuple[str, str]:
        return family or rng.choice(plan.surnames), "".join(rng.choices(plan.syllables, k=2))

    while len(rows) < plan.pairs:
        family, given = new_name()
        positive = rng.random() < 0.5
        if positive:
            left_name = right_name = family + given
        elif rng.random() < plan.lookalike_share:
            other_family, other_given = family, given
            if rng.random() < 0.6:
                i = rng.randrange(2)
                partner = _lookalike(given[i], rng)
                if partner is None:
                    continue
                other_given = given[:i] + partner + given[i + 1 :]
            else:
                family, other_family = rng.sample(rng.choice(LOOKALIKE_SURNAMES), 2)
            left_name, right_name = family + given, other_family + other_given
        else:
            kind = rng.choice(("given", "one-syllable", "one-syllable", "surname", "surname", "all"))
            other_family, other_given = family, given
            if kind == "given":
                other_given = "".join(_other(plan.syllables, c, rng, _distinct) for c in given)
            elif kind == "one-syllable":
                i = rng.randrange(2)
                changed = _other(plan.syllables, given[i], rng, _distinct)
                other_given = given[:i] + changed + given[i + 1 :]
            elif kind == "surname":
                if confusable and rng.random() < 0.6:
                    family, other_family = rng.sample(rng.choice(confusable), 2)
                else:
                    other_family = _other(plan.surnames, family, rng, _distinct_surnames)
            else:
                other_family = _other(plan.surnames, family, rng, _distinct_surnames)
                other_given = "".join(_other(plan.syllables, c, rng, _distinct) for c in given)
            left_name, right_name = family + given, other_family + other_given
        left = render(left_name, rng, plan)
        right = render(right_name, rng, plan)
        if left == right and not positive:
            continue
        if not positive and not _is_resolvable(left, right):
            continue
        if rng.random() < plan.slip_share:  # after the check: the label is about the names, not the slip
            right = _slip(right, rng)
        if (left, right) in seen:
            continue
        seen.add((left, right))
        rows.append((left, right, int(positive)))
    return rows


def write(path: Path, rows: list[tuple[str, str, int]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left", "right", "label"])
        writer.writerows(rows)


def main() -> None:
    write(DATA / "korean_name_pairs_dev.csv", make_pairs(DEV))
    write(DATA / "korean_name_pairs_heldout.csv", make_pairs(HELDOUT))
    write(DATA / "korean_name_pairs_noisy.csv", make_pairs(NOISY))


if __name__ == "__main__":
    main()
