"""Negations and absolutes, each with the scope of its own subject.

"未发生行政复议" is about 行政复议 only, "行政复议2件，均获维持" about those reviews, "行政诉讼零败诉" about
lawsuits; a goal, a condition or a question ("力争零败诉") is not a statement of fact.
"""

from __future__ import annotations

import re

from auditor.nlp.claims.phrases import DOCUMENT_HEADS, compose, read_left
from auditor.nlp.claims.state import Draft, FLOW_TOTALS, Run, head_of, result_group
from auditor.nlp.claims.text import clause_bounds, is_fact, sentence_depths
from auditor.nlp.lexicon import Lexicon
from auditor.nlp.model import Sentence


# Negations (ported from the first extractor, tested on the shared corpus).
NEG_GAP = r"[^，,。；;：:！!？?\d]"
# Every negation below has one of these characters: a sentence without one denies nothing.
NEGATION_CUE = re.compile(r"[无未没不零免]")

# A suit against the body's disclosure, not its civil or criminal cases ("处理民事诉讼2件").
_APPEALS_SUIT = r"(?<!民事)(?<!刑事)诉讼"
NEGATED_APPEALS = re.compile(
    r"(?:未发生|未收到|未接到|未出现|未产生|未涉及|不涉及|没有发生|没有|未有|未受理|不存在|未引(?:起|发)|无(?!法|正当|需|须|论|人|关)"
    rf"|未因{NEG_GAP}{{0,20}}?(?:被(?:申请|提起)|引(?:发|起))|未被(?:申请|提起))"
    rf"{NEG_GAP}{{0,30}}?(?:行政复议|行政诉讼|复议|{_APPEALS_SUIT})"
    rf"(?:{NEG_GAP}{{0,12}}?(?:行政复议|行政诉讼|复议|{_APPEALS_SUIT}))*")

NEGATED_RECEIVED = re.compile(
    r"(?:未(?:新|再|曾|直接|共)?(?:收到|受到|接到|接获|接收到?|收取到|收受|收(?=依?申请))|没有(?:新)?收到|未受理|没有受理"
    r"|不涉及|未涉及|未发生|未产生|没有|未有|无(?!法|正当|需|须|论|人|关))"
    rf"(?P<gap>{NEG_GAP}{{0,32}}?)(?P<target>(?:依)?申请(?!人)|要求公开(?![^，,。；;]{{0,24}}申请(?!人)))")

RECEIVED_GAP_EXCLUDES = re.compile(r"复议|诉讼|补正|缴|逾期|理由|撤回|答复|结转|费|许可|审批|登记")

DISCLOSURE_WORDS = re.compile(r"信息公开|政府信息|依申请|公开")
# Who asks, when a denial says "要求公开" instead of 申请: the public, never a superior body.
THE_PUBLIC = re.compile(r"群众|公众|民众|市民|居民|老百姓|申请人")
# "未接到相关申请", "未收到此类申请": under the heading of applications, the applications meant.
THE_ONES_MEANT = re.compile(r"(?:任何)?(?:相关|此类|该类|这类|上述|该项|此项|有关)(?:的)?")
# How far after the denied 申请 the clause may name what was asked for: "未收到公众申请要求公开的…信息".
DISCLOSURE_AFTER = 24

NEGATED_CARRIED_OVER = re.compile(r"(?:无|没有)上一?年度?结转|上一?年度?(?:无|没有|未)(?:结转|转结)")
# "无上年和下年结转件": neither way.
NEGATED_CARRIED_BOTH = re.compile(r"(?:无|没有)上一?年度?(?:和|及|与|、|或)下一?年度?(?:的)?(?:结转|转结)")

# "无结转下年度", "无申请结转至下年度", "没有申请需要结转到下一年度"
NEGATED_CARRIED_FORWARD = re.compile(r"(?:无|没有)(?:(?:依)?申请|案件|事项)?(?:(?:结转|转结|转)(?:至|到)?下一?年度?|需要?结转|下一?年度?结转)")
# "无申请结转至下年度": the applications denied are the ones carried forward, not the ones received.
CARRIED_RIGHT_AFTER = re.compile(r"(?:需要?|须)?(?:结转|转结|转入下|转至下|转到下)")

