"""Lists: a total and its parts, however the prose introduces them, and the claims' place in them.

A list opens with a bracket right after a count, or with 其中/包括/涉及/a colon/"…中，" after one; the
parts may also come first with 共计/合计 last, or be a run of table 三 results after a processed count.
A list that says it is not complete (主要有…等), that names items without numbers or units, or that
the text cuts off, is partial: its parts need not add up to the total.
"""

from __future__ import annotations

import re

from auditor.nlp.claims.phrases import (
    CONTENT_UNITS, DOCUMENT_HEADS, SENT_ELSEWHERE, compose, every_channel, lexicon_matches, not_published_here,
    read_left)
from auditor.nlp.claims.state import (
    COUNT_FAMILY, Draft, DraftList, FLOW_ROWS, Run, counts_in_run, head_of, left_words, result_group, run_order,
    same_unit, unit_family, with_row)
from auditor.nlp.claims.text import ITEM_SEPARATOR, PAREN_CLOSERS, PAREN_OPENERS, clause_bounds
from auditor.nlp.lexicon import Lexicon
from auditor.nlp.model import TABLES, Sentence
from auditor.nlp.quantities import bare_enumerated, chinese_number, counting_rule, find_quantities


# How far into a sentence an intro may stand and still open it ("其中，…", "从类别看，…") when it is
# not in the figure's own clause — and then its own clause must be short: "建立涵盖微信公众号、视频号…
# 五大平台宣传矩阵，…发布信息2242条" introduces platforms, not figures.
SENTENCE_OPENING = 8

# Words that open a list right after its total.
LIST_INTRO = re.compile(r"其中|包括|包含|(?<=[，,：:])含(?![量义金有])|涵盖|分为|分别(?:为|是)|具体(?:为|是|有|如下)?|(?<![因于])涉及|主要(?:有|为|是|包括)|按[^，。；]{0,8}分"
                        r"|从[^，。；\d]{0,8}(?:看|来看)[，,：:]|(?:公开|发布)(?:的)?(?:政府|政务)?信息(?:当)?中[，,：:]?")

# A list that says it is not complete: "主要有…", "如…", or 等 right after a part ("…59条等"). Not
# 主要/等 inside an item's own name ("主要职能信息", "医用耗材价格等信息").
PARTIAL_INTRO = re.compile(r"主要|例如|比如|诸如|(?:^|[，,：:])如|包括但不限于|部分")
# "其中信息发布量居前的有…", "申请数量占比前三的为…": the largest items only.
TOP_ITEMS = re.compile(r"居前|排名前|排在前|较多的|最多的|前[二三四五六七八九十\d]{1,2}(?:位|名|个|类|项)?(?:的|为|是|依次)")

PARTIAL_AFTER = re.compile(r"^\s*(?:等|之类|为主)")
# "其中，重点领域方面，区政府文件5条…": the key areas picked out of the total, not all of it (not
# "其中重点领域信息公开栏43条", one column's name).
SELECTED_AREAS = re.compile(r"[，,：:\s]*重点[^，,；;：:\d]{0,6}方面")

# A part said to be included ("含…157件", "包括…") is at least that many of its row, maybe not all.
INCLUDING = re.compile(r"(?:^|[（(，,\s])(?:含|包含|包括|其中含)")

# A figure in another unit that details the part before it, inside a list ("微博29个，共发布信息1992条").
DETAIL = re.compile(r"^(?:共|累计|共计|其中|合计)")
# How many read or followed what a part published (年度阅读量为29.4万次): a detail of that part too.
AUDIENCE = re.compile(r"阅读|浏览|点击|访问|观看|播放|关注|粉丝|订阅|转发|点赞|评论|用户")

# The rest of a list: "其他…合计139条" is its last part, not a new total.
REMAINDER = re.compile(r"其他|其它|其余|剩余")
# Words that make a figure a statement of its own, not a further part of the list before it.
NEW_STATEMENT = re.compile(r"各类|各项|共计|合计|总计|累计|全年共|总数|总量")
# A verb of publishing with its own means: "利用电子屏发布信息108条" is a statement of its own.
# So is a channel with its verb: "微信公众号公布信息1103条".
PUBLISHING_VERB = re.compile(r"(?:通过|利用|借助|依托|在)[^，。；]{0,12}(?:发布|公开|推送|更新)"
                             r"|(?:公众号|微博|网站|新媒体|平台|客户端|头条号|抖音号?|视频号|APP)[^，。；\d]{0,4}(?:发布|公开|推送|更新|公布)")

# "由原来的8个增加到现在的16个。其中，新增…4个": what follows is the change, not the 16's parts.
CHANGE_TO = re.compile(r"由[^，。；]{0,12}(?:增加|增至|提高|提升|减少|降|扩大|调整)(?:到|至|为)?")

# A count whose clause ends with 中 opens a list: "主动公开的1913条政府信息中，机构职能类信息133条…".
IN_WHICH = re.compile(r"^[^，。；：！？]{0,16}中[，,：:]")

# (?<![^，。；]): the name is tried from the start of its clause only, not again from each of its
# characters (quadratic in a long clause); a match further in implies one from there.
# "月报、季报和年报等信息422条": kinds named before 等 are one kind of it too.
KIND_OF_INFORMATION = re.compile(r"(?<![^，。；])[^，。；]{2,}(?<!各)类|领域|动态|采购|项目|案件|财政|预决算|征地|公告|公示|其他|政策|文件|解读|会议"
                                 r"|审批|备案|许可|处罚|执法"
                                 r"|(?<![^，。；])[^，。；]{2,}(?<!各|类)等(?:相关)?(?:政府|政务)?信息")


def promote_overall_published(runs: list[Run]) -> None:
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
            if of_a_secondary_channel(d):
                d.concept = "narrative.published_part"  # "微信公众号全年发布信息2920条": one channel's share
            elif id(d) in totals and heads_its_own_count(d):
                d.concept = "narrative.published"
                seen.add(section)
            elif id(d) in totals:
                continue  # "698条，其中政务动态信息407条（工作动态287条，…）": a kind with kinds of its own
            elif d.concept == "narrative.published_part" and section not in seen and "subset" not in d.scope \
                    and "other_year" not in d.scope and d.reading is not None and d.reading.head is not None \
                    and d.reading.head.id == "narrative.published" and not KIND_OF_INFORMATION.search(d.reading.words):
                d.concept = "narrative.published"
                seen.add(section)
            elif d.concept == "narrative.published":
                seen.add(section)


def stocks_of_the_figure_before(runs: list[Run]) -> None:
    """"我局2023年累计主动公开政府信息7条，历年累计公开751条", "收到1份申请，历年累计8份": a figure
    said of all the years so far, naming nothing but publishing or applying, is the stock of what was
    published or of the applications received — not a kind of it or another thing. With no such word
    ("…6条，历年累计978条") it is the stock of the figure before it. (It keeps its other_year scope:
    no check compares it with the year's table.)"""
    for r in runs:
        previous: Draft | None = None
        for d in r.drafts:
            if d.relation != "count":
                continue
            before, previous = previous, d
            if "other_year" not in d.scope or d.concept not in ("other", "narrative.published_part"):
                continue
            words = _clause_words(d) + d.sentence.text[d.start:d.end]
            if not ALL_THE_YEARS.search(words) or STOCK_WORDS.sub("", words).strip(" \t，,：:") \
                    or unit_family(d.unit) != "count":
                continue
            if APPLYING.search(words):
                d.concept = "applications.new_received"
            elif SAID_PUBLISHED.search(words):
                d.concept = "narrative.published"
            elif before is not None and before.sentence is d.sentence and "other_year" not in before.scope \
                    and (before.concept in ("applications.new_received", "applications.received_total")
                         or before.concept.startswith("narrative.published") and before.reading is not None
                         and before.reading.head is not None and before.reading.head.id == "narrative.published"):
                d.concept = before.concept if before.concept.startswith("applications.") else "narrative.published"


# A stock of all the years so far, in words that name nothing else (dates, 累计, 总量, the verb).
ALL_THE_YEARS = re.compile(r"历年|以来|至今")
APPLYING = re.compile(r"申请")
STOCK_WORDS = re.compile(r"历年来?|以来|至今|迄今|截至|截止|目前|(?:\d{4}年)?\d{1,2}月\d{1,2}日|\d{4}年(?:底|末)?|累计|总量|总数|共计|共|合计|"
                         r"达到|达|为|(?:主动)?(?:公开|发布)|收到|受理|依申请|申请|(?:政府|政务)?信息|的|(?<![\d.])\d+(?:\.\d+)?\s*(?:条|件|份|篇|个|项)")


# Channels beside the website, whose counts are never the whole of what was published (of 771
# such statements the annotators of the blind sets called 753 a part).
SECONDARY_CHANNEL = re.compile(r"微信|微博|公众号|媒体|头条|抖音|快手|视频号|手机台|客户端|APP|小程序|公开栏(?!目)|公示栏(?!目)|电视|卫视|广播|电台|日报|报刊|短信")
WEBSITE = re.compile(r"网站|门户|政府网|网页")


def _own_clause(d: Draft) -> str:
    """The words of the figure's clause before its number (its span may start at the words naming
    it: "政务网站70余条" is the website's count)."""
    text = d.sentence.text
    end = d.quantity.start if d.quantity is not None else d.start
    return text[clause_bounds(text, d.start)[0]:end]


def _channels_named(d: Draft) -> str:
    """The figure's own clause without words for every channel at once ("通过各类媒体渠道"), which
    name no one channel."""
    clause = _own_clause(d)
    every = every_channel(clause)
    return clause if every is None else clause[:every.start()] + clause[every.end():]


def of_a_secondary_channel(d: Draft) -> bool:
    """The figure's own clause names a channel other than the website, and no website."""
    clause = _channels_named(d)
    return SECONDARY_CHANNEL.search(clause) is not None and WEBSITE.search(clause) is None


def of_the_website_alone(d: Draft) -> bool:
    """The figure's own clause names the website and no other channel: the website's count."""
    clause = _channels_named(d)
    return WEBSITE.search(clause) is not None and SECONDARY_CHANNEL.search(clause) is None


def of_a_channel(d: Draft) -> bool:
    """The figure's own clause names a channel it was published through, the website or another."""
    clause = _channels_named(d)
    return SECONDARY_CHANNEL.search(clause) is not None or WEBSITE.search(clause) is not None


# "我区主动公开政府信息的主要类别有：机构职能类信息594条，…": a list of kinds of information that
# names no total of its own; its total is the section's published figure stated before it.
# Also "在主动公开的信息中，政策法规类的信息14条，…": the kinds of what was published, the total
# stated before.
KINDS_INTRO = re.compile(r"(?:类别|类型|种类|分类|(?<=公开)(?:的)?(?:政府|政务)?(?:信息)?(?:的)?内容)(?:情况|构成|分布)?(?:主要)?(?:有|为|是|包括|如下)?\s*[：:]"
                         # "市政府主动公开的政府信息类别共有20类，其中，机构信息类26条，…"
                         r"|(?:类别|类型|种类)(?:共)?(?:有|为)?\d+(?:类|种|项)\s*[，,]\s*其中\s*[，,：:]?"
                         r"|^[^，。；\d]{0,6}?在(?:所有|全部)?(?:主动)?公开(?:的)?(?:政府|政务)?信息中\s*[，,：:]"
                         # "2013年，泉港区教育局主动公开的政府信息中，教育局主要职责2条，…": after a date, a
                         # publisher's name
                         r"|^(?:[^，。；]{0,12}[，,])?[^，。；\d]{0,12}?主动公开(?:的)?(?:政府|政务)?信息中\s*[，,：:]")


# Information made, generated or obtained (the 2008 layout's 制作、获取政府信息总数; "共产生政府信息1916条").
MADE_OR_OBTAINED = re.compile(r"制作|获取|产生|生成")
SAID_PUBLISHED = re.compile(r"公开|发布|公布|推送")
# Table 二's own words for its decision rows (第二十条第（八）（九）项: 处理决定数量).
TABLE_TWO_DECISIONS = re.compile(r"处理决定(?:数|数量)?$|决定数(?:量)?$")

# Who published, named before 主动公开: "市政府主动公开…" → "市政府" (after a date or 截至… clause).
# No leading \s*: the clause before the comma takes the spaces itself; two runs that both take
# spaces before it made a run of spaces quadratic (bench/regex_linearity.py).
PUBLISHER = re.compile(r"^(?:[^，,。；]*[，,])?\s*([^，,。；\d]{2,12}?)(?:共|累计|全年)?主动公开")

# "制作、获取政府信息总数148条，其中主动公开信息有103条": the part that is what was published.
PROACTIVE_PART = re.compile(r"主动公开")


CHANGE = re.compile(r"增加|减少|增长|下降|新增|同比|相比|较上年|比上年")


OBJECT_INTRO = frozenset({"涉及", "包括", "包含", "涵盖"})


# "另外，还包括通知公告类信息21条…": more things besides, not the parts of the figure before.
ADDITION = re.compile(r"(?:另外|此外|另|同时)[，,]?\s*(?:还|也)?\s*$|还\s*$")


def values_of_names_before(intro: re.Match, between: str, another_sentence: bool) -> bool:
    """分别为 gives the figures after it to the names before it in its own clause, not the parts of the
    count before: several names joined there ("…，网上申请和信函申请分别为6件、4件"), or one name in a
    clause later than that count ("…类信息为2条；其他类信息分别为19条"; `between` is the text since the
    count, or since the sentence start when it is in `another_sentence`) — not "53条，分别为…"."""
    if not intro.group().startswith("分别"):
        return False
    before = between[:intro.start()]
    if ITEM_SEPARATOR.search(re.split(r"[，,；;：:]", before)[-1]):
        return True
    clauses = re.split(r"[，,；;。]", before)
    named = len(re.findall(r"[\u4e00-\u9fff]", clauses[-1])) >= 2
    return named and (another_sentence or len(clauses) > 1)


def in_addition(intro: re.Match, between: str) -> bool:
    return ADDITION.search(between, 0, intro.start()) is not None


def described_not_counted(intro: re.Match, between: str) -> bool:
    """"部门动态20条，涉及烟、糖、茶产业动态、会议等信息，发布专题专栏1条": the verb's object is a
    description ending its clause with no figure; the next clause says something else."""
    return intro.group() in OBJECT_INTRO and re.search(r"^[^，,；;：:]{2,}[，,；;]", between[intro.end():]) is not None


