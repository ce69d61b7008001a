"""The one catalogue of the labels users see around findings, in both languages: severities, table headers,
summaries, the report pages' and JUnit's words. (Messages of rules are in the rule pack.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tongzhou_check.model import Finding, Severity

SEVERITY = {
    "zh": {Severity.error: "错误", Severity.warning: "警告", Severity.info: "提示"},
    "en": {Severity.error: "error", Severity.warning: "warning", Severity.info: "info"},
}
LABELS = {
    "zh": {
        "cell": "位置", "rule": "规则", "severity": "级别", "clause": "条款", "message": "问题与要求",
        "file": "文件", "unreadable": "无法读取", "file_level": "(整个文件)", "no_findings": "未发现问题",
        "waived": "已豁免", "sheets": "工作表",
        **SEVERITY["zh"],
        "summary": "共检查 {files} 个文件、{sheets} 个工作表、{rows} 行记录;发现问题 {findings} 个:"
                   "错误 {errors},警告 {warnings},提示 {info},已豁免 {suppressed}。",
        "more": "本表另有 {count} 个问题未列出:{rules}。加 --show-all 全部列出;JSON、SARIF 等格式包含全部问题。",
        "more_rule": "{rule} {count} 个", "more_sep": "、",
        "baselined": "基线",
        "summary_baseline": "共检查 {files} 个文件、{sheets} 个工作表、{rows} 行记录;发现问题 {findings} 个:"
                            "错误 {errors},警告 {warnings},提示 {info},已豁免 {waived},基线 {baselined}。",
        "baseline_folded": "基线 {count} 条:已记录在基线中的问题不再逐条列出,也不导致失败;加 --show-suppressed 列出。",
        "baseline_stale": "基线中有 {count} 条记录已无对应问题({rules}):问题已改正或已变化。"
                          "用 tzcheck baseline create 重新生成基线。",
        "baseline_elsewhere": "基线中另有 {count} 条记录属于本次未检查的文件。",
    },
    "en": {
        "cell": "Cell", "rule": "Rule", "severity": "Severity", "clause": "Clause", "message": "Problem",
        "file": "File", "unreadable": "unreadable", "file_level": "(whole file)", "no_findings": "no findings",
        "waived": "waived", "sheets": "sheets",
        **SEVERITY["en"],
        "summary": "Audited {files} files, {sheets} sheets, {rows} records: {findings} findings — "
                   "{errors} errors, {warnings} warnings, {info} info, {suppressed} suppressed.",
        "more": "{count} more findings on this sheet not shown: {rules}. --show-all lists them all; JSON, SARIF and "
                "the other formats carry every finding.",
        "more_rule": "{rule}: {count}", "more_sep": ", ",
        "baselined": "baseline",
        "summary_baseline": "Audited {files} files, {sheets} sheets, {rows} records: {findings} findings — "
                            "{errors} errors, {warnings} warnings, {info} info, {waived} waived, {baselined} baseline.",
        "baseline_folded": "baseline: {count} findings recorded in the baseline are not listed and do not fail; "
                           "--show-suppressed lists them.",
        "baseline_stale": "{count} baseline entries match no finding any more ({rules}): fixed or changed. "
                          "tzcheck baseline create writes a new baseline.",
        "baseline_elsewhere": "{count} more baseline entries belong to files not audited here.",
    },
}
PERIOD = {  # which year and as-of a file was audited at, and why (formats/records.py's period record)
    "zh": {
        "line": "审计年度 {year}({year_from}),检查基准日 {as_of}({as_of_from})",
        "year_from": {"option": "由 --year 指定", "config": "取自配置文件", "as_of": "检查基准日所在年度",
                      "title": "取自标题", "filename": "取自文件名", "dates": "取自记录日期",
                      "default": "工作簿未写明年度,取默认年度"},
        "detail": {"title": "取自标题「{detail}」", "filename": "取自文件名 {detail}",
                   "dates": "取自记录日期:{detail} 个日期在该年"},
        "as_of_from": {"option": "由 --as-of 指定", "config": "取自配置文件", "year_end": "该年度已结束,取年末",
                       "today": "今天,北京时间"},
    },
    "en": {
        "line": "audited year {year} ({year_from}), as of {as_of} ({as_of_from})",
        "year_from": {"option": "given by --year", "config": "from the configuration", "as_of": "the as-of's year",
                      "title": "from the title", "filename": "from the file name", "dates": "from the records' dates",
                      "default": "no year in the workbook: the default"},
        "detail": {"title": "from the title “{detail}”", "filename": "from the file name {detail}",
                   "dates": "from the records' dates: {detail} dates in that year"},
        "as_of_from": {"option": "given by --as-of", "config": "from the configuration",
                       "year_end": "the year is over: its last day", "today": "today, Beijing time"},
    },
}


def severity_label(finding: Finding, lang: str) -> str:
    """A finding's severity as a person reads it: 基线 when a baseline records it, 已豁免 when its workbook waives
    it."""
    if finding.suppressed is None:
        return LABELS[lang][finding.severity]
    return LABELS[lang]["baselined" if finding.suppressed.by == "baseline" else "waived"]


def summary_text(summary: Mapping[str, Any], lang: str, baseline: bool = False) -> str:
    """The one-line summary; with a baseline, the waived and the baselined findings counted apart."""
    if not baseline:
        return LABELS[lang]["summary"].format(**summary)
    return LABELS[lang]["summary_baseline"].format(**summary, waived=summary["suppressed"] - summary["baselined"])


def period_text(period: Mapping[str, Any], lang: str, detail: bool = True) -> str:
    """A file's period record as one line: `审计年度 2018(取自标题「…」),检查基准日 2018-12-31(该年度已结束,取年末)`."""
    text = PERIOD[lang]
    source = period["year_from"]
    year_from = text["year_from"][source]
    if detail and period.get("detail") and source in text["detail"]:
        year_from = text["detail"][source].format(detail=period["detail"])
    return text["line"].format(year=period["year"], year_from=year_from, as_of=period["as_of"],
                               as_of_from=text["as_of_from"][period["as_of_from"]])


