"""What a number counts, read from the words around it with the lexicon (rules/concepts.yaml).

The words give a head (申请, 行政复议, 规范性文件 …), a row (收到 → 本年新收, 办结 → 办理结果总计 …) and a
column (自然人, 结果纠正 …); `compose` turns them, with what the list or the passage supplies, into a
concept id.
"""

from __future__ import annotations

import re
from copy import copy
from functools import lru_cache

from auditor.nlp.claims.state import FLOW_ROWS, Draft, Match, RATE_UNITS, Reading, Run, head_of, result_group, same_unit
from auditor.nlp.claims.text import clause_bounds, right_context, span_in_right
from auditor.nlp.lexicon import Head, Lexicon
from auditor.nlp.quantities import Quantity


# Words before a number that leave it unnamed, so that a table head after it names it ("另有3件…"; an
# item after 、: "收到1件行政复议、1件行政诉讼").
RIGHT_READING_LEFT = re.compile(r"(?:^|^、|有|^其中[：:，,]?|^另|^还|^剩余|^剩下|^共|^以上|^上述|^该|^这|^此外|(?:发生|出现|涉及)的?)$")

# Words after a number that name the thing counted: "8份政府信息公开申请", "1件涉及…的行政复议".
RIGHT_GAP = r"(?:[^，。；：！？\d]{0,16}?的)?"

# Before a table head the words after a number may also be a short modifier: "26份政府信息依申请公开件".
# "收到187个申请人提出的…申请583件": a count of people, whatever their clause goes on to name.
PEOPLE_AFTER = re.compile(r"\s*(?:申请人|当事人|群众|人员|市民|居民|企业)")
# "接收18个单位的政府公开信息", "归集20个部门文件", "督促13个县市区政府…": what 个 counts is the
# body named right after it (家 counts bodies always: "公开25家单位行政执法信息"), not information.
BODIES_AFTER = re.compile(r"\s*[^，。；：！？\d的]{0,4}?(?:单位|部门|科室|社区|乡镇|街道|村|县市区|县区|区县|政府(?!文件|信息|公报|网站|规章)"
                          r"|主体|机构|委办局|企业)")

RIGHT_GAP_TABLE = r"(?:[^，。；：！？\d]{0,16}?的|[^，。；：！？\d]{0,10}?)?"

# Words after a number up to the end of its noun phrase, and how far into them a narrative head may
# start ("3个市级政府信息公开查阅中心", "29条信息公开目录信息").
NOUN_PHRASE = re.compile(r"[^，。；：！？、\d（(]{0,24}")
RIGHT_NARRATIVE_GAP = 12

# Words of a total given after its parts: "…，其他类累计信息共计844条".
PARTS_FIRST_TOTAL = re.compile(r"(?:共计|合计|总计|总共|累计共|以上共|共)")

PUBLISH_VERB = re.compile(r"公开|发布|公布|汇编|梳理")

# The report's overall total of published information, as opposed to one kind or channel of it
# (a list total is overall too).
OVERALL_PUBLISHED = re.compile(r"主动公开|主动发布|各类|各项|法定主动|共计|总计|合计|总数")

# What makes a published figure one channel's, one unit's or one kind's: "通过网站主动公开信息1056条",
# "县直各单位主动公开政府信息303条", "其他应主动公开信息4条", "公示各类行政处罚案件信息56条".
ONE_PART_OF_PUBLISHED = re.compile(
    r"通过|利用|依托|向[^，。；]{1,16}(?:网|平台|号)|在[^，。；]{1,16}(?:网|平台|号|微博|专栏|栏目|APP|客户端)"
    r"|(?:网|网站|平台|公众号|订阅号|微信|微博|新媒体|媒体|APP|专栏|栏目)(?:上)?(?:共|累计)?(?:主动)?(?:公开|发布|推送|编发|刊发|更新)"
    # (?<![^，。；]): from the start of its clause only (see lists.KIND_OF_INFORMATION)
    r"|各单位|各乡镇|各部门|县直|区直|市直|公开办|本级|其他应?|(?<![^，。；])[^，。；]{2,}(?<!各)类|案件|领域|动态|采购|项目")


PERSON_UNITS = frozenset({"名", "人", "位"})


# Information sent to or taken up by another body ("向上级报送工作动态信息79条", "被省级媒体采用41条"),
# and a catalogue's entries that were not published ("作为依申请公开信息数46条", "不予公开信息数8条").
# (报送 to a website is publishing there: "上报市政府网站信息187条"; 录用 of staff is a kind of
# information published: "招考录用等其他信息1148条", "公务员录用公示"; nor is the report on proposals
# taken up: "建议提案办理总体情况和吸收采纳情况1条".)
SENT_ELSEWHERE = re.compile(r"(?:报送|上报)(?![^，。；]{0,10}(?:网|平台|公众号|微信|微博))|采用|(?<!吸收)采纳(?!情况)"
                            r"|(?<!招考)(?<!招聘)(?<!考试)(?<!公务员)(?<!人员)(?<!拟)录用(?!公示|人员|名单|信息)")
# Information open on request or withheld, not published: "依申请公开信息46条", "作为依申请公开文件50条",
# "不予公开文件97条", "不公开文件96件", "免予公开的公文类信息80条".
NOT_PUBLISHED_ENTRIES = re.compile(r"(?:作为依申请公开(?:的)?(?:政府)?(?:信息|文件)(?:数)?|依申请公开(?:政府)?(?:信息|文件)数?"
                                   r"|(?:不予|免予|不)公开(?:的)?[^，。；\d]{0,6}?(?:信息|文件|公文)(?:数)?)[^，。；]{0,4}$")
# Issues of a bulletin and meetings held are counted, not items of information ("发布重点项目简报5期",
# "市政府常务会议24期"); "常务会议信息47条", "县政府常务会议4件" are information. (A gazette's issues,
# "编印《政府公报》12期", are read as published by some and not by others: left as they are.)
ISSUES_AND_MEETINGS = re.compile(r"简报|专刊|会议")
TIMES_AND_ISSUES = frozenset({"次", "场", "期"})


