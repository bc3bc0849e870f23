"""Chinese names of the canonical rows and columns, for messages and outlines."""

ROW_LABELS = {
    "new_received": "一、本年新收", "carried_over": "二、上年结转", "granted": "（一）予以公开",
    "partly_granted": "（二）部分公开", "withheld_subtotal": "（三）不予公开（小计）",
    "withheld_state_secret": "  1.国家秘密", "withheld_law_forbidden": "  2.法律法规禁止",
    "withheld_security_stability": "  3.三安全一稳定", "withheld_third_party": "  4.第三方权益",
    "withheld_internal_affairs": "  5.内部事务", "withheld_process_info": "  6.过程性信息",
    "withheld_enforcement_file": "  7.行政执法案卷", "withheld_query_item": "  8.行政查询事项",
    "unable_subtotal": "（四）无法提供（小计）", "unable_no_info": "  1.不掌握", "unable_needs_creation": "  2.需另行制作",
    "unable_unclear": "  3.补正后不明确", "declined_subtotal": "（五）不予处理（小计）", "declined_petition": "  1.信访举报投诉",
    "declined_repeat": "  2.重复申请", "declined_publication": "  3.公开出版物", "declined_excessive": "  4.大量反复申请",
    "declined_confirmation": "  5.确认或重新出具", "other_subtotal": "（六）其他处理",
    "other_overdue_correction": "  1.逾期不补正", "other_overdue_fee": "  2.逾期未缴费", "other_misc": "  3.其他",
    "total_processed": "（七）总计", "carried_forward": "四、结转下年度",
    "review": "行政复议", "litigation_direct": "诉讼（未经复议）", "litigation_after_review": "诉讼（复议后）",
    "regulations": "规章", "normative_documents": "行政规范性文件", "licensing": "行政许可",
    "other_services": "其他对外管理服务事项", "punishment": "行政处罚", "coercion": "行政强制",
    "admin_fees": "行政事业性收费", "procurement": "政府集中采购",
}

COLUMN_LABELS = {
    "natural_person": "自然人", "commercial": "商业企业", "research": "科研机构", "social_org": "公益组织",
    "legal_service": "法律服务", "other_org": "其他", "total": "总计", "upheld": "维持", "corrected": "纠正",
    "other": "其他", "pending": "未审结", "issued": "制发", "repealed": "废止", "in_force": "现行有效",
    "decisions": "处理决定", "amount": "金额", "made": "新制作", "published": "新公开",
    "total_published": "公开总数", "previous": "上一年", "change": "增/减", "projects": "项目数",
}

# The 2008 layout's statistics table (legacy.py): its own rows and columns.
STATISTICS_2008_ROW_LABELS = {
    "active_total": "主动公开信息数", "active_website": "  网站公开", "active_gazette": "  政府公报公开",
    "requests_total": "受理依申请公开总数", "requests_in_person": "  当面申请", "requests_mail_fax": "  信函、传真申请",
    "requests_fax": "  传真申请", "requests_email": "  电子邮件申请", "requests_online": "  网上申请",
    "requests_mail": "  信函申请", "requests_other": "  其他形式申请", "answers_total": "对申请的答复总数",
    "answers_granted": "  同意公开", "answers_partly": "  同意部分公开", "answers_refused": "  不予公开",
    "answers_other": "  其他类型答复", "fees": "收费及减免金额", "complaints": "行政申诉、举报",
    "review": "行政复议", "litigation": "行政诉讼",
}
STATISTICS_2008_COLUMN_LABELS = {"year": "本年", "cumulative": "历年累计"}
ROW_LABELS = {**STATISTICS_2008_ROW_LABELS, **ROW_LABELS}
COLUMN_LABELS = {**STATISTICS_2008_COLUMN_LABELS, **COLUMN_LABELS}

TABLE_LABELS = {"active": "表二", "applications": "表三", "appeals": "表四", "statistics_2008": "统计表"}


def cell_label(path: str) -> str:
    """"applications.granted.total" → 表三“（一）予以公开/总计”."""
    parts = path.split(".")
    if len(parts) != 3:
        return path
    table, row, column = parts
    return (f"{TABLE_LABELS.get(table, table)}"
            f"“{ROW_LABELS.get(row, row).strip()}/{COLUMN_LABELS.get(column, column)}”")
