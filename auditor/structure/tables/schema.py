"""The canonical tables of contract.md: row keys, column keys, and how printed labels map to them.

Label patterns are matched against a row label with all whitespace removed. Labels in PDF text
are wrapped and interleaved with the vertical group labels ("三、本年度办理结果", "（三）不予公开"),
so a pattern only has to find the distinguishing words ("国家秘密", "另行制"), not the whole label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "social_org", "legal_service",
                     "other_org", "total")
APPEAL_GROUPS = ("review", "litigation_direct", "litigation_after_review")
APPEAL_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

LEAF_GROUPS: dict[str, tuple[str, ...]] = {
    "withheld": ("withheld_state_secret", "withheld_law_forbidden", "withheld_security_stability",
                 "withheld_third_party", "withheld_internal_affairs", "withheld_process_info",
                 "withheld_enforcement_file", "withheld_query_item"),
    "unable": ("unable_no_info", "unable_needs_creation", "unable_unclear"),
    "declined": ("declined_petition", "declined_repeat", "declined_publication",
                 "declined_excessive", "declined_confirmation"),
    "other": ("other_overdue_correction", "other_overdue_fee", "other_misc"),
}
SUBTOTAL_OF = {f"{group}_subtotal": group for group in LEAF_GROUPS}


def result_rows(rows) -> list[str]:
    """The result rows of table 三 that add up to （七）总计, among the row keys in `rows`:
    予以公开, 部分公开 and, per group, its leaf rows — or its subtotal when no leaf is printed."""
    keys = [k for k in ("granted", "partly_granted") if k in rows]
    for group, leaves in LEAF_GROUPS.items():
        present = [k for k in leaves if k in rows]
        if present:
            keys.extend(present)
        elif f"{group}_subtotal" in rows:
            keys.append(f"{group}_subtotal")
    return keys


# eq=False: a spec is its own identity (hashed by id), so the memo of match_keys hashes a tuple of
# them cheaply, not every compiled pattern.
@dataclass(frozen=True, eq=False)
class RowSpec:
    key: str
    pattern: re.Pattern
    optional: bool = False  # printed only by some reports (subtotal rows)
    width: int = 7  # number of value columns


def _row(key: str, pattern: str, optional: bool = False, width: int = 7) -> RowSpec:
    return RowSpec(key, re.compile(pattern), optional, width)


# Table 三 in printed order. Subtotal rows are optional: most reports print the group label only,
# some print a subtotal row, and the 2019 layout prints （六）其他处理 as a single row.
APPLICATION_ROWS: tuple[RowSpec, ...] = (
    _row("new_received", r"本年新收|新收.{0,8}申请"),
    _row("carried_over", r"上年结转"),
    _row("granted", r"予以公开"),
    _row("partly_granted", r"部分公开"),
    _row("withheld_subtotal", r"不予公开", optional=True),
    _row("withheld_state_secret", r"国家秘密"),
    _row("withheld_law_forbidden", r"法律行政法规禁止|其他法律行政|法规禁止"),
    _row("withheld_security_stability", r"三安全"),
    _row("withheld_third_party", r"第三方"),
    _row("withheld_internal_affairs", r"内部事务"),
    _row("withheld_process_info", r"过程性"),
    _row("withheld_enforcement_file", r"执法案卷"),
    _row("withheld_query_item", r"查询事项"),
    _row("unable_subtotal", r"无法提供", optional=True),
    _row("unable_no_info", r"不掌握"),
    _row("unable_needs_creation", r"没有现成|另行制"),
    _row("unable_unclear", r"仍不明确|补正后申请"),
    _row("declined_subtotal", r"不予处理", optional=True),
    _row("declined_petition", r"信访|举报投诉"),
    _row("declined_repeat", r"重复申请"),
    _row("declined_publication", r"出版物"),
    _row("declined_excessive", r"大量反复"),
    _row("declined_confirmation", r"确认或|重新出具"),
    _row("other_subtotal", r"其他处理", optional=True),
    _row("other_overdue_correction", r"逾期不补正|不补正"),
    _row("other_overdue_fee", r"收费通知|缴纳费用|不缴费|未缴费|逾期未按"),
    _row("other_misc", r"(?:^|[\d.、．）)])其他$"),
    _row("total_processed", r"总计"),
    _row("carried_forward", r"结转下年度|下年度继续|结转下一年度"),
)

# Table 二. Columns per row differ between the 2021 and 2019 layouts.
ACTIVE_ROWS_2021: tuple[tuple[RowSpec, tuple[str, ...]], ...] = (
    (_row("regulations", r"规章", width=3), ("issued", "repealed", "in_force")),
    (_row("normative_documents", r"规范性文件", width=3), ("issued", "repealed", "in_force")),
    (_row("licensing", r"行政许可", width=1), ("decisions",)),
    (_row("punishment", r"行政处罚", width=1), ("decisions",)),
    (_row("coercion", r"行政强制", width=1), ("decisions",)),
    (_row("admin_fees", r"事业性收费", width=1), ("amount",)),
)
ACTIVE_ROWS_2019: tuple[tuple[RowSpec, tuple[str, ...]], ...] = (
    (_row("regulations", r"规章", width=3), ("made", "published", "total_published")),
    (_row("normative_documents", r"规范性文件", width=3), ("made", "published", "total_published")),
    (_row("licensing", r"行政许可", width=3), ("previous", "change", "decisions")),
    (_row("other_services", r"其他对外管理服务", width=3), ("previous", "change", "decisions")),
    (_row("punishment", r"行政处罚", width=3), ("previous", "change", "decisions")),
    (_row("coercion", r"行政强制", width=3), ("previous", "change", "decisions")),
    (_row("admin_fees", r"事业性收费", width=2), ("previous", "change")),
    (_row("procurement", r"集中采购", width=2), ("projects", "amount")),
)

# Header words: a label made of these is a column header, never a row.
HEADER_WORDS = re.compile(r"申请人情况|自然人|法人或其他组织|商业企业|科研机构|社会公益|法律服务机构|勾稽关系"
                          r"|信息内容|本年制发件数|本年处理决定数量|结果维持|结果纠正|尚未审结")

TEMPLATE_2021_SIGNALS = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额")
TEMPLATE_2019_SIGNALS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
                         "处理决定数量", "采购总金额")
TEMPLATE_2008_SIGNALS = ("历年累计", "指标名称", "计量单位")


def match_keys(label: str, rows) -> list[tuple[int, str]]:
    """All (end position, key) where a row pattern occurs in the label, latest first."""
    return list(_match_keys(label, tuple(rows)))


# Reports print the same row labels over and over: the matches of the labels met last are
# remembered (a label is tried against every row's pattern, twice per printed row).
MATCHED_LABELS_KEPT = 4096


@lru_cache(maxsize=MATCHED_LABELS_KEPT)
def _match_keys(label: str, rows: tuple[RowSpec, ...]) -> tuple[tuple[int, str], ...]:
    found = []
    for spec in rows:
        for m in spec.pattern.finditer(label):
            found.append((m.end(), m.end() - m.start(), spec.key))
    found.sort(reverse=True)
    return tuple((end, key) for end, _length, key in found)


# --------------------------------------------------------------------------- OCR'd row labels
# OCR misreads a character of a row label now and then ("（六）其绝处理" for （六）其他处理): no
# pattern matches it and the row would be taken for another one, or lost. For labels read by
# OCR only (a text layer's label is what the report prints, and a label naming no row there is
# the report's own), a row word read with one character wrong — changed, dropped or added —
# still names its row, and so does the row's numbering （六）/ 3. when the words are lost; the
# alignment (align.py) weighs such a match below a label read right, and the row's cells are
# noted as read under a guessed label (checks/scanned.py treats their figures as doubtful).

# A row word this long may have one character misread; a shorter one only one changed, and
# then only under the row's own number (two of three characters are weak evidence alone); a
# word of two characters never (one is no evidence: "信息" is one off "信访").
NEAR_WORD = 4
SHORTEST_NEAR_WORD = 3
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_CJK_WORD = re.compile(r"^[\u3400-\u9fff“”]+$")
# A row's number as printed: （六）, 四、, 3. (OCR drops the dot now and then: "8属于").
_NUMBERING = re.compile(r"（[一二三四五六七八九十]）|[一二三四五六七八九十]、|(?<![\d.])\d(?=[.．、]|[\u3400-\u9fff])")


def _words(spec: RowSpec) -> list[str]:
    """The plain words among a row pattern's alternatives ("本年新收", not "新收.{0,8}申请")."""
    return [w for w in spec.pattern.pattern.split("|") if _CJK_WORD.match(w)]