# "未制发、废止、修改行政规范性文件": the verbs may be listed; "无制定发布规范性文件" denies them too.
# "未制定发布…": two verbs run together. "未发布行政规范性文件" — publishing may be of an older
# document: read as none issued, but only worth a note against the table (scope "published").
_ISSUE_VERB = r"(?:出台|制发|制定|印发|颁布)(?:发布|出台|印发)?"
_PUBLISH_VERB = r"(?:发布|公布)"
# "未制发规章及行政规范性文件", "无新增行政规范性文件": each kind named is denied ("行政法规" beside
# them is not the body's to make, and has no row).
_DOCUMENT_KIND = r"(?:行政)?规范性文件|(?:政府)?规章|(?:行政)?法规"
NEGATED_ISSUED = re.compile(rf"(?:(?:未|没有|无)(?P<verb>{_ISSUE_VERB}|{_PUBLISH_VERB})"
                            rf"(?:[、和及或与](?:{_ISSUE_VERB}|{_PUBLISH_VERB}|废止|修改|修订|清理)){{0,3}}"
                            rf"|(?:无|没有|未)新(?:增|出台|制定|制发)(?:的)?)"
                            rf"(?:新的)?(?:任何)?(?:相关)?(?:的)?(?P<what>(?:{_DOCUMENT_KIND})(?:[、和及或与](?:{_DOCUMENT_KIND}))*)")

# The document named before its verb: "我局无行政规范性文件发布", "没有规章出台".
NEGATED_ISSUED_AFTER = re.compile(rf"(?:无|没有|未有)(?:新的)?(?:任何)?(?:相关)?(?P<what>(?:{_DOCUMENT_KIND})(?:[、和及或与](?:{_DOCUMENT_KIND}))*)"
                                  rf"(?:的)?(?P<verb>{_ISSUE_VERB}|{_PUBLISH_VERB})")
# "无废止行政规范性文件", "未清理废止规章".
NEGATED_REPEALED = re.compile(rf"(?:无|没有|未)(?:清理)?废止(?:的)?(?:任何)?(?:相关)?"
                              rf"(?P<what>(?:{_DOCUMENT_KIND})(?:[、和及或与](?:{_DOCUMENT_KIND}))*)")

REPEAL_VERB = re.compile(r"(?:清理)?废止")
# "无现行有效行政规范性文件": the stock in force is none.
NEGATED_IN_FORCE = re.compile(rf"(?:无|没有)(?:现行|目前)?有效(?:的)?(?:任何)?(?:相关)?"
                              rf"(?P<what>(?:{_DOCUMENT_KIND})(?:[、和及或与](?:{_DOCUMENT_KIND}))*)")

# "未产生行政许可、行政处罚等相关处理决定", "未作出行政强制", "无行政许可、实施行政处罚": table 二's
# decisions, each kind named — not "未发生行政处罚案件被复议", about something else.
_DECISION_KIND = r"行政许可|行政处罚|行政强制"
NEGATED_DECISIONS = re.compile(rf"(?:未|没有|无)(?:产生|作出|做出|发生|实施)?(?:过)?(?:任何)?"
                               rf"(?P<what>(?:{_DECISION_KIND})(?:[、和及或与](?:实施|作出|做出)?(?:{_DECISION_KIND}))*)"
                               r"(?:(?:等)?(?:相关|方面)?(?:的)?(?:处理)?(?:决定|事项|行为)|(?=[，,。；;、和及与]|$))")
DECISION_KINDS = {"行政许可": "licensing", "行政处罚": "punishment", "行政强制": "coercion"}

# (the words between hold no second denial: "无行政复议、无行政纠错" denies each on its own)
CORRECTED_GAP = r"[^，,。；;：:！!？?\d无未没]"
NEGATED_CORRECTED = re.compile(
    r"零败诉|无败诉|未败诉|无一败诉"
    rf"|(?:未|没有)被{CORRECTED_GAP}{{0,12}}?(?:纠错|纠正|撤销)"
    rf"|(?:未发生|没有|未有|无|未出现|不存在){CORRECTED_GAP}{{0,12}}?(?:被纠错|纠错|被纠正|败诉)")

CORRECTION_WORDS = re.compile(r"纠错|纠正|败诉|撤销")
NEXT_DENIAL = re.compile(r"[、，,]\s*(?:无|未|没有)")

NEGATED_FEES = re.compile(
    rf"(?:未|没有|不存在)(?:向|对)?{NEG_GAP}{{0,16}}?收(?:取|过){NEG_GAP}{{0,20}}?费(?:用)?"
    rf"|(?:未|没有)(?:向|对){NEG_GAP}{{0,16}}?申请人收(?:取)?(?:费|费用)"
    rf"|(?:暂不|暂未|不|免于|免予)收(?:取)?(?:费|费用)"
    rf"|(?:无|没有|未有|未发生|未产生|未存在|不存在|未涉及|不涉及){NEG_GAP}{{0,12}}?(?:收费|处理费)"
    rf"|(?:免收|不收取){NEG_GAP}{{0,12}}?(?:处理费|费用)"
    # "免费向社会公众提供政府信息", "一律实行免费服务": information given free of charge
    rf"|免费(?:向{NEG_GAP}{{0,12}}?)?提供(?:政府)?信息|(?<=信息)[^。；;\d]{{0,20}}?(?:实行|实施)免费服务")