def describes_the_item(intro: re.Match, between: str) -> bool:
    """"…3条；包含安全教育、师德师风建设等信息的部门文件28条": the intro opens a clause describing the
    next item ("…的部门文件"), not a list of the count before it."""
    return intro.group() in ("包含", "包括", "涉及", "含") and not between[:intro.start()].strip("；;，,、 ") \
        and re.search(r"的[^，,；;：:的]{1,12}$", between[intro.end():]) is not None


# Narrative heads that name a subject of their own (not a channel: "在政府网站上，其中…").
OWN_SUBJECTS = frozenset({"narrative.interpretation", "narrative.press_conference", "narrative.training",
                          "narrative.consultation", "narrative.published", "narrative.published_part"})


def _family(concept: str) -> str:
    """What a concept is a count of, at the level a subject is named: a table (三, 四), a row of
    table 二, a narrative head (the published information and its kinds together)."""
    parts = concept.split(".")
    if concept.startswith("narrative.published"):
        return "narrative.published"
    return parts[0] if parts[0] in ("applications", "appeals") else ".".join(parts[:2])


def names_another_subject(lex: Lexicon, intro: re.Match, between: str, prev: Draft, draft: Draft) -> bool:
    """"…统计信息23条。发布多种形式政策解读，其中图解18件…": the sentence names, with no figure, what its
    其中 breaks down — another thing than the count the sentence before ended on."""
    if prev.sentence is draft.sentence:
        return False
    subject = re.sub(r"\s", "", between[:intro.start()])
    named = {m.key for m in lexicon_matches(lex, subject)
             if (m.kind == "narrative" and m.key in OWN_SUBJECTS) or m.kind == "head"}
    return bool(named) and all(_family(k) != _family(prev.concept) for k in named)


def parallel_item(intro: re.Match, prev: Draft) -> bool:
    """"涉及…的信息15条，涉及…的信息6条": an item opening with the word its sibling before it opened
    with is the next item of the same list, not a list of that sibling's parts — the first item may
    open with 其中 before it ("其中涉及公共服务内容的信息506条，涉及管理的信息4条")."""
    own_clause = re.split(r"[，,；;。：:（(]", prev.sentence.text[:prev.start])[-1]
    return intro.group() != "其中" and re.sub(r"^\s*其中\s*", "", own_clause).startswith(intro.group())


def _clause_words(d: Draft) -> str:
    return re.split(r"[，,；;。：:、（(]", d.sentence.text[:d.start])[-1]


def _through(d: Draft) -> str:
    """Its clause's words and its own: "市政府主动公开政府信息共2367条"."""
    return _clause_words(d) + d.sentence.text[d.start:d.end]


def _publisher(words: str) -> str | None:
    m = PUBLISHER.match(words)
    return m.group(1) if m else None


def in_lists(runs: list[Run]) -> set[int]:
    """The figures (ids) that are already a list's total or part."""
    return {id(d) for r in runs for lst in r.lists for d in lst.parts + [lst.total] if d is not None}


def counts_in_text_order(runs: list[Run]) -> list[tuple[Draft, Run]]:
    """Every count with a value, with its run, in text order across runs."""
    return sorted(((d, r) for r in runs for d in r.drafts if d.relation == "count" and d.value is not None),
                  key=lambda dr: dr[0].sentence.start + dr[0].start)


def kinds_of_an_earlier_total(runs: list[Run]) -> None:
    """A list of kinds of published information introduced by "…类别有：", with no figure before
    the colon, breaks down the last figure of information published in general stated earlier in
    the same section (2008-layout reports: "（一）数量…2543条 （二）主要类别…：…594条，…946条")."""
    listed = in_lists(runs)
    totals = {id(lst.total) for r in runs for lst in r.lists if lst.total is not None}
    # an item with its own breakdown ("政府文件180条，新增31条") is still an item; one that is itself
    # a part of another list is not
    parts_of_lists = {id(d) for r in runs for lst in r.lists for d in lst.parts}
    parts_of_what_was_made = {id(d) for r in runs for lst in r.lists if lst.total is not None
                              and MADE_OR_OBTAINED.search(_through(lst.total)) for d in lst.parts}
    last_total: dict[str | None, Draft] = {}
    totals_seen: dict[str | None, list[Draft]] = {}
    for r in runs:
        # Sentences joined by "；" are one enumeration: "…类的信息14条，占…；规划计划类的信息6条，…；…"
        by_passage: dict[int, list[Draft]] = {}
        passage_of: dict[int, int] = {}
        previous = None
        for d in r.drafts:
            if id(d.sentence) not in passage_of:
                joined = previous is not None and previous.text.rstrip().endswith(("；", ";"))
                passage_of[id(d.sentence)] = passage_of[id(previous)] if joined else id(d.sentence)
                previous = d.sentence
            by_passage.setdefault(passage_of[id(d.sentence)], []).append(d)
        for drafts in by_passage.values():
            sentence = drafts[0].sentence
            intro = KINDS_INTRO.search(sentence.text)
            # items at the list's own level: not a bracket's sub-items ("业务动态类信息49条（其中…36条…）")
            # and not a change against last year ("同上年相比，增加6条")
            parts = [d for d in drafts if intro is not None and (d.sentence is not sentence or d.start >= intro.end())
                     and d.relation == "count" and d.depth == 0 and not CHANGE.search(_clause_words(d))
                     and id(d) not in parts_of_lists and d.unit in DOCUMENT_UNITS and "other_year" not in d.scope]
            total = last_total.get(sentence.section)
            if intro is not None:
                # the kinds of whose information: "市政府主动公开的…类别" are the 市政府's, not the
                # 镇(区)'s stated after it
                subject = _publisher(sentence.text[:intro.start()])
                named = [d for d in totals_seen.get(sentence.section, []) if subject and _publisher(_through(d)) == subject]
                if named:
                    total = named[-1]
            before_colon = [d for d in drafts if intro is not None and d.sentence is sentence
                            and d.start < intro.start() and d.relation == "count"]
            # "分类：全文电子化的…53条；其中…类信息45条；…": the kinds were read as another list's parts
            read_already = any(id(d) in parts_of_lists for d in drafts if intro is not None and d.relation == "count"
                               and (d.sentence is not sentence or d.start >= intro.end())
                               and not CHANGE.search(_clause_words(d)))
            if intro is not None and total is not None and len(parts) >= 3 and not before_colon and not read_already \
                    and all(fits_total(total, d) for d in parts) and not of_one_year(sentence.text[:intro.end()], total):
                hedge = "主要" if PARTIAL_INTRO.search(sentence.text[:intro.end()]) else None
                lst = DraftList(total=total, parts=parts, dimension="category", intro=intro.group(0),
                                partial=hedge is not None, depth=0)
                for d in parts:
                    as_part(d, total, "category", None)
                    d.scope.add("subset")
                r.lists.append(lst)
                listed |= {id(d) for d in parts}
                continue
            for d in drafts:
                proactive = PROACTIVE_PART.search(d.sentence.text[d.start:d.end]) is not None
                # (the proactive part of what was made still reads as a part: "制作、获取政府信息总数148条，
                # 其中主动公开信息有103条" — made_is_not_published comes later)
                if d.relation != "count" or d.unit not in DOCUMENT_UNITS or {"split", "other_year"} & d.scope \
                        or not (d.concept == "narrative.published"
                                or proactive and id(d) in parts_of_what_was_made):
                    continue
                if (id(d) not in listed or id(d) in totals or proactive) and ("subset" not in d.scope or proactive):
                    last_total[sentence.section] = d
                    totals_seen.setdefault(sentence.section, []).append(d)


def of_one_year(intro_words: str, total: Draft) -> bool:
    """The intro says its kinds are of everything published so far ("2012年度主动公开政府信息9条。…
    历年主动公开的政府信息中，机构职能类信息12条，…") and the total is one year's: not their total."""
    clause = re.split(r"[，,；;。：:]", intro_words.rstrip("，,：: "))[-1]
    return ALL_THE_YEARS.search(clause) is not None and "other_year" not in total.scope \
        and ALL_THE_YEARS.search(_through(total)) is None


def heads_its_own_count(total: Draft) -> bool:
    """A total of kinds of information is the count of what was published — unless it is itself a
    kind of a larger total ("698条，其中政务动态信息407条（工作动态287条，…）"), other than the
    主动公开 part of what was made ("制作、获取148条，其中主动公开信息有103条")."""
    return "subset" not in total.scope or PROACTIVE_PART.search(total.sentence.text[total.start:total.end]) is not None


# A kind of information named as such ("重大建设项目类信息279条", "其他应主动公开的政府信息13条"), and the
# words of a channel, whose figures may overlap: "门户网站…3698条，微博微信…2148条" is no breakdown.
NAMED_KIND = re.compile(r"类|其他|其它")
# "收到申请7条，网上申请数3条，信函申请数4条": a figure of one channel is a part of the total, never it.
CHANNEL = re.compile(r"(?:网上|网络|互联网|在线|线上|线下|信函|信件|当面|现场|传真|电子邮件|邮件|邮寄|快递|来信|来电|平台|网站)"
                     r"(?:申请|提交|提出|方式|受理)[^，。；]{0,4}$")
# …and it is a part of those received.
RECEIVED = ("applications.new_received", "applications.received_total")
CHANNEL_WORDS = re.compile(r"网|平台|公众号|微信|微博|号|新媒体|专栏|栏目|APP|客户端|公开栏|公示栏|媒体|报|刊|电视|广播|屏")
# How far apart (in characters) two items of one enumeration may be, not counting the examples
# an item gives ("机构职能类3条，如副局长简介、分管工作等信息；法规文件类3条…").
ENUMERATION_GAP = 40
EXAMPLES = re.compile(r"[，,]\s*(?:如|例如|比如)[^；;。]*")


# What becomes of the information a body made or obtained (the 2008 layout's 制作、获取政府信息总数):
# published proactively, open on request, or withheld — nothing else, so the three make the total.
DISPOSITIONS = (("proactive", re.compile(r"主动公开")), ("on_request", re.compile(r"依申请")),
                ("withheld", re.compile(r"不予公开|免予公开|不公开")))


def disposition_of(words: str) -> str | None:
    """Which of the three dispositions a count's own words name, if one."""
    named = [name for name, pattern in DISPOSITIONS if pattern.search(words)]
    return named[0] if len(named) == 1 else None


def dispositions_of_what_was_made(runs: list[Run]) -> None:
    """"今年我局共制作政务信息1233条，主动公开政府信息31条，其中…。依申请公开信息1180条。": the
    information made, then what became of it, with no 其中 — a list all the same, read over the total's
    sentence and the next; the kinds of the published part (a list of their own) lie between."""
    listed = {id(d) for r in runs for lst in r.lists for d in lst.parts}
    totals = {id(lst.total) for r in runs for lst in r.lists if lst.total is not None}
    counts = counts_in_text_order(runs)
    sentences = sorted({id(d.sentence): d.sentence for d, _r in counts}.values(), key=lambda s: s.start)
    order = {id(s): i for i, s in enumerate(sentences)}
    for i, (total, r) in enumerate(counts):
        if total.concept not in ("narrative.published", "narrative.published_part") or id(total) in listed \
                or id(total) in totals or {"other_year", "split"} & total.scope \
                or not MADE_OR_OBTAINED.search(_clause_words(total)):
            continue
        found: dict[str, Draft] = {}
        for d, _run in counts[i + 1:]:
            if d.sentence.section != total.sentence.section \
                    or order[id(d.sentence)] > order[id(total.sentence)] + 1 \
                    or MADE_OR_OBTAINED.search(_clause_words(d)):
                break
            if id(d) in listed or not same_unit(d.unit, total.unit) or "other_year" in d.scope:
                continue  # the kinds of the published part
            name = disposition_of(_clause_words(d) + d.sentence.text[d.start:d.end])
            if name is None:
                continue
            if name in found:
                break
            found[name] = d
        if "proactive" not in found or "on_request" not in found:
            continue  # what the rest is, the text does not say
        parts = sorted(found.values(), key=lambda d: d.sentence.start + d.start)
        for d in parts:
            as_part(d, total, "category", None)
            d.scope.add("subset")
        r.lists.append(DraftList(total=total, parts=parts, dimension="category", intro="", depth=0))
        listed |= {id(d) for d in parts}
        totals.add(id(total))


def made_not_published(words: str, fill: str) -> bool:
    """Words naming information made or obtained, and no publishing after the verb: "同步推进主动公开与
    依申请公开工作全年共制作政府信息236条" names what was made (the clause's earlier 主动公开 is the work
    done), "制作并主动公开政府信息…" what was published."""
    verbs = list(MADE_OR_OBTAINED.finditer(words))
    return bool(verbs) and not SAID_PUBLISHED.search(words[verbs[-1].end():] + fill)


def made_is_not_published(runs: list[Run]) -> None:
    """"共制作、获取政府信息总数84条，其中主动公开信息26条…": the information made or obtained (the 2008
    layout's 制作、获取政府信息总数), with no word of publishing it, is not what was published — its
    主动公开 part is. Relabelled once every list is read: the lists of dispositions and kinds are
    built on the made total as on any total of information."""
    for r in runs:
        for d in r.drafts:
            if d.relation != "count" or d.concept != "narrative.published" or d.reading is None \
                    or d.reading.head is None or d.reading.head.id != "narrative.published" \
                    or not made_not_published(d.reading.words, d.reading.fill):
                continue
            d.concept = "other"
            for lst in (lst for run in runs for lst in run.lists if lst.total is d):
                for p in lst.parts:
                    if p.concept != "narrative.published_part":
                        continue
                    disposition = disposition_of(_through(p))
                    if disposition is not None:  # what was published, or made and not published
                        p.concept = "narrative.published" if disposition == "proactive" else "other"


def results_of_the_carried_over(runs: list[Run]) -> None:
    """"新收…申请17件，予以公开13件…；上年结转办理1件，予以公开1件": a result stated after the
    applications carried over from last year, in the same run of clauses with no other flow figure
    between, is what became of those — a part of the year's results, not their figure. Only where the
    year's results came first ("收到20件，上年结转1件，予以公开15件…" states the results of all 21)."""
    listed = {id(d) for r in runs for lst in r.lists for d in lst.parts}
    for r in runs:
        flow: Draft | None = None
        results_before_flow = False
        seen_result = False
        for d in sorted(r.drafts, key=lambda d: d.sentence.start + d.start):
            if not d.concept.startswith("applications.") or d.relation != "count":
                continue
            if d.concept.split(".")[1] in FLOW_ROWS:
                flow, results_before_flow = d, seen_result
                continue
            if flow is not None and flow.concept.split(".")[1] == "carried_over" and results_before_flow \
                    and id(d) not in listed:
                d.scope |= {"subset", "split"}
            else:
                seen_result = True


