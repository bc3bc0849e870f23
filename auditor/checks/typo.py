"""Rule kind `typo`: 错别字 in the narrative, found without any list of typos.

Two sources of evidence, both offline and deterministic:

- jieba's dictionary (349k words with frequencies): a four-character run that is no word, but
  becomes a fixed four-character term of the dictionary when one character is swapped for one of
  the same sound ("残差不齐" → "参差不齐"), the way a pinyin input method slips;
- the report itself: the same phrase is written correctly elsewhere in the report, and here one
  character is swapped for one of the same sound ("运用图标图解" against "利用图表图解") or left out
  ("公共企事业单信息公开" against "公共企事业单位信息公开").

"Same sound" is pypinyin's toneless reading: the usual one, or the one the corrected phrase gives
the character ("残" can is "参差" cen's usual reading can).
Each mode keeps only cases the evidence decides: the suspect must be a weaker word than the
correction, never a proper name, never a change of a function character (params.exempt).

params:
  mode: idiom | self_swap | self_drop
  min_freq: idiom — the corrected term's least dictionary frequency
  variant: idiom — a run that is itself a dictionary word still counts when the term is this many
         times as frequent (the dictionary keeps common misspellings: 再接再励 3, 再接再厉 115)
  misspellings: idiom — the data list of those (rules/typo_misspellings.yaml, generated from the
         dictionary and these params by `python -m auditor.checks.typo`)
  lengths: idiom — the term lengths looked at ([4]: shorter terms are too often one word away)
  left, right: self_* — characters of context that must match exactly on each side
  ratio: self_swap — how much stronger (dictionary frequency of the two-character words the
         changed character forms with its neighbours) the correction must be than the suspect
  exempt: characters never taken for a slip nor offered as the correction (function characters
         and numerals whose variation is a choice of wording, not a typo: 和/或, 在/再, 省/县)
  han: self_drop — how many characters on each side of the gap must be Chinese characters (not
         punctuation or digits)
  bound: self_drop — the character left alone by the gap must be one that rarely stands alone as
         a word: its dictionary frequency as a word of its own, over its frequency in all words
         (单 0.10, 年 0.6)
rule.scope: section keys (empty = all six sections); only narrative sentences are read.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from auditor.checks.finding import make_finding
from auditor.model import Document, Finding
from auditor.rules.rule import Rule

_HAN = re.compile(r"[\u4e00-\u9fff]")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{3,}")
_ALL_HAN = re.compile(r"[\u4e00-\u9fff]+")
_PUNCTUATION = re.compile(r"[，。；：、！？]")
_SEPARATOR = "\x00"  # between sentences: no window of context runs across two sentences


@dataclass(frozen=True)
class Suspect:
    start: int  # offsets into Document.text
    end: int
    text: str  # the suspect string as written
    correction: str  # the same string corrected
    why: str  # the evidence, in Chinese
    evidence: dict


# ---- shared lexical helpers (jieba's dictionary and pypinyin, loaded once, on first use) ----

def _freq() -> dict:
    from auditor.nlp.pipeline import get_jieba

    return get_jieba().dt.FREQ


def _f(word: str) -> int:
    return _freq().get(word) or 0


@lru_cache(maxsize=4)
def _terms(length: int) -> dict[str, list[str]]:
    """Every dictionary word of `length` Chinese characters with one character masked
    ("参?不齐" → ["参差不齐"])."""
    index: dict[str, list[str]] = defaultdict(list)
    for word, freq in _freq().items():
        if len(word) == length and freq and _ALL_HAN.fullmatch(word):
            for i in range(length):
                index[word[:i] + "?" + word[i + 1:]].append(word)
    return dict(index)


_NAME_TAGS = ("nr", "ns", "nt", "nz")  # person, place, organization, other proper name


@lru_cache(maxsize=1)
def _proper_names() -> frozenset[str]:
    """The dictionary words jieba tags as proper names (read only when a suspect needs them; the
    names alone, not every word's tag: a tenth of the memory)."""
    import os

    import jieba

    names = set()
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2].startswith(_NAME_TAGS):
                names.add(parts[0])
    return frozenset(names)


@lru_cache(maxsize=4)
def _han_words(length: int) -> tuple[str, ...]:
    """Every dictionary word of `length` Chinese characters (with a frequency), sorted."""
    return tuple(sorted(w for w, freq in _freq().items() if len(w) == length and freq and _ALL_HAN.fullmatch(w)))


