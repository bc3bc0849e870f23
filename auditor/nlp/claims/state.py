"""What the extractor carries while it reads: claims before they are frozen, open lists, the passage."""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.nlp.lexicon import Head
from auditor.nlp.model import Claim, Sentence
from auditor.nlp.quantities import Quantity


FLOW_ROWS = frozenset({"new_received", "carried_over", "received_total", "total_processed", "carried_forward"})
# The workload counts of table 三: received (new, or with the carried over) and processed.
FLOW_TOTALS = ("applications.new_received", "applications.received_total", "applications.total_processed")

COUNT_FAMILY = frozenset({"件", "起", "宗", "个", "份", "次", "条", "项", "例", "部", "篇", "期", "场", "家", "件次"})


@dataclass
class Draft:
    """A claim before its Claim object: positions are sentence offsets."""

    quantity: Quantity | None
    reading: Reading | None
    concept: str = "other"
    relation: str = "count"
    value: float | None = None
    unit: str = ""
    start: int = 0
    end: int = 0
    scope: set[str] = field(default_factory=set)
    outcome: str | None = None
    depth: int = 0
    sentence: Sentence | None = None
    about: Draft | None = None
    base: Draft | None = None
    claim: Claim | None = None  # the frozen claim, once made


@dataclass
class DraftList:
    """A list being read: its total, its parts so far, and what they break the total down by."""

    total: Draft | None
    parts: list[Draft]
    dimension: str | None
    intro: str
    partial: bool = False
    depth: int = 0
    including: bool = False  # "（含申请人主动撤回157件）": the parts are among the total, not its breakdown


@dataclass
class Run:
    """Context carried over a passage of sentences joined by ；, or a sentence opening with 其中."""

    drafts: list[Draft] = field(default_factory=list)
    lists: list[DraftList] = field(default_factory=list)
    open_lists: list[DraftList] = field(default_factory=list)  # innermost last, one per bracket depth
    last_head: dict[str, str] = field(default_factory=dict)  # table → head id last named
    last_row: str | None = None  # the applications row last named
    topic: str | None = None  # the head (table or narrative) last named
    subset_after: Sentence | None = None  # a sentence whose figures follow an unresolved 其中
    passage: list[Draft] = field(default_factory=list)  # the figures of the paragraph before this run
    pending: DraftList | None = None  # the list the paragraph's previous sentence left open
    interrupted: DraftList | None = None  # the list a figure in another unit has just ended
    broken: tuple | None = None  # (list, figure): the list a figure of another kind has just ended mid-enumeration
    earlier_lists: list[DraftList] = field(default_factory=list)  # the lists of the paragraph before this run
    about_applications: bool = False  # the passage or its section speaks of applications
    current_sentence: Sentence | None = None  # the sentence being read
    whose: set[str] = field(default_factory=set)  # whose figures the passage gives (agency, jurisdiction, filing)

    @classmethod
    def following(cls, before: Run) -> Run:
        """A new passage of the same paragraph: it knows what the paragraph has named so far."""
        pending = before.open_lists[0] if before.open_lists and before.open_lists[0].depth == 0 else None
        return cls(last_head=dict(before.last_head), last_row=before.last_row, topic=before.topic,
                   about_applications=before.about_applications, passage=before.passage + before.drafts,
                   pending=pending, earlier_lists=before.earlier_lists + before.lists)


def head_of(concept: str) -> str:
    parts = concept.split(".")
    if parts[0] == "applications":
        return "applications"
    if parts[0] == "appeals":
        return ".".join(parts[:2])
    if parts[0] == "active":
        return ".".join(parts[:2])
    return parts[0]


def unit_family(unit: str) -> str:
    if unit in COUNT_FAMILY:
        return "count"
    if unit in ("元", "万元"):
        return "money"
    if unit in ("人", "名", "人次", "万人次", "户"):
        return "people"
    return unit


# Table 三's result groups: every result row is one of them or an item of one ("withheld_third_party").
RESULT_GROUPS = ("granted", "partly", "withheld", "unable", "declined", "other")


def result_group(row: str) -> str | None:
    """"withheld_third_party" → "withheld", "partly_granted" → "partly", "granted_or_partly" →
    "granted"; None for a row that is no result (收到, 结转 …) or for results counted together."""
    if row == "granted_or_partly":
        return "granted"
    group = row.split("_")[0]
    return group if group in RESULT_GROUPS else None


def with_row(concept: str, row: str) -> str:
    """"applications.carried_over.natural_person" with row "received_total" →
    "applications.received_total.natural_person"."""
    parts = concept.split(".")
    parts[1] = row
    return ".".join(parts)


def run_order(run: Run, draft: Draft) -> int:
    everything = run.passage + run.drafts
    return next(i for i, d in enumerate(everything) if d is draft)


def counts_in_run(run: Run) -> bool:
    return any(d.quantity is not None and d.relation == "count" for d in run.drafts)


def left_words(draft: Draft) -> str:
    return draft.reading.words if draft.reading is not None else ""


UNIT_EQUIVALENTS = ({"件", "起", "宗", "例"}, {"件", "部"})


def same_unit(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in UNIT_EQUIVALENTS)


@dataclass
class Match:
    kind: str  # "head" | "narrative" | "row" | "column"
    key: str  # head id, or row/column key
    table: str | None  # for rows and columns: the head table they belong to
    start: int  # offsets in the phrase string
    end: int
    priority: int = 0


@dataclass
class Reading:
    """What a number's own words say it counts; None where they say nothing."""

    head: Head | None = None
    row: str | None = None
    column: str | None = None
    known: bool = False  # some lexicon word names the thing
    start: int = 0  # sentence offset where the naming words start
    end: int = 0  # sentence offset where the claim ends (after the number, or after words after it)
    total_word: bool = False  # 共计/合计 … right before the number
    words: str = ""  # the clause's words before the number, up to the fill words
    fill: str = ""  # the fill words right before the number ("共计", "累计", "为")
    table: str | None = None  # the table of a row or column named without its head
    narrative: str | None = None  # a narrative head named before a row or column without a head
    after: bool = False  # named by the words after the number ("1件申请…")
    row_word: str = ""  # the words that named the row ("办结", "办理")
    head_words: str = ""  # the words that named the head ("政府信息公开申请", "申请")
    of_information: bool = False  # a result of table 三 said of information ("不予公开信息5条")


# Percentages, rates and ratios.
RATE_UNITS = ("%", "个百分点", "倍")
