"""The corpus index: which passages of a report were copied from other reports, and from which.

Design (measured by bench/reuse_pan.py, bench/reuse_scale.py, bench/reuse_series.py):

1. Units. Every report is cut into narrative passages (auditor.similarity.passages: sentences cut
   at line breaks, mandated template text blanked, numbers masked). Template text never takes
   part, so the preamble, the statistics-period sentence, contact lines and headings are never
   "copied". Political formulas and the tables restated in words (rules/template_text.yaml
   `formulas`) stay in the text but are never counted as shared wording.
2. Representation. Character 2–4-grams of the masked passage, hashed into N_FEATURES columns
   (the hashing trick of scikit-learn's HashingVectorizer, vectorised in numpy in `_counts`: no
   vocabulary to keep, so memory grows with the corpus only), weighted 1+log(tf) × idf and
   l2-normalised. Chinese has no word boundaries; character n-grams need none.
   Storage (bench/reuse_scale.py): passages with the same wording share one vector
   (`p_vector`), kept as uint8 counts + int32 columns + an inverse norm per row
   (auditor.similarity.vectors) and weighed only for the rows a query reads, and there only
   the non-zeros in the query's own n-grams (QueryVectors: nothing is built over all
   N_FEATURES columns per query, and the cosines are bit for bit the full product's); the posting list
   of an n-gram keeps its first POSTING_KEEP passages (all a query reads), df is kept whole.
   Built in one streaming pass (IndexBuilder): a report's counts are dropped once added; the
   new wordings' counts and the postings wait for the corpus-wide df in a temporary file
   (_Spill), so the build holds little more than what the index keeps.
3. Candidates. Pairs (audited passage, indexed passage) with cosine ≥ COSINE_MIN. Small corpora
   are searched exactly (one sparse product). Above EXACT_MAX_PASSAGES, candidates come from
   the ANCHORS rarest n-grams of each audited passage (posting lists read up to POSTING_CAP, a
   candidate sharing ≥ MIN_ANCHOR_HITS of them), scored by the exact cosine afterwards; every
   passage with a found wording is a candidate too. Candidates only choose the reports compared
   in detail (step 3 of `_query`): those reports, and the same body's, are then searched
   exactly, so copying from the body's own earlier years never depends on sampling, and a
   chosen report is compared with every passage it shares. A passage whose best report is
   another body's also has its best report of the other relation compared (an earlier report
   where the sample reached only later ones, or the reverse): without it a sentence many bodies
   share was found under one relation only (recall 0.911 at 8,000 reports). Recall against
   exact search: bench/reuse_scale.py. Passages with the same wording have the same vector:
   they share one vector (`p_vector`), scored once, so a sentence hundreds of reports share
   costs one comparison.
4. Alignment. A candidate pair counts only when difflib finds the same wording in both: blocks
   of ≥ MIN_BLOCK characters, ≥ MIN_MATCHED characters of evidence covering ≥ MIN_COVER of the
   shorter passage (or ≥ LONG_MATCH characters: half a sentence pasted next to one's own), and
   ≥ MIN_DENSITY of the aligned stretch on both sides. The aligned stretch, not the whole
   sentence, becomes the segment, so a sentence that is half copied reports the copied half.
   An alignment depends on the two wordings (and their formula characters) alone: a process
   remembers the last ALIGNMENTS_KEPT it made, since the same sentence is in many reports.
5. Spans. Segments from one source report that follow each other in the audited report (gap ≤
   MERGE_GAP wording characters, same section) and in the source (gap ≤ SOURCE_GAP) are merged
   into one maximal span — one detection per copied paragraph, as PAN's granularity wants.
6. Sources. Per relation ("same_body_earlier", "same_body_later_or_same_year", "other_body",
   "other_body_later")
   spans never overlap: the span with the most aligned characters wins a stretch of text, ties
   go to the most recent year, then the path. A passage found in hundreds of reports is
   reported once per relation, from the report that shares the most with the audited one.

Shards. Step 3's candidate pairs and 4's alignments read passages; choosing the reports compared
in detail and the competition of step 6 weigh reports against each other. The first run where
the passages are (CorpusIndex.shard_best_pairs, shard_spans), the second in `_Coordinator`, which
CorpusIndex and auditor.similarity.shards.ShardedIndex (shards of the corpus on Dask workers,
auditor/batch/shards.py) share: a sharded query is the same computation as one index's.

Excluded as sources: the audited document itself (same path) and any indexed document with the
same narrative (the pdf twin of a txt: identical text is the same report).

Bodies: see `normalize_agency` and `same_body`. Relation: same body and a source year before
the audited year → "same_body_earlier"; same body otherwise (same year, later, or a year
unknown) → "same_body_later_or_same_year"; another body's report of a later year →
"other_body_later" (it may have copied this one, not the other way round); else "other_body".
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from difflib import Match
from functools import lru_cache

try:
    # CPython's difflib compiled: the same algorithm and code, so the same blocks for every pair
    # (checked on the findings of the shared corpus and 2,000 generated reports), ~3× faster.
    from cydifflib import SequenceMatcher
except ImportError:  # a platform without its wheel: the same results, slower
    from difflib import SequenceMatcher

import numpy as np
import scipy.sparse as sp

from auditor.memo import per_document
from auditor.model import Document
from auditor.nlp.sentences import split_document
from auditor.similarity.passages import Passage, narrative_passages, stock_flags
from auditor.similarity.template import formula_flags, formula_spans
from auditor.similarity.vectors import PairCosines, QueryVectors, WordingVectors

# --------------------------------------------------------------------------- parameters

NGRAM_RANGE = (2, 4)
N_FEATURE_BITS = 20
N_FEATURES = 2 ** N_FEATURE_BITS
# A pair of passages is a candidate from this cosine on; the alignment decides.
COSINE_MIN = 0.2
# Exact all-pairs search up to this many indexed passages (≈ 250 full reports); above it,
# candidate generation by rare n-grams.
EXACT_MAX_PASSAGES = 20_000
ANCHORS = 32  # rarest n-grams of an audited passage looked up (its own names take a few)
POSTING_CAP = 64  # postings read per n-gram (an n-gram in more passages is common anyway)
MIN_ANCHOR_HITS = 2  # a candidate must share this many anchors (1 when the passage has < 4)
# Postings kept per n-gram: a query reads POSTING_CAP plus the audited report's own entries
# (dropped), so longer lists are never read past this unless a report has more than
# POSTING_SLACK passages with the n-gram (then it reads at most this many: a common n-gram). Kept
# lists are bounded by N_FEATURES × POSTING_KEEP whatever the corpus size.
POSTING_SLACK = 96
POSTING_KEEP = POSTING_CAP + POSTING_SLACK
PLACE_DTYPE = np.min_scalar_type(POSTING_KEEP - 1)  # a posting's place in its n-gram's list
# Alignment of one passage pair.
MIN_BLOCK = 3  # shorter common runs are chance ("公开", "0年")
MIN_MATCHED = 10  # wording characters in common, at least
MIN_COVER = 0.5  # of the shorter passage…
LONG_MATCH = 20  # …unless this many characters are in common (a sentence half copied)
MIN_DENSITY = 0.5  # of the aligned stretch, on both sides
EDGE_SLACK = 6  # an alignment ending this close to both passages' ends is taken to the ends
MAX_SOURCE_OVERLAP = 3  # segments re-using the same source characters are not one span
# Merging segments of one source into spans, in wording characters (CJK, letters, digits).
MERGE_GAP = 25
SOURCE_GAP = 80
# Reports compared in detail per query: the same body's, the best-scoring ones, and the best
# candidate report of every passage.
TOP_REPORTS = 4
# Alignments a process remembers (CorpusIndex._aligned): ~200 bytes each, 10–20 MB at most.
ALIGNMENTS_KEPT = 50_000
PAIRS_PER_PASSAGE_AND_REPORT = 2

RELATIONS = ("same_body_earlier", "same_body_later_or_same_year", "other_body", "other_body_later")
FORMAT_VERSION = 3  # 2: formula spans per report; 3: one vector per wording, truncated postings

_SPACE = re.compile(r"\s")

# --------------------------------------------------------------------------- bodies

# Suffixes naming the government or its office rather than the body: the office of a county
# government compiles the county government's report ("洪泽区人民政府（淮安市洪泽区人民政府办公室编制）").
_AGENCY_SUFFIXES = ("人民政府办公室", "管理委员会办公室", "管委会办公室", "人民政府", "管理委员会", "管委会", "办公室")
# A higher-level place qualifying a name: "淮安市" in "淮安市洪泽区". Only administrative levels
# above the one being qualified, so "上海市" + "科委" is not "上海市". See _is_qualifier.
_QUALIFIER_LEVELS = ("省", "自治区", "特别行政区", "市", "自治州", "州", "地区", "盟")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
# The shorter name must itself be a place (or start with one): "洪泽区", "余杭区卫生健康局".
_PLACE_NAME = re.compile(r"^[\u4e00-\u9fff]{1,10}?(?:省|自治区|市|自治州|州|地区|盟|区|县|旗|镇|乡|街道|实验区)")
# Names that do not identify anybody ("我单位", "本机关", a placeholder).
_NOT_A_NAME = re.compile(r"^(?:我|本|该)(?:单位|机关|部门|局|办|委|中心|县|区|市|镇|乡|街道)$|^某|^(?:政府|单位|机关)$")


@lru_cache(maxsize=1 << 16)  # one body's name is compared with many others, in a query and in the index page
def normalize_agency(name: str | None) -> str:
    """A body's name in comparable form: no parenthetical notes, no spaces, and without the
    suffixes that name the government or its office (人民政府, 办公室, 管委会…), so "淮安市洪泽区人民政府"
    → "淮安市洪泽区" and "平潭综合实验区管委会" → "平潭综合实验区". "" when the name identifies nobody."""
    if not name:
        return ""
    s = re.sub(r"[（(][^）)]*[）)]", "", name)
    s = re.sub(r"\s+", "", s)
    changed = True
    while changed:
        changed = False
        for suffix in _AGENCY_SUFFIXES:
            if s.endswith(suffix) and len(s) - len(suffix) >= 2:
                s = s[: -len(suffix)]
                changed = True
    if len(s) < 3 or _NOT_A_NAME.search(s):
        return ""
    return s


def same_body(a: str | None, b: str | None) -> bool:
    """True when two agency names name the same body.

    Conservative rule: the normalized names are equal, or one is the other qualified by
    higher-level places ("淮安市" + "洪泽区"), and the shorter one is itself a place name
    ("洪泽区", "余杭区卫生健康局"). "上海市" and "上海市科委" are different bodies; so are two
    departments of the same city; an unknown or anonymous name ("我单位") matches nothing.
    """
    return _same_normalized(normalize_agency(a), normalize_agency(b))


def count_bodies(names) -> int:
    """How many bodies the agency names name (same_body), each name compared only with the names
    counted before it that could name its body (see CorpusIndex._same_body_names): a passage
    copied by thousands of reports is not a comparison of every name with every other."""
    counted: set[str] = set()
    qualified: dict[str, list[str]] = defaultdict(list)  # a level-cut suffix → the names counted with it
    bodies = 0
    for agency in names:
        name = normalize_agency(agency)
        candidates = {name, *_level_cuts(name), *qualified.get(name, ())}
        if any(other in counted and _same_normalized(name, other) for other in candidates):
            continue
        bodies += 1
        counted.add(name)
        for suffix in _level_cuts(name):
            qualified[suffix].append(name)
    return bodies


def _same_normalized(na: str, nb: str) -> bool:
    if not na or not nb:
        return False
    if na == nb:
        return True
    short, long_ = sorted((na, nb), key=len)
    if not long_.endswith(short) or not _PLACE_NAME.match(short):
        return False
    return _is_qualifier(long_[: -len(short)])


_LEVEL_ENDS = frozenset(level[-1] for level in _QUALIFIER_LEVELS)


def _level_cuts(name: str) -> list[str]:
    """The suffixes of `name` that follow a character ending a level of _QUALIFIER_LEVELS: where
    a qualifier (_is_qualifier) before a shorter name can end."""
    return [name[i:] for i in range(1, len(name)) if name[i - 1] in _LEVEL_ENDS]


def _is_qualifier(text: str) -> bool:
    """`text` is one or more places of 1–8 Han characters each ending in a level of
    _QUALIFIER_LEVELS ("江苏省淮安市").

    What ^(?:[\u4e00-\u9fff]{1,8}?(?:省|…|盟))+$ said, decided left to right over the end positions
    instead: the regex tried every way to cut the text into places and took exponential time on a
    long name that almost fits ("市市市…市x").
    """
    if not _HAN.fullmatch(text):
        return False
    fits = [True] + [False] * len(text)  # fits[i]: text[:i] is a sequence of places
    for end in range(1, len(text) + 1):
        for level in _QUALIFIER_LEVELS:
            body_end = end - len(level)
            if body_end >= 1 and text.startswith(level, body_end) and \
                    any(fits[start] for start in range(max(0, body_end - 8), body_end)):
                fits[end] = True
                break
    return fits[-1]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ReuseMatch:
    start: int  # offsets into the audited Document.text, end exclusive
    end: int
    text: str
    section: str | None
    source_path: str
    source_agency: str | None
    source_year: int | None
    source_start: int  # offsets into the source document's text
    source_end: int
    source_text: str
    similarity: float  # share of the aligned characters that are identical (masked numbers)
    relation: str  # same_body_earlier | same_body_later_or_same_year | other_body | other_body_later

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "section": self.section,
                "source": {"path": self.source_path, "agency": self.source_agency, "year": self.source_year,
                           "start": self.source_start, "end": self.source_end, "text": self.source_text},
                "similarity": round(self.similarity, 4), "relation": self.relation}


@dataclass(frozen=True)
class _Report:
    """What the index keeps of an indexed document."""

    path: str
    agency: str | None
    year: int | None
    fingerprint: str
    text: str
    # Formula stretches inside its passages, (start, end) in text: computed once when indexed
    # (the regex is the costliest part of a key), and what every comparison with it needs.
    formulas: tuple[tuple[int, int], ...] = ()


@dataclass
class _Audited:
    """A report being audited, as the index sees it; what the query and the reuse ratios of an
    audit share is computed once."""

    doc: Document
    passages: list[Passage]
    excluded: set[int]  # indexed reports that are this report (same path, or same narrative)
    body: frozenset[int]  # indexed reports of the same body, the excluded ones left out
    indexed: int | None = None  # the index's report that is this one, when it is indexed as is
    own_rows: np.ndarray | None = None  # that report's rows
    keys: list | None = None
    vectors: sp.csr_matrix | None = None
    query: QueryVectors | None = None  # the vectors as every product with index rows reads them
    words: np.ndarray | None = None
    spans: list | None = None  # every source report's spans before sources compete (the query's)
    plan_basis: tuple | None = None  # (probe, chosen reports) of the query: what query_plan digests
    plan: str | None = None  # digest of what the query compares in detail (query_plan)


@dataclass
class _Probe:
    """What the parts of a query that read passages need of the audited report (it pickles: a
    sharded index sends it to the shards). Report numbers are global."""

    passages: list[Passage]
    keys: list
    vectors: sp.csr_matrix
    query: QueryVectors
    words: np.ndarray
    excluded: frozenset[int]
    body: frozenset[int]
    own: tuple[np.ndarray, np.ndarray] | None  # candidate search: the excluded reports' n-grams
    # the index rows of the passages' vectors, when the audited report is indexed as is in the
    # index that runs the query (CorpusIndex.pair_cosines); None otherwise
    wordings: np.ndarray | None = None


# Candidate pairs: (audited passage i, indexed passage j, cosine), as parallel arrays.
_Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]
_NO_PAIRS: _Pairs = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))


@dataclass
class _Segment:
    """One aligned passage pair: query [qs, qe) ↔ source [ss, se), `matched` identical chars out
    of `aligned` (the longer of the two aligned stretches)."""

    qs: int
    qe: int
    ss: int
    se: int
    matched: int
    aligned: int
    section: str | None  # of the audited passage: a span never crosses a section boundary


@dataclass
class _Span:
    report: int
    segments: list[_Segment]

    @property
    def qs(self) -> int:
        return min(s.qs for s in self.segments)

    @property
    def qe(self) -> int:
        return max(s.qe for s in self.segments)

    @property
    def ss(self) -> int:
        return min(s.ss for s in self.segments)

    @property
    def se(self) -> int:
        return max(s.se for s in self.segments)

    @property
    def matched(self) -> int:
        return sum(s.matched for s in self.segments)

    @property
    def similarity(self) -> float:
        return sum(s.matched for s in self.segments) / max(1, sum(s.aligned for s in self.segments))


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class _Key:
    """A passage as compared: the masked text without blanks or spaces, the offset of each of
    its characters inside the passage, and how many of its first k characters belong to a
    formula (no evidence of copying)."""

    text: str
    positions: range | list[int]
    formula: np.ndarray  # prefix counts, len(text) + 1
    # formula[-1]: none in most passages, whose characters are then all evidence (read as an int
    # once, not as numpy scalars in every alignment)
    formula_chars: int

    def evidence(self, a: int, b: int) -> int:
        """Characters in [a, b) that are not formula."""
        if not self.formula_chars:
            return b - a
        return (b - a) - int(self.formula[b] - self.formula[a])


# Passages whose stock mask a process remembers (_stock_mask): ~0.5 KB each, a few MB at most.
STOCK_MASKS_KEPT = 1 << 13


@lru_cache(maxsize=STOCK_MASKS_KEPT)
def _stock_mask(masked: str) -> np.ndarray | None:
    """stock_flags(masked) as a read-only boolean array, None when no character is stock (nine
    passages in ten). It depends on the masked text alone, and reports repeat their template and
    stock sentences: reuse_ratios reads one for every passage of every audited report."""
    stock = stock_flags(masked)
    if not any(stock):
        return None
    mask = np.asarray(stock, dtype=bool)
    mask.flags.writeable = False
    return mask


def _passage_flags(p: Passage) -> np.ndarray:
    return np.frombuffer(bytes(formula_flags(p.text)), dtype=np.uint8)


def _formula_spans(passages: list[Passage]) -> tuple[tuple[int, int], ...]:
    """Formula stretches of each passage (matched inside the passage alone), in text offsets."""
    return tuple((p.start + a, p.start + b) for p in passages for a, b in formula_spans(p.text))


def _flags_from_spans(length: int, spans) -> np.ndarray:
    flags = np.zeros(length, dtype=np.uint8)
    for a, b in spans:
        flags[a:b] = 1
    return flags


def _key(masked: str, flags: np.ndarray | None) -> _Key:
    """`flags`: the formula flags of the passage's characters, or None when it has none (most
    passages: their prefix counts are all zero)."""
    text = _SPACE.sub("", masked)
    if len(text) == len(masked):  # most passages have no blank: their positions are the identity
        positions: range | list[int] = range(len(masked))
    else:
        positions = [i for i, ch in enumerate(masked) if not ch.isspace()]
        if flags is not None:
            flags = flags[positions] if positions else np.zeros(0, np.uint8)
    prefix = np.zeros(len(text) + 1, dtype=np.int32)
    if flags is not None:
        np.cumsum(flags, out=prefix[1:])
    return _Key(text, positions, prefix, int(prefix[-1]))


def _evidence(q: _Key, s: _Key, blocks) -> int:
    """Aligned characters that are formula on neither side."""
    if not q.formula_chars and not s.formula_chars:
        return sum(b.size for b in blocks)
    total = 0
    for b in blocks:
        fq = int(q.formula[b.a + b.size] - q.formula[b.a])
        fs = int(s.formula[b.b + b.size] - s.formula[b.b])
        if fq and fs:  # both sides have formula characters here: count them one by one
            qf, sf = np.diff(q.formula[b.a:b.a + b.size + 1]), np.diff(s.formula[b.b:b.b + b.size + 1])
            total += int(((qf == 0) & (sf == 0)).sum())
        else:
            total += b.size - fq - fs
    return total


def _compact(masked: str) -> str:
    """What is vectorised: the masked passage without blanks and spaces."""
    return _SPACE.sub("", masked)


@per_document
def _analyse(doc: Document) -> tuple[list[Passage], str]:
    """The passages of `doc`, and its fingerprint: the hash of its narrative without spaces.
    Same narrative ⇒ same report (a pdf and the txt made from it)."""
    sentences = split_document(doc)
    joined = _SPACE.sub("", "".join(s.text for s in sentences))
    digest = hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()
    return narrative_passages(doc, sentences), digest


def _wording_digest(wording: str) -> bytes:
    """8 bytes naming a wording (blake2b): two distinct wordings share one with probability
    about 2⁻⁶⁴ per pair, far below anything a corpus of millions of passages can meet."""
    return hashlib.blake2b(wording.encode("utf-8", "surrogatepass"), digest_size=8).digest()


def _norm_path(path: str) -> str:
    return os.path.normcase(os.path.abspath(path)) if path else ""


def _word_prefix(text: str) -> np.ndarray:
    """prefix[k] = wording characters (CJK, ASCII letters and digits) in text[:k]. Gaps are
    measured in wording, so layout spaces and line breaks do not count."""
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lower = cp | 32
    word = ((cp >= 0x4E00) & (cp <= 0x9FFF)) | ((cp >= 48) & (cp <= 57)) | ((lower >= 97) & (lower <= 122))
    prefix = np.zeros(len(text) + 1, dtype=np.int32)
    np.cumsum(word, out=prefix[1:])
    return prefix


# The characters _word_prefix counts, in runs.
_WORDING_RUNS = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]+")


def _wording_between(text: str, start: int, end: int) -> int:
    """Wording characters (as _word_prefix counts them) in text[start:end]."""
    return sum(map(len, _WORDING_RUNS.findall(text, start, end))) if end > start else 0


def _wording_within(text: str, start: int, end: int, limit: int) -> bool:
    """Whether text[start:end] holds at most `limit` wording characters: a source's gaps are
    read a few per source report, where its whole text's prefix (tens of KB) cost more; a long
    gap is read only as far as it takes to pass the limit, which prose does within 4× as many
    characters."""
    if end - start <= limit:
        return True
    head = min(end, start + 4 * limit)
    count = _wording_between(text, start, head)
    return count <= limit and count + _wording_between(text, head, end) <= limit


_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_STEP = np.uint64(0x100000001B3)


def _counts(keys: list[str]) -> sp.csr_matrix:
    """Hashed character n-gram counts (NGRAM_RANGE, N_FEATURES columns), one row per key.

    The same representation as scikit-learn's HashingVectorizer(analyzer="char"), computed over
    all keys at once in numpy instead of one Python string per n-gram: indexing a report went
    from ~3 ms to ~0.3 ms. Each n-gram's code points are folded into 64 bits, its length mixed
    in, then finalised with splitmix64 so the bucket index is well spread.
    """
    if not keys:
        return sp.csr_matrix((0, N_FEATURES), dtype=np.float32)
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    code = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    # (row, column) is packed in an int32 where the rows allow it (under 2,048 passages: any
    # real report), which sorts in two thirds of an int64's time.
    packed = np.int32 if len(keys) < 1 << (31 - N_FEATURE_BITS) else np.int64
    row_of = np.repeat(np.arange(len(keys), dtype=packed), lengths)
    left = np.repeat(np.cumsum(lengths), lengths) - np.arange(len(code))  # characters to the row's end
    rows, cols = [], []
    # folded[i] = the code points from i on, folded as the hash folds them (n of them, n the
    # round): each round folds one more character into the last round's values.
    folded = code
    with np.errstate(over="ignore"):  # wrapping arithmetic is the hash
        for n in range(1, NGRAM_RANGE[1] + 1):
            if n > 1:
                folded = folded[:-1] * _STEP + code[n - 1:]
            if n < NGRAM_RANGE[0]:
                continue
            at = np.flatnonzero(left >= n)
            # The length the fold starts from, carried through its n steps.
            h = folded[at] + np.uint64(n * int(_STEP) ** n % 2 ** 64)
            h ^= h >> np.uint64(30)
            h *= _MIX1
            h ^= h >> np.uint64(27)
            h *= _MIX2
            h ^= h >> np.uint64(31)
            rows.append(row_of[at])
            cols.append((h & np.uint64(N_FEATURES - 1)).astype(packed))
    # The CSR arrays straight from one sort of (row, column) packed in one integer, as scipy's
    # COO → CSR conversion and sum_duplicates gave them (columns ascending in each row, int32
    # indices, float32 counts) at a third of their cost.
    cells = np.concatenate(rows)
    cells <<= N_FEATURE_BITS
    cells |= np.concatenate(cols)
    cells.sort()
    run_starts = _runs(cells)
    distinct = cells[run_starts[:-1]]
    indptr = np.searchsorted(distinct >> N_FEATURE_BITS, np.arange(len(keys) + 1)).astype(np.int32)
    indices = (distinct & (N_FEATURES - 1)).astype(np.int32)
    data = np.diff(run_starts).astype(np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(keys), N_FEATURES))


def _weigh(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """1+log(tf) × idf, rows l2-normalised (of a query's passages; the index's own vectors are
    auditor.similarity.vectors, which computes the same values).

    Float32 throughout, in the same operations and order as scipy's
    diags(1/norms) @ (m.multiply(m)).sum(axis=1) that this replaces, so the vectors (and every
    cosine) are bit for bit what they were, without the three copies of the matrix.
    """
    m = counts.copy()  # callers keep their counts
    m.sum_duplicates()
    data = m.data if m.data.dtype == np.float32 else m.data.astype(np.float32)
    np.log(data, out=data)
    data += np.float32(1.0)
    data *= idf[m.indices]
    lengths = np.diff(m.indptr)
    norms = np.zeros(m.shape[0], dtype=np.float32)
    nonempty = np.flatnonzero(lengths)
    if len(nonempty):
        norms[nonempty] = np.add.reduceat(data * data, m.indptr[nonempty])
    norms = np.sqrt(norms)
    norms[norms == 0] = 1.0
    data *= np.repeat((1.0 / norms).astype(np.float32), lengths)
    # scipy's sparse product (csr_matmat) wrote each row's columns in reverse order; the order
    # of a row's columns is the order of the sums in every later product, so it is kept.
    rev = np.arange(len(data))
    if len(data):
        row_end = np.repeat(m.indptr[1:], lengths)
        row_start = np.repeat(m.indptr[:-1], lengths)
        rev = row_start + (row_end - 1 - rev)
    return sp.csr_matrix((data[rev], m.indices[rev], m.indptr), shape=m.shape)


def _best_of_pairs(i: np.ndarray, r: np.ndarray, c: np.ndarray, passages: int,
                   reports: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of (audited passage i, report r, cosine c) pairs, the best cosine of each (i, r), sorted by
    r then i; the cosines float32 as the products give them, returned as float64. A pair found
    twice (by candidates and by the same body's exact search) has the same cosine both times.

    One sort of one int64 per pair: report, passage and the cosine's bits packed in that order
    (a non-negative float32's bits order as its value does), so the last of each (r, i) run is
    its best. The candidates of a query grow with the corpus (every passage of a wording found
    is a candidate): a four-key lexsort of them, and a unique before it, cost ~2 ms a query at
    20,000 reports. Too many reports or passages to pack: the lexsort."""
    c = np.asarray(c, dtype=np.float32)
    i_bits, r_bits = max(1, int(passages).bit_length()), max(1, int(reports).bit_length())
    if len(i) and i_bits + r_bits + 31 <= 63 and not np.signbit(c).any():
        packed = (r << (i_bits + 31)) | (i.astype(np.int64) << 31) | c.view(np.int32).astype(np.int64)
        # The pairs come in long runs already in order (each source's, by report), which a
        # merge sort takes as they are: ~3× faster here than the default quicksort.
        packed.sort(kind="stable")
        group = packed >> 31
        last = np.ones(len(packed), dtype=bool)
        last[:-1] = group[1:] != group[:-1]
        packed = packed[last]
        best = (packed & 0x7FFFFFFF).astype(np.int32).view(np.float32)
        return (packed >> 31) & ((1 << i_bits) - 1), packed >> (i_bits + 31), best.astype(np.float64)
    return _best_of_pairs_by_lexsort(i, r, c)