ORDINARY_FEES = "行政事业性收费"

# "除4件…以外，均…": an absolute with its exception.
EXCEPT = re.compile(r"除[^。；]{0,40}?(?:以外|之外|外)[，,]?")
REST = re.compile(r"其余|剩余|余下|其他的?(?=[^，。；]{0,6}$)")
# A list-style statement of nothing: "行政机关依申请公开政府信息的数量：无", "收费及减免情况：无".
# The subject neither starts nor ends with a space (the \s* around it takes those): otherwise every
# position of a long run of spaces started a subject, and each one scanned the rest of the run.
STATED_NONE = re.compile(r"(?P<subject>(?!\s)[^，。；：:\n]{1,39}?(?<!\s))(?:的数量|数量|的情况|情况)?\s*[:：]\s*(?:无|没有)"
                         r"(?=\s*[。；，,]|\s*$)")
# What every match of STATED_NONE holds: a sentence without it (nearly all) is not searched with
# STATED_NONE, which tries up to 39 subject lengths at every position.
STATED_NONE_MARK = re.compile(r"[:：]\s*(?:无|没有)")
# "未收到…申请及相关投诉举报": the applications and, besides them, complaints — both denied.
AND_ALSO = re.compile(r"(?:及|和|与|、|以及)")
# The ways an application comes, listed: "…来信、来电、来访和投诉".
CHANNELS_LISTED = re.compile(r"(?:来信|来电|来访|来函|信函|当面|网上)[、和及与]")
# After "未发生…申请": what the clause is really about when it goes on to one of these.
SOMETHING_ELSE_AFTER = re.compile(r"引发|导致|造成|不当|投诉|举报|泄密|舆情|事故|差错|失误|复议|诉讼|收取|费用")
COSTS = re.compile(r"[^。；，]{0,14}?(?:费用|支出|经费|开支)")  # table 二's fee income, never the information-processing fee

REVIEW_MENTION = re.compile(r"复议(?!后)")

LITIGATION_MENTION = re.compile(r"诉讼|(?<!复议后)(?<!直接)起诉")

APPEAL_GROUP_WORD = re.compile(r"行政复议|复议(?!后)|行政诉讼|诉讼|起诉|败诉")

# An absolute: 均/全部/都 … then the outcome within a few characters ("均获维持", "均已按时办结").
# (up to two book titles, each as if one word: "全部按《条例》和《实施办法》规定予以答复")
# (a time limit in days may stand in it: "均在20个工作日内按时办结")
ABSOLUTE_GAP = (r"(?:[^，。；：！？\d《]|\d{1,3}(?=个?(?:工作日|日|天)))"
                r"{0,12}?(?:《[^》\n]{0,24}》[^，。；：！？\d《]{0,12}?){0,2}")


