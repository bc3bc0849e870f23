"""Plain objects of the NLP layer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets into Document.text, end exclusive
    end: int
    text: str
    section: str | None


@dataclass(frozen=True)
class Claim:
    """One quantitative or qualitative statement in the narrative.

    kind — what is counted (see CLAIM_KINDS); value — the number stated (0 for a negation such
    as "未收到…申请"; None when the claim is qualitative only, e.g. "均获维持"); unit — 件/条/次/
    个/元/万元/%; negated — the claim states absence ("未", "没有", "无", "零"); scope — scope words
    found in the sentence (see SCOPE_WORDS); start/end — the span of the claim (number and what
    it counts) in Document.text; sentence — the enclosing sentence.
    """

    kind: str
    value: float | None
    unit: str
    negated: bool
    scope: tuple[str, ...]
    start: int
    end: int
    text: str
    sentence: Sentence


# What a claim can count. The mapping of each kind to table cells lives in rules/claims.yaml.
CLAIM_KINDS = (
    "applications.received",          # 收到/受理/新收 … 申请 N 件
    "applications.received_total",    # 收办/共计 (新收+上年结转) N 件, or "含上年结转"
    "applications.carried_over",      # 上年结转 N 件
    "applications.processed",         # 办结/答复/办理 N 件
    "applications.carried_forward",   # 结转下年度/转下年度/顺延 N 件
    "applications.granted",           # 予以公开 N 件
    "applications.partly_granted",    # 部分公开 N 件
    "applications.granted_or_partly", # 予以公开及部分公开 N 件
    "applications.withheld",          # 不予公开 N 件
    "applications.unable",            # 无法提供 N 件
    "applications.declined",          # 不予处理 N 件
    "applications.other",             # 其他处理 N 件
    "applications.natural_person",    # 自然人 (申请) N 件
    "applications.legal_person",      # 法人或其他组织 (申请) N 件
    "appeals.review",                 # 行政复议 N 件 (negated: 未发生行政复议)
    "appeals.litigation",             # 行政诉讼 N 件 (negated: 未发生行政诉讼)
    "appeals.corrected",              # 被纠错/结果纠正 N 件; "零败诉"/"未被纠错" negated
    "appeals.all_upheld",             # 均获维持 / 全部维持 (qualitative)
    "active.regulations.issued",      # 制发/出台规章 N 件
    "active.normative_documents.issued",  # 制发行政规范性文件 N 件
    "fees.collected",                 # 收取信息处理费 N 元 (negated: 未收取/无收费)
    "applications.commercial",        # 商业企业 (申请) N 件
    "percent",                        # 占 N% — scope holds "numerator:<kind>=<v>", "denominator:<kind>=<v>"
)

SCOPE_WORDS = {
    "jurisdiction": ("全市", "全区", "全县", "全省", "全州", "全旗", "全镇", "各级", "各部门", "全系统"),
    "agency": ("本机关", "本级", "区政府办", "县政府办", "市政府办", "本单位", "本部门", "代表区政府", "代表县政府", "代表市政府"),
    "subset": ("其中",),
    "including_carried": ("含上年结转", "包括上年结转", "含上年度结转", "含上年度"),
    "filing": ("备案",),
}