def _best_of_pairs_by_lexsort(i: np.ndarray, r: np.ndarray,
                              c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """_best_of_pairs by a lexsort of the three keys: where the packed key does not fit, and the
    reference the packed sort must equal."""
    c = np.asarray(c, dtype=np.float32).astype(np.float64)
    order = np.lexsort((-c, i, r))
    i, c, r = i[order], c[order], r[order]
    first = np.ones(len(i), dtype=bool)
    first[1:] = (r[1:] != r[:-1]) | (i[1:] != i[:-1])
    return i[first], r[first], c[first]


def _runs(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted array starts, and its length at the end: run k
    is ordered[at[k]:at[k + 1]]."""
    edge = np.empty(len(ordered) + 1, dtype=bool)
    edge[0] = edge[-1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=edge[1:-1])
    return np.flatnonzero(edge)


def _unique_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(keys, return_counts=True), by a merge sort: a query's candidate keys are
    ascending runs (one per posting list read), which a merge sort takes as they are — half the
    time of the quicksort np.unique runs on 60,000 keys of a 20,000-report corpus."""
    ordered = np.sort(keys, kind="stable")
    at = _runs(ordered)
    return ordered[at[:-1]], np.diff(at)


def _by_passage(gi: np.ndarray, gc: np.ndarray, report_of: np.ndarray, by_score: np.ndarray) -> np.ndarray:
    """The order of a query's (passage gi, report, cosine gc) pairs by passage, then cosine to
    two decimals (highest first), then the report's score (highest first), then the report: as
    np.lexsort((report, -score, -np.round(gc, 2), gi)). `report_of`: each pair's report's place
    among the reports, `by_score` those places by score then report, so a report's rank there
    stands for both last keys. One argsort of packed int64 keys instead of a four-key lexsort
    (their number grows with the corpus); np.round(gc, 2) is rint(gc × 100) / 100, so the
    hundredths order and tie as the rounded cosines do."""
    rank = np.empty(len(by_score), dtype=np.int64)
    rank[by_score] = np.arange(len(by_score))
    rank = rank[report_of]
    cents = np.rint(np.asarray(gc, dtype=np.float64) * 100.0)
    r_bits = max(1, len(by_score).bit_length())
    i_bits = max(1, int(gi.max()).bit_length()) if len(gi) else 1
    if len(gi) and i_bits + 8 + r_bits <= 63 and cents.min() >= 0 and cents.max() <= 255:
        key = (gi.astype(np.int64) << (8 + r_bits)) | ((255 - cents.astype(np.int64)) << r_bits) | rank
        # distinct keys: any sort gives this order, and a merge sort is faster on their runs
        return np.argsort(key, kind="stable")
    return np.lexsort((rank, -cents, gi))


def _passage_order(gi: np.ndarray, gc: np.ndarray, report_of: np.ndarray, by_score: np.ndarray) -> np.ndarray:
    """For each of a query's (passage gi, report, cosine gc) pairs, a key that orders the pairs
    of one passage as _by_passage does (cosine to two decimals, highest first, then the
    report's score, highest first, then the report), distinct within a passage: its smallest
    over a passage's pairs is the passage's first. Without sorting: the hundredths and the
    report's rank by score packed into one int64, as _by_passage packs them after the passage;
    where they do not fit, each pair's place in _by_passage's order."""
    rank = np.empty(len(by_score), dtype=np.int64)
    rank[by_score] = np.arange(len(by_score))
    rank = rank[report_of]
    cents = np.rint(np.asarray(gc, dtype=np.float64) * 100.0)
    if len(gi) == 0 or (cents.min() >= 0 and cents.max() <= 255):
        return ((255 - cents.astype(np.int64)) << max(1, len(by_score).bit_length())) | rank
    place = np.empty(len(gi), dtype=np.int64)
    place[_by_passage(gi, gc, report_of, by_score)] = np.arange(len(gi))
    return place


def _firsts(gi: np.ndarray, key: np.ndarray, passages: int) -> np.ndarray:
    """Whether each pair is its passage's first: the smallest `key` among its passage's pairs
    (keys are distinct within a passage, _passage_order)."""
    smallest = np.full(passages, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, gi, key)
    return key == smallest[gi]


def _stray(edge, neighbour) -> bool:
    """A short block at the edge of an alignment, further from the rest than it is long, is a
    chance hit ("信息公开" at the end of an unrelated sentence): it must not stretch the span."""
    if edge.a < neighbour.a:
        gap = max(neighbour.a - edge.a - edge.size, neighbour.b - edge.b - edge.size)
    else:
        gap = max(edge.a - neighbour.a - neighbour.size, edge.b - neighbour.b - neighbour.size)
    return gap > edge.size


def _align(q: _Key, s: _Key) -> tuple[int, int, int, int, int] | None:
    """(q_from, q_to, s_from, s_to, matched) in key coordinates, or None when the two passages
    do not share enough wording. Formula characters (on either side) align but are no evidence
    of copying."""
    if q.text == s.text:
        blocks = [Match(0, 0, len(q.text))]
    else:
        blocks = [b for b in SequenceMatcher(None, q.text, s.text, autojunk=False).get_matching_blocks()
                  if b.size >= MIN_BLOCK]
        while len(blocks) > 1 and _stray(blocks[0], blocks[1]):
            blocks.pop(0)
        while len(blocks) > 1 and _stray(blocks[-1], blocks[-2]):
            blocks.pop()
    if not blocks:
        return None
    matched = sum(b.size for b in blocks)
    evidence = _evidence(q, s, blocks)
    shorter = min(q.evidence(0, len(q.text)), s.evidence(0, len(s.text)))
    if evidence < MIN_MATCHED or (evidence < MIN_COVER * shorter and evidence < LONG_MATCH):
        return None
    q_from, q_to = blocks[0].a, blocks[-1].a + blocks[-1].size
    s_from, s_to = blocks[0].b, blocks[-1].b + blocks[-1].size
    # Dense on both sides, formulas aside: a few shared phrases spread over two long sentences
    # are not a copy.
    if evidence < MIN_DENSITY * max(q.evidence(q_from, q_to), s.evidence(s_from, s_to)):
        return None
    # An edit in the first or last few characters of a copied sentence is part of the copy.
    if q_from <= EDGE_SLACK and s_from <= EDGE_SLACK:
        q_from = s_from = 0
    if len(q.text) - q_to <= EDGE_SLACK and len(s.text) - s_to <= EDGE_SLACK:
        q_to, s_to = len(q.text), len(s.text)
    return q_from, q_to, s_from, s_to, matched


@dataclass
class IndexEntry:
    """One report as the index takes it: its record, its passages and their n-gram counts.
    Computed per document, so batch workers can do it in parallel (it pickles)."""

    report: _Report
    sections: list[str | None]
    masked: list[str]
    starts: list[int]
    ends: list[int]
    counts: sp.csr_matrix


def index_entry(doc: Document) -> IndexEntry:
    passages, fingerprint = _analyse(doc)
    report = _Report(path=doc.path, agency=doc.meta.agency, year=doc.meta.year,
                     fingerprint=fingerprint, text=doc.text, formulas=_formula_spans(passages))
    return IndexEntry(report, [p.section for p in passages], [p.masked for p in passages],
                      [p.start for p in passages], [p.end for p in passages],
                      _counts([_compact(p.masked) for p in passages]))


# --------------------------------------------------------------------------- building


class IndexBuilder:
    """Builds a CorpusIndex one report at a time, in a streaming pass: what it keeps of a report
    is its record, its passages' masked text and offsets, a vector per wording not seen before,
    and its first postings; the report's n-gram counts are dropped as soon as they are added.

        builder = IndexBuilder()
        for entry in entries:          # any iterable: a generator over worker results
            builder.add(entry)
        index = builder.finish()
    """

    def __init__(self) -> None:
        self.reports: list[_Report] = []
        self.sections: list[str | None] = []
        self.masked: list[str] = []  # per report: its passages' masked texts end to end
        self._masked_lengths: list[np.ndarray] = []
        self._owners: list[np.ndarray] = []
        self._starts: list[np.ndarray] = []
        self._ends: list[np.ndarray] = []
        # wording (compact masked text) → vector row, keyed by a 64-bit digest: the wordings
        # themselves would be a second copy of every distinct passage text while building.
        self._vector_of: dict[bytes, int] = {}
        self._p_vector: list[np.ndarray] = []
        # n-gram counts of the wordings not seen before: row lengths, columns, counts
        self._new_lengths: list[np.ndarray] = []
        # What the build only reads back at the end waits in a temporary file, not in memory:
        # the new wordings' columns and counts, and the postings (see _Spill).
        self._spill = _Spill()
        self._new_cols: list[tuple] = []
        self._new_tf: list[tuple] = []
        self._df = np.zeros(N_FEATURES, dtype=np.int64)  # passages with each n-gram
        # Per report: (n-gram << bits | passage - first passage (spilled), the place of each in
        # its n-gram's list (spilled), first passage, bits), POSTING_KEEP per n-gram
        self._postings: list[tuple[tuple, tuple, int, int]] = []
        self._n = 0

    def add(self, entry: IndexEntry) -> None:
        r = len(self.reports)
        m = len(entry.masked)
        self.reports.append(entry.report)
        self.sections.extend(entry.sections)
        self.masked.append("".join(entry.masked))
        self._masked_lengths.append(np.fromiter(map(len, entry.masked), dtype=np.int32, count=m))
        self._owners.append(np.full(m, r, dtype=np.int32))
        self._starts.append(np.asarray(entry.starts, dtype=np.int64))
        self._ends.append(np.asarray(entry.ends, dtype=np.int64))
        counts = entry.counts
        ids = np.empty(m, dtype=np.int32)
        fresh = []
        for k, masked in enumerate(entry.masked):
            wording = _wording_digest(_compact(masked))
            v = self._vector_of.get(wording)
            if v is None:
                v = self._vector_of[wording] = len(self._vector_of)
                fresh.append(k)
            ids[k] = v
        self._p_vector.append(ids)
        if fresh:
            new = _csr_rows(counts, np.asarray(fresh, dtype=np.int64)) if len(fresh) < m else counts
            new.sum_duplicates()  # columns ascending in each row, as the norms are summed
            self._new_lengths.append(np.diff(new.indptr))
            self._new_cols.append(self._spill.put(new.indices.astype(np.int32)))
            tf = new.data
            top = tf.max(initial=0)
            self._new_tf.append(self._spill.put(
                tf.astype(np.uint8 if top <= 255 else np.uint16 if top <= 65535 else np.uint32)))
        # Postings: each (n-gram, passage) pair in passage order, kept while the n-gram has
        # fewer than POSTING_KEEP; df counts them all.
        if counts.nnz:
            # (n-gram, passage of this report) packed in one number and sorted: n-grams ascending,
            # passages ascending inside each (what a stable argsort by n-gram gives, in a third
            # of its time). Kept in 32 bits when they fit (they do unless the report has
            # thousands of passages): half the memory of 64-bit keys.
            bits = max(1, (m - 1).bit_length())
            local = np.repeat(np.arange(m, dtype=np.int64), np.diff(counts.indptr))
            keys = (counts.indices.astype(np.int64) << bits) | local
            if N_FEATURE_BITS + bits <= 32:
                keys = keys.astype(np.uint32)
            keys.sort()
            feats = keys >> bits
            run = _runs(feats)  # the n-grams, and their passages
            first, lengths = feats[run[:-1]], np.diff(run)
            # each pair's place in its n-gram's list: the df before this report, plus its rank here
            position = np.repeat(self._df[first] - run[:-1], lengths) + np.arange(len(keys))
            keep = position < POSTING_KEEP
            if keep.any():
                self._postings.append((self._spill.put(keys[keep]),
                                       self._spill.put(position[keep].astype(PLACE_DTYPE)), self._n, bits))
            self._df[first] += lengths
        self._n += m

    @property
    def df(self) -> np.ndarray:
        """Passages added with each n-gram (a shard's part of the corpus-wide df)."""
        return self._df

    @property
    def passage_count(self) -> int:
        return self._n

    def finish(self, exact: bool | None = None, corpus_df: np.ndarray | None = None,
               corpus_passages: int | None = None, offset: int = 0) -> "CorpusIndex":
        """The index of every report added, in the order added. `exact` None chooses exact
        search for small corpora.

        A shard of a larger corpus (auditor.similarity.shards) is given the corpus-wide df and
        passage count (the sum of every shard's `df` and `passage_count`), so that it weighs
        n-grams as one index of the whole corpus would, and the global number of its first
        report (`offset`)."""
        df = self._df if corpus_df is None else corpus_df
        n = self._n if corpus_passages is None else corpus_passages
        idf = corpus_idf(df, n)
        indptr = np.zeros(len(self._vector_of) + 1, dtype=np.int64)
        if self._new_lengths:
            np.cumsum(np.concatenate(self._new_lengths), out=indptr[1:])
        self._vector_of = {}
        cols, self._new_cols = self._spill.gather(self._new_cols, np.int32), []
        tf, self._new_tf = self._spill.gather(self._new_tf), []
        vectors = WordingVectors.from_counts(indptr, cols, tf, idf, N_FEATURES)
        # An n-gram kept its first min(df, POSTING_KEEP) passages. Each report's postings are
        # put in the places `add` gave them and dropped in turn: no second copy of them all, no sort.
        post_ptr = np.zeros(N_FEATURES + 1, dtype=np.int64)
        np.cumsum(np.minimum(self._df, POSTING_KEEP), out=post_ptr[1:])
        post_idx = np.empty(int(post_ptr[-1]), dtype=np.int32)
        for chunk, places, base, bits in self._postings:
            keys = self._spill.get(chunk).astype(np.int64)
            post_idx[post_ptr[keys >> bits] + self._spill.get(places)] = base + (keys & ((1 << bits) - 1))
        self._postings = []
        self._spill.close()
        if exact is None:
            exact = n <= EXACT_MAX_PASSAGES

        def cat(parts, dtype):
            return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

        p_report = cat(self._owners, np.int32)
        masked = MaskedTexts(self.masked, p_report, cat(self._masked_lengths, np.int32))
        return CorpusIndex(self.reports, self.sections, masked, p_report,
                           cat(self._starts, np.int64), cat(self._ends, np.int64), idf, vectors,
                           cat(self._p_vector, np.int32), df.astype(np.int32), post_ptr, post_idx, exact, offset)


def _csr_rows(matrix: sp.csr_matrix, rows: np.ndarray) -> sp.csr_matrix:
    """matrix[rows] for a CSR matrix: the same rows, entries in their stored order, without
    scipy's general fancy indexing (~0.5 ms a call under the profiler, once per report the
    batch process adds to the index)."""
    sizes = matrix.indptr[rows + 1] - matrix.indptr[rows]
    first = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    at = np.repeat(matrix.indptr[rows] - first, sizes) + np.arange(int(sizes.sum()))
    indptr = np.zeros(len(rows) + 1, dtype=matrix.indptr.dtype)
    np.cumsum(sizes, out=indptr[1:])
    return sp.csr_matrix((matrix.data[at], matrix.indices[at], indptr), shape=(len(rows), matrix.shape[1]))


def corpus_idf(df: np.ndarray, passages: int) -> np.ndarray:
    """The smoothed idf of every n-gram, from its df over `passages` passages (as scikit-learn's)."""
    return (np.log((1.0 + passages) / (1.0 + df)) + 1.0).astype(np.float32)


class MaskedTexts:
    """The masked text of every passage (`p_masked[j]`), kept as one string per report: a
    string per passage costs some 60 bytes of header besides its characters, as much again as
    a short sentence's text."""

    def __init__(self, per_report: list[str], p_report: np.ndarray, lengths: np.ndarray):
        self._texts = per_report
        self._report = p_report
        self._length = lengths  # int32 per passage
        # where each passage starts in its report's string
        ends = np.cumsum(lengths, dtype=np.int64)
        first = np.searchsorted(p_report, p_report)  # each passage's report's first passage
        self._at = (ends - lengths - (ends[first] - lengths[first])).astype(np.int64)

    @classmethod
    def of(cls, masked: list[str], p_report: np.ndarray, reports: int) -> "MaskedTexts":
        """From one string per passage (passages in report order)."""
        bounds = np.searchsorted(p_report, np.arange(reports + 1))
        per_report = ["".join(masked[bounds[r]:bounds[r + 1]]) for r in range(reports)]
        return cls(per_report, np.asarray(p_report), np.fromiter(map(len, masked), dtype=np.int32, count=len(masked)))

    def __len__(self) -> int:
        return len(self._length)

    def __getitem__(self, j) -> str:
        a = int(self._at[j])
        return self._texts[int(self._report[j])][a:a + int(self._length[j])]

    def at_rows(self, rows: np.ndarray) -> list[str]:
        """[self[j] for j in rows], read at once."""
        texts = self._texts
        return [texts[r][a:a + n] for r, a, n in zip(self._report[rows].tolist(), self._at[rows].tolist(),
                                                     self._length[rows].tolist())]

    def of_rows(self, first: int, last: int) -> list[str]:
        """[self[j] for j in range(first, last)], passages of one report."""
        if first >= last:
            return []
        text = self._texts[int(self._report[first])]
        return [text[a:a + n] for a, n in zip(self._at[first:last].tolist(), self._length[first:last].tolist())]

    def __iter__(self):
        return (self[j] for j in range(len(self)))


class _Spill:
    """Arrays written to an anonymous temporary file while an index is built and read back once
    at the end: the build's memory is then what the index keeps, not that plus every report's
    counts and postings waiting for the corpus-wide df. A handle is (offset, dtype, length)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="auditor-index-")
        self._end = 0

    def put(self, array: np.ndarray) -> tuple[int, str, int]:
        array = np.ascontiguousarray(array)
        self._file.seek(self._end)
        self._file.write(memoryview(array).cast("B"))
        handle = (self._end, array.dtype.str, len(array))
        self._end += array.nbytes
        return handle

    def get(self, handle: tuple[int, str, int]) -> np.ndarray:
        offset, dtype, length = handle
        out = np.empty(length, dtype=dtype)
        self._read_into(offset, out)
        return out

    def gather(self, handles: list[tuple[int, str, int]], empty=np.uint8) -> np.ndarray:
        """The arrays end to end, in the widest of their dtypes (`empty` when there are none)."""
        dtype = max((np.dtype(h[1]) for h in handles), key=lambda d: d.itemsize, default=np.dtype(empty))
        out = np.empty(sum(h[2] for h in handles), dtype=dtype)
        at = 0
        for handle in handles:
            part = out[at:at + handle[2]]
            if np.dtype(handle[1]) == dtype:
                self._read_into(handle[0], part)
            else:
                part[:] = self.get(handle)
            at += handle[2]
        return out

    def _read_into(self, offset: int, out: np.ndarray) -> None:
        self._file.seek(offset)
        view = memoryview(out).cast("B")
        got = 0
        while got < len(view):
            n = self._file.readinto(view[got:])
            if not n:
                raise OSError("index build: temporary file truncated")
            got += n

    def close(self) -> None:
        self._file.close()


# --------------------------------------------------------------------------- the index


class _Coordinator:
    """What a query needs of the whole corpus besides its passages: which reports there are
    (path, body, year, fingerprint) and the idf; and the steps of a query that weigh reports
    against each other — choosing the reports compared in detail (steps 2–3), sources competing
    for a stretch of text (step 5), the reuse ratios. CorpusIndex holds its passages itself;
    auditor.similarity.shards.ShardedIndex asks shards, each the CorpusIndex of a part of the
    reports (global numbers from its `offset`), for steps 1 and 4: the same code either way,
    so a sharded query finds what one index finds."""

    def __init__(self, reports: list[_Report], idf: np.ndarray, exact: bool):
        self.reports = reports
        self.idf = idf
        self.exact = exact
        self._paths = [_norm_path(r.path) for r in reports]
        self._by_path: dict[str, list[int]] = defaultdict(list)
        for r, path in enumerate(self._paths):
            if path:
                self._by_path[path].append(r)
        self._by_fingerprint: dict[str, list[int]] = defaultdict(list)
        for r, rep in enumerate(reports):
            self._by_fingerprint[rep.fingerprint].append(r)
        self._years = np.array([-1 if r.year is None else r.year for r in reports], dtype=np.int64)
        self._bodies: dict[str, list[int]] = defaultdict(list)  # normalized agency → reports
        for r, rep in enumerate(reports):
            self._bodies[normalize_agency(rep.agency)].append(r)
        self._last_audited: _Audited | None = None  # the report of the audit in progress
        self._body_cache: dict[str, frozenset[int]] = {}
        # normalized name → the body names that are it qualified by places ("淮安市洪泽区" under
        # "洪泽区"), built on first use (_same_body_names)
        self._qualified: dict[str, list[str]] | None = None

    # ----------------------------------------------------------------------- where the passages are

    def _text(self, r: int) -> str:
        """The text of report r (a source of spans)."""
        raise NotImplementedError

    def _own_ngrams(self, excluded: set[int]) -> tuple[np.ndarray, np.ndarray]:
        """The n-grams of the passages of reports `excluded` and how many have each."""
        raise NotImplementedError

    def _best_pairs(self, probe: "_Probe") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Step 1 of a query: CorpusIndex.shard_best_pairs over every passage of the corpus."""
        raise NotImplementedError

    def _spans_of(self, probe: "_Probe", chosen: set[int]) -> list[_Span]:
        """Step 4 of a query: CorpusIndex.shard_spans over the reports `chosen`."""
        raise NotImplementedError

    def _plan_parts(self, probe: "_Probe | None", chosen: set[int], previous: list[int]) -> dict:
        """CorpusIndex.shard_plan over the reports `chosen` and `previous`."""
        raise NotImplementedError

    def query_plan(self, doc: Document) -> str:
        """A digest of everything a query of `doc` depends on besides `doc` itself: the same
        body's reports of the latest earlier year (previous_reports), and each report compared in
        detail with the passage pairs aligned against it, in order — each report by its path,
        body, year and a hash of its text. Step 4 of the query, the sources competing and
        reuse_ratios are a function of these alone (alignment reads the two passages, sources
        compete on aligned characters, year and path), so an index that gives `doc` the same plan
        gives it the same matches and ratios, however its corpus-wide counts (idf, df, posting
        lists) moved; and the same previous-year report for continuity checks. Incremental
        batches re-check a kept result only when its plan changed. Costs the candidate steps of
        a query, not the alignment; after query(doc), only the pairs of the chosen reports."""
        audited = self._audited(doc)
        if audited.plan is None:
            if audited.plan_basis is None:
                self._query(audited, 0, plan_only=True)
            probe, chosen = audited.plan_basis
            previous = self._previous(audited.doc.meta.year, audited.body)
            parts = self._plan_parts(probe, chosen, previous) if (chosen or previous) else {}
            plan: list = [[parts[p]["record"] for p in previous]]
            plan.extend([parts[rep]["record"], parts[rep]["pairs"]] for rep in sorted(chosen))
            audited.plan = hashlib.sha256(json.dumps(plan, ensure_ascii=True).encode("ascii")).hexdigest()
        return audited.plan

    def query(self, doc: Document, min_chars: int = 30) -> list[ReuseMatch]:
        """Spans of `doc` copied from indexed reports, at least `min_chars` long, by start."""
        return self._query(self._audited(doc), min_chars)

    def reuse_ratios(self, doc: Document, matches: list[ReuseMatch], min_chars: int = 30) -> dict:
        """Per section: the share of its narrative characters copied from the same body's
        immediately previous report in the index ("previous_year") and from any indexed report
        ("corpus", from `matches`), and the narrative character count ("chars").

        The previous-year share is measured against that report alone, so it does not depend on
        which source won a passage that several years share.
        """
        audited = self._audited(doc)
        if audited.spans is None:
            self._query(audited, min_chars)
        # The query compared every report of the body in detail: last year's spans are among
        # its spans, and competing only with each other they give last year's share.
        previous = set(self._previous(audited.doc.meta.year, audited.body))
        from_previous = self._resolve(audited.words, [s for s in audited.spans if s.report in previous])
        counted = np.zeros(len(doc.text), dtype=bool)
        keys = self._query_side(audited)[0] if audited.passages else []
        for p, key in zip(audited.passages, keys):
            if isinstance(key.positions, range):  # no blank in the passage: every character, a slice
                counted[p.start + key.positions.start:p.start + key.positions.stop] = True
            else:
                counted[p.start + np.asarray(key.positions, dtype=np.int64)] = True
            # Shares are of free prose: statistic clauses and stock sentences count for neither side.
            stock = _stock_mask(p.masked)
            if stock is not None:
                counted[p.start:p.end] &= ~stock

        def covered(stretches) -> np.ndarray:
            mark = np.zeros(len(doc.text), dtype=bool)
            for start, end in stretches:
                mark[start:end] = True
            return mark & counted

        prev_mark = covered((s.qs, s.qe) for s in from_previous if s.qe - s.qs >= min_chars)
        corpus_mark = covered((m.start, m.end) for m in matches)
        ratios = {}
        for section in doc.sections:
            window = slice(section.start, section.end)
            total = int(counted[window].sum())
            ratios[section.key] = {
                "previous_year": float(prev_mark[window].sum() / total) if total else 0.0,
                "corpus": float(corpus_mark[window].sum() / total) if total else 0.0,
                "chars": total,
            }
        return ratios

    def previous_reports(self, doc: Document) -> list[str]:
        """Paths of the indexed reports of `doc`'s body from the latest year before its own
        (a pdf/txt pair of that year gives two), never `doc` itself. From the metadata alone:
        a batch asks this for every report, before any is analysed."""
        return self.previous_paths(doc.path, doc.meta.agency, doc.meta.year)

    def previous_paths(self, path: str, agency: str | None, year: int | None) -> list[str]:
        """previous_reports of the report at `path` of body `agency` and year `year` (a batch
        asks by the index's own record of a report, without its Document)."""
        path = _norm_path(path)
        body = {r for r in self._body_of(agency) if not (path and self._paths[r] == path)}
        return [self.reports[r].path for r in self._previous(year, body)]

    def _body_of(self, agency: str | None) -> frozenset[int]:
        name = normalize_agency(agency)
        body = self._body_cache.get(name)
        if body is None:  # a batch asks for every body twice (last year, then the audit)
            body = self._body_cache[name] = frozenset(r for other in self._same_body_names(name)
                                                      for r in self._bodies[other])
        return body

    def _same_body_names(self, name: str) -> list[str]:
        """The indexed body names `name` names the same body as (_same_normalized), found
        without comparing it with every name of the corpus (a batch asks for each of its
        bodies: time quadratic in the corpus). Two names of one body are equal, or one is the
        other with places before it ("江苏省淮安市" + "洪泽区"), which end in a character ending
        a level (省 区 市 州 盟): the candidates are `name`, its suffixes after such a
        character, and the names whose suffix after one is `name`; _same_normalized decides."""
        if not name:
            return []
        if self._qualified is None:
            qualified: dict[str, list[str]] = defaultdict(list)
            for other in self._bodies:
                for suffix in _level_cuts(other):
                    qualified[suffix].append(other)
            self._qualified = qualified
        candidates = {name, *_level_cuts(name), *self._qualified.get(name, ())}
        return [other for other in candidates if other in self._bodies and _same_normalized(name, other)]

    def _audited(self, doc: Document) -> "_Audited":
        last = self._last_audited
        if last is not None and last.doc is doc:
            return last
        path = _norm_path(doc.path)
        passages, fingerprint = _analyse(doc)
        excluded = set(self._by_path.get(path, ())) if path else set()
        excluded.update(self._by_fingerprint.get(fingerprint, ()))
        audited = _Audited(doc, passages, excluded, self._body_of(doc.meta.agency) - excluded)
        self._last_audited = audited
        return audited

    def _query_side(self, audited: "_Audited") -> tuple[list, sp.csr_matrix, np.ndarray]:
        """The audited report's passage keys, weighted vectors and wording prefix."""
        if audited.keys is None:
            audited.keys = [_key(p.masked, _passage_flags(p)) for p in audited.passages]
            audited.vectors = _weigh(_counts([k.text for k in audited.keys]), self.idf)
            audited.query = QueryVectors(audited.vectors)
            audited.words = _word_prefix(audited.doc.text)
        return audited.keys, audited.vectors, audited.words

    def _previous(self, year: int | None, body: frozenset[int]) -> list[int]:
        if year is None:
            return []
        years: dict[int, list[int]] = defaultdict(list)
        for r in body:
            if self.reports[r].year is not None and self.reports[r].year < year:
                years[self.reports[r].year].append(r)
        return sorted(years[max(years)]) if years else []

    def _relation(self, audited: "_Audited", r: int) -> str:
        year, source_year = audited.doc.meta.year, self.reports[r].year
        if r not in audited.body:
            # A later report cannot be the source of this one's text: there, the copying (if any)
            # is the later report's, and its own audit names this one.
            later = year is not None and source_year is not None and source_year > year
            return "other_body_later" if later else "other_body"
        if year is not None and source_year is not None and source_year < year:
            return "same_body_earlier"
        return "same_body_later_or_same_year"

    def _later_than(self, year: int | None, reports: np.ndarray) -> np.ndarray:
        """Whether each of `reports` is of a year after `year` (False when either is unknown)."""
        if year is None:
            return np.zeros(len(reports), dtype=bool)
        years = self._years[reports]
        return (years >= 0) & (years > year)

    def _query(self, audited: "_Audited", min_chars: int, plan_only: bool = False) -> list[ReuseMatch]:
        doc, passages, excluded = audited.doc, audited.passages, audited.excluded
        audited.spans = None if plan_only else []
        audited.plan_basis = (None, set())  # until reports are chosen
        if not passages or not self.reports:
            return []
        qkeys, q, qwords = self._query_side(audited)
        if self.exact:
            own = None
        elif audited.own_rows is not None and excluded == {audited.indexed}:
            # its passages' vectors are its own rows': their n-grams are the query's columns
            own = audited.query.cols, audited.query.passages_with
        else:
            own = self._own_ngrams(excluded)
        probe = _Probe(passages, qkeys, q, audited.query, qwords, frozenset(excluded), audited.body, own,
                       # only a CorpusIndex audits its own rows (a sharded coordinator never does)
                       None if audited.own_rows is None else self.p_vector[audited.own_rows])

        # 1. the best cosine of each (audited passage, indexed report) pair
        gi, gr, gc = self._best_pairs(probe)
        if len(gi) == 0:
            return []
        # 2.-3. the reports compared in detail
        chosen = self._choose(audited, qkeys, gi, gr, gc)
        audited.plan_basis = (probe, chosen)
        if plan_only:
            return []
        # 4. their passages searched exactly and aligned, segments merged into spans per report
        spans = self._spans_of(probe, chosen)
        audited.spans = spans

        # 5. per relation, non-overlapping spans: longest first, then most recent, then path
        results: list[ReuseMatch] = []
        by_relation: dict[str, list[_Span]] = defaultdict(list)
        for s in spans:
            by_relation[self._relation(audited, s.report)].append(s)
        for relation, group in by_relation.items():
            for span in self._resolve(qwords, group):
                if span.qe - span.qs >= min_chars:
                    results.append(self._match(doc, passages, span, relation))
        results.sort(key=lambda m: (m.start, RELATIONS.index(m.relation), m.source_path))
        return results

    def _choose(self, audited: "_Audited", qkeys: list, gi: np.ndarray, gr: np.ndarray, gc: np.ndarray) -> set[int]:
        """The reports compared in detail, from the best cosine `gc` of each (audited passage
        `gi`, report `gr`) pair, sorted by report then passage."""
        # 2. score reports by how much of the query they may cover
        weight = np.fromiter((len(k.text) for k in qkeys), dtype=np.float64, count=len(qkeys))
        runs = _runs(gr)  # gr is sorted
        report_start = runs[:-1]
        reports = gr[report_start]
        report_of = np.repeat(np.arange(len(reports)), np.diff(runs))  # each pair's report's place
        score = np.add.reduceat(gc * weight[gi], report_start)

        # 3. reports compared in detail: the same body's, the best-scoring, each passage's best
        # (by its cosine to two decimals, then the report's score, then the first report)
        body = np.fromiter(audited.body, dtype=np.int64, count=len(audited.body))
        in_body = np.isin(reports, body)
        chosen = set(reports[in_body].tolist())
        by_score = np.lexsort((reports, -score))  # reports by score, then number
        chosen.update(reports[by_score[:TOP_REPORTS]].tolist())
        # Only each passage's first pairs in that order are read: a minimum per passage, not a
        # sort of every pair (their number grows with the corpus).
        order = _passage_order(gi, gc, report_of, by_score)
        first = _firsts(gi, order, len(qkeys))
        chosen.update(gr[first].tolist())
        if not self.exact:
            # Sampled candidates: when a passage's best report is another body's, exact search
            # may have found a source of the other relation for it (an earlier report where the
            # sample reached a later one, or the reverse): the passage's best report of that
            # other relation is compared too. Reports by their places, read per report.
            best_of_passage = np.zeros(len(qkeys), dtype=np.int64)
            best_of_passage[gi[first]] = report_of[first]
            best = best_of_passage[gi]  # each pair's passage's best report
            later = self._later_than(audited.doc.meta.year, reports)
            other = ~in_body[report_of] & ~in_body[best]
            second = np.flatnonzero(other & (later[report_of] != later[best]))
            chosen.update(gr[second[_firsts(gi[second], order[second], len(qkeys))]].tolist())
        return chosen

    def _merge(self, qwords: np.ndarray, source: str, segments: list[_Segment]) -> list[list[_Segment]]:
        """Group one report's segments into maximal spans: neighbours in the query whose
        sources are neighbours too. `qwords`: the audited text's _word_prefix; `source`: the
        source report's text."""
        groups: list[list[_Segment]] = []
        current: list[_Segment] = []
        qe = ss = se = 0
        for seg in sorted(segments, key=lambda s: (s.qs, s.ss)):
            if current:
                q_gap = int(qwords[max(qe, seg.qs)] - qwords[qe])
                near = q_gap <= MERGE_GAP and seg.section == current[-1].section
                if near:  # then the gap in the source, read only where it decides
                    if seg.ss >= se - MAX_SOURCE_OVERLAP:
                        near = _wording_within(source, se, seg.ss, SOURCE_GAP)
                    elif seg.se <= ss + MAX_SOURCE_OVERLAP:
                        near = _wording_within(source, seg.se, ss, SOURCE_GAP)
                    else:
                        near = False  # the same source text used twice: two spans
                if near:
                    current.append(seg)
                    qe, ss, se = max(qe, seg.qe), min(ss, seg.ss), max(se, seg.se)
                    continue
                groups.append(current)
            current = [seg]
            qe, ss, se = seg.qe, seg.ss, seg.se
        if current:
            groups.append(current)
        return groups

    def _resolve(self, qwords: np.ndarray, spans: list[_Span]) -> list[_Span]:
        """Non-overlapping spans of one relation; a span that loses part of its stretch keeps
        the segments nobody else claimed."""

        def rank(s: _Span):
            rep = self.reports[s.report]
            return (-s.matched, -s.similarity, -(rep.year or 0), rep.path, s.qs)

        def overlaps(a: int, b: int) -> bool:
            return any(a < y and x < b for x, y in claimed)

        claimed: list[tuple[int, int]] = []
        kept: list[_Span] = []
        for span in sorted(spans, key=rank):
            free = sorted((seg for seg in span.segments if not overlaps(seg.qs, seg.qe)),
                          key=lambda s: (s.qs, s.ss))
            if not free:
                continue
            if len(free) == len(span.segments):
                pieces = [span]
            else:
                # Runs of free segments not separated by a claimed stretch, each merged anew.
                runs: list[list[_Segment]] = [[free[0]]]
                for seg in free[1:]:
                    if overlaps(runs[-1][-1].qe, seg.qs + 1):
                        runs.append([seg])
                    else:
                        runs[-1].append(seg)
                source = self._text(span.report)
                pieces = [_Span(span.report, g) for run in runs for g in self._merge(qwords, source, run)]
            for piece in pieces:
                kept.append(piece)
                claimed.append((piece.qs, piece.qe))
        return kept

    def _match(self, doc: Document, passages: list[Passage], span: _Span, relation: str) -> ReuseMatch:
        rep = self.reports[span.report]
        section = span.segments[0].section
        return ReuseMatch(start=span.qs, end=span.qe, text=doc.text[span.qs:span.qe], section=section,
                          source_path=rep.path, source_agency=rep.agency, source_year=rep.year,
                          source_start=span.ss, source_end=span.se, source_text=self._text(span.report)[span.ss:span.se],
                          similarity=round(span.similarity, 4), relation=relation)


class CorpusIndex(_Coordinator):
    """Narrative passages of a set of reports, searchable for copied text.

    Passages with the same wording (numbers masked, spaces aside) share one row of `vectors`
    (`p_vector[j]`): a sentence hundreds of reports share is kept and scored once."""

    def __init__(self, reports: list[_Report], sections: list[str | None], masked,
                 p_report: np.ndarray, p_start: np.ndarray, p_end: np.ndarray,
                 idf: np.ndarray, vectors: WordingVectors, p_vector: np.ndarray, df: np.ndarray,
                 post_ptr: np.ndarray, post_idx: np.ndarray, exact: bool, offset: int = 0):
        """`masked`: the masked text of every passage, a MaskedTexts or a list."""
        super().__init__(reports, idf, exact)
        # The pairs step 4 of the last query aligned: query_plan, asked right after the query (as
        # a batch's check does), digests them instead of searching them again.
        self._last_top_pairs: tuple | None = None
        # The pairs step 1 of the last query searched exactly, and of which reports (None: all):
        # step 4 searches those reports again when it compares them in detail (_top_pairs).
        self._last_exact_pairs: tuple | None = None
        self.p_section = sections
        self.p_masked = masked if isinstance(masked, MaskedTexts) else MaskedTexts.of(masked, p_report, len(reports))
        self.p_report = p_report
        self.p_start = p_start
        self.p_end = p_end
        self.vectors = vectors
        self.p_vector = p_vector
        # Global number of this index's first report when it is a shard of a larger corpus
        # (auditor.similarity.shards); the shard_* methods speak in global numbers.
        self.offset = offset
        # Passages are stored report by report: report r owns rows [ptr[r], ptr[r+1]).
        self.report_ptr = np.searchsorted(p_report, np.arange(len(reports) + 1)).astype(np.int64)
        self._keys: dict[int, _Key] = {}  # caches for the source side of alignments
        self._wording_keys: dict[tuple, _Key] = {}  # (masked text, formula stretches) → its key
        self._alignments: dict[tuple, tuple | None] = {}  # _aligned
        self._text_digests: dict[int, str] = {}  # shard_plan
        self.pair_cosines = PairCosines()  # _candidate_cosines
        # Candidate search: df of every n-gram (over all passages of the corpus, this index's
        # and, for a shard, the others') and its first POSTING_KEEP passages here, as CSC-like
        # arrays (n-gram f owns post_idx[post_ptr[f]:post_ptr[f+1]]).
        self._df = df
        self._post_ptr = post_ptr
        self._post_idx = post_idx
        self._members: tuple[np.ndarray, np.ndarray] | None = None  # vector row → passages

    # ----------------------------------------------------------------------- building

    @classmethod
    def build(cls, docs, exact: bool | None = None) -> "CorpusIndex":
        """Index `docs` (any iterable, read once). `exact` None chooses exact search for small
        corpora."""
        return cls.from_entries((index_entry(doc) for doc in docs), exact)

    @classmethod
    def from_entries(cls, entries, exact: bool | None = None) -> "CorpusIndex":
        """Index reports analysed apart (index_entry, e.g. in batch worker processes; any
        iterable, read once: pass a generator so they are not all held); the result is the same
        as build() over their documents in this order."""
        builder = IndexBuilder()
        for entry in entries:
            builder.add(entry)
        return builder.finish(exact)

    def passage_vectors(self, rows: np.ndarray) -> sp.csr_matrix:
        """The weighted vectors of passages `rows` (what the whole passage matrix's rows were
        before it was kept one row per wording)."""
        return self.vectors.rows(self.p_vector[np.asarray(rows, dtype=np.int64)])

    _rows_vectors = passage_vectors

    def _members_of(self) -> tuple[np.ndarray, np.ndarray]:
        """Passages of each vector row: members[ptr[v]:ptr[v+1]], in passage order."""
        if self._members is None:
            order = np.argsort(self.p_vector, kind="stable")
            ptr = np.searchsorted(self.p_vector[order], np.arange(self.vectors.shape[0] + 1))
            self._members = (order.astype(np.int64), ptr.astype(np.int64))
        return self._members

    def __len__(self) -> int:
        return len(self.reports)

    @property
    def passage_count(self) -> int:
        return len(self.p_masked)

    # ----------------------------------------------------------------------- neighbours

    def sharing_reports(self, entries=(), reports=(), min_cosine: float = COSINE_MIN / 2) -> set[int]:
        """The indexed reports (numbers) that can share a passage with the given ones: the
        passages of `entries` (IndexEntry of reports, indexed or not: a removed report's old
        entry) and of the indexed `reports` (numbers). A report counts when one of its passages
        has a cosine ≥ `min_cosine` with one of them (this index's idf) and their wording
        aligns as a copy must (`_align`, which depends on the two passages alone). A given
        indexed report finds itself.

        For incremental corpus checks (auditor/batch/incremental.py): the reports whose copy
        findings a change of the given reports can alter, besides the same body's. Reads every
        vector once, a block at a time: memory bounded whatever the corpus size."""
        parts, keys = [], []
        for r in reports:
            rows = np.arange(self.report_ptr[r], self.report_ptr[r + 1])
            parts.append(self.passage_vectors(rows))
            keys.extend(self._source_keys(rows.tolist()))
        for entry in entries:
            if entry.counts.shape[0]:
                parts.append(_weigh(entry.counts, self.idf))
                flags = _flags_from_spans(len(entry.report.text), entry.report.formulas)
                keys.extend(_key(m, flags[a:b]) for m, a, b in zip(entry.masked, entry.starts, entry.ends))
        found: set[int] = set()
        if not parts or self.vectors.shape[0] == 0:
            return found
        qt = sp.vstack(parts, format="csr").T.tocsr()
        members, ptr = self._members_of()
        aligned: dict[tuple[str, int], bool] = {}  # (wording of the indexed passage, given passage)
        block = 100_000  # wordings at a time
        for start in range(0, self.vectors.shape[0], block):
            rows = np.arange(start, min(start + block, self.vectors.shape[0]))
            sims = (self.vectors.rows(rows) @ qt).tocoo()
            near = sims.data >= min_cosine
            for v, c in zip((sims.row[near] + start).tolist(), sims.col[near].tolist()):
                for j in members[ptr[v]:ptr[v + 1]].tolist():
                    r = int(self.p_report[j])
                    if r in found:
                        continue
                    memo = (self.p_masked[j], c)
                    if memo not in aligned:
                        aligned[memo] = _align(self._source_key(j), keys[c]) is not None
                    if aligned[memo]:
                        found.add(r)
        return found

    # ----------------------------------------------------------------------- saving

    def save(self, path: str) -> None:
        """One .npz file: arrays, and the texts as UTF-8 JSON bytes. No pickle anywhere."""
        meta = {"version": FORMAT_VERSION, "exact": self.exact,
                "reports": [{"path": r.path, "agency": r.agency, "year": r.year,
                             "fingerprint": r.fingerprint, "text": r.text,
                             "formulas": [list(span) for span in r.formulas]} for r in self.reports],
                "sections": self.p_section, "masked": list(self.p_masked)}
        # ASCII JSON: any text a reader let through (even a lone surrogate) round-trips.
        blob = np.frombuffer(json.dumps(meta, ensure_ascii=True).encode("ascii"), dtype=np.uint8)
        v = self.vectors
        with open(path, "wb") as fh:
            np.savez_compressed(fh, meta=blob, idf=self.idf, p_report=self.p_report, p_start=self.p_start,
                                p_end=self.p_end, p_vector=self.p_vector, tf=v.tf, cols=v.cols, indptr=v.indptr,
                                inv_norm=v.inv_norm, df=self._df,
                                post_ptr=self._post_ptr, post_idx=self._post_idx)

    @classmethod
    def load(cls, path: str) -> "CorpusIndex":
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes().decode("ascii"))
            if meta.get("version") != FORMAT_VERSION:
                raise ValueError(f"unsupported index format {meta.get('version')!r}")
            indptr, cols, tf, inv_norm = z["indptr"], z["cols"], z["tf"], z["inv_norm"]
            if (len(indptr) == 0 or indptr[0] != 0 or indptr[-1] != len(cols) or len(tf) != len(cols)
                    or len(inv_norm) != len(indptr) - 1 or np.any(np.diff(indptr) < 0)
                    or (len(cols) and (cols.min() < 0 or cols.max() >= N_FEATURES))
                    or tf.dtype.kind != "u"):
                raise ValueError(f"{path}: inconsistent index file")
            vectors = WordingVectors(indptr.astype(np.int64), cols.astype(np.int32), tf, inv_norm.astype(np.float32),
                                     z["idf"].astype(np.float32), N_FEATURES)
            reports = [_Report(path=r["path"], agency=r["agency"], year=r["year"],
                               fingerprint=r["fingerprint"], text=r["text"],
                               formulas=tuple((int(a), int(b)) for a, b in r["formulas"]))
                       for r in meta["reports"]]
            arrays = (z["p_report"], z["p_start"], z["p_end"], z["p_vector"])
            n = len(arrays[0])
            post_ptr, post_idx, df = z["post_ptr"], z["post_idx"], z["df"]
            if (len(z["idf"]) != N_FEATURES or len(df) != N_FEATURES
                    or len(post_ptr) != N_FEATURES + 1 or any(len(a) != n for a in arrays)
                    or len(meta["masked"]) != n or len(meta["sections"]) != n
                    or (n and (arrays[0].min() < 0 or arrays[0].max() >= len(reports)))
                    or (n and (arrays[3].min() < 0 or arrays[3].max() >= vectors.shape[0]))
                    or (len(post_idx) and (post_idx.min() < 0 or post_idx.max() >= n))
                    or post_ptr[0] != 0 or post_ptr[-1] != len(post_idx) or np.any(np.diff(post_ptr) < 0)):
                raise ValueError(f"{path}: inconsistent index file")
            return cls(reports, meta["sections"], meta["masked"], *arrays[:3], z["idf"], vectors, arrays[3],
                       df, post_ptr, post_idx, bool(meta["exact"]))

    # ----------------------------------------------------------------------- querying

    def _audited(self, doc: Document) -> "_Audited":
        last = self._last_audited
        if last is not None and last.doc is doc:
            return last
        path = _norm_path(doc.path)
        same_path = list(self._by_path.get(path, ())) if path else []
        indexed = next((r for r in same_path if self.reports[r].text == doc.text), None)
        own_rows = None
        if indexed is not None:
            # Indexed as is (a batch audits its own reports): its passages are in the index.
            first, last = int(self.report_ptr[indexed]), int(self.report_ptr[indexed + 1])
            own_rows = np.arange(first, last)
            # the report's rows read at once (numpy's scalars one by one cost a µs each)
            passages = [Passage(start, end, doc.text[start:end], masked, section)
                        for start, end, masked, section in zip(self.p_start[first:last].tolist(),
                                                               self.p_end[first:last].tolist(),
                                                               self.p_masked.of_rows(first, last),
                                                               self.p_section[first:last])]
            fingerprint = self.reports[indexed].fingerprint
        else:
            passages, fingerprint = _analyse(doc)
        excluded = set(same_path)
        excluded.update(self._by_fingerprint.get(fingerprint, ()))
        audited = _Audited(doc, passages, excluded, self._body_of(doc.meta.agency) - excluded, indexed, own_rows)
        self._last_audited = audited
        return audited

    def _query_side(self, audited: "_Audited") -> tuple[list, sp.csr_matrix, np.ndarray]:
        """The audited report's passage keys, weighted vectors and wording prefix."""
        if audited.keys is None:
            doc = audited.doc
            if audited.indexed is not None:
                # its passages are the index's own rows: their keys as sources (the same
                # computation), kept for when this report is another's source
                audited.keys = self._source_keys(audited.own_rows.tolist())
            else:
                audited.keys = [_key(p.masked, _passage_flags(p)) for p in audited.passages]
            if audited.own_rows is not None:
                audited.vectors = self._rows_vectors(audited.own_rows)
            else:
                audited.vectors = _weigh(_counts([k.text for k in audited.keys]), self.idf)
            audited.query = QueryVectors(audited.vectors)
            audited.words = _word_prefix(doc.text)
        return audited.keys, audited.vectors, audited.words

    def _rows(self, reports) -> np.ndarray:
        parts = [np.arange(self.report_ptr[r], self.report_ptr[r + 1]) for r in sorted(reports)]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def _pairs_exact(self, query: QueryVectors, rows: np.ndarray | None) -> _Pairs:
        """Cosine ≥ COSINE_MIN of every query passage against `rows` (all when None)."""
        if query.n == 0 or len(self.p_vector) == 0 or (rows is not None and len(rows) == 0):
            return _NO_PAIRS
        found = []  # (query passage, index row, cosine) of each block of rows
        for a, sims in self.vectors.products(None if rows is None else self.p_vector[rows], query):
            row, col = np.nonzero(sims >= COSINE_MIN)
            found.append((col, row + a, sims[row, col]))
        i, at, c = (np.concatenate(parts) for parts in zip(*found))
        if rows is not None:
            return i, rows[at], c
        # Every wording once, then every passage with that wording.
        v = at
        members, ptr = self._members_of()
        sizes = ptr[v + 1] - ptr[v]
        total = int(sizes.sum())
        at = np.repeat(ptr[v] - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes) + np.arange(total)
        return np.repeat(i, sizes), members[at], np.repeat(c, sizes)

    def _pairs_candidates(self, q: sp.csr_matrix, query: QueryVectors, excluded: set[int],
                          own_ngrams: tuple[np.ndarray, np.ndarray], wordings: np.ndarray | None = None) -> _Pairs:
        """Cosine ≥ COSINE_MIN against the passages that share rare n-grams with each query
        passage (candidate generation for large corpora).

        The rarest n-grams of a copied passage are the ones it shares with its source: ANCHORS
        of them, each posting list read up to POSTING_CAP, a candidate needing MIN_ANCHOR_HITS.
        The audited report may itself be indexed: its own passages are left out of the counts,
        or its unique n-grams would be the rarest and find only itself. `excluded`: its
        reports here; `own_ngrams`: the n-grams of its passages anywhere (shard_own_ngrams);
        `wordings`: the index rows of its passages' vectors, when it is indexed here as is.
        """
        df = self._df
        own = self._rows(excluded)
        own_feats, own_counts = own_ngrams  # over the whole corpus (all shards)

        def own_df(feats: np.ndarray) -> np.ndarray:
            """How many of the audited report's own passages have each n-gram."""
            if len(own_feats) == 0:
                return np.zeros_like(feats)
            at = np.minimum(np.searchsorted(own_feats, feats), len(own_feats) - 1)
            return np.where(own_feats[at] == feats, own_counts[at], 0)

        # Every (query passage, n-gram) with the number of other passages that have the n-gram,
        # counted once per distinct n-gram (ascending: a fast search of the own n-grams) and
        # spread to the passages that have it (q is the matrix of `query`).
        rows = np.repeat(np.arange(q.shape[0]), np.diff(q.indptr))
        feats = q.indices.astype(np.int64)
        if own_feats is query.cols:  # the own n-grams are the query's columns (_query): no search
            own_cols = own_counts
        else:
            own_cols = own_df(query.cols.astype(np.int64))
        counts = (df[query.cols] - own_cols)[query.inverse]
        keep = counts > 0  # an n-gram no other passage has finds nothing
        rows, feats, counts = rows[keep], feats[keep], counts[keep]
        if len(rows) == 0:
            return _NO_PAIRS
        # The ANCHORS rarest n-grams of each passage: by passage, then count, then n-gram, as
        # one int64 key when it fits (one argsort, a third of lexsort's three passes); the keys
        # are distinct ((passage, n-gram) pairs are), so the order is lexsort's.
        span = int(counts.max()) + 1
        if q.shape[0] * span < (1 << 62) >> N_FEATURE_BITS:
            order = np.argsort((rows * span + counts) << N_FEATURE_BITS | feats, kind="stable")
        else:
            order = np.lexsort((feats, counts, rows))
        rows, feats = rows[order], feats[order]
        runs = _runs(rows)
        rank = np.arange(len(rows)) - np.repeat(runs[:-1], np.diff(runs))  # minus its row's first entry
        anchor = rank < ANCHORS
        rows, feats = rows[anchor], feats[anchor]
        n_anchors = np.bincount(rows, minlength=q.shape[0])
        # Their posting lists, each cut at POSTING_CAP (plus the audited report's own entries,
        # which are dropped), as one flat array of (query passage, indexed passage).
        starts = self._post_ptr[feats]
        lengths = np.minimum(self._post_ptr[feats + 1] - starts, POSTING_CAP + own_df(feats))
        total = int(lengths.sum())
        if total == 0:
            return _NO_PAIRS
        offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        cand = self._post_idx[np.arange(total) + offsets]  # int32, as stored
        owner = np.repeat(rows, lengths)
        if len(own):
            if len(excluded) <= 4:  # a report or two (its pdf twin): runs of passage numbers
                mine = np.zeros(len(cand), dtype=bool)
                for r in excluded:
                    mine |= (cand >= self.report_ptr[r]) & (cand < self.report_ptr[r + 1])
            else:
                mine = np.isin(cand, own)
            cand, owner = cand[~mine], owner[~mine]
        # A candidate must share MIN_ANCHOR_HITS anchors (1 for a passage with few n-grams).
        n = self.passage_count
        if q.shape[0] * n < (1 << 32):
            # The same keys as 32-bit numbers, which sort in about half the time (the same
            # pairs, counts and order as the int64 keys give).
            keys = owner.astype(np.uint32) * np.uint32(n) + cand.astype(np.uint32, copy=False)
        else:
            keys = owner * n + cand
        pair, hits = _unique_counts(keys)
        pair = pair.astype(np.int64)
        i_of, j_of = np.divmod(pair, n)
        need = np.where(n_anchors[i_of] >= 4, MIN_ANCHOR_HITS, 1)
        i_of, j_of = i_of[hits >= need], j_of[hits >= need]
        if len(i_of) == 0:
            return _NO_PAIRS
        same = self.p_vector[j_of]
        targets = np.unique(same)
        t_of = np.searchsorted(targets, same)
        cos = self._candidate_cosines(targets, t_of, i_of, query, wordings)
        ok = cos >= COSINE_MIN
        # Every passage with a found wording is found: the posting lists are cut after their
        # first passages, in corpus order, so without this a sentence that hundreds of reports
        # share would be found only in the first few of them, whatever their years and bodies.
        pair, first = np.unique(i_of[ok] * len(targets) + t_of[ok], return_index=True)
        i_of, v, cos = pair // len(targets), targets[pair % len(targets)], cos[ok][first]
        members, ptr = self._members_of()
        sizes = ptr[v + 1] - ptr[v]
        total = int(sizes.sum())
        at = np.repeat(ptr[v] - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes) + np.arange(total)
        return np.repeat(i_of, sizes), members[at], np.repeat(cos, sizes)

    def _candidate_cosines(self, targets: np.ndarray, t_of: np.ndarray, i_of: np.ndarray,
                           query: QueryVectors, wordings: np.ndarray | None) -> np.ndarray:
        """The cosine of each candidate pair (query passage i_of, index row targets[t_of]), the
        product's. With `wordings` (the query passages' own index rows), the pairs an earlier
        query scored are read from self.pair_cosines and only the pairs not seen before are
        scored. Each distinct pair is scored alone (WordingVectors.cosines), not its row with
        every query passage."""
        if query.dense is None:  # a huge report: products a block of rows at a time
            cos = np.empty(len(i_of), dtype=np.float32)
            for a, sims in self.vectors.products(targets, query, distinct=True):
                block = (t_of >= a) & (t_of < a + len(sims))
                cos[block] = sims[t_of[block] - a, i_of[block]]
            return cos
        if wordings is None or len(i_of) == 0:
            return self._pair_cosines(targets, t_of, i_of, query)
        keys = (wordings[i_of].astype(np.int64) << 32) | targets[t_of].astype(np.int64)
        cos, known = self.pair_cosines.get(keys)
        unknown = np.flatnonzero(~known)
        if len(unknown):
            cos[unknown] = self._pair_cosines(targets, t_of[unknown], i_of[unknown], query)
            self.pair_cosines.put(keys[unknown], cos[unknown])
        return cos

    def _pair_cosines(self, targets: np.ndarray, t_of: np.ndarray, i_of: np.ndarray,
                      query: QueryVectors) -> np.ndarray:
        """The cosines of pairs (query passage i_of, index row targets[t_of]), each distinct pair
        scored once (the posting lists find a pair through several passages of a wording)."""
        pair, inverse = np.unique(t_of.astype(np.int64) * query.n + i_of, return_inverse=True)
        return self.vectors.cosines(targets[pair // query.n], pair % query.n, query)[inverse.ravel()]

    def _aligned(self, q: _Key, s: _Key) -> tuple[int, int, int, int, int] | None:
        """_align(q, s), remembered across queries: it depends on the two wordings and their
        formula characters alone, and the same sentence is in many reports — over half of the
        alignments of 500 or 2,000 generated reports' queries were one made before. Bounded like
        the keys."""
        memo = (q.text, s.text, q.formula.tobytes() if q.formula_chars else None,
                s.formula.tobytes() if s.formula_chars else None)
        hit = self._alignments.get(memo, False)
        if hit is False:
            if len(self._alignments) >= ALIGNMENTS_KEPT:
                self._alignments.clear()
            hit = self._alignments[memo] = _align(q, s)
        return hit

    def _source_key(self, j: int) -> _Key:
        return self._source_keys([j])[0]

    def _source_keys(self, rows: list[int]) -> list[_Key]:
        """The keys of passages `rows` as sources of alignments, remembered; the index's arrays
        are read for all of them at once (a query reads some 200, most not met before)."""
        keys = [self._keys.get(j) for j in rows]
        missing = [k for k, key in enumerate(keys) if key is None]
        if not missing:
            return keys
        at = np.asarray([rows[k] for k in missing], dtype=np.int64)
        for k, start, end, report, masked in zip(missing, self.p_start[at].tolist(), self.p_end[at].tolist(),
                                                 self.p_report[at].tolist(), self.p_masked.at_rows(at)):
            # A report has a formula span or two (each inside one passage): the passage's flags
            # are made only where one meets it.
            formulas = self.reports[report].formulas  # none in half the reports
            spans = tuple((max(a, start) - start, min(b, end) - start)
                          for a, b in formulas if a < end and b > start) if formulas else ()
            # A key depends on the masked text and its formula stretches alone, and the same
            # sentence is in many reports: of the keys a query's alignments read, nearly nine in
            # ten were of passages not met before, most of them of a wording met before.
            wording = (masked, spans)
            key = self._wording_keys.get(wording)
            if key is None:
                key = _key(masked, _flags_from_spans(end - start, spans) if spans else None)
                if len(self._wording_keys) >= 200_000:  # bounded like the passages' keys
                    self._wording_keys.clear()
                self._wording_keys[wording] = key
            keys[k] = self._keys[rows[k]] = key
            if len(self._keys) > 200_000:  # a long-running process must not keep every key
                self._keys.clear()
        return keys

    # ----------------------------------------------------------------------- a shard's part of a query

    def _local(self, reports) -> set[int]:
        """This index's numbers of the reports `reports` (global numbers) it holds."""
        end = self.offset + len(self.reports)
        return {int(x) - self.offset for x in reports if self.offset <= int(x) < end}

    def shard_own_ngrams(self, excluded) -> tuple[np.ndarray, np.ndarray]:
        """The n-grams of this index's passages of the reports `excluded` (global numbers), and
        how many of those passages have each."""
        # Only which n-grams: their columns, not the weighted vectors.
        rows = self._rows(self._local(excluded))
        return np.unique(self.vectors.columns(self.p_vector[rows]), return_counts=True)

    def shard_best_pairs(self, probe: "_Probe") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Step 1 of a query over this index's passages: (audited passage, report, cosine) with
        the best cosine ≥ COSINE_MIN of each pair, excluded reports left out, sorted by report
        (global numbers) then passage."""
        query = probe.query
        excluded = self._local(probe.excluded)
        if self.exact:
            i, j, c = self._pairs_exact(query, None)
            self._last_exact_pairs = (probe, None, (i, j, c))
        else:
            # The same body's passages are searched exactly as well: a pair found both ways is
            # kept once (its cosine is the same product either way).
            body = self._local(probe.body)
            exact = self._pairs_exact(query, self._rows(body))
            self._last_exact_pairs = (probe, frozenset(body), exact)
            found = [self._pairs_candidates(probe.vectors, query, excluded, probe.own, probe.wordings), exact]
            i, j, c = (np.concatenate(parts) for parts in zip(*found))
        r = self.p_report[j].astype(np.int64)
        keep = ~np.isin(r, np.fromiter(excluded, dtype=np.int64, count=len(excluded)))
        i, r, c = _best_of_pairs(i[keep], r[keep], c[keep], query.n, len(self.reports))
        return i, r + self.offset, c

    def shard_spans(self, probe: "_Probe", chosen) -> tuple[list[_Span], dict[int, str]]:
        """Step 4 of a query for the reports `chosen` (global numbers) this index holds: their
        passages searched exactly, the best pairs aligned, segments merged into spans; and the
        text of each report with a span (the caller reports and resolves them)."""
        local = self._local(chosen)
        # 4. align passage pairs (the best few of each passage and report), merge segments into
        # spans per report
        i, j, r = self._top_pairs(probe, local)
        skeys = self._source_keys(j)
        sources = self.p_start[j].tolist()
        spans: list[_Span] = []
        aligned: dict[tuple[int, str], tuple | None] = {}  # the same sentence in many reports
        for rep in sorted(local):
            segments = []
            done = -1  # a passage accounted for whole: a second source passage adds nothing
            for k in range(int(np.searchsorted(r, rep)), int(np.searchsorted(r, rep, side="right"))):
                qi = i[k]
                if qi == done:
                    continue
                qkey, p, skey = probe.keys[qi], probe.passages[qi], skeys[k]
                hit = aligned.get((qi, skey.text), False)
                if hit is False:
                    hit = aligned[(qi, skey.text)] = self._aligned(qkey, skey)
                if hit is None:
                    continue
                qa, qb, sa, sb, matched = hit
                qpos, spos, src = qkey.positions, skey.positions, sources[k]
                segments.append(_Segment(qs=p.start + qpos[qa], qe=p.start + qpos[qb - 1] + 1,
                                         ss=src + spos[sa], se=src + spos[sb - 1] + 1,
                                         matched=matched, aligned=max(qb - qa, sb - sa), section=p.section))
                if qa == 0 and qb == len(qkey.text):
                    done = qi
            spans.extend(_Span(rep + self.offset, group)
                         for group in self._merge(probe.words, self.reports[rep].text, segments))
        texts = {s.report: self.reports[s.report - self.offset].text for s in spans}
        return spans, texts

    def _top_pairs(self, probe: "_Probe", local: set[int]) -> tuple[list, list, np.ndarray]:
        """The passage pairs step 4 aligns: of each audited passage and report `local` (this
        index's numbers), the best few by cosine; sorted by report (i, j lists; r array)."""
        last = self._last_top_pairs
        if last is not None and last[0] is probe and last[1] == local:
            return last[2]
        i, j, c = self._exact_pairs_of(probe, local)
        r = self.p_report[j].astype(np.int64)
        c = c.astype(np.float64)
        order = np.lexsort((-j, -c, i, r))
        i, j, c, r = i[order], j[order], c[order], r[order]
        first = np.ones(len(i), dtype=bool)
        first[1:] = (r[1:] != r[:-1]) | (i[1:] != i[:-1])
        group_start = np.flatnonzero(first)
        rank = np.arange(len(i)) - group_start[np.cumsum(first) - 1]
        top = rank < PAIRS_PER_PASSAGE_AND_REPORT
        pairs = i[top].tolist(), j[top].tolist(), r[top]
        self._last_top_pairs = (probe, frozenset(local), pairs)
        return pairs

    def _exact_pairs_of(self, probe: "_Probe", local: set[int]) -> _Pairs:
        """_pairs_exact(probe.query, self._rows(local)), in some order: the pairs of the reports
        step 1 searched exactly already (the same body's, or all in exact mode) are taken from
        there — each row's cosines are its own sums, the same whichever rows are multiplied
        with it — and only the other reports' passages are multiplied."""
        known = self._last_exact_pairs
        if known is None or known[0] is not probe:
            return self._pairs_exact(probe.query, self._rows(local))
        _, searched, (i, j, c) = known
        done = local if searched is None else local & searched
        if not done:
            return self._pairs_exact(probe.query, self._rows(local))
        mine = np.isin(self.p_report[j], np.fromiter(done, dtype=np.int64, count=len(done)))
        rest = self._pairs_exact(probe.query, self._rows(local - done))
        return tuple(np.concatenate(parts) for parts in zip((i[mine], j[mine], c[mine]), rest))

    def shard_plan(self, probe: "_Probe | None", chosen, previous) -> dict[int, dict]:
        """What query_plan digests of the reports `chosen` and `previous` (global numbers) this
        index holds: each report's record (path, body, year, fingerprint, text hash, formulas)
        and, for the chosen ones, the passage pairs step 4 aligns, as (audited passage, source
        start, source end)."""
        parts: dict[int, dict] = {}
        for rep in sorted(self._local(previous) | self._local(chosen)):
            report = self.reports[rep]
            parts[rep + self.offset] = {"record": [report.path, report.agency, report.year, report.fingerprint,
                                                   self._text_digest(rep), report.formulas], "pairs": []}
        local = self._local(chosen)
        if local and probe is not None:
            i, j, r = self._top_pairs(probe, local)
            reps = sorted(local)
            # the pairs' source offsets read at once (numpy's scalars one by one cost a µs each)
            starts, ends = self.p_start[j].tolist(), self.p_end[j].tolist()
            bounds = zip(np.searchsorted(r, reps).tolist(), np.searchsorted(r, reps, side="right").tolist())
            for rep, (lo, hi) in zip(reps, bounds):
                parts[rep + self.offset]["pairs"] = list(zip(i[lo:hi], starts[lo:hi], ends[lo:hi]))
        return parts

    def _text_digest(self, rep: int) -> str:
        """sha256 of report rep's text (this index's number), remembered: a report is in the plan
        of every report that chose it or follows it, and its text is tens of KB. Bounded like
        the keys."""
        digest = self._text_digests.get(rep)
        if digest is None:
            if len(self._text_digests) >= 20_000:
                self._text_digests.clear()
            digest = self._text_digests[rep] = hashlib.sha256(
                self.reports[rep].text.encode("utf-8", "surrogatepass")).hexdigest()
        return digest

    def shard_text(self, r: int) -> str:
        """The text of report r (global number), which this index holds."""
        return self.reports[r - self.offset].text

    _text = shard_text

    def _own_ngrams(self, excluded: set[int]) -> tuple[np.ndarray, np.ndarray]:
        return self.shard_own_ngrams(excluded)

    def _best_pairs(self, probe: "_Probe") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.shard_best_pairs(probe)

    def _spans_of(self, probe: "_Probe", chosen: set[int]) -> list[_Span]:
        return self.shard_spans(probe, chosen)[0]

    def _plan_parts(self, probe: "_Probe | None", chosen: set[int], previous: list[int]) -> dict:
        return self.shard_plan(probe, chosen, previous)