# The rest of a breakdown, named: "其他信息16条".
REST_NAMED = re.compile(r"其[他它]")


def short_name(d: Draft) -> bool:
    """A bare name and its figure, an item of an enumeration ("决策部署落实情况9条"): a short name, no
    figure or verb of publishing in it."""
    if d.quantity is None:
        return False
    name = re.split(r"[，,；;。：:、]", d.sentence.text[:d.quantity.start])[-1].strip()
    return 2 <= len(name) <= 12 and not re.search(r"\d|公开|发布|公布|共|累计", name)


def opens_its_enumeration(total: Draft, parts: list[Draft], earlier: list[tuple[Draft, Run]]) -> bool:
    """"公布各类信息共52条，镇办会议20条，财政信息4条，民生实事进展情况24条": the parts' first clause
    comes right after the total's, closed by a comma and nothing else, and no count of the total's
    unit stands before it in its sentence (it is no item of an enumeration itself) — bare names
    that follow it are its breakdown too."""
    if not parts or parts[0].sentence is not total.sentence:
        return False
    text = total.sentence.text
    if re.fullmatch(r"[，,]", text[total.end:clause_bounds(text, parts[0].start)[0]]) is None:
        return False
    return not any(d.sentence is total.sentence and d.end <= total.start and same_unit(d.unit, total.unit)
                   for d, _run in earlier)


def enumerated_kinds_after_a_total(runs: list[Run]) -> None:
    """"2024年，主动公开政府信息310条，重大建设项目类信息279条，规范性文件类信息15条，行政许可类信息3条。
    其他应主动公开的政府信息13条。": three or more kinds of information enumerated right after the total
    of what was published, with no word to introduce them, break it down as a list does. Only
    kinds named as such (…类, 其他…) and never channels, whose figures overlap."""
    listed = in_lists(runs)
    # in text order across runs: the enumeration may go on in the next sentence
    counts = counts_in_text_order(runs)
    for i, (total, r) in enumerate(counts):
        if total.concept != "narrative.published" or id(total) in listed or {"other_year", "split"} & total.scope:
            continue
        parts: list[Draft] = []
        named: list[bool] = []  # each part's kind named as such
        end = total.sentence.start + total.end
        for d, _run in counts[i + 1:]:
            at = d.sentence.start + d.start
            before = parts[-1] if parts else total
            if before.sentence is d.sentence:
                between = d.sentence.text[before.end:d.start]
            elif d.sentence.start - before.sentence.end <= 4:  # the next sentence
                between = before.sentence.text[before.end:] + d.sentence.text[:d.start]
            else:
                between = None
            gap = at - end if between is None else min(at - end, len(EXAMPLES.sub("", between)))
            words = re.split(r"[，,；;。：:、]", d.sentence.text[:d.start])[-1] + d.sentence.text[d.start:d.end]
            if (id(d) in listed or gap > ENUMERATION_GAP or not same_unit(d.unit, total.unit)
                    or d.value > total.value or not (NAMED_KIND.search(words) or short_name(d))
                    or CHANNEL_WORDS.search(words) or TABLE_TWO_DECISIONS.search(left_words(d))
                    or d.sentence.section != total.sentence.section or "other_year" in d.scope):
                break
            parts.append(d)
            named.append(NAMED_KIND.search(words) is not None)
            end = d.sentence.start + d.end
        with_the_rest = any(REST_NAMED.search(_own_clause(d) + d.sentence.text[d.start:d.end]) for d in parts)
        an_item_itself = total.sentence.text[total.end:total.end + 1] == "、"
        if (not with_the_rest or an_item_itself) and False in named \
                and not (opens_its_enumeration(total, parts, counts[:i]) and not an_item_itself):
            # "决策部署落实情况9条、…、其他信息16条": kinds with bare names make a breakdown only with the
            # rest named (其他), and of a total that is no item of an enumeration itself ("…各类统计信息
            # 59条、月度数据11条、…其他信息30余条" are siblings); else the enumeration stops at the first one
            parts = parts[:named.index(False)]
        if len(parts) < 3:
            continue
        tail = parts[-1].sentence.text[parts[-1].end:]
        lst = DraftList(total=total, parts=parts, dimension="category", intro="",
                        # 等 after the rest (其他…16条等) leaves nothing out
                        partial=(bool(PARTIAL_AFTER.match(tail)) and not with_the_rest) or any(
                            PARTIAL_INTRO.search(p.sentence.text[max(0, p.start - 4):p.start]) for p in parts),
                        depth=0)
        for d in parts:
            as_part(d, total, "category", None)
            d.scope.add("subset")
        r.lists.append(lst)
        listed |= {id(d) for d in parts} | {id(total)}


# A channel named in a figure's own clause, for channels counted one after another with no intro.
CHANNEL_NAMED = re.compile(WEBSITE.pattern + "|" + SECONDARY_CHANNEL.pattern + r"|其[他它](?:方式|渠道|媒体|途径)")


def channels_after_a_total(runs: list[Run]) -> None:
    """"区共主动公开政府信息8000条，各类文件111件，官方网站发布政府信息5953条，官方微信公众号发布信息
    2200条": right after the total of everything published, the website's count and another channel's, each in a clause of its
    own, with no word to introduce them. Channels may overlap, so they make no list where they fall
    short of the total; where together they exceed it, they are read as its breakdown, for the sum to
    be checked (the overlap is for a reviewer to judge)."""
    listed = in_lists(runs)
    listed_parts = {id(d) for r in runs for lst in r.lists for d in lst.parts}
    counts = counts_in_text_order(runs)
    for i, (total, r) in enumerate(counts):
        if total.concept != "narrative.published" or id(total) in listed or {"other_year", "split"} & total.scope \
                or CHANNEL_NAMED.search(total.sentence.text[:total.start]):
            continue
        parts: list[Draft] = []
        channels: list[str] = []  # the words that name each part's channel
        end = total.sentence.start + total.end
        for d, _run in counts[i + 1:]:
            at = d.sentence.start + d.start
            if at - end > ENUMERATION_GAP or d.sentence.section != total.sentence.section:
                break
            if not same_unit(d.unit, total.unit):
                continue  # "…8000条，各类文件111件，官方网站发布…5953条": a figure of another thing
            words = _words_since(parts[-1] if parts else total, d)
            # (a channel's count may head its own list of kinds: "发布信息558条。其中…")
            if id(d) in listed_parts or d.value > total.value or "other_year" in d.scope \
                    or not (CHANNEL_NAMED.search(words) or CHANNEL_PUBLISHED.search(words)):
                break
            parts.append(d)
            channels.append(words)
            end = d.sentence.start + d.end
        # the website and another channel: a total with only other channels after it is the website's
        # own ("杭州教育网…主动公开信息1525条；官方微博发布信息1200余条；官方微信发布1400余条")
        if len(parts) < 2 or not any(_names_another_channel(w) for w in channels) \
                or not any(WEBSITE.search(w) and not _names_another_channel(w) for w in channels) \
                or sum(p.value for p in parts) <= total.value:
            continue
        lst = DraftList(total=total, parts=parts, dimension="category", intro="", depth=0)
        for d in parts:
            as_part(d, total, "category", None)
            d.scope.add("subset")
        r.lists.append(lst)
        listed |= {id(d) for d in parts} | {id(total)}


# A channel named, then what it published: "官方网站发布信息223条", "其它媒体公开政府信息73条",
# "运营…微信公众号，推送101期，发布信息558条", "通过…编印《…》18期，公开政府信息85条".
CHANNEL_PUBLISHED = re.compile(r"(?:通过|依托|利用|网站|门户|政府网|平台|公众号|微信|微博|媒体|客户端|专栏|栏目)"
                               r"[^；;。]*?(?:发布|公开|推送|更新|公布)")


def _words_since(before: Draft, d: Draft) -> str:
    """The words from the figure before up to this one's end, from the last ； on: where a channel's
    count names its channel, in its own clause or in one before it ("运营…微信公众号，推送101期，发布信息558条")."""
    text = d.sentence.text
    start = before.end if before.sentence is d.sentence else 0
    return re.split(r"[；;]", text[start:d.end])[-1]


def _names_another_channel(words: str) -> bool:
    """A channel beside the website, and no website."""
    return SECONDARY_CHANNEL.search(words) is not None and WEBSITE.search(words) is None


# A part that counts several kinds together: "重大决策预公开、规划计划、决策部署落实情况信息共2条".
GROUP_OF_KINDS = re.compile(r"^(?P<names>[^，,；;：:。\d]{2,60}?)(?:等)?(?:的)?(?:信息|类)?(?:合计|共计|总计|共)$")
KIND_SUFFIX = re.compile(r"(?:类|的)?(?:信息|事项|文件)?$")


def _name_of_item(d: Draft) -> str:
    """The words of the figure's clause up to its number ("…、规划计划、…情况信息共2条" → "…情况信息共")."""
    text = d.sentence.text
    end = d.quantity.start if d.quantity is not None else d.start
    return text[clause_bounds(text, d.start)[0]:end].strip()


def members_after_a_group(runs: list[Run]) -> None:
    """"…、重大决策预公开、规划计划、决策部署落实情况信息共2条，规划计划1条，决策部署落实情况6条，…":
    a part that counts kinds together, then parts right after it each naming one of those kinds, are
    that group and its members — a list of their own, nested in the first, whose sum is checked."""
    for r in runs:
        for lst in list(r.lists):
            parts = lst.parts
            for i, group in enumerate(parts):
                m = GROUP_OF_KINDS.match(_name_of_item(group))
                names = [KIND_SUFFIX.sub("", n) for n in ITEM_SEPARATOR.split(m.group("names"))] if m else []
                names = [n for n in names if len(n) >= 2]
                if len(names) < 2:
                    continue
                members = []
                for d in parts[i + 1:]:
                    words = _name_of_item(d)
                    if not any(words.startswith(n) for n in names) or not same_unit(d.unit, group.unit):
                        break
                    members.append(d)
                if not members:
                    continue
                lst.parts = [p for p in parts if all(p is not d for d in members)]
                r.lists.append(DraftList(total=group, parts=members, dimension=lst.dimension, intro="",
                                         depth=lst.depth))
                break


def right_after(between: str, intro: re.Match) -> bool:
    """"…108项，其中…": the intro opens the clause right after the figure."""
    return intro.group() == "其中" and between[:intro.start()].strip() in ("", "，", ",", "；")


def dimension_of(lex: Lexicon, total: Draft, part: Draft) -> str | None:
    """What a part breaks its total down by; None when it cannot be a part of that total."""
    tc, pc = total.concept, part.concept
    if unit_family(total.unit) != unit_family(part.unit):
        return None  # "收取信息处理费2950元（…公安局6件…）": counts beside a sum of money
    if tc in ("narrative.published", "narrative.published_part") and part.reading is not None \
            and not_published_here(part.reading, part.unit) and SAID_PUBLISHED.search(_through(total)) \
            and not MADE_OR_OBTAINED.search(total.sentence.text[max(0, total.start - 16):total.end]):
        # "发布信息500条，其中被中央级媒体采用41条": not what was published — though a total of all
        # the information made holds the entries not published ("制作、获取…3978条，其中…不予公开
        # 信息数1854条", "印发公文类政府信息共432条，其中主动公开…依申请公开…不予公开22条")
        return None
    if tc in ("narrative.published", "narrative.published_part") and TABLE_TWO_DECISIONS.search(left_words(part)):
        # "共主动公开政府信息154条。其中涉及到行政许可类处理决定数4条，…行政强制处理决定数0条": table
        # 二's decision counts recited, not kinds of the information that make its total
        return None
    if tc in ("narrative.published", "narrative.published_part") and pc in NOT_PUBLISHED_KINDS \
            and RECEIVED_FROM_OTHERS.search(left_words(part)):
        return None  # "发布…10300条，其中…，微信公众号…发布信息75条，收到留言56条": messages received are
        # no kind of what was published
    if pc == "other" or pc.startswith("narrative."):
        return "category"
    if tc in ("narrative.published", "narrative.published_part"):
        return "category"  # "公布政府信息2599条（其中…规范性文件类信息68条…）": kinds of information
    if tc == "other" or tc.startswith("narrative."):
        return None  # a table concept after a narrative figure: a new statement
    if tc.startswith("appeals.") and tc.count(".") == 1 and pc == "applications.other_misc":
        return "column"  # "行政复议共5件，其中1件由申请人主动撤回": the case withdrawn, 其他结果 (as_part)
    t_head, p_head = head_of(tc), head_of(pc)
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
    if tc.startswith("active.") and head_of(tc) == head_of(pc):
        if tc.endswith(".in_force") and pc.endswith((".issued", ".repealed")):
            return None  # "制发24件，失效及废止31件，现行有效的…共56件": the stock is no sum of the year's flows
        return "split" if pc == tc else "category"  # "规章13件（含新制定5件，修改4件，废止4件）"
    return "split" if pc == tc else None


def implicit_results(run: Run) -> None:
    """"答复申请805件。予以公开及部分公开258件，不予公开35件，无法提供265件，不予处理158件，其他处理0件":
    results of four or more groups stated one after another, with no 其中, are the breakdown of
    the processed count the paragraph stated before them."""
    results = [d for d in run.drafts if d.relation == "count" and d.depth == 0
               and d.concept.count(".") == 1 and d.concept.startswith("applications.")
               and result_group(d.concept.split(".")[1]) is not None
               and not {"subset", "other_year", "split"} & d.scope]
    if len(results) < 4:
        return  # (after nearly every sentence: the lists need not be looked at)
    listed = {id(p) for lst in run.earlier_lists + run.lists for p in lst.parts}
    results = [d for d in results if id(d) not in listed]
    groups = {result_group(d.concept.split(".")[1]) for d in results}
    if len(groups) < 4 or len(results) != len({d.concept for d in results}):
        return
    first = results[0]
    before = [d for d in run.passage + run.drafts if d.relation == "count" and d.concept == "applications.total_processed"
              and not {"subset", "other_year", "split"} & d.scope and run_order(run, d) < run_order(run, first)]
    if not before:
        return
    lst = DraftList(total=before[-1], parts=results, dimension="result", intro="")
    for d in results:
        d.scope.add("subset")
    run.lists.append(lst)


