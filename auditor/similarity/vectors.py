"""The corpus index's passage vectors, kept compact: one row per distinct wording, stored as
n-gram counts (uint8, or uint16 when a count exceeds 255) and column numbers (int32) plus one
float32 inverse norm per row — 5 bytes per non-zero instead of 8 for float32 weights — and
weighted only for the rows a query reads.

The weights are 1+log(tf) × idf, l2-normalised, computed in float32 in the same operations and
order as the scipy code they replace (counts.copy(), log, × idf, then
diags(1/norms) @ m, whose product wrote each row's columns in reverse order): every cosine is
bit for bit the same, and so are the findings.
"""

from __future__ import annotations

import threading

import numpy as np
import scipy.sparse as sp

# Rows weighed at a time when the norms are computed: bounds the temporary arrays.
BLOCK_NNZ = 1 << 20
# A query's vectors are kept dense (query columns × passages) up to this many cells (16 MB), and a
# product gives at most this many cosines at a time (WordingVectors.products): both grow as a
# report's passages times its n-grams, which a huge report makes quadratic.
DENSE_CELLS = 1 << 22
# Pairs WordingVectors.cosines scores at a time: bounds the rows' non-zeros it gathers.
PAIRS_AT_ONCE = 1 << 15


def _log_table() -> np.ndarray:
    """1+log(tf) in float32 for every count a uint16 holds, computed by the same float32 np.log
    as _weights: element by element it gives the same bits wherever the value sits in an array
    (tests/test_query_vectors.py), so a product reads the weight from here instead of taking a
    logarithm per non-zero."""
    with np.errstate(divide="ignore"):  # tf 0 never occurs
        table = np.log(np.arange(1 << 16, dtype=np.float32))
    table += np.float32(1.0)
    return table


_LOG_TF = _log_table()
# Per thread (a Dask worker queries its shard from several threads): column → the query's own
# column number, -1 elsewhere, with the columns it is set for. One array of N_FEATURES per
# thread instead of one per product (4 MB each: allocating it would cost what the product
# saves); set for a query's columns at its first product and kept for the next ones (a query
# makes two to four), cleared of them when another query's product comes.
_SLOTS = threading.local()


# Queries with fewer columns than this (nearly all) use an int16 table of slots.
SHORT_SLOTS = 1 << 15


def _slots(n_features: int, cols: np.ndarray) -> np.ndarray:
    """This thread's table of the slots of the query columns `cols` (ascending): int16 when they
    fit, half the memory that every lookup of a product reads at random (2 MB instead of 4; a
    product ~5% faster)."""
    dtype = np.int16 if len(cols) < SHORT_SLOTS else np.int32
    name = f"array_{np.dtype(dtype).name}"
    slots, filled = getattr(_SLOTS, name, (None, None))
    if slots is None or len(slots) != n_features:
        slots, filled = np.full(n_features, -1, dtype=dtype), None
    if filled is not cols:  # the array itself is kept, so no other array can be taken for it
        if filled is not None:
            slots[filled] = -1
        slots[cols] = np.arange(len(cols), dtype=dtype)
    setattr(_SLOTS, name, (slots, cols))
    return slots


