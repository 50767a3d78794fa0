"""A synthetic registry of fictional North Korean persons, with planted duplicates, for bench/linkage.py.

    .venv/bin/python bench/linkage_data.py --persons 100000   # generate and print counts and a timing

Every person is invented: a surname drawn from the variant table (weighted so 김, 이 and 박 are
common, as they are), one to three given-name syllables from a list of usual ones, a date of birth,
sex and a place of origin. A share of persons (`duplicate_share`) gets one to three more records.
Each record writes the name its own way, as intake documents do: Hangul (southern or northern
spelling), Revised Romanization (hyphenated or joined, usual or system surname), McCune-Reischauer
with or without breves, North Korea's system, popular spellings; sometimes given name first or the
surname in capitals, and now and then a typing error. Extra records also get partial, mistyped,
swapped or missing dates of birth, missing sex and missing or different places of origin.
Seeded: the same arguments give the same table.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching.hangul import initial_law_north
from matching.romanise import (
    mccune_reischauer,
    north,
    popular_syllables,
    revised,
)
from matching.surnames import SURNAMES

GIVEN_SYLLABLES = (
    "철수영희민준서연지현성호정은일동훈미경숙자선혜진우재석광명남옥순나래하윤태상용기"
    "국혁남춘금향복설련심옥화란봉학송범웅강룡길만식환덕수명철일광혁진평준"
)
"""Given-name syllables as they occur in North and South Korean names (repeats weight them)."""

PLACES = (
    "Pyongyang", "Chongjin", "Hamhung", "Hyesan", "Sinuiju", "Wonsan", "Kaesong", "Nampo", "Haeju", "Kanggye",
    "Hoeryong", "Musan", "Onsong", "Kimchaek", "Tanchon", "Sariwon", "Pyongsong", "Anju", "Kilju", "Rason",
)  # fmt: skip

_SYSTEMS = (
    "hangul", "hangul_spaced", "hangul_north", "revised", "revised_joined", "revised_system",
    "mccune", "mccune_plain", "north", "popular",
)  # fmt: skip
_SYSTEM_WEIGHTS = (0.18, 0.04, 0.04, 0.14, 0.08, 0.03, 0.07, 0.10, 0.14, 0.18)

IntArray = npt.NDArray[np.int64]


def _surname_weights() -> npt.NDArray[np.float64]:
    ranks = np.arange(1, len(SURNAMES) + 1, dtype=np.float64)
    weights: npt.NDArray[np.float64] = 1.0 / ranks
    shares: npt.NDArray[np.float64] = weights / float(weights.sum())
    return shares


@functools.cache
def _popular_syllables(char: str) -> tuple[str, ...]:
    return tuple(sorted(popular_syllables(char)))


@functools.lru_cache(maxsize=1 << 20)
def _system_name(hangul: str, system: str) -> str:
    if system == "revised":
        return revised(hangul)
    if system == "revised_joined":
        return revised(hangul, hyphen=False)
    if system == "revised_system":
        return revised(hangul, usual_surname=False)
    if system == "mccune":
        return mccune_reischauer(hangul)
    if system == "mccune_plain":
        return mccune_reischauer(hangul, diacritics=False)
    return north(hangul)


def _north_hangul(family: str, given: str) -> str:
    row = SURNAMES[family]
    first = sorted(initial_law_north(given[0]))[-1]  # the ㄹ spelling where the law allows one (영 → 령)
    return row.north_hangul + first + given[1:]


def _typo(text: str, generator: np.random.Generator) -> str:
    """One typing error in the given-name part of a romanised name: a letter dropped, doubled or replaced."""
    letters = [i for i, c in enumerate(text) if c.isalpha() and c.isascii()]
    if len(letters) < 4:
        return text
    at = letters[int(generator.integers(len(letters) // 2, len(letters)))]
    kind = int(generator.integers(3))
    if kind == 0:
        return text[:at] + text[at + 1 :]
    if kind == 1:
        return text[:at] + text[at] + text[at:]
    return text[:at] + "aeiou"[int(generator.integers(5))] + text[at + 1 :]


def written_name(family: str, given: str, system: str, generator: np.random.Generator) -> str:
    """One person's name as one record writes it."""
    hangul = family + given
    if system == "hangul":
        return hangul
    if system == "hangul_spaced":
        return f"{family} {given}"
    if system == "hangul_north":
        return _north_hangul(family, given)
    if system == "popular":
        row = SURNAMES[family]
        surname = row.popular[int(generator.integers(len(row.popular)))] if generator.random() < 0.5 else row.usual
        parts = [_popular_syllables(c)[int(generator.integers(len(_popular_syllables(c))))] for c in given]
        separator = (" ", "-", "")[int(generator.integers(3))]
        text = " ".join(p.capitalize() for p in parts) if separator == " " else separator.join(parts).capitalize()
        is_given_first = generator.random() < 0.4
    else:
        surname, _, text = _system_name(hangul, system).partition(" ")
        is_given_first = generator.random() < 0.12
    if generator.random() < 0.1:
        surname = surname.upper()
    return f"{text} {surname}" if is_given_first else f"{surname} {text}"