def negation_claims(lex: Lexicon, text: str, quoted: bytearray, drafts: list[Draft], run: Run,
               sentence: Sentence) -> list[Draft]:
    if not NEGATION_CUE.search(text):
        return absolute_claims(lex, text, quoted, drafts, run, sentence)
    found: list[Draft] = []
    taken: list[tuple[int, int]] = []

    def add(concept: str, m: re.Match, unit: str = "件") -> Draft:
        found.append(Draft(quantity=None, reading=None, concept=concept, relation="none", value=0.0, unit=unit,
                            start=m.start(), end=m.end(), sentence=sentence))
        return found[-1]

    def free(m: re.Match) -> bool:
        return not quoted[m.start()] and is_fact(text, m.start()) and not any(a <= m.start() < b for a, b in taken)

    for m in NEGATED_CORRECTED.finditer(text):
        if free(m):
            add(appeal_group(text, m, drafts, run) + ".corrected", m)
            taken.append(m.span())
    for m in NEGATED_APPEALS.finditer(text):
        if not free(m):
            continue
        _, clause_end = clause_bounds(text, m.start())
        next_cue = NEXT_DENIAL.search(text, m.end(), clause_end)
        if CORRECTION_WORDS.search(text, m.start(), next_cue.start() if next_cue else clause_end):
            continue  # "未发生行政复议纠错" is about corrections, handled above (but "无行政复议、无行政
            # 纠错" denies both)
        if COSTS.match(text, m.end()):
            continue  # "未产生与诉讼（行政复议）有关的费用支出": about costs, not cases
        span = m.group()
        first_appeal = APPEAL_GROUP_WORD.search(span)
        second_cue = (None if first_appeal is None else
                      _last_cue(span, 1, first_appeal.start()))
        if second_cue is not None:
            # "未接到政府信息公开申请且未出现…行政复议、提起行政诉讼": two denials; this one is the later
            # one's, and the words before it are free for the applications' denial
            m = NEGATED_APPEALS.match(text, m.start() + second_cue) or m
            span = m.group()
        elif _application_listed(span[:first_appeal.start()] if first_appeal else ""):
            # "未收到任何形式的依申请公开信息、行政复议和行政诉讼": each thing listed is denied
            add("applications.new_received", m)
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
        if m.group("target") == "要求公开" and not THE_PUBLIC.search(gap):
            continue  # "未收到上级要求公开的文件": an instruction, not an application
        clause_end = clause_bounds(text, m.end())[1]
        if gap and not DISCLOSURE_WORDS.search(gap + m.group("target")) \
                and not DISCLOSURE_WORDS.search(text, m.end(), min(clause_end, m.end() + DISCLOSURE_AFTER)) \
                and not (THE_ONES_MEANT.fullmatch(gap) and sentence.section == "applications"):
            continue  # "未收到群众以当场申请、信件等书面形式提出的政府信息公开申请": disclosure named later
        cue = m.group()[:len(m.group()) - len(gap) - len(m.group("target"))]
        if cue in ("没有", "未有", "无") and len(gap) > 12 and not re.search(r"接到|收到|接收", gap):
            continue
        if CARRIED_RIGHT_AFTER.match(text, m.end()):
            continue
        next_denial = LATER_DENIAL.search(text, m.end(), clause_end)
        after = SOMETHING_ELSE_AFTER.search(text, m.end(), next_denial.start() if next_denial else clause_end)
        if after is not None and not (after.group() in ("投诉", "举报")
                                      and (CHANNELS_LISTED.search(text, m.end(), after.start())
                                           or AND_ALSO.match(text, m.end()))):
            continue  # "未发生因依申请公开办理不当引发的投诉举报": complaints, not applications — but
            # "未收到依申请政府信息公开来信、来电、来访和投诉": the ways applications come, listed
        if any(d.concept in FLOW_TOTALS and d.relation == "count" and d.value
               for d in run.passage + run.drafts + drafts):
            continue  # "接到申请3项，均已办结，未产生依申请公开…案例": the paragraph counts some, so this denies something narrower
        add("applications.new_received" + _applicant_column(lex, gap), m)
    for m in NEGATED_CARRIED_BOTH.finditer(text):
        if free(m):
            add("applications.carried_over", m)
            add("applications.carried_forward", m)
            taken.append(m.span())
    for m in NEGATED_CARRIED_OVER.finditer(text):
        if free(m):
            add("applications.carried_over", m)
    for m in NEGATED_CARRIED_FORWARD.finditer(text):
        if free(m):
            add("applications.carried_forward", m)
    for m in NEGATED_ISSUED.finditer(text):
        if free(m):
            published = m.group("verb") is not None and re.fullmatch(_PUBLISH_VERB, m.group("verb")) is not None
            # "未发布、废止行政规范性文件": the later verbs are denied too — 废止 is a row of its own
            repealed = REPEAL_VERB.search(text, m.start(), m.start("what"))
            for head in _documents_named(m.group("what")):
                draft = add(f"{head}.issued", m)
                if published:
                    draft.scope.add("published")
                if repealed is not None:
                    also = add(f"{head}.repealed", m)
                    also.start = repealed.start()
    for m in NEGATED_ISSUED_AFTER.finditer(text):
        if free(m):
            published = re.fullmatch(_PUBLISH_VERB, m.group("verb")) is not None
            for head in _documents_named(m.group("what")):
                draft = add(f"{head}.issued", m)
                if published:
                    draft.scope.add("published")
    for m in NEGATED_REPEALED.finditer(text):
        if free(m):
            for head in _documents_named(m.group("what")):
                add(f"{head}.repealed", m)
    for m in NEGATED_IN_FORCE.finditer(text):
        if free(m):
            for head in _documents_named(m.group("what")):
                add(f"{head}.in_force", m)
    for m in NEGATED_DECISIONS.finditer(text):
        if free(m):
            for word, kind in DECISION_KINDS.items():
                if word in m.group("what"):
                    add(f"active.{kind}.decisions", m)
    for m in NEGATED_FEES.finditer(text):
        if not free(m):
            continue
        clause_start, clause_end = clause_bounds(text, m.start())
        if ORDINARY_FEES in m.group():
            add("active.admin_fees.amount", m, "万元")  # "无行政事业性收费": table 二's row, not the processing fee
            continue
        if ORDINARY_FEES in text[clause_start:clause_end]:
            continue
        add("fees.collected", m, "元")
    for m in STATED_NONE.finditer(text) if STATED_NONE_MARK.search(text) else ():
        if free(m):
            concept = _none_subject(lex, m.group("subject"), run)
            if concept:
                add(concept, m, "元" if concept.startswith("fees") else "件")
    for m in NEGATED_WITHHELD.finditer(text):
        if free(m) and "应公开而" not in m.group():  # (not "no case withheld that should have been published")
            add("applications.withheld", m)
            taken.append(m.span())
    for concept, pattern in NEGATED_NARRATIVE:
        for m in pattern.finditer(text):
            if free(m) and not APPLYING_IN_GAP.search(text, m.start(), clause_bounds(text, m.start())[1]):
                add(concept, m, "")
                taken.append(m.span())
    found += absolute_claims(lex, text, quoted, drafts, run, sentence)
    return found


