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

Lists (lists.py): a total and its parts, however the prose introduces them — 其中/包括/涉及/a colon/a
bracket/"…中，" after the total, the parts first and 共计/合计 last, or a run of table 三 results after
the processed count; nested lists, lists that end when their parts make the total, and lists that say
they are not complete. A passage is the sentences joined by ；, or a sentence opening with 其中 and
the one before; what a paragraph has named carries on to its next passage.

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
from functools import lru_cache

from auditor.model import Document
from auditor.nlp.claims.lists import (
    CHANNEL, RECEIVED, bare_item_after, bare_numbers, breakdown_with_a_rest, channels_after_a_total,
    closing_item_after_the_stop, cut_off, dispositions_of_what_was_made, enumerated_kinds_after_a_total,
    fewer_items_than_kinds, implicit_results, kinds_in_a_run, kinds_of_an_earlier_total, made_is_not_published,
    members_after_a_group, mixes_channels_and_kinds, parts_first, parts_follow_on_lines, place,
    promote_overall_published,
    reattach_totals, received_with_the_carried_over, results_of_the_carried_over, stocks_of_the_figure_before,
    uncounted_rest_after, unnumbered_items, unread_item_after)
from auditor.nlp.claims.negations import negation_claims
from auditor.nlp.claims.phrases import distributive_readings, from_sibling, read_number
from auditor.nlp.claims.rates import applications_topic_bases, count_growth, later_share_bases, percent_claims
from auditor.nlp.claims.state import FLOW_ROWS, RATE_UNITS, Draft, Run, with_row
from auditor.nlp.claims.text import (  # noqa: F401 (ITEM_SEPARATOR: for the checks too)
    ITEM_SEPARATOR, bracket_after, clause_bounds, left_context, quote_mask, sentence_depths,
    scope_words_in)
from auditor.nlp.lexicon import Lexicon, get_lexicon
from auditor.nlp.model import Claim, ClaimList, SCOPE_WORDS, Sentence
from auditor.nlp.quantities import Quantity, bare_enumerated, counted_once_after, find_quantities


# A clause naming another year than the report's own, or last year ("上年同期28件"); not 上年结转.
OTHER_YEAR = re.compile(r"(?<!结转)(?<!转结)(?:上一?年|去年|上年度|同期)(?!度?结转|度?转结|度?转入|度?未办结|度?遗留)"
                        # the cumulative figure since 2008 the old statistics table printed beside the year's
                        r"|历年|以来累计|累计至今"
                        # "本单位到目前累计主动公开政府信息100条": the stock so far, not the year's
                        r"|(?:到|至|截至|截止)目前(?:为止)?|迄今")

YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?=年)")
YEAR_RANGE = re.compile(r"(?<!\d)(?:19|20)\d{2}年?\s*[-—–~～至到]\s*(?:19|20)\d{2}年")

# …or with a quoted category and its count: one item of a list per paragraph (the 2008 style:
# "在已经答复的9件申请中，“同意公开”的7件，占70%。\n“同意部分公开”1件，占10%。")
CONTINUES_PARAGRAPH = re.compile(r"\s*(?:其中|具体(?:包括|为|是|如下)|包括|分别(?:为|是)"
                                 r"|[“\"「][^”\"」\n]{1,16}[”\"」](?:的)?\s?\d)")

# Bounds that keep reading linear in the text. Each figure is placed against the earlier figures of
# its passage, so a passage of n figures costs n² steps: "收到申请1件，" 40,000 times in one sentence
# took minutes. The real reports' passages hold at most ~45 figures.
# - A sentence stating more figures than this is a table or a dump run together, not narrative:
#   no claim is read from it (as table lines are not).
MAX_SENTENCE_FIGURES = 200
# - A passage (sentences joined by ；, a paragraph's earlier figures) that has grown past this many
#   figures is not continued: the next sentence starts a passage of its own.
MAX_PASSAGE_FIGURES = 400

# A year that dates the document counted, the figure right after its name.
DOCUMENT_OF_A_YEAR = re.compile(r"年度?[^，,。；;\d]{0,30}?(?:报告|年报|工作要点|要点|计划|预算|决算|规划|方案|总结)"
                                r"(?:全文|信息|文件)?[ \t]{0,2}$")
CARRIED_YEAR = re.compile(r"年度?(?:的)?(?:结转|转结|转入|遗留|未办结)")


