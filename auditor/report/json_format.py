"""`--format json`: the audit JSON of contract.md (`auditor.audit/1`), one object per file.

Several files give a JSON array of those objects, in the order the files were given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence


def render(results: Sequence, rules: Sequence = (), color: bool = False) -> str:
    objects = [result.to_json() for result in results]
    payload = objects[0] if len(objects) == 1 else objects
    return json.dumps(payload, ensure_ascii=False, indent=1, default=str) + "\n"
