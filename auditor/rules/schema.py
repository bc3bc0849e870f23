"""The shape of a rule file, as JSON Schema: what `rules:` entries and their examples may hold.

Validated by auditor/rules/loader.py, which turns each error into a Chinese file:line:column line.
"""

from __future__ import annotations

from auditor.model import CATEGORIES, SEVERITIES
from auditor.rules.rule import RULE_KINDS

SECTION_KEYS = ("overview", "active", "applications", "appeals", "problems", "other")
TABLE_KEYS = ("active", "applications", "appeals", "statistics_2008")
RULE_ID_PATTERN = r"^[A-Z]{2,5}-[A-Z0-9]+(?:-[A-Z0-9]+)*$"

_TABLES_SCHEMA = {
    "type": "object",
    "propertyNames": {"enum": list(TABLE_KEYS)},
    "additionalProperties": {
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "additionalProperties": {"type": ["number", "null"]},
        },
    },
}

# An inline report for an example: its text and/or its tables.
_INLINE_DOCUMENT_SCHEMA = {
    "type": "object",
    "properties": {"text": {"type": "string"}, "tables": _TABLES_SCHEMA},
    "additionalProperties": False,
}

EXAMPLE_SCHEMA = {
    "type": "object",
    "properties": {
        "expect": {"type": "integer", "minimum": 0},
        "text": {"type": "string"},
        "tables": _TABLES_SCHEMA,
        # A report file, relative to the rule file's directory.
        "document": {"type": "string", "minLength": 1},
        # The same body's previous report, for continuity rules: a file or inline text/tables.
        "previous": {"anyOf": [{"type": "string", "minLength": 1}, _INLINE_DOCUMENT_SCHEMA]},
        "meta": {
            "type": "object",
            "properties": {
                "title": {"type": "string"}, "agency": {"type": "string"},
                "year": {"type": "integer"},
                "template": {"enum": ["2021", "2019", "2008", "unknown"]},
            },
            "additionalProperties": False,
        },
        "note": {"type": "string"},
    },
    "required": ["expect"],
    "anyOf": [{"required": ["text"]}, {"required": ["tables"]}, {"required": ["document"]}],
    "additionalProperties": False,
}

RULE_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": RULE_ID_PATTERN},
        "kind": {"enum": list(RULE_KINDS)},
        "category": {"enum": list(CATEGORIES)},
        "severity": {"enum": list(SEVERITIES)},
        "message": {"type": "string", "minLength": 1, "pattern": r"\S"},
        "rationale": {"type": "string", "minLength": 1, "pattern": r"\S"},
        "params": {"type": ["object", "null"]},
        "scope": {"type": ["array", "null"], "items": {"enum": list(SECTION_KEYS)}},
        "examples": {"type": ["array", "null"], "items": EXAMPLE_SCHEMA},
        "aliases": {"type": ["array", "null"], "items": {"type": "string", "pattern": RULE_ID_PATTERN}},
    },
    "required": ["id", "kind", "category", "severity", "message", "rationale"],
    "additionalProperties": False,
}

RULE_FILE_SCHEMA = {
    "type": "object",
    "properties": {"rules": {"type": "array", "items": RULE_SCHEMA}},
    "required": ["rules"],
}


# The params of each rule kind that are regular expressions run over report text, as paths below
# `params`: "*" is every item of a list, "{keys}" every key of a mapping, "{values}" every value.
# Each is checked when the rules are loaded (auditor/rules/regex_safety.py): a pattern that could
# backtrack super-linearly would hang the audit of a long report.
REGEX_PARAMS = {
    "pattern": (("regex",), ("require",)),
    "phrase": (("tokens", "*"), ("swap", "{keys}"), ("unless_after",), ("unless_before",)),
    "section": (("applies_to", "agency"), ("items", "*", "pattern"), ("pattern",), ("area_government",)),
    "claim": (("claim_pattern",), ("names",), ("overall", "claim_pattern"), ("overall", "not_in_clause"),
              ("overall", "stock"), ("overall", "stock_of_the_year"), ("channel_or_stock",),
              ("activities",), ("part_of_year",)),
    "metric": (("unless",), ("problem_cues", "*"), ("measure_cues", "*"), ("plan_cues", "*"),
               ("specific_signals", "{values}")),
}
