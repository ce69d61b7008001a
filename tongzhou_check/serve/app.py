"""The app factory: `create_app(ServeSettings)` → a FastAPI app — the pages (web.py), the JSON API (api.py),
static files, security headers on every response, the upload size cap, errors as pages or JSON (never a
traceback), and at start-up the database migrated, interrupted audits failed and the worker pool started."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from tongzhou_check import __version__
from tongzhou_check.packtypes import Pack
from tongzhou_check.serve.auth import RateLimit
from tongzhou_check.serve.config import ServeSettings
from tongzhou_check.serve.db import open_db
from tongzhou_check.serve.desk import Desk, too_large
from tongzhou_check.serve.storage import Store
from tongzhou_check.serve.text import TEXT
from tongzhou_check.serve.worker import Pool
from tongzhou_check.settings import read_pack

HERE = Path(__file__).parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
MULTIPART_SLACK = 64 * 1024  # a request body may exceed the file cap by the multipart framing and form fields

Scope = MutableMapping[str, Any]
ASGI = Callable[[Scope, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]]
log = logging.getLogger("tzcheck.serve")


class BodyTooLarge(Exception):
    """A request body (sent without a Content-Length, or past it) over the cap."""


class Guard:
    """ASGI middleware: security headers on every response; a body over the cap refused before it is read (by its
    Content-Length) or as soon as it passes the cap (chunked bodies)."""

    def __init__(self, app: ASGI, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[dict]],
                       send: Callable[[dict], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in HEADERS if h[0] not in names)]
            await send(message)

        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            response = JSONResponse({"detail": too_large(self.limit - MULTIPART_SLACK)}, status_code=413,
                                    headers={"connection": "close"})
            await response(scope, receive, send_with_headers)
            return
        seen = 0

        async def counted() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return message

        await self.app(scope, counted, send_with_headers)


@dataclass
class Services:
    """What the routes use, on app.state.tz."""

    settings: ServeSettings
    sessions: sessionmaker
    store: Store
    pool: Pool
    desk: Desk
    pack: Pack
    limiter: RateLimit
    templates: Jinja2Templates

    def agencies(self) -> dict[str, str]:
        duty_map = self.pack.duty_map
        return {a.id: a.short for a in duty_map.agencies.values()} if duty_map else {}


def services(request: Request) -> Services:
    return request.app.state.tz


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def lang_of(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get("tzcheck_lang")
    return asked if asked in TEXT else services(request).settings.lang


def error_page(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    lang = lang_of(request)
    return services(request).templates.TemplateResponse(
        request, "error.html", {"t": TEXT[lang], "lang": lang, "status": status, "message": message, "user": None},
        status_code=status)


def create_app(settings: ServeSettings) -> FastAPI:
    """The desk for these settings: its database migrated, its data directory made."""
    from tongzhou_check.serve import api, web

    settings.data.mkdir(parents=True, exist_ok=True)
    sessions = open_db(settings.url)
    store = Store(settings.files, settings.tmp)
    pool = Pool(settings.workers, settings.audit_timeout, settings.rules, settings.config)
    desk = Desk(settings, sessions, store, pool)
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals["version"] = __version__
    tz = Services(settings, sessions, store, pool, desk, read_pack(settings.rules),
                  RateLimit(settings.login_attempts, settings.login_window), templates)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        interrupted = desk.recover()
        if interrupted:
            log.warning("%d interrupted audits marked failed (retriable)", interrupted)
        pool.executor()
        try:
            yield
        finally:
            pool.shutdown()

    app = FastAPI(title="tzcheck serve", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/api/v1/openapi.json",
                  description="The district's submission desk: upload a workbook, get the tzcheck report contract.")
    app.state.tz = tz

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        t = TEXT[lang_of(request)]
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else t["not_found"]
        if exc.status_code == 400 and not isinstance(exc.detail, str):
            message = "请求无效 / bad request"
        response = error_page(request, exc.status_code, message)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_page(request, 400, "请求无效 / bad request")

    @app.exception_handler(BodyTooLarge)
    async def body_too_large(request: Request, exc: BodyTooLarge) -> Response:
        return error_page(request, 413, too_large(settings.max_upload))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        return error_page(request, 500, "内部错误 / internal error")

    app.include_router(api.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(Guard, limit=settings.max_upload + MULTIPART_SLACK)
    return app
