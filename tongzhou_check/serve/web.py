"""The pages: sign-in, the clerk's upload and history, a submission's report, downloads, the office's dashboard,
an agency's trend and the annual appendix. Server-rendered (Jinja2, every value escaped); forms carry CSRF tokens."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import select

from tongzhou_check.grids import SUFFIXES as APPENDIX_SUFFIXES
from tongzhou_check.serve import auth
from tongzhou_check.serve.access import Caller, caller, check_csrf, office_only
from tongzhou_check.serve.api import read_upload
from tongzhou_check.serve.app import Services, lang_of, services
from tongzhou_check.serve.db import DONE, PENDING, Submission
from tongzhou_check.serve.desk import Upload, UploadError
from tongzhou_check.serve.text import TEXT
from tongzhou_check.serve.views import (
    changes,
    dashboard,
    details_of,
    groups,
    latest_of_year,
    masked,
    previous,
    report_of,
    sparkline,
    years,
)

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA = {".xlsx": XLSX, ".docx": DOCX, ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
         ".xls": "application/vnd.ms-excel",
         ".xlsb": "application/vnd.ms-excel.sheet.binary.macroEnabled.12",
         ".ods": "application/vnd.oasis.opendocument.spreadsheet", ".csv": "text/csv", ".json": "application/json",
         ".html": "text/html; charset=utf-8", ".md": "text/markdown; charset=utf-8"}


def _secure(request: Request) -> bool:
    return services(request).settings.secure_cookies or request.url.scheme == "https"


def page(request: Request, name: str, who: Caller | None, status_code: int = 200, **context: Any) -> Response:
    lang = lang_of(request)
    response = services(request).templates.TemplateResponse(
        request, name, {"t": TEXT[lang], "lang": lang, "user": who.user if who else None,
                        "csrf": who.csrf if who else None, "masked": masked, **context},
        status_code=status_code)
    if request.query_params.get("lang") in TEXT:
        response.set_cookie("tzcheck_lang", lang, max_age=365 * 86400, httponly=True, samesite="strict",
                            secure=_secure(request))
    return response


def signed_in(request: Request) -> Caller:
    """A browser's session (a page never takes a Bearer token); otherwise to the sign-in page."""
    who = caller(request)
    if who is None or who.csrf is None:
        raise HTTPException(303, headers={"Location": "/login"})
    return who


def _login_page(request: Request, status_code: int = 200, error: str | None = None) -> Response:
    token = request.cookies.get(auth.CSRF_COOKIE) or auth.new_secret()
    response = page(request, "login.html", None, status_code, login_csrf=token, error=error)
    response.set_cookie(auth.CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request))
    return response


@router.get("/", name="home")
async def home(request: Request) -> Response:
    who = caller(request)
    if who is None or who.csrf is None:
        return _login_page(request)
    return page(request, "home.html", who, history=services(request).desk.history(who.user))


@router.get("/login")
async def login_form(request: Request) -> Response:
    return _login_page(request)