def not_published_here(reading: Reading, unit: str) -> bool:
    """A figure read as published information that counts something else."""
    words = reading.words + reading.fill
    if SENT_ELSEWHERE.search(words) or NOT_PUBLISHED_ENTRIES.search(words):
        return True
    named = reading.words[reading.start:]
    return unit in TIMES_AND_ISSUES and ISSUES_AND_MEETINGS.search(named) is not None


# Every channel at once: "通过各类媒体渠道公开政府信息532条", or the channels enumerated ("通过温州教育网、
# 温州教育微信、市政府信息公开平台等已主动公开信息1727条") is the total, not one channel's part.
ALL_CHANNELS = re.compile(r"(?:通过|利用|依托|在)(?:(?:各类|各种|多种|各个|所有|全部)[^，。；\d]{0,6}?"
                          r"(?:渠道|平台|媒体|途径|方式|载体|阵地)"
                          r"|(?P<listed>[^，。；\d]{2,60}?、[^，。；\d]{2,60}?)等(?:[^，。；\d]{0,4}?"
                          r"(?:渠道|平台|媒体|途径|方式|载体|阵地))?)(?:上)?")
# …where each item named is a channel (not "在政策文件、工作动态等方面", kinds), the website among
# them and another kind too ("通过学校官方微博、官方微信等发布信息1500余条" is the social media's part).
CHANNEL_ITEM = re.compile(r"网|平台|微信|微博|公众号|媒体|客户端|APP|公开栏|公示栏|电视|广播|报|号")
WEBSITE_ITEM = re.compile(r"网|平台|门户")


def every_channel(words: str) -> re.Match | None:
    """Words naming every channel at once (ALL_CHANNELS), if the figure's words have them."""
    for m in ALL_CHANNELS.finditer(words):
        listed = m.group("listed")
        if listed is None:
            return m
        items = listed.split("、")
        websites = [item for item in items if WEBSITE_ITEM.search(item)]
        if all(CHANNEL_ITEM.search(item) for item in items) and 0 < len(websites) < len(items):
            return m
    return None


def is_overall(words: str) -> bool:
    """The report's total of information published, not one channel's, unit's or kind's."""
    every = every_channel(words)
    if every is not None:
        return not ONE_PART_OF_PUBLISHED.search(words[:every.start()] + words[every.end():])
    return bool(OVERALL_PUBLISHED.search(words)) and not ONE_PART_OF_PUBLISHED.search(words)


# Content counted in 条/篇 on a platform is what was published there ("共发布微博1288条").
# A processed count qualified by timeliness is a part of the processed ones.
TIMELY = re.compile(r"(?:按时|按期|延期|逾期|超期|及时|限期内)(?:办结|答复|办理|处理|回复)[^，。；]{0,4}$")
# 办理/处理 alone may count the applications handled (the workload) rather than those finished.
HANDLED_WORDS = frozenset({"办理", "处理"})
BARE_APPLICATION = re.compile(r"申请(?:书|件)?")
# A count of documents published so far, not this year's: the 2019 layout's 对外公开总数量.
CUMULATIVE = re.compile(r"累计|截至|截止|至今|总数")
# "本年度累计主动公开…，累计发布规范性文件0件": a sentence whose 累计 is said of the year adds up the
# year — not "本年新制作…2件，对外公开规范性文件累计19件", the year's beside the stock.
YEAR_TOTAL = re.compile(r"(?:本年度?|今年|全年|年内)(?:共|共计)?累计")
STOCK_SINCE = re.compile(r"截至|截止|至今|以来|历年|总数")
# A sentence about administrative approvals or services, where a bare 申请 is one of those.
OTHER_APPLICATIONS = re.compile(r"审批|许可|办件|窗口|政务服务|服务事项|办事")
DISCLOSURE_APPLICATIONS = re.compile(r"信息公开|依申请|政府信息|公开申请|申请公开")
BARE_PUBLISH_VERB = re.compile(r"(?:主动)?(?:公开|发布|公布|推送|编发|更新|转载)")
CONTENT_UNITS = frozenset({"条", "篇"})
# Narrative concepts that count things done, not kinds of information.
ACTIVITIES = frozenset({"narrative.press_conference", "narrative.training"})

VERB_ROWS = frozenset({"new_received", "total_processed", "decisions", "published", "collected"})


def lexicon_matches(lex: Lexicon, phrase: str) -> list[Match]:
    """Every lexicon word in the phrase (heads, narrative heads, rows, columns), overlaps included."""
    cached = lex.matches_cache.get(phrase)
    if cached is None:
        if len(lex.matches_cache) > 50_000:
            lex.matches_cache.clear()
        cached = lex.matches_cache[phrase] = tuple(_scan_lexicon(lex, phrase))
    return list(cached)  # the matches are read, never changed


def _scan_lexicon(lex: Lexicon, phrase: str) -> list[Match]:
    found = [Match(entry.kind, entry.key, entry.table, start, end, entry.priority)
             for entry in lex.entries.called_for(phrase) for start, end in entry.scan.spans(phrase)]
    # A narrative word, or a word of table 二 or of fees, inside a longer word of table 三 or 四 is
    # part of it: "公开" in "部分公开", "信息" in "过程性信息".
    strong = [m for m in found if m.kind == "head" or m.table in ("applications", "appeals")]
    return [m for m in found
            if not ((m.kind == "narrative" or m.table in ("active", "fees"))
                    and any(o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
                            for o in strong))]


KIND_RANK = {"head": 0, "row": 1, "column": 2, "narrative": 3}


# What may stand between a result of table 三 and the number when the result is said of information.
INFORMATION_AFTER_RESULT = re.compile(r"(?:的)?(?:相关)?(?:的)?(?:政府)?信息")