TOTAL_WORD = re.compile(r"(?<!公)共|合计|总计|累计|总数|总量")  # not 公共


def breakdown_with_a_rest(run: Run) -> None:
    """"主动公开信息共373条，通过网站发布93条、通过微信发布323条、其他方式公开13条": counts that
    follow a count of published information in its sentence, with no 其中, and end with the rest
    (其他/其余…) are its complete breakdown: naming the rest says nothing is left out."""
    listed = {id(d) for lst in run.earlier_lists + run.lists for d in lst.parts + [lst.total]}
    for i, total in enumerate(run.drafts):
        if total.concept not in ("narrative.published", "narrative.published_part") or total.relation != "count" \
                or id(total) in listed or total.value is None or {"subset", "other_year"} & total.scope:
            continue
        # a total says so ("共373条") and ends its clause; "公开信息88条、规范性文件2条…" is an item
        said_total = TOTAL_WORD.search(left_words(total)[-6:] + (total.reading.fill if total.reading else ""))
        if not said_total or not total.sentence.text.startswith(("，", ","), total.end):
            continue
        parts = []
        for d in run.drafts[i + 1:]:
            if d.sentence is not total.sentence or d.relation != "count" or d.depth != total.depth \
                    or id(d) in listed or not fits_total(total, d) or "other_year" in d.scope:
                break
            parts.append(d)
            if is_remainder(d):
                break
        if len(parts) < 2 or not is_remainder(parts[-1]) or any(is_remainder(p) for p in parts[:-1]):
            continue
        total.concept = "narrative.published"
        lst = DraftList(total=total, parts=parts, dimension="category", intro="", depth=total.depth)
        for d in parts:
            as_part(d, total, "category", None)
            d.scope.add("subset")
        run.lists.append(lst)
        listed |= {id(d) for d in parts + [total]}


def items_span(lst: DraftList) -> tuple[int, int]:
    """Where a list's items are in Document.text: from its first part — or from its total, when the
    total opens the sentence ("发布155条，其中，制度15，公示公告21条…": the first item too) — to its last."""
    first, last, total = lst.parts[0], lst.parts[-1], lst.total
    start = first.sentence.start + first.start
    if total is not None and total.sentence is first.sentence and total.end <= first.start:
        start = total.sentence.start + total.end
    elif total is not None and total.sentence is not first.sentence \
            and 0 <= start - (total.sentence.start + total.end) <= ITEMS_AFTER_A_TOTAL_GAP:
        # the total in a sentence just before ("…公开政府信息40条。按照主题分类，规章制度类2；规划计划类0
        # 条；…"): the items start right after it
        start = total.sentence.start + total.end
    return start, last.sentence.start + last.end


# How far (in characters) before the first part a total in an earlier sentence may end for the text
# between them to be read as the list's first items.
ITEMS_AFTER_A_TOTAL_GAP = 60


def unnumbered_items(text: str, lst: DraftList) -> bool:
    """Items between the parts that carry no number ("规范性文件13件；规划计划文件2件；部门预算信息；
    …"): the list names more than it counts."""
    start, end = items_span(lst)
    chunks = [c for c in re.split(r"[；;]", text[start:end]) if c.strip()]
    return len(chunks) > len({id(p.sentence) for p in lst.parts}) and \
        any(not find_quantities(c) for c in chunks)


def unread_item_after(run: Run, lst: DraftList) -> bool:
    """"予以公开35件；…无法提供29件；不属于政府信息1件；结转下年度1件": a list of table 三 followed, in
    its passage, by a count the lexicon cannot place in table 三 — likely an item the list has and the
    reader does not know."""
    if lst.total is None or not lst.total.concept.startswith("applications."):
        return False
    last = lst.parts[-1]
    index = next((i for i, d in enumerate(run.drafts) if d is last), None)
    if index is None:
        return False  # a list the next passage went on with: its last part is read there
    after = run.drafts[index + 1:]
    listed = {id(d) for other in run.lists for d in other.parts + [other.total]}
    for d in after:
        if d.depth > last.depth or d.relation != "count":
            continue
        if d.unit not in COUNT_FAMILY or id(d) in listed:
            return False
        return not d.concept.startswith(("applications.", "appeals.", "active.", "fees."))
    return False


BARE_NUMBER = re.compile(r"(?<![\d.，,])\d+(?![\d.,%])")
# A bare number that is a date or a term ("2023年", "15个工作日"), matched where the number ends.
DATE_OR_TERM_AFTER = re.compile(r"\s*(?:年|月|日|号|届|次会议|个工作日)")


def bare_numbers(text: str, lst: DraftList) -> bool:
    """A number among the parts with no unit ("会议活动类信息460条，部门动态402，其他信息248条"): an
    item the sum cannot count."""
    start, end = items_span(lst)
    span = text[start:end]
    found = find_quantities(span)
    counted = {(q.start, q.end) for q in found + bare_enumerated(span, found)}
    for m in BARE_NUMBER.finditer(span):
        if any(a <= m.start() < b for a, b in counted):
            continue
        if DATE_OR_TERM_AFTER.match(span, m.end()) or counting_rule(span, m.start(), m.end(), m.group()):
            continue
        return True
    return False


# "…惠民惠农108条，其他栏目信息均按照时间节点及时发布。": the rest named after the last part, with no figure.
UNCOUNTED_REST = re.compile(r"[ \t]{0,3}[，,；;][ \t]{0,3}(?:以及|及|和)?(?:其他|其它|其余)[^，,；;。！？\d]{0,24}(?:[，,；;。！？]|$)")


def uncounted_rest_after(text: str, lst: DraftList) -> bool:
    """The clause right after the last part names the rest of the list and counts none of it."""
    last = lst.parts[-1]
    return UNCOUNTED_REST.match(text, last.sentence.start + last.end) is not None


# "…依申请公开信息数46条，不予公开信息数1402。": one more item after the last part, its unit left out.
# (or glued to the words after it: "…公示公告23条、预决算公开2依申请公开1无行政复议…")
TRAILING_BARE_ITEM = re.compile(r"[ \t]{0,3}[，,、；;][ \t]{0,3}[^，,、；;。！？\d]{1,16}?(\d+)[ \t]{0,3}"
                                r"(?=[，,；;。！？]|$|(?![件条个篇项次份起宗部场家例人名元万亿余多年月日号届期])[\u4e00-\u9fff])")


def bare_item_after(text: str, lst: DraftList) -> bool:
    """The clause right after the last part is an item with a figure and no unit — one the sum cannot
    count, unless it is 0 ("不予公开信息数0": nothing is missing from the sum)."""
    last = lst.parts[-1]
    m = TRAILING_BARE_ITEM.match(text, last.sentence.start + last.end)
    return m is not None and int(m.group(1)) != 0


# "共发布信息379条，涉及社会救助、…等53个栏目，其中：…": how many kinds the total spans, said before the list.
KINDS_NAMED = re.compile(r"(\d{1,3}|[一二两三四五六七八九十]{1,3})\s?(?:个|大)?(?:栏目|类别|类|方面|板块|专栏|领域|子栏目)")


# What follows 等 when the things named were ways of publishing, not kinds of information.
WAYS_AFTER = re.compile(r"[^，,；;。：:\d]{0,4}?(?:渠道|平台|方式|形式|载体|媒体|途径|阵地|窗口|网站)")


def kinds_enumerated(clause: str) -> int:
    """How many kinds the clause names one by one before 等 ("主动公开机构职能、规章档案、行政许可、
    便民服务、公告公示、工作动态等主动公开信息"): 0 unless three or more, and not ways of publishing
    ("通过网站、微博、微信等平台")."""
    most, since = 0, 0
    for m in re.finditer("等", clause):
        items = clause[since:m.start()].split("、")
        since = m.end()
        named = "、".join([items[0][-6:]] + items[1:])
        if len(items) < 3 or WAYS_AFTER.match(clause, m.end()) \
                or SECONDARY_CHANNEL.search(named) or WEBSITE.search(named):
            continue
        most = max(most, len(items))
    return most


def fewer_items_than_kinds(text: str, lst: DraftList) -> bool:
    """The text says how many kinds the total spans — with a number between the total and the first
    part, or naming them one by one in the total's own clause — and the list counts fewer of them:
    it lists only some."""
    total, first = lst.total, lst.parts[0]
    if total is None:
        return False
    if kinds_enumerated(_own_clause(total)) > len(lst.parts):
        return True
    if total.sentence is not first.sentence or total.end > first.start:
        return False
    for m in KINDS_NAMED.finditer(first.sentence.text, total.end, first.start):
        kinds = int(m.group(1)) if m.group(1).isdigit() else chinese_number(m.group(1))
        if kinds is not None and kinds > len(lst.parts):
            return True
    return False


# Words that name no kind of information: "其中主动公开政府信息", "信息发布量由…增加到".
GENERIC_WORDS = re.compile(r"其中|主动|公开|发布|政府|政务|各类|信息|数量|总数|共计|累计|增加到|减少到|[量共由的年为有\d\s，,、：:]")
# A part said of a channel: "通过腾讯微博公开政府信息42条", "在政府门户网站发布…".
VIA_CHANNEL = re.compile(r"(?:通过|在|利用|依托|经由?)[^，,；;、。\d]{0,14}?(?:" + CHANNEL_WORDS.pattern + ")")


def mixes_channels_and_kinds(lst: DraftList) -> bool:
    """Information published broken down by kind and then by channel ("其中主动公开规范性文件24条，
    通过政府公报公开…2条，通过腾讯微博公开…42条"): two breakdowns mixed are not a partition of the
    total, so the parts name only some of it."""
    if lst.total is None or lst.total.concept not in ("narrative.published", "narrative.published_part"):
        return False
    via = [VIA_CHANNEL.search(p.sentence.text, clause_bounds(p.sentence.text, p.start)[0], p.start) is not None
           for p in lst.parts]
    if True not in via:
        return False
    # a channel named on the first part is the channel of the kinds after it ("通过大冶政府网累计公开
    # 政策文件51条，计划规划40条…"); a kind before a channel is the mix — not information in general
    # ("信息发布量…增加到1887条，在省政府网站发布信息514条")
    return any(len(GENERIC_WORDS.sub("", left_words(p))) >= 2 for p in lst.parts[:via.index(True)])


def cut_off(text: str, lst: DraftList) -> bool:
    """The text ends inside the list (a page beginning, a truncated copy): its rest is missing."""
    last = lst.parts[-1].sentence
    tail = text[last.end:].strip()
    if not tail:
        return not re.search(r"[。！？!?）)]\s*$", last.text)
    # "…各1篇；…图解西秀、…和西秀区地区生产总值" and nothing more: the enumeration runs off the page
    return last.text.rstrip().endswith(("；", ";", "、", "，", ",")) and "\n" not in tail \
        and not re.search(r"[。！？!?]", tail) and len(tail) < CUT_TAIL_MAX


# How long an unfinished last clause may be and still be the list running off a cut page.
CUT_TAIL_MAX = 200


