"""Which stored results a change of the corpus can alter (incremental corpus checks).

A report's copy and continuity findings depend on the other reports of the batch only through
the corpus index: the passages it shares with them, and the same body's reports (searched
exactly, and the previous year for continuity rules). When reports are added, changed or
removed, a stored result is re-checked when its report

- has a passage whose cosine with a passage of a changed report (the new version, or the old
  one / the removed one, weighed with the new index's idf) is at least NEIGHBOUR_COSINE — half
  the index's candidate threshold, so that the small shift of the idf a few reports cause, and
  the candidates that cap or anchor choices may add, stay inside;
- or is of the same body as a changed report (any year);

every other result is kept as is. A clean full run on the final corpus gives the same findings:
tests/test_batch_incremental.py and bench/batch_scale.py --incremental check it.

Built on the index's matrix of weighted passage vectors (CorpusIndex.matrix, p_report, idf,
reports) and its `_weigh`: if the index changes its representation, this is the one function to
adapt.
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
    from auditor.similarity.index import _weigh

    if any(entry is None for entry in gone):
        return {r.path for r in index.reports}
    by_path: dict[str, int] = {}
    for r, report in enumerate(index.reports):
        by_path.setdefault(report.path, r)
    rows = [np.arange(index.report_ptr[by_path[p]], index.report_ptr[by_path[p] + 1])
            for p in changed if p in by_path]
    parts = []
    if rows:
        parts.append(index.matrix[np.concatenate(rows)])
    parts.extend(_weigh(entry.counts, index.idf) for entry in gone if entry.counts.shape[0])
    affected = set(changed)
    if not changed and not gone and not bodies:
        return affected
    if parts:
        queries = sp.vstack(parts, format="csr")
        # index rows @ queries.T, in blocks of rows: bounded memory however large the corpus.
        qt = queries.T.tocsr()
        block = 200_000
        for start in range(0, index.matrix.shape[0], block):
            sims = (index.matrix[start:start + block] @ qt).tocsr()
            owners = np.repeat(np.arange(sims.shape[0]), np.diff(sims.indptr))
            for j in np.unique(owners[sims.data >= NEIGHBOUR_COSINE]):
                affected.add(index.reports[int(index.p_report[start + j])].path)
    agencies = {index.reports[by_path[p]].agency for p in changed if p in by_path}
    agencies.update(entry.report.agency for entry in gone)
    agencies.update(bodies)
    if any(normalize_agency(a) for a in agencies):  # an anonymous name is nobody's body
        bodies: dict[str, list[str]] = {}
        for report in index.reports:
            bodies.setdefault(report.agency, []).append(report.path)
        for agency, paths in bodies.items():
            if any(same_body(agency, other) for other in agencies):
                affected.update(paths)
    return affected
