"""Rule kind `claim`: what the narrative states, against the tables and against itself.

The claims come from auditor/nlp/claims.py (ctx.claims, ctx.claim_lists); what a concept equals in
the tables comes from the lexicon (rules/concepts.yaml). params.mode:

- "table" (default): a count the prose states against the cells of its concept.
    concepts: concept ids or globs ("applications.new_received", "appeals.*"); a claim is checked by
      the rule whose pattern names it most specifically (an exact id before a glob), so a general
      rule (CLM-TABLE) takes what no specific rule takes;
    tolerance: allowed absolute difference (default 0);
    scope: {scope word: "skip" | "warning" | "info"} — a part of its total by office or area
      ("split"), last year's figure ("other_year") are skipped; 备案, 本机关/区政府办 soften the
      severity, because only like should be compared with like and when unsure the rule warns.
- "none": a negation ("未收到申请", "未发生行政复议") — the concept's cells must be 0.
- "absolute": "均获维持", "均已审结", "所有申请均已办结" — the cells its outcome excludes must be 0.
    outcomes: which outcomes the rule checks; pending_severity: the severity when only cases still
    pending contradict "均获维持" (they have no result yet, so the statement is premature rather than
    false).
- "parts_sum": a list's parts against its total, however the list is introduced.
- "stated_twice": one table concept stated twice with two numbers.
- "stock_below_year": the stock published since some date below the year's own whole;
    "kinds_past_whole": two kinds of what was published, stated apart, together above the year's
    whole.
- "periodic_count": an activity said to recur every period (每月通报) against its count for the
    year (月通报7次) when that is fewer than the year's periods.
- "balance": 新收 + 上年结转 = 办结 + 结转下年 with the figures the prose states.
- "rate": 办结率/答复率 against the counts the prose states.
- "percent": a share against its numerator and denominator, and the shares of one denominator
    against 100%.
- "growth": 同比增长 against last year's figure stated in the same sentence; "growth_previous": against
    the same body's previous report (`--previous`, or the corpus), its statement of the same concept
    or else its table.
- "fee_multiple": an information-processing fee that is not a multiple of 10 元.
- "required_figures": a report in one of params.templates (the 2008 layout, which has no tables
    二–四) that gives no figure — in its prose or its statistics table — for a topic every report
    must cover (rules/topics.yaml: 主动公开, 依申请公开, 收费, 复议诉讼).
- "unmentioned": the tables show cases of params.concepts (each with at least params.min_count)
    but the narrative states nothing about any of them — no count, no negation, no absolute.
- "substance": the narrative gives figures for fewer than params.min_concepts different things
    (figure_concepts); the same count is the score's measure of substance (checks/score.py).
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections.abc import Iterable

from auditor.checks.finding import make_finding, section_at
from auditor.model import Document, Finding
from auditor.nlp.claims.lists import MADE_OR_OBTAINED, REMAINDER, REMOVED, SECONDARY_CHANNEL, disposition_of
from auditor.nlp.claims import DOCUMENT_OF_A_YEAR, ITEM_SEPARATOR, WHOSE
from auditor.nlp.claims.rates import RECEIVED_VERB, may_be_a_topic_base
from auditor.nlp.claims.state import COUNT_FAMILY, FLOW_TOTALS, same_unit, unit_family
from auditor.nlp.claims.text import clause_bounds
from auditor.nlp.lexicon import get_lexicon
from auditor.nlp.model import Claim, Sentence
from auditor.structure.tables.labels import STATISTICS_2008_ROW_LABELS, TABLE_LABELS, cell_label
from auditor.structure.tables.legacy import TABLE_KEY as STATISTICS_2008
from auditor.rules.rule import Rule

SCOPE_LABELS = {"agency": "本机关/代表本级政府", "filing": "备案", "jurisdiction": "全市/全区等全辖区",
                "subset": "其中", "split": "其中的一部分", "including_carried": "含上年结转",
                "inferred": "由上下文推断", "published": "公开/发布的件数，可能含往年文件", "approx": "约数", "at_least": "至少",
                "other_year": "其他年度", "included": "含", "handled": "办理（可能含结转）"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _fmt(v) -> str:
    if v is None:
        return "空"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return f"{v:g}" if isinstance(v, float) else str(v)


def evaluate(doc: Document, expression: str) -> tuple[float | None, list[str], dict]:
    """Sum of the cells named in "a.b.c + d.e.f"; None when one is blank or absent."""
    total = 0
    paths: list[str] = []
    values: dict = {}
    for path in (t.strip() for t in expression.split("+")):
        v = doc.cell(path)
        paths.append(path)
        values[path] = v
        if v is None:
            return None, paths, values
        total += v
    return total, paths, values


def concept_value(doc: Document, concept: str) -> tuple[float | None, list[str], dict, str]:
    """The table's figure for a concept: the first of its cell expressions whose cells are all
    filled (a group: its subtotal, else its items summed). (None, …) when none is decidable."""
    options = get_lexicon().cells_for(concept)
    first = (None, [], {}, options[0] if options else "")
    for expr in options:
        value, paths, values = evaluate(doc, expr)
        if value is not None:
            return value, paths, values, expr
        if not first[1]:
            first = (None, paths, values, expr)
    return first


def nonzero_cells(doc: Document, concept: str) -> tuple[float, list[str], dict]:
    """For a statement that a concept is 0: the cells that are not, among those filled in (a blank
    cell proves nothing either way, but a filled 2 beside it is enough). (sum, paths, values)."""
    options = get_lexicon().cells_for(concept)
    for expr in options:
        value, paths, values = evaluate(doc, expr)
        if value is not None:
            return value, [p for p in paths if values[p]], values
    known = {}
    for expr in options[:1]:
        for path in (t.strip() for t in expr.split("+")):
            known[path] = doc.cell(path)
    nonzero = [p for p, v in known.items() if v]
    return sum(known[p] for p in nonzero), nonzero, known


def run(doc: Document, rules: list[Rule], ctx) -> Iterable[Finding]:
    # Table and negation rules share out the concepts: each claim goes to the rule naming it most
    # specifically. The other modes run rule by rule.
    by_mode: dict[str, list[Rule]] = {}
    for rule in rules:
        by_mode.setdefault(rule.params.get("mode", "table"), []).append(rule)
    if by_mode.get("table"):
        yield from _against_table(doc, by_mode["table"], ctx)
    if by_mode.get("none"):
        yield from _negation(doc, by_mode["none"], ctx)
    for mode, mode_rules in by_mode.items():
        handler = MODES.get(mode)
        for rule in mode_rules if handler is not None else ():
            yield from handler(doc, rule, ctx)


# --------------------------------------------------------------------------- helpers


def _specificity(pattern: str, concept: str) -> int | None:
    """How specifically a rule's pattern names a concept: exact > longer glob > shorter; None: not."""
    if pattern == concept:
        return 10_000
    if fnmatch.fnmatchcase(concept, pattern):
        return len(pattern.replace("*", ""))
    return None


def _rule_for(concept: str, rules: list[Rule], key: str = "concepts") -> Rule | None:
    best, best_score = None, None
    for rule in rules:
        for pattern in rule.params.get(key, ()):
            score = _specificity(pattern, concept)
            if score is not None and (best_score is None or score > best_score):
                best, best_score = rule, score
    return best


def _scope_severity(rule: Rule, claim: Claim) -> tuple[bool, str | None, list[str]]:
    """(skip, softened severity or None, the scope words that softened it)."""
    actions = rule.params.get("scope", {})
    severity = None
    words = []
    for word in claim.scope:
        action = actions.get(word)
        if action == "skip":
            return True, None, []
        if action in ("warning", "info"):
            words.append(word)
            if severity is None or SEVERITY_ORDER[action] > SEVERITY_ORDER[severity]:
                severity = action
    return False, severity, words


def _claim_evidence(claim: Claim) -> dict:
    return {"concept": claim.concept, "relation": claim.relation, "value": claim.value, "unit": claim.unit,
            "scope": list(claim.scope), "text": claim.text, "sentence": claim.sentence.text,
            "outcome": claim.outcome}


def _label(concept: str, doc: Document | None = None) -> str:
    """The concept as the report's table names it: "表三本年新收申请", or for a report of the 2008
    layout the row of its statistics table ("统计表受理依申请公开总数")."""
    lex = get_lexicon()
    if doc is not None and doc.tables.get(STATISTICS_2008):
        legacy = [c for c in lex.cells_for(concept) if c.startswith(STATISTICS_2008 + ".")]
        if legacy:
            rows = [t.strip().split(".")[1] for t in legacy[0].split("+")]
            return TABLE_LABELS[STATISTICS_2008] + "与".join(STATISTICS_2008_ROW_LABELS[r].strip() for r in rows)
    table = TABLE_LABELS.get(concept.split(".")[0], "")
    return f"{table}{lex.label(concept)}"


def _cells_text(paths: list[str], values: dict) -> str:
    return " + ".join(f"{p}={_fmt(values.get(p))}" for p in paths) if len(paths) <= 4 else \
        f"{len(paths)}格之和"


# A figure said with one of these may not be the concept's own: never compared with another statement.
HEDGES = frozenset({"approx", "inferred", "subset", "handled", "published"})


def _countable(claim: Claim) -> bool:
    """A plain statement of a figure of this report's year."""
    return (claim.relation == "count" and claim.value is not None
            and not {"other_year", "split"} & set(claim.scope))


# --------------------------------------------------------------------------- against the tables


def _claim_fits(rule: Rule, claim: Claim) -> bool:
    """params.units: the units the table's figure is counted in ("60个单位的…信息" counts bodies);
    params.claim_pattern: what the statement itself must say ("制作、获取政府信息总数" is not
    what was published)."""
    units = rule.params.get("units")
    if units and claim.unit not in units:
        return False
    pattern = rule.params.get("claim_pattern")
    return not pattern or re.search(pattern, claim.text) is not None


def _against_table(doc: Document, rules: list[Rule], ctx) -> Iterable[Finding]:
    lex = get_lexicon()
    for claim in ctx.claims:
        # A narrative concept has a table figure only in the 2008 layout's statistics table.
        if claim.relation != "count" or claim.value is None or (claim.table is None and not lex.cells_for(claim.concept)):
            continue
        rule = _rule_for(claim.concept, rules)
        if rule is None or (rule.scope and claim.sentence.section not in rule.scope):
            continue
        if not _claim_fits(rule, claim):
            continue
        skip, severity, words = _scope_severity(rule, claim)
        if skip:
            continue
        expected, paths, values, expr = concept_value(doc, claim.concept)
        if expected is None:
            continue  # blank or missing cells: the table rules report them
        tolerance = rule.params.get("tolerance", 0)
        if abs(claim.value - expected) <= tolerance:
            continue
        if {"approx", "included"} & set(claim.scope) and expected >= claim.value:
            continue  # "5500余条", "含…撤回157件": a floor, consistent with any larger count
        notes = []
        concept = lex.concept(claim.concept)
        explained = False
        for other in concept.related if concept else ():
            related = other + claim.concept[len(concept.id):]  # keep the column
            alt, alt_paths, alt_values, _ = concept_value(doc, related)
            if alt is not None and abs(claim.value - alt) <= tolerance:
                notes.append(f"文中数字等于{_label(related, doc)}（{_fmt(alt)}），统计口径不同")
                severity = severity or "warning"
                explained = True
                break
        if explained and "handled" in claim.scope:
            continue  # "办理申请61件": the applications handled, new and carried over — as the table says
        if not explained and claim.concept.startswith("applications.") and claim.concept.count(".") == 2:
            # "收到公民提出的申请2份" beside 1 from a person and 1 from a company: 公民 is often said of
            # every applicant; the figure is the row's total
            whole = claim.concept.rsplit(".", 1)[0]
            total, _, _, _ = concept_value(doc, whole)
            if total is not None and abs(claim.value - total) <= tolerance:
                notes.append(f"文中数字等于{_label(whole, doc)}（{_fmt(total)}），所说的申请人类别可能泛指全部申请人")
                severity = "info"
                explained = True
        if words and not notes:
            notes.append("文中有口径词（" + "、".join(SCOPE_LABELS.get(w, w) for w in words)
                         + "），可能统计范围不同，请核对")
        message = rule.format(text=claim.text, stated=_fmt(claim.value), table=_fmt(expected),
                              label=_label(claim.concept, doc), cells=_cells_text(paths, values))
        if notes:
            message += "；" + "；".join(notes)
        yield make_finding(rule, doc, message, span=(claim.start, claim.end), cells=paths, severity=severity,
                           content=f"{claim.text}|{_fmt(expected)}",
                           evidence={"claim": _claim_evidence(claim), "table_value": expected, "cells": values,
                                     "cells_expression": expr, "difference": claim.value - expected})


def _negation(doc: Document, rules: list[Rule], ctx) -> Iterable[Finding]:
    """"未收到申请", "未发生行政复议、行政诉讼", "零败诉": the concept's cells must all be 0."""
    for claim in ctx.claims:
        if claim.relation != "none":
            continue
        rule = _rule_for(claim.concept, rules)
        if rule is None or (rule.scope and claim.sentence.section not in rule.scope):
            continue
        skip, severity, _ = _scope_severity(rule, claim)
        if skip:
            continue
        expected, nonzero, values = nonzero_cells(doc, claim.concept)
        if not expected:
            continue
        message = rule.format(text=claim.text, label=_label(claim.concept, doc), table=_fmt(expected),
                              cells="、".join(f"{p}={_fmt(values[p])}" for p in nonzero))
        yield make_finding(rule, doc, message, span=(claim.start, claim.end), cells=list(values), severity=severity,
                           content=f"{claim.text}|{_fmt(expected)}",
                           evidence={"claim": _claim_evidence(claim), "table_value": expected, "cells": values})


