"""Percentages, rates and ratios: a share of a denominator, 办结率, growth against last year."""

from __future__ import annotations

import re

from auditor.nlp.claims.phrases import PUBLISH_VERB, is_overall, read_left
from auditor.nlp.claims.state import COUNT_FAMILY, Draft, FLOW_ROWS, FLOW_TOTALS, RATE_UNITS, Run, head_of, left_words, same_unit
from auditor.nlp.claims.text import clause_bounds, left_context, sentence_depths
from auditor.nlp.lexicon import Lexicon
from auditor.nlp.model import Sentence
from auditor.nlp.quantities import Quantity


RATIO = re.compile(r"是[^，。；：！？]{0,20}?的$")

DONE_VERB = re.compile(r"办结|办理完毕|处理完毕|答复|回复")

RECEIVED_VERB = re.compile(r"受理|收到|接收|接到|收悉")

SHARE = re.compile(r"(?:约)?(?:所)?占(?:比)?(?P<of>[^，。；：！？\d]{0,16}?)(?:的)?(?:比例|比重|百分比|总数|总量)?(?:约|大约)?(?:为|达|达到)?$")

# "动漫解读占比23%": a share whose numerator is named, not the figure right before it.
SHARE_OF_NAMED = re.compile(r"(?P<name>[^，。；：！？\d、]{2,12}?)(?=(?:约)?(?:所)?占(?:比)?)")


def named_count(name: str, before: list[Draft], text: str) -> Draft | None:
    """The last count before the share, in its sentence, whose own words hold the share's name."""
    name = re.sub(r"^(?:其中|其余|另|而|且)", "", name)
    name = re.sub(r"(?:类|的)?(?:信息|文件|件数|数量|数)?$", "", name)
    if len(name) < 2:
        return None
    for d in reversed(before):
        if d.relation == "count" and d.quantity is not None \
                and name in text[clause_bounds(text, d.quantity.start)[0]:d.quantity.start]:
            return d
    return None


RATE = re.compile(r"(?P<what>[^，。；：！？\d]{0,8}?)率(?:达到|达|为|是|均为|保持)?(?:了)?$")

GROWTH = re.compile(r"(?:同比|较上年|较去年|比上年|比去年|较上一年|比上一年|较\d{4}年|比\d{4}年|环比)[^，。；：！？\d]{0,12}?"
                    r"(?P<dir>增长|增加|上升|提高|提升|回升|下降|减少|降低|回落|下滑|增|减|多|少)(?:了)?(?:约)?$")

# "比去年增长694条，增长率47.1%": the rate of the change just stated, named as a rate of growth.
GROWTH_RATE = re.compile(r"^(?:同比)?(?P<dir>增长|增加|上升|提高|下降|减少|降低)(?:率|幅度|幅)(?:为|达到|达|是)?(?:了)?(?:约)?$")

# "，较上年度（6500项）": the comparison, last year's figure in brackets, before a bare 增加 and its rate.
BASE_IN_BRACKETS = re.compile(r"\s*(?:[，,]\s*)?(?:较|比|同比|与)(?:上一?年度?|去年|\d{4}年度?)(?:同期)?(?:相比)?"
                              r"\s*[（(][^（）()，。；]{0,16}[)）]\s*")

GROWTH_PLAIN = re.compile(r"^(?P<dir>增长|增加|上升|提高|回升|下降|减少|降低|回落|下滑)(?:了)?(?:约)?$")

DOWN = ("下降", "减少", "降低", "回落", "下滑", "减", "少")

RATE_OUTCOMES = (("in_time", re.compile(r"按时|按期|及时|法定期限")),
                 # "…受理2件，…按时办结，完成率100%": 完成 alone, not a task's ("整改完成率")
                 ("processed", re.compile(r"办结|办复|答复|回复|办理|处理|受理|^完成$")))

# Rates of an opinion or a quality of the work, whatever verb of handling they name.
NOT_AN_OUTCOME_RATE = re.compile(r"满意|好评|准确|知晓|参与|覆盖")

# "其中全文电子化达100%", "全文电子化率达100%" (2008 layout): a property of the information published.
ELECTRONIC = re.compile(r"电子化(?:率)?(?:达到|达|为|是|已达)?(?:了)?$")


