"""Rule kind `claim`: what the narrative states against what the tables show.

params (mode "table", the default):
  claim: a claim kind (auditor/nlp/model.py CLAIM_KINDS)
  cells: an expression over cells, "applications.new_received.total + applications.carried_over.total";
         a list gives fallbacks, the first decidable one is used; "@applicants" as the column
         stands for the six applicant columns summed
  expect: "value" (default: the claim's number must equal the cells) or "zero" (a negation or
          absolute claim: the cells must be 0)
  tolerance: allowed absolute difference (default 0)
  also_equals: {label: expression} — when the stated number equals one of these instead, the
          text counted differently (收到 = 新收 + 结转): say so in the message
  scope: {scope word kind: "skip" | "warning" | "info"} — 其中 (a subset) is skipped; 备案, 本机关/
          区政府办 (another scope than the table) soften the severity, because only like should be
          compared with like and when unsure the rule warns instead of erring
mode "parts_sum": "共公布政府信息2599条（其中…25条，…68条…）" — the parts must add up to the total.
mode "all_processed": "所有申请均已办结" while a carried-forward count (stated or in table 三) is > 0.
mode "percent": "不予公开5件，占6.17%" — the percentage must match its numerator and denominator
  within params.tolerance points (wider when the report rounds to whole percents), and the shares
  of one denominator must add up to about 100% when they cover it (params.sum_tolerance).
mode "fee_multiple": an information-processing fee total that is not a multiple of 10 元 (fees
  are charged per application or per page in steps of 10 元, 国办函〔2020〕109号).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.checks.finding import make_finding
from auditor.model import Document, Finding
from auditor.ruleset import Rule
from auditor.structure.tables import schema


SCOPE_LABELS = {"agency": "本机关/代表本级政府", "filing": "备案", "jurisdiction": "全市/全区等全辖区",
                "subset": "其中", "including_carried": "含上年结转"}


def _fmt(v) -> str:
    if v is None:
        return "空"
    return f"{v:g}" if isinstance(v, float) else str(v)


def evaluate(doc: Document, expression: str) -> tuple[float | None, list[str], dict]:
    """Sum of the cells named in the expression; None when one is blank or absent."""
    total = 0
    paths: list[str] = []
    values: dict = {}
    for term in (t.strip() for t in expression.split("+")):
        table, row, col = term.split(".")
        cols = schema.APPLICANT_COLUMNS[:-1] if col == "@applicants" else (col,)
        for c in cols:
            path = f"{table}.{row}.{c}"
            v = doc.cell(path)
            paths.append(path)
            values[path] = v
            if v is None:
                return None, paths, values
            total += v
    return total, paths, values


def _first_decidable(doc: Document, spec) -> tuple[float | None, list[str], dict, str]:
    options = spec if isinstance(spec, list) else [spec]
    last = (None, [], {}, options[0])
    for expr in options:
        value, paths, values = evaluate(doc, expr)
        if value is not None:
            return value, paths, values, expr
        if not last[1]:
            last = (None, paths, values, expr)
    return last


def run(doc: Document, rules: list[Rule], ctx) -> Iterable[Finding]:
    for rule in rules:
        mode = rule.params.get("mode", "table")
        if mode == "table":
            yield from _against_table(doc, rule, ctx)
        elif mode == "parts_sum":
            yield from _parts_sum(doc, rule)
        elif mode == "all_processed":
            yield from _all_processed(doc, rule, ctx)
        elif mode == "percent":
            yield from _percent(doc, rule, ctx)
        elif mode == "fee_multiple":
            yield from _fee_multiple(doc, rule, ctx)


def _against_table(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    p = rule.params
    claims = [c for c in ctx.claims if c.kind == p["claim"]
              and (not rule.scope or c.sentence.section in rule.scope)
              and (c.negated or not p.get("negated_only"))
              # a value rule compares numbers; negations belong to the *-NONE rules
              and (p.get("expect") == "zero" or not c.negated)]
    if not claims:
        return
    expected, paths, values, expr = _first_decidable(doc, p["cells"])
    if expected is None:
        return  # blank or missing cells: the table rules report them
    tolerance = p.get("tolerance", 0)
    for claim in claims:
        severity = None
        skip = False
        for scope_word in claim.scope:
            action = p.get("scope", {}).get(scope_word)
            if action == "skip":
                skip = True
            elif action in ("warning", "info"):
                severity = action if severity != "info" else severity
        if skip:
            continue
        if "approx" in claim.scope and p.get("expect") != "zero" and claim.value is not None \
                and expected >= claim.value:
            continue  # "5500余条", "3万余件": an approximate floor, consistent with any larger count
        if p.get("expect") == "zero" or claim.value is None:
            if expected == 0:
                continue
            stated = "无" if claim.negated else "均"
        else:
            if abs(claim.value - expected) <= tolerance:
                continue
            stated = _fmt(claim.value)
        note = ""
        for label, other in (p.get("also_equals") or {}).items():
            alt, alt_paths, _ = evaluate(doc, other)
            if claim.value is not None and alt is not None and abs(claim.value - alt) <= tolerance:
                note = f"；文中数字等于{label}（{_fmt(alt)}），口径不同"
                severity = severity or "warning"
        if claim.scope and severity and not note:
            words = "、".join(SCOPE_LABELS.get(w, w) for w in claim.scope
                             if p.get("scope", {}).get(w) in ("warning", "info"))
            note = f"；文中有口径词（{words}），可能统计范围不同，请核对" if words else ""
        message = rule.format(text=claim.text, stated=stated, table=_fmt(expected),
                              cells=" + ".join(paths) if len(paths) <= 3 else expr) + note
        yield make_finding(rule, doc, message, span=(claim.start, claim.end), cells=paths,
                           severity=severity, content=f"{claim.text}|{_fmt(expected)}",
                           evidence={"claim": {"kind": claim.kind, "value": claim.value, "unit": claim.unit,
                                               "negated": claim.negated, "scope": list(claim.scope),
                                               "sentence": claim.sentence.text},
                                     "table_value": expected, "cells": values, "cells_expression": expr})


# "共公布政府信息2599条，(其中机构职能类信息25条，政策、规范性文件类信息68条，…)"
_TOTAL_THEN_PARTS = re.compile(
    r"(?P<what>(?<=[，。；,;\s])[^，。；,;（(]{0,20}?|)(?:共|总计|合计|累计)[^，。；,;（(\d]{0,12}?(?P<total>\d+)\s*(?P<unit>条|件|篇|个)"
    r"[，,]?\s*[（(]\s*其中(?P<parts>[^（）()]{4,600})[）)]")
_PART = re.compile(r"(\d+)\s*(条|件|篇|个)")


def _parts_sum(doc: Document, rule: Rule) -> Iterable[Finding]:
    for m in _TOTAL_THEN_PARTS.finditer(doc.text):
        unit = m.group("unit")
        parts = [int(n) for n, u in _PART.findall(m.group("parts")) if u == unit]
        if len(parts) < 3:
            continue  # "其中自然人5件" is a breakdown of one kind, not a full enumeration
        if re.search(r"等|其余|以及|包括", m.group("parts")[-12:]):
            continue  # an open-ended list cannot be summed
        total = int(m.group("total"))
        stated = sum(parts)
        if stated == total:
            continue
        expression = "+".join(str(x) for x in parts) + f" = {stated}"
        yield make_finding(rule, doc, rule.format(total=total, unit=unit, parts_sum=stated, expression=expression,
                                                  difference=abs(total - stated)),
                           span=(m.start(), m.end()), evidence={"total": total, "parts": parts,
                                                                           "parts_sum": stated})


_ALL_DONE = re.compile(r"(?:所有|全部)申请(?:均|都)?(?:已|已经)?(?:按要求|按时|依法)?(?:办理完成|办结|答复完毕|全部办结)|申请(?:均|全部)(?:已)?办结")


def _all_processed(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    for m in _ALL_DONE.finditer(doc.text):
        carried, paths, values, expr = _first_decidable(doc, rule.params["cells"])
        stated_forward = [c for c in ctx.claims if c.kind == "applications.carried_forward" and c.value]
        if (carried or 0) == 0 and not stated_forward:
            continue
        detail = []
        if carried:
            detail.append(f"表三结转下年度为{_fmt(carried)}")
        if stated_forward:
            detail.append(f"文中又写“{stated_forward[0].text}”")
        yield make_finding(rule, doc, rule.format(text=m.group(0), detail="，".join(detail)),
                           span=(m.start(), m.end()), cells=paths if carried else [],
                           evidence={"carried_forward": carried, "cells": values,
                                     "stated": [c.text for c in stated_forward]})


def _scope_value(claim, prefix: str) -> tuple[str, float] | None:
    for item in claim.scope:
        if item.startswith(prefix + ":") and "=" in item:
            kind, value = item[len(prefix) + 1:].split("=", 1)
            try:
                return kind, float(value)
            except ValueError:
                return None
    return None


def _percent(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    tolerance = rule.params.get("tolerance", 0.1)
    by_denominator: dict[tuple[str, float], list] = {}
    for claim in ctx.claims:
        if claim.kind != "percent" or claim.value is None:
            continue
        num, den = _scope_value(claim, "numerator"), _scope_value(claim, "denominator")
        if not num or not den or den[1] == 0:
            continue
        by_denominator.setdefault(den, []).append(claim)
        computed = 100.0 * num[1] / den[1]
        decimals = len(str(claim.value).split(".")[1].rstrip("0")) if "." in str(claim.value) else 0
        allowed = max(tolerance, 0.5 if decimals == 0 else 0.05 if decimals >= 2 else tolerance)
        if abs(computed - claim.value) <= allowed + 1e-9:
            continue
        yield make_finding(rule, doc, rule.format(text=claim.text, stated=_fmt(claim.value),
                                                  computed=f"{computed:.2f}", numerator=_fmt(num[1]),
                                                  denominator=_fmt(den[1])),
                           span=(claim.start, claim.end),
                           evidence={"stated": claim.value, "computed": round(computed, 4),
                                     "numerator": num[1], "denominator": den[1]})
    for (kind, value), claims in by_denominator.items():
        covered = sum(v for c in claims for _, v in [_scope_value(c, "numerator")])
        if len(claims) < 3 or abs(covered - value) > 1e-9:
            continue  # the shares only add to 100% when their numerators cover the whole
        total = sum(c.value for c in claims)
        if abs(total - 100.0) > rule.params.get("sum_tolerance", 0.5):
            first = claims[0]
            yield make_finding(rule, doc, f"各项占比之和为{total:.2f}%，不等于100%（共{len(claims)}项，分母{_fmt(value)}）",
                               span=(first.start, claims[-1].end), content=f"percent-sum:{total:.2f}",
                               evidence={"percentages": [c.value for c in claims], "sum": round(total, 4)})


def _fee_multiple(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    for claim in ctx.claims:
        if claim.kind != "fees.collected" or claim.value is None or claim.negated:
            continue
        yuan = claim.value * (10000 if claim.unit == "万元" else 1)
        if abs(yuan) < 1e-9 or abs(yuan / 10 - round(yuan / 10)) < 1e-9:
            continue
        if "approx" in claim.scope:
            continue
        yield make_finding(rule, doc, rule.format(text=claim.text, amount=_fmt(yuan)), span=(claim.start, claim.end),
                           evidence={"amount_yuan": yuan})