@lru_cache(maxsize=1)
def _by_reading() -> dict[str, str]:
    """Toneless reading → every character that has it among its readings (pypinyin's character
    table, every reading, ü both as v and as u): the characters a slip of that sound may stand
    for, a superset that same_sound() then decides."""
    from pypinyin.pinyin_dict import pinyin_dict

    chars: dict[str, set[str]] = defaultdict(set)
    for code, readings in pinyin_dict.items():
        char = chr(code)
        if not _HAN.match(char):
            continue
        for reading in readings.split(","):
            plain = _toneless(reading)
            for spelled in {plain.replace("ü", "v"), plain.replace("ü", "u")}:
                chars[spelled].add(char)
    return {reading: "".join(sorted(cs)) for reading, cs in chars.items()}


@lru_cache(maxsize=4096)  # some 1,500 toned readings in all
def _toneless(reading: str) -> str:
    """A pypinyin reading without its tone mark ("cēn" → "cen"; ü stays)."""
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFD", reading) if c not in "\u0300\u0301\u0304\u030c")
    return unicodedata.normalize("NFC", plain)


def _terms_like(window: str, i: int) -> list[str]:
    """The dictionary words that differ from `window` at position i only, by a character that may
    sound like window[i] (as _terms(len(window)) holds them under window with i masked, less
    those no same_sound() could accept), most frequent first."""
    sound = _reading(window[i])
    if not sound:
        return []
    freq = _freq()
    found = {window[:i] + c + window[i + 1:] for c in _by_reading().get(sound, "") if c != window[i]}
    return sorted((w for w in found if freq.get(w)), key=lambda w: (-freq[w], w))


@lru_cache(maxsize=4096)
def _reading(char: str) -> str:
    """The character's usual toneless reading (pypinyin's first: 参 → can, 和 → he)."""
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(char, style=Style.NORMAL, errors="ignore")[0] if _HAN.match(char) else ""


@lru_cache(maxsize=4096)
def _readings_in(phrase: str) -> tuple[str, ...]:
    """The toneless readings of a phrase's characters as read in it (参差不齐 → cen ci bu qi)."""
    from pypinyin import Style, lazy_pinyin

    readings = lazy_pinyin(phrase, style=Style.NORMAL, errors="default")
    return tuple(readings) if len(readings) == len(phrase) else tuple(_reading(c) for c in phrase)


def same_sound(written: str, meant: str, meant_phrase: str = "", at: int = 0) -> bool:
    """Whether `written` is read like `meant`: by their usual readings, or like `meant` reads in
    the phrase it belongs to (`meant_phrase`, position `at`). Rare readings of polyphones do not
    count (有 is also read wei, 受 dao in pypinyin's full lists: no typist slips that way)."""
    if written == meant:
        return False
    sound = _reading(written)
    if not sound:
        return False
    return sound == _reading(meant) or bool(meant_phrase) and sound == _readings_in(meant_phrase)[at]


@lru_cache(maxsize=1)
def _in_words() -> Counter:
    """For each character, the total dictionary frequency of the longer words that contain it."""
    total: Counter = Counter()
    for word, freq in _freq().items():
        if freq and len(word) > 1:
            for ch in set(word):
                total[ch] += freq
    return total


def standalone_share(char: str) -> float:
    """How often the character is a word by itself, out of all its dictionary uses."""
    alone = _f(char)
    inside = _in_words()[char]
    return alone / (alone + inside) if alone + inside else 0.0


def _segment(text: str) -> list[tuple[int, int, str]]:
    from auditor.checks import _sentence_words

    return list(_sentence_words(text))


def _local_strength(text: str, i: int, char: str) -> int:
    """The dictionary frequency of the stronger two-character word `char` makes with a neighbour
    at position i of `text`."""
    left = text[i - 1] + char if i > 0 else ""
    right = char + text[i + 1] if i + 1 < len(text) else ""
    return max(_f(left) if left else 0, _f(right) if right else 0)


# ---- mode idiom: a homophone swap that makes a fixed four-character term -------------------

