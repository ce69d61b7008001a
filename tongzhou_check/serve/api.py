"""The JSON API for scripts and CI bots: POST a workbook, GET its status and the `--format json` report contract."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile

from tongzhou_check.serve.access import Caller, api_caller, check_csrf
from tongzhou_check.serve.app import BodyTooLarge, services
from tongzhou_check.serve.db import DONE, Submission
from tongzhou_check.serve.desk import Upload, UploadError
from tongzhou_check.serve.views import report_of

router = APIRouter(prefix="/api/v1", tags=["submissions"])
ApiCaller = Annotated[Caller, Depends(api_caller)]

UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "the workbook (.xlsx .xls .ods .csv …)"},
        "as_of": {"type": "string", "format": "date", "description": "judge deadlines at (default: the year end)"},
        "year": {"type": "integer", "description": "the audited year (default: the file name's)"},
    }}}}}}


def as_json(request: Request, submission: Submission, lang: str = "zh") -> dict[str, Any]:
    tz = services(request)
    body: dict[str, Any] = {
        "id": submission.id, "status": submission.status, "reason": submission.reason,
        "file": submission.filename, "sha256": submission.sha256, "size": submission.size,
        "agency": submission.agency, "year": submission.year, "as_of": submission.as_of,
        "created_at": submission.created_at.isoformat() + "Z", "attempts": submission.attempts,
        "url": str(request.url_for("submission_page", submission_id=submission.id)),
    }
    if submission.status == DONE:
        body.update(passed=submission.passed, errors=submission.errors, warnings=submission.warnings,
                    info=submission.infos, findings=submission.findings)
        report = report_of(tz.store, submission, lang)
        body["report"] = orjson.loads(report) if report else None
    return body


async def read_upload(request: Request) -> tuple[UploadFile, str | None, str | None]:
    """The multipart form's one file and its options; a malformed body is a 400."""
    try:
        form = await request.form(max_files=1, max_fields=10)
    except (HTTPException, BodyTooLarge):
        raise
    except Exception:
        raise HTTPException(400, "无法解析上传内容 / malformed multipart body") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise HTTPException(400, "缺少文件字段 file / the multipart field `file` is missing")
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return upload, fields.get("as_of") or None, fields.get("year") or None


@router.post("/submissions", status_code=202, openapi_extra=UPLOAD_BODY,
             summary="Upload a workbook; it is audited in the background")
async def create_submission(request: Request, who: ApiCaller) -> JSONResponse:
    check_csrf(request, who, None)
    upload, as_of, year = await read_upload(request)
    try:
        submission = await services(request).desk.accept(who.user, Upload(upload.filename, upload.read),
                                                         as_of, year)
    except UploadError as exc:
        raise HTTPException(exc.status, exc.message) from None
    finally:
        await upload.close()
    return JSONResponse(as_json(request, submission), status_code=202,
                        headers={"Location": f"/api/v1/submissions/{submission.id}"})


@router.get("/submissions", summary="The caller's agency's submissions (the office: all), newest first")
async def list_submissions(request: Request, who: ApiCaller) -> list[dict]:
    return [as_json(request, s) | {"report": None} for s in services(request).desk.history(who.user)]


def _visible(request: Request, who: Caller, submission_id: int) -> Submission:
    submission = services(request).desk.visible(who.user, submission_id)
    if submission is None:
        raise HTTPException(404, "没有这个报送 / no such submission")
    return submission


@router.get("/submissions/{submission_id}", summary="A submission's status, and once done its report")
async def get_submission(request: Request, submission_id: int, who: ApiCaller, lang: str = "zh") -> Response:
    submission = _visible(request, who, submission_id)
    return Response(orjson.dumps(as_json(request, submission, "en" if lang == "en" else "zh")),
                    media_type="application/json")


@router.post("/submissions/{submission_id}/retry", status_code=202, summary="Audit a failed submission again")
async def retry_submission(request: Request, submission_id: int, who: ApiCaller) -> JSONResponse:
    check_csrf(request, who, None)
    submission = _visible(request, who, submission_id)
    if not services(request).desk.retry(submission.id):
        raise HTTPException(409, "只有失败的报送可以重新检查 / only a failed submission can be retried")
    return JSONResponse(as_json(request, _visible(request, who, submission_id)), status_code=202)