def percent_claims(lex: Lexicon, text: str, quantities: list[Quantity], drafts: list[Draft], run: Run,
                    quoted: bytearray, sentence: Sentence) -> list[Draft]:
    found: list[Draft] = []
    counts = sorted(drafts, key=lambda d: d.start)
    previous_end = 0
    for q in quantities:
        if q.unit not in RATE_UNITS or quoted[q.start]:
            previous_end = q.end
            continue
        left, where = left_context(text, q.start, previous_end)
        previous_end = q.end
        if left.startswith("、"):  # "59件、占45.3%"
            left, where = left[1:], where[1:]
        depth = sentence_depths(text)[q.start]
        before = [d for d in counts if d.end <= q.start and d.depth == depth]
        nearest = before[-1] if before else None
        growth = GROWTH.search(left)
        bracketed_base = None
        if growth is None and nearest is not None:
            # "收到申请30件，比上年的20件增长50%": a bare 增长 right after the figures it compares
            plain = GROWTH_PLAIN.match(left)
            between = text[nearest.end:q.start - len(left)] if plain else ""
            if plain and not text[nearest.end:q.start].strip("，,（( ").replace(left, ""):
                growth = plain
            elif plain and BASE_IN_BRACKETS.fullmatch(between):
                # "政府信息9069项，较上年度（6500项）增加了39%": last year's figure in brackets
                inside = [d for d in counts if nearest.end <= d.start and d.end <= q.start and d.relation == "count"
                          and d.depth == depth + 1 and same_unit(d.unit, nearest.unit)]
                if len(inside) == 1:
                    growth, bracketed_base = plain, inside[0]
        if growth:
            if bracketed_base is not None:
                about, base = nearest, bracketed_base
                bracketed_base.concept = nearest.concept  # last year's figure of the same thing
            else:
                about, base = growth_terms(named_subject(lex, left[:growth.start()], before))
            if about is None:
                continue
            direction = "down" if growth.group("dir") in DOWN else "up"
            found.append(Draft(quantity=q, reading=None, concept=about.concept, relation="growth", value=q.value,
                                unit=q.unit, start=where[0] if where else q.start, end=q.end, sentence=sentence,
                                about=about, base=base, scope={"direction:" + direction}))
            continue
        rate_of_change = GROWTH_RATE.match(left)
        if rate_of_change and q.unit == "%":
            # "比去年增长694条，增长率47.1%": of what the change right before it is about; right
            # after a count ("主动公开信息1883条，增长率46.7%"), of that count
            changes = [d for d in run.drafts if d.sentence is sentence and d.relation == "growth"
                       and d.unit != "%" and d.end <= q.start and d.depth == depth]
            last = max(changes + ([nearest] if nearest is not None else []), key=lambda d: d.end, default=None)
            about = None
            if last is not None and not text[last.end:q.start - len(left)].strip("，, "):
                about = last.about if last.relation == "growth" else \
                    (last if last.relation == "count" and last.concept != "other" else None)
            if about is not None:
                direction = "down" if rate_of_change.group("dir") in DOWN else "up"
                found.append(Draft(quantity=q, reading=None, concept=about.concept, relation="growth",
                                   value=q.value, unit=q.unit, start=where[0] if where else q.start, end=q.end,
                                   sentence=sentence, about=about, base=None, scope={"direction:" + direction}))
            continue
        share = SHARE.match(left)
        named_share = SHARE_OF_NAMED.match(left) if share is None else None
        if named_share is not None:
            share = SHARE.match(left, named_share.end("name"))
        # "208件（17.46%）", "成都591件（占31.91%）": the count right before the bracket the share opens
        opens_bracket = not left or (share is not None and named_share is None
                                     and text[q.start - len(left):q.start] == left)
        bracketed = count_before_bracket(text, q.start - len(left), counts) if opens_bracket else None
        # "政策文件1条，0.16%，财政预算决算4条，占0.06%": a bare percent in the clause right after a count
        bare_after_count = not left and bracketed is None and nearest is not None and nearest.relation == "count" \
            and nearest.unit in COUNT_FAMILY and re.fullmatch(r"\s*[，,]\s*", text[nearest.end:q.start]) is not None
        if share or bracketed is not None or bare_after_count:
            # "42件，占51.85%", or "208件（17.46%）": a share of the count right before it
            if bracketed is not None:
                numerator = bracketed
            elif named_share is not None:
                # "…动漫解读文件7个，实现图文解读全覆盖，动漫解读占比23%": of the count its words name
                numerator = named_count(named_share.group("name"), before, text)
            else:
                numerator = nearest if nearest is not None and not re.search(
                    r"[。；]", text[nearest.end:q.start]) else None
            if numerator is None or q.unit != "%":
                continue
            named = share.group("of") if share else ""
            denominator = share_base(lex, named, numerator, run)
            if denominator is None:
                if GENERIC_BASE.fullmatch(named.strip("的")):
                    # "在主动公开的信息中，政策法规类的信息14条，占总体的比例为13.59%": the list the
                    # numerator is a part of is only known once the passage is read (later_share_bases)
                    found.append(Draft(quantity=q, reading=None, concept=numerator.concept, relation="share",
                                       value=q.value, unit="%", start=numerator.start, end=q.end,
                                       sentence=sentence, about=numerator, base=None, scope={"base_later"}))
                continue
            # results as shares of the received count, where the prose says all were answered: the
            # base is inferred, a mismatch only worth a note
            inferred = denominator in received_as_processed(numerator, run)
            found.append(Draft(quantity=q, reading=None, concept=numerator.concept, relation="share",
                                value=q.value, unit="%", start=numerator.start, end=q.end, sentence=sentence,
                                about=numerator, base=denominator, scope={"inferred"} if inferred else set()))
            continue
        topic = TOPIC_AFTER.match(text, q.end) if q.unit == "%" and left.strip() in ("", "约", "大约") else None
        if topic is not None and APPLICATIONS_BY_TOPIC.search(text, 0, q.start):
            # "从申请的信息内容来看，40%是涉及民政优抚类信息": a share of the applications by subject,
            # with no count; its base is found once the section is read (applications_topic_bases)
            found.append(Draft(quantity=q, reading=None, concept="narrative.application_topic", relation="share",
                               value=q.value, unit="%", start=q.start, end=topic.end(),
                               sentence=sentence, about=None, base=None, scope={"topic_share"}))
            continue
        if ELECTRONIC.search(left) and q.unit == "%":
            subject = next((d for d in reversed(before) if d.relation == "count"
                            and d.concept == "narrative.published"), None)
            if subject is not None:
                found.append(Draft(quantity=q, reading=None, concept=subject.concept, relation="rate",
                                    value=q.value, unit="%", start=where[0] if where else q.start, end=q.end,
                                    sentence=sentence, outcome="electronic", about=subject, base=None))
            continue
        rate = RATE.search(left)
        if rate and q.unit == "%":
            if NOT_AN_OUTCOME_RATE.search(rate.group("what")):
                continue  # "按期办理满意率96.5%": how satisfied people were, not how many were done
            outcome = next((name for name, pattern in RATE_OUTCOMES if pattern.search(rate.group("what"))), None)
            if outcome is None:
                continue
            subject, done = pair_before(text, before) if outcome == "processed" else (None, None)
            if subject is None and nearest is not None and nearest.relation == "count" \
                    and nearest.concept == "narrative.consultation":
                subject = nearest  # "受理群众咨询1336条，办结率100%": of the messages just counted
            if subject is None:
                subject = rate_subject(run, drafts)
            if subject is None:
                continue
            found.append(Draft(quantity=q, reading=None, concept=subject.concept, relation="rate",
                                value=q.value, unit="%", start=where[rate.start()] if where else q.start,
                                end=q.end, sentence=sentence, outcome=outcome, about=subject, base=done))
            continue
        ratio = RATIO.search(left)
        if ratio and q.unit == "倍" and nearest is not None and nearest.concept != "other":
            # "总计2401条，是2013年信息发布总量的1.5倍": against last year's figure stated before
            previous = next((d for d in reversed(run.passage + run.drafts) if "other_year" in d.scope
                             and same_unit(d.unit, nearest.unit) and d is not nearest), None)
            if previous is not None:
                found.append(Draft(quantity=q, reading=None, concept=nearest.concept, relation="growth",
                                    value=q.value, unit="倍", start=where[0] if where else q.start, end=q.end,
                                    sentence=sentence, about=nearest, base=previous, scope={"direction:up"}))
    return found


