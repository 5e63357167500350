"""Name comparison that tolerates accents, case, order and transliteration."""

import re
from difflib import SequenceMatcher

from anyascii import anyascii


def normalise_name(text: str) -> str:
    """Latin letters, lower case, single spaces: 'Nguyễn Thị' -> 'nguyen thi'."""
    ascii_text = anyascii(text or "").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


def name_tokens(*texts: str) -> set[str]:
    return {token for text in texts for token in normalise_name(text).split() if len(token) > 1}


def _skeleton(word: str) -> str:
    """First letter and the consonants after it, doubled letters once: transliterations of one
    name (Mohammed, Muhammad, Mohamad) share it."""
    rest = re.sub(r"[aeiouyhw]", "", word[1:])
    return word[:1] + re.sub(r"(.)\1+", r"\1", rest)


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) >= 4 and _skeleton(a) == _skeleton(b):
        return True
    return SequenceMatcher(None, a, b).ratio() >= 0.8


def holder_matches_worker(
    holder: str, family_name: str, given_names: str, other_spellings: str
) -> bool:
    """True when the account holder's name is the worker's, whatever the order or spelling.

    Every word of the holder's name must resemble a word of the worker's names, and the
    family name must be among them: 'CRUZ ROSARIO DELA' matches Rosario Dela Cruz;
    'Mohammed Ali' matches Muhammad Ali; 'Nasser Al-Harbi' (the employer) does not.
    """
    holder_words = name_tokens(holder)
    known = name_tokens(family_name, given_names, *other_spellings.splitlines())
    family = name_tokens(family_name)
    if not holder_words or not family:
        return False
    every_word_known = all(any(_similar(w, k) for k in known) for w in holder_words)
    family_present = any(_similar(w, f) for w in holder_words for f in family)
    return every_word_known and family_present


def names_alike(a: str, b: str) -> bool:
    """Two full names that are probably the same person (for duplicate warnings)."""
    left, right = name_tokens(a), name_tokens(b)
    if not left or not right:
        return False
    matched = sum(1 for w in left if any(_similar(w, k) for k in right))
    return matched >= min(len(left), len(right), 2)
