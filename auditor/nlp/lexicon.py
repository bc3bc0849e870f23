"""The lexicon of quantity concepts (rules/concepts.yaml), compiled once per process.

It answers three questions for the claim extractor and the claim checks:
- which words name a counted thing (heads), a table row and a table column;
- what a concept is called and which table cells it equals (`cells_for`);
- which other concepts could explain a mismatch (`related`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from auditor.rules.data import data_file, read_data
from auditor.rules.yaml_files import YamlLimitError, load_yaml
from auditor.structure.tables import schema


@dataclass(frozen=True)
class Head:
    id: str  # "applications", "appeals.review", "narrative.published" …
    table: str | None  # applications | appeals | active | fees | None (narrative only)
    pattern: re.Pattern  # any of its words
    units: frozenset[str]
    scan: "Scan"  # the same words at every position, overlapping


@dataclass(frozen=True)
class Facet:
    key: str  # a row or column key of its table ("new_received", "natural_person", "corrected")
    pattern: re.Pattern
    priority: int  # lower wins when several facets of one kind occur in a phrase
    scan: "Scan"  # the same words at every position, overlapping


@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    cells: tuple[str, ...] = ()  # expressions with "{col}", tried in order
    group: str | None = None  # a table 三 result group: its subtotal, else its items summed
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Absolute:
    outcome: str
    pattern: re.Pattern
    excludes: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    fill: re.Pattern  # fill words, anchored at the end of a phrase
    units: dict[str, frozenset[str]]
    heads: tuple[Head, ...]
    narrative: tuple[Head, ...]
    rows: dict[str, tuple[Facet, ...]]  # by head table ("applications", "appeals", "active", "fees")
    columns: dict[str, tuple[Facet, ...]]
    default_rows: dict[str, str | None]
    concepts: dict[str, Concept]
    absolutes: tuple[Absolute, ...]
    all_words: re.Pattern
    head_by_id: dict[str, Head] = field(default_factory=dict)
    entries: "Entries | None" = None  # the heads, narrative heads, rows and columns a phrase is scanned for
    # phrase → its lexicon words: reports repeat their phrases ("收到政府信息公开申请"), and scanning
    # every pattern of the lexicon was a third of claim extraction
    matches_cache: dict = field(default_factory=dict, compare=False, repr=False)
    # words after a number → what they name (claims/phrases.py read_right): most numbers end their
    # clause (nothing after them) or are followed by words other numbers were followed by too
    readings_after_cache: dict = field(default_factory=dict, compare=False, repr=False)

    def concept(self, concept_id: str) -> Concept | None:
        base, column = split_column(concept_id)
        if "+" in base:  # rows counted together: "applications.withheld+unable"
            table, _, rows = base.partition(".")
            parts = [self.concepts.get(f"{table}.{row}") for row in rows.split("+")]
            if not all(parts):
                return None
            return Concept(base, "与".join(p.label for p in parts))
        return self.concepts.get(base)

    def label(self, concept_id: str) -> str:
        base, column = split_column(concept_id)
        concept = self.concept(base)
        text = concept.label if concept else concept_id
        if column:
            text += f"（{COLUMN_LABELS.get(column, column)}）"
        return text

    def cells_for(self, concept_id: str) -> list[str]:
        """Cell expressions ("a.b.c + d.e.f") for a concept, in the order to try them; [] when the
        concept has no table cell."""
        base, column = split_column(concept_id)
        if "+" in base:  # the rows' first decidable expressions summed
            table, _, rows = base.partition(".")
            column_suffix = f".{column}" if column else ""
            terms = [self.cells_for(f"{table}.{row}{column_suffix}") for row in rows.split("+")]
            if not all(terms):
                return []
            return [" + ".join(choice) for choice in itertools.product(*terms)]
        concept = self.concepts.get(base)
        if concept is None:
            return []
        col = column or "total"
        if concept.group:
            leaves = schema.LEAF_GROUPS[concept.group]
            templates = [f"applications.{concept.group}_subtotal.{{col}}",
                         " + ".join(f"applications.{leaf}.{{col}}" for leaf in leaves)]
        else:
            templates = list(concept.cells)
        if col != "total":
            # The 2008 statistics table has no applicant or result columns: its figure is a total.
            templates = [t for t in templates if not t.startswith(LEGACY_TABLE)]
        return [_expand_column(t, col) for t in templates]


COLUMN_LABELS = {"natural_person": "自然人", "legal_person": "法人或其他组织", "commercial": "商业企业",
                 "research": "科研机构", "social_org": "社会公益组织", "legal_service": "法律服务机构",
                 "other_org": "其他组织", "upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果",
                 "pending": "尚未审结", "decided": "已审结", "total": "总计"}
LEGACY_TABLE = "statistics_2008."
LEGAL_PERSON_COLUMNS = ("commercial", "research", "social_org", "legal_service", "other_org")
DECIDED_COLUMNS = ("upheld", "corrected", "other")
TABLE_COLUMNS = {"applications": frozenset(schema.APPLICANT_COLUMNS) | {"legal_person"},
                 "appeals": frozenset(schema.APPEAL_COLUMNS) | {"decided"}}


def split_column(concept_id: str) -> tuple[str, str | None]:
    """"applications.new_received.natural_person" → ("applications.new_received", "natural_person")."""
    table, _, rest = concept_id.partition(".")
    parts = rest.split(".")
    if table in TABLE_COLUMNS and len(parts) == 2 and parts[1] in TABLE_COLUMNS[table]:
        return f"{table}.{parts[0]}", parts[1]
    return concept_id, None


def _expand_column(template: str, col: str) -> str:
    """"x.{col} + y.{col}" for one column; a derived column expands into the columns it sums."""
    if "{col}" not in template:
        return template
    expansions = {"legal_person": LEGAL_PERSON_COLUMNS, "decided": DECIDED_COLUMNS}
    columns = expansions.get(col, (col,))
    terms = [t.strip() for t in template.split("+")]
    return " + ".join(term.replace("{col}", c) for term in terms for c in columns)


def _words(words: list[str]) -> re.Pattern:
    # Longest alternatives first, so a regex alternation prefers "行政复议" to "复议".
    return re.compile("|".join(f"(?:{w})" for w in sorted(words, key=len, reverse=True)))


@dataclass(frozen=True)
class Scan:
    """A lexicon entry's words at every position of a phrase, overlapping ("公开栏目" holds both 公开栏
    and 栏目), and at each position the longest of them: a regex alternation would take the first
    that matches, and "申请" must not win over "申请公开政府信息" because its pattern is written longer."""
    words: tuple[re.Pattern, ...]
    any_word: re.Pattern  # one search says whether any of the words is there at all: most are not
    # Characters of which every match of any_word holds one (None: not known): a phrase with none
    # of them is turned away without a search
    needed: frozenset[str] | None = None

    def spans(self, phrase: str) -> list[tuple[int, int]]:
        # A caller scanning a phrase for every entry turns away, by `needed`, those it cannot
        # match before calling (Entries.called_for).
        if self.any_word.search(phrase) is None:
            return []
        longest: dict[int, int] = {}
        for word in self.words:
            for m in word.finditer(phrase):
                if m.end(1) > m.start(1) and m.end(1) > longest.get(m.start(1), -1):
                    longest[m.start(1)] = m.end(1)
        return sorted(longest.items())


@dataclass(frozen=True)
class Entry:
    """A lexicon entry a phrase is scanned for: a head, a narrative head, a row or a column."""
    kind: str  # head | narrative | row | column
    key: str  # head id, or row/column key
    table: str | None  # a head's table; for rows and columns, the head table they belong to
    priority: int  # rows and columns: lower wins (heads: 0)
    scan: Scan


@dataclass(frozen=True)
class Entries:
    """Every entry in the order the claims read their matches (heads, narrative heads, then each
    table's rows and columns), and the entries each character calls for: a phrase holds a needed
    character (Scan.needed) of 1 to 3 of some 70 entries, and testing every entry's gate in turn
    cost more than the scans it spared."""
    all: tuple[Entry, ...]
    by_char: dict[str, tuple[int, ...]]  # a character → the entries needing it (indices into all)
    ungated: frozenset[int]  # the entries whose needed characters are not known: always scanned

    @classmethod
    def of(cls, entries: tuple[Entry, ...]) -> "Entries":
        by_char: dict[str, list[int]] = {}
        for i, entry in enumerate(entries):
            for ch in entry.scan.needed or ():
                by_char.setdefault(ch, []).append(i)
        return cls(entries, {ch: tuple(found) for ch, found in by_char.items()},
                   frozenset(i for i, entry in enumerate(entries) if entry.scan.needed is None))

    def called_for(self, phrase: str) -> list[Entry]:
        """The entries, in order, a match of whose words may be in the phrase (the others have none)."""
        picked = set(self.ungated)
        for ch in self.by_char.keys() & set(phrase):
            picked.update(self.by_char[ch])
        return [self.all[i] for i in sorted(picked)]


def _scan(words: list[str]) -> Scan:
    any_word = _words(words)
    return Scan(tuple(re.compile(f"(?=({w}))") for w in words), any_word, _needed_chars(any_word))


def _needed_chars(pattern: re.Pattern) -> frozenset[str] | None:
    """Characters of which every match of `pattern` holds one, read from its parsed form: in a
    sequence, the first item every match consumes that is a character or a class of characters
    (a group or a repeat of at least one is looked into; lookarounds consume nothing); of
    alternatives, those of every branch together. None when that cannot be told."""
    try:
        from re import _constants as sre, _parser
    except ImportError:  # a Python without them: no gate, every phrase is searched
        return None
    if pattern.flags & re.IGNORECASE:
        return None

    def needed(items) -> frozenset[str] | None:
        for op, av in items:
            if op is sre.LITERAL:
                return frozenset(chr(av))
            if op is sre.IN and all(kind is sre.LITERAL for kind, _ in av):
                return frozenset(chr(code) for _, code in av)
            if op is sre.SUBPATTERN:  # a group; one with its own flags ("(?i:…)") is not looked into
                found = None if av[1] & re.IGNORECASE else needed(av[3])
            elif op is sre.BRANCH:
                branches = [needed(branch) for branch in av[1]]
                found = frozenset().union(*branches) if all(branches) else None
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
                found = needed(av[2])
            else:
                continue
            if found:
                return found
        return None

    try:
        return needed(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 — re's parser is private: another Python's may differ; no gate then
        return None


def _facets(spec: dict[str, list[str]]) -> tuple[Facet, ...]:
    facets = []
    for i, (key, words) in enumerate(spec.items()):
        facets.append(Facet(key, _words(words), i, _scan(words)))
    return tuple(facets)


def _head(head_id: str, table: str | None, words: list[str], units: frozenset[str]) -> Head:
    return Head(head_id, table, _words(words), units, _scan(words))


def get_lexicon() -> Lexicon:
    """The lexicon of the rules directory in effect (rules/concepts.yaml), compiled once."""
    return _compiled_lexicon(data_file("concepts"))


@lru_cache(maxsize=4)
def _compiled_lexicon(path) -> Lexicon:
    return compile_lexicon(read_data(path))


def compile_lexicon(data: dict) -> Lexicon:
    units = {k: frozenset(v) for k, v in data["units"].items()}
    heads = tuple(_head(h["id"], h["table"], h["words"], units[h["units"]]) for h in data["heads"])
    all_units = frozenset().union(*units.values())
    narrative = tuple(_head(h["id"], None, h["words"], all_units) for h in data["narrative"])
    concepts = {}
    for cid, spec in data["concepts"].items():
        cells = spec.get("cells", ())
        concepts[cid] = Concept(cid, spec["label"], tuple([cells] if isinstance(cells, str) else cells),
                                spec.get("group"), tuple(spec.get("related", ())))
    absolutes = tuple(Absolute(outcome, _words(spec["words"]), tuple(spec["excludes"]))
                      for outcome, spec in data["absolutes"].items() if outcome != "all_words")
    lexicon = Lexicon(
        fill=re.compile("(?:" + data["fill"] + ")$"),
        units=units, heads=heads, narrative=narrative,
        rows={table: _facets(spec) for table, spec in data["rows"].items()},
        columns={table: _facets(spec) for table, spec in data["columns"].items()},
        default_rows=dict(data["default_rows"]),
        concepts=concepts, absolutes=absolutes,
        all_words=_words(data["absolutes"]["all_words"]),
    )
    object.__setattr__(lexicon, "head_by_id", {h.id: h for h in heads + narrative})
    entries = [Entry("head", h.id, h.table, 0, h.scan) for h in heads]
    entries += [Entry("narrative", h.id, None, 0, h.scan) for h in narrative]
    entries += [Entry(kind, f.key, table, f.priority, f.scan)
                for kind, facets_by_table in (("row", lexicon.rows), ("column", lexicon.columns))
                for table, facets in facets_by_table.items() for f in facets]
    object.__setattr__(lexicon, "entries", Entries.of(tuple(entries)))
    return lexicon


@dataclass(frozen=True)
class ExampleResult:
    line: int  # 1-based line of the example in the lexicon file
    text: str
    expected: list
    got: list | None  # None when the example could not be run

    @property
    def passed(self) -> bool:
        return self.got == self.expected


def check_lexicon(path) -> tuple[list[str], list[ExampleResult]]:
    """A lexicon file's problems (one Chinese line each, with file:line) and its examples run
    against it: every sentence must give exactly the claims it lists."""
    from auditor.nlp.claims import extract
    from auditor.nlp.sentences import split_document
    from auditor.rules.examples import text_document

    text = open(path, encoding="utf-8").read()
    try:
        root, data = load_yaml(text)
        lexicon = compile_lexicon(data)
    except YamlLimitError as exc:
        return [f"{path}: {exc}"], []
    except yaml.YAMLError as exc:
        return [f"{path}: YAML 格式错误：{exc}"], []
    except re.error as exc:
        return [f"{path}: 词表中的正则表达式有误：{exc}（{exc.pattern!r}）"], []
    except (KeyError, TypeError, AttributeError) as exc:
        return [f"{path}: 词典缺少或写错了项：{exc}"], []
    problems = []
    for cid, concept in lexicon.concepts.items():
        for other in concept.related:
            if other not in lexicon.concepts:
                problems.append(f"{path}: 概念 {cid} 的 related 引用了不存在的概念 {other}")
    results = []
    nodes = _example_nodes(root)
    for i, example in enumerate(data.get("examples") or []):
        line = nodes[i].start_mark.line + 1 if i < len(nodes) else 0
        try:
            doc = text_document(example["text"])
            claims, _ = extract(doc, split_document(doc), lexicon)
            got = [[c.concept, c.value, c.relation] for c in claims if c.concept != "other"]
        except Exception:  # a broken example must not stop the others
            got = None
        expected = [[c, float(v) if v is not None else None, r] for c, v, r in example["expect"]]
        results.append(ExampleResult(line, example["text"], expected, got))
        for concept, _value, _relation in example["expect"]:
            if lexicon.concept(concept) is None:
                problems.append(f"{path}:{line}: 示例预期的概念 {concept} 不在词典中")
    return problems, results


def _example_nodes(root) -> list:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "examples" and isinstance(value, yaml.SequenceNode):
            return value.value
    return []
