"""Is this a report at all? The gate between reading a file and auditing it.

A file that reads cleanly is not necessarily a report: a 1-byte file, /etc/passwd behind a
.txt name, a novel. Audited, such a file gets a score and exit status 0 as if it were a report
with a few gaps. It is refused instead, with the reason, when it shows nothing of a report:
no section heading, no statistics table and no word of the disclosure vocabulary.

The test is deliberately weak: one heading, one table row or one word such as 政府信息公开 is
enough. Excerpts of real reports (the opening 1,500 characters of a web page) and short
reports must all pass; only what is plainly something else is refused.
"""

from __future__ import annotations

import re

from auditor.errors import InputError
from auditor.model import Document

# Words any report (or any page of one) uses and unrelated text seldom does.
DISCLOSURE_WORDS = ("政府信息公开", "信息公开", "政务公开", "主动公开", "依申请公开", "公开申请",
                    "年度报告", "政府信息", "行政复议", "行政诉讼")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACE = re.compile(r"\s+")


class NotAReport(InputError):
    """A readable file whose content is not a report; `str()` is the one-line Chinese message."""

    def __init__(self, path: str, reason: str):
        super().__init__(path, f"内容不像政府信息公开工作年度报告（{reason}）")
        self.args = (f"无法审核文件 {path}：{self.cause}",)  # read, but not audited


def not_a_report_reason(doc: Document) -> str | None:
    """Why the document is not a report, in Chinese; None when it shows something of one."""
    if doc.sections or any(doc.tables.values()):
        return None
    compact = _SPACE.sub("", doc.text)
    if any(word in compact for word in DISCLOSURE_WORDS):
        return None
    if not _HAN.search(compact):
        if len(compact) < 20:
            return f"只有 {len(compact)} 个字符，没有中文文字"
        return "没有中文文字"
    return "没有报告的章节标题和统计表，也没有“政府信息公开”等用语"


def require_report(doc: Document) -> Document:
    reason = not_a_report_reason(doc)
    if reason:
        raise NotAReport(doc.path, reason)
    return doc
