"""The command line: the list of commands. Each parses its options, resolves settings, calls the engine or a
command module, picks a format and sets the exit code. What only one command needs is imported by it."""

from __future__ import annotations

import dataclasses
import gc
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
import typer.core
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer import _click as click  # typer ≥ 0.26 vendors click and no longer installs it

from tongzhou_check import __version__
from tongzhou_check.audityear import Pin
from tongzhou_check.baseline import BaselineError, read_baseline, with_baseline, write_baseline
from tongzhou_check.clihelp import is_usage_error, language, localise, translated, usage_lines
from tongzhou_check.engine import Collect
from tongzhou_check.engine import audit as run_audit
from tongzhou_check.formats import EXPORT_SUFFIXES, FORMATS, HUMAN, STREAMS, SUFFIXES
from tongzhou_check.formats.records import period_record
from tongzhou_check.formats.summary import period_lines
from tongzhou_check.formats.table import render as render_table
from tongzhou_check.inputs import STDIN, NoInput, save_stdin
from tongzhou_check.labels import period_text
from tongzhou_check.model import TABLE_LIMIT, Report
from tongzhou_check.packtypes import Pack, Rule
from tongzhou_check.serve.cli import serve_app  # typer only: the web stack loads when `tzcheck serve` runs
from tongzhou_check.settings import (
    FIRST_YEAR,
    LAST_YEAR,
    Inputs,
    Settings,
    UsageError,
    annotated_copies,
    appendix_pin,
    appendix_year,
    available_cores,
    inputs,
    parse_date,
    read_calendar,
    read_pack,
    resolve,
    writable,
)
from tongzhou_check.sources import local_copy
from tongzhou_check.text import did_you_mean
from tongzhou_check.workday_text import Uncovered, answer, calendar_notes


class _Commands(typer.core.TyperGroup):
    """The command group: help in the user's language (clihelp); a UsageError from any command, or the command-line
    library's own (a missing argument, a bad choice), is its message on stderr and exit 2, never a traceback."""

    def main(self, args: list[str] | None = None, *rest: object, **extra: object) -> object:
        localise(self, language(sys.argv[1:] if args is None else args))
        return super().main(args, *rest, **extra)

    def make_context(self, *args: object, **extra: object) -> click.Context:
        try:
            return super().make_context(*args, **extra)
        except Exception as exc:
            if not is_usage_error(exc):
                raise
            raise _library_error(exc) from None

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise _fail(str(exc)) from None
        except Exception as exc:
            if not is_usage_error(exc):
                raise
            raise _library_error(exc) from None


def _library_error(exc: Exception) -> typer.Exit:
    for line in usage_lines(exc):
        err.print(line, markup=False, soft_wrap=True, highlight=False)
    return _fail(translated(exc))


app = typer.Typer(
    cls=_Commands,
    name="tzcheck",
    help="政务公开清单合规检查(通政办发〔2018〕23号)/ Compliance checker for government disclosure workbooks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,  # plain help, wrapped by terminal cells (clihelp): rich cuts Chinese help short
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(help="规则包中的规则 / the rules of a pack", invoke_without_command=True)
app.add_typer(rules_app, name="rules")
baseline_app = typer.Typer(help="基线:已知问题不再阻断 / baselines of accepted findings", no_args_is_help=True)
app.add_typer(baseline_app, name="baseline")
app.add_typer(serve_app, name="serve")

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


Format = StrEnum("Format", {name: name for name in FORMATS})  # every registered output format


RulesOpt = Annotated[
    Path | None,
    typer.Option("--rules", metavar="目录 / DIR", help="规则包目录或 pack.yaml(默认内置 tongzhou-2018)/ rule pack"),
]
LangOpt = Annotated[Lang, typer.Option("--lang", help="提示语言 / message language")]
CalendarOpt = Annotated[
    Path | None,
    typer.Option("--calendar", metavar="文件 / FILE",
                 help="补充或更正年份的节假日 YAML 文件 / a YAML file adding or correcting years"),
]


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]tzcheck:[/] {escape(message)}", markup=True, soft_wrap=True)  # a message may hold [brackets]
    return typer.Exit(2)