def extract(doc: Document, sentences: list[Sentence],
            lexicon: Lexicon | None = None) -> tuple[list[Claim], list[ClaimList]]:
    """The claims of the narrative in text order, and the lists they form (with the shipped lexicon,
    or `lexicon`: `auditor rules check` tries a lexicon file before it is used)."""
    lex = lexicon or get_lexicon()
    year = doc.meta.year
    runs: list[Run] = []
    run = Run()
    previous: Sentence | None = None
    for sentence in sentences:
        text = sentence.text
        crowded = len(run.drafts) + len(run.passage) > MAX_PASSAGE_FIGURES
        joined = (previous is not None and previous.section == sentence.section and not crowded
                  and (previous.text.rstrip().endswith(("；", ";")) or text.lstrip("（(").startswith("其中")
                       or parts_follow_on_lines(run, previous)))
        if not joined:
            if run.drafts:
                runs.append(run)
            # a paragraph opening with "具体包括…"/"其中…" goes on with the paragraph before it
            same_paragraph = (previous is not None and previous.section == sentence.section and not crowded
                              and ("\n" not in doc.text[previous.end:sentence.start]
                                   or CONTINUES_PARAGRAPH.match(text) is not None))
            run = Run.following(run) if same_paragraph else Run()
        run.about_applications = (run.about_applications or sentence.section == "applications"
                                  or "申请" in sentence.text)
        run.current_sentence = sentence
        read_sentence(lex, sentence, run, year)
        implicit_results(run)
        previous = sentence
    if run.drafts:
        runs.append(run)
    for r in runs:
        reattach_totals(r)
        breakdown_with_a_rest(r)
    closing_item_after_the_stop(runs, doc.text)
    promote_overall_published(runs)
    stocks_of_the_figure_before(runs)
    kinds_of_an_earlier_total(runs)
    enumerated_kinds_after_a_total(runs)
    channels_after_a_total(runs)
    members_after_a_group(runs)
    dispositions_of_what_was_made(runs)
    results_of_the_carried_over(runs)
    received_with_the_carried_over(runs)
    later_share_bases(runs)
    applications_topic_bases(runs)
    made_is_not_published(runs)
    kinds_in_a_run(runs, doc.text)
    for r in runs:
        for d in r.drafts:
            if d.relation in ("share", "growth") and d.about is not None and d.about.relation == "count":
                # of what its count is about, as the lists and passes above read it at last
                d.concept = d.about.concept
            if d.relation == "count" and counted_once_after(d.sentence.text, d.end):
                d.scope.add("deduplicated")
            if the_public_at_large(d):
                d.concept = d.concept.rsplit(".", 1)[0]
    claims: list[Claim] = []
    lists: list[ClaimList] = []
    for r in runs:
        for draft in r.drafts:
            freeze(doc, draft)
            claims.append(draft.claim)
    for r in runs:
        for lst in r.lists:
            # readers, followers and visits are never items of a total of something else
            lst.parts = [p for p in lst.parts if "audience" not in p.scope
                         or (lst.total is not None and "audience" in lst.total.scope)]
            if len(lst.parts) < 1 or lst.dimension is None:
                continue
            if unnumbered_items(doc.text, lst) or bare_numbers(doc.text, lst) or cut_off(doc.text, lst) \
                    or uncounted_rest_after(doc.text, lst) or bare_item_after(doc.text, lst) \
                    or unread_item_after(r, lst) or fewer_items_than_kinds(doc.text, lst) \
                    or mixes_channels_and_kinds(lst):
                lst.partial = True
            lists.append(ClaimList(total=lst.total.claim if lst.total else None,
                                   parts=tuple(p.claim for p in lst.parts), dimension=lst.dimension,
                                   partial=lst.partial, intro=lst.intro))
    claims.sort(key=lambda c: (c.start, c.end))
    return claims, lists


# "公民" alone, with no other kind of applicant named in its sentence: everyone who applied.
BARE_CITIZENS = re.compile(r"公民(?!个人)")
OTHER_APPLICANTS = re.compile(r"法人|组织|企业|机构|单位|自然人|个人")


def the_public_at_large(d: Draft) -> bool:
    """"共收到公民政府信息公开申请35件": 公民 names the public, not the 自然人 column — unless the
    figure is a part of a total or the sentence names other kinds of applicant beside it ("公民申请113宗，
    法人和其他组织申请11宗")."""
    if not d.concept.endswith(".natural_person") or d.relation not in ("count", "none") or "subset" in d.scope:
        return False
    own = d.sentence.text[max(0, d.start - 2):d.end]
    return BARE_CITIZENS.search(own) is not None and "自然人" not in own \
        and OTHER_APPLICANTS.search(d.sentence.text.replace("公民个人", "")) is None


