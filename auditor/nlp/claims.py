"""Claims: every quantity statement of the narrative, tied to the concept it counts.

For each number with a unit (auditor/nlp/quantities.py) the words that name what it counts are read
with the lexicon (rules/concepts.yaml, auditor/nlp/lexicon.py):
- the words right before it in its clause, back to the clause start or the previous number (brackets
  closed before it are skipped: "作其他处理（含申请人主动撤回申请）341件"); what stands between them
  and the number must be fill words ("申请共计81件"), otherwise the number counts something the
  lexicon does not know and its concept is "other";
- or, where nothing names it before, the words right after it ("收到8份政府信息公开申请", "另有103件
  顺延到下年度答复").
The words give a head (申请, 行政复议, 规范性文件 …), a row (收到 → 本年新收, 办结 → 办理结果总计 …) and a
column (自然人, 结果纠正 …). What a number's own words do not say is taken from the total its list
belongs to ("收到申请75件，涉及自然人72件" → 72 new applications from natural persons), or from the
last thing of that table the passage named ("行政复议351件，…，结果纠正64件").

Lists: a total and its parts, introduced by 其中/包括/分别为/涉及/a colon/a bracket after the total, or
the parts first and 共计/合计 last; parts in brackets after a part are that part's own list. Lists
carry on over sentences joined by ；, and a sentence opening with 其中 continues the one before.

Negations and absolutes carry the scope of their own subject: "未发生行政复议" is about 行政复议 only,
"行政复议2件，均获维持" is about those 2 reviews, "行政诉讼零败诉" about lawsuits. A goal, a condition
or a question ("力争零败诉", "确保不发生…") is not a statement of fact.

Percentages: a share ("42件，占51.85%": the count before it and the total it is a part of, or a named
denominator "占全部申请的…"), a rate ("办结率100%": of the applications the passage counts) or a growth
("同比增长1.05%", "比上年增加3件": of the count before it, against the previous year's figure when the
prose states it). Counts inside quotes or book titles (“办结一件申请、解决一个问题”) are names, not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditor.model import Document
from auditor.nlp.lexicon import Head, Lexicon, get_lexicon
from auditor.nlp.model import SCOPE_WORDS, Claim, ClaimList, Sentence
from auditor.nlp.quantities import Quantity, find_quantities

CLAUSE_END = "，,；;。！？!?："
PAREN_OPENERS = "（(【〔"
PAREN_CLOSERS = "）)】〕"
QUOTES = {"“": "”", "‘": "’", "《": "》", "「": "」", "『": "』"}
QUOTE_MARKS = re.compile("[" + "".join(QUOTES) + "".join(QUOTES.values()) + "]")

# Words before a number that leave it unnamed, so the words after it may name it ("另有3件结转…").
# Words before a number that leave it unnamed, so that a table head after it names it ("另有3件…").
RIGHT_READING_LEFT = re.compile(r"(?:^|有|^其中|^另|^还|^剩余|^剩下|^共|^以上|^上述|^该|^这|^此外)$")
# Words after a number that name the thing counted: "8份政府信息公开申请", "1件涉及…的行政复议".
RIGHT_GAP = r"(?:[^，。；：！？\d]{0,16}?的)?"
# Before a table head the words after a number may also be a short modifier: "26份政府信息依申请公开件".
RIGHT_GAP_TABLE = r"(?:[^，。；：！？\d]{0,16}?的|[^，。；：！？\d]{0,10}?)?"
RIGHT_GAP_NARRATIVE = r"(?:[^，。；：！？\d]{0,16}?的|[^，。；：！？\d]{0,12}?)?"
# Words that open a list right after its total.
LIST_INTRO = re.compile(r"其中|包括|包含|具体(?:为|是|有|如下)?|涉及|主要(?:有|为|是|包括)|按[^，。；]{0,8}分")
# A list that says it is not complete: "主要有…", "如…", or 等 right after a part ("…59条等"). Not
# 主要/等 inside an item's own name ("主要职能信息", "医用耗材价格等信息").
PARTIAL_INTRO = re.compile(r"主要|例如|比如|诸如|(?:^|[，,：:])如|包括但不限于|部分")
PARTIAL_AFTER = re.compile(r"^\s*(?:等|之类|为主)")
# A part said to be included ("含…157件", "包括…") is at least that many of its row, maybe not all.
INCLUDING = re.compile(r"(?:^|[（(，,\s])(?:含|包含|包括|其中含)")
# A figure in another unit that details the part before it, inside a list ("微博29个，共发布信息1992条").
DETAIL = re.compile(r"^(?:共|累计|共计|其中|合计)")
# Words that make a figure a statement of its own, not a further part of the list before it.
NEW_STATEMENT = re.compile(r"各类|各项|共计|合计|总计|累计|全年共|总数|总量")
# "由原来的8个增加到现在的16个。其中，新增…4个": what follows is the change, not the 16's parts.
CHANGE_TO = re.compile(r"由[^，。；]{0,12}(?:增加|增至|提高|提升|减少|降|扩大|调整)(?:到|至|为)?")
# A count whose clause ends with 中 opens a list: "主动公开的1913条政府信息中，机构职能类信息133条…".
IN_WHICH = re.compile(r"^[^，。；：！？]{0,16}中[，,：:]")
# Words of a total given after its parts: "…，其他类累计信息共计844条".
PARTS_FIRST_TOTAL = re.compile(r"(?:共计|合计|总计|总共|累计共|以上共|共)")
# A clause naming another year than the report's own, or last year ("上年同期28件"); not 上年结转.
OTHER_YEAR = re.compile(r"(?:上一?年|去年|上年度|同期)(?!度?结转|度?未办结|度?遗留)")
YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?=年)")
CARRIED_YEAR = re.compile(r"年度?(?:的)?(?:结转|转入|遗留|未办结)")

PUBLISH_VERB = re.compile(r"公开|发布|公布|汇编|梳理")
# The report's overall total of published information, as opposed to one kind or channel of it
# (a list total is overall too).
OVERALL_PUBLISHED = re.compile(r"主动公开|主动发布|各类|各项|法定主动|共计|总计|合计|总数")
# What makes a published figure one channel's, one unit's or one kind's: "通过网站主动公开信息1056条",
# "县直各单位主动公开政府信息303条", "其他应主动公开信息4条", "公示各类行政处罚案件信息56条".
ONE_PART_OF_PUBLISHED = re.compile(
    r"通过|在[^，。；]{1,16}(?:网|平台|号|微博|专栏|栏目|APP|客户端)|(?:网|平台|公众号|微博|新媒体|APP|专栏|栏目)(?:上)?(?:共|累计)?(?:主动)?(?:公开|发布)"
    r"|各单位|各乡镇|各部门|县直|区直|市直|公开办|本级|其他应?|[^，。；]{2,}(?<!各)类|案件|领域|动态|采购|项目")


KIND_OF_INFORMATION = re.compile(r"[^，。；]{2,}(?<!各)类|领域|动态|采购|项目|案件|财政|预决算|征地|公告|公示|其他|政策|文件|解读")


def _overall_published(runs: list[_Run]) -> None:
    """Each section's first figure of information published in general ("在政府网站平台主动公开政府
    信息1136条") is the report's total for it, as is every list total of kinds of information;
    later ones through another channel or of one kind are parts."""
    seen: set[str | None] = set()
    totals = {id(lst.total) for r in runs for lst in r.lists if lst.total is not None}
    for r in runs:
        for d in r.drafts:
            if d.relation != "count" or d.concept not in ("narrative.published", "narrative.published_part"):
                continue
            section = d.sentence.section
            if id(d) in totals:
                d.concept = "narrative.published"
                seen.add(section)
            elif d.concept == "narrative.published_part" and section not in seen and "subset" not in d.scope \
                    and "other_year" not in d.scope and d.reading is not None and d.reading.head is not None \
                    and d.reading.head.id == "narrative.published" and not KIND_OF_INFORMATION.search(d.reading.words):
                d.concept = "narrative.published"
                seen.add(section)
            elif d.concept == "narrative.published":
                seen.add(section)


def _overall(words: str) -> bool:
    """The report's total of information published, not one channel's, unit's or kind's."""
    return bool(OVERALL_PUBLISHED.search(words)) and not ONE_PART_OF_PUBLISHED.search(words)


# Content counted in 条/篇 on a platform is what was published there ("共发布微博1288条").
CONTENT_UNITS = frozenset({"条", "篇"})

# Before a negation or absolute: a goal, a condition or a question, not a statement of fact.
NOT_A_FACT = re.compile(r"力争|争取|确保|努力|避免|防止|杜绝|减少|降低|力求|目标|以免|防范|如果|若|是否|如有|一旦")

# Percentages, rates and ratios.
RATE_UNITS = ("%", "个百分点", "倍")
RATIO = re.compile(r"是[^，。；：！？]{0,20}?的$")
DONE_VERB = re.compile(r"办结|办理完毕|处理完毕|答复|回复")
RECEIVED_VERB = re.compile(r"受理|收到|接收|接到|收悉")
SHARE = re.compile(r"(?:约)?占(?:比)?(?P<of>[^，。；：！？\d]{0,16}?)(?:的)?(?:比例|比重|总数|总量)?(?:为|达|达到)?$")
RATE = re.compile(r"(?P<what>[^，。；：！？\d]{0,8}?)率(?:达到|达|为|是|均为|保持)?(?:了)?$")
GROWTH = re.compile(r"(?:同比|较上年|较去年|比上年|比去年|较上一年|比上一年|较\d{4}年|比\d{4}年|环比)[^，。；：！？\d]{0,12}?"
                    r"(?P<dir>增长|增加|上升|提高|提升|回升|下降|减少|降低|回落|下滑|增|减|多|少)(?:了)?(?:约)?$")
GROWTH_PLAIN = re.compile(r"^(?P<dir>增长|增加|上升|提高|回升|下降|减少|降低|回落|下滑)(?:了)?(?:约)?$")
DOWN = ("下降", "减少", "降低", "回落", "下滑", "减", "少")
RATE_OUTCOMES = (("in_time", re.compile(r"按时|按期|及时|法定期限")),
                 ("processed", re.compile(r"办结|办复|答复|回复|办理|处理|受理")))

# Negations (ported from the first extractor, tested on the shared corpus).
NEG_GAP = r"[^，。；：！？\d]"
NEGATED_APPEALS = re.compile(
    r"(?:未发生|未收到|未接到|未出现|未产生|未涉及|不涉及|没有发生|没有|未有|无(?!法|正当|需|须|论|人|关)"
    rf"|未因{NEG_GAP}{{0,20}}?被(?:申请|提起)|未被(?:申请|提起))"
    rf"{NEG_GAP}{{0,30}}?(?:行政复议|行政诉讼|复议|诉讼)"
    rf"(?:{NEG_GAP}{{0,12}}?(?:行政复议|行政诉讼|复议|诉讼))*")
NEGATED_RECEIVED = re.compile(
    r"(?:未收到|没有收到|未接到|未接收到?|未受理|没有受理|不涉及|未涉及|未发生|未产生|没有|无(?!法|正当|需|须|论|人|关))"
    rf"(?P<gap>{NEG_GAP}{{0,32}}?)(?P<target>(?:依)?申请)(?!人)")
RECEIVED_GAP_EXCLUDES = re.compile(r"复议|诉讼|补正|缴|逾期|理由|撤回|答复|结转|费|许可|审批|登记")
DISCLOSURE_WORDS = re.compile(r"信息公开|政府信息|依申请|公开")
NEGATED_CARRIED_OVER = re.compile(r"(?:无|没有)上一?年度?结转|上一?年度?(?:无|没有)结转")
NEGATED_CARRIED_FORWARD = re.compile(r"(?:无|没有)(?:结转(?:至|到)?下一?年度?|需结转|下一?年度?结转)")
NEGATED_ISSUED = re.compile(r"(?:未|没有)(?:出台|制发|制定|印发|颁布)(?:新的)?(?P<what>(?:行政)?规范性文件|(?:政府)?规章)")
NEGATED_CORRECTED = re.compile(
    r"零败诉|无败诉|未败诉|无一败诉"
    rf"|(?:未|没有)被{NEG_GAP}{{0,12}}?(?:纠错|纠正|撤销)"
    rf"|(?:未发生|没有|无|未出现){NEG_GAP}{{0,12}}?(?:被纠错|纠错|被纠正|败诉)")
CORRECTION_WORDS = re.compile(r"纠错|纠正|败诉|撤销")
NEGATED_FEES = re.compile(
    rf"未(?:向|对)?{NEG_GAP}{{0,16}}?收取{NEG_GAP}{{0,20}}?费(?:用)?"
    rf"|(?:暂不|不|免于|免予)收(?:取)?(?:费|费用)"
    rf"|(?:无|没有|未发生|未产生){NEG_GAP}{{0,12}}?(?:收费|处理费)"
    rf"|(?:免收|不收取){NEG_GAP}{{0,12}}?(?:处理费|费用)")
ORDINARY_FEES = "行政事业性收费"
COSTS = re.compile(r"[^。；，]{0,14}?(?:费用|支出|经费|开支)")  # table 二's fee income, never the information-processing fee
REVIEW_MENTION = re.compile(r"复议(?!后)")
LITIGATION_MENTION = re.compile(r"诉讼|(?<!复议后)(?<!直接)起诉")
APPEAL_GROUP_WORD = re.compile(r"行政复议|复议(?!后)|行政诉讼|诉讼|起诉|败诉")
# An absolute: 均/全部/都 … then the outcome within a few characters ("均获维持", "均已按时办结").
ABSOLUTE_GAP = r"[^，。；：！？\d]{0,12}?"
# Fixed phrases that contain a scope word without being a scope hint (a table 三 row label).
NOT_SCOPE_PHRASES = ("本机关不掌握",)

VERB_ROWS = frozenset({"new_received", "total_processed", "decisions", "published", "collected"})
FLOW_ROWS = frozenset({"new_received", "carried_over", "received_total", "total_processed", "carried_forward"})
COUNT_FAMILY = frozenset({"件", "起", "宗", "个", "份", "次", "条", "项", "例", "部", "篇", "期", "场", "家", "件次"})


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


def _depths(text: str) -> list[int]:
    """Bracket depth of every character, and the offset of the innermost open bracket."""
    depth = 0
    out = []
    for ch in text:
        if ch in PAREN_CLOSERS:
            depth = max(0, depth - 1)
        out.append(depth)
        if ch in PAREN_OPENERS:
            depth += 1
    return out


def _left_context(text: str, pos: int, barrier: int) -> tuple[str, list[int]]:
    """The words of the clause before `pos` (not before `barrier`), without whitespace, quote marks
    and brackets closed before `pos`; with the sentence offset of every kept character."""
    chars: list[str] = []
    where: list[int] = []
    depth = 0
    i = pos - 1
    while i >= barrier:
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
            if not ch.isspace() and not QUOTE_MARKS.match(ch):
                chars.append(ch)
                where.append(i)
        i -= 1
    chars.reverse()
    where.reverse()
    return "".join(chars), where


def _right_context(text: str, pos: int) -> str:
    end = pos
    while end < len(text) and text[end] not in CLAUSE_END and text[end] not in "（(）)、":
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


def _span_in_right(text: str, pos: int, length: int) -> int:
    """Sentence length covering `length` non-space characters from `pos`."""
    count = 0
    i = pos
    while i < len(text) and count < length:
        if not text[i].isspace():
            count += 1
        i += 1
    return i - pos


def _sentence_scope(text: str) -> set[str]:
    for phrase in NOT_SCOPE_PHRASES:
        text = text.replace(phrase, "")
    return {category for category, words in SCOPE_WORDS.items()
            if category not in ("subset", "including_carried") and any(w in text for w in words)}


def _is_fact(text: str, start: int) -> bool:
    clause_start, _ = _clause_bounds(text, start)
    return not NOT_A_FACT.search(text, clause_start, start)


# --------------------------------------------------------------------------- reading a phrase


@dataclass
class _Match:
    kind: str  # "head" | "narrative" | "row" | "column"
    key: str  # head id, or row/column key
    table: str | None  # for rows and columns: the head table they belong to
    start: int  # offsets in the phrase string
    end: int
    priority: int = 0


@dataclass
class _Reading:
    """What a number's own words say it counts; None where they say nothing."""

    head: Head | None = None
    row: str | None = None
    column: str | None = None
    known: bool = False  # some lexicon word names the thing
    start: int = 0  # sentence offset where the naming words start
    end: int = 0  # sentence offset where the claim ends (after the number, or after words after it)
    total_word: bool = False  # 共计/合计 … right before the number
    words: str = ""  # the naming words, for evidence
    table: str | None = None  # the table of a row or column named without its head
    narrative: str | None = None  # a narrative head named before a row or column without a head
    after: bool = False  # named by the words after the number ("1件申请…")