@router.post("/login")
async def login(request: Request) -> Response:
    tz: Services = services(request)
    t = TEXT[lang_of(request)]
    form = await request.form(max_files=0, max_fields=10)
    name, password = str(form.get("name") or "")[:100], str(form.get("password") or "")[:1000]
    if not auth.same(str(form.get("csrf") or ""), request.cookies.get(auth.CSRF_COOKIE)):
        return _login_page(request, 403, t["csrf"])
    address = f"ip:{request.client.host if request.client else '-'}"
    keys = (address, f"user:{name}")
    if tz.limiter.blocked(*keys):
        return _login_page(request, 429, t["too_many"])
    with tz.sessions.begin() as db:
        user = auth.check_password(db, name, password)
        if user is None:
            tz.limiter.failed(*keys)
            return _login_page(request, 401, t["bad_login"])
        cookie, _ = auth.open_session(db, user, tz.settings.session_hours)
    tz.limiter.succeeded(address)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(auth.SESSION_COOKIE, cookie, max_age=tz.settings.session_hours * 3600, httponly=True,
                        samesite="strict", secure=_secure(request))
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    who = signed_in(request)
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request, who, str(form.get("csrf") or ""))
    with services(request).sessions.begin() as db:
        auth.close_session(db, request.cookies.get(auth.SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE)
    return response


@router.post("/submissions")
async def upload(request: Request) -> Response:
    who = signed_in(request)
    form_file, as_of, year = await read_upload(request)
    try:
        form = await request.form()
        check_csrf(request, who, str(form.get("csrf") or ""))
        submission = await services(request).desk.accept(who.user, Upload(form_file.filename, form_file.read),
                                                         as_of, year)
    except UploadError as exc:
        return page(request, "home.html", who, exc.status, history=services(request).desk.history(who.user),
                    error=exc.message)
    finally:
        await form_file.close()
    return RedirectResponse(f"/submissions/{submission.id}", status_code=303)


def _mine(request: Request, who: Caller, submission_id: int) -> Submission:
    submission = services(request).desk.visible(who.user, submission_id)
    if submission is None:
        raise HTTPException(404)
    return submission


@router.get("/submissions/{submission_id}", name="submission_page")
async def submission_page(request: Request, submission_id: int) -> Response:
    who = signed_in(request)
    tz = services(request)
    submission = _mine(request, who, submission_id)
    context: dict[str, Any] = {"s": submission, "pending": submission.status in PENDING}
    if submission.status == DONE:
        report = json.loads(report_of(tz.store, submission, lang_of(request)) or b"{}")
        details = details_of(tz.store, submission)
        found = groups(report, details)
        file = (report.get("files") or [{}])[0]
        context.update(report=report, groups=found, file=file, summary=report.get("summary", {}),
                       unreadable=file.get("status") == "unreadable")
        with tz.sessions() as db:
            before = previous(db, submission)
        if before is not None:
            old = json.loads(report_of(tz.store, before, lang_of(request)) or b"{}")
            context.update(before=before, changes=changes(found, old, details_of(tz.store, before)))
    context["history"] = [s for s in tz.desk.history(who.user, 50)
                          if s.agency == submission.agency and s.agency is not None]
    return page(request, "submission.html", who, **context)


@router.get("/submissions/{submission_id}/status")
async def submission_status(request: Request, submission_id: int) -> Response:
    who = signed_in(request)
    submission = _mine(request, who, submission_id)
    return JSONResponse({"id": submission.id, "status": submission.status})


@router.post("/submissions/{submission_id}/retry")
async def retry(request: Request, submission_id: int) -> Response:
    who = signed_in(request)
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request, who, str(form.get("csrf") or ""))
    submission = _mine(request, who, submission_id)
    services(request).desk.retry(submission.id)
    return RedirectResponse(f"/submissions/{submission.id}", status_code=303)


def _download(data: bytes, filename: str, suffix: str) -> Response:
    ascii_name = "".join(ch if (ch.isascii() and ch.isalnum()) or ch in "-_." else "_" for ch in filename)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=MEDIA.get(suffix, "application/octet-stream"),
                    headers={"Content-Disposition": disposition, "Cache-Control": "private, no-store"})


@router.get("/submissions/{submission_id}/file")
async def original(request: Request, submission_id: int) -> Response:
    who = signed_in(request)
    submission = _mine(request, who, submission_id)
    data = services(request).store.read(submission.sha256, submission.suffix)
    return _download(data, submission.filename, submission.suffix)


def _stem(submission: Submission) -> str:
    return submission.filename.rsplit(".", 1)[0] or "workbook"


@router.get("/submissions/{submission_id}/annotated")
async def annotated(request: Request, submission_id: int) -> Response:
    who = signed_in(request)
    submission = _mine(request, who, submission_id)
    if not submission.annotated:
        raise HTTPException(404)
    data = services(request).store.read(submission.annotated, ".xlsx")
    return _download(data, f"{_stem(submission)}-批注版.xlsx", ".xlsx")


