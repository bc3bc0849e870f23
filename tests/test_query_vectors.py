"""WordingVectors.product: the cosines of index rows with a query's passages, read over the query's
own columns only, are bit for bit the full sparse product they replace (rows(rows) @ q.T)."""

from __future__ import annotations

import threading

import numpy as np
import scipy.sparse as sp

from auditor.similarity import vectors as V
from auditor.similarity.index import _weigh, corpus_idf
from auditor.similarity.vectors import QueryVectors, WordingVectors


def _counts(rng, rows: int, n_features: int, density: float, top: int) -> sp.csr_matrix:
    m = sp.random(rows, n_features, density=density, format="csr", random_state=rng,
                  data_rvs=lambda k: rng.integers(1, top + 1, k).astype(np.float32))
    m.sum_duplicates()
    return m


def _vectors(counts: sp.csr_matrix, idf: np.ndarray, dtype) -> WordingVectors:
    return WordingVectors.from_counts(counts.indptr.astype(np.int64), counts.indices.astype(np.int32).copy(),
                                      counts.data.astype(dtype), idf, counts.shape[1])


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.array_equal(np.asarray(a, np.float32).view(np.uint32),
                                                 np.asarray(b, np.float32).view(np.uint32))


def test_product_is_the_full_sparse_product_bit_for_bit():
    rng = np.random.default_rng(7)
    n_features = 512
    for dtype, top in ((np.uint8, 200), (np.uint16, 60_000), (np.uint32, 200_000)):
        index_counts = _counts(rng, 300, n_features, 0.05, top)
        df = np.bincount(index_counts.indices, minlength=n_features)
        idf = corpus_idf(df, index_counts.shape[0])
        vectors = _vectors(index_counts, idf, dtype)
        query_counts = _counts(rng, 40, n_features, 0.04, 5)
        query_counts.data[query_counts.indptr[3]:query_counts.indptr[4]] = 0  # a passage without n-grams
        query_counts.eliminate_zeros()
        q = _weigh(query_counts, idf)
        query = QueryVectors(q)
        full_t = q.T.tocsr()
        rows = np.concatenate([rng.integers(0, 300, 120), [5, 5, 5], [299]])  # repeats, unsorted
        expected = (vectors.rows(rows) @ full_t).toarray()
        assert _same_bits(vectors.product(rows, query), expected), dtype
        every = (vectors.rows(np.arange(300)) @ full_t).toarray()
        assert _same_bits(vectors.product(None, query), every), dtype
        assert vectors.product(np.zeros(0, np.int64), query).shape == (0, 40)


def test_a_query_without_columns_finds_nothing():
    rng = np.random.default_rng(3)
    counts = _counts(rng, 20, 64, 0.2, 3)
    vectors = _vectors(counts, np.ones(64, np.float32), np.uint8)
    empty = QueryVectors(sp.csr_matrix((2, 64), dtype=np.float32))
    assert len(empty.cols) == 0
    sims = vectors.product(np.arange(20), empty)
    assert sims.shape == (20, 2) and not sims.any()


def test_the_log_table_is_what_np_log_gives_in_place():
    tf = np.arange(1, 1 << 16, dtype=np.uint16)
    for offset in range(5):  # wherever a value sits in the array (vectorised loops and their tails)
        part = tf[offset:]
        w = part.astype(np.float32)
        np.log(w, out=w)
        w += np.float32(1.0)
        assert _same_bits(V._LOG_TF[part], w)