def _matches(lex: Lexicon, phrase: str) -> list[_Match]:
    found: list[_Match] = []
    for head in lex.heads:
        for m in head.scan.finditer(phrase):
            if m.end(1) > m.start(1):
                found.append(_Match("head", head.id, head.table, m.start(1), m.end(1)))
    for head in lex.narrative:
        for m in head.scan.finditer(phrase):
            if m.end(1) > m.start(1):
                found.append(_Match("narrative", head.id, None, m.start(1), m.end(1)))
    for kind, facets_by_table in (("row", lex.rows), ("column", lex.columns)):
        for table, facets in facets_by_table.items():
            for facet in facets:
                for m in facet.scan.finditer(phrase):
                    if m.end(1) > m.start(1):
                        found.append(_Match(kind, facet.key, table, m.start(1), m.end(1), facet.priority))
    # A narrative word, or a word of table 二 or of fees, inside a longer word of table 三 or 四 is
    # part of it: "公开" in "部分公开", "信息" in "过程性信息".
    strong = [m for m in found if m.kind == "head" or m.table in ("applications", "appeals")]
    return [m for m in found
            if not ((m.kind == "narrative" or m.table in ("active", "fees"))
                    and any(o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
                            for o in strong))]


_KIND_RANK = {"head": 0, "row": 1, "column": 2, "narrative": 3}