@contextmanager
def _writing(target: Path) -> Iterator[None]:
    """A file that cannot be written (no such directory, a directory, no permission) is a usage error."""
    try:
        yield
    except OSError as exc:
        raise UsageError(f"无法写入 / cannot write {target}: {exc.strerror or exc}") from None


AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", metavar="日期 / DATE",
                 help="判断期限的日期 YYYY-MM-DD(默认:工作簿所属年度已结束则取年末,否则北京时间今天)/ "
                      "the date deadlines are judged at (default: the end of the workbook's year once over, else "
                      "today)"),
]
YearOpt = Annotated[
    int | None,
    typer.Option("--year", min=FIRST_YEAR, max=LAST_YEAR, metavar="年份 / YEAR",
                 help="审计年度(默认取自工作簿的标题、文件名或记录日期)/ the audited year (default: the workbook's "
                      "own, from its title, file name or dates)"),
]
MAX_COUNT = 3650  # working days `workdays` counts at most, either way (ten years)
AgencyOpt = Annotated[
    str | None,
    typer.Option("--agency", metavar="单位 / AGENCY",
                 help="工作簿所属单位(简称、全称或 id)/ whose workbooks these are"),
]
JobsOpt = Annotated[
    int | None, typer.Option("--jobs", "-j", min=1, metavar="N", help="并行进程数(默认 CPU 数)/ worker processes")
]
MaxCellsOpt = Annotated[
    int | None,
    typer.Option("--max-cells", min=1, metavar="N", help="单个工作表最多单元格数(默认 2000万)/ cells a sheet may hold"),
]
MaxUncompressedOpt = Annotated[
    int | None,
    typer.Option("--max-uncompressed", min=1, metavar="MIB",
                 help="工作簿解压后最大 MiB(默认 4096)/ MiB a workbook may inflate to"),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", envvar="TZCHECK_SCHEDULER", metavar="地址 / ADDRESS",
                 help="在 Dask 集群上检查:tcp://主机:8786,或 local:N 启动本机 N 个进程(优先于 --jobs)/ "
                      "audit on a Dask cluster: tcp://host:8786, or local:N"),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", metavar="文件 / FILE", help="配置文件(默认向上查找 tzcheck.toml)/ configuration file"),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="出错时显示调用栈 / show tracebacks")]
SelectOpt = Annotated[list[str] | None, typer.Option(
    "--select", metavar="规则 / RULE", help="只运行这些规则(id 或 slug,可重复)/ run only these rules")]
IgnoreOpt = Annotated[list[str] | None, typer.Option(
    "--ignore", metavar="规则 / RULE", help="不运行这些规则 / never run these rules")]
ExtendOpt = Annotated[list[str] | None, typer.Option(
    "--extend-select", metavar="规则 / RULE", help="在所选规则之外再运行这些 / run these rules too")]
SeverityOpt = Annotated[list[str] | None, typer.Option(
    "--severity", metavar="规则=级别 / RULE=LEVEL",
    help="改变规则的级别,如 TZ103=info / a rule's severity, e.g. TZ103=info")]
ExcludeOpt = Annotated[list[str] | None, typer.Option(
    "--exclude", metavar="通配符 / GLOB", help="不检查匹配的文件,如 '草稿/*' / never audit files matching a glob")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="只输出问题,不输出提示 / findings only, no notes")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="输出更多过程信息 / more notes on stderr")]
PathsArg = Annotated[list[str], typer.Argument(
    metavar="路径 / PATH", help="工作簿、目录或通配符;- 为标准输入 / workbooks, directories, globs; - for stdin")]


def _note(message: str, quiet: bool = False) -> None:
    if not quiet:
        err.print(f"tzcheck: {message}", markup=False, soft_wrap=True, highlight=False)