# No information withheld: "无不予公开政府信息的情况", "我办没有“不予公开”的政府信息",
# "不予公开政府信息情况：无" — table 三's 不予公开 group.
NEGATED_WITHHELD = re.compile(
    r"(?:无|没有|未出现|未发生|不存在|未有)(?:出现|发生|产生)?(?:任何)?(?:应公开而)?[“\"]?不予(?:以)?公开[”\"]?"
    r"(?:的)?(?:政府)?(?:信息)?(?:的)?(?:情况|办件|事项)?"
    r"|[“\"]?不予(?:以)?公开[”\"]?(?:的)?(?:政府)?(?:信息)?(?:的)?(?:情况|事项)?[:：]?\s*(?:无|没有)(?=[，,。；;\s]|$)")


# Narrative things said not to have been: consultations and letters received (not complaints about
# the work, "未收到投诉": readers take those for something else), interpretations made,
# press conferences held, platforms set up ("未接到关于不予公开政府信息的电话咨询", "2021年无提案",
# "未发布政策解读材料", "未开通官方微博、微信公众号等其他政务新媒体平台", "本单位无部门网站"). No
# table holds them; they are read so that what the prose says of them is complete. A denial needs
# its verb (未收到/未开通…), or 无/零 right before the thing: "未在网站公开" denies no website.
NEGATED_NARRATIVE = (
    ("narrative.consultation", re.compile(
        rf"(?:未|没有|尚未)(?:曾)?(?:收到|接到|受理|接办|接收|发生|出现|产生)(?:过)?{NEG_GAP}{{0,20}}?"
        r"(?:咨询|留言|来信|来访|提案|建议|诉求|热线)"
        rf"|(?:无(?!法|正当|需|须|论|人)|零(?!距离))(?:一[件例起次])?{NEG_GAP}{{0,8}}?(?:咨询|留言|来信|提案|诉求)")),
    ("narrative.interpretation", re.compile(
        rf"(?:未|没有|无(?!法|需|须|论))(?:发布|开展|进行|出台|制作|作)?[^，,。；;：:！？!?\d的]{{0,10}}?(?:政策|公文|文件)?解读")),
    ("narrative.press_conference", re.compile(
        rf"(?:未|没有)(?:召开|举办|举行)(?:过)?{NEG_GAP}{{0,10}}?(?:新闻)?发布会")),
    ("narrative.platform", re.compile(
        rf"(?:未|没有|尚未|暂未|不单独)(?:单独)?(?:开通|建立|设立|开设|注册|建设|设置)(?:了)?{NEG_GAP}{{0,14}}?"
        r"(?:网站|新媒体|公众号|微博|客户端|政务号|公开平台)"
        r"|(?:无|没有)(?:单独的?|独立的?)?本?(?:局|部门|单位|机关)?(?:门户)?(?:网站|政务新媒体|微信公众号)")),
)
# …but an application denied anywhere in the clause is table 三's (NEGATED_RECEIVED), not a letter or a
# consultation ("未收到电话来访、网上来信等方式提出的相关信息公开申请").
APPLYING_IN_GAP = re.compile(r"申请")


SECOND_CUE = re.compile(r"(?:未|没有|无(?!法|正当|需|须|论|人|关))")
# "…申请且未出现…", "…申请，也没有…": a second denial of its own after an application
LATER_DENIAL = re.compile(r"(?:且|并且?|也|亦|同时)?(?:未|没有)(?:发生|出现|产生|收到|接到|因|被)")
# An application listed beside the appeals denied with it: "依申请公开信息、行政复议…"
APPLICATION_LISTED = re.compile(r"(?:依申请|申请)[^、和及与，。；]{0,8}?(?:[、和及与]|以及)$")


