"""Plain objects of the NLP layer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets into Document.text, end exclusive
    end: int
    text: str
    section: str | None


# The concepts whose first part names one of these are table cells (concepts.yaml `heads`).
TABLES = ("applications", "appeals", "active", "fees")


@dataclass(frozen=True)
class Claim:
    """One quantity statement of the narrative: a number (or a negation, or an absolute) about a concept.

    concept — what is counted: an id of rules/concepts.yaml ("applications.new_received",
      "appeals.review.corrected", "narrative.published" …) or "other" when the words that name it
      are not in the lexicon (such a claim still takes part in list arithmetic);
    relation — "count" (value is the number of the concept), "none" (a negation: the concept is 0),
      "all" (an absolute: every case of the concept had `outcome`), "share" (value % of `base`),
      "rate" (办结率…: value % of the concept's cases had `outcome`), "growth" (同比/比上年: value in
      `unit` — % or a count — relative to the previous year);
    value — the number stated (0 for a negation, None for an absolute without a number);
    unit — 件/条/次/个/元/万元/% …; scope — words that change what the number means: SCOPE_WORDS
      categories (jurisdiction, agency, filing); "subset", a part of a list; "split", a part that
      counts the same thing as its total (by office, area, channel); "included", said to be included
      (含…); "including_carried" for 含上年结转; "approx", with "at_least" when the figure is a
      floor (600余条, 超过300件); "other_year" when the figure is another
      year's; "inferred" when which row it counts was guessed; "published" for documents 公开/发布
      (maybe not all the year's own); "audience" for readers, followers or visits (订阅数, 点击量);
      "deduplicated" for a total that counts an item once whatever channels carried it ("901条（不同
      渠道的相同信息计1条）");
    start/end — the claim's span (number and the words naming it) in Document.text;
    about — for share/rate/growth: the count it qualifies; for an absolute said of one applicant
      column's count ("收到自然人申请2件，均予以公开"), that count; base — the denominator of a share,
      or the previous year's figure the prose states beside a growth rate.
    """

    concept: str
    relation: str
    value: float | None
    unit: str
    scope: tuple[str, ...]
    start: int
    end: int
    text: str
    sentence: Sentence
    outcome: str | None = None
    about: Claim | None = None
    base: Claim | None = None

    @property
    def table(self) -> str | None:
        table = self.concept.split(".", 1)[0]
        return table if table in TABLES else None


@dataclass(frozen=True)
class ClaimList:
    """A total and its parts, however the prose introduces them (其中, 包括, 分别为, a colon, brackets,
    or the parts first and 共计 last). `total` is None when the prose gives only the parts.

    dimension — what the parts break the total down by: "column" (applicant types, appeal results),
      "result" (table 三 results of the processed total), "category" (anything else, narrative
      categories and subject matters); partial — the prose says the list is not complete (主要, 等…);
      intro — the words that introduced it.
    """

    total: Claim | None
    parts: tuple[Claim, ...]
    dimension: str
    partial: bool
    intro: str


SCOPE_WORDS = {
    "jurisdiction": ("全市", "全区", "全县", "全省", "全州", "全旗", "全镇", "各级", "各部门", "全系统"),
    "agency": ("本机关", "本级", "区政府办", "县政府办", "市政府办", "本单位", "本部门", "代表区政府", "代表县政府", "代表市政府"),
    "subset": ("其中",),
    "including_carried": ("含上年结转", "包括上年结转", "含上年度结转", "含上年度", "包括上年度结转"),
    "filing": ("备案",),
}