def place(lex: Lexicon, text: str, draft: Draft, run: Run) -> None:
    """Decide the draft's list and concept: the first part of a new list, a further part of an open
    list, or a statement of its own.

    A list opens with a bracket right after a count, or with 其中/包括/涉及/a colon after one: its
    total is the last count before it at the same bracket depth in the same unit — or, where the
    words after 其中 name what it breaks down ("其中公开信息方面，…"), the last count of that. A list
    opened on a part of another is nested in it ("8223条，其中门户网站7287条，包括…；微信936条"). A list
    whose parts already add up to its total has ended. A number in another unit inside a list is a
    detail of the part before it ("微博29个，共发布信息1992条") and leaves the list open."""
    # the list the figure before ended mid-enumeration: only this figure may resume it
    broken, run.broken = run.broken, None
    while run.open_lists and run.open_lists[-1].depth > draft.depth:
        run.open_lists.pop()  # a bracket closed: its list has ended
    counts = [d for d in run.drafts if d.depth == draft.depth and d.quantity is not None and d.relation == "count"]
    before = draft.sentence.text[:draft.start]
    opening = LIST_INTRO.search(before)
    after_intro = before[opening.end():] if opening is not None else ""
    if not counts and draft.depth == 0 and opening is not None and (
            not re.search(r"[，,；;]", after_intro)  # in the figure's own clause: "办复率100%，其中予以公开59件"
            or (opening.start() <= SENTENCE_OPENING and re.match(r"[^，,；;]{0,6}[，,；;：:]", after_intro))):
        # "…，办复率100%。其中予以公开59件…" / a sentence opening with 其中: the total is earlier in
        # the paragraph
        counts = [d for d in run.passage if d.depth == 0 and d.quantity is not None and d.relation == "count"]
    prev = counts[-1] if counts else None
    if prev is not None and prev.sentence is draft.sentence:
        between = text[prev.end:draft.start]
    else:
        between = text[:draft.start]
    between = outside_brackets(between)  # "99条（其中：…2条），年报1条": that 其中 is the bracket's
    top = run.open_lists[-1] if run.open_lists and run.open_lists[-1].depth == draft.depth else None
    opened = None
    intro = None
    bracket_total = total_before_bracket(text, draft, run)
    if bracket_total is not None:
        opened = DraftList(total=bracket_total, parts=[], dimension=None, intro="（", depth=draft.depth)
    elif prev is not None:
        intro = LIST_INTRO.search(between) or (IN_WHICH.match(between) if prev.sentence is draft.sentence else None)
        if intro is not None and (parallel_item(intro, prev) or in_addition(intro, between)
                                  or values_of_names_before(intro, between, prev.sentence is not draft.sentence)
                                  or described_not_counted(intro, between)
                                  or describes_the_item(intro, between)
                                  or names_another_subject(lex, intro, between, prev, draft)):
            intro = None
        colon = prev.sentence is draft.sentence and re.match(r"^\s*[:：]", text[prev.end:]) \
            or prev.sentence is not draft.sentence and COLON_CLOSES.match(outside_brackets(prev.sentence.text[prev.end:]))
        new_sentence_subset = prev.sentence is not draft.sentence and draft.sentence.text.lstrip("（(").startswith("其中")
        if (intro or colon or new_sentence_subset) and not (top is not None and top.total is prev) \
                and not is_change_to(prev):
            finished = any(prev in lst.parts and lst is not top for lst in run.lists)
            if (intro is None or intro.group() == "其中") and (finished or (top is not None and prev in top.parts
                                                                            and adds_up(top))):
                # "…其他类信息9条。其中主动公开17条…": after a whole list, 其中 of what? Not of its
                # last part, and not surely of its total: no list, and these figures are parts.
                if top is not None:
                    run.open_lists.pop()
                run.subset_after = draft.sentence
            else:
                total = list_total(lex, counts, draft, between[intro.end():] if intro else between,
                                   between[:intro.end()] if intro else "")
                broken_down = next((lst for lst in reversed(run.lists) if prev in lst.parts), None)
                if intro is not None and intro.group().startswith("按") and broken_down is not None \
                        and broken_down.total is not None:
                    # "827条，其中政府网站293条、…其他渠道132条；按类别划分，政务信息类137条…": the same
                    # total broken down another way
                    total = broken_down.total
                if total is None and intro is not None and right_after(between, intro) \
                        and prev.concept in ("narrative.published", "narrative.published_part") \
                        and unit_family(prev.unit) == unit_family(draft.unit) == "count":
                    total = prev  # "发布信息8条，其中包括通知公告3项、财政信息2条…": the figure 其中 follows
                if total is not None:
                    opened = DraftList(total=total, parts=[], dimension=None,
                                       intro=intro.group() if intro else "：" if colon else "其中", depth=draft.depth)
    if opened is not None:
        if opened.total.concept == "narrative.published_part" and heads_its_own_count(opened.total):
            opened.total.concept = "narrative.published"  # a total of kinds of information
        draft.concept, hedge = compose(lex, draft.reading, draft.unit, opened.total, run)
        dimension = dimension_of(lex, opened.total, draft)
        if dimension is None and intro is not None and right_after(between, intro) \
                and opened.total.unit == draft.unit and opened.total.concept.split(".", 1)[0] not in TABLES \
                and not TABLE_TWO_DECISIONS.search(left_words(draft)):
            # "公布网上服务事项108项，其中行政许可191项": a 其中 right after a figure of something the
            # tables do not count opens a list of its parts, whatever else the parts count.
            dimension = "category"
        if dimension is not None:
            if INCLUDING.search(between[:intro.end() + 2] if intro else text[bracket_total.end:draft.start]
                                if bracket_total is not None else between):
                opened.including = True
            if opened.including:
                draft.scope.add("included")
            as_part(draft, opened.total, dimension, hedge)
            if top is not None and opened.total not in top.parts:
                run.open_lists.pop()  # a new list replaces the open one; a list on its part nests in it
            opened.dimension = dimension
            opened.parts.append(draft)
            opened.partial = bool(PARTIAL_INTRO.search(between[:intro.end() + 4] if intro else between[:6])) \
                or bool(PARTIAL_AFTER.match(text[draft.end:])) \
                or (intro is not None and TOP_ITEMS.search(between[intro.end():intro.end() + 16]) is not None) \
                or (intro is not None and SELECTED_AREAS.match(between, intro.end()) is not None)
            run.lists.append(opened)
            run.open_lists.append(opened)
            draft.scope.add("subset")
            remember(draft, run)
            return
    if intro is not None and intro.group() == "其中" and prev is not None and prev.sentence is draft.sentence:
        # "收到申请9件，上年转结1件，其中网络申请5件，信函申请5件": a 其中 whose total is not known
        # (here both counts together); what follows is part of something, no figure of its own
        run.subset_after = draft.sentence
    if opened is None and not run.open_lists and run.pending is not None and not counts_in_run(run) \
            and with_share(run.pending.parts[-1]) and with_share(draft):
        # "其中，区直各单位…1397条，占73%。各乡镇…534条，占27%。": parts in parallel, a share each
        run.open_lists.append(run.pending)
    run.pending = None
    current = run.open_lists[-1] if run.open_lists and run.open_lists[-1].depth == draft.depth else None
    while current is not None and (adds_up(current) or all_in_one_part(text, current, draft)) \
            and not is_remainder(draft) and (not continues_enumeration(text, current, draft)
                                             or larger_than_its_total(current, draft)):
        # its parts add up to its total: the list has ended, the one it is nested in may go on
        run.open_lists.pop()
        current = run.open_lists[-1] if run.open_lists and run.open_lists[-1].depth == draft.depth else None
    if current is not None and current.parts and new_clause_of_its_own(text, current, draft):
        run.open_lists.pop()  # "…执法检查结果248条；制发政策解读31篇，其中…": another thing made, in its unit
        current = None
    if current is not None and current.parts and current.including and new_row_after_the_inclusion(text, current, draft):
        run.open_lists.pop()  # "共办理申请69件，含2023年转至今年办理的3件，办结68件": what was included,
        current = None        # then the next row of the passage
    if current is not None and current.parts and (sibling_of_its_total(run, current, draft)
                                                  or said_as_its_total_after_a_stop(run, current, draft)):
        run.open_lists.pop()  # "…其中，通过政府网站公开…846条，包括机构信息4条…；通过政务微信发布信息199条":
        current = run.open_lists[-1] if run.open_lists and run.open_lists[-1].depth == draft.depth else None
        # the next channel of the outer list, not another kind of the website's
    if current is not None and current.parts and of_the_website_alone(current.total) and of_a_secondary_channel(draft):
        run.open_lists.pop()  # "在…官方网站…公开信息411条，其中…；在…微信公众号公布信息230条": the
        current = None        # website's own list does not hold another channel's count
    if current is not None and current.parts and current.parts[-1].sentence is not draft.sentence \
            and (NEW_STATEMENT.search(left_words(draft)) or repeats_the_verb_of(current.total, draft)):
        run.open_lists.pop()  # "；通过微博发布各类信息6012条": a new statement, not a further part
        current = None
    if current is not None:
        concept, hedge = compose(lex, draft.reading, draft.unit, current.total, run)
        draft.concept = concept
        if not fits_total(current.total, draft) and not enumerated_with_its_list(text, current, draft) \
                and not joined_as_the_others(text, current, draft):
            if DETAIL.match(left_words(draft).lstrip("、，,；;")) or part_figure_follows(text, draft, current.total) \
                    or audience_of_the_part(text, current, draft) or item_in_another_unit(text, current, draft):
                remember(draft, run)
                return  # "微博29个，共发布信息1992条": a detail of the part before it; the list goes on
            run.open_lists.pop()  # "…概况类信息61条，组织在线访谈24场": something else is said now
            if not same_unit(draft.unit, current.total.unit):
                run.interrupted = current
            current = None
    if current is not None and current.total.value is not None and draft.value is not None \
            and draft.value > current.total.value and not same_unit(draft.unit, current.total.unit):
        run.open_lists.pop()  # "162条。其中，乡镇文件公开41条，通过…微信公众号发布信息293篇": more than
        current = None        # the whole, in another unit — a count of something else
    if current is not None and inside_the_part_before(text, current, draft):
        remember(draft, run)
        return  # "行政处罚信息33条含207条处理决定": what that part holds, not a further part
    if current is not None:
        dimension = merge_dimension(current.dimension, dimension_of(lex, current.total, draft))
        if dimension is not None and (not starts_new_total(draft) or is_remainder(draft)
                                      or item_with_its_own_count(text, draft, current)):
            if current.including:
                draft.scope.add("included")
            as_part(draft, current.total, dimension, hedge)
            current.dimension = dimension
            current.parts.append(draft)
            if PARTIAL_AFTER.match(text[draft.end:]):
                current.partial = True
            draft.scope.add("subset")
            remember(draft, run)
            return
        run.open_lists.pop()  # something else is said now: the list has ended
        if current.intro == "其中" and prev is not None and prev.sentence is draft.sentence \
                and not said_all(current):
            orphan_part(draft, current)  # (not after parts that are all of it: "受理11件，其中网络申请11件，
            # 申请办结数8件" — the 8 is a statement of its own)
        run.broken = (current, draft)
    if current is None and broken is not None and rest_after_an_odd_item(text, *broken, draft):
        # "其中业务公开2条，…公开制度6条，受理依申请公开信息0条，其它信息40条": the rest after an item
        # of another kind says the enumeration went on through it — both are items of the list
        lst, odd = broken
        odd.scope.add("subset")
        lst.parts.append(odd)
        resume_with(lex, run, lst, draft, "category")
        return
    interrupted, run.interrupted = run.interrupted, None
    if current is None and interrupted is not None and resumes_with_a_channel(interrupted, draft):
        # "…安全生产336条、其他182条，调整栏目3个，微信公众号：600条，微博391条": after the figure
        # in another unit, the channels beside the website go on with the list
        resume_with(lex, run, interrupted, draft, "channel")
        return
    if interrupted is not None and not same_unit(draft.unit, interrupted.total.unit):
        run.interrupted = interrupted  # (another figure in another unit: the list may still go on)
    draft.concept, hedge = compose(lex, draft.reading, draft.unit, None, run)
    if hedge:
        draft.scope.add(hedge)
    if run.subset_after is draft.sentence:
        draft.scope |= {"subset", "split"}
    remember(draft, run)


YEAR_IN_A_NAME = re.compile(r"(?<!\d)(?:19|20)\d{2}年度?")
QUOTED_ITEM = re.compile(r"\s*[“\"「]([^”\"」\n]{1,16})[”\"」](?:的)?\s?\d")


def resume_with(lex: Lexicon, run: Run, lst: DraftList, draft: Draft, dimension: str) -> None:
    """An ended list goes on: `draft` is its next part and the list is open again."""
    draft.concept, hedge = compose(lex, draft.reading, draft.unit, lst.total, run)
    as_part(draft, lst.total, lst.dimension or dimension, hedge)
    lst.parts.append(draft)
    draft.scope.add("subset")
    run.open_lists.append(lst)
    remember(draft, run)


# Between two items of one enumeration: its separator and the next item's words, no figure or stop.
ITEM_GAP = re.compile(r"[，,、][^，,；;。：:（()）\d]{0,20}")


def rest_after_an_odd_item(text: str, lst: DraftList, odd: Draft, draft: Draft) -> bool:
    """The figure that ended the list (of another kind than its total) stood in the enumeration,
    and the next one, in the list's unit, names the rest (其他/其它…): the list went on."""
    last = lst.parts[-1] if lst.parts else None
    return last is not None and lst.total is not None and last is not odd \
        and last.sentence is odd.sentence is draft.sentence and last.depth == odd.depth == draft.depth \
        and last.end <= odd.start and odd.end <= draft.start and odd.value is not None \
        and ITEM_GAP.fullmatch(text[last.end:odd.start]) is not None \
        and ITEM_GAP.fullmatch(text[odd.end:draft.start]) is not None \
        and is_remainder(draft) and same_unit(draft.unit, lst.total.unit)


def resumes_with_a_channel(lst: DraftList, draft: Draft) -> bool:
    """Right after a figure in another unit ended a list of everything published (not one channel's:
    "门户网站全年发布740条，其中…在线访谈2期，…微信公众号全年发布信息67条" is another channel's own),
    the next figure in the list's unit, in the same sentence, counts a channel beside the website: a
    further part."""
    last = lst.parts[-1] if lst.parts else None
    return last is not None and lst.total is not None and last.sentence is draft.sentence \
        and lst.total.concept in ("narrative.published", "narrative.published_part") \
        and not of_a_channel(lst.total) and same_unit(draft.unit, lst.total.unit) and draft.depth == last.depth \
        and of_a_secondary_channel(draft) and not NEW_STATEMENT.search(left_words(draft))


def continues_enumeration(text: str, lst: DraftList, draft: Draft) -> bool:
    """"…预决算信息16条、建议提案办理信息0条、…年报类信息1条", "…公告公示信息6条，提案办理公开2条，
    机构职能1条": joined to the last part by the same separator as the parts before it, with no
    word of a new statement, the figure is a further item of the same list even when the parts
    already make the total (then they exceed it)."""
    last = lst.parts[-1] if lst.parts else None
    if last is None:
        return False
    if last.sentence is not draft.sentence:
        # one item per paragraph, each opening with its quoted category ("“同意部分公开”1件，占10%。")
        return bool(QUOTED_ITEM.match(last.sentence.text) and QUOTED_ITEM.match(draft.sentence.text)
                    and draft.start == draft.sentence.text.find(QUOTED_ITEM.match(draft.sentence.text).group(1)))
    if last.end > draft.start:
        return False

    def separator(between: str) -> str | None:
        # (a year in an item's name is no figure: "、…局2021年度政府信息公开工作年度报告1条")
        if re.search(r"[；;。：:（()）\d]", YEAR_IN_A_NAME.sub("", between)):
            return None
        return "、" if "、" in between else "，" if re.search(r"[，,]", between) else None

    between = text[last.end:draft.start]
    sep = separator(between)
    if sep == "、":
        return True
    own = left_words(draft)
    if sep is None or len(lst.parts) < 2 or NEW_STATEMENT.search(own) or PUBLISHING_VERB.search(own):
        return False
    before = lst.parts[-2]
    if before.sentence is not last.sentence:
        return False
    earlier = separator(text[before.end:last.start])
    # "其中政务动态55条、公告公示9条、…村务公开42条，政府信息公开年度报告1条。": items joined by 、, the
    # last after a comma, closing the sentence in the items' unit — the enumeration's last item.
    return earlier == sep or (earlier == "、" and sep == "，" and same_unit(draft.unit, last.unit)
                              and closes_the_sentence(text, draft))


def closes_the_sentence(text: str, draft: Draft) -> bool:
    return re.match(r"\s*(?:[。！!]|$)", text[draft.end:]) is not None


def audience_of_the_part(text: str, lst: DraftList, draft: Draft) -> bool:
    """"…公开信息数为2464条，年度阅读量为29.4万次，…": right after a part, in a clause of its own, how
    many read it — in another unit than the list's — and the enumeration goes on after it with a comma
    (a ；there ends it: "…关注人数达1016823人；视频号…584条" is something else)."""
    last = lst.parts[-1] if lst.parts else None
    return last is not None and last.sentence is draft.sentence and last.end <= draft.start \
        and not same_unit(draft.unit, lst.total.unit) and AUDIENCE.search(left_words(draft)) is not None \
        and re.fullmatch(r"[，,]\s*[^，,、；;。：:（()）\d]{0,16}", text[last.end:draft.start]) is not None \
        and re.match(r"[^，,；;。]*[，,]", text[draft.end:]) is not None


def joined_as_the_others(text: str, lst: DraftList, draft: Draft) -> bool:
    """"…“六稳”“六保”1条，人大代表建议办理8条，…": in the last part's unit and joined to it as the parts
    before were joined, an item of the enumeration whatever kind the lexicon reads it as."""
    return bool(lst.parts) and same_unit(draft.unit, lst.parts[-1].unit) and continues_enumeration(text, lst, draft)