def extract_claims(doc: Document, sentences: list[Sentence]) -> list[Claim]:
    return extract(doc, sentences)[0]


def freeze(doc: Document, draft: Draft) -> Claim:
    if draft.claim is not None:
        return draft.claim
    about = freeze(doc, draft.about) if draft.about is not None else None
    base = freeze(doc, draft.base) if draft.base is not None else None
    sentence = draft.sentence
    start, end = sentence.start + draft.start, sentence.start + draft.end
    draft.claim = Claim(concept=draft.concept, relation=draft.relation, value=draft.value, unit=draft.unit,
                        scope=tuple(sorted(draft.scope)), start=start, end=end, text=doc.text[start:end],
                        sentence=sentence, outcome=draft.outcome, about=about, base=base)
    return draft.claim


# Whose figures a passage gives: one office's, the whole area's, filings.
WHOSE = frozenset({"agency", "jurisdiction", "filing"})


def whose_figures(scope: set[str], run: Run) -> set[str]:
    """A sentence joined to the one before by ； that names no one of its own goes on about the same
    figures' owner ("全区各行政机关共收到申请2076件…；作出答复2062件，结转…81件")."""
    own = scope & WHOSE
    if own:
        run.whose = own
        return scope
    return scope | run.whose


# "收到申请1件1项，答复1件1项": the items asked for, right after the count of applications.
ITEMS_OF_A_COUNT = {"件", "条", "宗", "份"}


def second_measure(previous: Quantity | None, q: Quantity) -> bool:
    """A figure in 项 written right against a count ("1件1项") measures the same thing again (the
    items it holds): no statement of its own, and not what the next figure inherits from."""
    return previous is not None and q.unit == "项" and previous.unit in ITEMS_OF_A_COUNT and previous.end == q.start


# "本年度报告包括总体情况、…等六项内容": the report's outline, counted in 项 or 个 of its contents.
REPORT_CONTENTS_AFTER = re.compile(r"(?:主要)?(?:内容|部分|板块|章节)")


def outlines_the_report(text: str, q: Quantity) -> bool:
    """A count of the report's own parts, no statement about the work."""
    return q.unit in ("项", "个") and REPORT_CONTENTS_AFTER.match(text, q.end) is not None and "报告" in text[:q.start]


# How many read, followed or visited — the words right before the figure, in its own clause part.
# (with its measure word: "接待咨询访问230人次" counts visitors consulting, not a site's visits)
AUDIENCE_MEASURE = re.compile(r"(?:(?:阅读|浏览|点击|访问|观看|播放|关注|订阅|转发|点赞)(?:量|数|人数|次数|用户数?|总量)|粉丝(?:数|量)?)"
                              r"(?:共|累计|总计)?(?:为|达|达到|超过|近|约)?$")


def counts_the_audience(left: str) -> bool:
    """The figure counts readers, followers or visits ("订阅数374908", "点击量52582次")."""
    return AUDIENCE_MEASURE.search(re.split(r"[、，,；;（(]", left)[-1]) is not None


def _figures(text: str) -> tuple[bytes, tuple[Quantity, ...], tuple[int, ...]]:
    """What read_sentence reads of a sentence's text alone: where it quotes (quote_mask), the
    figures it states outside quotes, and, where it states one, its bracket depths."""
    quoted = quote_mask(text)
    quantities = [q for q in find_quantities(text) if not quoted[q.start]]
    quantities = sorted(quantities + [q for q in bare_enumerated(text, quantities) if not quoted[q.start]],
                        key=lambda q: q.start)
    quantities = [q for i, q in enumerate(quantities) if not second_measure(quantities[i - 1] if i else None, q)
                  and not outlines_the_report(text, q)]
    # Most sentences state no figure: what only the figures' claims read is worked out for them.
    depths = sentence_depths(text) if quantities else []
    return bytes(quoted), tuple(quantities), tuple(depths)


# _figures of the sentences up to this long (99% of them), kept by their text: reports repeat their
# sentences — two calls in five in a batch of generated reports, nearly all of them sentences with
# no figure (a stock sentence of 五, "本年度未收取信息处理费"). Bounded: 8,192 texts of at most 200
# characters, with at most 100 figures each.
FIGURES_KEPT_UP_TO = 200
_figures_kept = lru_cache(maxsize=8192)(_figures)