def _last_cue(span: str, begin: int, end: int) -> int | None:
    """Where a second negation starts in span[begin:end], after an application named before it."""
    cues = [c for c in SECOND_CUE.finditer(span, begin, end)]
    if not cues:
        return None
    cue = cues[-1]
    return cue.start() if "申请" in span[:cue.start()] else None


# "无因依申请公开引起投诉、复议及诉讼": the applications are the cause of what is denied.
CAUSED_BY = re.compile(r"因[^、，,。；;]{0,16}?(?:引起|引发|导致|造成|产生|提起|而)")


def _application_listed(words: str) -> bool:
    return bool(APPLICATION_LISTED.search(words)) and bool(DISCLOSURE_WORDS.search(words)) \
        and not CAUSED_BY.search(words)


def _none_subject(lex: Lexicon, subject: str, run: Run) -> str | None:
    """What "X的数量：无" says is zero: the appeals, the fees, or a concept of the tables."""
    review, litigation = REVIEW_MENTION.search(subject), LITIGATION_MENTION.search(subject)
    if review or litigation:
        return "appeals.all" if review and litigation else "appeals.review" if review else "appeals.litigation"
    if re.search(r"收费|处理费|费用", subject):
        return "fees.collected"
    words = re.sub(r"(?:政府|政务)?信息$", "", re.sub(r"\s", "", subject))  # "不予以公开政府信息的数量"
    reading = read_left(lex, words, "件")
    if reading is None:
        return None
    concept, hedge = compose(lex, reading, "件", None, run)
    # "依申请公开政府信息的数量：无": no applications at all, whichever row is meant
    return concept if concept.startswith(("applications.", "active.")) and hedge in (None, "inferred") else None


def _documents_named(what: str) -> list[str]:
    """The kinds of table 二's documents a denial names ("规章及行政规范性文件": both); 行政法规
    beside them is not the body's to make, and has no row."""
    return [head for word, head in zip(("规章", "规范性文件"), DOCUMENT_HEADS) if word in what]


def _applicant_column(lex: Lexicon, words: str) -> str:
    """"未收到法人或者其他组织…的申请" denies one column only; "公民、法人或者其他组织" is everyone."""
    found = {f.key for f in lex.columns["applications"] if f.pattern.search(words)}
    if THE_PUBLIC.search(words):
        return ""  # "群众", "单位或群众", "公众、法人或其他组织", "社会民众和单位": the public, everyone
    if re.search(r"个人|自然人", words):  # not a bare 公民: the public at large ("未收到公民依法提出的申请")
        found.add("natural_person")
    if re.search(r"单位|组织|法人|企业", words):
        found.add("other_org")
    if not found or ("natural_person" in found and found & {"legal_person", "other_org", "commercial"}):
        return ""
    if "legal_person" in found or "other_org" in found:
        return ".legal_person"
    return "." + sorted(found)[0]


def appeal_group(text: str, m: re.Match, drafts: list[Draft], run: Run) -> str:
    """The appeals group a statement about corrections is about: named in its clause, else the
    passage's last appeals count; 败诉 alone is about lawsuits; both named → both."""
    clause_start, _ = clause_bounds(text, m.start())
    words = text[clause_start:m.end()]
    review, litigation = bool(REVIEW_MENTION.search(words)), bool(LITIGATION_MENTION.search(words))
    if review and litigation:
        return "appeals.all"
    if review:
        return "appeals.review"
    if litigation or "败诉" in m.group():
        return "appeals.litigation"  # 败诉 is lost lawsuits; a reconsideration is 纠错
    before = [d for d in drafts if d.end <= m.start() and d.concept.startswith("appeals.")]
    groups = {head_of(d.concept) for d in before if d.relation == "count"}
    if len(groups) == 1:
        return groups.pop()
    if len(groups) > 1:
        return "appeals.all"
    if "败诉" in m.group():
        return "appeals.litigation"
    if run.last_head.get("appeals"):
        return run.last_head["appeals"]
    return "appeals.all"


