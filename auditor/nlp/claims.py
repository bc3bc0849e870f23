"""Claims: the figures and absolute statements the narrative makes, with what they count.

Every number that carries a unit is a candidate. What it counts is decided by the words right
before it in its clause (brackets closed before the number are skipped: "作其他处理（含申请人主动撤回
申请）341件"), or for a few phrasings by the words right after it ("另有103件顺延到下年度答复").
The patterns are tables below, tried in order, each anchored at the number, so only a phrase
that ends where the number starts decides. A number no pattern claims yields no claim: a wrong
claim is a false alarm in the audit, a missing one only a missed check.

Negations and absolutes ("未收到政府信息公开申请", "未发生行政复议、行政诉讼", "均获维持", "零败诉",
"未收取信息处理费") are matched as phrases and give value 0 (None for "均获维持") with negated=True.
"不涉及申请或不予公开的任何政府信息" (the seed) is read as "no applications": the sentence says
that none of the information concerned applications, and a report with applications could not
truthfully say so.

Scope entries, beside the SCOPE_WORDS categories found in the sentence:
- "subset" is given to a claim that follows 其中 after the total it belongs to (same sentence, or
  a previous one joined by ；), "including_carried" only to the figure the 含上年结转 remark
  is attached to (its own clause or the bracket right after it), not to the whole sentence;
- "of:<kind>" names the total a part belongs to: "行政诉讼46件，其中…结果纠正5件" gives
  appeals.corrected with "of:appeals.litigation", so it is not compared with the review column;
- "approx" marks "5500余条", "约300件", "3万余";
- a "percent" claim ("予以公开及部分公开42件，占51.85%") is kept only when its numerator and
  denominator are stated too: "numerator:<kind>=<value>" and "denominator:<kind>=<value>".
Not extracted on purpose: growth rates ("同比增长1.05%"), rates without a stated base ("办结率100%",
"合格率100%"), counts of upheld/other/pending cases, 现行有效 and 废止 document counts (a report may
state the consolidated stock, 393 of 470, without any inconsistency), and counts inside quotes
or book titles (“办结一件申请、解决一个问题”).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditor.model import Document
from auditor.nlp.model import SCOPE_WORDS, Claim, Sentence

# --------------------------------------------------------------------------- numbers

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

QUANTITY = re.compile(
    r"(?<![\dA-Za-z.．\-/_:：])"
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
    r"(?P<mult>万(?!元)|亿)?"
    r"(?P<approx_after>余|多)?"
    r"\s?(?P<unit>万元|件|起|宗|条|次|个|篇|期|部|份|元|%)"
)
APPROX_BEFORE = re.compile(r"(?:约|近|逾|超过|大约)$")
APPROX_AFTER = re.compile(r"^左右")


def chinese_number(text: str) -> int | None:
    """二十三 → 23, 一百零五 → 105, 两 → 2, 3 levels up to 亿; None if it is not a numeral."""
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * _CN_SMALL_UNITS[ch]
            digit = None
        elif ch in _CN_BIG_UNITS:
            total += (section + (digit or 0)) * _CN_BIG_UNITS[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    approx: bool
    start: int  # offsets in the sentence text
    end: int


def find_quantities(text: str) -> list[Quantity]:
    found = []
    for m in QUANTITY.finditer(text):
        raw = m.group("num")
        if raw[0].isdigit():
            value: float = float(raw.replace(",", ""))
        else:
            if m.start() > 0 and text[m.start() - 1] == "第":
                continue  # 第一次: an ordinal
            number = chinese_number(raw)
            if number is None:
                continue
            value = float(number)
        if m.group("mult"):
            value *= _CN_BIG_UNITS[m.group("mult")]
        approx = bool(m.group("approx_after") or APPROX_BEFORE.search(text, 0, m.start())
                      or APPROX_AFTER.match(text, m.end()))
        found.append(Quantity(value=value, unit=m.group("unit"), approx=approx, start=m.start(), end=m.end()))
    return found


# --------------------------------------------------------------------------- what a number counts

# Words that may stand between the counted thing and its number: "申请共计81件", "的有1件".
FILL = r"(?:案件|申请件|申请|件数|数量|总数|数)?(?:共计|共|合计|总计|累计)?(?:的)?(?:为|达到|达|是|有)?"
DOC_FILL = r"(?:共计|共|合计|总计|累计)?(?:的)?(?:为|达到|达|是|有)?"
APP = r"(?:政府信息(?:依申请)?公开|依申请公开|信息公开)?"
# A short stretch of words with no clause punctuation, no digits and nothing about appeals.
GAP = r"(?:(?!复议|诉讼)[^，。；：！？\d]){0,24}?"
# Not 发布/更新 alone: publishing or refreshing documents is not issuing them.
ISSUE_VERB = r"(?:制发|制定|出台|印发|颁布|(?<!更)新(?:制定|制发|制作|出台|发布|增公开|公开))"
# "现行有效" and "废止" counts are the stock or the repeals, never the year's new documents.
DOC_GAP = r"(?:(?!现行|有效|废止|清理|累计)[^，。；：！？\d]){0,12}?"

COUNT_UNITS = frozenset({"件", "起", "宗", "个", "份", "条", "次"})
DOCUMENT_UNITS = frozenset({"件", "部", "个", "篇", "条"})
MONEY_UNITS = frozenset({"元", "万元"})
PERCENT_UNITS = frozenset({"%"})


@dataclass(frozen=True)
class KindRule:
    kind: str | None  # None: the phrase is recognised but names no single count (no claim)
    pattern: re.Pattern
    units: frozenset[str] = COUNT_UNITS
    needs_in_sentence: re.Pattern | None = None  # the sentence must also mention this


def _rule(kind: str | None, pattern: str, units: frozenset[str] = COUNT_UNITS, needs: str | None = None) -> KindRule:
    return KindRule(kind, re.compile(pattern), units, re.compile(needs) if needs else None)


_ALL_UNITS = COUNT_UNITS | DOCUMENT_UNITS | MONEY_UNITS | PERCENT_UNITS

# Tried in order against the words before the number; the first that matches decides.
LEFT_RULES: tuple[KindRule, ...] = (
    # Recognised but not one count: a combined or changed figure, or a result with no claim kind.
    _rule(None, r"(?:行政)?复议[、和及与或](?:行政)?诉讼" + FILL + "$", _ALL_UNITS),
    _rule(None, r"(?:同比|较上年|较去年|比上年|比去年|环比)[^，。；]*$", _ALL_UNITS),
    _rule(None, r"(?:尚未审结|未审结|尚未办结|未办结|结果维持|维持原|其他结果|复议后起诉|直接起诉)" + FILL + "$", _ALL_UNITS),
    # Not 撤销: "申请人自行撤销2件" is a withdrawn application.
    _rule("appeals.corrected", r"(?:结果)?(?:被)?(?:纠正|纠错|败诉)" + FILL + "$"),
    _rule("appeals.review", r"(?:行政复议|复议案件|复议申请)" + FILL + "$"),
    _rule("appeals.litigation", r"(?:行政诉讼|行政应诉|被(?:直接)?(?:提起)?(?:行政)?(?:诉讼|起诉)|提起(?:行政)?诉讼)" + FILL + "$"),
    _rule("appeals.litigation", r"(?<=[、和及与])诉讼(?:案件)?" + FILL + "$", needs=r"复议"),
    _rule("applications.granted_or_partly",
          r"(?:予以公开|同意公开|全部公开)(?:答复)?(?:及|和|与|或|、|以及)部分公开(?:答复)?" + FILL + "$"),
    _rule("applications.partly_granted", r"部分公开(?:答复)?" + FILL + "$"),
    _rule("applications.withheld", r"不予(?:以)?公开(?:答复)?" + FILL + "$"),
    _rule("applications.granted", r"(?:予以公开|同意公开|全部公开)(?:答复)?" + FILL + "$"),
    _rule("applications.unable", r"无法提供(?:答复)?" + FILL + "$"),
    _rule("applications.declined", r"不予处理" + FILL + "$"),
    _rule("applications.other", r"(?:作|予以)?其他(?:方式)?处理" + FILL + "$"),
    _rule("applications.carried_forward",
          r"(?:结转|转|顺延)(?:至|到|入)?(?:下一?年度?|下年|\d{4}年度?)(?:继续)?(?:办理|处理|答复)*" + FILL + "$"),
    _rule("applications.carried_over",
          r"(?:上一?年度?|以前年度|往年|\d{4}年度?)(?:的)?结转(?:的)?" + APP + FILL + "$"),
    _rule("applications.natural_person", r"自然人(?:提出)?(?:的)?(?:申请)?" + FILL + "$"),
    _rule("applications.legal_person", r"法人(?:或|和|及|或者)其他组织(?:提出)?(?:的)?(?:申请)?" + FILL + "$"),
    _rule("applications.commercial", r"商业企业(?:提出)?(?:的)?(?:申请)?" + FILL + "$"),
    _rule("applications.received_total", r"收办" + GAP + r"申请" + FILL + "$"),
    _rule("applications.received",
          r"(?:收到|受理|新收|接收|接到|收悉|新受理)" + GAP + r"(?:申请|依申请公开(?:件|政府信息)?)" + FILL + "$"),
    _rule("applications.received", r"新收" + FILL + "$"),
    # "市政府办受理20件": the bare verb, where the sentence is about applications.
    _rule("applications.received", r"(?<![不未])(?:收到|受理|接收|接到)(?:了)?" + FILL + "$", needs=r"申请"),
    # 办结/答复 count applications only where the sentence is about them, and never after a
    # quote or a negation ("“本机关不掌握”答复13件", "不再处理", "尚未办结").
    _rule("applications.processed",
          r"(?<![不再未尚待”’」》）])(?:办结|答复|办理|处理){1,2}" + APP + r"(?:申请)?(?:件)?" + FILL + "$",
          needs=r"申请"),
    _rule("fees.collected", r"(?:收取|收缴|实收|收)(?:了)?[^，。；：！？\d]{0,16}?(?:信息处理费|处理费|费用)"
                            r"(?:共计|共|合计|总计)?(?:为)?$", MONEY_UNITS),
    _rule("fees.collected", r"(?:信息处理费|处理费)(?:收入|收取)?(?:共计|共|合计|总计)?(?:为)?$", MONEY_UNITS),
    _rule("active.regulations.issued", ISSUE_VERB + DOC_GAP + r"(?:政府)?规章" + DOC_FILL + "$", DOCUMENT_UNITS),
    _rule("active.normative_documents.issued", ISSUE_VERB + DOC_GAP + r"(?:行政)?规范性文件" + DOC_FILL + "$",
          DOCUMENT_UNITS),
)

# Phrasings that put the counted thing after the number; used only when the words before it
# are empty or a bare 另有/其中/…有.
RIGHT_RULES: tuple[KindRule, ...] = (
    _rule("applications.carried_forward",
          r"^(?:申请)?[^，。；：！？\d]{0,16}?(?:顺延|结转|转)(?:至|到|入)?(?:下一?年度?|下年|\d{4}年)"),
    _rule("appeals.review", r"^(?:涉及[^，。；：！？\d]{0,16}?的)?行政复议"),
    _rule("appeals.litigation", r"^(?:涉及[^，。；：！？\d]{0,16}?的)?行政诉讼"),
)
RIGHT_RULE_LEFT_OK = re.compile(r"(?:^|有|^其中|^另|^还|^剩余|^剩下)$")
# "收到1份政府信息公开申请": what was received, named after the number.
RECEIVED_THING_AFTER = re.compile(r"^[^，。；：！？\d]{0,10}?申请")

# A percentage belongs to the count right before it: "42件，占51.85%".
PERCENT_SHARE = re.compile(r"^(?:约)?占(?:比)?[^，。；：！？\d]{0,8}?(?:的)?(?:比例|比重)?(?:为|达)?$")

TOTAL_KINDS = frozenset({"applications.received", "applications.received_total", "applications.processed",
                         "appeals.review", "appeals.litigation"})
PART_KINDS = frozenset({"applications.granted", "applications.partly_granted", "applications.granted_or_partly",
                        "applications.withheld", "applications.unable", "applications.declined",
                        "applications.other", "applications.natural_person", "applications.legal_person",
                        "applications.commercial", "appeals.corrected", "appeals.all_upheld"})

# --------------------------------------------------------------------------- negations and absolutes

# Before a negation, these make it a goal, a condition or a question, not a statement of fact.
NOT_A_FACT = re.compile(r"力争|争取|确保|努力|避免|防止|杜绝|减少|降低|力求|目标|以免|防范|如果|若|是否|如有")
NEG_GAP = r"[^，。；：！？\d]"
NEGATED_APPEALS = re.compile(
    r"(?:未发生|未收到|未接到|未出现|未产生|未涉及|不涉及|没有发生|没有|未有|无(?!法|正当|需|须|论|人|关)"
    rf"|未因{NEG_GAP}{{0,20}}?被(?:申请|提起)|未被(?:申请|提起))"
    rf"{NEG_GAP}{{0,30}}?(?:行政复议|行政诉讼|复议|诉讼)"
    rf"(?:{NEG_GAP}{{0,12}}?(?:行政复议|行政诉讼|复议|诉讼))*")
NEGATED_RECEIVED = re.compile(
    r"(?:未收到|没有收到|未接到|未接收到?|未受理|没有受理|不涉及|未涉及|未发生|未产生|没有|无(?!法|正当|需|须|论|人|关))"
    rf"(?P<gap>{NEG_GAP}{{0,20}}?)(?P<target>(?:依)?申请)(?!人)")
# Words that make a "无…申请" phrase about something else than receiving applications.
RECEIVED_GAP_EXCLUDES = re.compile(r"复议|诉讼|补正|缴|逾期|理由|撤回|答复|结转|费|许可|审批|登记")
# The phrase must be about disclosure: said between cue and 申请, or right after it ("向本机关
# 申请公开政府信息"), or nothing between them at all ("不涉及申请").
DISCLOSURE_WORDS = re.compile(r"信息公开|政府信息|依申请|公开")
NEGATED_CARRIED_OVER = re.compile(r"(?:无|没有)上一?年度?结转|上一?年度?(?:无|没有)结转")
NEGATED_CORRECTED = re.compile(
    r"零败诉|无败诉|未败诉"
    rf"|(?:未|没有)被{NEG_GAP}{{0,12}}?(?:纠错|纠正|撤销)"
    rf"|(?:未发生|没有|无|未出现){NEG_GAP}{{0,12}}?(?:被纠错|纠错|被纠正|败诉)")
CORRECTION_WORDS = re.compile(r"纠错|纠正|败诉|撤销")
ALL_UPHELD = re.compile(r"(?:均|全部|都)(?:获|被|予以|予|获得)?维持(?!在)")
NEGATED_FEES = re.compile(
    rf"未收取{NEG_GAP}{{0,20}}?费(?:用)?"
    rf"|(?:无|没有|未发生|未产生){NEG_GAP}{{0,12}}?(?:收费|处理费)"
    rf"|(?:免收|不收取){NEG_GAP}{{0,12}}?(?:处理费|费用)")
ORDINARY_FEES = "行政事业性收费"  # table 二's fee income, never the information-processing fee

REVIEW_MENTION = re.compile(r"复议(?!后)")
LITIGATION_MENTION = re.compile(r"诉讼|(?<!复议后)(?<!直接)起诉")
APPEAL_GROUP = re.compile(r"行政复议|复议(?!后)|行政诉讼|诉讼|起诉")

CLAUSE_END = "，,；;。！？!?："
# Remarks in parentheses are skipped when reading the words before a number; quotes are not
# (“本机关不掌握”答复 is one phrase).
PAREN_OPENERS = "（(【〔"
PAREN_CLOSERS = "）)】〕"
QUOTES = {"“": "”", "‘": "’", "《": "》", "「": "」", "『": "』"}
QUOTE_MARKS = re.compile("[" + "".join(QUOTES) + "".join(QUOTES.values()) + "]")
SUBSET_WORD = "其中"
# Fixed phrases that contain a scope word without being a scope hint (a table 三 row label).
NOT_SCOPE_PHRASES = ("本机关不掌握",)
INCLUDING_CARRIED_BRACKET = re.compile(r"上一?年度?[^，。；]{0,6}?结转|\d{4}年度?[^，。；]{0,6}?结转")


# --------------------------------------------------------------------------- sentence helpers


def _quoted(text: str) -> bytearray:
    """1 inside quotes and book titles: numbers there are names and slogans, not figures."""
    inside = bytearray(len(text))
    stack: list[tuple[str, int]] = []
    for m in QUOTE_MARKS.finditer(text):
        ch, pos = m.group(), m.start()
        if ch in QUOTES:
            stack.append((ch, pos))
        elif stack and ch == QUOTES[stack[-1][0]]:
            _, start = stack.pop()
            inside[start:pos + 1] = b"\x01" * (pos + 1 - start)
    return inside


def _left_context(text: str, pos: int) -> tuple[str, list[int]]:
    """The words of the clause before `pos`, without whitespace and without parentheses closed
    before `pos`; with the sentence offset of every kept character."""
    chars: list[str] = []
    where: list[int] = []
    depth = 0
    i = pos - 1
    while i >= 0:
        ch = text[i]
        if ch in PAREN_CLOSERS:
            depth += 1
        elif ch in PAREN_OPENERS:
            if depth == 0:
                break  # the number is inside this bracket: its clause starts here
            depth -= 1
        elif depth == 0:
            if ch in CLAUSE_END:
                break
            if not ch.isspace():
                chars.append(ch)
                where.append(i)
        i -= 1
    chars.reverse()
    where.reverse()
    return "".join(chars), where


def _right_context(text: str, pos: int) -> str:
    end = pos
    while end < len(text) and text[end] not in CLAUSE_END and text[end] not in "（(）)":
        end += 1
    return re.sub(r"\s", "", text[pos:end])


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    start = pos
    while start > 0 and text[start - 1] not in CLAUSE_END:
        start -= 1
    end = pos
    while end < len(text) and text[end] not in CLAUSE_END:
        end += 1
    return start, end


def _bracket_after(text: str, pos: int) -> str:
    """The bracketed remark right after `pos` ("3050件（含上年度结转申请34件，…）"), or ""."""
    if pos >= len(text) or text[pos] not in "（(":
        return ""
    depth = 0
    for i in range(pos, len(text)):
        if text[i] in "（(":
            depth += 1
        elif text[i] in "）)":
            depth -= 1
            if depth == 0:
                return text[pos + 1:i]
    return text[pos + 1:]


def _sentence_scope(text: str) -> set[str]:
    for phrase in NOT_SCOPE_PHRASES:
        text = text.replace(phrase, "")
    return {category for category, words in SCOPE_WORDS.items()
            if category not in ("subset", "including_carried") and any(w in text for w in words)}


# --------------------------------------------------------------------------- extraction


@dataclass
class _Found:
    """A claim before its Claim object: positions are sentence offsets."""

    kind: str
    value: float | None
    unit: str
    negated: bool
    start: int
    end: int
    scope: set[str] = field(default_factory=set)
    belongs_to: _Found | None = None  # the total this figure is a part of


@dataclass
class _RunState:
    """Context carried from one sentence to the next when they are joined by ；."""

    total: _Found | None = None  # the last total the following parts belong to
    subset_open: bool = False  # 其中 came after that total
    appeal_group: str | None = None  # the appeals kind last mentioned


def _kind_from_left(left: str, sentence: str, unit: str) -> tuple[str | None, int] | None:
    """(kind, length of the matched phrase) or None when no rule applies; kind None = no claim."""
    for rule in LEFT_RULES:
        m = rule.pattern.search(left)
        if not m:
            continue
        if rule.needs_in_sentence and not rule.needs_in_sentence.search(sentence):
            continue
        if rule.kind is None:
            return None, 0
        if unit not in rule.units:
            return None
        return rule.kind, len(m.group())
    return None


def _count_claims(text: str, quantities: list[Quantity], quoted: bytearray) -> list[_Found]:
    found: list[_Found] = []
    for q in quantities:
        if q.unit == "%" or quoted[q.start]:
            continue
        left, where = _left_context(text, q.start)
        right = _right_context(text, q.end)
        kind = None
        start = q.start
        end = q.end
        decided = _kind_from_left(left, text, q.unit)
        if decided is not None:
            kind, length = decided
            if kind is not None and length:
                start = where[len(left) - length]
        elif RIGHT_RULE_LEFT_OK.search(left):
            for rule in RIGHT_RULES:
                m = rule.pattern.search(right)
                if m and q.unit in rule.units:
                    kind = rule.kind
                    end = q.end + _span_in_right(text, q.end, len(m.group()))
                    break
        if kind is None:
            continue
        if kind == "applications.received" and (thing := RECEIVED_THING_AFTER.search(right)):
            end = q.end + _span_in_right(text, q.end, len(thing.group()))  # "收到8份政府信息公开申请"
        claim = _Found(kind=kind, value=q.value, unit=q.unit, negated=False, start=start, end=end)
        if q.approx:
            claim.scope.add("approx")
        found.append(claim)
    return found


def _span_in_right(text: str, pos: int, length: int) -> int:
    """Sentence length covering `length` non-space characters from `pos`."""
    count = 0
    i = pos
    while i < len(text) and count < length:
        if not text[i].isspace():
            count += 1
        i += 1
    return i - pos


def _is_fact(text: str, start: int) -> bool:
    clause_start, _ = _clause_bounds(text, start)
    return not NOT_A_FACT.search(text, clause_start, start)


def _negation_claims(text: str, quoted: bytearray) -> list[_Found]:
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, value: float, unit: str, m: re.Match) -> None:
        found.append(_Found(kind=kind, value=value, unit=unit, negated=True, start=m.start(), end=m.end()))

    for m in NEGATED_CORRECTED.finditer(text):
        if not quoted[m.start()] and _is_fact(text, m.start()):
            add("appeals.corrected", 0.0, "件", m)
            taken.append(m.span())
    for m in NEGATED_APPEALS.finditer(text):
        if quoted[m.start()] or not _is_fact(text, m.start()) or any(a <= m.start() < b for a, b in taken):
            continue
        _, clause_end = _clause_bounds(text, m.start())
        if CORRECTION_WORDS.search(text, m.start(), clause_end):
            continue  # "未发生行政复议纠错" is about corrections, handled above
        span = m.group()
        if REVIEW_MENTION.search(span):
            add("appeals.review", 0.0, "件", m)
        if LITIGATION_MENTION.search(span):
            add("appeals.litigation", 0.0, "件", m)
        taken.append(m.span())
    for m in NEGATED_RECEIVED.finditer(text):
        if quoted[m.start()] or not _is_fact(text, m.start()) or any(a <= m.start() < b for a, b in taken):
            continue
        gap = m.group("gap")
        if RECEIVED_GAP_EXCLUDES.search(gap):
            continue
        if (gap and not DISCLOSURE_WORDS.search(gap + m.group("target"))
                and not text.startswith("公开", m.end())):
            continue
        cue = m.group()[:len(m.group()) - len(m.group("gap"))]
        if cue in ("没有", "无") and len(m.group("gap")) > 12:
            continue
        add("applications.received", 0.0, "件", m)
    for m in NEGATED_CARRIED_OVER.finditer(text):
        if not quoted[m.start()] and _is_fact(text, m.start()):
            add("applications.carried_over", 0.0, "件", m)
    for m in NEGATED_FEES.finditer(text):
        if quoted[m.start()] or not _is_fact(text, m.start()):
            continue
        clause_start, clause_end = _clause_bounds(text, m.start())
        if ORDINARY_FEES in text[clause_start:clause_end]:
            continue
        add("fees.collected", 0.0, "元", m)
    for m in ALL_UPHELD.finditer(text):
        # "满意度均维持在98%" is not about appeals: a case must be named before, or 原答复 after.
        about_appeals = APPEAL_GROUP.search(text, 0, m.start()) or text.startswith("原", m.end())
        if about_appeals and not quoted[m.start()] and _is_fact(text, m.start()):
            found.append(_Found(kind="appeals.all_upheld", value=None, unit="", negated=False,
                                start=m.start(), end=m.end()))
    return found


def _percent_claims(text: str, quantities: list[Quantity], quoted: bytearray,
                    counts: list[_Found]) -> list[_Found]:
    """"42件，占51.85%": kept only with its numerator and the total the count is a part of."""
    found = []
    for q in quantities:
        if q.unit != "%" or quoted[q.start]:
            continue
        left, where = _left_context(text, q.start)
        if not PERCENT_SHARE.match(left):
            continue
        clause_start = where[0] if where else q.start
        numerator = next((c for c in reversed(counts)
                          if c.end <= clause_start and not text[c.end:clause_start].strip("，,（( ")), None)
        if numerator is None:
            continue
        denominator = numerator.belongs_to
        if denominator is None:
            continue
        claim = _Found(kind="percent", value=q.value, unit="%", negated=False, start=numerator.start, end=q.end)
        claim.scope |= {f"numerator:{numerator.kind}={numerator.value:g}",
                        f"denominator:{denominator.kind}={denominator.value:g}"}
        found.append(claim)
    return found


def _assign_structure(text: str, claims: list[_Found], state: _RunState) -> None:
    """Subset, of:<total> and including_carried scope, in sentence order; updates `state`.

    A total (received, processed, review, litigation) starts a new group unless it follows a
    其中 of the current sentence ("受理申请100件，其中市政府办受理20件"); a part is a subset while a
    其中 is open, in this sentence or in the one before it joined by ；.
    """
    subset_words = [m.start() for m in re.finditer(SUBSET_WORD, text)]
    anchor = 0  # end of the current total in this sentence
    for claim in sorted(claims, key=lambda c: c.start):
        after_subset_word = any(anchor <= p < claim.start for p in subset_words)
        if after_subset_word:
            state.subset_open = True
        if claim.kind in TOTAL_KINDS:
            if after_subset_word and state.total is not None:
                claim.scope |= {"subset", f"of:{state.total.kind}"}
            else:
                state.total, state.subset_open, anchor = claim, False, claim.end
        elif claim.kind in PART_KINDS:
            if state.subset_open:
                claim.scope.add("subset")
            if state.total is not None and not claim.kind.startswith("appeals."):
                claim.scope.add(f"of:{state.total.kind}")
                claim.belongs_to = state.total
        if claim.kind.startswith("appeals.") and claim.kind not in TOTAL_KINDS:
            group = _appeal_group_before(text, claim.start) or state.appeal_group
            if group:
                claim.scope.add(f"of:{group}")
        if claim.kind in ("applications.received", "applications.processed") and _includes_carried(text, claim):
            claim.scope.add("including_carried")
            if claim.kind == "applications.received":
                claim.kind = "applications.received_total"  # 收到…（含上年结转）: new + carried
    if any(p >= anchor for p in subset_words):
        state.subset_open = True
    group = _appeal_group_before(text, len(text))
    if group:
        state.appeal_group = group


def _includes_carried(text: str, claim: _Found) -> bool:
    """含上年结转 said of this figure: in its own clause or in the bracket right after it."""
    clause_start, _ = _clause_bounds(text, claim.start)
    remark = _bracket_after(text, claim.end)
    own_words = text[clause_start:claim.end] + remark
    return (any(w in own_words for w in SCOPE_WORDS["including_carried"])
            or bool(INCLUDING_CARRIED_BRACKET.search(remark)))


def _appeal_group_before(text: str, pos: int) -> str | None:
    last = None
    for m in APPEAL_GROUP.finditer(text, 0, pos):
        last = m
    if last is None:
        return None
    return "appeals.review" if "复议" in last.group() else "appeals.litigation"


def extract_claims(doc: Document, sentences: list[Sentence]) -> list[Claim]:
    claims: list[Claim] = []
    state = _RunState()
    previous: Sentence | None = None
    for sentence in sentences:
        text = sentence.text
        # A list joined by ；, or a sentence opening with 其中, goes on with the totals before it.
        joined = (previous is not None and previous.section == sentence.section
                  and (previous.text.endswith(("；", ";")) or text.startswith(SUBSET_WORD)))
        if not joined:
            state = _RunState()
        quoted = _quoted(text)
        quantities = find_quantities(text)
        counts = _count_claims(text, quantities, quoted)
        found = counts + _negation_claims(text, quoted)
        _assign_structure(text, found, state)
        found += _percent_claims(text, quantities, quoted, sorted(counts, key=lambda c: c.start))
        previous = sentence
        if not found:
            continue
        sentence_scope = _sentence_scope(text)
        for f in sorted(found, key=lambda c: (c.start, c.end)):
            start = sentence.start + f.start
            end = sentence.start + f.end
            claims.append(Claim(kind=f.kind, value=f.value, unit=f.unit, negated=f.negated,
                                scope=tuple(sorted(sentence_scope | f.scope)), start=start, end=end,
                                text=doc.text[start:end], sentence=sentence))
    return claims