def _read_left(lex: Lexicon, phrase: str, unit: str) -> _Reading | None:
    """Read the clause words before a number. None when no lexicon word ends where the fill words
    before the number start (the phrase names something unknown)."""
    fill = lex.fill.search(phrase)
    core_end = fill.start() if fill else len(phrase)
    reading = _Reading(total_word=bool(PARTS_FIRST_TOTAL.search(phrase[core_end:]))
                       or bool(re.search(r"(?:共计|合计|总计|总共)$", phrase[:core_end])))
    matches = _matches(lex, phrase[:core_end])
    ending = [m for m in matches if m.end == core_end]
    if not ending:
        return None
    # Of the words ending right before the number, the longest; a row of table 二 or of fees ("办理",
    # "收取") only where nothing of table 三 or 四 reads the same.
    anchor = min(ending, key=lambda m: (-(m.end - m.start), _KIND_RANK[m.kind],
                                        m.table not in (None, "applications", "appeals"), m.priority))
    reading.known = True
    if anchor.kind == "narrative":
        reading.head = lex.head_by_id[anchor.key]
        reading.start = anchor.start
        reading.words = phrase[:core_end]
        return reading
    # The table head: the anchor itself, or the nearest head before it whose table has the anchor's
    # row or column ("行政复议纠正1件", "新收申请中自然人42件").
    if anchor.kind == "head":
        head_match = anchor
    else:
        candidates = [m for m in matches if m.kind == "head" and m.end <= anchor.start
                      and (lex.head_by_id[m.key].table == anchor.table
                           or m.key.split(".")[0] == anchor.table)]
        head_match = max(candidates, key=lambda m: m.end) if candidates else None
        if head_match is not None:
            between = [m for m in matches if m.kind == "head" and head_match.end <= m.start and m.end <= anchor.start
                       and lex.head_by_id[m.key].table != lex.head_by_id[head_match.key].table]
            if between:
                head_match = None
    head = lex.head_by_id[head_match.key] if head_match else None
    table = head.table if head else anchor.table
    if head_match is not None:  # "依申请公开办理事项": 办理 is part of the head's words
        matches = [m for m in matches if m is head_match or m.kind == "head"
                   or m.end <= head_match.start or m.start >= head_match.end]
    if head is not None and head.table == "appeals":
        table = "appeals"
    # Rows and columns of that table anywhere in the clause words: the first row in the lexicon's
    # order wins; of the columns, the one nearest the number.
    rows = [m for m in matches if m.kind == "row" and m.table == _facet_table(table, head)]
    cols = [m for m in matches if m.kind == "column" and m.table == _facet_table(table, head)]
    if rows:
        reading.row = _pick_row(rows)
    if cols:
        keys = {m.key for m in cols}
        # "公民、法人和其他组织向本机关提出的申请": every applicant, no one column
        if not ("natural_person" in keys and keys & {"legal_person", "other_org", "commercial"}):
            reading.column = max(cols, key=lambda m: (m.end, m.end - m.start, -m.priority)).key
    reading.head = head
    reading.table = table  # a facet without a head: the caller inherits the head of this table
    if head is None and anchor.key in VERB_ROWS:
        # "人大代表建议和答复0件": a bare verb after another thing named is about that thing
        narrative = [m for m in matches if m.kind == "narrative" and m.end <= anchor.start
                     and m.key != "narrative.published"]
        if narrative:
            reading.narrative = max(narrative, key=lambda m: m.end).key
    first = min([anchor.start] + [m.start for m in rows + cols] + ([head_match.start] if head_match else []))
    reading.start = first
    reading.words = phrase[:core_end]
    return reading


def _pick_row(rows: list[_Match]) -> str:
    """A specific row (a result, 结转, 收办) wins by the lexicon's order; of the plain verbs (收到, 办结)
    the one nearest the number: "…办理依申请公开…共受理申请21件" counts received applications."""
    specific = [m for m in rows if m.key not in VERB_ROWS]
    if specific:
        # the one nearest the number: "因本机关不掌握等原因无法提供564件" is the whole 无法提供 group
        return max(specific, key=lambda m: (m.end, m.end - m.start, -m.priority)).key
    return max(rows, key=lambda m: (m.end, m.end - m.start)).key


def _facet_table(table: str | None, head: Head | None) -> str | None:
    if head is None:
        return table
    if head.table in ("active",):
        return "active"
    return head.table


def _read_right(lex: Lexicon, right: str) -> tuple[_Reading, int] | None:
    """Words after the number that name it: a table head ("8份政府信息公开申请"), a 结转 row in its
    clause ("3件结转下年度办理"), or a narrative head ending the noun phrase ("3个市级政府信息公开查阅
    中心"). Returns the reading and how many characters of `right` it covers."""
    best: tuple[_Reading, int] | None = None
    for head in lex.heads:
        m = re.match(RIGHT_GAP_TABLE + f"(?:{head.pattern.pattern})", right)
        if m and (best is None or m.end() < best[1]):
            best = (_Reading(head=head, known=True), m.end())
    for facet in lex.rows["applications"]:
        if facet.key not in ("carried_forward", "carried_over"):
            continue
        m = re.search(f"^[^，。；：！？]{{0,20}}?(?:{facet.pattern.pattern})", right)
        if m:
            reading = best[0] if best else _Reading(known=True)
            reading.row = facet.key
            reading.table = "applications"
            return reading, max(m.end(), best[1] if best else 0)
    if best is not None:
        return best
    candidates = []
    for head in lex.narrative:
        m = re.match(RIGHT_GAP_NARRATIVE + f"(?:{head.pattern.pattern})", right)
        if m:
            candidates.append((m.end(), head))
    if candidates:
        end, head = max(candidates, key=lambda c: c[0])  # the noun that ends the phrase names it
        return _Reading(head=head, known=True, words=right[:end]), end
    return None


# --------------------------------------------------------------------------- extraction state


@dataclass
class _Draft:
    """A claim before its Claim object: positions are sentence offsets."""

    quantity: Quantity | None
    reading: _Reading | None
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
    about: _Draft | None = None
    base: _Draft | None = None
    list_id: int | None = None
    claim: Claim | None = None


@dataclass
class _List:
    total: _Draft | None
    parts: list[_Draft]
    dimension: str | None
    intro: str
    partial: bool = False
    depth: int = 0
    including: bool = False  # "（含申请人主动撤回157件）": the parts are among the total, not its breakdown


@dataclass
class _Run:
    """Context carried over a passage of sentences joined by ；, or a sentence opening with 其中."""

    drafts: list[_Draft] = field(default_factory=list)
    lists: list[_List] = field(default_factory=list)
    open_lists: list[_List] = field(default_factory=list)  # innermost last, one per bracket depth
    last_head: dict[str, str] = field(default_factory=dict)  # table → head id last named
    last_row: str | None = None  # the applications row last named
    topic: str | None = None  # the head (table or narrative) last named
    subset_after: Sentence | None = None  # a sentence whose figures follow an unresolved 其中
    passage: list[_Draft] = field(default_factory=list)  # the figures of the paragraph before this run
    pending: _List | None = None  # the list the paragraph's previous sentence left open
    earlier_lists: list[_List] = field(default_factory=list)  # the lists of the paragraph before this run

    @classmethod
    def following(cls, before: _Run) -> _Run:
        """A new passage of the same paragraph: it knows what the paragraph has named so far."""
        pending = before.open_lists[0] if before.open_lists and before.open_lists[0].depth == 0 else None
        return cls(last_head=dict(before.last_head), last_row=before.last_row, topic=before.topic,
                   about_applications=before.about_applications, passage=before.passage + before.drafts,
                   pending=pending, earlier_lists=before.earlier_lists + before.lists)
    about_applications: bool = False  # the passage or its section speaks of applications