def count_growth(q: Quantity, left: str, where: list[int], drafts: list[Draft], depth: int,
                 sentence: Sentence) -> Draft | None:
    """"收到申请19件，较2021年减少3件": a change in a count's own unit, of the count before it."""
    growth = GROWTH.search(left)
    if growth is None:
        return None
    about, base = growth_terms([d for d in drafts if d.depth == depth and d.relation == "count"])
    if about is None or not same_unit(about.unit, q.unit):
        return None
    direction = "down" if growth.group("dir") in DOWN else "up"
    return Draft(quantity=q, reading=None, concept=about.concept, relation="growth", value=q.value, unit=q.unit,
                 start=where[0] if where else q.start, end=q.end, sentence=sentence, about=about, base=base,
                 scope={"direction:" + direction}, depth=depth)


def pair_before(text: str, before: list[Draft]) -> tuple[Draft | None, Draft | None]:
    """"受理审批事项117件，办结171件，办结率100%": the received and the processed count a rate follows,
    whatever they count, named by their verbs in the same sentence."""
    done = next((d for d in reversed(before) if d.relation == "count" and DONE_VERB.search(left_words(d))), None)
    if done is None:
        return None, None
    received = next((d for d in reversed(before) if d.relation == "count" and d.end <= done.start
                     and RECEIVED_VERB.search(left_words(d)) and same_unit(d.unit, done.unit)), None)
    if received is None or received.concept.startswith("applications."):
        return None, None  # applications: the passage's counts are used (with 结转)
    done_counts = [d for d in before if d.end > received.end and d.relation == "count"
                   and DONE_VERB.search(left_words(d))]
    if len(done_counts) > 1:
        return None, None  # "公开答复41条、电话答复70条，办结率100%": answered in several ways
    return received, done