def idiom_suspects(sentences: list[tuple[int, str]], params: dict) -> list[Suspect]:
    min_freq = params.get("min_freq", 5)
    exempt = set(params.get("exempt", ""))
    freq = _freq()
    text, offsets = _joined(tuple(sentences))
    codes = _codes(text)
    exempt_here = _in_chars(codes, exempt)
    found = []

    def consider(k: int, window: str, term: str, i: int) -> None:
        """The window at k, its character i taken for term's: a suspect if its sentence bears it out."""
        sentence, at = _sentence_around(text, k)
        why = _idiom_evidence(sentence, at, window, term, i)
        if why is not None:
            found.append(Suspect(offsets[k], offsets[k + len(window) - 1] + 1, window, term, why[0], why[1]))
    for n in params.get("lengths", (4,)):
        masked = _masked_hashes(n, min_freq)
        whole = _rolling_hash(codes, n)
        # The windows of n Chinese characters that are no word; only they are looked up further.
        candidates = np.flatnonzero(_rolling_count(_is_han(codes), n) == n)
        candidates = candidates[~_member(whole[candidates], _word_hashes(n))]
        usual = _reading_ids()[0][np.minimum(codes, 0xFFFF)]
        for i in range(n):
            windows = candidates[~exempt_here[candidates + i]]
            sounded = _with_sound(_rolling_hash(codes, n, skip=i)[windows], i, usual[windows + i])
            for k in windows[_member(sounded, masked)].tolist():
                window = text[k:k + n]
                for term in _terms_like(window, i):
                    if term[i] in exempt or freq[term] < min_freq or not same_sound(window[i], term[i], term, i):
                        continue
                    consider(k, window, term, i)
        # the misspellings the dictionary keeps as words of their own (再接再励 3 against 再接再厉 115)
        known, known_hashes = _known_misspellings(params.get("misspellings"), n)
        if known:
            for k in np.flatnonzero(_member(whole, known_hashes)).tolist():
                window = text[k:k + n]
                term = known.get(window)
                if term is None:
                    continue
                consider(k, window, term, next(j for j in range(n) if window[j] != term[j]))
    found.sort(key=lambda s: s.start)
    return found


def _known_misspellings(name: str | None, length: int) -> tuple[dict[str, str], np.ndarray]:
    """The data list's misspellings of `length` characters (word → correction) and their hashes."""
    if not name:
        return {}, np.zeros(0, dtype=np.uint64)
    from auditor.rules.data import data_file

    return _misspellings_in(data_file(name), length)


@lru_cache(maxsize=8)
def _misspellings_in(path, length: int) -> tuple[dict[str, str], np.ndarray]:
    """As the data file reads (auditor.rules.data.read_data, itself read once per path)."""
    from auditor.rules.data import read_data

    known = {w: t for w, t in (read_data(path).get("misspellings") or {}).items() if len(w) == length}
    return known, _hashes_of(tuple(known))


def dictionary_misspellings(params: dict) -> dict[str, str]:
    """The words of jieba's dictionary that are misspellings of a far more frequent word, one
    character away by the same sound: word → correction (再接再励 → 再接再厉). What
    rules/typo_misspellings.yaml holds, for the rule's params (min_freq, variant, exempt)."""
    freq = _freq()
    min_freq, variant = params.get("min_freq", 5), params.get("variant", 20)
    exempt = set(params.get("exempt", ""))
    found = {}
    for n in params.get("lengths", (4,)):
        terms = _terms(n)
        for word in sorted(w for ws in terms.values() for w in ws):
            if word in found:
                continue
            for i in range(n):
                if word[i] in exempt:
                    continue
                for term in terms.get(word[:i] + "?" + word[i + 1:], ()):
                    if (term != word and term[i] not in exempt and freq[term] >= max(min_freq, variant * freq[word])
                            and same_sound(word[i], term[i], term, i)):
                        found[word] = term
    return dict(sorted(found.items()))


# ---- windows of characters, hashed with numpy: the per-character work is not done in Python ----

_BASE = np.uint64(0x100000001B3)


@lru_cache(maxsize=8)  # the three modes read the same joined text
def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def _is_han(codes: np.ndarray) -> np.ndarray:
    return (codes >= 0x4E00) & (codes <= 0x9FFF)


def _rolling_hash(codes: np.ndarray, length: int, skip: int = -1) -> np.ndarray:
    """A hash of each window of `length` codes (window k starts at k), leaving out the code at
    offset `skip` of the window: a window without its centre hashes as the shorter run of the
    same characters. Equal windows hash equal; equal hashes are checked on the text."""
    count = len(codes) - length + 1
    hashes = np.zeros(max(count, 0), dtype=np.uint64)
    if count <= 0:
        return hashes
    for j in range(length):
        if j != skip:
            hashes = hashes * _BASE + codes[j:j + count]
    return hashes