def _compose(lex: Lexicon, reading: _Reading | None, unit: str, inherit: _Draft | None,
             run: _Run) -> tuple[str, bool]:
    """(concept, inferred) of a number from its reading, what it inherits (the total of its list)
    and the passage it is in. `inferred`: part of the concept was guessed (a default row, 公开 for
    制发), so a mismatch with the table is only worth a note."""
    if reading is None or not reading.known:
        return "other", False
    head = reading.head
    table = reading.table or (head.table if head else None)
    if head is not None and head.table is None:  # a narrative head
        if head.id == "narrative.published" and not _overall(reading.words):
            return "narrative.published_part", False  # "在征地方面…共发布信息291条": one kind of it
            # (the first generic one of a section is promoted afterwards: _overall_published)
        if head.id == "narrative.platform" and unit in CONTENT_UNITS:
            return "narrative.published_part", False
        return head.id, False
    if head is None:
        head = _inherited_head(lex, reading, table, inherit, run)
        if head is None:
            return (reading.narrative, False) if reading.narrative else ("other", False)
        if head.table is None:
            return head.id, False
    if unit not in head.units:
        return "other", False
    inferred = False
    if head.table == "applications":
        row = reading.row
        column = reading.column
        if row is None:
            if inherit is not None and inherit.concept.startswith("applications."):
                row = inherit.concept.split(".")[1]
            else:
                # "政府信息公开申请30件", "1件申请信息，属于已公开事项": which line is a guess
                row = run.last_row or lex.default_rows["applications"]
                inferred = not run.last_row or reading.after
        return f"applications.{row}" + (f".{column}" if column else ""), inferred
    if head.table == "appeals":
        column = reading.column
        return head.id + (f".{column}" if column and column != "total" else ""), False
    if head.table == "active":
        row = reading.row or lex.default_rows.get(head.id)
        if row == "published":
            # 公开/发布 a regulation: most often the year's own; a licensing decision published is
            # an item of published information, not a decision count.
            if head.id in ("active.regulations", "active.normative_documents"):
                return f"{head.id}.issued", True
            return "narrative.published_part", False
        if row is None:
            return "other", False
        concept = f"{head.id}.{row}"
        if row in ("in_force", "repealed") and PUBLISH_VERB.search(reading.words) and concept in lex.concepts:
            # "集中发布现行有效行政规范性文件393件": the stock published at a clean-up, not
            # necessarily at the year's end
            return concept, True
        return (concept, False) if concept in lex.concepts else ("other", False)
    if head.table == "fees":
        return "fees.collected", False
    return "other", False


def _inherited_head(lex: Lexicon, reading: _Reading, table: str | None, inherit: _Draft | None,
                    run: _Run) -> Head | None:
    """The head of a row or column named alone ("办结148件", "结果纠正64件", "自然人72件")."""
    if inherit is not None and inherit.concept != "other":
        if inherit.concept.split(".")[0] == table:
            return lex.head_by_id.get(_head_of(inherit.concept))
    if reading.narrative:
        return None  # "人大代表建议和答复0件": the phrase names its own thing
    if run.topic is not None and run.topic.startswith("narrative.") and reading.row in VERB_ROWS:
        return lex.head_by_id.get(run.topic)  # "共收到15564件咨询投诉件…已办结15042件"
    if table == "fees":
        return None  # "…局6件，收取600元": a fee is the report's only where its own words say so
    if table in run.last_head:
        return lex.head_by_id.get(run.last_head[table])
    if table == "applications" and (reading.row not in VERB_ROWS or reading.column or run.about_applications):
        # "予以公开20件", "自然人72件": words of table 三 itself; a bare 收到/办结 only where the
        # passage is about applications
        return lex.head_by_id["applications"]
    return None


def _head_of(concept: str) -> str:
    parts = concept.split(".")
    if parts[0] == "applications":
        return "applications"
    if parts[0] == "appeals":
        return ".".join(parts[:2])
    if parts[0] == "active":
        return ".".join(parts[:2])
    return parts[0]


def _unit_family(unit: str) -> str:
    if unit in COUNT_FAMILY:
        return "count"
    if unit in ("元", "万元"):
        return "money"
    if unit in ("人", "名", "人次", "万人次", "户"):
        return "people"
    return unit


def _dimension(lex: Lexicon, total: _Draft, part: _Draft) -> str | None:
    """What a part breaks its total down by; None when it cannot be a part of that total."""
    tc, pc = total.concept, part.concept
    if _unit_family(total.unit) != _unit_family(part.unit):
        return None  # "收取信息处理费2950元（…公安局6件…）": counts beside a sum of money
    if pc == "other" or pc.startswith("narrative."):
        return "category"
    if tc in ("narrative.published", "narrative.published_part"):
        return "category"  # "公布政府信息2599条（其中…规范性文件类信息68条…）": kinds of information
    if tc == "other" or tc.startswith("narrative."):
        return None  # a table concept after a narrative figure: a new statement
    t_head, p_head = _head_of(tc), _head_of(pc)
    if t_head != p_head:
        if t_head == "appeals.all" and p_head in ("appeals.review", "appeals.litigation"):
            return "category"
        if t_head == "appeals.litigation" and p_head in ("appeals.litigation_direct",
                                                         "appeals.litigation_after_review"):
            return "category"
        return None
    if tc.startswith("applications."):
        t_row, p_row = tc.split(".")[1], pc.split(".")[1]
        p_col = pc.split(".")[2] if pc.count(".") == 2 else None
        if p_row == t_row:
            return "column" if p_col and p_col != (tc.split(".")[2] if tc.count(".") == 2 else None) else "split"
        if p_row in FLOW_ROWS:
            if t_row == "received_total" and p_row in ("new_received", "carried_over"):
                return "category"
            if t_row == "total_processed" and p_row in ("new_received", "carried_over"):
                return "category"  # "处理申请92件，其中本年度新接收91件，上年结转1件"
            return None
        return "result"
    if tc.startswith("appeals."):
        return "column" if pc != tc else "split"
    if tc.startswith("active.") and _head_of(tc) == _head_of(pc):
        return "split" if pc == tc else "category"  # "规章13件（含新制定5件，修改4件，废止4件）"
    return "split" if pc == tc else None


# --------------------------------------------------------------------------- extraction


def extract(doc: Document, sentences: list[Sentence],
            lexicon: Lexicon | None = None) -> tuple[list[Claim], list[ClaimList]]:
    """The claims of the narrative in text order, and the lists they form (with the shipped lexicon,
    or `lexicon`: `auditor rules check` tries a lexicon file before it is used)."""
    lex = lexicon or get_lexicon()
    year = doc.meta.year
    runs: list[_Run] = []
    run = _Run()
    previous: Sentence | None = None
    for sentence in sentences:
        text = sentence.text
        joined = (previous is not None and previous.section == sentence.section
                  and (previous.text.rstrip().endswith(("；", ";")) or text.startswith("其中")))
        if not joined:
            if run.drafts:
                runs.append(run)
            same_paragraph = (previous is not None and previous.section == sentence.section
                              and "\n" not in doc.text[previous.end:sentence.start])
            run = _Run.following(run) if same_paragraph else _Run()
        run.about_applications = (run.about_applications or sentence.section == "applications"
                                  or "申请" in sentence.text)
        _read_sentence(lex, sentence, run, year)
        _implicit_results(run)
        previous = sentence
    if run.drafts:
        runs.append(run)
    _overall_published(runs)
    claims: list[Claim] = []
    lists: list[ClaimList] = []
    for r in runs:
        for draft in r.drafts:
            _freeze(doc, draft)
            claims.append(draft.claim)
    for r in runs:
        for lst in r.lists:
            if len(lst.parts) < 1 or lst.dimension is None:
                continue
            if _unnumbered_items(doc.text, lst) or _bare_numbers(doc.text, lst) or _cut_off(doc.text, lst):
                lst.partial = True
            lists.append(ClaimList(total=lst.total.claim if lst.total else None,
                                   parts=tuple(p.claim for p in lst.parts), dimension=lst.dimension,
                                   partial=lst.partial, intro=lst.intro))
    claims.sort(key=lambda c: (c.start, c.end))
    return claims, lists


RESULT_GROUPS = {"granted": "granted", "partly_granted": "partly", "granted_or_partly": "granted", "withheld": "withheld",
                 "unable": "unable", "declined": "declined", "other": "other"}


def _implicit_results(run: _Run) -> None:
    """"答复申请805件。予以公开及部分公开258件，不予公开35件，无法提供265件，不予处理158件，其他处理0件":
    results of four or more groups stated one after another, with no 其中, are the breakdown of
    the processed count the paragraph stated before them."""
    listed = {id(p) for lst in run.earlier_lists + run.lists for p in lst.parts}
    results = [d for d in run.drafts if d.relation == "count" and id(d) not in listed and d.depth == 0
               and d.concept.count(".") == 1 and d.concept.startswith("applications.")
               and d.concept.split(".")[1].split("_")[0] in ("granted", "partly", "withheld", "unable", "declined", "other")
               and not {"subset", "other_year", "split"} & d.scope]
    groups = {RESULT_GROUPS.get(d.concept.split(".")[1], d.concept.split(".")[1].split("_")[0]) for d in results}
    if len(groups) < 4 or len(results) != len({d.concept for d in results}):
        return
    first = results[0]
    before = [d for d in run.passage + run.drafts if d.relation == "count" and d.concept == "applications.total_processed"
              and not {"subset", "other_year", "split"} & d.scope and run_order(run, d) < run_order(run, first)]
    if not before:
        return
    lst = _List(total=before[-1], parts=results, dimension="result", intro="")
    for d in results:
        d.scope.add("subset")
    run.lists.append(lst)


