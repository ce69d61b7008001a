"""`tzcheck audit --show-settings`: the effective settings, each with where it came from, and the files an audit
would read."""

from __future__ import annotations

from typing import Any

from tongzhou_check.settings import Inputs, Settings

ORIGIN = {
    "zh": {"option": "命令行", "config": "配置文件", "default": "默认"},
    "en": {"option": "command line", "config": "configuration", "default": "default"},
}
TEXT = {
    "zh": {"title": "生效的设置(来源):", "config": "配置文件", "none": "(无)", "own_year": "每个工作簿自己的年度",
           "own_as_of": "该年度已结束取年末,否则今天", "all": "全部", "files": "将检查的文件:",
           "skipped": "跳过(不是工作簿):", "excluded": "按 --exclude 排除 {count} 个文件"},
    "en": {"title": "Effective settings (where from):", "config": "configuration file", "none": "(none)",
           "own_year": "each workbook's own year", "own_as_of": "that year's end once over, else today",
           "all": "all", "files": "Files to audit:", "skipped": "Skipped (not workbooks):",
           "excluded": "{count} files excluded by --exclude"},
}


def _show(value: Any, none: str) -> str:
    if value is None or value == [] or value == {} or value == ():
        return none
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def lines(settings: Settings, given: Inputs, lang: str) -> list[str]:
    text, origin = TEXT[lang], ORIGIN[lang]
    chosen = settings.selection.values if settings.selection is not None else settings.config.values
    pack = settings.pack
    values: list[tuple[str, Any]] = [
        ("rules", f"{pack.id} {pack.version} ({pack.root})"),
        ("as_of", settings.as_of.isoformat() if settings.as_of else text["own_as_of"]),
        ("year", settings.year or (settings.as_of.year if settings.as_of else text["own_year"])),
        ("calendar", settings.calendar.source),
        ("lang", settings.lang),
        ("fail_on", settings.fail_on),
        ("jobs", settings.jobs),
        ("scheduler", settings.scheduler),
        ("agency", settings.agency or settings.config.get("agency")),
        ("baseline", settings.baseline),
        ("select", chosen.get("select") or text["all"]),
        ("ignore", chosen.get("ignore")),
        ("severity", chosen.get("severity")),
        ("exclude", list(settings.exclude)),
    ]
    width = max(len(key) for key, _ in values)
    out = [text["title"], f"  {text['config']}: {settings.config.path or text['none']}"]
    for key, value in values:
        source = settings.sources.get(key, "default")
        out.append(f"  {key:<{width}} = {_show(value, text['none'])}  [{origin[source]}]")
    out.append(text["files"])
    out += [f"  {shown}" for _, shown in given.files]
    if given.skipped:
        out.append(text["skipped"])
        out += [f"  {name}" for name in given.skipped]
    if given.excluded:
        out.append(text["excluded"].format(count=given.excluded))
    return out