def _narrower_before(matches: list, phrase: str, anchor):
    """"经复议后起诉的行政诉讼0件", "直接起诉的行政诉讼1件": a narrower head of the anchor's own family
    (its id extends the anchor's) joined to it by 的 says which part of it is counted."""
    narrower = [m for m in matches if m.kind == "head" and m.key != anchor.key and m.key.startswith(anchor.key)
                and m.end <= anchor.start and phrase[m.end:anchor.start] == "的"]
    return max(narrower, key=lambda m: m.end - m.start) if narrower else anchor


def read_left(lex: Lexicon, phrase: str, unit: str) -> Reading | None:
    """Read the clause words before a number. None when no lexicon word ends where the fill words
    before the number start (the phrase names something unknown)."""
    fill = lex.fill.search(phrase)
    core_end = fill.start() if fill else len(phrase)
    reading = Reading(total_word=bool(PARTS_FIRST_TOTAL.search(phrase[core_end:]))
                       or bool(re.search(r"(?:共计|合计|总计|总共)$", phrase[:core_end])))
    matches = lexicon_matches(lex, phrase[:core_end])
    ending = [m for m in matches if m.end == core_end]
    if not ending:
        return None
    # Of the words ending right before the number, the longest; a row of table 二 or of fees ("办理",
    # "收取") only where nothing of table 三 or 四 reads the same.
    anchor = _kind_published(matches, phrase, ending) or min(
        ending, key=lambda m: (-(m.end - m.start), KIND_RANK[m.kind],
                               m.table not in (None, "applications", "appeals"), m.priority))
    reading.known = True
    if anchor.kind == "narrative" and phrase[anchor.start:anchor.end] == "文件":
        # "…规范性文件17件、宣布废止失效文件8件": a row of table 二 right before a bare 文件 counts
        # documents of that row; which kind is the sentence's (inherited, or named in it)
        row = next((m for m in matches if m.kind == "row" and m.table == "active" and m.end == anchor.start
                    and m.key in ("issued", "repealed", "in_force")), None)
        if row is not None:
            anchor = row
    if anchor.kind == "narrative" and anchor.key in ("narrative.published", "narrative.published_part"):
        # "不予公开信息5条", "本机关不掌握相关政府信息11条", "按规定予以公开信息9条": a result of table 三
        # named before the bare word for information counts applications with that result — not 予以公开,
        # which is as often said of information published on the body's own initiative
        result = [m for m in matches if m.kind == "row" and m.table == "applications"
                  and m.key not in VERB_ROWS and m.key != "granted"
                  and m.start < anchor.start <= m.end
                  and INFORMATION_AFTER_RESULT.fullmatch(phrase[m.end:core_end])]
        if result:
            anchor = max(result, key=lambda m: (m.end - m.start, -m.priority))
            reading.of_information = True
    if anchor.kind == "narrative":
        reading.head = lex.head_by_id[anchor.key]
        reading.start = anchor.start
        reading.words = phrase[:core_end]
        reading.fill = phrase[core_end:]
        return reading
    # The table head: the anchor itself, or the nearest head before it whose table has the anchor's
    # row or column ("行政复议纠正1件", "新收申请中自然人42件").
    if anchor.kind == "head":
        head_match = _narrower_before(matches, phrase, anchor)
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
    reading.head_words = phrase[head_match.start:head_match.end] if head_match else ""
    table = head.table if head else anchor.table
    if head_match is not None:  # "依申请公开办理事项": 办理 is part of the head's words
        matches = [m for m in matches if m is head_match or m.kind == "head"
                   or m.end <= head_match.start or m.start >= head_match.end]
    if head is not None and head.table == "appeals":
        table = "appeals"
    # Rows and columns of that table anywhere in the clause words: the first row in the lexicon's
    # order wins; of the columns, the one nearest the number.
    rows = [m for m in matches if m.kind == "row" and m.table == facet_table(table, head)]
    cols = [m for m in matches if m.kind == "column" and m.table == facet_table(table, head)]
    if rows:
        reading.row = combined_rows(rows, phrase, core_end) or pick_row(rows, phrase)
        if reading.row == "total_processed" and head_match is not None and received_around(rows, head_match):
            reading.row = "new_received"
        reading.row_word = next((phrase[m.start:m.end] for m in reversed(rows) if m.key == reading.row), "")
    if cols:
        keys = {m.key for m in cols}
        # "公民、法人和其他组织向本机关提出的申请": every applicant, no one column
        if not ("natural_person" in keys and keys & {"legal_person", "other_org", "commercial"}):
            reading.column = max(cols, key=lambda m: (m.end, m.end - m.start, -m.priority)).key
    reading.head = head
    reading.table = table  # a facet without a head: the caller inherits the head of this table
    if head is None and anchor.key in VERB_ROWS:
        # "人大代表建议和答复0件": a bare verb after another thing named is about that thing
        # (a verb of publishing is no thing: "公开答复191件" is applications answered)
        narrative = [m for m in matches if m.kind == "narrative" and m.end <= anchor.start
                     and m.key != "narrative.published" and not BARE_PUBLISH_VERB.fullmatch(phrase[m.start:m.end])]
        if narrative:
            reading.narrative = max(narrative, key=lambda m: m.end).key
    first = min([anchor.start] + [m.start for m in rows + cols] + ([head_match.start] if head_match else []))
    reading.start = first
    reading.words = phrase[:core_end]
    reading.fill = phrase[core_end:]
    return reading


# A kind of thing published named right before the verb or the generic noun that ends the phrase:
# "解读类信息发布21条", "解读政策文件21件", "发布政策解读类信息11条" count interpretations.
PUBLISHED_KINDS = frozenset({"narrative.interpretation"})
PUBLISHED_NOUN_GAP = re.compile(r"(?:类)?(?:的)?(?:信息|稿件|材料|文章|内容)?")


def _kind_published(matches: list[Match], phrase: str, ending: list[Match]) -> Match | None:
    """A kind of content named right before the verb of publishing or the generic noun of published
    information that ends the phrase: that kind is what the number counts."""
    for word in ending:
        if not (word.key in ("narrative.published", "narrative.published_part")
                or (word.kind == "row" and word.table == "active" and word.key == "published")):
            continue
        kinds = [m for m in matches if m.kind == "narrative" and m.key in PUBLISHED_KINDS and m.end <= word.start
                 and PUBLISHED_NOUN_GAP.fullmatch(phrase[m.end:word.start])]
        if kinds:
            return max(kinds, key=lambda m: m.end)
    return None