def _given(paths: list[str], settings: Settings, outputs: list[Path] = (),
           suffixes: tuple[str, ...] = tuple(SUFFIXES), copies: list[Path] = (), quiet: bool = False) -> Inputs:
    """The inputs (stdin saved to a file when `-` is one) and outputs checked; a note for each file skipped."""
    stdin = None
    if STDIN in paths:
        if copies:
            raise UsageError("批注副本不能针对标准输入 / an annotated copy cannot be made of stdin")
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="tzcheck-stdin-"))
        _SAVED.append(folder)
        try:
            stdin = save_stdin(sys.stdin.buffer.read(), folder)
        except NoInput as exc:
            raise UsageError(str(exc)) from None
    given = inputs(paths, settings, outputs, suffixes, copies, stdin=stdin)
    for name in given.skipped:
        _note(f"跳过,不是工作簿 / skipped, not a workbook: {name}", quiet)
    for name in given.irregular:
        _note(f"跳过,不是普通文件 / skipped, not a regular file: {name}", quiet)
    if given.excluded:
        _note(f"按 --exclude 排除 {given.excluded} 个文件 / {given.excluded} files excluded", quiet)
    return given


def _run(paths: list[str], settings: Settings, debug: bool, outputs: list[Path] = (),
         suffixes: tuple[str, ...] = tuple(SUFFIXES), collect: Collect | None = None, pin: Pin | None = None,
         copies: list[Path] = (), quiet: bool = False, given: Inputs | None = None) -> Report:
    """The audit of the inputs with the settings (inputs and outputs checked first), on a cluster if one is named,
    a progress bar for big runs."""
    given = given or _given(paths, settings, outputs, suffixes, copies, quiet)
    options = {"calendar": settings.calendar, "agencies": given.agencies, "jobs": settings.jobs, "collect": collect,
               "pin": pin or settings.pin, "limits": settings.limits}
    big = len(given.files) > 1 or any(
        p.stat().st_size > BIG_FILE for p, _ in given.files if isinstance(p, Path) and p.exists())
    try:
        with ExitStack() as stack:
            if settings.scheduler:
                from tongzhou_check.cluster import ClusterError, connect  # Dask: loaded only when asked for

                try:
                    options["runner"] = stack.enter_context(connect(settings.scheduler, available_cores()))
                except ClusterError as exc:
                    raise UsageError(str(exc)) from None
            if not (big and err.is_terminal) or quiet:
                return run_audit(given.files, settings.pack, **options)
            from rich.progress import Progress

            progress = stack.enter_context(Progress(console=err, transient=True))
            task = progress.add_task("检查中 / auditing", total=len(given.files))
            return run_audit(given.files, settings.pack, progress=lambda shown: progress.advance(task), **options)
    except UsageError:
        raise
    except Exception as exc:
        if debug:
            raise
        raise _fail(f"内部错误 / internal error: {type(exc).__name__}: {exc} (--debug shows the traceback)") from None


def _utf8(text: str) -> None:
    """Text for programs and files (JSON, HTML, Markdown …): UTF-8 bytes on stdout whatever the console's encoding
    (a redirected stdout on Chinese Windows is GBK, which would garble it or fail on ✗)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8", "replace"))  # "replace": a lone surrogate from a damaged cell
    buffer.flush()


def _write_stdout(report: Report, name: str, lang: str) -> None:
    """A format on stdout: the machine formats as UTF-8 bytes (JSON and SARIF streamed), concise as text in the
    console's encoding (degraded where it cannot show a character)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if name in STREAMS and buffer is not None:
        sys.stdout.flush()
        STREAMS[name](report, lang, buffer)
        buffer.flush()
    elif name in HUMAN:
        sys.stdout.write(FORMATS[name](report, lang))
    else:
        _utf8(FORMATS[name](report, lang))