def run_order(run: _Run, draft: _Draft) -> int:
    everything = run.passage + run.drafts
    return next(i for i, d in enumerate(everything) if d is draft)


def _unnumbered_items(text: str, lst: _List) -> bool:
    """Items between the parts that carry no number ("规范性文件13件；规划计划文件2件；部门预算信息；
    …"): the list names more than it counts."""
    first, last = lst.parts[0], lst.parts[-1]
    start = first.sentence.start + first.start
    end = last.sentence.start + last.end
    chunks = [c for c in re.split(r"[；;]", text[start:end]) if c.strip()]
    return len(chunks) > len({id(p.sentence) for p in lst.parts}) and \
        any(not find_quantities(c) for c in chunks)


BARE_NUMBER = re.compile(r"(?<![\d.，,])\d+(?![\d.,%])")


def _bare_numbers(text: str, lst: _List) -> bool:
    """A number among the parts with no unit ("会议活动类信息460条，部门动态402，其他信息248条"): an
    item the sum cannot count."""
    first, last = lst.parts[0], lst.parts[-1]
    start = first.sentence.start + first.start
    end = last.sentence.start + last.end
    span = text[start:end]
    counted = {(q.start, q.end) for q in find_quantities(span)}
    for m in BARE_NUMBER.finditer(span):
        if any(a <= m.start() < b for a, b in counted):
            continue
        if re.match(r"\s*(?:年|月|日|号|届|次会议|个工作日)", span[m.end():]):
            continue
        return True
    return False


def _cut_off(text: str, lst: _List) -> bool:
    """The text ends inside the list (a page beginning, a truncated copy): its rest is missing."""
    last = lst.parts[-1].sentence
    tail = text[last.end:].strip()
    return not tail and not re.search(r"[。！？!?）)]\s*$", last.text)


def extract_claims(doc: Document, sentences: list[Sentence]) -> list[Claim]:
    return extract(doc, sentences)[0]


def _freeze(doc: Document, draft: _Draft) -> Claim:
    if draft.claim is not None:
        return draft.claim
    about = _freeze(doc, draft.about) if draft.about is not None else None
    base = _freeze(doc, draft.base) if draft.base is not None else None
    sentence = draft.sentence
    start, end = sentence.start + draft.start, sentence.start + draft.end
    draft.claim = Claim(concept=draft.concept, relation=draft.relation, value=draft.value, unit=draft.unit,
                        scope=tuple(sorted(draft.scope)), start=start, end=end, text=doc.text[start:end],
                        sentence=sentence, outcome=draft.outcome, about=about, base=base)
    return draft.claim


def _read_sentence(lex: Lexicon, sentence: Sentence, run: _Run, year: int | None) -> None:
    text = sentence.text
    quoted = _quoted(text)
    depths = _depths(text)
    quantities = [q for q in find_quantities(text) if not quoted[q.start]]
    sentence_scope = _sentence_scope(text)
    drafts: list[_Draft] = []
    distributive = _distributive(lex, text, quantities)
    previous_end = 0
    for q in quantities:
        if q.unit in RATE_UNITS:
            continue
        barrier = previous_end
        left, where = _left_context(text, q.start, barrier)
        reading = distributive.get(q.start)
        start, end = q.start, q.end
        if reading is None:
            reading = _read_left(lex, left, q.unit)
            if reading is not None:
                start = where[reading.start] if reading.start < len(where) else q.start
        # a row or column named without its head ("收到…", "制定4份部门行政规范性文件"): the words
        # after the number may name the head
        bare_verb = (reading is not None and reading.known and reading.head is None and reading.narrative is None
                     and (reading.row in VERB_ROWS or reading.table == "active") and not reading.column)
        # "全年共制作119期政策简明问答": what the number counts is named after it; a table head
        # after it only where nothing else governs the number ("另有3件…", "收到8份…申请", not
        # "对25件申请收取了费用")
        if reading is None or not reading.known or bare_verb:
            found = _read_right(lex, _right_context(text, q.end))
            if found is not None and found[0].head is not None and found[0].head.table is not None \
                    and found[0].row is None and not bare_verb and not RIGHT_READING_LEFT.search(left):
                found = None
            if found is not None and (not bare_verb or found[0].head is not None):
                if bare_verb:
                    found[0].row = found[0].row or reading.row
                    found[0].start = reading.start
                    found[0].table = found[0].head.table if found[0].head else found[0].table
                reading, length = found
                reading.after = True
                end = q.end + _span_in_right(text, q.end, length)
        if reading is None:
            reading = _Reading(known=False, total_word=bool(re.search(r"(?:共计|合计|总计|总共)", left[-6:])),
                               words=left)
        draft = _Draft(quantity=q, reading=reading, value=q.value, unit=q.unit, start=start, end=end,
                       depth=depths[q.start], sentence=sentence)
        if q.approx:
            draft.scope.add("approx")
        clause_start, _ = _clause_bounds(text, q.start)
        _other_year(text, max(clause_start, barrier), q.start, year, draft)
        _place(lex, text, draft, run)
        if draft.concept == "other" and "subset" not in draft.scope:
            _from_sibling(lex, text, left, draft, drafts)
        drafts.append(draft)
        run.drafts.append(draft)
        previous_end = q.end
    _parts_first(lex, text, drafts, run)
    for draft in drafts:
        draft.scope |= sentence_scope
        if draft.concept.startswith("applications.") and _includes_carried(text, draft):
            draft.scope.add("including_carried")
            if draft.concept.split(".")[1] == "new_received":
                draft.concept = draft.concept.replace("new_received", "received_total", 1)
    percent = _percent_claims(lex, text, quantities, drafts, run, quoted, sentence)
    negations = _negations(lex, text, quoted, drafts, run, sentence)
    for d in percent + negations:
        d.scope |= sentence_scope
        run.drafts.append(d)


def _from_sibling(lex: Lexicon, text: str, left: str, draft: _Draft, drafts: list[_Draft]) -> None:
    """A number named by words the lexicon does not know, right after another of the same kind:
    "发布政府规章4部、行政规范性文件19件" (the verb is said once), "公开政务要闻285条、通知公告303条"
    (kinds of published information); or after a verb of publishing ("公开发布工作动态5条")."""
    prev = drafts[-1] if drafts else None
    between = text[prev.end:draft.quantity.start] if prev is not None else ""
    if prev is not None and prev.depth == draft.depth and _same_unit(prev.unit, draft.unit) \
            and re.fullmatch(r"\s*[、，,；;和及与][^，。；：！？]{0,12}", between) \
            and not PARTS_FIRST_TOTAL.search(left):
        head = draft.reading.head if draft.reading is not None else None
        if head is not None and head.table == "active" and prev.concept.startswith(head.id.split(".")[0] + "."):
            row = prev.concept.rsplit(".", 1)[-1]
            if f"{head.id}.{row}" in lex.concepts:
                draft.concept = f"{head.id}.{row}"
                draft.scope |= prev.scope & {"inferred"}
                return
        if head is None and prev.concept.startswith("narrative."):
            draft.concept = prev.concept
            return
    if draft.unit in CONTENT_UNITS | {"期"} and PUBLISH_VERB.search(left):
        draft.concept = "narrative.published_part"


def _other_year(text: str, clause_start: int, pos: int, year: int | None, draft: _Draft) -> None:
    before = text[clause_start:pos]
    if OTHER_YEAR.search(before):
        draft.scope.add("other_year")
        return
    for m in YEAR.finditer(before):
        if CARRIED_YEAR.match(before, m.end()) or before[max(0, m.start() - 1):m.start()] in ("至", "到", "入"):
            continue  # "2022年结转的3件", "结转至2024年": the year names the row, not the figure's year
        if year is not None and int(m.group()) != year:
            draft.scope.add("other_year")
            return


