"""The parse cache of a batch: what the corpus checks need of each parsed report, on disk.

With corpus checks every report of the batch takes part in the corpus index, so a batch used to
parse every report on every run. The cache keeps, per report, its Document, its sentence
boundaries and its entry for the corpus index (similarity.index.IndexEntry), so a resumed or
incremental run parses only the reports it has not seen with these bytes.

One file per report: `<dir>/<2 hex>/<key>.npz`, where the key hashes the report's shown name,
the sha256 of its bytes and `parser_key()` (the code and data lists that parsing depends on): a
changed file, a new version of the tool or another rules directory never reads a stale entry.
The file is an .npz without pickle: the document's text as UTF-8 bytes and the other parts as
ASCII JSON bytes (any text a reader let through, even a lone surrogate, round-trips: surrogates
pass through UTF-8 as they are), the n-gram counts as their CSR arrays packed in one member. It
is written whole or not at all (a .tmp renamed over it); an unreadable or inconsistent file is a
cache miss, never an error — the report is simply parsed again.

Who writes and reads it (run.py): the worker that parses a report writes its entry (locally; on
a Dask cluster, whose workers may not share this filesystem, the batch process does); the batch
process reads back only the index entries, one at a time, while it builds the corpus index; the
worker that checks a report reads its Document and its previous-year report's. So the batch
process never holds every parsed Document: its memory grows with the index alone. Each part is
its own member of the file, and a reader loads only the members it needs.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from auditor.model import Diagnostic, Document, Meta, Section

FORMAT = "auditor.parse-cache/4"  # 3: the counts in one member; 4: the text as UTF-8


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

    def file_of(self, name: str, sha256: str) -> Path:
        """Where the entry of report `name` with these bytes is, or would be (also to read it ahead)."""
        digest = hashlib.sha256(f"{self.key}\0{name}\0{sha256}".encode("utf-8", "surrogatepass")).hexdigest()
        return self.directory / digest[:2] / f"{digest}.npz"

    def has(self, name: str, sha256: str) -> bool:
        """Whether an entry of report `name` with these bytes is on disk and opens as one: a
        cheap look (the zip's directory, its head), so a batch knows what to parse before it
        reads any entry whole. An entry damaged inside a sound zip shows when it is read
        (entry(), document()), which then give None."""
        try:
            with zipfile.ZipFile(self.file_of(name, sha256)) as z:
                return set(z.namelist()) >= _MEMBER_FILES and self._head_ok(z, name, sha256)
        except Exception:  # noqa: BLE001 — missing, truncated, not a zip: parse again
            return False

    def get(self, name: str, sha256: str):
        """(Document, sentences, IndexEntry) of report `name` with these bytes, or None."""
        try:
            with zipfile.ZipFile(self.file_of(name, sha256)) as z:
                if not self._head_ok(z, name, sha256):
                    return None
                doc, sentences = _document(_json(z, "doc"), _text(z))
                return doc, sentences, _entry(_json(z, "entry"), _counts(z), doc.text)
        except Exception:  # noqa: BLE001 — missing, truncated (BadZipFile…), from another version: parse again
            return None

    def document(self, name: str, sha256: str):
        """(Document, sentences) of report `name` with these bytes, or None: what a check task
        reads (not the index entry, the larger part)."""
        try:
            with zipfile.ZipFile(self.file_of(name, sha256)) as z:
                if not self._head_ok(z, name, sha256):
                    return None
                return _document(_json(z, "doc"), _text(z))
        except Exception:  # noqa: BLE001 — as get()
            return None

    def entry(self, name: str, sha256: str):
        """The IndexEntry of report `name` with these bytes, or None: what building the corpus
        index reads (not the Document)."""
        try:
            with zipfile.ZipFile(self.file_of(name, sha256)) as z:
                if not self._head_ok(z, name, sha256):
                    return None
                return _entry(_json(z, "entry"), _counts(z), _text(z))
        except Exception:  # noqa: BLE001 — as get()
            return None

    @staticmethod
    def _head_ok(z, name: str, sha256: str) -> bool:
        head = _json(z, "head")
        return head.get("format") == FORMAT and head.get("name") == name and head.get("sha256") == sha256

    def put(self, name: str, sha256: str, doc: Document, sentences, entry) -> bool:
        """Best effort: a cache that cannot be written (a full disk) only costs a parse later.
        Whether the entry is on disk now."""
        path = self.file_of(name, sha256)
        data = _document_json(doc)
        text = data.pop("text")
        parts = {"head": {"format": FORMAT, "name": name, "sha256": sha256},
                 "doc": {"doc": data, "sentences": [list(s) for s in sentences]},
                 "entry": _entry_json(entry)}
        members = {key: _blob(value) for key, value in parts.items()}
        members["text"] = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
        members["counts"] = _counts_member(entry.counts.tocsr())
        # What np.savez writes (an uncompressed zip of .npy files), made in memory and written in
        # one piece: zipfile goes back to each member's header to write its sizes, and on a file
        # each of those seeks is a flush and system calls.
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for key, array in members.items():
                archive.writestr(f"{key}.npy", _npy(array))
        tmp = f"{path}.tmp"
        try:
            try:
                handle = open(tmp, "wb")
            except FileNotFoundError:  # the first entry of its directory
                path.parent.mkdir(parents=True, exist_ok=True)
                handle = open(tmp, "wb")
            with handle:
                handle.write(buffer.getbuffer())
            os.replace(tmp, path)
            return True
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            return False

    def keep_only(self, wanted: set[tuple[str, str]]) -> None:
        """Delete the entries of every (name, sha256) not in `wanted` (and those of other parser
        keys): the cache follows the corpus instead of growing with every version of it."""
        if not self.directory.is_dir():
            return
        keep = {self.file_of(name, sha) for name, sha in wanted}
        for path in self.directory.glob("*/*.npz*"):
            if path not in keep:
                try:
                    path.unlink()
                except OSError:
                    pass


# --------------------------------------------------------------------------- (de)serialising

# One file, several members, so that each reader loads only what it needs (zipfile reads a
# member when it is asked for): the text (shared by both), the Document's other parts with the
# sentence boundaries (a check task), the index entry and its counts (the index build).
_MEMBERS = {"head", "text", "doc", "entry", "counts"}
_MEMBER_FILES = {f"{member}.npy" for member in _MEMBERS}


def _blob(value) -> np.ndarray:
    """ASCII JSON bytes: any text a reader let through (even a lone surrogate) round-trips."""
    return np.frombuffer(json.dumps(value, ensure_ascii=True).encode("ascii"), dtype=np.uint8)


def _npy(array: np.ndarray) -> bytes:
    """A 1-D array as np.save writes it (the same bytes): a .npy file of version 1.0, its header
    padded with spaces to a multiple of 64 bytes. Through np.savez's general writer, making an
    entry's zip cost a fifth more."""
    header = f"{{'descr': '{np.lib.format.dtype_to_descr(array.dtype)}', 'fortran_order': False, 'shape': ({len(array)},), }}"
    header += " " * (-(len(header) + 11) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode("latin1") + array.tobytes()


# The .npy header numpy writes for a 1-D uint8 array (each JSON member), up to its data: the
# version 1.0 magic, the header's length, the header dict padded with spaces to a newline.
_BYTES_HEADER = re.compile(rb"\x93NUMPY\x01\x00..\{'descr': '\|u1', 'fortran_order': False, 'shape': \((\d+),\), \} *\n",
                           re.DOTALL)


def _bytes(z: zipfile.ZipFile, member: str) -> bytes:
    """The bytes of a member written as a 1-D uint8 array. Its header is matched here, not read by
    np.load, whose parser (ast.literal_eval) was a third of the time of reading a Document's three
    members; any other header (another numpy's) is left to numpy."""
    data = z.read(member + ".npy")
    header = _BYTES_HEADER.match(data)
    if (header is None or int.from_bytes(data[8:10], "little") != header.end() - 10
            or int(header[1]) != len(data) - header.end()):
        return np.lib.format.read_array(io.BytesIO(data), allow_pickle=False).tobytes()
    return data[header.end():]


def _json(z: zipfile.ZipFile, member: str):
    """A member as _blob wrote it."""
    return json.loads(_bytes(z, member).decode("ascii"))


def _text(z: zipfile.ZipFile) -> str:
    """The document's text (decoded in C; as JSON, its \\u escapes cost five times as long)."""
    return _bytes(z, "text").decode("utf-8", "surrogatepass")


def _counts_member(counts: sp.csr_matrix) -> np.ndarray:
    """The n-gram counts as one int32 array — rows, columns, non-zeros, then indptr, indices and
    the float32 counts' bits: reading a member costs a zip entry and a header parse, so one
    member instead of four (the batch process reads every report's)."""
    rows, cols = counts.shape
    return np.concatenate([np.asarray([rows, cols, counts.nnz], dtype=np.int32), counts.indptr.astype(np.int32),
                           counts.indices.astype(np.int32), counts.data.astype(np.float32).view(np.int32)])


def _counts(z: zipfile.ZipFile) -> sp.csr_matrix:
    packed = np.lib.format.read_array(io.BytesIO(z.read("counts.npy")), allow_pickle=False)
    rows, cols, nnz = (int(x) for x in packed[:3])
    if len(packed) != 3 + rows + 1 + 2 * nnz:
        raise ValueError("inconsistent cache entry")
    indptr = packed[3:4 + rows]
    indices = packed[4 + rows:4 + rows + nnz]
    data = packed[4 + rows + nnz:].view(np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(rows, cols))


def _document_json(doc: Document) -> dict:
    data = doc.to_json()
    source_map = doc.source_map
    data["source_map"] = None if source_map is None else {
        "kind": source_map.kind, "starts": list(source_map.starts), "origins": list(source_map.origins),
        "steps": list(source_map.steps), "length": source_map.length, "elements": list(source_map.elements)}
    return data


def _document(parts: dict, text: str) -> tuple[Document, list[tuple]]:
    """The Document and sentence boundaries of a cache entry's "doc" member and its text."""
    from auditor.sourcemap import SourceMap

    data = parts["doc"]
    meta = data["meta"]
    sm = data["source_map"]
    return Document(
        path=data["source"]["path"], format=data["source"]["format"], encoding=data["source"]["encoding"],
        meta=Meta(title=meta["title"], agency=meta["agency"], year=meta["year"], template=meta["template"],
                  period=tuple(meta["period"]) if meta["period"] is not None else None),
        text=text,
        sections=tuple(Section(s["key"], s["number"], s["title"], s["start"], s["end"]) for s in data["sections"]),
        tables=data["tables"],
        diagnostics=tuple(Diagnostic(d["kind"], d["message"], tuple(d["cells"]), d["detail"])
                          for d in data["diagnostics"]),
        source_map=None if sm is None else SourceMap(sm["kind"], tuple(sm["starts"]), tuple(sm["origins"]),
                                                     tuple(sm["steps"]), sm["length"], tuple(sm["elements"]))), \
        [tuple(s) for s in parts["sentences"]]


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