def _rolling_count(flags: np.ndarray, length: int) -> np.ndarray:
    """How many of each window of `length` flags are set (window k starts at k)."""
    sums = np.concatenate(([0], np.cumsum(flags, dtype=np.int64)))
    return sums[length:] - sums[:-length] if len(flags) >= length else np.zeros(0, dtype=np.int64)


def _member(values: np.ndarray, sorted_set) -> np.ndarray:
    """Which values are in the set: a sorted array, or a _HashSet (a big, fixed set)."""
    if isinstance(sorted_set, _HashSet):
        maybe = np.flatnonzero(sorted_set.table[values >> _TABLE_SHIFT])
        found = np.zeros(len(values), dtype=bool)
        found[maybe] = _member(values[maybe], sorted_set.hashes)
        return found
    if not len(sorted_set) or not len(values):
        return np.zeros(len(values), dtype=bool)
    if len(values) < _SORTED_NEEDLES_FROM:
        at = np.searchsorted(sorted_set, values).clip(max=len(sorted_set) - 1)
        return sorted_set[at] == values
    order = np.argsort(values, kind="stable")  # many sorted needles: searchsorted is faster
    ordered = values[order]
    at = np.searchsorted(sorted_set, ordered).clip(max=len(sorted_set) - 1)
    found = np.empty(len(values), dtype=bool)
    found[order] = sorted_set[at] == ordered
    return found


# Below this many values, sorting them costs more than it saves searchsorted (a report's
# narrative gives a couple of thousand windows: 60 µs sorted against 20 µs as they come).
_SORTED_NEEDLES_FROM = 4096


_TABLE_BITS = 22
_TABLE_SHIFT = np.uint64(64 - _TABLE_BITS)


@dataclass(frozen=True)
class _HashSet:
    """A fixed set of hashes (sorted) with a table of which top bits occur: most windows are
    turned away by one lookup each, the rest are looked up in the sorted hashes."""
    hashes: np.ndarray
    table: np.ndarray

    @classmethod
    def of(cls, hashes: np.ndarray) -> _HashSet:
        table = np.zeros(1 << _TABLE_BITS, dtype=bool)
        table[hashes >> _TABLE_SHIFT] = True
        return cls(hashes, table)


@lru_cache(maxsize=8)
def _code_table(chars: str) -> np.ndarray:
    """A table of the characters' code points (the Basic Multilingual Plane)."""
    table = np.zeros(0x10000, dtype=bool)
    table[[ord(c) for c in chars if ord(c) < 0x10000]] = True
    return table


def _in_chars(codes: np.ndarray, chars) -> np.ndarray:
    return _code_table("".join(sorted(set(chars))))[np.minimum(codes, 0xFFFF)] & (codes < 0x10000)


def _word_hash_array(words, skip: int = -1) -> np.ndarray:
    """The hash of each of `words` (one length), as _rolling_hash hashes a window, leaving out the
    character at offset `skip` as it does."""
    if not words:
        return np.zeros(0, dtype=np.uint64)
    codes = _codes("".join(words)).reshape(len(words), -1)
    hashes = np.zeros(len(words), dtype=np.uint64)
    for j in range(codes.shape[1]):
        if j != skip:
            hashes = hashes * _BASE + codes[:, j]
    return hashes


@lru_cache(maxsize=8)
def _hashes_of(words: tuple[str, ...]) -> np.ndarray:
    """The sorted hashes of words of one length, as _rolling_hash hashes a window."""
    return np.unique(_word_hash_array(words))


@lru_cache(maxsize=4)
def _word_hashes(length: int) -> _HashSet:
    """The hashes of every dictionary word of `length` Chinese characters."""
    return _HashSet.of(_hashes_of(_han_words(length)))


