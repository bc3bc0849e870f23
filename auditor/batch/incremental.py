"""Which stored results a change of the corpus can alter (incremental corpus checks).

A report's copy and continuity findings depend on the other reports of the batch only through
the corpus index: the passages it shares with them, and the same body's reports (searched
exactly, and the previous year for continuity rules). When reports are added, changed or
removed, a stored result is re-checked when its report

- has a passage that could be paired with a passage of a changed report (the new version, or
  the old one / the removed one): their cosine, weighed with the new index's idf, is at least
  NEIGHBOUR_COSINE — half the index's candidate threshold, so that the small shift of the idf
  a few reports cause stays inside — and their wording aligns as the index requires of a copy
  (its `_align`, which depends on the two passages alone);
- or is of the same body as a changed report (any year);

every other result is kept as is. A clean full run on the final corpus gives the same findings:
tests/test_batch_incremental.py and bench/batch_scale.py --incremental check it.

Not covered, by design: the idf shift also moves the cosine of pairs between two unchanged
reports, and (above EXACT_MAX_PASSAGES) which rare n-grams anchor an unchanged passage's
candidates; a pair of unchanged reports can then flip. Measured (bench/batch_scale.py
--incremental 2000, candidate search): after +10 reports, 3 of 2,010 kept results named another
source for a shared passage than a clean run (sources all among the unchanged reports). Exact
search (small corpora, the tests) showed no difference. To close it: re-check, too, the reports
with a passage whose anchor n-grams (its ANCHORS rarest) include one of the changed passages'
n-grams — or make the index's candidate choice independent of the rest of the corpus.

Built on the index's weighted passage vectors (CorpusIndex.passage_vectors, p_report, p_masked,
idf, reports, report_ptr) and its `_weigh`, `_key`, `_flags_from_spans`, `_align`, `_source_key`:
if the index changes its representation, this is the one function to adapt.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from auditor.similarity.index import COSINE_MIN, normalize_agency, same_body

NEIGHBOUR_COSINE = COSINE_MIN / 2


def same_entry(a, b) -> bool:
    """Whether two IndexEntry are the same report for the index (so its other reports' copy
    findings cannot change when one replaces the other)."""
    return (a.report == b.report and a.sections == b.sections and a.masked == b.masked
            and a.starts == b.starts and a.ends == b.ends and a.counts.shape == b.counts.shape
            and (a.counts != b.counts).nnz == 0)


def affected_reports(index, changed: list[str], gone: list, bodies: list = ()) -> set[str]:
    """Paths of the indexed reports whose corpus findings may differ since the change.

    `changed`: paths of the added or changed reports (indexed now); `gone`: IndexEntry of the
    removed reports and of the old versions of the changed ones (None when unknown: then every
    report counts as affected); `bodies`: agencies of other changed reports, whose index entry
    did not change (their body's reports are affected: the previous year's tables count)."""
    from auditor.similarity.index import _align, _flags_from_spans, _key, _weigh

    if any(entry is None for entry in gone):
        return {r.path for r in index.reports}
    affected = set(changed)
    if not changed and not gone and not bodies:
        return affected
    by_path: dict[str, int] = {}
    for r, report in enumerate(index.reports):
        by_path.setdefault(report.path, r)
    # The changed passages: their weighted vectors (with the index's idf) and alignment keys.
    parts, keys = [], []
    for path in changed:
        if path in by_path:
            rows = np.arange(index.report_ptr[by_path[path]], index.report_ptr[by_path[path] + 1])
            parts.append(index.passage_vectors(rows))
            keys.extend(index._source_key(int(j)) for j in rows)
    for entry in gone:
        if entry.counts.shape[0]:
            parts.append(_weigh(entry.counts, index.idf))
            flags = _flags_from_spans(len(entry.report.text), entry.report.formulas)
            keys.extend(_key(m, flags[a:b]) for m, a, b in zip(entry.masked, entry.starts, entry.ends))
    if parts:
        qt = sp.vstack(parts, format="csr").T.tocsr()
        aligned: dict[tuple[str, int], bool] = {}  # (wording of the indexed passage, changed passage)
        block = 200_000  # rows at a time: bounded memory however large the corpus
        for start in range(0, index.passage_count, block):
            rows = np.arange(start, min(start + block, index.passage_count))
            sims = (index.passage_vectors(rows) @ qt).tocoo()
            near = sims.data >= NEIGHBOUR_COSINE
            for j, c in zip(sims.row[near].tolist(), sims.col[near].tolist()):
                j += start
                path = index.reports[int(index.p_report[j])].path
                if path in affected:
                    continue
                # Only a pair whose wording aligns can make a segment: the alignment does not
                # depend on the rest of the corpus, the cosine only lets the pair be tried.
                memo = (index.p_masked[j], c)
                if memo not in aligned:
                    aligned[memo] = _align(index._source_key(j), keys[c]) is not None
                if aligned[memo]:
                    affected.add(path)
    agencies = {index.reports[by_path[p]].agency for p in changed if p in by_path}
    agencies.update(entry.report.agency for entry in gone)
    agencies.update(bodies)
    if any(normalize_agency(a) for a in agencies):  # an anonymous name is nobody's body
        reports_of: dict[str, list[str]] = {}
        for report in index.reports:
            reports_of.setdefault(report.agency, []).append(report.path)
        for agency, paths in reports_of.items():
            if any(same_body(agency, other) for other in agencies):
                affected.update(paths)
    return affected