def numbering(label: str) -> tuple[str | None, int]:
    """The last row number printed in a label ("（三）不予公开1.属于…" → "1") and where it ends."""
    found = None
    for m in _NUMBERING.finditer(label):
        found = m
    if found is None:
        return None, 0
    return found.group().rstrip(".．、"), found.end()


def _row_numbers() -> dict[str, str]:
    from auditor.structure.tables.labels import ROW_LABELS

    return {key: number for key, label in ROW_LABELS.items()
            for number in [numbering(label.strip())[0]] if number is not None}


ROW_NUMBERS = _row_numbers()


def _one_edit(word: str, piece: str, substitution_only: bool) -> bool:
    if len(word) == len(piece):
        return sum(a != b for a, b in zip(word, piece)) == 1
    if substitution_only or abs(len(word) - len(piece)) != 1:
        return False
    short, long = sorted((word, piece), key=len)
    return any(long[:k] + long[k + 1:] == short for k in range(len(long)))


def _near_ends(word: str, label: str) -> list[int]:
    """Where in the label a reading of the word with one character wrong ends."""
    short = len(word) < NEAR_WORD
    sizes = (len(word),) if short else (len(word) - 1, len(word), len(word) + 1)
    return [start + size for start in range(len(label)) for size in sizes
            if start + size <= len(label) and _one_edit(word, label[start:start + size], short)]


