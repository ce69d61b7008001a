"""The one catalogue of the labels users see around findings, in both languages: severities, table headers,
summaries, the report pages' and JUnit's words. (Messages of rules are in the rule pack.)"""

from __future__ import annotations

from tongzhou_check.model import Severity

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
    },
}
REPORT_TEXT = {  # the Markdown and HTML audit reports
    "zh": {"title": "tzcheck 检查报告", "headers": ("位置", "规则", "级别", "条款", "问题"),
           "context": "检查基准日 {as_of} · 规则包 {pack} {version} · tzcheck {tool}",
           "baselined": "已豁免(基线)", "reason": "豁免理由:{reason}"},
    "en": {"title": "tzcheck audit report", "headers": ("Cell", "Rule", "Severity", "Clause", "Problem"),
           "context": "As of {as_of} · rule pack {pack} {version} · tzcheck {tool}",
           "baselined": "waived (baseline)", "reason": "waived: {reason}"},
}
JUNIT_TEXT = {  # JUnit test cases and their lines
    "zh": {"file_level": "整个文件", "waived": "已豁免", "baselined": "已纳入基线", "count": "{n} 个问题",
           **SEVERITY["zh"]},
    "en": {"file_level": "whole file", "waived": "waived", "baselined": "baselined", "count": "{n} findings",
           **SEVERITY["en"]},
}