def count_before_bracket(text: str, pos: int, counts: list[Draft]) -> Draft | None:
    """The count a bracket opening right before `pos` follows ("208件（17.46%）")."""
    i = pos - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i < 0 or text[i] not in "（(":
        return None
    return next((d for d in counts if d.end == i or (d.end < i and not text[d.end:i].strip())), None)


# The words of a share that name no total of their own: "占总体的比例", "占总数的", "所占比例",
# "占总体百分比为".
WHOLE = r"(?:总数|总量|全部|合计|总计|总体)"
GENERIC_BASE = re.compile(rf"{WHOLE}?(?:的)?(?:比例|比重|百分比)?")


# "40%是涉及民政优抚类信息", "大约60%属文物保护方面": what share of the applications asked about what.
TOPIC_AFTER = re.compile(r"\s*(?:是|属于?|为|系)(?:涉及|关于|有关)?[^，,。；;\d%]{1,24}?(?:类|方面|领域)")
# "从申请的信息内容来看", "从申请内容分析": the shares that follow are of the applications.
APPLICATIONS_BY_TOPIC = re.compile(r"申请[^，,。；;\d]{0,8}?(?:内容|类别|类型|事项|信息)[^，,。；;\d]{0,4}?(?:看|分析|分)")
# The counts of applications a topic share may be of.
APPLICATION_FLOWS = ("applications.new_received", "applications.received_total", "applications.total_processed")


def may_be_a_topic_base(count) -> bool:
    """A count (a Draft or a Claim) a share of the applications by subject may be of: the year's own
    count of applications received or processed, not a part of another."""
    return count.concept in APPLICATION_FLOWS and count.relation == "count" and bool(count.value) \
        and not {"other_year", "subset", "split"} & set(count.scope)


def applications_topic_bases(runs: list) -> None:
    """Shares of the applications by subject take every count of applications said before them in
    their section as a base they may be of (CLM-PERCENT's whole-number check tries each); those
    with none are dropped."""
    drafts = [d for r in runs for d in r.drafts]
    for r in runs:
        for d in list(r.drafts):
            if "topic_share" not in d.scope:
                continue
            at = d.sentence.start + d.start
            counts = [c for c in drafts if may_be_a_topic_base(c)
                      and c.sentence.section == d.sentence.section and c.sentence.start + c.end <= at]
            if counts:
                d.base = counts[-1]
            else:
                r.drafts.remove(d)


def later_share_bases(runs: list) -> None:
    """Shares whose base is the total of the numerator's list, known only after the lists of the
    whole text are read (a list of kinds under an earlier total); those still without one are
    dropped — a share of an unknown whole says nothing checkable."""
    lists = [lst for r in runs for lst in r.lists if lst.total is not None]
    for r in runs:
        for d in list(r.drafts):
            if "base_later" not in d.scope:
                continue
            d.scope.discard("base_later")
            d.base = next((lst.total for lst in reversed(lists) if d.about in lst.parts), None) \
                or overall_published_before(runs, d.about)
            if d.base is None:
                r.drafts.remove(d)
            else:
                d.concept = d.about.concept  # what the part became in its list ("人事信息类2条")