def read_sentence(lex: Lexicon, sentence: Sentence, run: Run, year: int | None) -> None:
    """The claims of one sentence, added to the passage: counts (each placed in its list), changes,
    shares, rates and growth, negations and absolutes."""
    text = sentence.text
    quoted, quantities, depths = (_figures_kept(text) if len(text) <= FIGURES_KEPT_UP_TO else _figures(text))
    if len(quantities) > MAX_SENTENCE_FIGURES:
        return  # not narrative (see MAX_SENTENCE_FIGURES)
    drafts: list[Draft] = []
    distributive = distributive_readings(lex, text, quantities) if quantities else {}
    previous_end = 0
    for q in quantities:
        if q.unit in RATE_UNITS:
            continue
        barrier = previous_end
        left, where = left_context(text, q.start, barrier)
        change = count_growth(q, left, where, drafts, depths[q.start], sentence)
        if change is not None:
            run.drafts.append(change)  # "较2021年减少3件": a change, not a count of its own
            previous_end = q.end
            continue
        reading, start, end = read_number(lex, text, q, left, where, distributive.get(q.start))
        draft = Draft(quantity=q, reading=reading, value=q.value, unit=q.unit, start=start, end=end,
                       depth=depths[q.start], sentence=sentence)
        each = EACH.search(text, max(0, q.start - 3), q.start)
        if each is not None:
            # "更新信息公开指南、非公开目录、信息公开年报各1条": that many each, so 3 in all (the
            # names since the figure before: "…计划总结1条、本部门年度预决算各1条" names one)
            own_words = text[max(clause_bounds(text, q.start)[0], barrier):each.start()].lstrip("、，, ")
            named = len(ITEM_SEPARATOR.findall(own_words)) + 1
            if named > 1:
                draft.value = q.value * named
                draft.scope.add("each")
                draft.start = min(draft.start, each.start())  # the span shows 各
            else:
                draft.scope.add("approx")  # "预决算各1条": one name for several things, how many unknown
        if q.approx:
            draft.scope.add("approx")
        if q.floor:
            draft.scope.add("at_least")
        clause_start, _ = clause_bounds(text, q.start)
        mark_other_year(text, max(clause_start, barrier), q.start, year, draft)
        channel = CHANNEL.search(text, max(clause_start, barrier), q.start)
        if channel:
            draft.scope.add("split")
        place(lex, text, draft, run)
        carried_by_year(text[max(clause_start, barrier):q.start], year, draft)
        if channel and draft.concept.startswith("applications.") and not draft.concept.startswith(RECEIVED):
            # "…答复13件，结转下一年答复1件。网上申请5件，信函申请8件": how applications came in is
            # said of those received, whatever row the sentence before ended on
            draft.concept = with_row(draft.concept, "new_received")
        if draft.concept.startswith("applications.") and includes_carried(text, draft):
            draft.scope.add("including_carried")
            if draft.concept.split(".")[1] == "new_received":
                draft.concept = with_row(draft.concept, "received_total")
                if run.last_row == "new_received":
                    run.last_row = "received_total"  # "…124宗（含结转5宗），公民申请113宗": of the 124
        if disclosure_attribute(text, draft, run.drafts):
            draft.concept = "other"  # "主动公开文件1件，依申请公开0件，不予公开0件": how documents are disclosed
        if draft.concept == "other" and "subset" not in draft.scope:
            from_sibling(lex, text, left, draft, drafts)
        if counts_the_audience(left):
            draft.concept = "other"  # "微信公众号发布信息273条、订阅数374908": readers, not what was published
            draft.scope.add("audience")
        drafts.append(draft)
        run.drafts.append(draft)
        previous_end = max(q.end, end)  # past the words read after the number: "1件行政复议、1件行政诉讼"
    if drafts:
        parts_first(lex, text, drafts, run)
    sentence_scope = scope_words_in(text) if drafts else None
    if sentence_scope is not None:
        sentence_scope = whose_figures(sentence_scope, run)
    for draft in drafts:
        draft.scope |= sentence_scope
    percent = percent_claims(lex, text, quantities, drafts, run, quoted, sentence) if quantities else []
    negations = negation_claims(lex, text, quoted, drafts, run, sentence)
    if sentence_scope is None and (percent or negations):
        sentence_scope = whose_figures(scope_words_in(text), run)
    for d in percent + negations:
        d.scope |= sentence_scope
        run.drafts.append(d)