def part_figure_follows(text: str, draft: Draft, total: Draft) -> bool:
    """"政务微信公开269次<天>1189条": a figure in another unit with the item's own figure after it in
    the same clause is a detail of that item, not the end of the list."""
    clause = re.match(r"[^，,；;。、：:（(）)]*", text[draft.end:]).group()
    return re.search(r"\d+(?:\.\d+)?\s*(?:余|多)?\s*" + re.escape(total.unit), clause) is not None


def new_row_after_the_inclusion(text: str, lst: DraftList, draft: Draft) -> bool:
    """After "（含…）"/"含…" parts, a clause of its own naming another row of table 三."""
    last = lst.parts[-1]
    if last.sentence is not draft.sentence or not re.search(r"[，,；;]", text[last.end:draft.start]):
        return False
    def named(d: Draft) -> tuple | None:  # the row and the word that named it (办理 is not 办结)
        return (d.reading.row, d.reading.row_word) if d.reading is not None and d.reading.row else None

    row = named(draft)
    return row is not None and all(named(p) != row for p in [*lst.parts, lst.total])


def inside_the_part_before(text: str, lst: DraftList, draft: Draft) -> bool:
    """The figure follows the last part with no separator, after 含/包含/包括, or right after it
    says how many so far ("…共18条，历年累计66条") or how many are in full text online, or counts it in
    another unit ("夜间作业许可73条共443份"): a detail of it."""
    last = lst.parts[-1] if lst.parts else None
    if last is None or last.sentence is not draft.sentence or last.end > draft.start:
        return False
    between = text[last.end:draft.start]
    return re.fullmatch(r"\s*(?:含|包含|包括|内含)[^，,、；;。：:（()）\d]{0,12}", between) is not None \
        or STOCK_OF_THE_PART.fullmatch(between) is not None or ELECTRONIC_OF_THE_PART.fullmatch(between) is not None \
        or (re.fullmatch(r"\s*(?:共|共计|合计|计)\s*", between) is not None and not same_unit(last.unit, draft.unit))


# "其中主动公开文件753条，全文电子化主动公开753条，…": how many of the part are in full text online (2008
# layout), no part of its own.
ELECTRONIC_OF_THE_PART = re.compile(r"\s*[，,]\s*(?:其中)?(?:实现)?全文电子化(?:的)?[^，,、；;。：:（()）\d]{0,12}")
# "2019年主动公开政府信息共18条，历年累计66条": the stock of what the part counts, no part of its own.
STOCK_OF_THE_PART = re.compile(r"\s*[，,]\s*(?:历年|以往|往年|至今|截至目前|截止目前)(?:共)?累计(?:共)?(?:公开|发布)?(?:为|达)?\s*")


# A sentence that ends right after its count with an intro and a colon: "主动公开政府信息295条（…），包括：" —
# the lines after it are the parts.
COLON_CLOSES = re.compile(r"^\s*(?:[，,]\s*)?(?:(?:其中|包括|具体(?:情况)?(?:如下)?|分别(?:是|为)|主要有|如下)\s*)?[:：]\s*$")


def parts_follow_on_lines(run: Run, sentence_before: Sentence) -> bool:
    """The sentence before ended with its last count and a colon ("主动公开政府信息295条（…），包括："):
    the lines after it hold its parts, one passage with it."""
    last = next((d for d in reversed(run.drafts) if d.sentence is sentence_before and d.relation == "count"), None)
    return last is not None and COLON_CLOSES.match(outside_brackets(sentence_before.text[last.end:])) is not None


def sibling_of_its_total(run: Run, lst: DraftList, draft: Draft) -> bool:
    """A list nested in a part of another, and a figure said the way that part was said — a channel
    with its verb of publishing: the next part of the outer list."""
    outer = run.open_lists[-2] if len(run.open_lists) >= 2 else None
    if outer is None or lst.total is None or lst.total not in outer.parts:
        return False
    if numbered_after(lst.total, draft):
        return True  # "1.政务网公开120条，其中：…；⏎2.微信公众号发布33条": the outer list's next item
    return PUBLISHING_VERB.search(left_words(draft)) is not None \
        and PUBLISHING_VERB.search(left_words(lst.total)) is not None


# An item's number opening its line: "1.", "2、", "（3）", "(4)".
ITEM_NUMBER = re.compile(r"^\s*(?:(?P<dot>\d{1,2})\s*[.．、]|[（(](?P<paren>\d{1,2})[)）])")


def numbered_after(first: Draft, later: Draft) -> bool:
    """Both figures open lines numbered the same way, the later one's number the next: items of one
    enumeration, whatever was said between them."""
    a, b = ITEM_NUMBER.match(first.sentence.text), ITEM_NUMBER.match(later.sentence.text)
    if a is None or b is None or first.sentence is later.sentence:
        return False
    if a.group("dot") and b.group("dot"):
        return int(b.group("dot")) == int(a.group("dot")) + 1
    if a.group("paren") and b.group("paren"):
        return int(b.group("paren")) == int(a.group("paren")) + 1
    return False


# The verb a part of published information ends with: "政策文件类公开207条", "工作动态发布145条".
PUBLISHED_AS = re.compile(r"(?:公开|发布|公布|推送|刊发|编发)$")


def said_as_its_total_after_a_stop(run: Run, lst: DraftList, draft: Draft) -> bool:
    """A list nested in a part of another, its items joined by commas, and after a ； a figure said
    the way that part was said, with the same verb ("其中：政策文件类公开207条，包含…97条；工作动态
    公开145条"): the next part of the outer list."""
    outer = run.open_lists[-2] if len(run.open_lists) >= 2 else None
    if outer is None or lst.total is None or lst.total not in outer.parts:
        return False
    last = lst.parts[-1]
    if last.sentence is draft.sentence:
        stop = re.search(r"[；;]", draft.sentence.text[last.end:draft.start]) is not None
    else:
        stop = last.sentence.text.rstrip().endswith(("；", ";"))
    inner = PUBLISHED_AS.search(left_words(lst.total))
    own = PUBLISHED_AS.search(left_words(draft))
    return stop and inner is not None and own is not None and inner.group() == own.group()


def item_in_another_unit(text: str, lst: DraftList, draft: Draft) -> bool:
    """"…图片新闻110条；行政发文7条；民意调查4次；公示公告122条；…": an item counted in another unit,
    between items of the list joined by the same separator: the enumeration goes on past it (it is
    no part of the total, and does not end the list)."""
    last = lst.parts[-1] if lst.parts else None
    if last is None or lst.total is None:
        return False
    own = left_words(draft)
    if draft.quantity is None or NEW_STATEMENT.search(own) or DOING_VERB.match(own):
        return False
    name = r"[^；;，,、。：:（()）\d]{1,20}"
    if last.sentence is not draft.sentence:
        # items that are sentences of their own, each closed by ；
        return re.fullmatch(r"\s*[；;]\s*", last.sentence.text[last.end:]) is not None \
            and re.fullmatch(r"\s*" + name, draft.sentence.text[:draft.quantity.start]) is not None \
            and re.fullmatch(r"\s*[；;]\s*", draft.sentence.text[draft.end:]) is not None
    if draft.quantity is None or last.end > draft.start:
        return False
    before = re.match(r"\s*([；;，,、])" + name + "$", text[last.end:draft.quantity.start])
    after = re.match(r"\s*([；;，,、])" + name + r"?(\d+(?:\.\d+)?)\s*(\S)", text[draft.end:])
    return before is not None and after is not None and before.group(1) == after.group(1) \
        and after.group(3) == lst.total.unit[:1]


# Issues of a gazette or bulletin hold documents: "《政府公报》4期，其中数字化政府公报2期、文件45件".
ISSUES_OF_A_SERIAL = frozenset({"期"})


def enumerated_with_its_list(text: str, lst: DraftList, draft: Draft) -> bool:
    """"包括公文73条、建议提案办理复文206件、行政许可结果2446条": joined to the last part by 、 alone,
    an item of the list whatever its unit or kind ("，" may start something else: "专题专栏10个")."""
    last = lst.parts[-1] if lst.parts else None
    return last is not None and last.sentence is draft.sentence and last.end <= draft.start \
        and re.fullmatch(r"、[^，,；;。：:（()）\d]{0,20}", text[last.end:draft.start]) is not None \
        and not (ISSUES_OF_A_SERIAL & {draft.unit, last.unit} and draft.unit != last.unit)


def all_in_one_part(text: str, lst: DraftList, draft: Draft) -> bool:
    """"发文4条，其中业务工作4条；政务动态类信息数51条；…": one part that is the whole total, and the
    next figure after a ；: the list has said all it had to."""
    if len(lst.parts) != 1 or lst.total is None or lst.total.value is None or lst.parts[0].value != lst.total.value:
        return False
    last = lst.parts[-1]
    return last.sentence is not draft.sentence or re.search(r"[；;]", text[last.end:draft.start]) is not None


# Narrative figures that count something other than information published, when received from
# others ("收到留言56条"; "人大代表建议办理8条" is the replies published).
NOT_PUBLISHED_KINDS = frozenset({"narrative.consultation", "narrative.training", "narrative.application_topic"})
RECEIVED_FROM_OTHERS = re.compile(r"收到|接到|接收|收集|征集到|受理")


# A verb of making or doing that opens a clause: what follows is something of its own.
DOING_VERB = re.compile(r"^\s*(?:制发|制作|印发|召开|开展|举办|组织|编发|编印|出台|接待|办理|受理|收到|接到|完成|新增|新开设|开设|新建|建成)")


def new_clause_of_its_own(text: str, lst: DraftList, draft: Draft) -> bool:
    """After a ；, a clause opening with its own verb and counting in another unit than the list's
    total ("…248条；制发政策解读31篇"): a new statement, not a further part."""
    last = lst.parts[-1]
    if lst.total is None or draft.unit == lst.total.unit:
        return False
    if last.sentence is draft.sentence:
        between = text[last.end:draft.start]
        if not re.search(r"[；;]", between):
            # after a comma only a verb of publishing does it: "…概况类信息数9条，发布政策解读稿件5篇" —
            # unless the list's items each say theirs ("其中，发布…领域371条，发布行政规范性文件1件")
            lead = re.split(r"[，,]", between)[-1]
            return re.search(r"[，,]", between) is not None \
                and OWN_PUBLISHING.match(lead.lstrip() + left_words(draft)) is not None \
                and OWN_PUBLISHING.match(left_words(lst.parts[0])) is None
        lead = re.split(r"[；;]", between)[-1]
    else:  # the ； ended the sentence of the last part (sentences joined in one run)
        if last.sentence.text[last.end:].strip() not in ("；", ";"):
            return False
        lead = draft.sentence.text[:draft.start]
    # its own verb, of making or of publishing, or a means it published through ("…；发布航行通告141条",
    # "…；通过官方微博…发布政策解读、宣传稿件2305篇")
    clause = lead.lstrip("，, ") + left_words(draft)
    return DOING_VERB.match(clause) is not None or OWN_PUBLISHING.match(clause) is not None \
        or THROUGH_A_MEANS.match(clause) is not None


THROUGH_A_MEANS = re.compile(r"^\s*(?:通过|利用|借助|依托)[^，,。；;\d]{0,24}?(?:发布|公开|推送|更新|刊发)")


OWN_PUBLISHING = re.compile(r"^\s*(?:发布|推送|编发|刊发|制发|印发)")


def larger_than_its_total(lst: DraftList, draft: Draft) -> bool:
    """A figure larger than the whole of the list it would join ("12条，其中6条，3条，3条，开展…工作信息
    121条"): no part of it, once the list has said all its total holds."""
    return lst.total is not None and lst.total.value is not None and draft.value is not None \
        and same_unit(lst.total.unit, draft.unit) and draft.value > lst.total.value


def said_all(lst: DraftList) -> bool:
    """Its parts, one or more, make its total."""
    return bool(lst.parts) and lst.total is not None and lst.total.value is not None \
        and abs(sum(p.value or 0 for p in lst.parts) - lst.total.value) < 1e-9


def adds_up(lst: DraftList) -> bool:
    """Two or more parts that already make its total."""
    if len(lst.parts) < 2 or lst.total is None or lst.total.value is None:
        return False
    return abs(sum(p.value or 0 for p in lst.parts) - lst.total.value) < 1e-9


# A clause that opens with a conjunction of a new predicate: "…50条，并通过其他信访平台受理回复群众意见43条".
NEW_PREDICATE = re.compile(r"^\s*(?:并|同时|另外|此外|还)")


def is_remainder(draft: Draft) -> bool:
    """"其他栏目以及热点专题信息合计139条", "…等民众关心的其他信息共计2004条": the rest of a list,
    though it says 合计 — not a clause that says something new of something else ("并通过其他平台受理…")."""
    words = left_words(draft)
    return bool(REMAINDER.search(words)) and not NEW_PREDICATE.match(words)


BRACKET_MARK = re.compile("[" + re.escape(PAREN_OPENERS + PAREN_CLOSERS) + "]")


def outside_brackets(text: str) -> str:
    """The text without what stands inside brackets (closed or still open at its end)."""
    if BRACKET_MARK.search(text) is None:
        return text  # most texts: no walk over their characters
    out, depth = [], 0
    for ch in text:
        if ch in PAREN_OPENERS:
            depth += 1
        elif ch in PAREN_CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


# "与2023年相比增加了5件": the count is a difference between two years, not a number of things.
DIFFERENCE = re.compile(r"(?:相比|相较|较上年|较去年|比上年|比去年|同比)[^，。；]{0,8}?(?:增加|减少|增长|下降|上升|回落|多|少)了?\s*$"
                        r"|(?:增加|减少|增长|下降|上升|回落)了\s*$")


def is_difference(draft: Draft) -> bool:
    return DIFFERENCE.search(draft.sentence.text[clause_bounds(draft.sentence.text, draft.start)[0]:draft.start]) is not None


def is_change_to(draft: Draft) -> bool:
    """The count is the new level of a change ("由原来的8个增加到现在的16个")."""
    text = draft.sentence.text
    return bool(CHANGE_TO.search(text, clause_bounds(text, draft.start)[0], draft.start))