def overall_published_before(runs: list, part: Draft) -> Draft | None:
    """"全年主动公开政府信息482条。…其中，政策法规类的信息25条，占总体的比例为6%": a kind of what
    was published, in no list the prose makes plain, is a share of the section's overall total — the
    last one stated before it as what was published ("主动公开…", "累计公开政府信息44条": not "规划信息
    12条", one kind read as a total)."""
    if part.concept != "narrative.published_part" or part.relation != "count":
        return None
    at = part.sentence.start + part.start
    best = None
    for r in runs:
        for d in r.drafts:
            if (d.concept == "narrative.published" and d.relation == "count" and d.sentence.section == part.sentence.section
                    and d.reading is not None and (is_overall(d.reading.words + d.reading.fill)
                                                   or PUBLISH_VERB.search(d.reading.words) is not None)
                    and d.sentence.start + d.end <= at and same_unit(d.unit, part.unit) and d.value is not None
                    and part.value is not None and d.value >= part.value
                    and not {"other_year", "subset", "split"} & d.scope):
                if best is None or d.sentence.start + d.end > best.sentence.start + best.end:
                    best = d
    return best


def share_base(lex: Lexicon, named: str, numerator: Draft, run: Run) -> Draft | None:
    """The denominator of "占…%": the numerator's list total, else the total it names ("占全部申请的"),
    else — for a result or an applicant column of table 三 — the passage's processed or received
    count ("答复申请805件…。予以公开及部分公开258件，占33.9%")."""
    for lst in reversed(run.earlier_lists + run.lists):
        if numerator in lst.parts and lst.total is not None:
            return lst.total
    earlier = [d for d in run.passage + run.drafts if d is not numerator and d.relation == "count"
               and "subset" not in d.scope and "other_year" not in d.scope]
    named = re.sub(rf"^{WHOLE}$", "", named)  # "占总数的70%": the total is not named
    if named:
        reading = read_left(lex, re.sub(r"^(?:全部|所有|总|全年|本年)", "", named), numerator.unit)
        if reading is not None and reading.head is not None:
            for d in reversed(earlier):
                if d.concept != "other" and head_of(d.concept) == reading.head.id:
                    return d
        return None
    parts = numerator.concept.split(".")
    if parts[0] == "applications" and len(parts) >= 2:
        wanted = ("applications.total_processed",) if parts[1] not in FLOW_ROWS else \
            (f"applications.{parts[1]}",) if len(parts) == 3 else ()
        for d in reversed(earlier):
            if d.concept in wanted and same_unit(d.unit, numerator.unit):
                return d
        if wanted == ("applications.total_processed",) and any(
                d.relation == "all" and d.outcome in ("processed", "in_time") for d in run.passage + run.drafts):
            # "收到申请32件，均在法定期限内予以答复。予以公开28件，占87.5%": every application was
            # answered, so the results are shares of those received
            for d in reversed(earlier):
                if d.concept in ("applications.new_received", "applications.received_total") \
                        and same_unit(d.unit, numerator.unit):
                    return d
    return None


def received_as_processed(numerator: Draft, run: Run) -> list[Draft]:
    """The received counts share_base may take for a result's base when no processed count is stated."""
    parts = numerator.concept.split(".")
    if parts[0] != "applications" or len(parts) < 2 or parts[1] in FLOW_ROWS:
        return []
    if any(numerator in lst.parts for lst in run.earlier_lists + run.lists):
        return []
    return [d for d in run.passage + run.drafts if d.relation == "count"
            and d.concept in ("applications.new_received", "applications.received_total")]


def rate_subject(run: Run, drafts: list[Draft]) -> Draft | None:
    """The applications a rate is about: the passage's received (or received and carried) count."""
    for d in reversed(run.passage + run.drafts + [d for d in drafts if d not in run.drafts]):
        if d.relation == "count" and d.concept in ("applications.new_received", "applications.received_total"):
            return d
    return None


def named_subject(lex: Lexicon, words: str, before: list[Draft]) -> list[Draft]:
    """The counts a growth rate may be of: those before it, up to the last count of the thing its own
    words name when they name one ("受理申请44件，顺延到下年度申请2件，…申请数量同比回落26.67%" is
    of the 44 received, not of the 2 carried forward)."""
    subject = re.sub(r"(?:的)?(?:总)?(?:数量|数|量|总数|件数)$", "", words.lstrip("，,、"))
    if not subject or not before:
        return before
    reading = read_left(lex, subject, before[-1].unit)
    if reading is None or reading.head is None or reading.row is not None:
        return before
    wanted = reading.head.id
    for i in range(len(before) - 1, -1, -1):
        d = before[i]
        # what "申请数量" names is the workload, not the carried ones
        if head_of(d.concept) == wanted and (wanted != "applications" or ".".join(d.concept.split(".")[:2]) in FLOW_TOTALS):
            return before[:i + 1]
    return before


def growth_terms(before: list[Draft]) -> tuple[Draft | None, Draft | None]:
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