def _place(lex: Lexicon, text: str, draft: _Draft, run: _Run) -> None:
    """Decide the draft's list and concept: the first part of a new list, a further part of an open
    list, or a statement of its own.

    A list opens with a bracket right after a count, or with 其中/包括/涉及/a colon after one: its
    total is the last count before it at the same bracket depth in the same unit — or, where the
    words after 其中 name what it breaks down ("其中公开信息方面，…"), the last count of that.
    A number in another unit inside a list is a detail of the part before it ("微博29个，共发布信息
    1992条") and leaves the list open."""
    while run.open_lists and run.open_lists[-1].depth > draft.depth:
        run.open_lists.pop()  # a bracket closed: its list has ended
    counts = [d for d in run.drafts if d.depth == draft.depth and d.quantity is not None and d.relation == "count"]
    if not counts and draft.depth == 0 and LIST_INTRO.search(draft.sentence.text[:draft.start]):
        # "…，办复率100%。其中予以公开59件…" / a sentence opening with 其中: the total is earlier in
        # the paragraph
        counts = [d for d in run.passage if d.depth == 0 and d.quantity is not None and d.relation == "count"]
    prev = counts[-1] if counts else None
    if prev is not None and prev.sentence is draft.sentence:
        between = text[prev.end:draft.start]
    else:
        between = text[:draft.start]
    top = run.open_lists[-1] if run.open_lists and run.open_lists[-1].depth == draft.depth else None
    opened = None
    intro = None
    bracket_total = _bracket_total(text, draft, run)
    if bracket_total is not None:
        opened = _List(total=bracket_total, parts=[], dimension=None, intro="（", depth=draft.depth)
    elif prev is not None:
        intro = LIST_INTRO.search(between) or (IN_WHICH.match(between) if prev.sentence is draft.sentence else None)
        colon = prev.sentence is draft.sentence and re.match(r"^\s*[:：]", text[prev.end:])
        new_sentence_subset = prev.sentence is not draft.sentence and draft.sentence.text.startswith("其中")
        if (intro or colon or new_sentence_subset) and not (top is not None and top.total is prev) \
                and not _change_to(prev):
            if top is not None and prev in top.parts and (intro is None or intro.group() == "其中"):
                # "…其他类信息9条。其中主动公开17条…": after a whole list, 其中 of what? Not of its
                # last part, and not surely of its total: no list, and these figures are parts.
                run.open_lists.pop()
                run.subset_after = prev.sentence
            else:
                total = _list_total(lex, counts, draft, between[intro.end():] if intro else between)
                if total is not None:
                    opened = _List(total=total, parts=[], dimension=None,
                                   intro=intro.group() if intro else "：" if colon else "其中", depth=draft.depth)
    if opened is not None:
        if opened.total.concept == "narrative.published_part":
            opened.total.concept = "narrative.published"  # a total of kinds of information
        draft.concept, inferred = _compose(lex, draft.reading, draft.unit, opened.total, run)
        dimension = _dimension(lex, opened.total, draft)
        if dimension is not None:
            _as_part(draft, opened.total, dimension, inferred)
            if top is not None:
                run.open_lists.pop()
            opened.dimension = dimension
            if INCLUDING.search(between[:intro.end() + 2] if intro else text[bracket_total.end:draft.start]
                                if bracket_total is not None else between):
                opened.including = True
            if opened.including:
                draft.scope.add("included")
            opened.parts.append(draft)
            opened.partial = bool(PARTIAL_INTRO.search(between[:intro.end() + 4] if intro else between[:6])) \
                or bool(PARTIAL_AFTER.match(text[draft.end:]))
            run.lists.append(opened)
            run.open_lists.append(opened)
            draft.scope.add("subset")
            _remember(draft, run)
            return
    if opened is None and not run.open_lists and run.pending is not None and not counts_in_run(run) \
            and _with_share(run.pending.parts[-1]) and _with_share(draft):
        # "其中，区直各单位…1397条，占73%。各乡镇…534条，占27%。": parts in parallel, a share each
        run.open_lists.append(run.pending)
    run.pending = None
    current = run.open_lists[-1] if run.open_lists and run.open_lists[-1].depth == draft.depth else None
    if current is not None and current.parts and current.parts[-1].sentence is not draft.sentence \
            and NEW_STATEMENT.search(_left_words(draft)):
        run.open_lists.pop()  # "；通过微博发布各类信息6012条": a new statement, not a further part
        current = None
    if current is not None:
        concept, inferred = _compose(lex, draft.reading, draft.unit, current.total, run)
        draft.concept = concept
        if not _same_unit(current.total.unit, draft.unit):
            if DETAIL.match(_left_words(draft).lstrip("、，,；;")):
                _remember(draft, run)
                return  # "微博29个，共发布信息1992条": a detail of the part before it; the list goes on
            run.open_lists.pop()  # "…概况类信息61条，组织在线访谈24场": something else is said now
            current = None
    if current is not None:
        dimension = _merge_dimension(current.dimension, _dimension(lex, current.total, draft))
        if dimension is not None and not _starts_new_total(draft):
            _as_part(draft, current.total, dimension, inferred)
            current.dimension = dimension
            if current.including:
                draft.scope.add("included")
            current.parts.append(draft)
            if PARTIAL_AFTER.match(text[draft.end:]):
                current.partial = True
            draft.scope.add("subset")
            _remember(draft, run)
            return
        run.open_lists.pop()  # something else is said now: the list has ended
        if current.intro == "其中" and prev is not None and prev.sentence is draft.sentence:
            _orphan_part(draft, current)
    draft.concept, inferred = _compose(lex, draft.reading, draft.unit, None, run)
    if inferred:
        draft.scope.add("inferred")
    if run.subset_after is draft.sentence:
        draft.scope |= {"subset", "split"}
    _remember(draft, run)


def _change_to(draft: _Draft) -> bool:
    """The count is the new level of a change ("由原来的8个增加到现在的16个")."""
    text = draft.sentence.text
    return bool(CHANGE_TO.search(text, _clause_bounds(text, draft.start)[0], draft.start))


def counts_in_run(run: _Run) -> bool:
    return any(d.quantity is not None and d.relation == "count" for d in run.drafts)


def _with_share(draft: _Draft) -> bool:
    """The count is followed by its share ("1397条，占73%")."""
    return bool(re.match(r"\s*[，,、]?\s*(?:约)?占", draft.sentence.text[draft.end:]))


def _left_words(draft: _Draft) -> str:
    return draft.reading.words if draft.reading is not None else ""


def _orphan_part(draft: _Draft, lst: _List) -> None:
    """A figure after 其中 that does not fit the list is still a part of something: never the
    table's whole figure ("其中，…撤销申请1件，因特殊原因电话回复2件")."""
    draft.scope.add("subset")
    row = draft.concept.split(".")[1] if draft.concept.startswith("applications.") and "." in draft.concept else None
    if draft.concept == lst.total.concept or row in FLOW_ROWS:
        draft.scope.add("split")


def _list_total(lex: Lexicon, counts: list[_Draft], draft: _Draft, after_intro: str) -> _Draft | None:
    """The total a list opening before `draft` belongs to: the last count in the same unit, or the
    last count of what the words after 其中 name."""
    candidates = [d for d in counts if _same_unit(d.unit, draft.unit)]
    if not candidates:
        return None
    named = re.sub(r"[\s，,：:]", "", after_intro)
    reading = _read_left(lex, re.sub(r"方面$", "", named), draft.unit) if named else None
    if reading is not None and reading.head is not None:
        for d in reversed(candidates):
            if d.reading is not None and d.reading.head is not None and d.reading.head.id == reading.head.id:
                return d
    return candidates[-1]


_UNIT_EQUIVALENTS = ({"件", "起", "宗", "例"}, {"件", "部"})


def _same_unit(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _UNIT_EQUIVALENTS)


def _merge_dimension(current: str | None, new: str | None) -> str | None:
    """Parts of one list break its total down one way; by office, channel and result may mix (all
    are shares of the processed applications), by column may not."""
    if new is None:
        return None
    if current is None or current == new:
        return new
    if {current, new} <= {"category", "split", "result"}:
        return "category"
    return None


def _bracket_total(text: str, draft: _Draft, run: _Run) -> _Draft | None:
    """The count a bracket follows, when `draft` is the first number inside that bracket
    ("2599条（其中机构职能类信息25条，…）", "3607件（市政府349件、…）")."""
    if draft.depth == 0:
        return None
    depth = 0
    i = draft.start - 1
    while i >= 0:
        ch = text[i]
        if ch in PAREN_CLOSERS:
            depth += 1
        elif ch in PAREN_OPENERS:
            if depth == 0:
                break
            depth -= 1
        i -= 1
    if i < 0:
        return None
    opener = i
    if any(d.sentence is draft.sentence and opener < d.start < draft.start and d.depth == draft.depth
           for d in run.drafts):
        return None  # not the first number in the bracket
    for d in reversed(run.drafts):
        if d.sentence is draft.sentence and d.quantity is not None and d.depth == draft.depth - 1:
            return d if not text[d.end:opener].strip(" \t\u3000，,：:") else None
    return None


def _as_part(draft: _Draft, total: _Draft, dimension: str, inferred: bool) -> None:
    """A part's concept once its list is known: a kind of published information, or a share of its
    total that the lexicon cannot name (by area, channel, subject: "市政府349件"). A part that counts
    the same concept as its total ("split": by office, area or channel) is a share of the table's
    figure, never the figure itself."""
    if total.concept in ("narrative.published", "narrative.published_part"):
        draft.concept = "narrative.published_part"
    elif dimension == "category" and draft.concept == "other" and total.concept != "other":
        draft.concept = total.concept
    if inferred:
        draft.scope.add("inferred")
    if draft.concept == total.concept and draft.concept != "other":
        draft.scope.add("split")


def _starts_new_total(draft: _Draft) -> bool:
    return bool(draft.reading is not None and draft.reading.total_word)