def with_share(draft: Draft) -> bool:
    """The count is followed by its share ("1397条，占73%", "1条，0.16%")."""
    # Bounded runs: `\s*[，,、]?\s*` splits a long run of spaces every way, and an unbounded \d+ before
    # a missing % rescans a long run of digits from every start.
    return bool(re.match(r"[ \t]{0,3}(?:[，,、][ \t]{0,3})?(?:(?:约)?占|\d{1,6}(?:\.\d{1,4})?[ \t]{0,2}%)",
                         draft.sentence.text[draft.end:]))


def orphan_part(draft: Draft, lst: DraftList) -> None:
    """A figure after 其中 that does not fit the list is still a part of something: never the
    table's whole figure ("其中，…撤销申请1件，因特殊原因电话回复2件")."""
    draft.scope.add("subset")
    row = draft.concept.split(".")[1] if draft.concept.startswith("applications.") and "." in draft.concept else None
    if draft.concept == lst.total.concept or row in FLOW_ROWS:
        draft.scope.add("split")


# Published information is counted in 条 and its kinds in any unit of documents ("主动公开信息70条，
# 其中规范性文件7件、…信息9条"; evaluators add them up).
DOCUMENT_UNITS = frozenset({"条", "篇", "件", "份"})


def fits_total(total: Draft, part: Draft) -> bool:
    """Whether `part` is counted in a unit its total can be made of."""
    if same_unit(total.unit, part.unit):
        return True
    return (total.concept in ("narrative.published", "narrative.published_part")
            and total.unit in DOCUMENT_UNITS and part.unit in DOCUMENT_UNITS
            and (kind_named(part) in ("other", "narrative.published", "narrative.published_part")
                 or kind_named(part).startswith("active.")  # not "网络诉求3件": something else
                 # "平台公开61份，其中，政务动态54条，…政策解读2条": interpretations are items of
                 # information published, not of documents ("文件29件，其中…同步发布政策解读15条")
                 or (kind_named(part) == "narrative.interpretation" and not names_documents(total))))


def names_documents(total: Draft) -> bool:
    """The total counts documents (文件), not items of information."""
    return "文件" in total.sentence.text[max(0, total.start - 8):total.end]


def kind_named(draft: Draft) -> str:
    """The draft's concept, or before it is composed, the head its words name."""
    if draft.concept != "other":
        return draft.concept
    head = draft.reading.head if draft.reading is not None else None
    return head.id if head is not None else "other"


STOCK_NAMED = re.compile(r"历年|累计|以来|截至|截止|上一?年|去年")


# What a list's intro may say the information it breaks down was, by its disclosure attribute.
ATTRIBUTE_NAMED = re.compile(r"主动公开|依申请公开|不予公开")


def list_total(lex: Lexicon, counts: list[Draft], draft: Draft, after_intro: str, up_to_intro: str = "") -> Draft | None:
    """The total a list opening before `draft` belongs to: the last count in the same unit, or the
    last count of what the intro or the words after 其中 name."""
    # not a figure said to be included in another ("包括上年结转30件"): a remark, not a total
    candidates = [d for d in counts if fits_total(d, draft) and "included" not in d.scope and not is_difference(d)]
    if draft.value:
        # "答复申请共15件，撤销申请0件。其中，予以公开2件…": nothing is a part of none
        candidates = [d for d in candidates if d.value != 0]
    if not candidates:
        return None
    last = candidates[-1]
    if last.concept.startswith("applications.carried_over") and draft.value and last.value is not None \
            and draft.value > last.value:
        # "收到…依申请公开7件，上年结转2件，其中：自然人申请7件": the applications carried over cannot
        # hold it; the ones received before them can
        received = [d for d in candidates if d.concept.startswith(RECEIVED) and d.value is not None
                    and d.value >= draft.value]
        if received:
            return received[-1]
    nearest = counts[-1]
    if nearest is not candidates[-1] and nearest.sentence is draft.sentence \
            and candidates[-1].sentence is not draft.sentence and unit_family(nearest.unit) == "count":
        # "…1条；全年共完成交易项目1691项，…，其中房建市政399条、…": the figure 其中 breaks down is
        # the one in its own sentence, counted in another word, not one before the ；
        return nearest
    intro_clause = re.split(r"[，,；;。：:]", up_to_intro[:-1])[-1] \
        if up_to_intro.endswith(("中，", "中,", "中：", "中:")) else ""
    if ALL_THE_YEARS.search(intro_clause):
        # "历年主动公开的政府信息中，机构职能类信息12条，…": of a stock said before, or of none
        stocks = [d for d in candidates if not of_one_year(intro_clause, d)]
        return stocks[-1] if stocks else None
    attribute = ATTRIBUTE_NAMED.search(intro_clause) if intro_clause else None
    if attribute is not None:
        # "制作信息18条，其中主动公开信息数16条，…不予公开信息数2条。主动公开信息中，机构职能类…":
        # the count of what the intro names, not the last one
        named_so = [d for d in candidates if attribute.group() in _through(d)]
        if named_so:
            return named_so[-1]
    named = re.sub(r"[\s，,：:]", "", after_intro)
    if "other_year" in candidates[-1].scope and candidates[-1].sentence is not draft.sentence \
            and not STOCK_NAMED.search(draft.sentence.text[:draft.start]):
        # "主动公开政府信息155条，历年累计公开3930条。2024年主动公开的政府信息中：…83条，占53.5%": a
        # later sentence breaks down the year's figure, not the stock said beside it
        this_year = [d for d in candidates if "other_year" not in d.scope]
        candidates = this_year or candidates
    number_at = draft.quantity.start if draft.quantity is not None else draft.end
    if CHANNEL.search(draft.sentence.text, 0, number_at):
        # "收到84件，已答复84件，结转1件。其中当面申请8件、网上申请54件": the channels of those received
        received = [d for d in candidates if d.concept.startswith(RECEIVED)]
        if received:
            return received[-1]
    reading = read_left(lex, re.sub(r"方面$", "", named), draft.unit) if named else None
    own = draft.reading
    if (reading is None or reading.head is None) and own is not None and own.head is not None and own.row:
        # "…完成答复54件，转下一年度继续办理3件。其中，县级政府受理并完成申请答复6件": nothing named
        # after 其中 but who; the part's own row (答复) names its total, not the last count (结转3件)
        row_concept = f"{own.head.id}.{own.row}"
        for d in reversed(candidates):
            if d.concept == row_concept:
                return d
    if reading is not None and reading.head is not None:
        for d in reversed(candidates):
            if d.reading is not None and d.reading.head is not None and d.reading.head.id == reading.head.id:
                return d
    return candidates[-1]


def merge_dimension(current: str | None, new: str | None) -> str | None:
    """Parts of one list break its total down one way; by office, channel and result may mix (all
    are shares of the processed applications), by column may not."""
    if new is None:
        return None
    if current is None or current == new:
        return new
    if {current, new} <= {"category", "split", "result"}:
        return "category"
    return None


# Items taken down or withdrawn: beside a count, never a part of it.
REMOVED = re.compile(r"撤销|撤回|撤下|撤除|删除|下架")


def total_before_bracket(text: str, draft: Draft, run: Run) -> Draft | None:
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
    if REMOVED.search(text[opener + 1:draft.start]):
        return None  # "形势分析类20条(同时撤销2条)": what was taken down, not a part of the 20
    for d in reversed(run.drafts):
        if d.sentence is draft.sentence and d.quantity is not None and d.depth == draft.depth - 1:
            return d if not text[d.end:opener].strip(" \t\u3000，,：:") else None
    return None


# What the year added to a stock of published information ("截至年底累计公开…，其中本年新增…"): a
# total that has additions is a stock, whatever it is called.
NEW_OF_THE_YEAR = re.compile(r"新增")
# An item that is only a year or a span of years, with its figure ("2003年30条", "其中2003年至2012年信息公开168条").
YEARS_ITEM = re.compile(r"(?:[，,：:\s]*其中)?[，,：:\s]*(?:19|20)\d{2}年度?(?:(?:至|到|—|-|~)(?:19|20)\d{2}年度?)?"
                        r"(?:共|共计|累计)?(?:(?:主动)?(?:公开|发布)(?:政府)?(?:信息)?|(?:政府)?信息(?:主动)?(?:公开|发布))?"
                        r"(?:共|为)?\s*\d+(?:\.\d+)?\s*条")


# What stands between two items of one enumeration: a separator and the next item's name, no
# clause of its own (no verb-led clause break, no sentence end).
ENUMERATED_ITEM = re.compile(r"\s*[、，,；;]\s*[^。！？：:，,；;]{1,24}")
# An enumeration this long is a list of kinds, whatever the lexicon knows of each.
KINDS_IN_A_RUN = 3


def kinds_in_a_run(runs: list[Run], text: str) -> None:
    """Items counted in 条/篇 one after another ("行政许可5条；采购投诉处理办理指南1条；惠民惠农补贴资金
    政策清单2条；…") are kinds of one thing: where the run holds kinds of published information, an
    item the lexicon cannot name is one more kind (not "other"), even when the verb and the total
    are sentences away. A list's total is no item of a run. `text` is the document's."""
    for passage in runs:
        totals = {id(lst.total) for lst in passage.lists if lst.total is not None}
        drafts = sorted((d for d in passage.drafts if id(d) not in totals),
                        key=lambda d: (d.sentence.start, d.start))
        _settle_runs(text, drafts)


def sent_elsewhere(run: list[Draft]) -> bool:
    """The run's verb, said once before its first item, sends the items elsewhere ("报送专项举报530余条，
    不良信息150余条，网评文140余篇"): none of them was published here."""
    first = run[0]
    start, _ = clause_bounds(first.sentence.text, first.start)
    return SENT_ELSEWHERE.search(first.sentence.text[start:first.end]) is not None


def _settle_runs(text: str, drafts: list[Draft]) -> None:
    run: list[Draft] = []

    def settle() -> None:
        if len(run) >= KINDS_IN_A_RUN and any(d.concept == "narrative.published_part" for d in run) \
                and not sent_elsewhere(run):
            for d in run:
                if d.concept == "other" and (d.reading is None or not d.reading.known) \
                        and "audience" not in d.scope:
                    d.concept = "narrative.published_part"
        run.clear()

    for draft in drafts:
        if draft.relation != "count" or draft.quantity is None or draft.unit not in CONTENT_UNITS:
            settle()
            continue
        if run:
            before = run[-1]
            between = text[before.sentence.start + before.end:draft.sentence.start + draft.quantity.start]
            if before.depth != draft.depth or not ENUMERATED_ITEM.fullmatch(between):
                settle()
        run.append(draft)
    settle()


# Applications counted by what they asked about: a kind named as such ("规划许可类3件", "其它类1件").
SUBJECT_KIND = re.compile(r"[\u4e00-\u9fff]类\s*\d")


def as_part(draft: Draft, total: Draft, dimension: str, hedge: str | None) -> None:
    """A part's concept once its list is known: a kind of published information, or a share of its
    total that the lexicon cannot name (by area, channel, subject: "市政府349件"). A part that counts
    the same concept as its total ("split": by office, area or channel) is a share of the table's
    figure, never the figure itself."""
    if total.concept in ("narrative.published", "narrative.published_part"):
        # a document counted in its own unit ("新制定规范性文件15件" among 条 of information) is a
        # figure of its own too
        if NEW_OF_THE_YEAR.search(draft.sentence.text[max(0, draft.start - 12):draft.end]) \
                and draft.concept == "narrative.published":
            pass  # "共公开3819条，…本年度新增的主动公开信息169条": the year's own total, in a stock
        elif YEARS_ITEM.fullmatch(_clause_words(draft) + draft.sentence.text[draft.start:draft.end]):
            draft.concept = "narrative.published"  # "累计公开207条，其中…2003年30条，2004年16条": each
            # year's own total of what was published, not a kind of it
        elif draft.reading is not None and not_published_here(draft.reading, draft.unit):
            draft.concept = "other"  # "制作、获取…，其中…不予公开信息数8条": an entry not published
        elif draft.concept == "other" and draft.reading is not None and draft.reading.head is not None \
                and draft.reading.head.id in DOCUMENT_HEADS and draft.reading.row is None:
            if "included" not in draft.scope:
                # "发布信息120条，其中规范性文件16条": one kind of what was published, as its
                # neighbours are (so the annotators of the claims corpus and the blind sets read 15
                # of 17 such parts)
                draft.concept = "narrative.published_part"
            else:
                # "推送信息376条，含行政规范性文件4件": the year's documents said to be among what
                # was published — as said of documents published, a mismatch with table 二 is
                # only a note
                draft.concept = f"{draft.reading.head.id}.issued"
                draft.scope.add("published")
        elif draft.concept.startswith("applications.") and draft.reading is not None \
                and re.search(r"(?<!依)申请", draft.reading.head_words):
            pass  # "制作、获取政府信息614条，其中主动公开29条，不予公开583条；受理政府信息公开申请2条":
            # the applications received, whatever list their figure completes
        elif draft.concept == "narrative.interpretation":
            pass  # "政策解读信息4条": a kind of what was published, counted as itself too (so the blind
            # sets' annotators read 110 of 147 such parts)
        elif draft.concept == "narrative.consultation":
            # "回应关切26条", "人大代表建议办理8条" among kinds of what was published: the replies
            # published, not the proposals or messages handled (so the blind sets' annotators read
            # 55 of 82 such parts; 回应关切 is the one they split on)
            draft.concept = "narrative.published_part"
        elif same_unit(draft.unit, total.unit) or draft.concept in ("other", "narrative.published"):
            draft.concept = "narrative.published_part"
    elif draft.concept == "applications.other_misc" and total.concept.startswith("appeals.") \
            and total.concept.count(".") == 1:
        draft.concept = total.concept + ".other"  # "行政复议共5件，其中1件由申请人主动撤回": a case withdrawn
    elif draft.concept == "narrative.platform" and total.concept.startswith("applications.") and unit_family(draft.unit) == "count":
        draft.concept = total.concept  # "收到申请6件，其中网上平台2件": the way they came in
    elif dimension == "category" and draft.concept == "other" and total.concept.startswith("applications.") \
            and SUBJECT_KIND.search(_clause_words(draft) + draft.sentence.text[draft.start:draft.end]):
        draft.concept = "narrative.application_topic"  # "申请内容主要涉及规划许可类3件、生态修复类1件"
    elif dimension == "category" and draft.concept == "other" and total.concept != "other":
        draft.concept = total.concept
    elif dimension == "result" and total.concept.startswith("applications.") and total.concept.count(".") == 2 \
            and draft.concept.startswith("applications.") and draft.concept.count(".") == 1:
        # "自然人申请7件（予以公开2件，部分公开2件…）": the results of one applicant column's cases
        draft.concept = f"{draft.concept}.{total.concept.rsplit('.', 1)[1]}"
    if hedge:
        draft.scope.add(hedge)
    if draft.concept == total.concept and draft.concept != "other":
        draft.scope.add("split")