@router.get("/submissions/{submission_id}/report.json")
async def report_json(request: Request, submission_id: int) -> Response:
    who = signed_in(request)
    submission = _mine(request, who, submission_id)
    data = report_of(services(request).store, submission, lang_of(request))
    if data is None:
        raise HTTPException(404)
    return _download(data, f"{_stem(submission)}-report.json", ".json")


@router.get("/template.xlsx")
async def template(request: Request) -> Response:
    signed_in(request)
    tz = services(request)
    lang = lang_of(request)
    target = tz.settings.data / f"template-{lang}.xlsx"
    if not target.exists():
        from starlette.concurrency import run_in_threadpool

        from tongzhou_check.template import write_template

        partial = target.with_suffix(".tmp.xlsx")
        await run_in_threadpool(write_template, tz.pack, partial, lang)
        partial.replace(target)
    name = "报送模板.xlsx" if lang == "zh" else "submission-template.xlsx"
    return _download(target.read_bytes(), name, ".xlsx")


def _year(request: Request, known: list[int]) -> int:
    asked = request.query_params.get("year", "")
    if asked.isdigit() and 2004 <= int(asked) <= 2200:
        return int(asked)
    return known[0] if known else dt.date.today().year


@router.get("/office")
async def office(request: Request) -> Response:
    who = signed_in(request)
    office_only(request, who)
    tz = services(request)
    with tz.sessions() as db:
        known = years(db)
        year = _year(request, known)
        rows = dashboard(db, tz.agencies(), year)
    rows.sort(key=lambda r: r.latest is None)  # who submitted first, then the duty map's order
    tally = {"total": len(rows), "submitted": sum(1 for r in rows if r.latest),
             "passed": sum(1 for r in rows if r.latest and r.latest.passed)}
    shown = request.query_params.get("status", "")
    query = request.query_params.get("q", "").strip()
    if shown == "passed":
        rows = [r for r in rows if r.latest and r.latest.passed]
    elif shown == "failed":
        rows = [r for r in rows if r.latest and r.latest.status == DONE and not r.latest.passed]
    elif shown == "missing":
        rows = [r for r in rows if r.latest is None]
    elif shown == "submitted":
        rows = [r for r in rows if r.latest is not None]
    if query:
        rows = [r for r in rows if query in r.name or query == r.id]
    return page(request, "office.html", who, rows=rows, year=year, years=sorted({*known, year}, reverse=True),
                shown=shown, query=query, spark=sparkline, tally=tally)


@router.get("/office/agencies/{agency}")
async def agency_page(request: Request, agency: str) -> Response:
    who = signed_in(request)
    office_only(request, who)
    tz = services(request)
    name = tz.agencies().get(agency)
    with tz.sessions() as db:
        subs = list(db.scalars(select(Submission).where(Submission.agency == agency).order_by(Submission.id)))
    if name is None and not subs:
        raise HTTPException(404)
    done = [s for s in subs if s.status == DONE]
    return page(request, "agency.html", who, agency_name=name or agency, subs=list(reversed(subs)),
                trend=sparkline([s.errors or 0 for s in done], 480, 80), points=done)


@router.get("/office/appendix.{fmt}")
async def appendix(request: Request, fmt: str) -> Response:
    who = signed_in(request)
    office_only(request, who)
    if f".{fmt}" not in APPENDIX_SUFFIXES:
        raise HTTPException(404)
    tz = services(request)
    with tz.sessions() as db:
        year = _year(request, years(db))
        latest = latest_of_year(db, year)
    files = tuple((tz.store.path(s.sha256, s.suffix).as_posix(), f"#{s.id} {s.filename}", s.agency)
                  for s in latest if s.readable)
    if not files:
        raise HTTPException(404, f"{year} 年度没有可用的报送 / no audited submission of {year}")
    data = await tz.pool.appendix(files, year, f".{fmt}", lang_of(request))
    name = f"政务公开合规检查附件-{year}.{fmt}" if lang_of(request) == "zh" else f"compliance-appendix-{year}.{fmt}"
    return _download(data, name, f".{fmt}")
