"""Rule documentation generated from the pack's YAML: `tzcheck explain`, `tzcheck rules show`, docs/rules.md."""

from __future__ import annotations

import yaml

from tongzhou_check.pack import Pack, Rule

HEADINGS = {
    "zh": {"what": "检查什么", "why": "依据", "params": "参数", "pass": "合格示例", "fail": "不合格示例",
           "status": "状态", "planned": "尚未启用(后续版本实现)", "active": "已启用", "severity": "默认级别",
           "kind": "适用表格", "any": "所有表格", "sheet": "工作表", "message": "提示语"},
    "en": {"what": "What it checks", "why": "Why", "params": "Parameters", "pass": "Passing examples",
           "fail": "Failing examples", "status": "Status", "planned": "planned (not yet enabled)",
           "active": "active", "severity": "Default severity", "kind": "Sheet kind", "any": "every kind",
           "sheet": "sheet", "message": "Message"},
}


def _example(case: dict, lang: str) -> str:
    sheet = case.get("sheet")
    rows = "; ".join(
        "{" + ", ".join(f"{k}: {v!s}" if v != "" else f"{k}: (空)" for k, v in row.items()) + "}"
        for row in case["rows"]
    )
    prefix = f"{HEADINGS[lang]['sheet']} {sheet}: " if sheet else ""
    omit = f" (omit {', '.join(case['omit'])})" if case.get("omit") else ""
    return f"- {prefix}{rows}{omit}"


def explain(rule: Rule, pack: Pack, lang: str = "zh") -> str:
    """One rule in full, as Markdown: what, why (the clause quoted), parameters, examples."""
    h = HEADINGS[lang]
    kind = pack.kinds[rule.kind].title[lang] if rule.kind else h["any"]
    lines = [
        f"# {rule.id} {rule.slug} — {rule.title[lang]}",
        "",
        f"- {h['severity']}: {rule.severity.name}",
        f"- {h['kind']}: {kind}",
        f"- {h['status']}: {h[rule.status]}",
        "",
        f"## {h['what']}",
        rule.description[lang],
        "",
        f"## {h['why']}",
        f"{pack.title[lang]} {rule.clause}: “{rule.quote}”" + (f"; {rule.basis}" if rule.basis else ""),
        "",
        f"## {h['message']}",
        rule.message[lang],
    ]
    if rule.params:
        lines += ["", f"## {h['params']}", "```yaml",
                  yaml.safe_dump(rule.params, allow_unicode=True, sort_keys=False).rstrip(), "```"]
    for which in ("fail", "pass"):
        cases = rule.examples.get(which, [])
        if cases:
            lines += ["", f"## {h[which]}", *(_example(c, lang) for c in cases)]
    return "\n".join(lines) + "\n"


def catalogue(pack: Pack, lang: str = "zh") -> str:
    """Every rule of the pack, for docs/rules.md."""
    return "\n".join(explain(rule, pack, lang) for rule in pack.rules.values())