# From the start of a run of words only (see KIND_OF_INFORMATION).
ITEM_COUNT = re.compile(r"(?<![\u4e00-\u9fff、])[\u4e00-\u9fff、]{2,}(?<![计合总累])共\s*$")


# An item's own sum word at the end of its clause, and what it holds before it (包含 holds 含).
# Found apart: one pattern for "含, two or more characters, the sum word" restarted its lazy run
# at every 含 of the clause (quadratic in a clause of many; bench/regex_linearity.py).
ITEM_SUM_WORD = re.compile(r"(?:合计|共计|总计|共)\s*$")
ITEM_HOLDS = re.compile(r"含|包括")
# "；公示公告、项目公告合计719条；": two kinds named and counted together
ITEM_JOINS = re.compile(r"^[^，,；;：:。\d]{1,16}[、和及与][^，,；;：:。\d]{1,16}?(?:合计|共计|总计|共)\s*$")


def holds_or_joins(clause: str) -> bool:
    """The clause (no punctuation in it) names what an item holds — 含/包括 and at least two
    characters before its sum word — or joins two kinds before it."""
    sum_word = ITEM_SUM_WORD.search(clause)
    if sum_word is None:
        return False
    holds = ITEM_HOLDS.search(clause)
    return (holds is not None and holds.end() + 2 <= sum_word.start()) or ITEM_JOINS.search(clause) is not None


def item_with_its_own_count(text: str, draft: Draft, current: DraftList) -> bool:
    """"其中：减税降费5条，财税金融等政策及解读共1条；…其他文件共51条": inside a list opened with
    其中/包括, an item may say 共 before its own count. It names a kind and is smaller than the
    list's total, so it is an item, not a new total (共计/合计/总计 still are)."""
    if not current.intro or current.total is None or current.total.value is None or draft.value is None:
        return False
    if draft.value >= current.total.value:
        return False
    number_at = draft.quantity.start if draft.quantity is not None else draft.start
    clause = re.split(r"[，,；;：:。]", text[:number_at])[-1]
    if ITEM_COUNT.search(clause) is not None:
        return True
    # "…政策文件3条，政府信息公开含指南、年报、法定主动公开内容等合计14条": an item that lists what it
    # holds (or the kinds it joins) and sums it, fitting in what the list's total leaves
    rest = current.total.value - sum(p.value or 0 for p in current.parts)
    return holds_or_joins(clause) and draft.value <= rest + 1e-9


# The verb a figure's clause opens with ("发布部门动态38条").
LEADING_VERB = re.compile(r"^(?:全年|本年|共|累计|主动|同时)*(发布|公开|公布|推送|编发|更新|报送|上报|转载)")


def repeats_the_verb_of(total: Draft, draft: Draft) -> bool:
    """"发布部门动态38条，其中采用5条；发布工作动态32条": a figure in a later sentence whose clause opens
    with the verb the total's clause opened with is the total's sibling, not one more of its parts."""
    verbs = [LEADING_VERB.match(re.split(r"[，,；;。：:]", d.sentence.text[:d.start])[-1].strip()) for d in (total, draft)]
    return all(verbs) and verbs[0].group(1) == verbs[1].group(1)


def starts_new_total(draft: Draft) -> bool:
    return bool(draft.reading is not None and draft.reading.total_word)


def remember(draft: Draft, run: Run) -> None:
    concept = draft.concept
    if concept == "other" or (concept.startswith("active.") and "inferred" in draft.scope):
        return  # a kind of document the reader inferred is no head for the figures after it
    run.topic = head_of(concept) if not concept.startswith("narrative.") else concept
    if concept.startswith("narrative."):
        return
    table = concept.split(".")[0]
    run.last_head[table] = head_of(concept)
    if table == "applications" and draft.depth == 0:
        # (not a figure in brackets, "（含2021年度结转5宗）": "公民申请113宗" after it is of the 124)
        row = concept.split(".")[1]
        if row in FLOW_ROWS:
            run.last_row = row


def parts_first(lex: Lexicon, text: str, drafts: list[Draft], run: Run) -> None:
    """"政策文件51条，计划规划40条，…，其他类累计信息共计844条": the total after its parts."""
    for i, total in enumerate(drafts):
        if total.reading is None or not total.reading.total_word or "subset" in total.scope or i < 2:
            continue
        if any(lst.total is total for lst in run.lists):
            continue
        if "、" in total.sentence.text[clause_bounds(total.sentence.text, total.start)[0]:total.start]:
            continue  # "被撤销、确认违法、责令履行共0件": the 共 adds up the names of its own clause
        parts: list[Draft] = []
        for d in reversed(drafts[:i]):
            if "other_year" in d.scope:
                continue  # "由2013年的1128条增加到…": last year's figure is not a part
            if "subset" in d.scope or any(lst.total is d for lst in run.lists) or d.depth != total.depth:
                break
            if not fits_total(total, d) or not same_unit(total.unit, d.unit):
                break  # "来件197件，…征集调查12期，受理热线诉求共计22050件": not parts of one whole
                # ("…解读稿件11篇，政策文件4篇，通过其他渠道…共计300余条": another unit, another thing)
            if dimension_of(lex, total, d) is None:
                break
            parts.append(d)
        if len(parts) < 2:
            continue
        parts.reverse()
        published = [d.concept.startswith("narrative.published") for d in parts]
        if total.concept == "narrative.published_part" or (total.concept == "other" and any(published) and all(
                p or d.concept == "other" for p, d in zip(published, parts))):
            total.concept = "narrative.published"  # "1887条，…发布信息514条，总计2401条": what was published
        dims = {dimension_of(lex, total, d) for d in parts}
        lst = DraftList(total=total, parts=parts, dimension=dims.pop() if len(dims) == 1 else "category",
                    intro="共计", depth=total.depth)
        lst.partial = bool(re.search(r"等", text[parts[-1].end:total.start]))
        for d in parts:
            as_part(d, total, lst.dimension, False)
        run.lists.append(lst)


LONE_KIND_ITEM = re.compile(r"[^，,；;。：:\d]{1,14}类[^，,；;。：:\d]{0,6}\d+\s*\S{1,2}[。.；;]?")


def closing_item_after_the_stop(runs: list[Run], text: str) -> None:
    """"其中：…发布工作信息动态105条。通过公示栏张贴公开信息71条。" (308 = 237 + 71): a list of six
    channels that ran to the end of its sentence, short of its total by exactly the figure that opens
    the next sentence of the paragraph, ends with that figure — a full stop typed for a semicolon."""
    ordered = [d for r in runs for d in r.drafts if d.relation == "count" and d.quantity is not None]
    ordered.sort(key=lambda d: d.sentence.start + d.start)
    in_lists = {id(p) for r in runs for lst in r.lists for p in lst.parts + [lst.total] if p is not None}
    following = {id(a): b for a, b in zip(ordered, ordered[1:])}
    for r in runs:
        for lst in r.lists:
            if lst.total is None or lst.total.value is None or len(lst.parts) < 2 or lst.partial \
                    or lst.dimension is None or any(p.value is None for p in lst.parts):
                continue
            last = lst.parts[-1]
            nxt = following.get(id(last))
            shortfall = lst.total.value - sum(p.value for p in lst.parts)
            if nxt is None or id(nxt) in in_lists or shortfall <= 0 or nxt.value is None \
                    or not same_unit(nxt.unit, last.unit):
                continue
            # "…对外宣传类信息97条(基层动态)。通知公告类46条。": a sentence that is one more kind
            # alone, after kinds — whatever it makes of the sum
            lone_kind = LONE_KIND_ITEM.fullmatch(nxt.sentence.text.strip()) is not None \
                and any(NAMED_KIND.search(_clause_words(p)) for p in lst.parts)
            if abs(nxt.value - shortfall) > 1e-9 and not lone_kind:
                continue
            sentence, after = last.sentence, nxt.sentence
            if after is sentence or after.section != sentence.section or after.start < sentence.end \
                    or "\n" in text[sentence.end:after.start] \
                    or re.sub(r"[（(][^（）()]{0,20}[）)]", "", sentence.text[last.end:]).strip("。.；; ") \
                    or nxt.depth != last.depth:
                continue
            as_part(nxt, lst.total, lst.dimension, None)
            nxt.scope.add("subset")
            lst.parts.append(nxt)


def reattach_totals(run: Run) -> None:
    """"接收申请101件，上年结转1件，其中自然人申请100件、法人或其他组织申请1件": a list whose parts do
    not make the count right before it, but exactly make an earlier count of the passage ("共受理2720件…，
    办结2680件。其中，求助类2252件…"), is that count's breakdown; its parts take that count's row, and
    their shares are of that count."""
    for lst in list(run.lists):
        total = lst.total
        if total is None or total.value is None or len(lst.parts) < 2 or adds_up(lst):
            continue
        stated = sum(p.value or 0 for p in lst.parts)
        if first_part_is_total(lst):
            continue
        if of_new_and_carried(run, lst, stated):
            continue
        new_total = base_the_shares_imply(run, lst) or next(
            (d for d in reversed(figures_before(run, total))
             if d.relation == "count" and d.depth == total.depth and same_unit(d.unit, total.unit)
             and "other_year" not in d.scope and d.value is not None and abs(d.value - stated) < 1e-9), None)
        if new_total is None or new_total is total:
            continue
        old, new = total.concept, new_total.concept
        lst.total = new_total
        for part in lst.parts:
            if old.startswith("applications.") and new.startswith("applications.") and part.concept.startswith(old):
                part.concept = new + part.concept[len(old):]
        for share in run.drafts:
            if share.relation == "share" and share.base is total and share.about in lst.parts:
                share.base = new_total


# How far a share printed to one decimal or more may be from its count over its base.
SHARE_PRINTED_CLOSE = 0.06


def base_the_shares_imply(run: Run, lst: DraftList) -> Draft | None:
    """"处理依申请公开件98件，办结99件，1件为上年度结转办理件，其中予以公开79件，占79.8%；部分公开8件，
    占8.08%…": two or more parts each with a share that is its count over one figure stated before the
    list (79/99, 8/99): that figure is what they break down, whatever figure 其中 follows."""
    shares = [s for s in run.drafts if s.relation == "share" and s.about in lst.parts and s.value
              and s.about.value is not None]
    if len(shares) < 2:
        return None
    for d in reversed(figures_before(run, lst.parts[0])):
        if d.relation == "count" and d.value and d.depth == lst.parts[0].depth and same_unit(d.unit, lst.parts[0].unit) \
                and "other_year" not in d.scope \
                and all(abs(100.0 * s.about.value / d.value - s.value) <= SHARE_PRINTED_CLOSE for s in shares):
            return d
    return None


def of_new_and_carried(run: Run, lst: DraftList, stated: float) -> bool:
    """"收到申请9件，上年转结1件，其中网络申请5件，信函申请5件": parts that make the new and the
    carried-over applications together break down the applications handled (no figure states
    them), so they are shares of that, and no list to add up."""
    before = figures_before(run, lst.parts[0])
    new = next((d for d in reversed(before) if d.concept == "applications.new_received" and d.relation == "count"), None)
    carried = next((d for d in reversed(before) if d.concept == "applications.carried_over" and d.relation == "count"), None)
    if new is None or carried is None or new.value is None or carried.value is None:
        return False
    if abs(new.value + carried.value - stated) > 1e-9:
        return False
    for part in lst.parts:
        if part.concept.startswith("applications."):
            part.concept = with_row(part.concept, "received_total")
        part.scope |= {"subset", "split"}
    run.lists.remove(lst)
    if lst in run.open_lists:
        run.open_lists.remove(lst)
    return True


def first_part_is_total(lst: DraftList) -> bool:
    """"其中通过门户网站发布5469条，政策解读2620条，要闻1360条…": the rest of the parts make exactly
    the first, which restates a figure and then breaks it down; the first becomes the list's total."""
    first, rest = lst.parts[0], lst.parts[1:]
    if len(rest) < 2 or first.value is None or any(p.value is None for p in rest):
        return False
    if abs(sum(p.value for p in rest) - first.value) > 1e-9:
        return False
    if not of_a_channel(first) or any(of_a_secondary_channel(p) for p in rest):
        # only a channel breaks down into kinds: kinds beside a first kind ("通知公告类49条、工作动态类
        # 41条、执法检查类7条、…1条") and channels beside the first channel ("通过政府网站主动公开136条
        # …；政务微信公开88条，其他方式公开48条") are its siblings, whatever their sum
        return False
    lst.total, lst.parts = first, rest
    first.scope.discard("split")
    return True


def figures_before(run: Run, draft: Draft) -> list[Draft]:
    """The passage's figures before `draft`, in text order."""
    before = []
    for d in run.passage + run.drafts:
        if d is draft or (d.sentence is draft.sentence and d.end > draft.start):
            break
        before.append(d)
    return before


# The words that say a figure is the sum of those before it.
SUM_WORD = re.compile(r"总计|合计|共计|总共|累计|共$")


def received_with_the_carried_over(runs: list[Run]) -> None:
    """"共收到政府信息公开申请3件。其中，上年结转申请1件，本年新收申请2件": a count of received
    applications followed by the carried-over and the new ones that make it is the two together (收办)."""
    for r in runs:
        counts = [d for d in r.drafts if d.relation == "count" and d.value is not None]
        for i, total in enumerate(counts[:-2]):
            if total.concept != "applications.new_received":
                continue
            rows = {counts[i + 1].concept, counts[i + 2].concept}
            if rows == {"applications.carried_over", "applications.new_received"} \
                    and abs(counts[i + 1].value + counts[i + 2].value - total.value) < 1e-9:
                total.concept = "applications.received_total"
        # "新收…申请17件，上年结转3件，总计20件": the two first, then their sum said as a total
        for first, second, total in zip(counts, counts[1:], counts[2:]):
            if {first.concept, second.concept} == {"applications.carried_over", "applications.new_received"} \
                    and total.concept in ("other", "applications.new_received") and same_unit(total.unit, first.unit) \
                    and SUM_WORD.search(_clause_words(total)) \
                    and abs(first.value + second.value - total.value) < 1e-9:
                total.concept = "applications.received_total"