def _absolute(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """Every case of the subject had one outcome: the other outcomes' cells must be 0."""
    lex = get_lexicon()
    outcomes = rule.params.get("outcomes", ())
    for claim in ctx.claims:
        if claim.relation != "all" or claim.outcome not in outcomes:
            continue
        absolute = next(a for a in lex.absolutes if a.outcome == claim.outcome)
        contradicting: list[tuple[str, float, list[str], dict]] = []
        stated: list[Claim] = []
        # said of one applicant column's count ("收到自然人申请2件，均予以公开"): that column's cells
        subject = claim.about.concept if claim.about is not None and claim.about.concept.startswith(claim.concept + ".") \
            else claim.concept
        for excluded in absolute.excludes:
            concept = _excluded_concept(subject, excluded)
            if concept is None:
                continue
            value, nonzero, values = nonzero_cells(doc, concept)
            excepted: list[Claim] = []
            if excluded == "carried_forward":
                # not those of an earlier count than the one the absolute follows ("线上申请65件…结转
                # 下年度办理3件，受理线下申请9件，已全部依法办结": all of the 9)
                received = [c for c in ctx.claims if c.concept in RECEIVED_TOTALS and c.relation == "count"
                            and c.end <= claim.start]
                since = received[-1].start if received else -1
                carried = [c for c in ctx.claims if c.concept == "applications.carried_forward"
                           and c.relation == "count" and c.value and "other_year" not in c.scope and c.start > since]
                excepted = [c for c in carried if _excepted_after(claim, c)]
                stated += [c for c in carried if c not in excepted]
            if value and not (excepted and abs(sum(c.value for c in excepted) - value) < 1e-9):
                contradicting.append((concept, value, list(values), values))
        if not contradicting and not stated:
            continue
        only_pending = contradicting and all(c[0].endswith(".pending") for c in contradicting) and not stated
        severity = rule.params.get("pending_severity") if only_pending else None
        detail = [f"{_label(c, doc)}为{_fmt(v)}" for c, v, _, _ in contradicting]
        detail += [f"文中又写“{c.text}”" for c in stated[:1]]
        cells = [p for _, _, paths, _ in contradicting for p in paths]
        values = {p: v for _, _, _, vals in contradicting for p, v in vals.items()}
        message = rule.format(text=claim.text, subject=_label(subject, doc), detail="，".join(detail))
        if only_pending:
            message += "（尚未审结的案件还没有结果）"
        yield make_finding(rule, doc, message, span=(claim.start, claim.end), cells=cells, severity=severity,
                           content=f"{claim.text}|{claim.concept}|" + ";".join(detail),
                           evidence={"claim": _claim_evidence(claim), "cells": values,
                                     "stated": [c.text for c in stated]})


RECEIVED_TOTALS = ("applications.new_received", "applications.received_total")

# "…均已按要求按时办结答复，剩余4件结转下年度": the rest named as such, right after the absolute.
EXCEPTION_AFTER = re.compile(r"^[^，,；;。]{0,6}[，,；;、\s]*(?:剩余|其余|余下|另有|尚有|还有|仅有|只有)")


def _excepted_after(absolute: Claim, carried: Claim) -> bool:
    """The carried-forward count is the exception the absolute's own sentence makes right after it:
    the absolute is said of the others."""
    sentence = absolute.sentence
    return carried.sentence is sentence and carried.start >= absolute.end \
        and EXCEPTION_AFTER.match(sentence.text[absolute.end - sentence.start:carried.start - sentence.start]) is not None


def _excluded_concept(subject: str, excluded: str) -> str | None:
    """The concept whose cells an absolute about `subject` says are 0 ("appeals.review" + "corrected"
    → "appeals.review.corrected"; applications + "carried_forward" → "applications.carried_forward")."""
    if subject.startswith("appeals."):
        return f"{subject}.{excluded}" if excluded in ("upheld", "corrected", "other", "pending") else None
    if subject.startswith("applications."):
        if excluded.startswith("@"):  # a column group of the subject's own row: "均为自然人申请"
            return ".".join(subject.split(".")[:2]) + "." + excluded[1:]
        if excluded == "carried_forward" and subject.split(".")[1] == "total_processed":
            return None  # "已按时办结33件，均按照…时限和流程办理，1件结转至下年": said of the 33
            # processed, it says nothing of those still open
        # "收到自然人申请2件，均予以公开": the other outcomes of that column only
        return f"applications.{excluded}" + "".join(f".{c}" for c in subject.split(".")[2:])
    return None


# --------------------------------------------------------------------------- the prose against itself


def _parts_sum(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """A list's parts against its total: more than the total is wrong whatever the list; less is
    wrong where the list is meant to be the total's breakdown — it names a rest (其他…), or it lists
    six kinds or more, or its parts (three or more, with no 主要/等) make most of the total — and only
    worth a note where the parts are a few highlights of it ("发布3.5万条，其中常务会议62条、政策解读81条")."""
    min_parts = rule.params.get("min_parts", 3)
    breakdown_share = rule.params.get("breakdown_share", 0.75)
    full_enumeration = rule.params.get("full_enumeration", 6)
    closed_sets = [[re.compile(p) for p in members] for members in rule.params.get("closed_sets", ())]
    enumeration_floor = rule.params.get("enumeration_floor", 0.0)
    near_whole = rule.params.get("near_whole", 1.0)
    for lst in ctx.claim_lists:
        total = lst.total
        if total is None or total.value is None or not lst.parts:
            continue
        if len(lst.parts) == 1 and not _one_part_exceeds(lst):
            continue  # one part: only wrong when "其中" a part larger than the whole
        if lst.dimension == "result" and total.concept.split(".")[:2] != ["applications", "total_processed"] \
                and not _results_past_what_came_in(lst, doc):
            continue  # results add up to the processed applications, not to the received ones
        values = [p.value for p in lst.parts]
        if any(v is None for v in values):
            continue
        # "3件…，3件属于网络平台申请，2件…": one part is all of them, so the parts may overlap — only a
        # note (not a rest: "其中…27条，其他300余条" of 300余 leaves nothing for the kinds named)
        whole_parts = [p for p in lst.parts if abs(p.value - total.value) < 1e-9 and not REMAINDER.search(_own_words(p))]
        # (parts of nothing do not count: "304条，其中主动公开304条，年度报告1条，依申请公开0条，不予公开0条")
        overlap = bool(whole_parts) and len([p for p in lst.parts if p.value]) <= OVERLAP_MAX_PARTS
        if overlap and any(CHANNEL_PART.search(_own_words(p)) for p in whole_parts):
            continue  # all of them came one way ("其中通过网站公开260条，通过公众号公开40条"): the
            # channels overlap, nothing is wrong
        parts = lst.parts
        tail = _after_complete_breakdowns(values, total.value)
        if tail is not None and not tail:
            continue  # "15件，其中网络9件，信函6件，同意公开10件，部分公开3件…": two breakdowns, each whole
        whole_before = None  # how many first parts make the total exactly, the rest being a short tail
        if tail and len(tail) >= 2 and sum(tail) >= total.value / 2:
            parts = parts[len(parts) - len(tail):]  # the first breakdowns are whole: check the last alone
            values = tail
        elif tail and len(tail) >= 2 and sum(tail) >= total.value / 10 and total.value >= 20:
            # a long, substantial rest after parts that make the total exactly: maybe another breakdown
            # (a short or small one is the enumeration going on past a total that missed it, and in
            # small totals an exact run of parts is often chance: "9件…7件，1件，1件，1件，1件")
            whole_before = len(values) - len(tail)
        elif tail and len(tail) == 1 and "approx" in parts[-1].scope:
            # "6535条，通过门户网站公开3593条，政务微信2942条，其他电视台、微信公众号等方式公开1000余条":
            # exact parts make the total; a rough figure after them is counted some other way
            whole_before = len(values) - 1
        stated = sum(values)
        if abs(stated - total.value) < 1e-9:
            continue
        timely = [p.value for p in parts if TIMELINESS.search(_own_words(p))]
        if timely and len(timely) < len(parts) and abs(stated - sum(timely) - total.value) < 1e-9:
            continue  # "15件，均按时答复，其中依法延期1件，予以公开10件…": when, beside what became of them
        if stated > total.value and _subtotals_with_their_items(values, total.value):
            continue  # "104条，其中新闻栏目5条，今日秀英2条，政务动态3条；政策栏目14条，…；信息公开栏目85条…":
            # each column's count, then its items — 5+14+85 = 104
        if _shares_of_another_base(lst, ctx.claims):
            continue  # "申请数量占比前三的为成都591件(占31.91%)、眉山132件(占7.13%)…": shares of the
            # 1852 received, so the figure the reader took for their total is not theirs
        if stated < total.value and _counted_in_another_unit_between(lst, ctx.claims, total.value - stated):
            continue  # "716条，其中…政策文件3件，…服务事项85项，…411条": the item in 项 the reader left out
            # of the sum makes it exactly
        if stated < total.value and _shortfall_right_after(lst, ctx.claims, ctx.claim_lists, total.value - stated):
            continue  # "1464条，其中政府发文6条，网站信息516条，微信信息626条，上报政府信息316条": the figure
            # the reader left out of the list is exactly what it lacks
        if _of_two_counts_before(total, ctx.claims, stated):
            continue  # "办理简易案件28件，办理一般案件16件，其中行政处罚案件39件，行政案件5件": of all 44
        if stated > total.value and "deduplicated" in total.scope:
            continue  # "901条（不同渠道的相同信息计1条），通过政务网发布730条，政务微信295条…": the same item on
            # several channels is counted once in the total, so the channels may add up to more
        if _channels_make_total(parts, total):
            continue  # "总数560条，其中政府网站公开268条，其他方式公开292条，规范性文件数1条": the
            # channels make the whole; a kind counted beside them cuts across them
        if _others_in_another_unit(parts, total):
            continue  # "1899条，其中概况类信息185条，政务动态信息1714条，主动公开文件27件": the parts in
            # the total's unit make it; the documents counted apart are among them
        approx_parts = any("approx" in p.scope for p in parts)
        severity = None
        if stated > total.value:
            if ("approx" in total.scope and (stated < _floor_ceiling(total)
                                             or (approx_parts and ROUNDED_IN_WORDS.search(total.text))))\
                    or any("approx" in p.scope and "at_least" not in p.scope for p in parts):
                continue  # "约600条": the total or a part may be larger or smaller; "1600余条" is only
                # larger, but below 1700 ("300余" holds 370: only parts of 400 or more pass it); parts
                # that are floors ("120余条") only make the sum larger — unless the total is rounded in
                # words ("6.7万余条" for 66,936: its 余 is loose)
            if _removed_beside(lst, ctx.claims, stated - total.value):
                continue  # "174条，其中…20条(同时撤销2条)，…156条": the total is net of what was taken down
        else:
            if _carried_forward_beside(lst, ctx.claims, total.value - stated):
                continue  # "办理…31件，其中予以公开4件…，结转下年继续办理7件": the rest is still pending
            # "10471多条，其中动态类2519条，公告通知类2300条，其他4916余条": parts that are at least
            # so many are still short when even their ceilings are
            certain_short = approx_parts and all("at_least" in p.scope for p in parts if "approx" in p.scope) \
                and sum(_floor_ceiling(p) if "at_least" in p.scope else p.value for p in parts) <= total.value
            names_rest = any(REMAINDER.search(_own_words(p)) and not _rest_of_a_sibling_kind(p, parts, total)
                             and not TABLE_TWO_OTHER_SERVICES.search(_own_words(p))
                             for p in parts) or lst.intro == "共计"
            # the rest counted ("…等其它信息132条"), not named after the last figure ("2条以及…其他信息等")
            rest_counted = any(REMAINDER.search(re.split(r"\d", _own_words(p), maxsplit=1)[0]) for p in parts)
            if (lst.partial and not (names_rest and rest_counted)) or ("approx" in total.scope
                                                    and not ("at_least" in total.scope and (not approx_parts or certain_short))):
                continue  # "主要有…等": an open list leaves a rest — unless it names the rest itself ("主要包括
                # …，工作动态、部门决算等其它信息132条"); "约600条" may be less (exact parts short of
                # "180余" are short of at least 180)
            # a kind listed with none of it is no highlight: the list names every kind ("其中政策文件4条，
            # 工作动态37条，履职依据0条，权责清单1条")
            # (not a disclosure attribute: "主动公开公文14条，依申请公开0条" says how, not what)
            names_zero = len(parts) >= min_parts and any(p.value == 0 and not DISCLOSURE_ATTRIBUTE.match(_own_words(p))
                                                         for p in parts)
            complete = names_rest or names_zero or _covers_columns(lst) or _dispositions(lst) \
                or _names_a_closed_set(parts, closed_sets, total) or _channels_named_in_the_total(lst) \
                or (len(parts) >= full_enumeration and stated >= enumeration_floor * total.value) or (
                len(parts) >= min_parts and stated >= breakdown_share * total.value) or (
                len(parts) >= 2 and stated >= near_whole * total.value and not _some_of_a_closed_set(parts, closed_sets))
            if not complete or (approx_parts and not certain_short) or _of_one_channel(lst) or lst.intro == "含" \
                    or _media_highlights(lst):
                severity = "info"  # "121条，含…": what is included, maybe not all of it
        # Lists the arithmetic cannot judge: only a note, saying why.
        note = None
        if overlap:
            note = "其中一项已等于总数，各项可能相互交叉"
        elif len(values) >= 3 and SUBTOTAL_WORD.search(_own_words(parts[-1])) \
                and abs(sum(values[:-1]) - values[-1]) < 1e-9:
            # "…财政预决算4条、其他3条，共发布102条；专题专栏包括…，共发布86条": the items and their own
            # sum; the rest of the total is said elsewhere
            note = f"最后一项（{_fmt(values[-1])}）是前面各项之和，所列可能只是总数的一部分"
        elif whole_before is not None and stated > total.value:
            # "4034条，其中政务信息2657条，县直及各乡镇1377条，政策解读24条，人事信息92条…": the first
            # parts make the total exactly; the rest may be the enumeration going on past a wrong
            # total, or kinds that cut across the first ones — which, the arithmetic cannot tell
            note = f"前{whole_before}项之和恰好等于总数，其后各项可能是另一种分法"
        elif stated < total.value and _each_share_of_the_total(lst, ctx.claims):
            # "56条。其中，机构职能类信息1条，占总数的1.79%；法规文件类信息20条，占总数的35.72%…": the
            # author figured each kind against the whole, so the kinds not listed are known to be there
            note = "各项所注占比都按总数算得，所列只是其中几类"
        elif stated < total.value and _after_parallel_totals(lst, ctx.claims):
            # "通过政府网站共发布各类信息14306条，通过政务新媒体共发布信息1708条。其中，…": the sentence
            # opening with 其中 may break down either figure or both together
            note = "“其中”前一句有两个并列的总数，所列可能是两者合计或另一个数的分类"
        if note:
            severity = "info"
        floors = ["余" if "at_least" in p.scope else "" for p in parts]
        stated_text = _fmt(stated) + ("余" if any(floors) else "")  # "1600余条" parts: their sum is a floor too
        expression = "+".join(_fmt(v) + f for v, f in zip(values, floors)) + f" = {stated_text}"
        if len(values) == 1:
            expression = f"其中一项{stated_text} > 总数{_fmt(total.value)}"
        total_text = _fmt(total.value) + ("余" if "at_least" in total.scope else "")
        message = rule.format(total=total_text, unit=total.unit, parts_sum=stated_text,
                              expression=expression, difference=_fmt(abs(total.value - stated)),
                              text=total.text)
        if note:
            message += "；" + note
        start = min(total.start, parts[0].start)
        end = max(total.end, parts[-1].end)
        yield make_finding(rule, doc, message, span=(start, end), severity=severity,
                           content=f"{total.text}|{expression}",
                           evidence={"total": {"text": total.text, "value": total.value},
                                     "parts": [{"text": p.text, "value": p.value} for p in parts],
                                     "parts_sum": stated, "dimension": lst.dimension, "intro": lst.intro})


# A part that sums the items before it: "…其他3条，共发布102条".
SUBTOTAL_WORD = re.compile(r"共|合计|总计|小计")


# Table 二's row "其他对外管理服务事项" (in any order of its words): a kind, not the rest.
TABLE_TWO_OTHER_SERVICES = re.compile(r"其[他它](?:对外)?管理(?:对外)?服务事项")


def _rest_of_a_sibling_kind(part: Claim, parts, total: Claim) -> bool:
    """"行政规范性文件17件，其他政策文件35件": the rest of the documents, a kind a sibling names by the
    same last word — not the rest of the total (not where the total is named by that word too:
    "公开信息1071条，…行政许可类信息219条，…等其它信息132条")."""
    words = _name_of(part)
    rest = REMAINDER.search(words)
    noun = words[rest.end():][-2:] if rest else ""
    if len(noun) != 2 or _name_of(total).endswith(noun):
        return False
    return any(p is not part and _name_of(p).endswith(noun) for p in parts)


def _name_of(part: Claim) -> str:
    """A part's own words without its figure and unit ("其他政策文件35件" → "其他政策文件")."""
    return re.sub(r"[\d.]+\s*\S?$", "", _own_words(part))


# A part that says when applications were answered, not what became of them.
TIMELINESS = re.compile(r"延期|延长(?:答复)?期限|按时|按期|超期|及时|(?<!申请人)逾期(?!不补正|未(?:按|缴))")


DISCLOSURE_ATTRIBUTE = re.compile(r"(?:作为)?(?:依申请公开|不予公开|不公开|免予公开)")


def _counted_in_another_unit_between(lst, claims: list[Claim], shortfall: float) -> bool:
    """Counts among the list's parts (between its first and last) that the list left out, in another
    unit, whose sum is exactly what the parts lack."""
    first, last = lst.parts[0], lst.parts[-1]
    members = {id(p) for p in lst.parts}
    skipped = [c for c in claims if first.start < c.start < last.end and id(c) not in members
               and c.relation == "count" and c.value is not None and c.unit != last.unit]
    return bool(skipped) and abs(sum(c.value for c in skipped) - shortfall) < 1e-9


_PUBLISHED = ("narrative.published", "narrative.published_part")


def _shortfall_right_after(lst, claims: list[Claim], lists, shortfall: float) -> bool:
    """The counts right after the list's last part, in its unit — in its sentence and the sentence
    right after it — make exactly the shortfall, one or several in a row ("…13条。2024年在重点工作栏
    发布…3条、…1条、…12条及…1条" lists the rest of the 175); not the parts of another breakdown of
    the same total ("其中政府网站293条…；按类别划分，…137条、…5条")."""
    last = lst.parts[-1]
    near = _sentences_through_the_next(last, claims)
    other_breakdowns = {id(p) for other in lists if other is not lst and other.total is lst.total for p in other.parts}
    published = lst.total is not None and lst.total.concept in _PUBLISHED
    following = [c for c in claims if c.start >= last.end and c.relation == "count" and c.value is not None
                 and (same_unit(c.unit, last.unit)
                      # "…96条，制发政策解读16篇，规范性文件10篇，…信息1308条", "…复函17条，公开征求
                      # 意见3次…": items of what was published, in any unit they are counted in
                      or published and c.unit in COUNT_FAMILY and last.unit in COUNT_FAMILY
                      and not c.concept.startswith(("applications.", "appeals.", "fees.")))
                 and id(c.sentence) in near and id(c) not in other_breakdowns and not _said_besides(c)]
    running = 0.0
    for c in following:
        running += c.value
        if abs(running - shortfall) < 1e-9:
            return True
        if running > shortfall:
            return False
    return False


# "…其它信息132条，另全年共开展公众意见征集1期": a figure said to be besides what came before.
BESIDES = re.compile(r"^(?:另外|此外|另|除此之外)")


def _said_besides(claim: Claim) -> bool:
    sentence = claim.sentence
    clause = re.split(r"[，,；;。]", sentence.text[:claim.start - sentence.start])[-1].strip()
    return BESIDES.match(clause) is not None


def _results_past_what_came_in(lst, doc: Document) -> bool:
    """Results of more applications than the year received, in a report that speaks of none carried
    over from the year before (no 结转 anywhere, as before the 2019 layout): more answered than came
    in ("共收到…申请63项，…其中…2项，…9项，…1项，…51项，…1项")."""
    total = lst.total
    return total.concept.split(".")[:2] == ["applications", "new_received"] and total.relation == "count" \
        and sum(p.value for p in lst.parts) > total.value and not CARRIED_WORD.search(doc.text)


CARRIED_WORD = re.compile(r"结转|转结|上年度?遗留|延续办理|上年度?未办结")


def _sentences_through_the_next(last: Claim, claims: list[Claim]) -> set[int]:
    """The part's sentence, the clauses closed by ； that follow it up to the full stop, and the
    sentence after that (ids): where the rest of an enumeration may still be said."""
    near = {id(last.sentence)}
    previous, stops = last.sentence, 0
    for c in claims:
        sentence = c.sentence
        if c.start < last.end or id(sentence) in near:
            continue
        if sentence.section != previous.section or not 0 <= sentence.start - previous.end <= 2:
            break
        if not previous.text.rstrip().endswith(("；", ";")):
            stops += 1
        if stops > 1:
            break
        near.add(id(sentence))
        previous = sentence
    return near


def _shares_by_part(claims: list[Claim]) -> dict[int, Claim]:
    """The share stated of each count (by the count's id)."""
    return {id(c.about): c for c in claims if c.relation == "share" and c.about is not None and c.value is not None}


def _shares_of_another_base(lst, claims: list[Claim]) -> bool:
    """Every part carries a share, they all imply one base (count / share), and that base is not
    the list's total."""
    shares = _shares_by_part(claims)
    bases = []
    for part in lst.parts:
        share = shares.get(id(part))
        if share is None or part.value is None or not share.value:
            return False
        bases.append(100.0 * part.value / share.value)
    if len(bases) < 2 or not lst.total.value:
        return False
    low, high = min(bases), max(bases)
    agree = high - low <= 0.01 * high + 1
    return agree and abs(sum(bases) / len(bases) - lst.total.value) > 0.01 * lst.total.value + 1


def _each_share_of_the_total(lst, claims: list[Claim]) -> bool:
    """Every part carries a share, and each is its count over the list's total."""
    shares = _shares_by_part(claims)
    for part in lst.parts:
        share = shares.get(id(part))
        if share is None or part.value is None or not lst.total.value \
                or abs(100.0 * part.value / lst.total.value - share.value) > 0.1:
            return False
    return len(lst.parts) >= 2


def _after_parallel_totals(lst, claims: list[Claim]) -> bool:
    """The list opens a sentence of its own after a sentence ending on its total with another count
    of the same kind and unit before it."""
    total = lst.total
    if not lst.parts or lst.parts[0].sentence is total.sentence:
        return False
    return any(c.sentence is total.sentence and c.end <= total.start and c.relation == "count" and c is not total
               and c.value is not None and same_unit(c.unit, total.unit) and _same_kind(c.concept, total.concept)
               for c in claims)


def _same_kind(a: str, b: str) -> bool:
    """One concept, or both counts of information published (a channel's count is a part)."""
    return a == b or (a in _PUBLISHED and b in _PUBLISHED)


def _of_two_counts_before(total: Claim, claims: list[Claim], stated: float) -> bool:
    """The parts make the total and the count right before it in its sentence, in one unit: the list
    is of both."""
    before = [c for c in claims if c.sentence is total.sentence and c.end <= total.start and c.relation == "count"
              and c.value is not None and same_unit(c.unit, total.unit)]
    return bool(before) and abs(before[-1].value + total.value - stated) < 1e-9


def _subtotals_with_their_items(values: list[float], total: float) -> bool:
    """The parts read as subtotals each followed by two or more items that make it exactly, and the
    subtotals (with any part standing alone) make the total exactly: a list nested without words."""
    n = len(values)

    def ways(i: int, acc: float, nested: bool) -> bool:
        if acc > total + 1e-9:
            return False
        if i == n:
            return nested and abs(acc - total) < 1e-9
        running = 0.0
        for j in range(i + 1, n):
            running += values[j]
            if running > values[i] + 1e-9:
                break
            if j - i >= 2 and abs(running - values[i]) < 1e-9 and ways(j + 1, acc + values[i], True):
                return True
        return ways(i + 1, acc + values[i], nested)

    return n >= 3 and ways(0, 0.0, False)


def _after_complete_breakdowns(values: list[float], total: float) -> list[float] | None:
    """The parts after the leading runs that each add up to the total: [] when the whole list is two
    or more such breakdowns of it (by channel, then by result), the rest when a run is followed by
    more parts, None when no leading run makes the total (one breakdown, checked as a whole). The caller
    checks a rest alone only where it can be another breakdown — two parts or more, at least half of
    the total; a small rest is the enumeration going on ("80条，其中…17条（80 so far），年报1条，其他1条":
    82 > 80 is wrong)."""
    runs, running, start = 0, 0.0, 0
    for i, value in enumerate(values):
        if value == 0 and running == 0 and runs:
            start = i + 1  # "…16条，财政管理信息0条": a kind with none of it closes the run it follows
            continue
        running += value
        if abs(running - total) < 1e-9:
            runs, running, start = runs + 1, 0.0, i + 1
        elif running > total:
            break
    if runs == 0 or (runs == 1 and start == len(values)):
        return None
    return values[start:]


# A part named by where it was published (网站、公众号、其他方式…), not by what kind it is.
CHANNEL_PART = re.compile(r"网站|网|平台|公众号|微信|微博|新媒体|客户端|APP|方式|渠道|公开栏|公示栏|报刊|广播|电视")


# "3件…，3件属于网络平台申请，2件…": a part that is all of the total says the parts overlap — in a
# short list; in a long one ("6条，其中政府文件5条，概况信息12条，…土地利用6条，…政策解读49条",
# eleven kinds) the parts are kinds, and one of them equal to the total is no overlap.
OVERLAP_MAX_PARTS = 3


def _channels_make_total(parts: list[Claim], total: Claim) -> bool:
    """Two or more parts named by a channel add up exactly to the total, and the others name a kind:
    the list gives the whole by channel, then a kind of item across the channels."""
    return _some_make_total([p for p in parts if CHANNEL_PART.search(_own_words(p))], parts, total)


def _others_in_another_unit(parts: list[Claim], total: Claim) -> bool:
    """The parts in the total's unit add up to it exactly, and every other part counts in another
    unit (文件…件 beside 信息…条). A run of parts that only happens to make the total proves
    nothing: "205篇，其中文字解读144篇，图片解读61篇，视频解读1篇" is one too many."""
    return _some_make_total([p for p in parts if p.unit == total.unit], parts, total)


def _some_make_total(some: list[Claim], parts: list[Claim], total: Claim) -> bool:
    """Two or more of the parts, not all, add up exactly to the total."""
    return 2 <= len(some) < len(parts) and abs(sum(p.value for p in some) - total.value) < 1e-9


CHANNEL_NAMED = re.compile(r"通过|依托|利用|在[^，。；]{0,16}(?:网|平台|公众号|微博|专栏|栏目)")


ROUNDED_IN_WORDS = re.compile(r"\d(?:\.\d+)?\s*[万亿]")


def _floor_ceiling(total: Claim) -> float:
    """Where "N余" ends: below the next step of its last non-zero digit ("300余" < 400, "12190余" <
    12200); an "约N" has no such bound (inf)."""
    if "at_least" not in total.scope or total.value is None or total.value <= 0:
        return math.inf
    value = int(total.value)
    step = 1
    while value % (step * 10) == 0:
        step *= 10
    return (value // step + 1) * step


def _names_a_closed_set(parts, closed_sets: list[list[re.Pattern]], total: Claim) -> bool:
    """The parts are, one for one, the categories of a fixed classification (the website statistics
    form's 概况类、政务动态、信息公开目录): no kind is left out, whatever share they make — of a total
    of the website's, not of one that names other channels too ("通过门户网站、微信公众号等发布…2541
    余条，其中概况类…、政务动态…、信息公开目录…": the website's categories leave the rest out)."""
    if SECONDARY_CHANNEL.search(_whole_clause(total)):
        return False
    names = [_own_words(p) for p in parts]
    return any(len(names) == len(members) and all(any(m.search(n) for n in names) for m in members)
               and _each_a_member(names, members) for members in closed_sets)


def _some_of_a_closed_set(parts, closed_sets: list[list[re.Pattern]]) -> bool:
    """The parts are some, not all, of a fixed classification's categories ("政务动态…4792条，信息公开目录
    …5403条" without 概况类): the category left out may be the gap."""
    names = [_own_words(p) for p in parts]
    return any(len(names) < len(members) and _each_a_member(names, members) for members in closed_sets)


def _each_a_member(names: list[str], members: list[re.Pattern]) -> bool:
    return all(any(m.search(n) for m in members) for n in names)


def _whole_clause(claim: Claim) -> str:
    """The claim's clause from its start, with the claim itself."""
    sentence = claim.sentence
    start = claim.start - sentence.start
    return re.split(r"[，,；;。]", sentence.text[:start])[-1] + claim.text


# "通过省政府网站信息公开专栏和厅网站主动公开…15329条": the channels a total says it was published by.
_CHANNELS_OF_TOTAL = re.compile(r"(?:通过|经由|依托|利用|在)(?P<names>[^，,；;。]{2,60})$")
_VERB_AFTER_THE_CHANNELS = re.compile(r"(?:主动)?(?:公开|发布|公布|更新)[^和及与、]*$")


def _channels_named_in_the_total(lst) -> bool:
    """The total's own clause names the channels it was published by, and the parts are, one for one,
    those channels: the list is whole, however few its parts."""
    total = lst.total
    sentence = total.sentence
    before = sentence.text[:total.start - sentence.start]
    clause = re.split(r"[，,；;。]", before)[-1]
    m = _CHANNELS_OF_TOTAL.search(clause)
    if m is None:
        return False
    names = [n for n in ITEM_SEPARATOR.split(_VERB_AFTER_THE_CHANNELS.sub("", m.group("names"))) if len(n) >= 2]
    if len(names) < 2 or len(names) != len(lst.parts):
        return False
    words = [_own_words(p) for p in lst.parts]
    return all(any(n in w for w in words) for n in names) and all(any(n in w for n in names) for w in words)


def _of_one_channel(lst) -> bool:
    """"4702条。其中，通过县政府门户网站公布政务要闻672条，视频新闻259条，…": the first item names
    one channel and the others none — the kinds published there, which need not make the whole (a
    total after its parts, or one that names the channel itself, is that channel's)."""
    return len(lst.parts) >= 2 and lst.total.end <= lst.parts[0].start \
        and CHANNEL_NAMED.search(_own_words(lst.total)) is None \
        and CHANNEL_NAMED.search(_own_words(lst.parts[0])) is not None \
        and not any(CHANNEL_NAMED.search(_own_words(p)) for p in lst.parts[1:])


def _media_highlights(lst) -> bool:
    """"在各级媒体刊登新闻144条，其中《中国税务报》7条、…新华网14条、…南方+3条", "发表稿件176篇，其中
    中央级媒体13篇、省市级媒体128篇…": outlets or levels of the press named one by one are the
    ones worth naming — the rest ran elsewhere — however many are named."""
    return MEDIA.search(_whole_clause(lst.total)) is not None \
        and all(MEDIA_OUTLET.search(_own_words(p)) for p in lst.parts)


MEDIA = re.compile(r"媒体|报刊|报纸|媒介")
# An outlet by name (《…》, “…”, …报/网/台/号), or a level of the press (中央级媒体, 省市级媒体).
MEDIA_OUTLET = re.compile(r"《[^》]{1,20}》|[“\"][^”\"]{1,16}[”\"]"
                          r"|(?:报|网|台|电视|广播|频道|学习强国|客户端|号|\+|媒体)\s*(?:共|计|刊发|刊登|发布|采用)?\s*(?:约)?\d")


def _removed_beside(lst, claims: list[Claim], difference: float) -> bool:
    """A count of items taken down (撤销/删除/下架…) in the list's sentences that is exactly what the
    parts exceed the total by."""
    sentences = {id(lst.total.sentence)} | {id(p.sentence) for p in lst.parts}
    return any(id(c.sentence) in sentences and c.relation == "count" and c.value is not None
               and abs(c.value - difference) < 1e-9 and REMOVED.search(_own_words(c)) for c in claims)


def _carried_forward_beside(lst, claims: list[Claim], difference: float) -> bool:
    """The results of applications short of their total by exactly the count carried forward to next
    year, stated in the list's sentences: those are the ones not yet answered."""
    if not lst.total.concept.startswith("applications."):
        return False
    sentences = {id(lst.total.sentence)} | {id(p.sentence) for p in lst.parts}
    return any(id(c.sentence) in sentences and c.relation == "count" and c.value is not None
               and c.concept == "applications.carried_forward" and abs(c.value - difference) < 1e-9 for c in claims)


def _one_part_exceeds(lst) -> bool:
    """"主动公开信息19条，其中向政府网站推送35条": the one part of a 其中 larger than its total."""
    part, total = lst.parts[0], lst.total
    if total.concept in ("applications.carried_over", "applications.carried_forward"):
        return False  # "收到9件，上年转结1件，其中网络申请5件": the 其中 is of both counts
    # "公布网上服务事项108项，其中行政许可191项": a total of what the tables do not count holds
    # whatever its 其中 names.
    same_kind = (part.concept.split(".")[:2] == total.concept.split(".")[:2] or total.concept == "other"
                 or part.concept.startswith("narrative.published") and total.concept.startswith("narrative.published"))
    return (lst.intro == "其中" and same_kind and part.sentence is total.sentence and part.value is not None
            and part.value > total.value
            and part.unit == total.unit and not {"approx", "other_year"} & (set(part.scope) | set(total.scope)))


def _own_words(part: Claim) -> str:
    """The words of a part's own clause before its number ("其他信息248条" → "其他信息")."""
    sentence = part.sentence
    start = part.start - sentence.start
    # not past the figure before it: "（重庆）20580条和其他平台发布信息145条"
    clause = re.split(r"[，,；;、：:（(）)]|\d[\d.]*", sentence.text[:start])[-1]
    return clause.strip() + part.text


def _dispositions(lst) -> bool:
    """"制作、获取政府信息总数32条，其中主动公开26条，依申请公开0条": what became of the information
    made — published, open on request, withheld — which is all of it, however few of the three are named."""
    named = [disposition_of(_own_words(p)) for p in lst.parts]
    return MADE_OR_OBTAINED.search(_own_words(lst.total)) is not None and None not in named \
        and len(set(named)) == len(named) and "proactive" in named


def _covers_columns(lst) -> bool:
    """自然人 + 法人或其他组织, or all four appeal results: the parts name every column."""
    columns = {p.concept.rsplit(".", 1)[-1] for p in lst.parts}
    return (columns >= {"natural_person", "legal_person"}
            or columns >= {"upheld", "corrected", "other", "pending"})


def _stated_twice(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """One table figure, or the year's whole count of information published, stated twice with two
    numbers, in the same scope (both for the whole area, or both for one office), neither
    approximate, a part, or another year's."""
    seen: dict[tuple, Claim] = {}
    reported: set[tuple] = set()
    for claim in ctx.claims:
        if not _countable(claim) or HEDGES & set(claim.scope):
            continue
        if claim.table is None and not _overall_published(rule, claim):
            continue
        key = (claim.concept, claim.unit, _scope_key(claim))
        first = seen.setdefault(key, claim)
        if first is claim or abs(first.value - claim.value) < 1e-9 or key in reported:
            continue
        if (first.sentence is claim.sentence or QUOTED_LABEL.search(_kind_label(first) + _kind_label(claim))) \
                and _kind_label(first) != _kind_label(claim):
            continue  # two items of one enumeration the lexicon reads as one row ("非本机关…21件，信息不存在的196件";
            # the 2008 style, a quoted category a paragraph: "“不属于本行政机关公开”的4件"…"“申请信息不存在”的2件")
        if _parallel_owners(first, claim) or _parallel_owners(claim, first) or _owners_differ(first, claim):
            continue  # "政府新收…2件，办理结果为予以公开2件；部门新收…4件，…": two owners' figures, said alike
        if _part_restated(first, claim, ctx.claim_lists) or _part_restated(claim, first, ctx.claim_lists):
            continue  # "共304条…网站公开信息165条…；…共主动公开政府信息165条": that part's count again
        if claim.concept == "applications.new_received" and (_answered_ones(claim) or _answered_ones(first)):
            continue  # "受理依申请公开38件…。2024年受理的37件申请件已按规定…予以答复": of those received,
            # the ones answered (one was carried forward)
        if claim.concept == "applications.new_received" and not all(RECEIVING.search(_own_words(c)) for c in (first, claim)):
            # "收到…申请19件。依申请公开16件": a bare 依申请公开 is read as received by default, but may
            # be the ones disclosed; two numbers are only two statements of one figure when both say 收到.
            continue
        reported.add(key)
        message = rule.format(label=_label(claim.concept, doc), first=first.text, second=claim.text,
                              a=_fmt(first.value), b=_fmt(claim.value))
        yield make_finding(rule, doc, message, span=(claim.start, claim.end),
                           content=f"{first.text}|{claim.text}",
                           evidence={"first": _claim_evidence(first), "second": _claim_evidence(claim)})


    yield from _same_kind_twice_in_a_list(doc, rule, ctx)
    yield from _denied_and_counted(doc, rule, ctx)


def _stock_of_published(rule: Rule, claim: Claim) -> bool:
    """A plain count of the stock of information published since some date (see _whole_published),
    not a part of something ("其中，通过…系统累计主动公开信息238条")."""
    return claim.relation == "count" and claim.value is not None and not (HEDGES | {"split"}) & set(claim.scope) \
        and _whole_published(rule, claim) == "stock"


def _stock_below_the_year(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """"2017年主动公开政府信息30条" and "到2017年底累计主动公开政府信息15条": what was published since
    some date cannot be less than what this year alone published."""
    years = _year_wholes(rule, ctx.claims)
    for stock in (c for c in ctx.claims if _stock_of_published(rule, c)):
        year = next((c for c in years if same_unit(c.unit, stock.unit) and c.value > stock.value + 1e-9
                     and not (_scope_key(c) and _scope_key(stock) and _scope_key(c) != _scope_key(stock))), None)
        if year is None:
            continue
        message = rule.format(stock=stock.text, year=year.text, a=_fmt(stock.value), b=_fmt(year.value))
        yield make_finding(rule, doc, message, span=(stock.start, stock.end), content=f"{stock.text}|{year.text}",
                           evidence={"stock": _claim_evidence(stock), "year": _claim_evidence(year)})


def _year_wholes(rule: Rule, claims: list[Claim]) -> list[Claim]:
    """The plain statements of the year's whole count of information published."""
    return [c for c in claims if _countable(c) and not HEDGES & set(c.scope) and _overall_published(rule, c)]


def _kinds_past_the_whole(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """"共公布政府信息2599条", then paragraphs on: "公开政府采购项目信息2536条", "全年公布631条": two
    kinds of what was published, each stated on its own (no channel's, no list's item, no stock),
    that together are more than the whole the year published."""
    wholes = _year_wholes(rule, ctx.claims)
    if not wholes or len({c.value for c in wholes}) != 1:
        return  # no whole, or two (CLM-STATED-TWICE says so)
    whole = wholes[0]
    channel = re.compile(rule.params["channel_or_stock"])
    listed = {id(part) for lst in ctx.claim_lists if lst.total is not None for part in lst.parts}
    kinds = sorted((c for c in ctx.claims
                    if c.concept == "narrative.published_part" and c.relation == "count" and c.value
                    and c.value < whole.value and same_unit(c.unit, whole.unit) and not c.scope
                    and id(c) not in listed and not channel.search(_said_with(c))),
                   key=lambda c: -c.value)
    # The largest kind with the largest one stated in another sentence: if no pair with it exceeds
    # the whole, no pair does. The finding points at the larger.
    larger = kinds[0] if kinds else None
    other = next((c for c in kinds[1:] if c.sentence is not larger.sentence), None) if larger else None
    if other is None or larger.value + other.value <= whole.value + 1e-9:
        return
    first, second = sorted((larger, other), key=lambda c: c.start)
    message = rule.format(whole=_clause_of(whole).strip(), total=_fmt(whole.value), first=_clause_of(first).strip(),
                          a=_fmt(first.value), second=_clause_of(second).strip(), b=_fmt(second.value),
                          sum=_fmt(first.value + second.value), unit=whole.unit)
    yield make_finding(rule, doc, message, span=(larger.start, larger.end),
                       content=f"{whole.text}|{first.text}|{second.text}",
                       evidence={"whole": _claim_evidence(whole), "first": _claim_evidence(first),
                                 "second": _claim_evidence(second),
                                 "arithmetic": f"{_fmt(first.value)} + {_fmt(second.value)} = "
                                               f"{_fmt(first.value + second.value)} > {_fmt(whole.value)}"})


def _said_with(claim: Claim) -> str:
    """The claim's clause and the one before it, within its ；-delimited part of the sentence: where
    its channel or stock is named when its own clause only counts ("微信公众号41个，共发布信息3404条")."""
    before = claim.sentence.text[:claim.start - claim.sentence.start]
    clauses = re.split(r"[，,：:]", re.split(r"[；;。]", before)[-1])
    return "".join(clauses[-2:]) + claim.text


def _periodic_count(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """"对…情况每月通报" and "全年开展…月通报7次": an activity said to recur every month (quarter,
    week), and its count for the year named by the same period, fewer than the year's periods."""
    periods: dict[str, int] = rule.params["periods"]
    period = "|".join(sorted(periods, key=len, reverse=True))
    activity = rule.params["activities"]
    every = re.compile(rf"(?:每|逐)({period})[^，,。；;：:\d]{{0,14}}?({activity})")
    count = re.compile(rf"(?<![每逐])({period})({activity})[^，,。；;：:\d]{{0,4}}?(\d+)\s*(?:次|期|轮)")
    rate, part_of_year = re.compile(r"(?<!\d)\d+\s*(?:次|期|轮)"), re.compile(rule.params["part_of_year"])
    sentences = [s for s in ctx.sentences if s.section != "problems"]  # 五 plans next year's
    said: dict[tuple[str, str], tuple[Sentence, re.Match]] = {}
    for sentence in sentences:
        for m in every.finditer(sentence.text):
            if not rate.search(_clause_at(sentence.text, m.start())):  # "每周发布3期": how often
                said.setdefault((m.group(1), m.group(2)), (sentence, m))
    if not said:
        return  # (most reports) nothing said to recur: no count of the year is read
    reported: set[tuple[str, str]] = set()
    for sentence in sentences:
        for m in count.finditer(sentence.text):
            key, stated = (m.group(1), m.group(2)), int(m.group(3))
            if key not in said or key in reported or not 0 < stated < periods[m.group(1)] \
                    or part_of_year.search(_clause_at(sentence.text, m.start())):
                continue
            first, at = said[key]
            every_text = at.group()
            message = rule.format(every=_clause_at(first.text, at.start()).strip(),
                                  count=_clause_at(sentence.text, m.start()).strip(),
                                  expected=periods[m.group(1)], period=m.group(1))
            yield make_finding(rule, doc, message, span=(sentence.start + m.start(), sentence.start + m.end()),
                               content=f"{every_text}|{m.group(0)}",
                               evidence={"every": {"text": every_text, "start": first.start + at.start(),
                                                   "end": first.start + at.end()},
                                         "count": {"text": m.group(0), "value": stated},
                                         "expected": periods[m.group(1)]})
            reported.add(key)  # once an activity


def _all_of_none(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """"本年度受理依申请政府信息公开事项0件，均为自然人提交": a count of none, then, in the same
    sentence, an absolute saying who or what those very cases all were (a column or kind of the
    concept), with no other count in between that it could be about — 均 of nothing: one of the two
    is wrong, most often a template's sentence kept with a new figure. An outcome said of none
    ("收到申请0件，均按时答复") is vacuous, not wrong: evaluators let it pass."""
    by_sentence: dict[int, list[Claim]] = {}
    for claim in ctx.claims:
        by_sentence.setdefault(id(claim.sentence), []).append(claim)
    for claims in by_sentence.values():
        claims.sort(key=lambda c: c.start)
        for i, zero in enumerate(claims):
            if zero.relation != "count" or zero.value != 0 or zero.concept == "other" \
                    or {"approx", "other_year", "split", "inferred", "subset"} & set(zero.scope):
                continue
            for claim in claims[i + 1:]:
                if claim.relation in ("count", "none") and claim.value:
                    break  # "收到申请0件，上年结转2件，均已办结": the 均 may be of the 2
                if claim.relation != "all" or not claim.concept.startswith(zero.concept + "."):
                    continue
                yield make_finding(rule, doc, rule.format(zero=zero.text, text=claim.text),
                                   span=(zero.start, claim.end), content=f"{zero.text}|{claim.text}",
                                   evidence={"none": _claim_evidence(zero), "absolute": _claim_evidence(claim)})
                break


def _clause_at(text: str, pos: int) -> str:
    """The clause of `text` holding position `pos` (a match within one clause starts there)."""
    start, end = clause_bounds(text, pos)
    return text[start:end]


# What a denial covers: "未发生行政复议、行政诉讼" denies each of them too.
DENIED_WITH = {"applications.new_received": ("applications.new_received",),
               "appeals.review": ("appeals.review",), "appeals.litigation": ("appeals.litigation",),
               "appeals.all": ("appeals.all", "appeals.review", "appeals.litigation")}


def _denied_and_counted(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """"未收到依申请政府信息公开来信、来电、来访" and, a paragraph on, "共收到依申请公开2件": the prose
    says there were none and then counts some — of the same thing, in the same scope, this year."""
    reported: set[str] = set()
    for denial in ctx.claims:
        if denial.relation != "none" or denial.concept not in DENIED_WITH or denial.concept in reported \
                or (HEDGES | {"other_year"}) & set(denial.scope):
            continue
        count = next((c for c in ctx.claims if _countable(c) and c.value > 0 and c.concept in DENIED_WITH[denial.concept]
                      and not HEDGES & set(c.scope) and _scope_key(c) == _scope_key(denial)
                      and unit_family(c.unit) == "count" and not _owners_differ(denial, c)), None)
        if count is None:
            continue
        reported.add(denial.concept)
        first, second = sorted((denial, count), key=lambda c: c.start)
        message = rule.format(label=_label(count.concept, doc), first=first.text, second=second.text,
                              a=_fmt(first.value), b=_fmt(second.value))
        # at the denial: a count is a figure, "none" a summary that let one slip
        yield make_finding(rule, doc, message, span=(denial.start, denial.end), content=f"{first.text}|{second.text}",
                           evidence={"first": _claim_evidence(first), "second": _claim_evidence(second)})


# "受理的37件申请件已按规定在法定期限内予以答复": received ones described, said to be answered.
ANSWERED_AFTER = re.compile(r"[^，,。；;]{0,16}?(?:已|均|全部|都)[^，,。；;]{0,16}?(?:答复|办结|办理完毕|处理完毕)")


def _answered_ones(claim: Claim) -> bool:
    """A count of received applications named by a relative clause (…受理的N件) whose predicate says
    they were answered: the answered ones, not all that came in."""
    sentence = claim.sentence
    start, end = claim.start - sentence.start, claim.end - sentence.start
    number_at = re.search(r"\d", sentence.text[start:end])
    before = sentence.text[:start + (number_at.start() if number_at else 0)]
    return before.endswith("的") and ANSWERED_AFTER.match(sentence.text, end) is not None


# A word that is no owner of a figure but a time, a scope or a sum ("全年共收到…", "其中…").
NOT_AN_OWNER = re.compile(r"年|月|共|全|累计|合计|总|其中|另|本|此外|同时|还")


def _said_up_to(claim: Claim) -> str:
    """The claim's sentence up to its end, brackets before it dropped and figures masked."""
    before = claim.sentence.text[:claim.start - claim.sentence.start]
    before = re.sub(r"[（(][^（）()]*[）)]", "", before).rstrip()
    return re.sub(r"\d+(?:\.\d+)?", "#", before + claim.text)


def _parallel_owners(first: Claim, second: Claim) -> bool:
    """The second figure's sentence says what the first's said, word for word up to the figure, of
    another owner named at its head ("政府新收…数量为2件；部门新收…数量为4件", "人大主办件14件，协办件11件；
    政协主办件11件，协办件21件"): two owners' figures, not one figure stated twice."""
    if first.sentence is second.sentence:
        return False
    a, b = _said_up_to(first), _said_up_to(second)
    common = 0
    while common < min(len(a), len(b)) and a[-1 - common] == b[-1 - common]:
        common += 1
    # the words at the head, after any figure or mark: "2022年政府…" → 政府
    # (an owner may name several: "市、县政府及其部门和乡镇政府受理…")
    owners = [re.sub(r"^(?:年度?|月份?|日)?(?:其中|另|和|及)?", "", re.split(r"[#，,；;。：:（）()]", x[:len(x) - common])[-1])
              for x in (a, b)]
    return common >= 3 and all(0 < len(o) <= OWNER_MAX and not NOT_AN_OWNER.search(o) for o in owners) \
        and owners[0] != owners[1]


OWNER_MAX = 16
# The owner a ；-clause opens with, before its first verb: "省政府及其部门、机构未收到…", "市、县政府及其
# 部门收到…" (after a date: "2013年，").
_CLAUSE_OWNER = re.compile(r"^(?:\d{4}年度?[，,]?|全年|本年度?|今年|年内)*(?P<owner>[^，,；;。：:\d]{2,16}?)"
                           r"(?:未|没有|共|收到|受理|接到|办理|发生|主动|新收|全年)")
_OWNER_WORD = re.compile(r"政府|部门|机关|单位|乡镇|街道|区|县|市|省|局|委|办")


def _owner_of(claim: Claim) -> str | None:
    text = claim.sentence.text
    at = claim.start - claim.sentence.start
    head = re.split(r"[；;]", text[:at] + claim.text[:2])[-1].lstrip()  # (a denial's own verb starts it)
    m = _CLAUSE_OWNER.match(head)
    return m.group("owner") if m is not None and _OWNER_WORD.search(m.group("owner")) else None


def _owners_differ(first: Claim, second: Claim) -> bool:
    """Each figure's clause opens with its owner, and they are two: "省政府及其部门…复议申请40件；
    市、县政府及其部门…复议申请23件"."""
    a, b = _owner_of(first), _owner_of(second)
    return a is not None and b is not None and a != b


def _part_restated(total: Claim, other: Claim, lists) -> bool:
    """The other figure is one of the parts the total was broken into: a part's count said again as
    a whole of its own (a channel's items, then "共主动公开…165条" in that channel's own section)."""
    return any(lst.total is total and any(p.value == other.value for p in lst.parts) for lst in lists)


def _channel_owner(words: str) -> str:
    """Whose channel the words before it name: "通过市政府网站" → "市", "在县政府门户网站" → "县"."""
    words = re.sub(r"^.*?(?:通过|利用|依托|在|向)", "", words)
    return re.sub(r"(?:人民)?政府$|的$", "", words.strip("“”\"《》 "))


def _channel_twice(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """One channel's whole count of the year (all it published, not one kind or column of it) given
    twice with two numbers, in two sentences."""
    channels = {name: re.compile(pattern) for name, pattern in rule.params["channels"].items()}
    kind_words, stock = re.compile(rule.params["kind_words"]), re.compile(rule.params["stock"])
    seen: dict[tuple, tuple[Claim, str]] = {}  # by channel and unit: the first figure and whose channel
    for claim in ctx.claims:
        if claim.relation != "count" or claim.value is None or claim.concept not in _PUBLISHED \
                or claim.unit not in ("条", "篇") \
                or {"approx", "inferred", "other_year"} & set(claim.scope):  # a channel may be a list's part
            continue
        clause = _own_words(claim)  # back to the figure or the 、 before it: one item of an enumeration
        named = [(name, m) for name, pattern in channels.items() if (m := pattern.search(clause))]
        if len(named) != 1 or kind_words.search(clause) or stock.search(clause):
            continue
        (channel, match), = named
        key, owner = (channel, claim.unit), _channel_owner(clause[:match.start()])
        first, first_owner = seen.setdefault(key, (claim, owner))
        if first is claim or first.sentence is claim.sentence or abs(first.value - claim.value) < 1e-9:
            continue
        if owner and first_owner and owner not in first_owner and first_owner not in owner:
            continue  # "市政府网站" and "县政府门户网站": two websites
        yield make_finding(rule, doc, rule.format(channel=channel, first=first.text, second=claim.text,
                                                  a=_fmt(first.value), b=_fmt(claim.value)),
                           span=(claim.start, claim.end), content=f"{first.text}|{claim.text}",
                           evidence={"channel": channel, "first": _claim_evidence(first),
                                     "second": _claim_evidence(claim)})
        seen[key] = (claim, owner)  # said once per pair


def _clause_of(claim: Claim) -> str:
    """The claim's own clause: from the last punctuation before it to its end."""
    before = claim.sentence.text[:claim.start - claim.sentence.start]
    return re.split(r"[，,；;。：:]", before)[-1] + claim.text


ITEM_MARKER = re.compile(r"[一二三四五六七八九十]是")


def _enumerated_item_of(claim: Claim) -> str | None:
    """The words of the sentence from the last enumeration marker (一是, 二是…) before the claim to
    it, when one opens the claim's item."""
    before = claim.sentence.text[:claim.start - claim.sentence.start]
    markers = list(ITEM_MARKER.finditer(before))
    return before[markers[-1].start():] + claim.text if markers else None


def _whole_published(rule: Rule, claim: Claim) -> str | None:
    """A count of the whole of information published (params.overall) — not one channel's
    ("门户网站…"), not what was made or obtained, not a part (其中…) — as "year": the year's
    ("主动公开政府信息72条", "2023年1月1日至2023年12月31日，累计主动公开…84条"), or "stock": what
    was published since some date ("累计主动公开…3174条"); None for any other figure."""
    overall = rule.params.get("overall")
    if not overall or claim.concept != overall["concept"]:
        return None
    clause = _clause_of(claim)
    if not re.search(overall["claim_pattern"], clause) or re.search(overall["not_in_clause"], clause):
        return None
    item = _enumerated_item_of(claim)
    if item is not None and re.search(overall["not_in_clause"], item):
        return None  # "共主动公开…460条，一是通过门户网站进行网络信息公开，向社会主动公开各类信息271条": the
        # website's, the item an enumeration marker opened says
    if re.search(overall["stock"], clause):
        before = claim.sentence.text[:claim.start - claim.sentence.start]
        return "year" if re.search(overall["stock_of_the_year"], before) else "stock"
    return "year"


def _overall_published(rule: Rule, claim: Claim) -> bool:
    """The year's whole count of information published (see _whole_published)."""
    return _whole_published(rule, claim) == "year"


# The verbs of receiving (as rates read them), 新收, or a count of applications as such ("申请数").
RECEIVING = re.compile(rf"{RECEIVED_VERB.pattern}|新收|申请[^，。；]{{0,8}}?(?:共|合计|总计|数)")


QUOTED_LABEL = re.compile(r"[“\"「][^”\"」]{2,20}[”\"」]")


def _kind_label(claim: Claim) -> str:
    """The words naming a counted kind: "其中：人事信息类3条" → "人事信息类"; a name that is itself an
    enumeration is whole ("政府采购招标公告、变更公示、中标公示信息380条": not 中标公示信息 alone)."""
    sentence = claim.sentence
    before = sentence.text[:claim.start - sentence.start]
    items = re.split(r"[，,；;：:（(）)]", before)[-1].split("、")
    name = [re.split(r"\d[\d.]*", items[-1])[-1]]
    for item in reversed(items[:-1]):  # back over the names before it that have no figure of their own
        if not item.strip() or re.search(r"\d", item):
            break
        name.insert(0, item)
    label = re.sub(r"[\d.]+\s*\S?$", "", "、".join(name).strip() + claim.text).strip("、，,；; ")
    return re.sub(r"^(?:其中|包括|包含|涵盖|涉及|主要有|具体为)[:：]?", "", label)


def _same_kind_twice_in_a_list(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """"规划计划类信息134条，…；规划计划类信息162条": one kind listed twice with two numbers, in the
    list or in a figure of its own after the list in the same section ("…人事信息类3条…。人事信息类8条")."""
    in_lists = {id(part) for lst in ctx.claim_lists for part in lst.parts}
    for lst in ctx.claim_lists:
        # a list whose parts make its total exactly counts each of them once: a label said twice in it
        # names two items ("…办理配租配售公告2件、房源信息1件、办理配租配售公告1件" of 45)
        exact = lst.total is not None and lst.total.value is not None and len(lst.parts) >= 3 \
            and all(p.value is not None for p in lst.parts) \
            and abs(sum(p.value for p in lst.parts) - lst.total.value) < 1e-9
        seen: dict[str, Claim] = {}
        last = lst.parts[-1] if lst.parts else None
        section = section_at(doc, last.start) if last else None
        restated = [c for c in ctx.claims
                    if last is not None and c.start > last.end and id(c) not in in_lists
                    and c.relation == "count" and c.value is not None and same_unit(c.unit, last.unit)
                    and not {"approx", "other_year"} & set(c.scope) and section_at(doc, c.start) == section]
        later = {id(c) for c in restated}
        for part in [*lst.parts, *restated]:
            label = _kind_label(part)
            if len(label) < 3 or part.value is None or (id(part) in later and label not in seen):
                continue
            first = seen.setdefault(label, part)
            if first is part or abs(first.value - part.value) < 1e-9 or _parallel_owners(first, part):
                continue
            both_counted = exact and id(first) not in later and id(part) not in later
            message = rule.format(label=f"“{label}”", first=first.text, second=part.text,
                                  a=_fmt(first.value), b=_fmt(part.value))
            if both_counted:
                message += "；各项之和恰等于总数，两项应是名称重复的两类"
            yield make_finding(rule, doc, message, span=(part.start, part.end),
                               severity="info" if both_counted else None,
                               content=f"{first.text}|{part.text}|{label}",
                               evidence={"first": _claim_evidence(first), "second": _claim_evidence(part),
                                         "label": label})


def _scope_key(claim: Claim) -> tuple[str, ...]:
    """Whose figure it is — one office's, the whole area's, filings — as a key: two statements
    compare only within one scope."""
    return tuple(sorted(w for w in claim.scope if w in WHOSE))


def _balance(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """新收 + 上年结转 = 办结 + 结转下年 (or 收办 = 办结 + 结转下年) with the prose's own figures,
    taken in one passage and one scope; a negation ("上年无结转") is a 0."""
    figures: dict[tuple, dict[str, Claim]] = {}
    for claim in ctx.claims:
        if claim.concept not in ("applications.new_received", "applications.carried_over",
                                 "applications.received_total", "applications.total_processed",
                                 "applications.carried_forward"):
            continue
        if claim.relation == "none":
            value_ok = True
        else:
            value_ok = _countable(claim) and not HEDGES & set(claim.scope)
        if not value_ok:
            continue
        key = _scope_key(claim)
        figures.setdefault(key, {}).setdefault(claim.concept.split(".")[1], claim)
    results = _every_result_group(ctx.claims)
    for key, f in figures.items():
        processed, forward = f.get("total_processed"), f.get("carried_forward")
        if processed is None and forward is not None:
            # results said without a scope word belong to the one scope the flows were said in
            processed = results.get(key) or (results.get(()) if len(figures) == 1 else None)
        if processed is None or forward is None:
            continue
        unstated_carried = False
        if "received_total" in f:
            left_terms = [f["received_total"]]
        elif "new_received" in f and "carried_over" in f:
            left_terms = [f["new_received"], f["carried_over"]]
        elif "new_received" in f:
            # "受理11件，…办结8件，结转下一年办理1件" with nothing said of last year's: a carry-over could
            # only add to what came in, so more received than processed and carried forward is wrong
            left_terms, unstated_carried = [f["new_received"]], True
        else:
            continue
        if all(c.relation == "none" for c in left_terms):
            continue  # nothing received: the prose says so elsewhere
        left = sum(c.value or 0 for c in left_terms)
        right = (processed.value or 0) + (forward.value or 0)
        if abs(left - right) < 1e-9 or (unstated_carried and left < right):
            continue
        terms = left_terms + [processed, forward]
        left_text = " + ".join(f"{_fmt(c.value or 0)}（{c.text}）" for c in left_terms)
        right_text = f"{_fmt(processed.value)}（{processed.text}）+ {_fmt(forward.value or 0)}（{forward.text}）"
        message = rule.format(expression=f"{left_text} = {_fmt(left)} ≠ {_fmt(right)} = {right_text}")
        if unstated_carried:
            message += "（文中未写上年结转；有结转也只会使收到的更多）"
        first = min(terms, key=lambda c: c.start)
        last = max(terms, key=lambda c: c.end)
        yield make_finding(rule, doc, message, span=(first.start, last.end),
                           content="|".join(c.text for c in terms),
                           evidence={"terms": [_claim_evidence(c) for c in terms], "left": left, "right": right})


# Table 三's result groups: a prose that names each of them has said what became of every application.
RESULT_GROUPS = (("granted_or_partly", ("granted", "partly_granted")), ("withheld", ()), ("unable", ()),
                 ("declined", ()), ("other", ()))


def _every_result_group(claims: list[Claim]) -> dict[tuple, Claim]:
    """By scope, the processed applications as the sum of the results the prose gives for every one of
    table 三's result groups ("予以公开或部分公开96件…；不予公开2件…；无法提供40件…；不予处理1件…；
    其他处理21件"), each stated once; nothing where a group is missing (the rest may be anywhere)."""
    rows: dict[tuple, dict[str, list[Claim]]] = {}
    for claim in claims:
        if not claim.concept.startswith("applications.") or claim.concept.count(".") != 1 \
                or claim.relation != "count" or claim.value is None \
                or {"approx", "inferred", "split", "other_year", "previous_year"} & set(claim.scope):
            continue
        rows.setdefault(_scope_key(claim), {}).setdefault(claim.concept.split(".")[1], []).append(claim)
    sums: dict[tuple, Claim] = {}
    for key, by_row in rows.items():
        parts: list[Claim] = []
        for group, halves in RESULT_GROUPS:
            found = by_row.get(group) or [c for half in halves for c in by_row.get(half, [])]
            if not found or any(len(by_row.get(r, [])) > 1 for r in (group, *halves)):
                parts = []
                break
            parts += found
        if not parts:
            continue
        first, last = min(parts, key=lambda c: c.start), max(parts, key=lambda c: c.end)
        total = sum(c.value for c in parts)
        text = "所列各项办理结果" + "+".join(_fmt(c.value) for c in parts)
        sums[key] = Claim(concept="applications.total_processed", relation="count", value=total, unit=first.unit,
                          scope=first.scope, start=first.start, end=last.end, text=text, sentence=first.sentence)
    return sums


def _rate(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """"办结率100%" next to counts that differ: the rate is checked against the prose's processed
    count over what was to be processed (新收, with 上年结转 and less 结转下年 where known)."""
    tolerance = rule.params.get("tolerance", 0.5)
    for claim in ctx.claims:
        if claim.relation != "rate" or claim.outcome != "processed" or claim.about is None:
            continue
        received = claim.about
        if claim.base is not None:  # "受理审批事项117件，办结171件": the pair the rate follows
            processed, carried_over, forward = claim.base, None, 0.0
        else:
            processed = next((c for c in ctx.claims if c.concept == "applications.total_processed"
                              and _countable(c) and not {"subset", "approx"} & set(c.scope)
                              and c.sentence.section == received.sentence.section), None)
            carried_over = _figure(doc, ctx, "applications.carried_over")
            forward = _figure(doc, ctx, "applications.carried_forward")
        if processed is None or not received.value:
            continue
        bases = {received.value}
        if received.concept == "applications.new_received" and carried_over is not None:
            bases.add(received.value + carried_over)
        if forward is not None:
            bases |= {b - forward for b in list(bases) if b - forward > 0}
        rates = {b: 100.0 * processed.value / b for b in bases}
        if any(abs(r - claim.value) <= tolerance for r in rates.values()):
            continue
        base = min(bases, key=lambda b: abs(rates[b] - claim.value))
        message = rule.format(text=claim.text, stated=_fmt(claim.value), processed=_fmt(processed.value),
                              base=_fmt(base), computed=f"{rates[base]:.1f}")
        yield make_finding(rule, doc, message, span=(claim.start, claim.end),
                           severity=None if forward is not None else "info",
                           content=f"{claim.text}|{processed.text}|{received.text}",
                           evidence={"rate": claim.value, "processed": processed.value, "bases": sorted(bases),
                                     "computed": {_fmt(b): round(r, 2) for b, r in rates.items()}})


def _figure(doc: Document, ctx, concept: str) -> float | None:
    """A figure the prose states (a negation is 0), else the table's."""
    for c in ctx.claims:
        if c.concept == concept and (c.relation == "none" or (_countable(c) and "subset" not in c.scope)):
            return c.value or 0.0
    value, _, _, _ = concept_value(doc, concept)
    return value


def _decimals(value: float) -> int:
    text = f"{value:g}"
    return len(text.split(".")[1]) if "." in text else 0


def _allowed(stated: float, tolerance: float) -> float:
    """Rounding allowance: a figure printed with d decimals may be off by one unit of the last, as
    reports round or cut (45.38% printed 45.3%)."""
    return max(tolerance, 10 ** -_decimals(stated)) + 1e-9


# (?<!\d): the number starts where its digits start, never again at each digit of a long run
# (which made the search quadratic in the run); the leftmost match is the same.
PRINTED_PERCENT = re.compile(r"(?<!\d)(\d+(?:\.(\d+))?)\s*%$")


def _share_of(claim: Claim) -> float:
    """The share its counts give, in %."""
    return 100.0 * claim.about.value / claim.base.value


def _roundings(claim: Claim) -> tuple[str, float, float, int] | None:
    """(printed, rounded, cut, decimals) of a share against its counts; None when not printed plainly."""
    printed = PRINTED_PERCENT.search(claim.text)
    if printed is None:
        return None
    decimals = len(printed.group(2) or "")
    step = 10 ** -decimals
    computed = _share_of(claim)
    return (printed.group(1), math.floor(computed / step + 0.5 + 1e-9) * step,
            math.floor(computed / step + 1e-9) * step, decimals)


def _off_by_rounding(doc: Document, rule: Rule, claims: list[Claim]) -> Iterable[Finding]:
    """Shares of one denominator within a unit of their last printed decimal, but one neither
    rounded nor cut from its counts (382/2720 = 14.04% printed 14.1%), or cut where the others are
    not (rounded, or nudged up) and the shares make exactly 100% (33/92 = 35.87% printed 35.8% beside
    40/92 printed 43.5%; 113/394 = 28.68% printed 28% beside 65/394 = 16.50% printed 17%): often
    nudged so that they do. A note."""
    forms = {id(c): _roundings(c) for c in claims}
    # the shares not cut from their counts (rounded, or nudged the other way): the author does not cut
    uncut = sum(1 for c in claims if forms[id(c)] and abs(c.value - forms[id(c)][2]) > 1e-9)
    makes_whole = abs(sum(c.value for c in claims) - 100.0) < 1e-6  # what a nudge is for
    for c in claims:
        form = forms[id(c)]
        if form is None:
            continue
        printed, rounded, cut, decimals = form
        is_rounded, is_cut = abs(c.value - rounded) < 1e-9, abs(c.value - cut) < 1e-9
        if is_rounded or (is_cut and (uncut < 2 or not makes_whole)):
            continue
        shown = f"{rounded:.{decimals}f}"
        why = "其余各项都不是截断的，唯此项截断后各项之和恰为100%" if is_cut else "既非四舍五入也非截断"
        computed = _share_of(c)
        yield make_finding(rule, doc, f"文中“{c.text}”：{_fmt(c.about.value)}/{_fmt(c.base.value)} = {computed:.2f}%，"
                                      f"四舍五入应为{shown}%，所写{printed}%，{why}",
                           span=(c.start, c.end), severity="info", content=f"rounding:{c.text}",
                           evidence={"stated": c.value, "computed": round(computed, 4), "rounded": float(shown),
                                     "numerator": c.about.value, "denominator": c.base.value})


def _wrong_shares(doc: Document, rule: Rule, claims: list[tuple[Claim, float]]) -> Iterable[Finding]:
    """Shares of one denominator that do not match their counts. When they all point to one other
    denominator ("占总数的70%、10%、10%" of 9 answered: 7/10, 1/10), that is one defect — the base —
    said once; otherwise one finding per share."""
    implied = {round(c.about.value * 100 / c.value) for c, _ in claims if c.value}
    if len(claims) >= 2 and len(implied) == 1 and all(c.value for c, _ in claims):
        other = implied.pop()
        first, last = claims[0][0], claims[-1][0]
        listed = "、".join(f"{_fmt(c.about.value)}→{_fmt(c.value)}%" for c, _ in claims)
        base = first.base
        message = (f"文中{len(claims)}处占比（{listed}）都不是占“{base.text}”（{_fmt(base.value)}）的比例，"
                   f"而是按{other}计算的：分母用错了")
        yield make_finding(rule, doc, message, span=(first.start, last.end),
                           severity="info" if all("inferred" in c.scope for c, _ in claims) else None,
                           content=f"percent-base:{base.text}:{other}",
                           evidence={"denominator": base.value, "denominator_text": base.text, "implied": other,
                                     "shares": [{"text": c.text, "stated": c.value, "computed": round(v, 4),
                                                 "numerator": c.about.value} for c, v in claims]})
        return
    for claim, computed in claims:
        num, den = claim.about.value, claim.base.value
        yield make_finding(rule, doc, rule.format(text=claim.text, stated=_fmt(claim.value),
                                                  computed=f"{computed:.2f}", numerator=_fmt(num),
                                                  denominator=_fmt(den)),
                           span=(claim.start, claim.end), severity="info" if "inferred" in claim.scope else None,
                           evidence={"stated": claim.value, "computed": round(computed, 4),
                                     "numerator": num, "denominator": den,
                                     "numerator_text": claim.about.text, "denominator_text": claim.base.text})


def _enclosing_totals(claim: Claim, lists) -> list[Claim]:
    """The totals of the lists `claim` is a part of, and theirs in turn, nearest first."""
    found: list[Claim] = []
    current = [claim]
    while current:
        outer = [lst.total for lst in lists if lst.total is not None
                 and any(p is c for c in current for p in lst.parts) and all(lst.total is not f for f in found)]
        found += outer
        current = outer
    return found


def _other_readings(claim: Claim, lists) -> list[tuple[float, float]]:
    """Other (numerator, denominator) pairs a share may be of, where lists nest: "政策法规类的信息31条，
    其中政策法规15条，规范性文件16条，占总体的比例为1%" is 31 of the 3,320 the outer list breaks down —
    the share follows the last sub-item but qualifies its category, and 总体 is the outer total."""
    numerators = [claim.about] + _enclosing_totals(claim.about, lists)
    pairs = []
    for i, numerator in enumerate(numerators):
        for denominator in [claim.base] + _enclosing_totals(claim.base, lists) + numerators[i + 1:]:
            if (numerator is claim.about and denominator is claim.base) or numerator is denominator:
                continue  # (a total over itself is 100%: no reading of a share below it)
            if numerator.value is not None and denominator.value and numerator.value <= denominator.value:
                pairs.append((numerator.value, denominator.value))
    return pairs


def _other_flow_bases(claim: Claim, claims: list[Claim], lists) -> list[tuple[float, float]]:
    """A share of applications with a given result may be of those received or of those answered
    ("受理申请44件…答复42件…予以公开17件，占38.6%" is 17 of 44): the other flow counts stated
    before it in its section — unless the prose made the count a part of its base ("在已经答复的9件
    申请中，同意公开的7件，占总数的70%" is a share of the 9, wrongly figured)."""
    about = claim.about
    if not about.concept.startswith("applications.") or about.value is None:
        return []
    if any(lst.total is claim.base and about in lst.parts for lst in lists):
        return []
    return [(about.value, c.value) for c in claims
            if c.concept in FLOW_TOTALS and c.relation == "count" and c.value and c is not claim.base
            and c.end <= claim.start and c.sentence.section == claim.sentence.section
            and not {"other_year", "split", "subset"} & set(c.scope) and about.value <= c.value]


def _shares_of_their_own_sum(claims: list[Claim], tolerance: float) -> bool:
    """"主要类别包括：重点领域类信息18435条，占22.3%；…其他类信息40015条，占48.4%": shares that make
    100% and each match its count over the counts' own sum are of a whole the list itself makes
    (here a channel's 82678, printed later), not of the total the list was read under."""
    if len(claims) < 2 or abs(sum(c.value for c in claims) - 100.0) > 1.0:
        return False
    whole = sum(c.about.value for c in claims)
    return all(abs(100.0 * c.about.value / whole - c.value) <= _allowed(c.value, tolerance) for c in claims)


def _percent(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    tolerance = rule.params.get("tolerance", 0.1)
    by_denominator: dict[int, list[Claim]] = {}
    close: dict[int, list[Claim]] = {}  # by denominator, the shares their counts bear out
    wrong: dict[int, list[tuple[Claim, float]]] = {}  # by denominator, the shares that are off
    misread: set[int] = set()  # denominators that some share's count exceeds
    for claim in ctx.claims:
        if claim.relation != "share" or claim.about is None or claim.base is None:
            continue
        num, den = claim.about.value, claim.base.value
        if num is not None and den and num > den:
            misread.add(id(claim.base))
        if num is None or not den or num > den:
            continue  # a part larger than its base: the base was misread, not the share
        by_denominator.setdefault(id(claim.base), []).append(claim)
        computed = _share_of(claim)
        if abs(computed - claim.value) <= _allowed(claim.value, tolerance):
            close.setdefault(id(claim.base), []).append(claim)
            continue
        if any(abs(100.0 * n / d - claim.value) <= _allowed(claim.value, tolerance)
               for n, d in _other_readings(claim, ctx.claim_lists)
               + _other_flow_bases(claim, ctx.claims, ctx.claim_lists)):
            continue  # the share reads right another way the prose allows: not certainly wrong
        wrong.setdefault(id(claim.base), []).append((claim, computed))
    for key, claims in wrong.items():
        if _shares_of_their_own_sum([c for c, _ in claims], tolerance):
            continue
        if key in misread:
            continue  # "不予公开2件、占1.18%；无法提供40件、占23.53%" read as shares of 9: 40 is no part
            # of it, so 9 is not what these shares are of, and the small ones only fit it by chance
        yield from _wrong_shares(doc, rule, claims)
    for key, claims in by_denominator.items():
        if key not in misread:
            yield from _off_by_rounding(doc, rule, close.get(key, []))
    # No check of the sum of shares with counts: where every share bears out its own count and the
    # counts cover the whole, the sum is 100% up to the rounding of each ("54%、17%、28%" of 165/53/86 of
    # 304 make 99%), and where one does not, that share is the finding. Shares with no counts are
    # checked on their own terms:
    yield from _topic_shares(doc, rule, ctx.claims)


# The printed share at the start of a topic share's text: "35%是涉及财政类".
LEADING_PERCENT = re.compile(r"(\d+(?:\.(\d+))?)\s*%")


def _topic_shares(doc: Document, rule: Rule, claims: list[Claim]) -> Iterable[Finding]:
    """Shares of the applications by subject, with no counts ("共受理申请5件…从申请的信息内容来看，40%是涉及
    民政优抚类信息，35%是涉及财政类信息"): of N applications a share can only be a whole number of them
    (35% of 5 is 1.75), whichever count of applications stated before it in its section it is of; and
    the shares said together cannot make more than all of them."""
    topics = [c for c in claims if c.relation == "share" and c.concept == "narrative.application_topic"
              and c.about is None and c.base is not None and c.value is not None]
    for claim in topics:
        printed = LEADING_PERCENT.match(claim.text)
        if printed is None:
            continue
        half = 0.5 * 10 ** -len(printed.group(2) or "")
        bases = sorted({int(c.value) for c in claims if may_be_a_topic_base(c) and float(c.value).is_integer()
                        and c.end <= claim.start and c.sentence.section == claim.sentence.section})
        if not bases or max(bases) > _WHOLE_NUMBER_BASES:
            continue  # of hundreds, every share is some whole number of them
        if any(abs(100.0 * k / n - claim.value) <= half + 1e-9 for n in bases for k in range(n + 1)):
            continue
        if len(bases) == 1:
            why = f"{bases[0]}件申请的{printed.group(1)}%是{claim.value * bases[0] / 100:.2f}件，不是整数"
        else:
            why = f"本节所写的申请数（{'、'.join(str(b) for b in bases)}件）的{printed.group(1)}%都不是整数件"
        yield make_finding(rule, doc, f"文中“{claim.text}”：{why}：占比与申请数不符",
                           span=(claim.start, claim.end), severity="warning", content=f"topic-share:{claim.text}",
                           evidence={"stated": claim.value, "bases": bases,
                                     "implied": [round(claim.value * b / 100, 2) for b in bases]})
    by_sentence: dict[int, list[Claim]] = {}
    for claim in topics:
        by_sentence.setdefault(id(claim.sentence), []).append(claim)
    for group in by_sentence.values():
        stated = sum(c.value for c in group)
        if len(group) >= 2 and stated > 100.0 + 0.5 * len(group) + 1e-9:
            listed = "+".join(f"{_fmt(c.value)}%" for c in group)
            yield make_finding(rule, doc, f"文中按申请内容所列占比合计超过100%（{listed} = {_fmt(stated)}%）",
                               span=(group[0].start, group[-1].end), severity="warning",
                               content=f"topic-shares:{group[0].text}", evidence={"shares": [c.value for c in group],
                                                                                "sum": stated})


# Above this many applications, any share printed to a whole percent is a whole number of them.
_WHOLE_NUMBER_BASES = 200


def _growth_in_prose(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """"收到申请30件，比上年的20件增长50%": the rate against last year's figure stated beside it; with
    no such figure, a rate of a count that no whole number of last year's cases gives."""
    # "共产生政府信息1916条，比去年增长694条，增长率47.1%": the change in count gives last year's figure
    changes = {(c.about.start, c.about.end): c for c in ctx.claims
               if c.relation == "growth" and c.about is not None and c.unit in COUNT_FAMILY and c.value is not None}
    for claim in ctx.claims:
        if claim.relation != "growth" or claim.about is None:
            continue
        change = changes.get((claim.about.start, claim.about.end)) if claim.unit == "%" else None
        if claim.base is not None:
            yield from _growth_finding(doc, rule, claim, claim.base.value, claim.base.text)
        elif change is not None and change.end <= claim.start and claim.about.value is not None:
            less = "direction:down" in change.scope
            before = claim.about.value + (change.value if less else -change.value)
            yield from _growth_finding(doc, rule, claim, before,
                                       f"“{change.text}”（上年 {_fmt(claim.about.value)} {'+' if less else '−'} "
                                       f"{_fmt(change.value)} = {_fmt(before)}）")
        else:
            yield from _growth_of_no_whole_number(doc, rule, claim)


# Below this many cases last year, a rate of change is coarse enough to be checked for a whole number.
WHOLE_NUMBER_CHECK_MAX = 10_000


def _growth_of_no_whole_number(doc: Document, rule: Rule, claim: Claim) -> Iterable[Finding]:
    """"受理申请57件，同比增长71.9%": 57 / 1.719 = 33.2 cases last year — 33 gives 72.7%, 34 gives
    67.6%: no count of cases gives the rate. Only a note: the rate may be of another scope than the
    count it follows."""
    about = claim.about
    if claim.unit != "%" or about.value is None or about.relation != "count" or about.unit not in COUNT_FAMILY \
            or about.value != int(about.value) or about.value <= 0 or {"approx", "split", "subset"} & set(about.scope):
        return
    down = "direction:down" in claim.scope
    stated = -claim.value if down else claim.value
    if stated <= -100 or claim.value == 0:
        return
    allowed = _allowed(claim.value, 0)
    estimate = about.value / (1 + stated / 100)
    if estimate > WHOLE_NUMBER_CHECK_MAX:
        return
    near = sorted({max(1, math.floor(estimate)), max(1, math.ceil(estimate))})
    rates = {p: 100.0 * (about.value - p) / p for p in near}
    if any(abs(r - stated) <= allowed for r in rates.values()):
        return
    shown = (f"{_fmt(about.value)} / (1 {'−' if down else '+'} {_fmt(claim.value)}%) = {estimate:.2f}件，不是整数："
             + "，".join(f"上年{p}件为{r:+.2f}%" for p, r in rates.items()))
    message = rule.format(text=claim.text, about=about.text, source="任何整数的上年件数", computed=shown,
                          stated=("-" if down else "") + _fmt(claim.value) + claim.unit)
    yield make_finding(rule, doc, message, span=(about.start, claim.end), severity="info",
                       content=f"{about.text}|{claim.text}|whole",
                       evidence={"claim": _claim_evidence(claim), "current": about.value, "previous_estimate": estimate,
                                 "previous_candidates": {str(p): round(r, 4) for p, r in rates.items()},
                                 "stated": stated})


def _growth_previous(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """The growth rate against the same body's previous report: its statement of the same concept,
    or else its table."""
    if ctx.previous is None:
        return
    growths = [claim for claim in ctx.claims
               if claim.relation == "growth" and claim.about is not None and claim.base is None]
    if not growths:
        return  # (most reports) the previous report's claims need not be read at all
    previous = ctx.previous_claims
    for claim in growths:
        about = claim.about
        same = [c for c in previous if c.concept == about.concept and _countable(c)
                and not {"subset", "inferred"} & set(c.scope)
                and _scope_key(c) == _scope_key(about)]
        if same:
            before, source = same[0].value, f"上年报告“{same[0].text}”"
        else:
            before, paths, _, _ = concept_value(ctx.previous, about.concept)
            if before is None:
                continue
            source = f"上年报告{_label(about.concept, doc)}（{'、'.join(paths)}）"
        yield from _growth_finding(doc, rule, claim, before, source)


def _growth_finding(doc: Document, rule: Rule, claim: Claim, before: float | None, source: str):
    about = claim.about
    if before is None or about.value is None:
        return
    down = "direction:down" in claim.scope
    if claim.unit == "倍":
        if before == 0:
            return
        computed = about.value / before
        stated = claim.value
        if abs(computed - stated) <= _allowed(claim.value, 0):
            return
        shown = f"{_fmt(about.value)} / {_fmt(before)} = {computed:.2f}倍"
        severity = None
    elif claim.unit == "%":
        if before == 0:
            return
        computed = 100.0 * (about.value - before) / before
        stated = -claim.value if down else claim.value
        if abs(computed - stated) <= _allowed(claim.value, 0):
            return
        shown = f"({_fmt(about.value)} − {_fmt(before)}) / {_fmt(before)} = {computed:+.2f}%"
        severity = "info" if abs(computed - stated) < rule.params.get("info_below", 1.0) else None
    else:
        computed = about.value - before
        stated = -claim.value if down else claim.value
        if abs(computed - stated) < 1e-9:
            return
        shown = f"{_fmt(about.value)} − {_fmt(before)} = {_fmt(computed)}{claim.unit}"
        severity = None
    message = rule.format(text=claim.text, about=about.text, source=source, computed=shown,
                          stated=("-" if down else "") + _fmt(claim.value) + claim.unit)
    yield make_finding(rule, doc, message, span=(about.start, claim.end), severity=severity,
                       content=f"{about.text}|{claim.text}|{_fmt(before)}",
                       evidence={"claim": _claim_evidence(claim), "current": about.value, "previous": before,
                                 "previous_source": source, "stated": stated, "computed": round(computed, 4)})


def _fee_multiple(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    for claim in ctx.claims:
        if claim.concept != "fees.collected" or claim.relation != "count" or claim.value is None:
            continue
        if {"approx", "split", "other_year"} & set(claim.scope):
            continue
        yuan = claim.value * (10000 if claim.unit == "万元" else 1)
        if abs(yuan) < 1e-9 or abs(yuan / 10 - round(yuan / 10)) < 1e-9:
            continue
        yield make_finding(rule, doc, rule.format(text=claim.text, amount=_fmt(yuan)), span=(claim.start, claim.end),
                           evidence={"amount_yuan": yuan})


def _unmentioned(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    patterns = rule.params["concepts"]
    if any(any(fnmatch.fnmatchcase(c.concept, p) for p in patterns) for c in ctx.claims):
        return
    shown, cells, values = [], [], {}
    for concept in rule.params.get("report", patterns):
        value, paths, vals, expr = concept_value(doc, concept)
        parts, part_paths, part_vals = _row_parts(doc, expr)
        if parts > (value or 0):
            # 总计 printed 0 beside 维持10、纠正1: the cases are there whatever the total says (the
            # evidence shows both)
            value, paths, vals = parts, part_paths + paths, {**vals, **part_vals}
        if value is not None and value >= rule.params.get("min_count", 1):
            shown.append(f"{_label(concept, doc)}{_fmt(value)}件")
            cells.extend(p for p in paths if vals.get(p) or p.endswith(".total"))
            values.update(vals)
    if not shown:
        return
    yield make_finding(rule, doc, rule.format(shown="、".join(shown)), cells=cells,
                       content="unmentioned:" + ",".join(shown),
                       evidence={"table": {p: values[p] for p in cells}})


def _row_parts(doc: Document, expression: str) -> tuple[float, list[str], dict]:
    """The sum of the other columns of each row whose 总计 cell the expression names ("appeals.review.total"
    → 维持 + 纠正 + 其他 + 未审结): what the row holds even where its total is misprinted."""
    total, paths, values = 0.0, [], {}
    for term in (t.strip() for t in expression.split("+") if t.strip()):
        table, _, rest = term.partition(".")
        row, _, column = rest.rpartition(".")
        cells = (doc.tables.get(table) or {}).get(row) if column == "total" else None
        for key, value in (cells or {}).items() if isinstance(cells, dict) else ():
            if key != "total" and isinstance(value, (int, float)):
                path = f"{table}.{row}.{key}"
                values[path] = value
                if value:
                    total += value
                    paths.append(path)
    return total, paths, values


def figure_concepts(claims: list[Claim]) -> dict[str, Claim]:
    """The different things the narrative gives a figure for (or says there were none of): each
    concept of its quantity statements, with the first statement of it. What the lexicon cannot
    name counts once, as `other`."""
    found: dict[str, Claim] = {}
    for claim in claims:
        if claim.concept:
            found.setdefault(claim.concept, claim)
    return found


def _substance(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    concepts = figure_concepts(ctx.claims)
    if len(concepts) >= rule.params.get("min_concepts", 5):
        return
    named = [("其他" if c == "other" else _label(c, doc)) for c in concepts]
    message = rule.format(count=len(concepts), concepts="、".join(named) if named else "无")
    yield make_finding(rule, doc, message, content=f"substance:{len(concepts)}",
                       evidence={"count": len(concepts), "where": "all",
                                 "concepts": [{"concept": c, "first": claim.text} for c, claim in concepts.items()]})


def _required_figures(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    from auditor.checks.topics import required_topics

    if doc.meta.template not in rule.params.get("templates", ["2008"]):
        return
    topics = required_topics()
    missing = [key for key, stated in ctx.stated_topics.items() if not stated]
    if not missing:
        return
    labels = [topics[key]["label"] for key in missing]
    yield make_finding(rule, doc, rule.format(missing="、".join(labels)), content="no-figure:" + ",".join(missing),
                       evidence={"missing": missing, "where": "all"})


# A sentence that opens with its year: "2022年我单位共制作…", "在2015年…的1604条信息中".
_OPENING_YEAR = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、是])?"
                           r"(?:此外|另外|同时)?[，,]?(?:在)?((?:19|20)\d{2})\s*年(?:度)?(?!以来|底|末|初|前|之前|以前|[上下]半年|[第\d一二三四])")
_PLAN = re.compile(r"将|计划|拟|力争|预计|争取|目标")


_COMPARISON = re.compile(r"较|比(?!例|重|率)|同比|环比|增长|增加|下降|减少|持平|倍")


def _compared_nearby(sentences, sentence) -> bool:
    """The sentence or the one before or after compares: the other year's figure is there to be
    compared with."""
    index = next((i for i, s in enumerate(sentences) if s is sentence), None)
    if index is None:
        return False
    near = [s for s in sentences[max(0, index - 1):index + 2] if s.section == sentence.section]
    return any(_COMPARISON.search(s.text) for s in near)


def _dated_other_year(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """A sentence of the report's own account that opens with another year and states a figure:
    a sentence kept from another year's report, or a wrong year."""
    year = doc.meta.year
    if not year:
        return
    done: set[int] = set()
    for claim in ctx.claims:
        sentence = claim.sentence
        if claim.relation != "count" or claim.value is None or id(sentence) in done:
            continue
        m = _OPENING_YEAR.match(sentence.text)
        if not m or int(m.group(1)) == year or sentence.section in rule.params.get("skip_sections", ()):
            continue
        before = sentence.text[:claim.start - sentence.start]
        if _PLAN.search(before):
            continue
        if DOCUMENT_OF_A_YEAR.match(before, m.end(1)):
            continue  # "2020年政府信息工作报告1条": last year's report, published this year
        done.add(id(sentence))
        if _compared_nearby(ctx.sentences, sentence):
            continue  # "2022年发布信息1128条。2023年总计发布2401条，是2022年的1.5倍": last year for comparison
        named = int(m.group(1))
        yield make_finding(rule, doc, rule.format(text=sentence.text[:60], named=named, year=year),
                           span=(sentence.start, sentence.end), content=f"other-year:{named}:{sentence.text[:30]}",
                           evidence={"named_year": named, "report_year": year, "figure": claim.text})


_ITEM_END = re.compile(r"(?<!\d)\d+\s*(?:条|件|篇|个|项|次|份)\s*[、，,；;]?")  # (?<!\d): see PRINTED_PERCENT


def _named_at_least(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """A kind of published information the prose names in words that include a table row
    (params.names: "政策、规范性文件类信息68条") counts at least that row's figure: every
    normative document published in the year is among the information published."""
    names = re.compile(rule.params["names"])
    for claim in ctx.claims:
        if claim.relation != "count" or claim.value is None or claim.concept not in rule.params["concepts"]:
            continue
        if {"other_year", "approx"} & set(claim.scope) or claim.unit not in rule.params.get("units", ("条", "件", "篇")):
            continue
        start, _ = clause_bounds(doc.text, claim.start)
        # The item's own name: after the figure of the item before it ("…类2条、规范性文件类2条").
        before = list(_ITEM_END.finditer(doc.text, start, claim.start))
        start = before[-1].end() if before else start
        named = doc.text[start:claim.end]
        if not names.search(named):
            continue
        for expression in rule.params["cells"]:
            expected, paths, values = evaluate(doc, expression)
            if expected is not None:
                break
        else:
            continue
        if claim.value >= expected:
            continue
        yield make_finding(rule, doc, rule.format(text="".join(named.split())[-40:], table=_fmt(expected),
                                                   label="+".join(cell_label(p) for p in paths)),
                           span=(start, claim.end), cells=paths, section=claim.sentence.section,
                           evidence={"claim": _claim_evidence(claim), "table_value": expected, "cells": values})


MODES = {"substance": _substance, "dated_other_year": _dated_other_year, "required_figures": _required_figures, "named_at_least": _named_at_least, "unmentioned": _unmentioned, "absolute": _absolute, "parts_sum": _parts_sum, "stated_twice": _stated_twice, "stock_below_year": _stock_below_the_year, "kinds_past_whole": _kinds_past_the_whole, "periodic_count": _periodic_count, "all_of_none": _all_of_none, "channel_twice": _channel_twice,
         "balance": _balance, "rate": _rate, "percent": _percent, "growth": _growth_in_prose,
         "growth_previous": _growth_previous, "fee_multiple": _fee_multiple}