def _remember(draft: _Draft, run: _Run) -> None:
    concept = draft.concept
    if concept == "other":
        return
    run.topic = _head_of(concept) if not concept.startswith("narrative.") else concept
    if concept.startswith("narrative."):
        return
    table = concept.split(".")[0]
    run.last_head[table] = _head_of(concept)
    if table == "applications":
        row = concept.split(".")[1]
        if row in FLOW_ROWS:
            run.last_row = row


def _parts_first(lex: Lexicon, text: str, drafts: list[_Draft], run: _Run) -> None:
    """"政策文件51条，计划规划40条，…，其他类累计信息共计844条": the total after its parts."""
    for i, total in enumerate(drafts):
        if total.reading is None or not total.reading.total_word or "subset" in total.scope or i < 2:
            continue
        if any(lst.total is total for lst in run.lists):
            continue
        parts: list[_Draft] = []
        for d in reversed(drafts[:i]):
            if "other_year" in d.scope:
                continue  # "由2013年的1128条增加到…": last year's figure is not a part
            if "subset" in d.scope or any(lst.total is d for lst in run.lists) or d.depth != total.depth:
                break
            if (d.unit in COUNT_FAMILY) != (total.unit in COUNT_FAMILY) or (d.unit not in COUNT_FAMILY and d.unit != total.unit):
                break
            if _dimension(lex, total, d) is None:
                break
            parts.append(d)
        if len(parts) < 2:
            continue
        parts.reverse()
        if total.concept == "narrative.published_part":
            total.concept = "narrative.published"
        dims = {_dimension(lex, total, d) for d in parts}
        lst = _List(total=total, parts=parts, dimension=dims.pop() if len(dims) == 1 else "category",
                    intro="共计", depth=total.depth)
        lst.partial = bool(re.search(r"等", text[parts[-1].end:total.start]))
        for d in parts:
            _as_part(d, total, lst.dimension, False)
        run.lists.append(lst)


def _distributive(lex: Lexicon, text: str, quantities: list[Quantity]) -> dict[int, _Reading]:
    """"予以公开、部分公开、不予公开分别为10件、5件、3件": each number takes its own name."""
    out: dict[int, _Reading] = {}
    for m in re.finditer(r"分别(?:为|是|有|达|占)?", text):
        after = [q for q in quantities if q.start >= m.end() and q.unit not in RATE_UNITS]
        run = []
        pos = m.end()
        for q in after:
            if re.fullmatch(r"[\s、，,和及与]*", text[pos:q.start]) is None:
                break
            run.append(q)
            pos = q.end
        if len(run) < 2:
            continue
        clause_start, _ = _clause_bounds(text, m.start())
        names = [n for n in re.split(r"[、和及与]", text[clause_start:m.start()]) if n.strip()]
        if len(names) != len(run):
            continue
        for name, q in zip(names, run):
            reading = _read_left(lex, re.sub(r"\s", "", name), q.unit)
            if reading is not None:
                reading.start = q.start  # the name stands apart from its number: the span is the number
                out[q.start] = reading
    return out


def _includes_carried(text: str, draft: _Draft) -> bool:
    """含上年结转 said of this figure: in its own clause or in the bracket right after it."""
    clause_start, _ = _clause_bounds(text, draft.start)
    remark = _bracket_after(text, draft.end)
    own_words = text[clause_start:draft.end] + remark
    if any(w in own_words for w in SCOPE_WORDS["including_carried"]):
        return True
    return bool(re.search(r"上一?年度?[^，。；]{0,6}?结转|\d{4}年度?[^，。；]{0,6}?结转", remark))


def _bracket_after(text: str, pos: int) -> str:
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


# --------------------------------------------------------------------------- percentages


def _percent_claims(lex: Lexicon, text: str, quantities: list[Quantity], drafts: list[_Draft], run: _Run,
                    quoted: bytearray, sentence: Sentence) -> list[_Draft]:
    found: list[_Draft] = []
    counts = sorted(drafts, key=lambda d: d.start)
    previous_end = 0
    for q in quantities:
        if q.unit not in RATE_UNITS or quoted[q.start]:
            previous_end = q.end
            continue
        left, where = _left_context(text, q.start, previous_end)
        previous_end = q.end
        if left.startswith("、"):  # "59件、占45.3%"
            left, where = left[1:], where[1:]
        depth = _depths(text)[q.start]
        before = [d for d in counts if d.end <= q.start and d.depth == depth]
        nearest = before[-1] if before else None
        growth = GROWTH.search(left)
        if growth is None and nearest is not None:
            # "收到申请30件，比上年的20件增长50%": a bare 增长 right after the figures it compares
            plain = GROWTH_PLAIN.match(left)
            if plain and not text[nearest.end:q.start].strip("，,（( ").replace(left, ""):
                growth = plain
        if growth:
            about, base = _growth_terms(before)
            if about is None:
                continue
            direction = "down" if growth.group("dir") in DOWN else "up"
            found.append(_Draft(quantity=q, reading=None, concept=about.concept, relation="growth", value=q.value,
                                unit=q.unit, start=where[0] if where else q.start, end=q.end, sentence=sentence,
                                about=about, base=base, scope={"direction:" + direction}))
            continue
        share = SHARE.match(left)
        bracketed = _count_before_bracket(text, q.start, counts) if not left else None
        if share or bracketed is not None:
            # "42件，占51.85%", or "208件（17.46%）": a share of the count right before it
            if bracketed is not None:
                numerator = bracketed
            else:
                numerator = nearest if nearest is not None and not re.search(
                    r"[。；]", text[nearest.end:q.start]) else None
            if numerator is None or q.unit != "%":
                continue
            denominator = _share_base(lex, share.group("of") if share else "", numerator, run)
            if denominator is None:
                continue
            found.append(_Draft(quantity=q, reading=None, concept=numerator.concept, relation="share",
                                value=q.value, unit="%", start=numerator.start, end=q.end, sentence=sentence,
                                about=numerator, base=denominator))
            continue
        rate = RATE.search(left)
        if rate and q.unit == "%":
            outcome = next((name for name, pattern in RATE_OUTCOMES if pattern.search(rate.group("what"))), None)
            if outcome is None:
                continue
            subject, done = _pair_before(text, before) if outcome == "processed" else (None, None)
            if subject is None:
                subject = _rate_subject(run, drafts)
            if subject is None:
                continue
            found.append(_Draft(quantity=q, reading=None, concept=subject.concept, relation="rate",
                                value=q.value, unit="%", start=where[rate.start()] if where else q.start,
                                end=q.end, sentence=sentence, outcome=outcome, about=subject, base=done))
            continue
        ratio = RATIO.search(left)
        if ratio and q.unit == "倍" and nearest is not None and nearest.concept != "other":
            # "总计2401条，是2013年信息发布总量的1.5倍": against last year's figure stated before
            previous = next((d for d in reversed(run.passage + run.drafts) if "other_year" in d.scope
                             and _same_unit(d.unit, nearest.unit) and d is not nearest), None)
            if previous is not None:
                found.append(_Draft(quantity=q, reading=None, concept=nearest.concept, relation="growth",
                                    value=q.value, unit="倍", start=where[0] if where else q.start, end=q.end,
                                    sentence=sentence, about=nearest, base=previous, scope={"direction:up"}))
    return found


def _pair_before(text: str, before: list[_Draft]) -> tuple[_Draft | None, _Draft | None]:
    """"受理审批事项117件，办结171件，办结率100%": the received and the processed count a rate follows,
    whatever they count, named by their verbs in the same sentence."""
    done = next((d for d in reversed(before) if d.relation == "count" and DONE_VERB.search(_left_words(d))), None)
    if done is None:
        return None, None
    received = next((d for d in reversed(before) if d.relation == "count" and d.end <= done.start
                     and RECEIVED_VERB.search(_left_words(d)) and _same_unit(d.unit, done.unit)), None)
    if received is None or received.concept.startswith("applications."):
        return None, None  # applications: the passage's counts are used (with 结转)
    return received, done


def _count_before_bracket(text: str, pos: int, counts: list[_Draft]) -> _Draft | None:
    """The count a bracket opening right before `pos` follows ("208件（17.46%）")."""
    i = pos - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i < 0 or text[i] not in "（(":
        return None
    return next((d for d in counts if d.end == i or (d.end < i and not text[d.end:i].strip())), None)


