"""Structure stage: SourceText → Document (normalized text, sections, meta, canonical tables)."""

from __future__ import annotations

from auditor.model import Document, Meta, SourceText
from auditor.sourcemap import SourceMap
from auditor.structure import meta as meta_mod
from auditor.structure.gate import require_report
from auditor.structure.normalize import normalize
from auditor.structure.sections import find_sections
from auditor.structure.tables import detect_template, recover_tables

# The 2019 format (国办公开办函〔2019〕60号) applies from the reports on 2019.
FIRST_YEAR_OF_2019_LAYOUT = 2019


def build_document(source: SourceText) -> Document:
    norm = normalize(source)
    text = norm.text
    sections = find_sections(text)
    by_key = {s.key: s for s in sections}
    first = sections[0] if sections else None
    title = meta_mod.find_title(text, first, source.title)
    period = meta_mod.find_period(text)
    year = meta_mod.find_year(title, period, text)
    template = detect_template(text, by_key)
    if template == "unknown" and year is not None and year < FIRST_YEAR_OF_2019_LAYOUT:
        # No table tells the layout, but the year does: before the 2019 revision of the regulation
        # every report followed the 2008 layout (whose statistics table was optional)
        template = "2008"
    source_map = SourceMap.build(source.positions, norm.origins, source.elements, source.boxes)
    # Text read by OCR (a scan's page, not a stamped PDF's text-layer pages): its tables' row
    # labels may hold a misread character.
    ocr_read = (lambda start, end: bool(source_map.scan_boxes(start, end))) \
        if source_map is not None and source_map.kind == "scan" else None
    tables, diagnostics = recover_tables(text, sections, norm.grids, template, ocr_read)
    meta = Meta(title=title, agency=meta_mod.find_agency(title, text),
                year=year, template=template, period=period)
    return Document(path=source.path, format=source.format, encoding=source.encoding, meta=meta,
                    text=text, sections=sections, tables=tables,
                    diagnostics=tuple(source.notes) + tuple(diagnostics),
                    source_map=source_map)


def parse_file(path: str, *, gate: bool = True) -> Document:
    """The report in the file at `path`; InputError when it cannot be read or is not a report
    at all (gate.py). gate=False reads any text as a report: for benches that measure the
    extractor on every annotated text, mangled mirrors included."""
    from auditor.read import read_file

    doc = build_document(read_file(path))
    return require_report(doc) if gate else doc


def parse_bytes(path: str, data: bytes) -> Document:
    """parse_file for bytes read elsewhere; `path` names the report and gives its format."""
    from auditor.read import read_bytes

    return require_report(build_document(read_bytes(path, data)))
