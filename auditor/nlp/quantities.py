"""Numbers with a unit in a sentence: "81件", "二十三件", "3万余条", "1.2万元", "51.85%", "约300人次"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

# Longer units first ("人次" before "人", "万元" before "元"). 个百分点 is a difference of rates.
UNITS = ("个百分点", "万人次", "人次", "件次", "万元", "倍", "件", "起", "宗", "条", "次", "个", "篇", "期", "部", "份",
         "场", "家", "项", "名", "人", "户", "例", "元", "%")
# A Chinese numeral is read from the first character of its run only: a run after one of the
# characters the lookbehind refuses is an ordinal or a code as a whole ("第五十条", "第十二条" are
# articles, not 十条 or 二条). Without this fence the search also restarted at every character
# of a long run of numerals (time quadratic in the run).
_CN_NUMERAL = "零〇一二两三四五六七八九十百千"
QUANTITY = re.compile(
    # a colon after a label ("机构概况:2条") is no fence; after a digit it is a time or a ratio ("10:30")
    r"(?<![\dA-Za-z.．\-/_〔\[第])(?<!\d[:：])"
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?"
    rf"|(?<![{_CN_NUMERAL}])[{_CN_NUMERAL}]+)"
    r"(?P<mult>万(?![元人])|亿)?"
    r"(?P<approx_after>余|多)?"
    r"(?P<closer>[)）])?"  # a figure filled into a template's brackets: "发布政务信息(1386)条"
    r"\s?(?P<unit>" + "|".join(UNITS) + r")(?:\s?[（(]次[）)])?"  # "135件（次）"
    # "3个工作日", "12个月", "5个方面" are durations and counts of aspects, "二十条措施" is a title;
    # "六部分内容", "6个部分组成" count the report's own parts, "3部门" departments, not documents (部).
    r"(?!工作日|自然日|月|小时|季度|方面|年度|多月|(?<=个)部分|(?<=部)[分门])"
)
APPROX_BEFORE = re.compile(r"(?:约|近|逾|超过|大约|将近|不足|不到)$")
APPROX_AFTER = re.compile(r"(?:左右|以上|上下)")  # used with .match(text, pos): no ^
# Of the approximate figures, those that are a floor: "1600余条", "超过300件", "200件以上".
FLOOR_BEFORE = re.compile(r"(?:逾|超过)$")
FLOOR_AFTER = re.compile(r"以上")
# The ...$ patterns above are searched only in the few characters before a number (their longest
# word, and a line break that `$` may stand before): searched over the whole sentence before it,
# each number cost time linear in the sentence, and a long sentence time quadratic.
_BEFORE_WINDOW = 4


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
    number: str  # the number as printed
    floor: bool = False  # approximate, and the true figure is at least this ("600余条")
    bare: bool = False  # printed without a unit, which its enumeration's figure before it gives


# "没有出现一起…", "未发生一例…", "无一件…": a negation of "even one".
NOT_A_SINGLE = re.compile(r"(?:没有|未|无|不曾|从未|并未)(?:出现|发生|有|产生|收到|接到|引发)?(?:过)?$")

# How things are counted, not how many: "（不同渠道和方式公开相同信息计1条）", "重复发布的按1条计".
COUNTING_RULE_BEFORE = re.compile(r"(?:相同|重复|同一|同样)[^，。；：\d]{0,8}?(?:计|算|按|记)(?:为|作)?$")
COUNTING_RULE_AFTER = re.compile(r"(?:计|算)(?:算)?[）)，。；]")

# Chinese numerals that are words, not quantities: "一件件", "十件实事", "三个一", "一个窗口".
_WORD_NUMERALS = re.compile(r"^(?:一|两|几)$")


def counting_rule(text: str, start: int, end: int, number: str) -> bool:
    """The number at text[start:end] says how items are counted ("相同信息计1条", "按1条计"), not how
    many there are."""
    return number in ("1", "一") and (COUNTING_RULE_BEFORE.search(text, max(0, start - 14), start) is not None
                                     or (text[start - 1:start] in ("按", "作")
                                         and COUNTING_RULE_AFTER.match(text, end) is not None))


# A bracket right after a figure, up to its first 40 characters: "901条（不同渠道的相同信息计1条）".
BRACKET_AFTER = re.compile(r"\s*[（(](?P<inside>[^（）()\n]{0,40})")


def counted_once_after(text: str, end: int) -> bool:
    """The figure ending at `end` is followed by a bracket stating a counting rule (counting_rule):
    "901条（不同渠道的相同信息计1条）" counts an item once, whatever channels carried it."""
    bracket = BRACKET_AFTER.match(text, end)
    if bracket is None:
        return False
    return any(counting_rule(text, bracket.start("inside") + one.start(), bracket.start("inside") + one.end(), one.group())
               for one in re.finditer(r"1|一", bracket.group("inside")))


# What every QUANTITY match holds: a numeral's last character right before the unit (with what may
# stand between). Most sentences state no figure; this pattern, opening with a character class, is
# searched for far faster than QUANTITY, whose lookbehinds make re try a whole match at every position.
NUMERAL_BEFORE_UNIT = re.compile(rf"[\d{_CN_NUMERAL}](?:万|亿)?(?:余|多)?[)）]?\s?(?:" + "|".join(UNITS) + ")")


def find_quantities(text: str) -> list[Quantity]:
    if NUMERAL_BEFORE_UNIT.search(text) is None:
        return []
    found = []
    for m in QUANTITY.finditer(text):
        raw = m.group("num")
        unit = m.group("unit")
        if m.group("closer") and text[m.start() - 1:m.start()] not in ("(", "（"):
            continue  # a bracket closed after a figure that did not open it: "（共3）条" is no such blank
        if m.group("closer") and text[m.start() - 2:m.start() - 1] == "第":
            continue  # "第二十条第（一）项": which item, not how many
        if counting_rule(text, m.start(), m.end(), raw):
            continue  # how items are counted ("相同信息计1条", "按1条计"), not a count
        if raw[0].isdigit():
            value: float = float(raw.replace(",", ""))
        else:
            number = chinese_number(raw)
            if number is None:
                continue
            # "一个平台", "两个月": a single Chinese 一/两 is an article far more often than a count.
            if _WORD_NUMERALS.match(raw) and unit in ("个", "条", "次", "项", "件", "份", "场", "家", "部", "篇"):
                if not _counted_after(text, m.end()):
                    continue
            if raw == "一" and NOT_A_SINGLE.search(text, 0, m.start()):
                continue  # "没有出现一起投诉", "未发生一起复议": not a single one, not a count of 1
            if unit == "次" and SESSION.match(text, m.end()) and text[m.start() - 1:m.start()] in SESSION_BEFORE:
                continue  # "市人大七届二次会议", "政协十四届三次全会": which session, not how many
            value = float(number)
        if m.group("mult"):
            value *= _CN_BIG_UNITS[m.group("mult")]
        window = max(0, m.start() - _BEFORE_WINDOW)
        approx = bool(m.group("approx_after") or APPROX_BEFORE.search(text, window, m.start())
                      or APPROX_AFTER.match(text, m.end()))
        floor = bool(m.group("approx_after") or FLOOR_BEFORE.search(text, window, m.start())
                     or FLOOR_AFTER.match(text, m.end()))
        found.append(Quantity(value=value, unit=unit, approx=approx, start=m.start(), end=m.end(),
                              number=raw + (m.group("mult") or ""), floor=floor))
    return found


# A session of a congress or conference, numbered: "七届二次会议", "人大三次会议".
SESSION = re.compile(r"(?:会议|全会|全体会议)")
SESSION_BEFORE = ("届", "大", "协", "会")


def _counted_after(text: str, end: int) -> bool:
    """A single 一/两 counts when a clause ends right after it ("收到申请一件。")."""
    return end >= len(text) or text[end] in "，,。；;、）)"


# A figure printed without its unit, as an item of an enumeration whose figure before it has one:
# "建议提案办理栏7条，意见征集3、部门预算栏1条", "财政类信息11条，其他类170包括社会保障类127条". Not
# after 第/年/号… (an ordinal, a date), not a year, and only where the words between it and that
# figure are one short item name.
BARE_FIGURE = re.compile(r"(?<=[\u4e00-\u9fff])(?<![第年月日号届期至到版])(\d{1,6})(?=[ \t]?(?:[，,；;。、]|包括|其中|$))")
BARE_ITEM_GAP = re.compile(r"[ \t]?[，,、；;][^，,、；;。：:！？\d（()）]{1,20}")
COUNT_UNITS = frozenset({"件", "起", "宗", "条", "次", "个", "篇", "期", "部", "份", "场", "家", "项", "例", "件次"})


# What BARE_FIGURE and UNIT_AFTER_NOTE match opens with; searched first for the same reason as
# NUMERAL_BEFORE_UNIT (a sentence with no digit after a Han character has no such figure).
DIGIT_AFTER_HAN = re.compile(r"[\u4e00-\u9fff]\d")


# "收到政府信息公开申请数量为0", "共收到依申请公开事项0", "依申请公开信息数为0": a figure with no unit right
# after the noun it counts (and "数量为"/"数为"…), its unit the one that noun is counted in.
COUNTED_NOUN = re.compile(r"(?P<noun>申请|申请件|事项|件数|信息)(?:数量|总数|数)?(?:为|是|共|共计|合计|达)?[:：]?[ \t]?$")
NOUN_UNITS = {"申请": "件", "申请件": "件", "事项": "件", "件数": "件", "信息": "条"}


def _counted_by_its_noun(text: str, m: re.Match) -> Quantity | None:
    noun = COUNTED_NOUN.search(text, max(0, m.start() - 12), m.start())
    if noun is None:
        return None
    return Quantity(value=float(m.group(1)), unit=NOUN_UNITS[noun.group("noun")], approx=False, start=m.start(),
                    end=m.end(), number=m.group(1), bare=True)


# A figure whose unit follows a note in brackets: "部门预决算3(45个单位在3个总表中公示)条".
UNIT_AFTER_NOTE = re.compile(r"(?<=[\u4e00-\u9fff])(?<![第年月日号届期至到版])(\d{1,6})(?=[（(][^（）()\n]{1,30}[）)]\s?(?P<unit>"
                             + "|".join(u for u in UNITS if u not in ("%", "倍")) + "))")


# "主动公开各类政府信息64，其中，机构职责3条；…": a total printed without its unit, its parts after 其中.
PARTS_FOLLOW = re.compile(r"[ \t]?[，,]?\s*其中")


def _total_before_its_parts(text: str, m: re.Match, found: list[Quantity]) -> Quantity | None:
    """A figure with no unit and no figure before it, right before 其中: the total of the parts after
    it, in the unit of the first of them."""
    if not PARTS_FOLLOW.match(text, m.end()):
        return None
    after = [q for q in found if q.start >= m.end()]
    if not after or after[0].unit not in COUNT_UNITS:
        return None
    return Quantity(value=float(m.group(1)), unit=after[0].unit, approx=False, start=m.start(), end=m.end(),
                    number=m.group(1), bare=True)


def bare_enumerated(text: str, found: list[Quantity]) -> list[Quantity]:
    """The figures of `text` printed without a unit right after them: items of an enumeration (see
    BARE_FIGURE), each with the unit of the figure before it, and figures whose unit follows a note
    in brackets (UNIT_AFTER_NOTE)."""
    if DIGIT_AFTER_HAN.search(text) is None:
        return []
    extra: list[Quantity] = []
    for m in UNIT_AFTER_NOTE.finditer(text):
        extra.append(Quantity(value=float(m.group(1)), unit=m.group("unit"), approx=False, start=m.start(),
                              end=m.end(), number=m.group(1), bare=True))
    for m in BARE_FIGURE.finditer(text):
        value = int(m.group(1))
        if 1900 <= value <= 2100 and len(m.group(1)) == 4:
            continue  # a year
        before = [q for q in found + extra if q.end <= m.start()]
        if not before:
            total = _total_before_its_parts(text, m, found) or _counted_by_its_noun(text, m)
            if total is not None:
                extra.append(total)
            continue
        previous = max(before, key=lambda q: q.end)
        if previous.unit not in COUNT_UNITS or not BARE_ITEM_GAP.fullmatch(text, previous.end, m.start()):
            continue
        extra.append(Quantity(value=float(value), unit=previous.unit, approx=False, start=m.start(),
                              end=m.end(), number=m.group(1), bare=True))
    return extra