class QueryVectors:
    """The weighted vectors of a query's passages as products with index rows need them: the
    distinct n-gram columns they use (ascending), and the vectors transposed over those columns
    alone (one row per column: `dense`, or `t` sparse for a huge report). A product then reads only the index rows' non-zeros in
    these columns: the others meet nothing in the query and add nothing to a cosine. Transposing
    over every column (2^20) cost ~2 ms per query and 4 MB of indptr, sent to every shard."""

    def __init__(self, q: sp.csr_matrix):
        self.n = q.shape[0]
        self.cols, inverse = np.unique(q.indices, return_inverse=True)
        self.inverse = inverse.ravel()  # each non-zero of q: its column's place in cols
        # how many passages have each column (a row holds a column once): the n-grams of an
        # indexed report's own passages, which candidate search leaves out of its counts
        self.passages_with = np.bincount(self.inverse, minlength=len(self.cols))
        passage = np.repeat(np.arange(self.n), np.diff(q.indptr))
        self.dense: np.ndarray | None = None
        self.t: sp.csr_matrix | None = None
        self._idf: tuple[np.ndarray, np.ndarray] | None = None  # idf_of
        if len(self.cols) * self.n <= DENSE_CELLS:
            # (query columns, passages): each column's weights as one row, which the product
            # adds to a dense result row at once
            self.dense = np.zeros((len(self.cols), self.n), dtype=np.float32)
            self.dense[inverse, passage] = q.data
        else:  # a huge report: sparse, and scipy's sparse product (the same sums in the same order)
            self.t = sp.csr_matrix((q.data, (inverse, passage)), shape=(len(self.cols), self.n))

    def idf_of(self, idf: np.ndarray) -> np.ndarray:
        """idf[self.cols], kept for the query's next products with the same idf (two to four a
        query): a gather at random from 4 MB, ~0.15 ms when the caches have let it go."""
        if self._idf is None or self._idf[0] is not idf:
            self._idf = (idf, idf[self.cols])
        return self._idf[1]

    def __getstate__(self) -> dict:  # pickled to a shard: without the index's idf
        return {**self.__dict__, "_idf": None}