def _share_base(lex: Lexicon, named: str, numerator: _Draft, run: _Run) -> _Draft | None:
    """The denominator of "占…%": the numerator's list total, else the total it names ("占全部申请的"),
    else — for a result or an applicant column of table 三 — the passage's processed or received
    count ("答复申请805件…。予以公开及部分公开258件，占33.9%")."""
    for lst in reversed(run.earlier_lists + run.lists):
        if numerator in lst.parts and lst.total is not None:
            return lst.total
    earlier = [d for d in run.passage + run.drafts if d is not numerator and d.relation == "count"
               and "subset" not in d.scope and "other_year" not in d.scope]
    if named:
        reading = _read_left(lex, re.sub(r"^(?:全部|所有|总|全年|本年)", "", named), numerator.unit)
        if reading is not None and reading.head is not None:
            for d in reversed(earlier):
                if d.concept != "other" and _head_of(d.concept) == reading.head.id:
                    return d
        return None
    parts = numerator.concept.split(".")
    if parts[0] == "applications" and len(parts) >= 2:
        wanted = ("applications.total_processed",) if parts[1] not in FLOW_ROWS else \
            (f"applications.{parts[1]}",) if len(parts) == 3 else ()
        for d in reversed(earlier):
            if d.concept in wanted and _same_unit(d.unit, numerator.unit):
                return d
    return None


def _rate_subject(run: _Run, drafts: list[_Draft]) -> _Draft | None:
    """The applications a rate is about: the passage's received (or received and carried) count."""
    for d in reversed(run.passage + run.drafts + [d for d in drafts if d not in run.drafts]):
        if d.relation == "count" and d.concept in ("applications.new_received", "applications.received_total"):
            return d
    return None


def _growth_terms(before: list[_Draft]) -> tuple[_Draft | None, _Draft | None]:
    """(this year's count, last year's when stated) for a growth rate after `before`: "收到申请30件，
    比上年的20件增长50%" → (30, 20); "收办3646件，同比增长1.05%" → (3646, None)."""
    if not before:
        return None, None
    nearest = before[-1]
    if "other_year" in nearest.scope:
        current = next((d for d in reversed(before[:-1]) if "other_year" not in d.scope
                        and d.concept != "other" and d.unit == nearest.unit), None)
        if current is None:
            return None, None
        nearest.concept = current.concept  # last year's figure of the same thing
        return current, nearest
    if nearest.concept == "other":
        return None, None
    return nearest, None


# --------------------------------------------------------------------------- negations and absolutes


def _negations(lex: Lexicon, text: str, quoted: bytearray, drafts: list[_Draft], run: _Run,
               sentence: Sentence) -> list[_Draft]:
    found: list[_Draft] = []
    taken: list[tuple[int, int]] = []

    def add(concept: str, m: re.Match, unit: str = "件") -> None:
        found.append(_Draft(quantity=None, reading=None, concept=concept, relation="none", value=0.0, unit=unit,
                            start=m.start(), end=m.end(), sentence=sentence))

    def free(m: re.Match) -> bool:
        return not quoted[m.start()] and _is_fact(text, m.start()) and not any(a <= m.start() < b for a, b in taken)

    for m in NEGATED_CORRECTED.finditer(text):
        if free(m):
            add(_appeal_group(text, m, drafts, run) + ".corrected", m)
            taken.append(m.span())
    for m in NEGATED_APPEALS.finditer(text):
        if not free(m):
            continue
        _, clause_end = _clause_bounds(text, m.start())
        if CORRECTION_WORDS.search(text, m.start(), clause_end):
            continue  # "未发生行政复议纠错" is about corrections, handled above
        if COSTS.match(text, m.end()):
            continue  # "未产生与诉讼（行政复议）有关的费用支出": about costs, not cases
        span = m.group()
        review, litigation = REVIEW_MENTION.search(span), LITIGATION_MENTION.search(span)
        if review and litigation:
            add("appeals.all", m)  # "未发生行政复议、行政诉讼": neither
        elif review:
            add("appeals.review", m)
        elif litigation:
            add("appeals.litigation", m)
        taken.append(m.span())
    for m in NEGATED_RECEIVED.finditer(text):
        if not free(m):
            continue
        gap = m.group("gap")
        if RECEIVED_GAP_EXCLUDES.search(gap):
            continue
        if gap and not DISCLOSURE_WORDS.search(gap + m.group("target")) and not text.startswith("公开", m.end()):
            continue
        cue = m.group()[:len(m.group()) - len(gap) - len(m.group("target"))]
        if cue in ("没有", "无") and len(gap) > 12 and not re.search(r"接到|收到|接收", gap):
            continue
        add("applications.new_received", m)
    for m in NEGATED_CARRIED_OVER.finditer(text):
        if free(m):
            add("applications.carried_over", m)
    for m in NEGATED_CARRIED_FORWARD.finditer(text):
        if free(m):
            add("applications.carried_forward", m)
    for m in NEGATED_ISSUED.finditer(text):
        if free(m):
            kind = "regulations" if "规章" in m.group("what") else "normative_documents"
            add(f"active.{kind}.issued", m)
    for m in NEGATED_FEES.finditer(text):
        if not free(m):
            continue
        clause_start, clause_end = _clause_bounds(text, m.start())
        if ORDINARY_FEES in text[clause_start:clause_end]:
            continue
        add("fees.collected", m, "元")
    found += _absolutes(lex, text, quoted, drafts, run, sentence)
    return found


def _appeal_group(text: str, m: re.Match, drafts: list[_Draft], run: _Run) -> str:
    """The appeals group a statement about corrections is about: named in its clause, else the
    passage's last appeals count; 败诉 alone is about lawsuits; both named → both."""
    clause_start, _ = _clause_bounds(text, m.start())
    words = text[clause_start:m.end()]
    review, litigation = bool(REVIEW_MENTION.search(words)), bool(LITIGATION_MENTION.search(words))
    if review and litigation:
        return "appeals.all"
    if review:
        return "appeals.review"
    if litigation or "败诉" in m.group():
        return "appeals.litigation"  # 败诉 is lost lawsuits; a reconsideration is 纠错
    before = [d for d in drafts if d.end <= m.start() and d.concept.startswith("appeals.")]
    groups = {_head_of(d.concept) for d in before if d.relation == "count"}
    if len(groups) == 1:
        return groups.pop()
    if len(groups) > 1:
        return "appeals.all"
    if "败诉" in m.group():
        return "appeals.litigation"
    if run.last_head.get("appeals"):
        return run.last_head["appeals"]
    return "appeals.all"


def _absolutes(lex: Lexicon, text: str, quoted: bytearray, drafts: list[_Draft], run: _Run,
               sentence: Sentence) -> list[_Draft]:
    """"均获维持", "所有申请均已办结", "均已审结": every case of the subject had one outcome."""
    found: list[_Draft] = []
    for m in lex.all_words.finditer(text):
        if quoted[m.start()] or not _is_fact(text, m.start()):
            continue
        for absolute in lex.absolutes:
            o = re.compile(ABSOLUTE_GAP + f"(?:{absolute.pattern.pattern})").match(text, m.end())
            if not o:
                continue
            if absolute.outcome in ("upheld", "decided"):
                subjects = _appeal_subjects(text, m.start(), drafts, run)
                # "满意度均维持在98%": 维持 names an appeal result only where a case is named
                if not subjects:
                    break
            else:
                subjects = _application_subjects(text, m.start(), drafts, run)
                if not subjects:
                    break
            if set(subjects) >= {"appeals.review", "appeals.litigation"}:
                subjects = ["appeals.all"]
            for concept in subjects:
                found.append(_Draft(quantity=None, reading=None, concept=concept, relation="all", value=None,
                                    unit="", start=m.start(), end=o.end(), sentence=sentence,
                                    outcome=absolute.outcome))
            break
    return found


def _appeal_subjects(text: str, pos: int, drafts: list[_Draft], run: _Run) -> list[str]:
    clause_start, _ = _clause_bounds(text, pos)
    words = text[clause_start:pos]
    named = []
    if REVIEW_MENTION.search(words):
        named.append("appeals.review")
    if LITIGATION_MENTION.search(words):
        named.append("appeals.litigation")
    if named:
        return named
    # The counts of the same sentence right before it: "行政复议2件、行政诉讼1件，均获维持".
    before = [d for d in drafts if d.end <= pos and d.relation == "count"]
    groups: list[str] = []
    for d in reversed(before):
        if not d.concept.startswith("appeals."):
            break
        head = _head_of(d.concept)
        if d.concept == head and head not in groups:
            groups.insert(0, head)
    if groups:
        return groups
    if text.startswith("原", pos + 1) or re.match(r"[^，。；]{0,4}原(?:答复|行政行为)", text[pos:]):
        last = run.last_head.get("appeals")
        return [last] if last else []
    return []


def _application_subjects(text: str, pos: int, drafts: list[_Draft], run: _Run) -> list[str]:
    clause_start, _ = _clause_bounds(text, pos)
    words = text[clause_start:pos]
    if re.search(r"申请", words) and not re.search(r"复议|诉讼", words):
        for d in reversed([d for d in drafts if d.end <= pos]):
            if d.concept in ("applications.new_received", "applications.received_total"):
                return [d.concept]
        return ["applications.new_received"]
    depth = _depths(text)[pos]
    before = [d for d in drafts if d.end <= pos and d.relation == "count" and d.depth == depth]
    if before and before[-1].concept in ("applications.new_received", "applications.received_total",
                                         "applications.total_processed"):
        return [before[-1].concept]
    return []

