"""The parse cache of a batch: what the corpus checks need of each parsed report, on disk.

With corpus checks every report of the batch takes part in the corpus index, so a batch used to
parse every report on every run. The cache keeps, per report, its Document, its sentence
boundaries and its entry for the corpus index (similarity.index.IndexEntry), so a resumed or
incremental run parses only the reports it has not seen with these bytes.

One file per report: `<dir>/<2 hex>/<key>.npz`, where the key hashes the report's shown name,
the sha256 of its bytes and `parser_key()` (the code and data lists that parsing depends on): a
changed file, a new version of the tool or another rules directory never reads a stale entry.
The file is an .npz without pickle: the texts as ASCII JSON bytes (any text a reader let through,
even a lone surrogate, round-trips), the n-gram counts as their CSR arrays. It is written whole
or not at all (a .tmp renamed over it); an unreadable or inconsistent file is a cache miss, never
an error — the report is simply parsed again.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from auditor.model import Diagnostic, Document, Meta, Section

FORMAT = "auditor.parse-cache/1"


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The auditor package's Python sources: any code change may change how a report parses."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def parser_key() -> str:
    """What a cached parse depends on besides the file: the code and the data lists in effect
    (the template text that passages blank out, the lexicon …)."""
    from auditor.rules.data import data_files

    digest = hashlib.sha256(FORMAT.encode() + _code_digest().encode())
    for name, path in data_files().items():
        digest.update(f"{name}\0".encode() + path.read_bytes())
    return digest.hexdigest()


class ParseCache:
    def __init__(self, directory: str | os.PathLike, key: str | None = None):
        self.directory = Path(directory)
        self.key = key or parser_key()

    def _file(self, name: str, sha256: str) -> Path:
        digest = hashlib.sha256(f"{self.key}\0{name}\0{sha256}".encode("utf-8", "surrogatepass")).hexdigest()
        return self.directory / digest[:2] / f"{digest}.npz"

    def get(self, name: str, sha256: str):
        """(Document, sentences, IndexEntry) of report `name` with these bytes, or None."""
        path = self._file(name, sha256)
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(z["meta"].tobytes().decode("ascii"))
                counts = sp.csr_matrix((z["data"], z["indices"], z["indptr"]),
                                       shape=tuple(int(x) for x in z["shape"]))
            if meta.get("format") != FORMAT or meta.get("name") != name or meta.get("sha256") != sha256:
                return None
            doc = _document(meta["doc"])
            return doc, [tuple(s) for s in meta["sentences"]], _entry(meta["entry"], counts, doc.text)
        except Exception:  # noqa: BLE001 — missing, truncated (BadZipFile…), from another version: parse again
            return None

    def put(self, name: str, sha256: str, doc: Document, sentences, entry) -> None:
        """Best effort: a cache that cannot be written (a full disk) only costs a parse later."""
        path = self._file(name, sha256)
        meta = {"format": FORMAT, "name": name, "sha256": sha256, "doc": _document_json(doc),
                "sentences": [list(s) for s in sentences], "entry": _entry_json(entry)}
        blob = np.frombuffer(json.dumps(meta, ensure_ascii=True).encode("ascii"), dtype=np.uint8)
        counts = entry.counts.tocsr()
        tmp = path.with_name(path.name + ".tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as handle:
                np.savez(handle, meta=blob, data=counts.data, indices=counts.indices, indptr=counts.indptr,
                         shape=np.asarray(counts.shape, dtype=np.int64))
            os.replace(tmp, path)
        except OSError:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass

    def keep_only(self, wanted: set[tuple[str, str]]) -> None:
        """Delete the entries of every (name, sha256) not in `wanted` (and those of other parser
        keys): the cache follows the corpus instead of growing with every version of it."""
        if not self.directory.is_dir():
            return
        keep = {self._file(name, sha) for name, sha in wanted}
        for path in self.directory.glob("*/*.npz*"):
            if path not in keep:
                try:
                    path.unlink()
                except OSError:
                    pass


# --------------------------------------------------------------------------- (de)serialising


def _document_json(doc: Document) -> dict:
    data = doc.to_json()
    source_map = doc.source_map
    data["source_map"] = None if source_map is None else {
        "kind": source_map.kind, "starts": list(source_map.starts), "origins": list(source_map.origins),
        "steps": list(source_map.steps), "length": source_map.length, "elements": list(source_map.elements)}
    return data


def _document(data: dict) -> Document:
    from auditor.sourcemap import SourceMap

    meta = data["meta"]
    sm = data["source_map"]
    return Document(
        path=data["source"]["path"], format=data["source"]["format"], encoding=data["source"]["encoding"],
        meta=Meta(title=meta["title"], agency=meta["agency"], year=meta["year"], template=meta["template"],
                  period=tuple(meta["period"]) if meta["period"] is not None else None),
        text=data["text"],
        sections=tuple(Section(s["key"], s["number"], s["title"], s["start"], s["end"]) for s in data["sections"]),
        tables=data["tables"],
        diagnostics=tuple(Diagnostic(d["kind"], d["message"], tuple(d["cells"]), d["detail"])
                          for d in data["diagnostics"]),
        source_map=None if sm is None else SourceMap(sm["kind"], tuple(sm["starts"]), tuple(sm["origins"]),
                                                     tuple(sm["steps"]), sm["length"], tuple(sm["elements"])))


def _entry_json(entry) -> dict:
    r = entry.report
    return {"report": {"path": r.path, "agency": r.agency, "year": r.year, "fingerprint": r.fingerprint,
                       "formulas": [list(span) for span in r.formulas]},
            "sections": entry.sections, "masked": entry.masked, "starts": entry.starts, "ends": entry.ends}


def _entry(data: dict, counts: sp.csr_matrix, text: str):
    """The IndexEntry of a cached report (its text is the document's: not stored twice)."""
    from auditor.similarity.index import IndexEntry, _Report

    r = data["report"]
    if not (counts.shape[0] == len(data["masked"]) == len(data["sections"]) == len(data["starts"])
            == len(data["ends"])):
        raise ValueError("inconsistent cache entry")
    report = _Report(path=r["path"], agency=r["agency"], year=r["year"], fingerprint=r["fingerprint"],
                     text=text, formulas=tuple((int(a), int(b)) for a, b in r["formulas"]))
    return IndexEntry(report, data["sections"], data["masked"], data["starts"], data["ends"], counts)