@lru_cache(maxsize=1)
def _reading_ids() -> tuple[np.ndarray, dict[int, tuple[int, ...]]]:
    """Toneless readings as small numbers: for each code point of the Basic Multilingual Plane, the
    id of the character's usual reading (_reading's: pypinyin's first, ü as v; 0 for none), and for
    the characters read more than one way, the ids of all their readings."""
    from pypinyin.pinyin_dict import pinyin_dict

    ids: dict[str, int] = {}
    usual = np.zeros(0x10000, dtype=np.uint64)
    several: dict[int, tuple[int, ...]] = {}
    for code, readings in pinyin_dict.items():
        if code >= 0x10000 or not _HAN.match(chr(code)):
            continue
        plain = []
        for reading in readings.split(","):
            bare = _toneless(reading).replace("ü", "v")
            if bare not in plain:
                plain.append(bare)
        numbers = tuple(ids.setdefault(r, len(ids) + 1) for r in plain)
        usual[code] = numbers[0]
        if len(numbers) > 1:
            several[code] = numbers
    return usual, several


def _with_sound(hashes: np.ndarray, position: int, reading: np.ndarray) -> np.ndarray:
    """A window's hash without its character at `position` (_rolling_hash's skip), combined with
    the position and a reading of the character left out: equal only where the rest is equal and
    the left-out characters may sound alike."""
    return (hashes * _BASE + np.uint64(position + 1)) * _BASE + reading


@lru_cache(maxsize=4)
def _masked_hashes(length: int, min_freq: int) -> _HashSet:
    """The dictionary's words of `length` characters and at least `min_freq`, each with one
    character left out, hashed with the position and each reading of that character
    (_with_sound): a window matches one only if a word differs from it there by a character that
    may sound like the window's (same_sound() then decides on the words themselves)."""
    freq = _freq()
    words = [w for w in _han_words(length) if freq[w] >= min_freq]
    usual, several = _reading_ids()
    polyphones = np.fromiter(several, dtype=np.uint64)
    codes = _codes("".join(words)).reshape(len(words), -1) if words else np.zeros((0, length), dtype=np.uint64)
    parts = []
    for i in range(length):
        skipped = _word_hash_array(words, i)
        parts.append(_with_sound(skipped, i, usual[np.minimum(codes[:, i], 0xFFFF)]))
        rows, readings = [], []
        for row in np.flatnonzero(np.isin(codes[:, i], polyphones)).tolist():
            others = several[int(codes[row, i])][1:]
            rows.extend([row] * len(others))
            readings.extend(others)
        parts.append(_with_sound(skipped[rows], i, np.array(readings, dtype=np.uint64)))
    return _HashSet.of(np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.uint64))


def _idiom_evidence(text: str, start: int, window: str, term: str, i: int):
    """Why `window` (at `start` of the sentence) is `term` mistyped, or None when the sentence's
    own words do not bear it out: the word holding the changed character must lie within the
    window (not run on past it), no word of the window may be a proper name or, but for that
    word, unknown to the dictionary, and that word, if longer than one character, must be
    rarer than the term."""
    words = _segment(text)
    end = start + len(window)
    changed_at = start + i
    inside = [(a, b, w) for a, b, w in words if a < end and start < b]
    for a, b, w in inside:
        # a word running over an edge of the window ("正府信息公开": 信息公开) is fine unless it
        # holds the changed character ("北京市有关" is not 北京市委 mistyped: 有关 is a word)
        if (a < start or b > end) and a <= changed_at < b:
            return None
    names = _proper_names()
    for a, b, w in inside:
        # a word unknown to the dictionary is a name, unless it is the slip itself run together
        # with a neighbour by jieba's guesser ("政侧解读": 政侧)
        if (not _f(w) and not a <= changed_at < b) or w in names:
            return None
    changed = next(w for a, b, w in inside if a <= changed_at < b)
    if len(changed) > 1 and _f(changed) >= _f(term):
        return None
    written = (f"“{window}”是少见的误写（词频{_f(window)}）" if _f(window) else f"“{window}”不成词")
    why = f"“{window[i]}”与“{term[i]}”同音，“{term}”是固定词语（词典词频{_f(term)}），{written}"
    return why, {"kind": "idiom", "suggestion": term, "changed": {"from": window[i], "to": term[i]},
                 "term_frequency": _f(term), "words": [w for _, _, w in inside]}


# ---- the report against itself ---------------------------------------------------------------

@lru_cache(maxsize=8)
def _joined(sentences: tuple[tuple[int, str], ...]) -> tuple[str, list[int]]:
    """The sentences' texts joined with a separator, and each joined position's offset in the
    document (-1 for a separator)."""
    parts, offsets = [], []
    for base, text in sentences:
        parts.append(text)
        parts.append(_SEPARATOR)
        offsets.extend(range(base, base + len(text)))
        offsets.append(-1)
    return "".join(parts), offsets