RESULT_ROWS = frozenset({"granted", "partly_granted", "withheld", "unable", "declined", "other"})


def combined_rows(rows: list[Match], phrase: str, core_end: int) -> str | None:
    """"不予公开和无法提供共15件": two or more result groups counted together, "withheld+unable"."""
    ending = [m for m in rows if m.key in RESULT_ROWS and m.end == core_end]
    if not ending:
        return None
    chain = [ending[0]]
    while True:
        before = [m for m in rows if m.key in RESULT_ROWS and m.end <= chain[0].start
                  and re.fullmatch(r"(?:的)?(?:和|及|与|、|或|以及|或者)", phrase[m.end:chain[0].start])]
        if not before:
            break
        chain.insert(0, max(before, key=lambda m: m.end))
    keys = [m.key for m in chain]
    if len(set(keys)) < 2 or any(m.end == core_end and m.start <= chain[0].start and m.key not in keys for m in rows):
        return None  # one group, or a word of the lexicon that names the two together ("予以公开及部分公开")
    return "+".join(keys)


def received_around(rows: list[Match], head: Match) -> bool:
    """"接收依申请信息公开办理52件", "接到依申请公开办理3件": received, said with the head between the
    verb of receiving and the word for handling, is what the number counts (not "收到的申请…办结8件")."""
    received = any(m.key == "new_received" and m.end == head.start for m in rows)
    handled_next = any(m.key == "total_processed" and m.start == head.end for m in rows)
    return received and handled_next


def pick_row(rows: list[Match], phrase: str) -> str:
    """A specific row (a result, 结转, 收办) wins over a plain verb (收到, 办结); of several, the one
    nearest the number ("…办理依申请公开…共受理申请21件" counts received applications) — but an item of
    a group named before the group is that item ("属于三类内部事务信息不予公开的1件"), unless 等 makes
    it an example ("因本机关不掌握等原因无法提供564件" is the whole 无法提供 group)."""
    specific = [m for m in rows if m.key not in VERB_ROWS]
    if not specific:
        return max(rows, key=lambda m: (m.end, m.end - m.start)).key
    nearest = max(specific, key=lambda m: (m.end, m.end - m.start, -m.priority))
    items = [m for m in specific if m.key.startswith(nearest.key + "_") and m.end <= nearest.start
             and "等" not in phrase[m.end:nearest.start]]
    # one item named: that item; several ("不掌握…或没有现成信息…或申请内容不明确无法提供的33件"): the group
    return items[-1].key if len({m.key for m in items}) == 1 else nearest.key


def facet_table(table: str | None, head: Head | None) -> str | None:
    if head is None:
        return table
    if head.table in ("active",):
        return "active"
    return head.table


# Work done for or through other bodies: their applications, not the body's own.
FOR_OTHERS = re.compile(r"协助|协办|指导|督促|督办|帮助")


# "8件办理结果为…": the result of the applications counted, named after the number.
RESULT_IS = re.compile(r"[^，,。；;\d]{0,4}?(?:办理|答复|处理)?结果(?:为|是)")
# "1件按无法提供办结": the result it was closed as.
RESULT_AS = re.compile(r"(?:按|以|作为?)(?:照)?(?=[^，,。；;\d]{2,16}?(?:办结|处理完毕|答复|结案))")


# Words that make a count of 行政许可/处罚 in 项 one of cases decided, not of matters listed.
DECIDED = re.compile(r"决定|办理|办结|作出|做出|受理|实施|审批|查处|新增(?![^，。；]{0,8}事项)")  # not "新增…事项": listed
# A number followed by the predicate that it was processed: "33件已办结", "10件已经按时按规完成答复".
# (the manner may be long: "19件已按照规定时限和程序依法依规进行了答复")
PROCESSED_AFTER = re.compile(r"[^，,。；;\d]{0,2}?(?:(?:已经?|均已|均|全部)[^，,。；;\d不未尚待]{0,18}?|(?=按时|按期|及时))"
                             r"(?:按时|按期|依法|及时)?(?:按规)?(?:完成|予以|给予|作出|进行了?)?"
                             r"(?:办结|答复|办理完毕|处理完毕|答复完毕)")
# "4件为不予公开", "1件属于不予处理": a result of table 三 named right after the number.
RESULT_NAMED = re.compile(r"(?:为|是|属于)")


# The clause of the words after a number, and 公开 as a result named after it (read_right).
CLAUSE_RIGHT = re.compile(r"[^，,。；;：:！？]*")
PUBLISHED_RESULT = re.compile(r"(?:主动|依申请)?公开")
HEAD_AFTER_GAP = RIGHT_GAP_TABLE + "(?P<named>"


@lru_cache(maxsize=None)  # a lexicon's few hundred heads and rows, each with a few fixed wrappings
def _compiled(before: str, words: str, after: str) -> re.Pattern:
    """A lexicon pattern's words with a fixed pattern before and after, compiled once: read_right
    tries every head and row of the lexicon on each number of a report (hundreds of calls), and
    re.match(f"...") formatted the pattern, hashed it and looked it up in re's cache each time.
    Compiled without flags, as re.match(string) did."""
    return re.compile(before + words + after)


# A noun between a figure and a result of table 三 that names what was counted: "23项内容分别予以公开"
# counts items of content published, not applications granted.
CONTENT_NAMED = re.compile(r"内容|事项|栏目|条目|方面")


# The next of paired appeal items, each figure with its own kind: "…、49件行政诉讼…".
SIBLING_APPEAL = re.compile(r"、\s*\d+\s*[件起宗例]\s*(?:行政复议|行政诉讼|复议|诉讼)")