def test_the_column_slots_hold_one_querys_columns_and_are_per_thread(monkeypatch):
    rng = np.random.default_rng(5)
    counts = _counts(rng, 50, 128, 0.1, 4)
    vectors = _vectors(counts, np.ones(128, np.float32), np.uint8)
    query = QueryVectors(_weigh(_counts(rng, 6, 128, 0.1, 2), np.ones(128, np.float32)))
    other = QueryVectors(_weigh(_counts(rng, 4, 128, 0.2, 2), np.ones(128, np.float32)))

    def only_slots_of(cols, dtype):
        expected = np.full(128, -1, dtype=dtype)
        expected[cols] = np.arange(len(cols))
        table, filled = getattr(V._SLOTS, f"array_{np.dtype(dtype).name}")
        return filled is cols and table.dtype == dtype and np.array_equal(table, expected)

    first = vectors.product(np.arange(50), query)
    assert only_slots_of(query.cols, np.int16)  # kept for the query's next products
    assert _same_bits(vectors.product(np.arange(50), query), first)
    # another query's product finds its own columns alone (the first query's are cleared): its
    # cosines are those of a fresh table (another thread's), and so are the first query's after it
    alone = []
    thread = threading.Thread(target=lambda: alone.append(vectors.product(np.arange(50), other)))
    thread.start()
    thread.join()
    assert _same_bits(vectors.product(np.arange(50), other), alone[0])
    assert only_slots_of(other.cols, np.int16)
    assert _same_bits(vectors.product(np.arange(50), query), first)
    # the same bits as distinct rows (no sort), and with the int32 table of a query with many columns
    assert _same_bits(vectors.product(np.arange(50), query, distinct=True), first)
    monkeypatch.setattr(V, "SHORT_SLOTS", 0)
    assert _same_bits(vectors.product(np.arange(50), query), first)
    assert only_slots_of(query.cols, np.int32)
    seen = []
    thread = threading.Thread(target=lambda: seen.append(V._slots(128, query.cols)))
    thread.start()
    thread.join()
    assert seen[0] is not V._slots(128, query.cols)


def test_a_huge_query_is_kept_sparse_and_read_in_blocks_with_the_same_findings(monkeypatch):
    """A report's passages × n-grams grow quadratically: past DENSE_CELLS its vectors stay sparse
    and products come a block of rows at a time. Same cosines, so the same matches."""
    from test_similarity_index import OWN_A, OWN_B, OWN_B2, PARAGRAPH, report

    from auditor.similarity.index import CorpusIndex

    edited = PARAGRAPH.replace("先审后发", "三审三校")
    sources = [report("白石镇人民政府", 2021, PARAGRAPH + "\n" + OWN_A), report("南岭县人民政府", 2022, edited),
               report("北坡乡人民政府", 2023, OWN_B2), report("绿水县人民政府", 2023, OWN_B + "\n" + PARAGRAPH)]
    audited = report("绿水县人民政府", 2024, OWN_B + "\n" + PARAGRAPH + "\n" + OWN_B2)

    def findings():
        out = []
        for exact in (True, False):
            index = CorpusIndex.build(sources, exact=exact)
            matches = index.query(audited)
            out.append(([m.to_json() for m in matches], index.reuse_ratios(audited, matches), index.query_plan(audited)))
        return out

    expected = findings()
    assert expected[0][0] and expected[1][0]  # copies found both ways
    seen = []
    product = WordingVectors.product

    def spy(self, rows, query, distinct=False):
        seen.append((query.dense is None, self.shape[0] if rows is None else len(rows)))
        return product(self, rows, query, distinct)

    monkeypatch.setattr(WordingVectors, "product", spy)
    monkeypatch.setattr(V, "DENSE_CELLS", 3)  # every query sparse; a block per row or so
    assert findings() == expected
    assert seen and all(sparse for sparse, _ in seen) and max(n for _, n in seen) == 1


def test_pair_cosines_are_the_products_cells_bit_for_bit(monkeypatch):
    """WordingVectors.cosines: each (index row, query passage) pair alone is bit for bit the full
    product's cell (repeats, unsorted pairs, every count dtype, blocks of pairs)."""
    rng = np.random.default_rng(11)
    n_features = 512
    for dtype, top in ((np.uint8, 200), (np.uint16, 60_000), (np.uint32, 200_000)):
        index_counts = _counts(rng, 300, n_features, 0.05, top)
        idf = corpus_idf(np.bincount(index_counts.indices, minlength=n_features), 300)
        vectors = _vectors(index_counts, idf, dtype)
        query_counts = _counts(rng, 40, n_features, 0.04, 5)
        query_counts.data[query_counts.indptr[3]:query_counts.indptr[4]] = 0  # a passage without n-grams
        query_counts.eliminate_zeros()
        query = QueryVectors(_weigh(query_counts, idf))
        full = vectors.product(None, query)
        rows = np.concatenate([rng.integers(0, 300, 2000), [5, 5, 299]])
        passages = np.concatenate([rng.integers(0, 40, 2000), [3, 3, 0]])
        assert _same_bits(vectors.cosines(rows, passages, query), full[rows, passages]), dtype
        monkeypatch.setattr(V, "PAIRS_AT_ONCE", 7)
        assert _same_bits(vectors.cosines(rows, passages, query), full[rows, passages]), dtype
        monkeypatch.undo()
        assert vectors.cosines(np.zeros(0, np.int64), np.zeros(0, np.int64), query).shape == (0,)