STATISTICS = {  # --statistics and grouped period lines
    "zh": {"title": "各规则问题数(不含已豁免):", "files": ":{count} 个文件"},
    "en": {"title": "Findings per rule (not counting waived ones):", "files": ": {count} files"},
}
REPORT_TEXT = {  # the Markdown and HTML audit reports
    "zh": {"title": "tzcheck 检查报告", "headers": ("位置", "规则", "级别", "条款", "问题"),
           "context": "检查基准日 {as_of} · 规则包 {pack} {version} · tzcheck {tool}",
           "reason": "豁免理由:{reason}", "agencies": "{first}等 {count} 个单位", "year": "{year}年度",
           "of": ":", "sep": "、"},
    "en": {"title": "tzcheck audit report", "headers": ("Cell", "Rule", "Severity", "Clause", "Problem"),
           "context": "As of {as_of} · rule pack {pack} {version} · tzcheck {tool}",
           "reason": "waived: {reason}", "agencies": "{first} and {others} more", "year": "{year}",
           "of": ": ", "sep": ", "},
}
JUNIT_TEXT = {  # JUnit test cases and their lines
    "zh": {"file_level": "整个文件", "waived": "已豁免", "baselined": "已纳入基线", "count": "{n} 个问题",
           **SEVERITY["zh"]},
    "en": {"file_level": "whole file", "waived": "waived", "baselined": "baselined", "count": "{n} findings",
           **SEVERITY["en"]},
}
EXPORT_TEXT = {  # the findings export (formats/export.py): its sheet, column headers and the state of a finding
    "zh": {"sheet": "问题清单",
           "headers": {"file": "文件", "sheet": "工作表", "cell": "单元格", "row": "行", "column": "列",
                       "header": "列标题", "rule": "规则", "name": "规则名称", "severity": "级别", "clause": "条款",
                       "message": "问题说明", "evidence": "单元格内容(已脱敏)", "subject": "具体项", "state": "状态",
                       "reason": "理由"},
           "states": {None: "待处理", "waiver": "已豁免", "baseline": "基线"},
           "files_sheet": "文件",
           "file_headers": {"file": "文件", "status": "读取情况", "agency": "单位", "sheets": "识别的工作表",
                            "rows": "记录行数", "findings": "问题数", "errors": "错误", "warnings": "警告",
                            "info": "提示", "suppressed": "已豁免或基线"},
           "statuses": {"ok": "已检查", "unreadable": "无法读取"}},
    "en": {"sheet": "Findings",
           "headers": {"file": "File", "sheet": "Sheet", "cell": "Cell", "row": "Row", "column": "Column",
                       "header": "Header", "rule": "Rule", "name": "Name", "severity": "Severity", "clause": "Clause",
                       "message": "Message", "evidence": "Evidence (masked)", "subject": "Subject", "state": "State",
                       "reason": "Reason"},
           "states": {None: "open", "waiver": "waived", "baseline": "baselined"},
           "files_sheet": "Files",
           "file_headers": {"file": "File", "status": "Read", "agency": "Agency", "sheets": "Sheets recognised",
                            "rows": "Records", "findings": "Findings", "errors": "Errors", "warnings": "Warnings",
                            "info": "Info", "suppressed": "Waived or baselined"},
           "statuses": {"ok": "audited", "unreadable": "unreadable"}},
}