def result_of_paired_items(lex: Lexicon, text: str, end: int) -> str | None:
    """"140件行政复议、49件行政诉讼获维持": the result said once after the last of paired items, each
    figure with its own kind, is each one's."""
    sibling = SIBLING_APPEAL.match(text, end)
    if sibling is None:
        return None
    after = CLAUSE_RIGHT.match(text, sibling.end()).group()[:12]
    return next((facet.key for facet in lex.columns["appeals"]
                 if _compiled("", facet.pattern.pattern, "").search(after)), None)


def read_right(lex: Lexicon, right: str) -> tuple[Reading, int] | None:
    """Words after the number that name it: a table head ("8份政府信息公开申请"), a 结转 row in its
    clause ("3件结转下年度办理"), or a narrative head ending the noun phrase ("3个市级政府信息公开查阅
    中心"). Returns the reading and how many characters of `right` it covers."""
    cache = lex.readings_after_cache
    held = cache.get(right)
    if held is None:
        if len(cache) > 50_000:
            cache.clear()
        held = cache[right] = (_read_right(lex, right),)
    found = held[0]
    if found is None:
        return None
    # the caller completes the reading it is given (row, start, table): its own copy, the kept one unchanged
    reading, length = found
    return copy(reading), length


def _read_right(lex: Lexicon, right: str) -> tuple[Reading, int] | None:
    best: tuple[Reading, int] | None = None
    best_key = None
    for head in lex.heads:
        m = _compiled(HEAD_AFTER_GAP, head.pattern.pattern, ")").match(right)
        # the nearest head, and of heads starting there the longest ("1宗复议后诉讼…" is 复议后起诉, not 复议)
        key = (m.start("named"), -m.end("named")) if m else None
        if m and (best_key is None or key < best_key):
            best, best_key = (Reading(head=head, known=True, head_words=m.group("named")), m.end()), key
    for facet in lex.rows["applications"]:
        if facet.key not in ("carried_forward", "carried_over"):
            continue
        m = _compiled("^[^，。；：！？]{0,20}?(?:", facet.pattern.pattern, ")").search(right)
        if m:
            reading = best[0] if best else Reading(known=True)
            reading.row = facet.key
            reading.table = "applications"
            return reading, max(m.end(), best[1] if best else 0)
    clause = CLAUSE_RIGHT.match(right).group()
    if best is not None:
        reading, length = best
        if reading.head.table == "applications":
            # "2件由申请人主动撤销申请": what became of them, said before the word for applications
            for facet in lex.rows["applications"]:
                if facet.key not in FLOW_ROWS and _compiled("", facet.pattern.pattern, "").search(right[:length]):
                    reading.row, reading.table = facet.key, "applications"
                    break
        if reading.head.table == "applications" and reading.column is None:
            # "4件为自然人申请，1件为科研机构申请", "1份自然人递交的…申请": who applied, said between
            # the number and its head
            for facet in lex.columns["applications"]:
                gap = right[:length]
                if _compiled("(?:为|由|是|系|来自)(?:", facet.pattern.pattern, ")").search(gap) \
                        or _compiled("^(?:", facet.pattern.pattern, ")(?:递交|提交|提出)").match(gap):
                    reading.column = facet.key
                    break
        if reading.head.table == "appeals":
            # "1件被复议机关撤销答复书中部分答复内容", "2件正在复议机关审理中": the result later in the clause
            for facet in lex.columns["appeals"]:
                m = _compiled("", facet.pattern.pattern, "").search(clause[length:length + 12])
                if m:
                    reading.column = facet.key
                    reading.table = "appeals"
                    return reading, length + m.end()
        return best
    result = RESULT_IS.match(clause) or RESULT_AS.match(clause)
    if result is not None:
        # "8件办理结果为本机关不掌握相关政府信息", "另外5件办理结果为其他处理": the result named after
        # the number, any row of table 三's results (公开 alone, "主动公开", is 予以公开)
        rest = clause[result.end():]
        for facet in lex.rows["applications"]:
            if facet.key in FLOW_ROWS:
                continue
            m = _compiled("[^，,。；;]{0,8}?(?:", facet.pattern.pattern, ")").match(rest)
            if m:
                return Reading(known=True, row=facet.key, table="applications"), result.end() + m.end()
        m = PUBLISHED_RESULT.match(rest)
        if m:
            return Reading(known=True, row="granted", table="applications"), result.end() + m.end()
    named = RESULT_NAMED.match(clause)
    if named is not None:
        for facet in lex.rows["applications"]:
            if facet.key in FLOW_ROWS:
                continue
            m = _compiled("[^，,。；;]{0,4}?(?:", facet.pattern.pattern, ")").match(clause[named.end():])
            if m:  # "处理结果4件为不予公开，1件为不予处理"
                return Reading(known=True, row=facet.key, table="applications"), named.end() + m.end()
    for facet in lex.rows["applications"]:
        # "其中1件因涉及第三方合法权益，1件属于政府内部事务信息": 予以公开, 部分公开 or a reason of
        # table 三 in the clause (a group's own word, "不予公开", is left to the readings below)
        if facet.key == "granted" or ("_" in facet.key and result_group(facet.key) not in (None, "granted")):
            m = _compiled("^([^，,。；;]{0,6}?)(?:", facet.pattern.pattern, ")").search(clause)
            if m and not CONTENT_NAMED.search(m.group(1)):
                return Reading(known=True, row=facet.key, table="applications"), m.end()
    for facet in lex.rows["applications"]:
        # "2项不予公开，3项予以公开": a group's own word right after the number, ending the clause —
        # not "3条不予公开信息" (entries withheld from a catalogue)
        if facet.key in RESULT_ROWS and facet.key != "granted":
            m = _compiled("^(?:", facet.pattern.pattern, ")(?=\\s*(?:[，,。；;）)]|$))").match(clause)
            if m:
                return Reading(known=True, row=facet.key, table="applications"), m.end()
    m = PROCESSED_AFTER.match(clause)
    if m:  # "其中33件已办结", "其中10件已经按时按规完成答复": those processed
        return Reading(known=True, row="total_processed", table="applications"), m.end()
    for facet in lex.columns["appeals"]:
        m = _compiled("^(?:", facet.pattern.pattern, ")").match(right)
        if m:  # "3件行政复议案件，1件结果维持，2件结果纠正"
            return Reading(known=True, column=facet.key, table="appeals"), m.end()
    candidates = []
    noun_phrase = NOUN_PHRASE.match(right).group()  # up to a clause mark or the next figure
    for head in lex.narrative:
        for start, end in head.scan.spans(noun_phrase):
            named = noun_phrase[start:end]
            reach = RIGHT_NARRATIVE_GAP + (4 if "的" in noun_phrase[:start] else 0)
            if start <= reach and not BARE_PUBLISH_VERB.fullmatch(named):
                # a noun after the number names it; a verb there ("20多家预算部门都已对外公布") does not
                candidates.append((end, head))
    if candidates:
        end, head = max(candidates, key=lambda c: c[0])  # the noun that ends the phrase names it
        if ACTIVITY_AFTER.search(noun_phrase[end:]):
            return None  # "4次政府信息公开栏目全覆盖检查": inspections of the platform, not platforms
        return Reading(head=head, known=True, words=right[:end]), end
    return None