def near_keys(label: str, rows) -> set[str]:
    """The rows an OCR'd label names with a character misread: a row word one character off
    ("其绝处理"; a word of three characters only under the row's own number); or, no word near,
    the row of its group number ("（七）总讨": the numbers （一）–（七） and 一、二、四、 name one
    row each; an item number 1.–8. names one in every group, and OCR misreads it as often as
    the words). Empty when the label names a row as printed: a long label holds other words
    one character off a row's ("…不补正、行政机关不再处理…"). A group's label printed beside its
    first item ("（三）不予公开" before a misread "属于国家秘蜜") names only the group's optional
    subtotal row: a word near after it is the item's, and words after it that are near none
    make the row one of the group's items (a subtotal row prints the group's label alone)."""
    exact = match_keys(label, rows)
    optional = {spec.key for spec in rows if spec.optional}
    if any(key not in optional for _, key in exact):
        return set()
    part = label[max((end for end, _ in exact), default=0):]
    number, _ = numbering(label)
    found = set()
    for spec in rows:
        if exact and spec.optional:
            continue
        own_number = ROW_NUMBERS.get(spec.key)
        for word in (w for w in _words(spec) if len(w) >= SHORTEST_NEAR_WORD):
            if _near_ends(word, part) and (len(word) >= NEAR_WORD or own_number == number):
                found.add(spec.key)
    if not found and exact and len(_CJK_CHAR.findall(part)) >= NEAR_WORD:
        # A group's label and then an item's words, all misread: one of the group's items.
        keys = {spec.key for spec in rows}
        return {leaf for _, key in exact for leaf in LEAF_GROUPS.get(SUBTOTAL_OF.get(key, ""), ()) if leaf in keys}
    if found or exact or number is None or number.isdigit():
        return found
    return {spec.key for spec in rows if ROW_NUMBERS.get(spec.key) == number}
