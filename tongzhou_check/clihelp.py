"""Help and usage errors in the user's language: help texts written `中文 / English` shown in one language
(Chinese by default; English with --lang en or an English locale), wrapped by terminal cells, and the command-line
library's own errors (a missing argument, a bad choice, an unknown option) in Chinese and English, with "did you
mean" — never its English alone."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

from typer import _click as click
from typer._click import exceptions as errors
from typer._click.formatting import HelpFormatter

from tongzhou_check.linebreak import cells, wrap
from tongzhou_check.text import did_you_mean

_SPLIT = re.compile(r"\s?/ (?=[A-Za-z`'\"(\-])")  # `中文 / English` and `中文(……)/ English`
_TYPE = re.compile(r" <(?:list\[\w+\]|str|path|Path|bool|int|int range|float)>")  # a Python type as a metavar
_REQUIRED_ARG = re.compile(r"\{([^{}|]+)\}")  # the library's `{paths}` for a required argument
TERMS = {"zh": {"[required]": "[必填]", "Show this message and exit.": "显示本帮助并退出。", "required": "必填"},
         "en": {}}
HEADINGS = {"zh": {"Usage": "用法", "Options": "选项", "Arguments": "参数", "Commands": "命令"}, "en": {}}
WORDS = {"zh": {"[OPTIONS]": "[选项]", "COMMAND": "命令", "[ARGS]...": "[参数]..."}, "en": {}}


def language(args: Sequence[str]) -> str:
    """The help's language: --lang on the command line, else the locale's (English for en_*), else Chinese."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return "en" if args[i + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg.endswith("=en") else "zh"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def pick(text: str | None, lang: str) -> str | None:
    """One language of a `中文 / English` text (a text in one language as it is)."""
    if not text:
        return text
    parts = _SPLIT.split(text, maxsplit=1)
    if len(parts) != 2:
        return text
    return parts[1].strip() if lang == "en" else parts[0].strip()


class CellFormatter(HelpFormatter):
    """Click's help formatter, measuring and wrapping by terminal cells (a Chinese character takes two) and breaking
    lines at punctuation, so no help line overflows or is cut."""

    lang = "zh"

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        words = WORDS[self.lang]
        args = " ".join(words.get(word, word) for word in _REQUIRED_ARG.sub(r"\1", args).split(" "))
        heading = HEADINGS[self.lang].get("Usage", "Usage")
        super().write_usage(prog, args, f"{heading}: " if prefix is None else prefix.replace("Usage", heading))

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS[self.lang].get(heading, heading))

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for n, paragraph in enumerate(text.split("\n\n")):
            self.write("\n" if n else "")
            for line in wrap(" ".join(paragraph.split()), max(self.width - self.current_indent, 20)):
                self.write(f"{indent}{line}\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        terms = TERMS[self.lang]
        rows = [(_TYPE.sub("", first), terms.get(second, second)) for first, second in rows]
        rows = [(first, second.replace("[required]", terms.get("[required]", "[required]"))) for first, second in rows]
        first_col = min(max((cells(first) for first, _ in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cells(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cells(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(" ".join(second.split()), max(self.width - first_col - self.current_indent - 1, 16))
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


def localise(command: click.Command, lang: str) -> None:
    """Every help text and metavar of a command tree in one language, and its help formatted by cells."""
    formatter = type("Formatter", (CellFormatter,), {"lang": lang})
    context = type("Context", (command.context_class,), {"formatter_class": formatter})
    stack: list[click.Command] = [command]
    while stack:
        cmd = stack.pop()
        cmd.context_class = context
        cmd.help = pick(cmd.help, lang)
        cmd.short_help = pick(cmd.short_help, lang)
        for param in cmd.params:
            if getattr(param, "help", None):
                param.help = pick(param.help, lang)
            if param.metavar:
                param.metavar = pick(param.metavar, lang)
        stack += list(getattr(cmd, "commands", {}).values())  # a group's commands


def _choice(message: str) -> tuple[str, list[str]] | None:
    m = re.search(r"'([^']*)' is not one of (.+?)\.?$", message)
    if not m:
        return None
    return m[1], re.findall(r"'([^']*)'", m[2])


def _explain(exc: errors.BadParameter) -> str:
    """A bad value's problem in Chinese (the English as the library wrote it follows the slash)."""
    message = exc.message
    choice = _choice(message)
    if choice:
        value, choices = choice
        return f"“{value}”不是可选值({'、'.join(choices)})之一{did_you_mean(value, choices)}"
    if m := re.search(r"greater than or equal to (\S+)", message):
        return f"应不小于 {m[1]}"
    if m := re.search(r"less than or equal to (\S+)", message):
        return f"应不大于 {m[1]}"
    if "valid integer" in message:
        return "应为整数"
    if "does not exist" in message:
        return "不存在"
    return "值无效"


def translated(exc: errors.ClickException) -> str:
    """The library's error as `中文 / English`."""
    english = exc.format_message()
    if isinstance(exc, errors.MissingParameter):
        param = exc.param
        name = (param.metavar or param.name or "").rstrip(".") if param is not None else ""
        if param is not None and param.param_type_name == "option":
            name = "/".join(param.opts)
        kind = "参数" if (exc.param_type or getattr(param, "param_type_name", "")) == "argument" else "选项"
        return f"缺少{kind} {name} / {english}"
    if isinstance(exc, errors.NoSuchOption):
        hint = f"(是否要找 {', '.join(sorted(exc.possibilities))}?)" if exc.possibilities else ""
        return f"没有这个选项:{exc.option_name}{hint} / {english}"
    if isinstance(exc, errors.BadOptionUsage) and "requires an argument" in english:
        return f"选项 {exc.option_name} 需要一个值 / {english}"
    if isinstance(exc, errors.BadParameter):
        hint = exc.param_hint or (exc.param.get_error_hint() if exc.param is not None else "")
        hint = " / ".join(hint) if isinstance(hint, list | tuple) else hint
        return f"{hint} 的值无效:{_explain(exc)} / {english}"
    if m := re.match(r"No such command '([^']+)'", english):
        ctx = getattr(exc, "ctx", None)
        names = list(getattr(ctx.command, "commands", {})) if ctx is not None else []
        return f"没有这个命令:{m[1]}{did_you_mean(m[1], names)} / {english}"
    return english


def usage_lines(exc: errors.UsageError) -> list[str]:
    """The usage line and where help is, above the message."""
    ctx = exc.ctx
    if ctx is None:
        return []
    hint = f"{ctx.command_path} -h"
    return [ctx.get_usage(), f"帮助 / help: {hint}"]


def is_usage_error(exc: BaseException) -> bool:
    return isinstance(exc, errors.UsageError) and not isinstance(exc, errors.NoArgsIsHelpError)


def shown(exc: Any) -> bool:
    """Errors the library shows itself (a request for help when no arguments are given)."""
    return isinstance(exc, errors.NoArgsIsHelpError)