# An action noun ending the phrase after a narrative head: the number counts those actions.
ACTIVITY_AFTER = re.compile(r"(?:检查|督查|巡查|抽查|培训|调研|评估|考核|测评|通报|演练)$")


def _up_to_the_figure(sentence: str, reading: Reading) -> str:
    """The sentence up to the figure the reading is of (and the head word right after it)."""
    words = reading.words or reading.head_words
    at = sentence.find(words) if words else -1
    return sentence if at < 0 else sentence[:at + len(words) + len(reading.fill) + 12]


def _of_the_year(reading: Reading, run: Run) -> bool:
    """The count's 累计 adds up the year: its sentence, up to the figure, says 累计 of the year
    (本年度累计, 今年累计, 全年累计…) and names no date or start a stock runs from (截至, 以来, 历年…)."""
    said = _up_to_the_figure(run.current_sentence.text if run.current_sentence else "", reading)
    return YEAR_TOTAL.search(said) is not None and STOCK_SINCE.search(said + reading.words + reading.fill) is None


# Calls for comment and surveys (意见征集, 征求意见, 网上调查) counted as campaigns held.
SOLICITATION = re.compile(r"征集|征求|调查")
CAMPAIGN_UNITS = TIMES_AND_ISSUES | {"轮"}


def compose(lex: Lexicon, reading: Reading | None, unit: str, inherit: Draft | None,
             run: Run) -> tuple[str, str | None]:
    """(concept, hedge) of a number from its reading, what it inherits (the total of its list) and
    the passage it is in. The hedge is a scope word when part of the concept is uncertain:
    "inferred" — which row of table 三 was guessed ("政府信息公开申请30件"), never compared with the
    table; "published" — documents 公开/发布 may include older ones, so a mismatch is only a note."""
    if reading is None or not reading.known:
        return "other", None
    head = reading.head
    table = reading.table or (head.table if head else None)
    if head is not None and head.table is None:  # a narrative head
        if head.id in ("narrative.published", "narrative.published_part") and not_published_here(reading, unit):
            return "other", None
        if head.id in ("narrative.published", "narrative.published_part") and unit in PERSON_UNITS:
            return "other", None  # "由1名副职领导分管政府信息公开工作": people, not what was published
        if head.id == "narrative.published" and not is_overall(reading.words + reading.fill):
            return "narrative.published_part", None  # "在征地方面…共发布信息291条": one kind of it
            # (the first generic one of a section is promoted afterwards: _overall_published)
        if head.id == "narrative.platform" and unit in CONTENT_UNITS:
            return "narrative.published_part", None
        if head.id == "narrative.consultation" and unit in CAMPAIGN_UNITS \
                and SOLICITATION.search(reading.words):
            return "other", None  # "开展意见征集16次", "网上调查4期": calls for comment held, not
            # messages handled (so the annotators of the claims corpus and the blind sets read 16 of 19)
        if head.id == "narrative.published_part" and BARE_PUBLISH_VERB.fullmatch(reading.words[reading.start:]) \
                and unit not in CONTENT_UNITS | {"件", "份", "期"}:
            return "other", None  # "进行权威发布共计38次": times, not items published
        return head.id, None
    if head is None and table == "applications" and reading.row == "declined_petition" \
            and not re.search(r"申请|不予处理|办理结果", reading.words) and not run.about_applications \
            and not (inherit is not None and inherit.concept.startswith("applications.")):
        return "narrative.consultation", None  # "全年受理信访22件(次)": petitions, not table 三's row
    if head is None:
        head = inherited_head(lex, reading, table, inherit, run)
        named = documents_named_in_sentence(lex, reading, run) \
            if head is None and table == "active" and reading.row in ("issued", "in_force", "repealed") else None
        if named is not None:
            # which documents is the reader's inference, and a clean-up's count may take in other
            # bodies' documents: understood, not compared with the table
            return f"{named.id}.{reading.row}", "inferred"
        if head is None and table == "active" and reading.row == "published" and unit in CONTENT_UNITS | {"件", "份"}:
            return "narrative.published_part", None  # "网上公开了21件": documents published, of no one kind
        if head is None:
            return (reading.narrative, None) if reading.narrative else ("other", None)
        if head.table is None:
            return head.id, None
    if unit not in head.units:
        return "other", None
    if head.table == "applications" and reading.head is not None and BARE_APPLICATION.fullmatch(reading.head_words):
        said = _up_to_the_figure(run.current_sentence.text if run.current_sentence else "", reading)
        if OTHER_APPLICATIONS.search(said) and not DISCLOSURE_APPLICATIONS.search(said):
            # "行政审批…开设窗口26个，共受理申请121510件": another kind of application (what the
            # sentence says after the figure — "主要涉及…行政审批等信息" — is what was asked for)
            return "other", None
    if head.table == "applications" and FOR_OTHERS.search(reading.words):
        return "other", None  # "协助办理区政府依申请信息公开6件", "指导基层单位办理…300余件": others' applications
    if head.table == "applications":
        row = reading.row
        column = reading.column
        hedge = None
        if row == "total_processed" and TIMELY.search(reading.words):
            hedge = "split"  # "按时办结数517件，延期办结8件": the processed ones by timeliness
        elif row == "total_processed" and reading.row_word in HANDLED_WORDS:
            hedge = "handled"  # "办理申请61件，办结54件": 办理 may be the whole workload
        if reading.of_information:
            # information by how it was disclosed ("制作信息6条，…依申请公开信息0条；不予公开信息0条")
            # reads the same: which it is, is the reader's guess, never compared with the table
            hedge = "inferred"
        if row is None:
            if inherit is not None and inherit.concept.startswith("applications."):
                row = inherit.concept.split(".")[1]
            else:
                # "政府信息公开申请30件", "1件申请信息，属于已公开事项": which line is a guess
                row = run.last_row or lex.default_rows["applications"]
                hedge = "inferred" if not run.last_row or reading.after else None
        return f"applications.{row}" + (f".{column}" if column else ""), hedge
    if head.table == "appeals":
        column = reading.column
        return head.id + (f".{column}" if column and column != "total" else ""), None
    if head.table == "active":
        row = reading.row or lex.default_rows.get(head.id)
        if row == "decisions" and unit == "项" and not DECIDED.search(reading.words + reading.fill):
            return "other", None  # "进驻政务服务网上大厅行政许可14项、行政处罚203项": matters, not decisions
            # (but "共办理行政许可4251项": cases decided)
        if row in ("published", "issued") and head.id in DOCUMENT_HEADS \
                and CUMULATIVE.search(reading.words + reading.fill) and not _of_the_year(reading, run):
            return f"{head.id}.total_published", None  # "截至年底对外公开规范性文件共17件": the stock
        if row == "published":
            # 公开/发布 a regulation: most often the year's own; a licensing decision published is
            # an item of published information, not a decision count; nor is information about
            # documents ("规范性文件相关信息发布18条").
            if head.id in DOCUMENT_HEADS \
                    and not ABOUT_THE_DOCUMENTS.search(_after_head(reading)):
                return f"{head.id}.issued", "published"
            return "narrative.published_part", None
        if row is None:
            return "other", None
        concept = f"{head.id}.{row}"
        if row in ("in_force", "repealed") and PUBLISH_VERB.search(reading.words) and concept in lex.concepts:
            # "集中发布现行有效行政规范性文件393件": the stock published at a clean-up, not
            # necessarily at the year's end
            return concept, "published"
        return (concept, None) if concept in lex.concepts else ("other", None)
    if head.table == "fees":
        return "fees.collected", None
    return "other", None