@app.command()
def audit(
    paths: PathsArg,
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[
        Format | None,
        typer.Option("--format", help="标准输出的格式(默认:终端上 table,否则 concise)/ what goes to stdout"),
    ] = None,
    output: Annotated[
        list[Path] | None,
        typer.Option("--output", "-o", metavar="文件 / FILE",
                     help="另存报告文件,格式按后缀;.xlsx:只指定一个工作簿文件时为其批注副本,否则(目录、通配符、多个"
                          "路径)为问题清单;.csv 总是问题清单 / also write a report file, its format by suffix; "
                          ".xlsx: the annotated copy of one named workbook, else the findings export of all; .csv: "
                          "the export"),
    ] = None,
    fail_on: Annotated[
        FailOn | None, typer.Option("--fail-on", help="退出码为1的门槛(默认 error)/ threshold for exit 1")
    ] = None,
    lang: Annotated[Lang | None, typer.Option("--lang", help="提示语言(默认 zh)/ message language")] = None,
    year: YearOpt = None,
    calendar: CalendarOpt = None,
    agency: AgencyOpt = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", metavar="文件 / FILE", help="基线文件:其中的问题不再导致失败 / a baseline file"),
    ] = None,
    jobs: JobsOpt = None,
    scheduler: SchedulerOpt = None,
    max_cells: MaxCellsOpt = None,
    max_uncompressed: MaxUncompressedOpt = None,
    config: ConfigOpt = None,
    show_all: Annotated[
        bool, typer.Option("--show-all", help="表格列出全部问题(默认每表最多50个)/ the table lists every finding")
    ] = False,
    show_suppressed: Annotated[
        bool, typer.Option("--show-suppressed",
                           help="表格逐条列出基线中的问题(默认每个文件只统计一行)/ the table lists baselined findings")
    ] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="最后按规则统计问题数 / end with the count of findings per rule")
    ] = False,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    extend_select: ExtendOpt = None,
    severity: SeverityOpt = None,
    exclude: ExcludeOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    show_settings: Annotated[
        bool, typer.Option("--show-settings", help="显示生效的设置及来源,不检查 / show the effective settings")
    ] = False,
    debug: DebugOpt = False,
) -> None:
    """检查工作簿 / audit workbooks."""
    settings = resolve(config=config, rules=rules, as_of=as_of, year=year, calendar=calendar,
                       lang=lang and lang.value, fail_on=fail_on and fail_on.value, jobs=jobs, agency=agency,
                       baseline=baseline, scheduler=scheduler, select=select, ignore=ignore,
                       extend_select=extend_select, severity=severity, exclude=exclude, max_cells=max_cells,
                       max_uncompressed_mib=max_uncompressed)
    copies = annotated_copies(paths, output or [])  # else an .xlsx output is the findings export
    if settings.baseline is not None:  # checked before the audit, like the outputs
        try:
            read_baseline(settings.baseline)
        except BaselineError as exc:
            raise UsageError(f"基线文件无效 / invalid baseline: {exc}") from None
    given = _given(paths, settings, output or [], (*SUFFIXES, *EXPORT_SUFFIXES), copies, quiet)
    if show_settings:
        from tongzhou_check.settings_text import lines as settings_lines

        typer.echo("\n".join(settings_lines(settings, given, settings.lang)))
        raise typer.Exit(0)
    if verbose:
        active = sum(r.active for r in settings.pack.rules.values())
        _note(f"检查 {len(given.files)} 个文件,运行 {active} 条规则 / auditing {len(given.files)} files with "
              f"{active} rules")
    report = _run(paths, settings, debug, given=given, quiet=quiet)
    if verbose:
        for result in report.files:
            if result.period is not None:
                _note(f"{result.path}: {period_text(period_record(result.period), settings.lang)}")
        for line in calendar_notes(report, settings.pack, settings.lang):
            _note(line)
    if settings.baseline is not None:
        try:
            report = with_baseline(report, settings.baseline)
        except BaselineError as exc:
            raise UsageError(f"基线文件无效 / invalid baseline: {exc}") from None
    report = dataclasses.replace(report, fail_on=settings.fail_on, table_limit=None if show_all else TABLE_LIMIT,
                                 statistics=statistics, show_suppressed=show_suppressed)
    name = format.value if format is not None else "table" if out.is_terminal else "concise"
    if name == "table":
        render_table(report, settings.lang, out)
    else:
        _write_stdout(report, name, settings.lang)
        if name not in HUMAN:  # the year and as-of used, for formats a CI log shows as they are (github)
            for line in period_lines(report, settings.lang):
                _note(line, quiet)
    for target in output or []:
        with _writing(target):
            if target not in copies and target.suffix.lower() in EXPORT_SUFFIXES:
                from tongzhou_check.formats.export import write as write_export

                write_export(report, settings.lang, target)
                continue
            if target not in copies:
                name = SUFFIXES[target.suffix.lower()]
                if name in STREAMS:
                    with target.open("wb") as fh:
                        STREAMS[name](report, settings.lang, fh)
                else:
                    target.write_text(FORMATS[name](report, settings.lang), encoding="utf-8")
                continue
            from tongzhou_check.annotate import AnnotateError, annotate  # openpyxl: loaded only when needed

            try:
                with local_copy(report.files[0].path) as source:
                    copied = annotate(report, source, target, settings.lang)
            except AnnotateError as exc:
                raise UsageError(f"无法生成批注副本 / cannot write the annotated copy: {exc}") from None
            for note in copied.notes:  # what the copy shows or lacks that the original does not
                _note(f"{target}: {note}", quiet)
    raise typer.Exit(1 if report.failed() else 0)