def _weights(tf: np.ndarray, cols: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """1+log(tf) × idf in float32, before normalisation."""
    w = tf.astype(np.float32)
    np.log(w, out=w)
    w += np.float32(1.0)
    w *= idf[cols]
    return w


def _gather(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the non-zeros of `rows` (in order), and their row lengths."""
    sizes = indptr[rows + 1] - indptr[rows]
    total = int(sizes.sum())
    offsets = np.repeat(indptr[rows] - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
    return offsets + np.arange(total, dtype=np.int64), sizes


class WordingVectors:
    def __init__(self, indptr: np.ndarray, cols: np.ndarray, tf: np.ndarray, inv_norm: np.ndarray,
                 idf: np.ndarray, n_features: int):
        self.indptr = indptr  # int64, rows + 1
        self.cols = cols  # int32, each row's columns in the order of the sums (see the module)
        self.tf = tf
        self.inv_norm = inv_norm  # float32 per row
        self.idf = idf
        self.n_features = n_features

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.indptr) - 1, self.n_features)

    @property
    def nbytes(self) -> int:
        return self.indptr.nbytes + self.cols.nbytes + self.tf.nbytes + self.inv_norm.nbytes

    @classmethod
    def from_counts(cls, indptr: np.ndarray, cols: np.ndarray, tf: np.ndarray, idf: np.ndarray,
                    n_features: int) -> "WordingVectors":
        """From counts with each row's columns ascending (consumed: the arrays are reordered in
        place), a block of rows at a time."""
        n = len(indptr) - 1
        norms = np.zeros(n, dtype=np.float32)
        a = 0
        while a < n:
            # rows [a, b): about BLOCK_NNZ non-zeros, at least one row
            b = max(a + 1, int(np.searchsorted(indptr, indptr[a] + BLOCK_NNZ, side="right")) - 1)
            b = min(b, n)
            s, e = int(indptr[a]), int(indptr[b])
            lengths = np.diff(indptr[a:b + 1])
            nonempty = np.flatnonzero(lengths)
            if len(nonempty):
                w = _weights(tf[s:e], cols[s:e], idf)
                norms[a + nonempty] = np.add.reduceat(w * w, indptr[a + nonempty] - s)
                del w
                # each row reversed, as scipy's product left it
                pos = np.arange(e - s, dtype=np.int64)
                pos = np.repeat(indptr[a + 1:b + 1] - s, lengths) - 1 - (pos - np.repeat(indptr[a:b] - s, lengths))
                cols[s:e] = cols[s:e][pos]
                tf[s:e] = tf[s:e][pos]
            a = b
        norms = np.sqrt(norms)
        norms[norms == 0] = 1.0
        return cls(indptr, cols, tf, (1.0 / norms).astype(np.float32), idf, n_features)

    def rows(self, rows: np.ndarray) -> sp.csr_matrix:
        """The weighted, normalised vectors of `rows` (repeats allowed), as a CSR matrix."""
        rows = np.asarray(rows, dtype=np.int64)
        at, sizes = _gather(self.indptr, rows)
        cols = self.cols[at]
        w = _weights(self.tf[at], cols, self.idf)
        w *= np.repeat(self.inv_norm[rows], sizes)
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(sizes, out=indptr[1:])
        return sp.csr_matrix((w, cols, indptr), shape=(len(rows), self.n_features))

    def product(self, rows: np.ndarray | None, query: QueryVectors, distinct: bool = False) -> np.ndarray:
        """rows(rows) @ the query's vectors transposed (all rows when None), dense: the cosine of
        each row with each query passage, bit for bit, weighing only the non-zeros in the
        query's columns.

        Every cosine is the sum of row i's weights × the query's, over row i's non-zeros in
        their stored order (scipy's sparse product, csr_matmat, which this replaces). Here the
        same scipy loop runs over row i's non-zeros in the query's columns, in that order,
        against the query's dense vectors (csr_matvecs, y += a·x): a column a query passage
        lacks adds a·0 = +0.0 to a sum of non-negative terms, which leaves it as it was, so
        every sum has the same terms in the same order. A row that repeats is computed once.
        `distinct`: the rows are ascending without repeats already (no sort needed)."""
        if rows is None:
            unique, inverse = np.arange(self.shape[0], dtype=np.int64), None
            at, sizes = np.arange(len(self.cols), dtype=np.int64), np.diff(self.indptr)
        else:
            if distinct:
                unique, inverse = np.asarray(rows, dtype=np.int64), None
            else:
                unique, inverse = np.unique(np.asarray(rows, dtype=np.int64), return_inverse=True)
            at, sizes = _gather(self.indptr, unique)
        w, slot, indptr = self._in_query(unique, at, sizes, query)
        matrix = sp.csr_matrix((w, slot, indptr), shape=(len(unique), len(query.cols)))
        sims = matrix @ query.dense if query.dense is not None else (matrix @ query.t).toarray()
        return sims if inverse is None else sims[inverse]

    def _in_query(self, unique: np.ndarray, at: np.ndarray, sizes: np.ndarray,
                  query: QueryVectors) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Of rows `unique` (their non-zeros at `at`, `sizes` a row), the non-zeros in the query's
        columns, in their stored order: weights, the columns' slots in query.cols, and each
        row's first of them (len(unique) + 1)."""
        slot = _slots(self.n_features, query.cols)[self.cols[at]]
        hit = np.flatnonzero(slot >= 0)
        bounds = np.zeros(len(unique) + 1, dtype=np.int64)
        np.cumsum(sizes, out=bounds[1:])
        indptr = np.searchsorted(hit, bounds)  # each row's first non-zero in the query's columns
        at, slot = at[hit], slot[hit].astype(np.int32)
        tf = self.tf[at]
        if tf.dtype.itemsize <= 2:
            w = _LOG_TF[tf]
        else:  # counts above 65,535: no table
            w = tf.astype(np.float32)
            np.log(w, out=w)
            w += np.float32(1.0)
        w *= query.idf_of(self.idf)[slot]  # idf of each kept column, read from the query's few
        w *= np.repeat(self.inv_norm[unique], np.diff(indptr))
        return w, slot, indptr

    def cosines(self, rows: np.ndarray, passages: np.ndarray, query: QueryVectors) -> np.ndarray:
        """product(rows, query)[k, passages[k]] of each k, bit for bit, without the rest of the
        product: candidate search scores a few pairs (some 700 a query) of rows met with ~40
        passages each, and the full product summed every row with every passage.

        Each cosine is the same sum: row k's non-zeros in the query's columns in their stored
        order, weight × the passage's weight of that column (0 where it lacks it), added to
        +0.0 one by one in float32 — scipy's csr_matvec over one CSR row per pair, reading the
        query's dense vectors as one array, does product's csr_matvecs arithmetic. A block of
        pairs at a time. Needs query.dense."""
        rows = np.asarray(rows, dtype=np.int64)
        passages = np.asarray(passages, dtype=np.int64)
        out = np.empty(len(rows), dtype=np.float32)
        dense = query.dense.ravel()  # [slot * query.n + passage]
        step = PAIRS_AT_ONCE
        for a in range(0, len(rows), step):
            unique, row_of = np.unique(rows[a:a + step], return_inverse=True)
            at, sizes = _gather(self.indptr, unique)
            w, slot, indptr = self._in_query(unique, at, sizes, query)
            terms, lengths = _gather(indptr, row_of.ravel())  # each pair's row's non-zeros
            pair_ptr = np.zeros(len(lengths) + 1, dtype=np.int64)
            np.cumsum(lengths, out=pair_ptr[1:])
            cells = slot[terms].astype(np.int64) * query.n + np.repeat(passages[a:a + step], lengths)
            matrix = sp.csr_matrix((w[terms], cells, pair_ptr), shape=(len(lengths), len(dense)))
            out[a:a + step] = matrix @ dense
        return out

    def products(self, rows: np.ndarray | None, query: QueryVectors, distinct: bool = False):
        """product(rows, query) a block of rows at a time, each at most DENSE_CELLS cosines:
        (index in `rows` of the block's first row, its cosines). `distinct`: as product's."""
        count = self.shape[0] if rows is None else len(rows)
        step = max(1, DENSE_CELLS // max(1, query.n))
        for a in range(0, count, step):
            b = min(count, a + step)
            if rows is None:
                yield a, self.product(None if (a, b) == (0, count) else np.arange(a, b), query, distinct=True)
            else:
                yield a, self.product(rows[a:b], query, distinct)

    def columns(self, rows: np.ndarray) -> np.ndarray:
        """The columns of `rows`' non-zeros, as rows(rows).indices, without weighing them."""
        at, _ = _gather(self.indptr, np.asarray(rows, dtype=np.int64))
        return self.cols[at]


# Slots of the table of remembered pair cosines (PairCosines): 2^21 × 12 bytes = 24 MB per process
# that queries, allocated on first use.
PAIR_COSINES_BITS = 21
_FIBONACCI = np.uint64(0x9E3779B97F4A7C15)


class PairCosines:
    """Cosines of (query wording, index wording) pairs, remembered across queries.

    When the audited report is itself indexed (a batch), each of its passages' vectors is an
    index row, so a candidate pair is two index rows u (the query's) and v, and its cosine — the
    product's, bit for bit — depends on them alone. Reports share wordings (copying is what the
    index looks for): of the candidate pairs of 2,000 generated reports' queries, 86% had been
    scored by an earlier query, and 81% of the rows a query multiplied needed no new cosine.

    A direct-mapped table: the pair's key (u << 32 | v) hashed to one slot, which holds the
    key and its cosine; a new pair takes the slot over. A lookup is a hit only when the slot
    holds that very key, so the table is bounded and never wrong; it only forgets."""

    def __init__(self, bits: int = PAIR_COSINES_BITS):
        self.bits = bits
        self._keys: np.ndarray | None = None
        self._cosines: np.ndarray | None = None
        self._lock = threading.Lock()  # a key and its cosine are written and read together

    def __getstate__(self) -> dict:  # pickled with its index (a spawned worker): empty, no lock
        return {"bits": self.bits}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["bits"])

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):  # wrapping multiplication is the hash
            return ((keys.view(np.uint64) * _FIBONACCI) >> np.uint64(64 - self.bits)).astype(np.int64)

    def get(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(cosines, known) of `keys` (int64, ≥ 0): cosines[k] is meaningful where known[k]."""
        with self._lock:
            if self._keys is None:
                return np.zeros(len(keys), dtype=np.float32), np.zeros(len(keys), dtype=bool)
            slots = self._slots(keys)
            return self._cosines[slots], self._keys[slots] == keys

    def put(self, keys: np.ndarray, cosines: np.ndarray) -> None:
        with self._lock:
            if self._keys is None:
                self._keys = np.full(1 << self.bits, -1, dtype=np.int64)
                self._cosines = np.zeros(1 << self.bits, dtype=np.float32)
            slots = self._slots(keys)
            # one pair per slot: numpy does not say which of several writes to a slot wins, and
            # the key and the cosine must come from the same pair
            slots, first = np.unique(slots, return_index=True)
            self._keys[slots] = keys[first]
            self._cosines[slots] = cosines[first]