# Table 二's documents, each with its rows issued / repealed / in force.
DOCUMENT_HEADS = ("active.regulations", "active.normative_documents")
# Words after a document head that make the figure one of information about the documents.
ABOUT_THE_DOCUMENTS = re.compile(r"信息|解读|情况")


def _after_head(reading: Reading) -> str:
    words = reading.words or ""
    at = words.rfind(reading.head_words) if reading.head_words else -1
    return words[at + len(reading.head_words):] if at >= 0 else ""


def documents_named_in_sentence(lex: Lexicon, reading: Reading, run: Run) -> Head | None:
    """The one kind of document of table 二 the sentence names, with no figure, before the outcomes of
    a clean-up ("对…规范性文件进行全面梳理，继续有效20件，失效2件、废止4件") or, named nowhere before,
    after them."""
    if run.current_sentence is None or not reading.words:
        return None
    text = run.current_sentence.text
    clause_at = max(text.find(reading.words), 0)
    named = [h for h in lex.heads if h.table == "active" and h.pattern.search(text, 0, clause_at)]
    if not named:
        # "全区共制发24件，失效及废止31件，至12月31日现行有效的行政规范性文件共56件": named once, last
        named = [h for h in lex.heads if h.table == "active" and h.pattern.search(text, clause_at)]
    return named[0] if len(named) == 1 else None


def inherited_head(lex: Lexicon, reading: Reading, table: str | None, inherit: Draft | None,
                    run: Run) -> Head | None:
    """The head of a row or column named alone ("办结148件", "结果纠正64件", "自然人72件")."""
    if inherit is not None and inherit.concept != "other":
        if inherit.concept.split(".")[0] == table:
            return lex.head_by_id.get(head_of(inherit.concept))
    if reading.narrative:
        return None  # "人大代表建议和答复0件": the phrase names its own thing
    if run.topic == "narrative.consultation" and reading.row in VERB_ROWS:
        return lex.head_by_id.get(run.topic)  # "共收到15564件咨询投诉件…已办结15042件"
    if table == "fees":
        return None  # "…局6件，收取600元": a fee is the report's only where its own words say so
    if table == "active" and reading.row == "published":
        return None  # "统计信息发布27条" after a document was named: publishing, not that document again
    previous = next((d for d in reversed(run.drafts) if d.depth == 0 and "other_year" not in d.scope), None)
    if reading.row in VERB_ROWS and previous is not None and previous.relation == "count" \
            and previous.concept == "other" and previous.sentence is run.current_sentence:
        return None  # "累计收件9898件，累计办结9542件": the verb goes on about the thing just counted
    if table == "appeals" and reading.column and table in run.last_head:
        # "行政复议案件10件，行政诉讼案件0件，结果维持2件，…": none of a kind has no results; they
        # are of the other kind counted just before
        cases = [d for d in run.passage + run.drafts if d.relation == "count" and d.value is not None
                 and d.concept in ("appeals.review", "appeals.litigation")]
        last = next((d for d in reversed(cases) if d.concept == run.last_head[table]), None)
        other = next((d for d in reversed(cases) if d.concept != run.last_head[table] and d.value), None)
        if last is not None and last.value == 0 and other is not None:
            return lex.head_by_id.get(other.concept)
    if table in run.last_head:
        return lex.head_by_id.get(run.last_head[table])
    if table == "applications" and (reading.row not in VERB_ROWS or reading.column or run.about_applications):
        # "予以公开20件", "自然人72件": words of table 三 itself; a bare 收到/办结 only where the
        # passage is about applications
        return lex.head_by_id["applications"]
    return None