def _centres(text: str, left: int, right: int, exempt: set, keep=None) -> dict[str, list[tuple[str, int]]]:
    """The windows of `left` + 1 + `right` characters within a sentence whose centre is a Chinese
    character not exempt: each context (the window without its centre) → [(centre, position)].
    keep(hashes of the contexts, centre codes) → which windows to keep (numpy, so that the few
    windows worth a look are found without a Python step per character)."""
    codes = _codes(text)
    size = left + 1 + right
    hashes = _rolling_hash(codes, size, skip=left)
    centre = codes[left:left + len(hashes)]
    valid = ((_rolling_count(codes == 0, size) == 0) & _is_han(centre)
             & ~_in_chars(centre, exempt))
    if keep is not None:
        valid &= keep(hashes, centre, valid)
    groups: dict[str, list[tuple[str, int]]] = {}
    for k in np.flatnonzero(valid).tolist():
        i = k + left
        groups.setdefault(text[k:i] + text[i + 1:k + size], []).append((text[i], i))
    return groups


def _differing_centres(hashes: np.ndarray, centre: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Windows whose context another window shares with a different centre."""
    h, c = hashes[valid], centre[valid]
    order = np.lexsort((c, h))
    hs, cs = h[order], c[order]
    clash = (hs[1:] == hs[:-1]) & (cs[1:] != cs[:-1])
    return np.isin(hashes, np.unique(hs[1:][clash]))


def self_swap_suspects(sentences: list[tuple[int, str]], params: dict) -> list[Suspect]:
    """A character swapped for one of the same sound, where the report writes the same context
    with the other character elsewhere."""
    left, right = params.get("left", 2), params.get("right", 2)
    ratio = params.get("ratio", 3)
    exempt = set(params.get("exempt", ""))
    text, offsets = _joined(tuple(sentences))
    groups = _centres(text, left, right, exempt, keep=_differing_centres)
    centres: dict[str, Counter] = {}
    first: dict[tuple[str, str], int] = {}
    for key, places in groups.items():
        if len(places) > 1 and any(c != places[0][0] for c, _ in places):
            centres[key] = Counter(c for c, _ in places)
            for c, i in places:
                first.setdefault((key, c), i)
    found = []
    for key, chars in centres.items():
        for c, n in chars.items():
            if n != 1:
                continue
            for good, m in chars.items():
                if good == c:
                    continue
                at = first[(key, c)]
                # The dictionary lookups first: most pairs fail them, and same_sound may have to
                # read the phrase with pypinyin, which costs far more.
                weak, strong = _local_strength(text, at, c), _local_strength(text, at, good)
                if strong < ratio * max(weak, 1):
                    continue
                if not same_sound(c, good, text[at - left:at] + good + text[at + 1:at + right + 1], left):
                    continue
                elsewhere = first[(key, good)]
                a, b = at - left, at + right + 1
                suspect, correction = text[a:b], text[a:at] + good + text[at + 1:b]
                why = f"“{c}”与“{good}”同音，本报告另处写作“{correction}”"
                found.append(Suspect(offsets[a], offsets[b - 1] + 1, suspect, correction, why,
                                     {"kind": "self_swap", "suggestion": correction,
                                      "changed": {"from": c, "to": good},
                                      "elsewhere": {"start": offsets[elsewhere - left],
                                                    "end": offsets[elsewhere + right] + 1, "count": m}}))
    return found


def self_drop_suspects(sentences: list[tuple[int, str]], params: dict) -> list[Suspect]:
    """A character left out of a word, where the report writes the same context with it elsewhere
    ("企事业单信息" against "企事业单位信息"): the gap leaves a character alone that rarely stands
    alone, and with the missing character it makes a word."""
    left, right = params.get("left", 3), params.get("right", 2)
    exempt = set(params.get("exempt", ""))
    bound = params.get("bound", 0.2)
    han = params.get("han", 2)
    text, offsets = _joined(tuple(sentences))
    size = left + 1 + right
    codes = _codes(text)
    gapped_hashes = _rolling_hash(codes, size - 1)
    gapped_hashes = np.where(_rolling_count(codes == 0, size - 1) == 0, gapped_hashes, 0)

    def written_without_centre(hashes, centre, valid):
        written = np.zeros(len(hashes), dtype=bool)
        written[valid] = _member(hashes[valid], np.unique(gapped_hashes))
        return written

    with_char = {key: places[0] for key, places
                 in _centres(text, left, right, exempt, keep=written_without_centre).items()}
    found = []
    wanted = np.unique(_rolling_hash(_codes("\x00".join(with_char)), size - 1)) if with_char else np.zeros(0, np.uint64)
    for i in np.flatnonzero(_member(gapped_hashes, wanted)).tolist():
        gapped = text[i:i + size - 1]
        hit = with_char.get(gapped)
        if hit is None:
            continue
        missing, elsewhere = hit
        if not _ALL_HAN.fullmatch(gapped[left - han:left + han]):
            continue  # "2023年，州…" against "2023年，全州…": a modifier left out at a phrase's start
        before, after = gapped[left - 1], gapped[left]
        # which neighbour the missing character belongs with: the word it makes
        word = max((before + missing, after and missing + after), key=_f)
        alone = before if word == before + missing else after
        if _f(word) == 0 or standalone_share(alone) >= bound:
            continue
        sentence_text, at = _sentence_around(text, i + left)
        words = _segment(sentence_text)
        pos = at - 1 if alone == before else at
        if not any(a == pos and b == pos + 1 for a, b, _ in words):
            continue  # the character the gap leaves is not alone in the sentence's words after all
        correction = gapped[:left] + missing + gapped[left:]
        why = f"漏了“{missing}”，“{alone}”单独不成词；本报告另处写作“{correction}”"
        found.append(Suspect(offsets[i], offsets[i + size - 2] + 1, gapped, correction, why,
                             {"kind": "self_drop", "suggestion": correction, "missing": missing,
                              "elsewhere": {"start": offsets[elsewhere - left],
                                            "end": offsets[elsewhere + right] + 1}}))
    return found


def _sentence_around(text: str, i: int) -> tuple[str, int]:
    """The sentence of the joined text holding position i, and i's offset in it."""
    a = text.rfind(_SEPARATOR, 0, i) + 1
    b = text.find(_SEPARATOR, i)
    return text[a:b if b >= 0 else len(text)], i - a


MODES = {"idiom": idiom_suspects, "self_swap": self_swap_suspects, "self_drop": self_drop_suspects}


def prose_sentences(doc: Document, ctx, scope=()) -> tuple[tuple[int, str], ...]:
    """The narrative's sentences (start, text): in a section, with sentence punctuation of their
    own (a line without any is a table row or a heading)."""
    return tuple((s.start, s.text) for s in ctx.sentences
                 if s.section is not None and (not scope or s.section in scope) and _PUNCTUATION.search(s.text))


def run(doc: Document, rules: list[Rule], ctx) -> Iterable[Finding]:
    by_scope: dict[tuple[str, ...], tuple[tuple[int, str], ...]] = {}  # the modes mostly read the same
    for rule in rules:
        scope = tuple(rule.scope)
        if scope not in by_scope:
            by_scope[scope] = prose_sentences(doc, ctx, scope)
        sentences = by_scope[scope]
        seen = set()
        for s in MODES[rule.params["mode"]](sentences, rule.params):
            if (s.start, s.end) in seen:
                continue
            seen.add((s.start, s.end))
            yield make_finding(rule, doc, rule.format(match=s.text, suggestion=s.correction, why=s.why),
                               span=(s.start, s.end), content=f"{s.text}→{s.correction}",
                               evidence={**s.evidence, "suspect": s.text, "why": s.why})



if __name__ == "__main__":  # python -m auditor.checks.typo > rules/typo_misspellings.yaml
    import sys

    from auditor.rules.loader import load_rules

    [rule] = [r for r in load_rules() if r.kind == "typo" and r.params.get("mode") == "idiom"]
    pairs = dictionary_misspellings(rule.params)
    sys.stdout.write(
        "# Generated by `python -m auditor.checks.typo > rules/typo_misspellings.yaml` from jieba's dictionary\n"
        f"# and pypinyin with the params of {rule.id} (min_freq, variant, exempt): the dictionary's words\n"
        "# that are a far rarer same-sound spelling of another word (tests/test_typos.py checks it is current).\n"
        "misspellings:\n" + "".join(f"  {w}: {t}\n" for w, t in pairs.items()))
