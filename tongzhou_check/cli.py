"""The command line: parse options, call the engine, pick a format, set the exit code."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.progress import Progress
from rich.table import Table

from tongzhou_check import __version__
from tongzhou_check.engine import audit as run_audit
from tongzhou_check.engine import today
from tongzhou_check.explain import catalogue
from tongzhou_check.explain import explain as explain_rule
from tongzhou_check.formats import FORMATS, SUFFIXES
from tongzhou_check.formats.table import render as render_table
from tongzhou_check.inputs import NoInput, expand
from tongzhou_check.model import Severity
from tongzhou_check.pack import Pack, PackError, load_pack

app = typer.Typer(
    name="tzcheck",
    help="政务公开清单合规检查(通政办发〔2018〕23号)/ Compliance checker for government disclosure workbooks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
rules_app = typer.Typer(help="规则包中的规则 / the rules of a pack", invoke_without_command=True)
app.add_typer(rules_app, name="rules")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
BIG_FILE = 5 * 1024 * 1024


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    never = "never"


class Format(StrEnum):
    table = "table"
    json = "json"


RulesOpt = Annotated[
    Path | None, typer.Option("--rules", help="规则包目录或 pack.yaml(默认内置 tongzhou-2018)/ rule pack")
]
LangOpt = Annotated[Lang, typer.Option("--lang", help="提示语言 / message language")]


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]tzcheck:[/] {message}", markup=True, soft_wrap=True)
    return typer.Exit(2)


def _pack(location: Path | None) -> Pack:
    try:
        return load_pack(location)
    except PackError as exc:
        raise _fail(f"规则包无效 / invalid rule pack: {exc.file}: {exc.path}: {exc.problem}") from None


def _as_of(text: str | None) -> dt.date:
    if text is None:
        return today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _fail(f"--as-of 应为 YYYY-MM-DD / --as-of must be YYYY-MM-DD: {text!r}") from None


@app.command()
def audit(
    paths: Annotated[list[str], typer.Argument(help="工作簿、目录或通配符 / workbooks, directories, globs")],
    rules: RulesOpt = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="判断期限的日期 YYYY-MM-DD(默认北京时间今天)/ date deadlines are judged at"),
    ] = None,
    format: Annotated[Format, typer.Option("--format", help="标准输出的格式 / what goes to stdout")] = Format.table,
    output: Annotated[
        list[Path] | None, typer.Option("--output", "-o", help="另存报告文件,格式按后缀 / also write a report file")
    ] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="退出码为1的门槛 / threshold for exit 1")] = FailOn.error,
    lang: LangOpt = Lang.zh,
    year: Annotated[int | None, typer.Option("--year", help="按年检查的规则所查年份 / audited year")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="出错时显示调用栈 / show tracebacks")] = False,
) -> None:
    """检查工作簿 / audit workbooks."""
    pack = _pack(rules)
    day = _as_of(as_of)
    for target in output or []:
        if target.suffix.lower() not in SUFFIXES:
            raise _fail(f"不支持的报告格式 / unsupported report format: {target} "
                        f"(supported: {', '.join(SUFFIXES)})")
    try:
        files = expand(paths)
    except NoInput as exc:
        raise _fail(str(exc)) from None
    try:
        report = _run(files, pack, day, year)
    except Exception as exc:
        if debug:
            raise
        raise _fail(f"内部错误 / internal error: {type(exc).__name__}: {exc} (--debug shows the traceback)") from None
    if format is Format.table:
        render_table(report, lang.value, out)
    else:
        sys.stdout.write(FORMATS[format.value](report, lang.value))
    for target in output or []:
        target.write_text(FORMATS[SUFFIXES[target.suffix.lower()]](report, lang.value), encoding="utf-8")
    worst = report.worst()
    threshold = None if fail_on is FailOn.never else Severity[fail_on.value]
    raise typer.Exit(1 if threshold is not None and worst is not None and worst >= threshold else 0)


def _run(files: list[tuple[Path, str]], pack: Pack, day: dt.date, year: int | None):
    big = len(files) > 1 or any(p.stat().st_size > BIG_FILE for p, _ in files if p.exists())
    if not (big and err.is_terminal):
        return run_audit(files, pack, day, year)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("检查中 / auditing", total=len(files))
        return run_audit(files, pack, day, year, progress=lambda shown: progress.advance(task))


@rules_app.callback()
def rules_list(
    ctx: typer.Context,
    rules: RulesOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """列出规则 / list the rules (`tzcheck rules show ID` for one)."""
    if ctx.invoked_subcommand is not None:
        return
    pack = _pack(rules)
    table = Table(title=f"{pack.id} {pack.version}", title_justify="left")
    for name in ("id", "slug", "severity", "clause", "title", "status"):
        table.add_column(name)
    for rule in pack.rules.values():
        table.add_row(rule.id, rule.slug, rule.severity.name, rule.clause, rule.title[lang.value], rule.status)
    out.print(table)


@rules_app.command("list")
def rules_list_command(rules: RulesOpt = None, lang: LangOpt = Lang.zh) -> None:
    """列出规则 / list the rules."""
    pack = _pack(rules)
    for rule in pack.rules.values():
        typer.echo(f"{rule.id}\t{rule.slug}\t{rule.severity.name}\t{rule.clause}\t{rule.title[lang.value]}"
                   f"\t{rule.status}")


@rules_app.command("docs")
def rules_docs(rules: RulesOpt = None, lang: LangOpt = Lang.zh) -> None:
    """全部规则的说明(Markdown,生成 docs/rules.md)/ every rule as Markdown."""
    sys.stdout.write(catalogue(_pack(rules), lang.value))


def _rule(pack: Pack, rule_id: str):
    rule = pack.rule(rule_id)
    if rule is None:
        raise _fail(f"没有这条规则 / no such rule: {rule_id}")
    return rule


@rules_app.command("show")
def rules_show(rule_id: Annotated[str, typer.Argument(metavar="ID")], rules: RulesOpt = None,
               lang: LangOpt = Lang.zh) -> None:
    """一条规则的元数据与参数 / one rule's metadata and parameters."""
    pack = _pack(rules)
    rule = _rule(pack, rule_id)
    out.print(f"{rule.id}  {rule.slug}  [{rule.severity.name}]  {rule.clause}  {rule.title[lang.value]}", markup=False)
    out.print(f"status: {rule.status}   check: {rule.check or '-'}   kind: {rule.kind or '*'}", markup=False)
    out.print(f"params: {rule.params or {}}", markup=False)
    out.print(f"file: {rule.file}", markup=False)


@app.command()
def explain(rule_id: Annotated[str, typer.Argument(metavar="ID")], rules: RulesOpt = None,
            lang: LangOpt = Lang.zh) -> None:
    """一条规则的完整说明:检查什么、依据、示例 / one rule in full."""
    pack = _pack(rules)
    text = explain_rule(_rule(pack, rule_id), pack, lang.value)
    if out.is_terminal:
        out.print(Markdown(text))
    else:
        sys.stdout.write(text)


@app.callback(invoke_without_command=True)
def _main(version: Annotated[bool, typer.Option("--version", help="显示版本 / show the version")] = False) -> None:
    if version:
        out.print(f"tzcheck {__version__}")
        raise typer.Exit(0)


def main() -> None:
    app()
