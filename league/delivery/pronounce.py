"""Words to phones: normalising key points, pronouncing product words, sound-alike matching.

The recogniser's dictionary (CMUdict, ARPAbet phones) lacks most product names. A missing
word is pronounced from dictionary words it is made of ("Brightwave" = bright + wave), and
failing that from its letters, so keyphrase spotting can listen for it and the sound-alike
match can compare it with what was heard.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

Lookup = Callable[[str], str | None]

ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
MIN_PART_LETTERS = 3  # a compound's parts: "bright"+"wave", never "b"+"right"+...
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+")

# Letter-to-sound fallback, longest spelling first. Rough on purpose: it only needs to be
# closer to the spoken word than to anything else the rep said.
LETTER_SOUNDS = (
    ("tion", "SH AH N"),
    ("ough", "AO"),
    ("igh", "AY"),
    ("ch", "CH"),
    ("sh", "SH"),
    ("th", "TH"),
    ("ph", "F"),
    ("ck", "K"),
    ("ng", "NG"),
    ("qu", "K W"),
    ("ee", "IY"),
    ("ea", "IY"),
    ("oo", "UW"),
    ("ou", "AW"),
    ("ow", "OW"),
    ("ai", "EY"),
    ("ay", "EY"),
    ("oi", "OY"),
    ("oy", "OY"),
    ("au", "AO"),
    ("er", "ER"),
    ("ar", "AA R"),
    ("or", "AO R"),
    ("a", "AE"),
    ("b", "B"),
    ("c", "K"),
    ("d", "D"),
    ("e", "EH"),
    ("f", "F"),
    ("g", "G"),
    ("h", "HH"),
    ("i", "IH"),
    ("j", "JH"),
    ("k", "K"),
    ("l", "L"),
    ("m", "M"),
    ("n", "N"),
    ("o", "AA"),
    ("p", "P"),
    ("q", "K"),
    ("r", "R"),
    ("s", "S"),
    ("t", "T"),
    ("u", "AH"),
    ("v", "V"),
    ("w", "W"),
    ("x", "K S"),
    ("y", "Y"),
    ("z", "Z"),
)


def number_words(number: int) -> list[str]:
    """0-999 999 as spoken words ("14" -> fourteen); key points quote figures as digits."""
    if number < 20:
        return [ONES[number]]
    if number < 100:
        tens, ones = divmod(number, 10)
        return [TENS[tens]] + ([ONES[ones]] if ones else [])
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return [ONES[hundreds], "hundred"] + (number_words(rest) if rest else [])
    thousands, rest = divmod(number, 1000)
    return number_words(thousands) + ["thousand"] + (number_words(rest) if rest else [])


def split_camel_case(text: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)


def spoken_words(text: str) -> list[str]:
    """Lower-case words as a person would say them: digits spelled out, hyphens split."""
    words: list[str] = []
    for token in WORD.findall(text.lower().replace("-", " ")):
        if token.isdigit():
            words.extend(number_words(int(token[:6])))
        else:
            words.append(token)
    return words


def pronounce(word: str, lookup: Lookup) -> str:
    """Phones for `word`: the dictionary's, else from its parts, else from its letters."""
    return lookup(word) or compound_phones(word, lookup) or letter_phones(word)


def compound_phones(word: str, lookup: Lookup) -> str | None:
    """Phones of the fewest dictionary words that spell `word` end to end, if any."""
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(MIN_PART_LETTERS, len(word) + 1):
        for start in range(0, end - MIN_PART_LETTERS + 1):
            before = best[start]
            phones = lookup(word[start:end]) if before is not None else None
            if (
                before is not None
                and phones
                and (best[end] is None or len(before) + 1 < len(best[end] or []))
            ):
                best[end] = before + [phones]
    parts = best[len(word)]
    return " ".join(parts) if parts and len(parts) > 1 else None


def letter_phones(word: str) -> str:
    phones: list[str] = []
    index = 0
    while index < len(word):
        for spelling, sound in LETTER_SOUNDS:
            if word.startswith(spelling, index):
                phones.append(sound)
                index += len(spelling)
                break
        else:
            index += 1  # an apostrophe or a letter outside a-z says nothing
    return " ".join(phones) or "AH"


def phrase_phones(words: Iterable[str], lookup: Lookup) -> list[str]:
    return [phone for word in words for phone in pronounce(word, lookup).split()]


def sound_alike_score(wanted: Sequence[str], heard: Sequence[str]) -> float:
    """How closely the phones `wanted` occur anywhere inside `heard`, 0..1.

    1 minus the smallest edit distance between `wanted` and any stretch of `heard`,
    divided by len(wanted) (semi-global alignment: the stretch may start and end anywhere).
    """
    if not wanted:
        return 0.0
    vocabulary = {phone: index for index, phone in enumerate(set(wanted) | set(heard))}
    heard_codes = np.array([vocabulary[p] for p in heard], dtype=np.int32)
    columns = np.arange(len(heard) + 1)
    row: NDArray[np.int64] = np.zeros(
        len(heard) + 1, dtype=np.int64
    )  # a stretch may start anywhere: free
    for count, phone in enumerate(wanted, start=1):
        substitute = row[:-1] + (heard_codes != vocabulary[phone])
        candidate = np.empty_like(row)
        candidate[0] = count
        candidate[1:] = np.minimum(substitute, row[1:] + 1)
        # Insertions run left to right: row[j] = min over k<=j of candidate[k] + (j - k).
        row = np.minimum.accumulate(candidate - columns) + columns
    return max(0.0, 1.0 - float(row.min()) / len(wanted))