class TableFormat(StrEnum):
    f2021 = "2021"
    f2019 = "2019"


@app.command()
def report(
    paths: PathsArg,
    output: Annotated[
        list[Path] | None,
        typer.Option("--output", "-o", metavar="文件 / FILE",
                     help="附件文件 .xlsx .docx .html .md,可重复;省略则输出 Markdown / files to write"),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", min=FIRST_YEAR, max=LAST_YEAR, metavar="年份 / YEAR",
                     help="报告年度(默认 --as-of 所在年度,否则上一年度)/ the report's year"),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="日期 / DATE",
                                 help="统计与判断期限的日期(默认:该年度已结束取年末,否则今天)/ the date counted to")
    ] = None,
    table_format: Annotated[
        TableFormat, typer.Option("--table-format", help="附表3格式:2021(国办公开办函〔2021〕30号)或 2019 试行格式")
    ] = TableFormat.f2021,
    rules: RulesOpt = None,
    lang: Annotated[Lang | None, typer.Option("--lang", help="附件语言(默认 zh)/ language")] = None,
    calendar: CalendarOpt = None,
    agency: AgencyOpt = None,
    jobs: JobsOpt = None,
    scheduler: SchedulerOpt = None,
    max_cells: MaxCellsOpt = None,
    max_uncompressed: MaxUncompressedOpt = None,
    config: ConfigOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    extend_select: ExtendOpt = None,
    severity: SeverityOpt = None,
    exclude: ExcludeOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """年度报告附件:合规概况、规则执行、依申请公开(表三)、重点领域、职责落实 / the annual-report appendix."""
    settings = resolve(config=config, rules=rules, as_of=as_of, year=year, calendar=calendar,
                       lang=lang and lang.value, jobs=jobs, agency=agency, scheduler=scheduler, select=select,
                       ignore=ignore, extend_select=extend_select, severity=severity, exclude=exclude,
                       max_cells=max_cells, max_uncompressed_mib=max_uncompressed)
    from tongzhou_check.appendix.facts import collect as collect_facts  # only this command counts the appendix
    from tongzhou_check.appendix.tables import build as build_appendix
    from tongzhou_check.grids import SUFFIXES as APPENDIX_SUFFIXES
    from tongzhou_check.grids import write as write_appendix
    from tongzhou_check.grids.markdown import render as render_markdown

    audited = _run(paths, settings, debug, output or [], suffixes=APPENDIX_SUFFIXES, collect=collect_facts,
                   pin=appendix_pin(settings), quiet=quiet)
    year = appendix_year(audited)
    appendix = build_appendix(audited, settings.pack, year, table_format.value, settings.lang)
    if not output:
        _utf8(render_markdown(appendix))
    for target in output or []:
        with _writing(target):
            write_appendix(appendix, target)
        _note(f"已写入 / written: {target}", quiet)


@app.command()
def template(
    output: Annotated[Path, typer.Option("--output", "-o", metavar="文件 / FILE",
                                         help="要生成的 .xlsx 文件 / the workbook to write")],
    rules: RulesOpt = None,
    lang: LangOpt = Lang.zh,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件 / overwrite an existing file")] = False,
) -> None:
    """空白报送工作簿:每类工作表、标准表头和下拉选项 / a blank submission workbook."""
    pack = read_pack(rules)
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"模板须为 .xlsx 文件 / the template must be an .xlsx file: {output}")
    if output.exists() and not force:
        raise UsageError(f"文件已存在,不会覆盖(可加 --force)/ the file exists and is not overwritten: {output}")
    from tongzhou_check.template import write_template  # openpyxl: loaded only when needed

    with _writing(output):
        write_template(pack, output, lang.value)
    err.print(f"已写入 / written: {output}", markup=False)