def _dates(generator: np.random.Generator, count: int) -> list[str]:
    years = generator.integers(1940, 2009, size=count)
    months = generator.integers(1, 13, size=count)
    days = generator.integers(1, 29, size=count)
    return [f"{y:04d}-{m:02d}-{d:02d}" for y, m, d in zip(years.tolist(), months.tolist(), days.tolist(), strict=True)]


def _variant_date(date: str, generator: np.random.Generator) -> str | None:
    roll = generator.random()
    if roll < 0.05:
        return None
    if roll < 0.12:
        return date[:4]
    if roll < 0.17:
        return date[:7]
    if roll < 0.22:  # one digit mistyped
        at = int(generator.choice([2, 3, 5, 6, 8, 9]))
        return date[:at] + str(int(generator.integers(10))) + date[at + 1 :]
    if roll < 0.25 and int(date[8:10]) <= 12:  # day and month swapped
        return f"{date[:4]}-{date[8:10]}-{date[5:7]}"
    return date


def registry(persons: int, *, duplicate_share: float = 0.15, seed: int = 7) -> pa.Table:
    """The records: id, person (the truth), name, date_of_birth, sex, place_of_origin, in shuffled order."""
    generator = np.random.default_rng(seed)
    families = list(SURNAMES)
    family_index = generator.choice(len(families), size=persons, p=_surname_weights())
    lengths = generator.choice([1, 2, 3], size=persons, p=[0.06, 0.88, 0.06])
    syllables = generator.integers(0, len(GIVEN_SYLLABLES), size=(persons, 3))
    dates = _dates(generator, persons)
    sexes = generator.choice(["F", "M"], size=persons).tolist()
    places = generator.integers(0, len(PLACES), size=persons)
    extra = np.where(generator.random(persons) < duplicate_share, generator.integers(1, 4, size=persons), 0)

    record_person = np.repeat(np.arange(persons, dtype=np.int64), 1 + extra)
    is_first = np.ones(len(record_person), dtype=bool)
    is_first[1:] = record_person[1:] != record_person[:-1]
    systems = generator.choice(len(_SYSTEMS), size=len(record_person), p=_SYSTEM_WEIGHTS)

    names: list[str] = []
    record_dates: list[str | None] = []
    record_sexes: list[str | None] = []
    record_places: list[str | None] = []
    for person, first, system in zip(record_person.tolist(), is_first.tolist(), systems.tolist(), strict=True):
        family = families[family_index[person]]
        given = "".join(GIVEN_SYLLABLES[s] for s in syllables[person, : lengths[person]])
        name = written_name(family, given, _SYSTEMS[system], generator)
        if not first and generator.random() < 0.04 and name.isascii():
            name = _typo(name, generator)
        names.append(name)
        if first:
            record_dates.append(dates[person])
            record_sexes.append(sexes[person])
            record_places.append(PLACES[places[person]])
        else:
            record_dates.append(_variant_date(dates[person], generator))
            record_sexes.append(None if generator.random() < 0.05 else sexes[person])
            roll = generator.random()
            if roll < 0.2:
                record_places.append(None)
            elif roll < 0.25:  # another place: where the person last lived, say
                record_places.append(PLACES[int(generator.integers(len(PLACES)))])
            else:
                record_places.append(PLACES[places[person]])

    order = generator.permutation(len(record_person))
    table = pa.table(
        {
            "id": pa.array(np.arange(len(record_person), dtype=np.int64)),
            "person": pa.array(record_person),
            "name": pa.array(names, pa.string()),
            "date_of_birth": pa.array(record_dates, pa.string()),
            "sex": pa.array(record_sexes, pa.string()),
            "place_of_origin": pa.array(record_places, pa.string()),
        }
    )
    shuffled = table.take(pa.array(order))
    return shuffled.set_column(0, "id", pa.array(np.arange(len(record_person), dtype=np.int64)))


def true_pair_count(table: pa.Table) -> int:
    """How many pairs of records are one person's."""
    sizes = np.bincount(np.asarray(table.column("person"), dtype=np.int64))
    return int((sizes * (sizes - 1) // 2).sum())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    table = registry(args.persons, seed=args.seed)
    seconds = time.perf_counter() - started
    print(
        f"{args.persons:,} persons → {table.num_rows:,} records, {true_pair_count(table):,} true pairs, {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
