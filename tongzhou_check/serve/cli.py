"""`tzcheck serve` and `tzcheck serve users add`: registered by tongzhou_check.cli. Only typer is imported here;
the web stack (FastAPI, uvicorn, SQLAlchemy) loads when a serve command runs, so `tzcheck audit` never pays for it."""

from __future__ import annotations

import re
import secrets
import sys
from pathlib import Path
from typing import Annotated

import typer

serve_app = typer.Typer(help="报送台:浏览器上传、检查、留档 / the submission desk (a web app)",
                        invoke_without_command=True)
users_app = typer.Typer(help="报送台的账号 / the desk's accounts", no_args_is_help=True)
serve_app.add_typer(users_app, name="users")

DataOpt = Annotated[Path | None, typer.Option("--data", help="数据目录(默认用户数据目录)/ the data directory")]
DbOpt = Annotated[str | None, typer.Option("--db", help="SQLAlchemy 数据库 URL(默认数据目录中的 SQLite)/ database URL")]
RulesOpt = Annotated[Path | None, typer.Option("--rules", help="规则包目录 / rule pack")]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"tzcheck: {message}", err=True)
    return typer.Exit(2)


def _missing(exc: ImportError) -> str:
    return (f"报送台需要 serve 附加依赖 / the desk needs the serve extra: pip install 'tzcheck[serve]' "
            f"({exc.name} is missing)")


def parse_size(text: str) -> int:
    """50, 50M, 50MB, 512K, 1G, 1000B → bytes (a bare number is megabytes)."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)(I?B)?\s*", text.upper())
    if not found or (found.group(3) == "B" and not found.group(2) and "." in found.group(1)):
        raise typer.BadParameter(f"应为大小,如 50M / a size such as 50M: {text!r}")
    number, unit = float(found.group(1)), found.group(2)
    if not unit and found.group(3):
        return int(number)
    return int(number * {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "": 1 << 20}[unit])


def _settings(data: Path | None, db: str | None, **more: object):  # -> ServeSettings (imported lazily)
    from tongzhou_check.serve.config import ServeSettings, default_data_dir

    return ServeSettings(data=(data or default_data_dir()).expanduser().resolve(), db_url=db, **more)


@serve_app.callback()
def serve(
    ctx: typer.Context,
    data: DataOpt = None,
    db: DbOpt = None,
    host: Annotated[str, typer.Option("--host", help="监听地址(默认仅本机)/ address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="端口 / port")] = 8000,
    max_upload: Annotated[str, typer.Option("--max-upload", help="上传大小上限 / upload size cap")] = "50M",
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="同时检查的进程数 / audit processes")] = 2,
    rules: RulesOpt = None,
    config: Annotated[Path | None, typer.Option("--config", help="tzcheck.toml 配置文件 / configuration")] = None,
    lang: Annotated[str, typer.Option("--lang", help="页面默认语言 zh 或 en / the pages' default language")] = "zh",
    secure_cookies: Annotated[bool, typer.Option("--secure-cookies", help="总是设 Secure(HTTPS 反向代理之后)"
                                                 " / always Secure cookies (behind HTTPS)")] = False,
    audit_timeout: Annotated[float, typer.Option("--audit-timeout", min=1, help="单次检查时限(秒)/ seconds")] = 600,
) -> None:
    """启动报送台(默认 http://127.0.0.1:8000)/ start the desk."""
    if ctx.invoked_subcommand is not None:
        return
    if lang not in ("zh", "en"):
        raise _fail("--lang 应为 zh 或 en / --lang must be zh or en")
    try:
        import uvicorn

        from tongzhou_check.serve.app import create_app
    except ImportError as exc:
        raise _fail(_missing(exc)) from None
    settings = _settings(data, db, host=host, port=port, max_upload=parse_size(max_upload), workers=workers,
                         rules=rules, config=config, lang=lang, secure_cookies=secure_cookies,
                         audit_timeout=audit_timeout)
    try:
        app = create_app(settings)
    except Exception as exc:  # a database that cannot be reached, a data directory that cannot be written
        raise _fail(f"报送台无法启动 / the desk cannot start: {type(exc).__name__}: {exc}") from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"注意:监听 {host},本机以外也可访问 / note: listening on {host}, reachable from other hosts",
                   err=True)
    typer.echo(f"tzcheck serve: http://{host}:{port}/  (data: {settings.data})", err=True)
    uvicorn.run(app, host=host, port=port, proxy_headers=True, forwarded_allow_ips="127.0.0.1",
                log_level="info", server_header=False)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="用户名 / user name")],
    agency: Annotated[str | None, typer.Option("--agency", help="所属单位(简称、全称或 id)/ the user's agency")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="区政务公开办账号:查看全部单位 / the office")] = False,
    password: Annotated[str | None, typer.Option("--password", help="密码(省略:终端中输入,否则随机生成)"
                                                 " / password (default: prompted, or generated)")] = None,
    data: DataOpt = None,
    db: DbOpt = None,
    rules: RulesOpt = None,
) -> None:
    """新建账号并显示其 API 令牌(只显示一次,在最后一行)/ add an account; prints its API token once, last."""
    if not name.strip() or len(name) > 100:
        raise _fail("用户名不能为空,最长 100 字 / the user name must be 1–100 characters")
    if agency is None and not admin:
        raise _fail("请给出 --agency 单位,或 --admin(区政务公开办)/ give --agency, or --admin for the office")
    try:
        from tongzhou_check.serve.auth import AccountError, add_user
        from tongzhou_check.serve.db import open_db
    except ImportError as exc:
        raise _fail(_missing(exc)) from None
    from tongzhou_check.settings import UsageError, read_pack

    agency_id = agency_name = None
    if agency is not None:
        try:
            pack = read_pack(rules)
        except UsageError as exc:
            raise _fail(str(exc)) from None
        agency_id = pack.duty_map.lookup(agency) if pack.duty_map else None
        if agency_id is None:
            raise _fail(f"未知单位 / unknown agency: {agency} (tzcheck duties lists them)")
        agency_name = pack.duty_map.agencies[agency_id].short
    generated = False
    if password is None:
        if sys.stdin.isatty():
            password = typer.prompt("密码 / password", hide_input=True, confirmation_prompt=True)
        else:
            password, generated = secrets.token_urlsafe(12), True
    if len(password) < 8:
        raise _fail("密码至少 8 个字符 / the password needs at least 8 characters")
    settings = _settings(data, db)
    settings.data.mkdir(parents=True, exist_ok=True)
    try:
        sessions = open_db(settings.url)
        with sessions.begin() as session:
            _, token = add_user(session, name, password, agency_id, admin)
    except AccountError as exc:
        raise _fail(str(exc)) from None
    except Exception as exc:  # a database that cannot be reached or opened
        raise _fail(f"无法打开数据库 / cannot open the database {settings.url}: {type(exc).__name__}: {exc}") from None
    role = "区政务公开办 / office" if admin else f"{agency_name} ({agency_id})"
    typer.echo(f"已创建账号 / account created: {name} — {role}")
    if generated:
        typer.echo(f"密码 / password: {password}")
    typer.echo("API 令牌(只显示这一次)/ API token (shown once):")
    typer.echo(token)