def absolute_claims(lex: Lexicon, text: str, quoted: bytearray, drafts: list[Draft], run: Run,
               sentence: Sentence) -> list[Draft]:
    """"均获维持", "所有申请均已办结", "均已审结": every case of the subject had one outcome."""
    found: list[Draft] = []
    for m in lex.all_words.finditer(text):
        if quoted[m.start()] or not is_fact(text, m.start()):
            continue
        if EXCEPT.search(text, 0, m.start()) or REST.search(text, clause_bounds(text, m.start())[0], m.start()):
            continue  # "除4件转结2022年办理以外，均依法依规完成答复", "其余全部按时办结": all but those
        for absolute in lex.absolutes:
            o = re.compile(ABSOLUTE_GAP + f"(?:{absolute.pattern.pattern})").match(text, m.end())
            if not o:
                continue
            if absolute.outcome in ("upheld", "decided"):
                subjects = appeal_subjects(text, m.start(), drafts, run)
                # "满意度均维持在98%": 维持 names an appeal result only where a case is named
                if not subjects:
                    break
            else:
                subjects = application_subjects(text, m.start(), drafts, run)
                if not subjects:
                    break
            if set(subjects) >= {"appeals.review", "appeals.litigation"}:
                subjects = ["appeals.all"]
            for concept in subjects:
                about = None
                if concept.startswith("applications.") and concept.count(".") == 2:
                    # "收到自然人申请2件，均予以公开": all of that column's, said of the row (as readers
                    # put it) about the column's count
                    about = next((d for d in reversed(drafts) if d.end <= m.start() and d.concept == concept), None)
                    concept = concept.rpartition(".")[0]
                if absolute.outcome == "natural_person" and concept.count(".") == 1:
                    concept += ".natural_person"  # "均为自然人申请": all of them in the 自然人 column
                found.append(Draft(quantity=None, reading=None, concept=concept, relation="all", value=None,
                                    unit="", start=m.start(), end=o.end(), sentence=sentence,
                                    outcome=absolute.outcome, about=about))
            break
    if not drafts:
        return found  # the perfective forms below are said of a count of the sentence
    return found + perfective_absolutes(lex, text, quoted, drafts, found, sentence) \
        + perfective_appeal_outcomes(text, quoted, drafts, found, sentence)


# "行政诉讼1件，已审结" / "行政复议1件，法院判决驳回…" — the clause right after a count of appeal cases
# says what became of all of them, with no 均. Only the outcomes a bare clause states surely:
# 审结/结案 (decided), 驳回…请求 or 维持原… (upheld).
PERFECTIVE_APPEAL = re.compile(
    r"[，,](?:目前)?(?:均)?(?:已|已经)?(?:(?P<decided>审结|结案)"
    r"|(?:经)?(?:法院|复议机关)?(?:判决|裁定|决定)?(?P<upheld>驳回[^，。；\d]{0,10}?(?:请求|起诉|申请)|维持原))")


def perfective_appeal_outcomes(text: str, quoted: bytearray, drafts: list[Draft], found: list[Draft],
                               sentence: Sentence) -> list[Draft]:
    claims: list[Draft] = []
    for m in PERFECTIVE_APPEAL.finditer(text):
        start = m.start() + 1
        if quoted[start] or not is_fact(text, start) or any(d.start <= start < d.end for d in found):
            continue
        before = [d for d in drafts if d.end <= m.start() and d.relation == "count"]
        if not before or not before[-1].concept.startswith("appeals.") or before[-1].concept.count(".") != 1 \
                or text[before[-1].end:m.start()].strip("件宗起例个 "):
            continue  # only right after the count of a group: "行政诉讼1件，已审结"
        outcome = "decided" if m.group("decided") else "upheld"
        claims.append(Draft(quantity=None, reading=None, concept=before[-1].concept, relation="all", value=None,
                            unit="", start=start, end=m.end(), sentence=sentence, outcome=outcome))
    return claims


# "收到申请1件，已按规定办结": the clause right after a count of applications says what became of
# them; with 已 and no 均 it is still said of all of them.
PERFECTIVE = re.compile(r"[，,](?:并|且)?(?:已|已经)(?=[^，。；：！？\d]{0,12}?(?:办结|答复|办理完毕|处理完毕|办理完成))")


def perfective_absolutes(lex: Lexicon, text: str, quoted: bytearray, drafts: list[Draft], found: list[Draft],
                         sentence: Sentence) -> list[Draft]:
    claims: list[Draft] = []
    for m in PERFECTIVE.finditer(text):
        start = m.start() + 1
        if quoted[start] or not is_fact(text, start):
            continue
        before = [d for d in drafts if d.end <= m.start() and d.relation == "count"]
        if not before or before[-1].concept not in FLOW_TOTALS or text[before[-1].end:m.start()].strip("件宗条个次 "):
            continue  # only right after the count: "收到申请1件，已…"
        if EXCEPT.search(text, 0, start):
            continue
        o = re.compile(ABSOLUTE_GAP + "(?:" + "|".join(a.pattern.pattern for a in lex.absolutes
                                                       if a.outcome == "processed") + ")").match(text, m.end())
        if not o or re.match(r"[^，。；：！？]*\d", text[o.end():]):
            continue  # "已办结4件": a count of its own, not all of them
        if any(start <= d.start < o.end() for d in found):
            continue  # "已全部办结": the absolute is read already
        claims.append(Draft(quantity=None, reading=None, concept=before[-1].concept, relation="all", value=None,
                            unit="", start=start, end=o.end(), sentence=sentence, outcome="processed"))
    return claims