# "2024年全区结转…申请14件", "2026年结转依申请公开事项1件": a year before 结转 says which way.
YEAR_CARRIED = re.compile(r"(\d{4})年度?[^，。；\d]{0,6}?(?:结转|转结)")


# Documents or information by how they are disclosed (公开属性): "主动公开…N件" then its siblings.
PROACTIVE = re.compile(r"主动公开")
ATTRIBUTE = re.compile(r"(?:依申请公开|不予公开|不公开|部分公开|免予公开)(?:的)?(?:政府)?(?:信息|文件)?(?:数|数量)?(?:为|有)?")


def disclosure_attribute(text: str, draft: Draft, before: list[Draft]) -> bool:
    """A figure of 依申请公开/不予公开 right after a figure of 主动公开 (in the same unit, in the same
    enumeration) counts documents or information by their disclosure attribute, not applications and
    their results ("主动公开信息100条，依申请公开3件" is two things)."""
    if not draft.concept.startswith("applications.") or not before:
        return False
    if not ATTRIBUTE.fullmatch(text[draft.start:draft.quantity.start]):
        return False
    current = draft
    for previous in reversed(before):
        if not _next_in_enumeration(previous, current) or previous.unit != draft.unit:
            return False
        if previous.quantity is not None and previous.concept in ("other", "narrative.published_part") \
                and ATTRIBUTE.fullmatch(previous.sentence.text[previous.start:previous.quantity.start]):
            current = previous  # another attribute of the same enumeration
            continue
        words = previous.sentence.text[clause_bounds(previous.sentence.text, previous.start)[0]:previous.end]
        return previous.concept.startswith("narrative.published") and PROACTIVE.search(words) is not None
    return False


def _next_in_enumeration(previous: Draft, current: Draft) -> bool:
    """Two figures one after the other in an enumeration: in one sentence with only a separator
    between, or the first ending a sentence closed by ； and the second opening the next."""
    if previous.sentence is current.sentence:
        # "其中主动公开政府信息17条，作为依申请公开信息数28条，不予公开信息数8条"
        return re.fullmatch(r"[，、；;,](?:作为|属于|为)?", current.sentence.text[previous.end:current.start]) is not None
    closing = previous.sentence.text[previous.end:].strip()
    return closing in ("；", ";") and not current.sentence.text[:current.start].strip()


# "A、B和C各1条": a figure said of each of the things named before it.
EACH = re.compile(r"各(?:为|是|有)?\s*$")


def carried_by_year(before: str, year: int | None, draft: Draft) -> None:
    """Applications carried with a year named: from an earlier year they were carried over into the
    report's, to a later one they are carried forward (the year is the row's, not the figure's)."""
    m = YEAR_CARRIED.search(before)
    if year is None or m is None or not draft.concept.startswith("applications.") \
            or draft.concept.split(".")[1] not in FLOW_ROWS:
        return
    carried = int(m.group(1))
    if carried != year:
        draft.concept = with_row(draft.concept, "carried_over" if carried < year else "carried_forward")
        draft.scope -= {"other_year", "inferred"}


def mark_other_year(text: str, clause_start: int, pos: int, year: int | None, draft: Draft) -> None:
    before = text[clause_start:pos]
    if OTHER_YEAR.search(before) or YEAR_RANGE.search(before):
        draft.scope.add("other_year")  # "发布2005-2020年规范性文件25个": many years' figure
        return
    for m in YEAR.finditer(before):
        if CARRIED_YEAR.match(before, m.end()) or before[max(0, m.start() - 1):m.start()] in ("至", "到", "入", "转"):
            continue  # "2022年结转的3件", "结转至2024年", "结转2026年度": the year names the row, not the figure's year
        if DOCUMENT_OF_A_YEAR.match(before, m.end()):
            continue  # "…2021年度政府信息公开工作年度报告1条": the year of the document published
        if year is not None and int(m.group()) != year:
            draft.scope.add("other_year")
            return


def includes_carried(text: str, draft: Draft) -> bool:
    """含上年结转 said of this figure: in its own clause or in the bracket right after it."""
    clause_start, _ = clause_bounds(text, draft.start)
    remark = bracket_after(text, draft.end)
    own_words = text[clause_start:draft.end] + remark
    if any(w in own_words for w in SCOPE_WORDS["including_carried"]):
        return True
    return bool(re.search(r"上一?年度?[^，。；]{0,6}?结转|\d{4}年度?[^，。；]{0,6}?结转", remark))