@baseline_app.command("create")
def baseline_create(
    paths: PathsArg,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="文件 / FILE",
                                         help="基线文件 / the baseline file to write")],
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    year: YearOpt = None,
    calendar: CalendarOpt = None,
    agency: AgencyOpt = None,
    jobs: JobsOpt = None,
    scheduler: SchedulerOpt = None,
    max_cells: MaxCellsOpt = None,
    max_uncompressed: MaxUncompressedOpt = None,
    config: ConfigOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    extend_select: ExtendOpt = None,
    severity: SeverityOpt = None,
    exclude: ExcludeOpt = None,
    debug: DebugOpt = False,
) -> None:
    """记录当前的问题,此后审核只报告新问题 / record today's findings so later audits report only new ones."""
    settings = resolve(config=config, rules=rules, as_of=as_of, year=year, calendar=calendar, jobs=jobs,
                       agency=agency, scheduler=scheduler, select=select, ignore=ignore, extend_select=extend_select,
                       severity=severity, exclude=exclude, max_cells=max_cells, max_uncompressed_mib=max_uncompressed)
    writable(output)
    report = _run(paths, settings, debug)
    with _writing(output):
        count = write_baseline(report.findings, output)
    err.print(f"已记录 {count} 个问题 / recorded {count} findings: {output}", markup=False)