# Words between two enumerated items that say nothing of what the second one is.
ITEM_SEPARATOR_AND_FILL = re.compile(r"^[\s、，,；;和及与]+|(?:共|共计|计|累计|合计|为|有|达)$")


def names_its_own_kind(between: str) -> bool:
    """The item after a sibling names a thing of its own (two Chinese characters or more besides
    separators and fill words), even if the lexicon does not know it."""
    return len(re.findall(r"[\u4e00-\u9fff]", ITEM_SEPARATOR_AND_FILL.sub("", between))) >= 2


def from_sibling(lex: Lexicon, text: str, left: str, draft: Draft, drafts: list[Draft]) -> None:
    """A number named by words the lexicon does not know, right after another of the same kind:
    "发布政府规章4部、行政规范性文件19件" (the verb is said once), "公开政务要闻285条、通知公告303条"
    (kinds of published information); or after a verb of publishing ("公开发布工作动态5条")."""
    prev = drafts[-1] if drafts else None
    between = text[prev.end:draft.quantity.start] if prev is not None else ""
    if prev is not None and prev.depth == draft.depth and same_unit(prev.unit, draft.unit) \
            and re.fullmatch(r"\s*[、，,；;和及与][^，。；：！？]{0,12}", between) \
            and not PARTS_FIRST_TOTAL.search(left):
        head = draft.reading.head if draft.reading is not None else None
        if head is not None and head.table == "active" and prev.concept.startswith(head.id.split(".")[0] + "."):
            row = prev.concept.rsplit(".", 1)[-1]
            if f"{head.id}.{row}" in lex.concepts:
                draft.concept = f"{head.id}.{row}"
                draft.scope |= prev.scope & {"inferred", "published"}
                return
        if head is None and prev.concept.startswith("narrative."):
            draft.concept = prev.concept
            if prev.concept == "narrative.interpretation" and names_its_own_kind(between):
                # "主动发布政策解读15条、规划计划6条、财政预决算4条": kinds of what was published,
                # beside the interpretations, not more of them
                draft.concept = "narrative.published_part" if same_unit(prev.unit, draft.unit) else "other"
                return
            if prev.concept in ACTIVITIES and draft.unit in CONTENT_UNITS and prev.unit in CONTENT_UNITS:
                # items of content after an activity counted in 条 are kinds of what was published,
                # not more of the activity ("新闻发布会5条，扶贫政策3条")
                draft.concept = "narrative.published_part"
            return
    if draft.unit in CONTENT_UNITS | {"期"} and PUBLISH_VERB.search(left) and not NOT_PUBLISHED_ENTRIES.search(left):
        draft.concept = "narrative.published_part"  # (not "不予公开文件97条": withheld)


def distributive_readings(lex: Lexicon, text: str, quantities: list[Quantity]) -> dict[int, Reading]:
    """"予以公开、部分公开、不予公开分别为10件、5件、3件": each number takes its own name."""
    out: dict[int, Reading] = {}
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
        clause_start, _ = clause_bounds(text, m.start())
        names = [n for n in re.split(r"[、和及与]", text[clause_start:m.start()]) if n.strip()]
        if len(names) != len(run):
            continue
        for name, q in zip(names, run):
            reading = read_left(lex, re.sub(r"\s", "", name), q.unit)
            if reading is not None:
                reading.start = q.start  # the name stands apart from its number: the span is the number
                out[q.start] = reading
    return out


EACH_NONE = re.compile(r"(?:均|都|全部)(?:为|是)?$")


def read_number(lex: Lexicon, text: str, q: Quantity, left: str, where: list[int],
                distributive: Reading | None) -> tuple[Reading, int, int]:
    """What a number counts, from the words before it or after it: (reading, span start, span end)."""
    reading = distributive
    start, end = q.start, q.end
    if reading is None:
        reading = read_left(lex, left, q.unit)
        each = EACH_NONE.search(left)
        if reading is None and q.value == 0 and each is not None:
            # "行政复议程序和行政诉讼程序均为0件": each of them none is all of them none (with any
            # other figure "均为" gives each its own count, which no one number states)
            reading = read_left(lex, left[:each.start()], q.unit)
        if reading is not None:
            start = where[reading.start] if reading.start < len(where) else q.start
    # a row or column named without its head ("收到…", "制定4份部门行政规范性文件"): the words after
    # the number may name the head
    bare_verb = (reading is not None and reading.known and reading.head is None and reading.narrative is None
                 and (reading.row in VERB_ROWS or reading.table == "active") and not reading.column)
    # "全年共制作119期政策简明问答": what the number counts is named after it; a table head after it
    # only where nothing else governs the number ("另有3件…", "收到8份…申请", not "对25件申请收取了费用")
    people = PEOPLE_AFTER.match(text, q.end) is not None
    if people and (reading is None or reading.head is None):
        reading, bare_verb = None, False  # "收到187个申请人…": people, not what they sent
    if (reading is None or not reading.known or bare_verb) and not people:
        found = read_right(lex, right_context(text, q.end))
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
            end = q.end + span_in_right(text, q.end, length)
            if reading.head is not None and reading.head.table == "appeals" and reading.column is None:
                reading.column = result_of_paired_items(lex, text, end)
    if reading is not None and reading.head is not None and reading.head.id in ("narrative.published", "narrative.published_part") \
            and (q.unit == "家" or q.unit == "个" and BODIES_AFTER.match(text, q.end)):
        reading, start, end = None, q.start, q.end  # bodies, whatever their information
    if reading is None:
        reading = Reading(known=False, total_word=bool(re.search(r"(?:共计|合计|总计|总共)", left[-6:])), words=left)
    return reading, start, end
