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

import numpy as np
import scipy.sparse as sp

# Rows weighed at a time when the norms are computed: bounds the temporary arrays.
BLOCK_NNZ = 1 << 20


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
        self._all: sp.csr_matrix | None = None

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

    def columns(self, rows: np.ndarray) -> np.ndarray:
        """The columns of `rows`' non-zeros, as rows(rows).indices, without weighing them."""
        at, _ = _gather(self.indptr, np.asarray(rows, dtype=np.int64))
        return self.cols[at]

    def all(self) -> sp.csr_matrix:
        """Every row weighted (exact search of a small corpus), computed once."""
        if self._all is None:
            self._all = self.rows(np.arange(self.shape[0]))
        return self._all