def appeal_subjects(text: str, pos: int, drafts: list[Draft], run: Run) -> list[str]:
    clause_start, _ = clause_bounds(text, pos)
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
        head = head_of(d.concept)
        if d.concept == head and head not in groups:
            groups.insert(0, head)
    if groups:
        return groups
    if text.startswith("原", pos + 1) or re.match(r"[^，。；]{0,4}原(?:答复|行政行为)", text[pos:]):
        last = run.last_head.get("appeals")
        return [last] if last else []
    return []


# "收到申请5件。均已按期办结": a sentence that opens with its absolute is said of the figure before it.
# (each optional piece takes the spaces after it: three \s* in a row were cubic in a run of spaces)
OPENS_WITH_ABSOLUTE = re.compile(r"\s*(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*)?(?:(?:且|并|以上|上述|这些|所有)\s*)?$")


# What a figure's own sentence says of it and the next sentence does not repeat: "2022年共收到5件。
# 均已办结" is about 2022, "全区共收到85件。均已答复" about the whole 区.
NOT_INHERITED = frozenset({"other_year", "previous_year", "jurisdiction", "agency", "filing", "cumulative"})


def previous_sentence_subject(run: Run) -> list[str]:
    """The one flow of applications the sentence before counted, if it counted no other row of
    table 三: "收到申请16件，办理15件，结转1件。均按时答复" is about more than one row, and
    which of them 均 means is not said."""
    earlier = [d for d in run.passage + run.drafts if d.relation == "count"]
    if not earlier:
        return []
    last = [d for d in earlier if d.sentence is earlier[-1].sentence]
    counted = {d.concept for d in last}
    if len(counted) != 1 or not counted <= set(FLOW_TOTALS) \
            or any(d.scope & NOT_INHERITED for d in last):
        return []
    return list(counted)


def _one_applicant_column(before: list[Draft], run: Run) -> bool:
    """The count right before is of one applicant column of a flow row ("收到自然人信息公开申请2件，
    均予以公开"), the only count of that row in the passage so far: all of that column had the
    outcome. Two columns ("自然人申请22件；商业企业申请1件，均…") or a total with its column ("75件，
    其中自然人72件，均…") leave unclear whose all it is."""
    last = before[-1]
    row, _, column = last.concept.rpartition(".")
    if row not in FLOW_TOTALS or not column:
        return False
    return not any(d is not last and d.concept.startswith(row) for d in before + run.passage + run.drafts)


# "共收到16件，其中14件均…给予了答复。2件结转下年": a part counted right before 均 is its subject.
OWN_SUBJECT = re.compile(r"(?:其中|另有|另|有)\s*\d+\s*(?:件|条|宗|个|项)\s*$")


def application_subjects(text: str, pos: int, drafts: list[Draft], run: Run) -> list[str]:
    clause_start, _ = clause_bounds(text, pos)
    words = text[clause_start:pos]
    if OWN_SUBJECT.search(words):
        return []  # about those it names, not every application
    if re.search(r"申请", words) and not re.search(r"复议|诉讼", words):
        for d in reversed([d for d in drafts if d.end <= pos]):
            if d.concept in ("applications.new_received", "applications.received_total"):
                return [d.concept]
        return ["applications.new_received"]
    depth = sentence_depths(text)[pos]
    before = [d for d in drafts if d.end <= pos and d.relation == "count" and d.depth == depth]
    if before and before[-1].concept in FLOW_TOTALS:
        return [before[-1].concept]
    if before and _one_applicant_column(before, run):
        return [before[-1].concept]
    if before and before[-1].concept.startswith("applications.") \
            and result_group(before[-1].concept.split(".")[1]) is not None and "subset" not in before[-1].scope:
        # "受理申请8件，经审查，予以公开1件，…无法提供1件，均已在法定期限内办结": the results of the
        # applications the sentence counted
        totals = {d.concept for d in before if d.concept in FLOW_TOTALS}
        if len(totals) == 1:
            return list(totals)
    if before and before[-1].concept == "applications.carried_over" \
            and any(d.concept == "applications.new_received" for d in before):
        return ["applications.received_total"]  # "新收12件，上年结转2件，均已办结": all 14
    if not before and OPENS_WITH_ABSOLUTE.match(text[:pos]):
        return previous_sentence_subject(run)
    if before and "subset" in before[-1].scope:
        # "受理5件。其中…3件，…2件，均依法依规答复": the parts' total, said just before them
        total = next((d for d in reversed(run.passage + run.drafts) if d.relation == "count"
                      and d.concept in FLOW_TOTALS and "subset" not in d.scope), None)
        if total is not None:
            return [total.concept]
    return []