@app.command()
def workdays(
    start: Annotated[str, typer.Argument(metavar="起算日 / START", help="起算日 YYYY-MM-DD / the start date")],
    end: Annotated[str | None, typer.Argument(
        metavar="截止日 / END", help="截止日(可早于起算日,倒数)/ the end date (earlier: counted back)")] = None,
    add: Annotated[int | None, typer.Option(
        "--add", metavar="N", min=-MAX_COUNT, max=MAX_COUNT,
        help="之后第 N 个工作日(负数:之前)/ the N-th working day after (N < 0: before)")] = None,
    days: Annotated[int | None, typer.Option(
        "--days", metavar="N", min=-MAX_COUNT, max=MAX_COUNT,
        help="N 日后的期限(顺延;负数:之前)/ N days, rolled forward (N < 0: before)")] = None,
    count_start_day: Annotated[bool, typer.Option("--count-start-day", help="开始当日计入 / count day one")] = False,
    calendar: CalendarOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """工作日计算(国务院节假日安排)/ working-day arithmetic on the official calendar."""
    official = read_calendar(calendar)
    first = parse_date(start)
    if (end is None) == (add is None and days is None) or (add is not None and days is not None):
        raise UsageError("请给出截止日,或 --add N,或 --days N 之一 / give an end date, or --add N, or --days N")
    last = parse_date(end) if end is not None else None
    try:
        lines = answer(official, first, lang.value, end=last, add=add, days=days, count_start_day=count_start_day)
    except Uncovered as exc:
        raise UsageError(str(exc)) from None
    for line in lines:
        typer.echo(line)


@rules_app.callback()
def rules_list(
    ctx: typer.Context,
    rules: RulesOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """列出规则 / list the rules (`tzcheck rules show ID` for one)."""
    if ctx.invoked_subcommand is not None:
        return
    pack = read_pack(rules)
    table = Table(title=f"{pack.id} {pack.version}", title_justify="left")
    for name in ("id", "slug", "severity", "clause", "title", "status"):
        table.add_column(name)
    for rule in pack.rules.values():
        table.add_row(rule.id, rule.slug, rule.severity.name, rule.clause, rule.title[lang.value], rule.status)
    out.print(table)


@rules_app.command("list")
def rules_list_command(rules: RulesOpt = None, lang: LangOpt = Lang.zh) -> None:
    """列出规则 / list the rules."""
    pack = read_pack(rules)
    for rule in pack.rules.values():
        typer.echo(f"{rule.id}\t{rule.slug}\t{rule.severity.name}\t{rule.clause}\t{rule.title[lang.value]}"
                   f"\t{rule.status}")


@rules_app.command("docs")
def rules_docs(rules: RulesOpt = None, lang: LangOpt = Lang.zh) -> None:
    """全部规则的说明(Markdown,生成 docs/rules.md)/ every rule as Markdown."""
    from tongzhou_check.explain import catalogue

    _utf8(catalogue(read_pack(rules), lang.value))


def _rule(pack: Pack, rule_id: str) -> Rule:
    rule = pack.rule(rule_id)
    if rule is None:
        hint = did_you_mean(rule_id, [*pack.rules, *(r.slug for r in pack.rules.values())])
        raise UsageError(f"没有这条规则 / no such rule: {rule_id}{hint}")
    return rule


@rules_app.command("show")
def rules_show(rule_id: Annotated[str, typer.Argument(metavar="ID")], rules: RulesOpt = None,
               lang: LangOpt = Lang.zh) -> None:
    """一条规则的元数据与参数 / one rule's metadata and parameters."""
    pack = read_pack(rules)
    rule = _rule(pack, rule_id)
    out.print(f"{rule.id}  {rule.slug}  [{rule.severity.name}]  {rule.clause}  {rule.title[lang.value]}", markup=False)
    out.print(f"status: {rule.status}   check: {rule.check or '-'}   kind: {rule.kind or '*'}", markup=False)
    out.print(f"params: {rule.params or {}}", markup=False)
    out.print(f"file: {rule.file}", markup=False)


@app.command()
def duties(
    agency: Annotated[str | None, typer.Argument(
        metavar="单位 / AGENCY", help="单位简称、全称或 id;省略则列出全部 / an agency, or all")] = None,
    rules: RulesOpt = None,
    format: Annotated[str, typer.Option("--format", help="table 或 json")] = "table",
) -> None:
    """要点分配给单位的公开职责 / the disclosure duties the plan assigns to an agency."""
    pack = read_pack(rules)
    duty_map = pack.duty_map
    if duty_map is None:
        raise UsageError(f"规则包没有职责清单 / the pack has no duty map: {pack.root}")
    ids = list(duty_map.agencies)
    if agency is not None:
        found = duty_map.lookup(agency)
        if found is None:
            names = [name for a in duty_map.agencies.values() for name in a.names]
            raise UsageError(f"未知单位 / unknown agency: {agency}{did_you_mean(agency, names)}")
        ids = [found]
    from tongzhou_check.duty_text import as_json, as_table, records

    rows = records(duty_map, ids)
    if format not in ("table", "json"):
        raise UsageError(f"--format 应为 table 或 json / --format must be table or json: {format}")
    if format == "json":
        _utf8(as_json(rows))
        return
    out.print(as_table(rows, f"{pack.id}: " + ("、".join(duty_map.agencies[a].short for a in ids) if agency
                                             else "全部单位")))


@app.command()
def explain(rule_id: Annotated[str, typer.Argument(metavar="ID")], rules: RulesOpt = None,
            lang: LangOpt = Lang.zh) -> None:
    """一条规则的完整说明:检查什么、依据、示例 / one rule in full."""
    pack = read_pack(rules)
    from rich.markdown import Markdown

    from tongzhou_check.explain import explain as explain_rule

    text = explain_rule(_rule(pack, rule_id), pack, lang.value)
    if out.is_terminal:
        out.print(Markdown(text))
    else:
        _utf8(text)


@app.callback(invoke_without_command=True)
def _main(version: Annotated[bool, typer.Option("--version", "-V", help="显示版本 / show the version")] = False
          ) -> None:
    if version:
        out.print(f"tzcheck {__version__}")
        raise typer.Exit(0)


def _tolerant_streams() -> None:
    """What the console cannot show becomes "?" rather than a crash (a GBK console and ✗, a box-drawing line)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


_SAVED: list[Path] = []  # folders holding a workbook read from stdin, removed when the command ends


def main() -> None:
    _tolerant_streams()
    # One short-lived command makes millions of acyclic objects (findings, their records): the cyclic collector
    # would only traverse them again and again (SARIF of 100,000 findings: 2.5× slower with it). Memory is bounded
    # by the workbook, and freed when the process ends.
    gc.disable()
    try:
        app(prog_name="tzcheck")
    finally:
        import shutil

        for folder in _SAVED:
            shutil.rmtree(folder, ignore_errors=True)
