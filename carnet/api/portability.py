"""API of profile portability: JSON Resume export and import, vCards, LinkedIn archive
import and the progress of import jobs. Same services, policy and limits as the pages."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponse, RawPostDataException
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from carnet.api.auth import optional_auth
from carnet.api.schemas import ErrorOut
from carnet.core.models import JobStatus
from carnet.profiles import selectors as profile_selectors
from carnet.profiles.portability import jsonresume, linkedin, selectors, services, uploads
from carnet.profiles.portability.report import ImportRefused

router = Router(tags=["portability"])


class ImportErrorOut(Schema):
    error: str
    detail: str
    errors: list[str] = []


class SkipOut(Schema):
    where: str
    code: str
    message: str


class ReportOut(Schema):
    source: str
    imported: dict[str, int]
    updated: list[str]
    skipped: list[SkipOut]


class JobOut(Schema):
    id: int
    kind: str
    status: str
    done: int
    total: int
    percent: int
    message: str
    report: dict
    url: str


def _job_payload(job, request) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "report": job.report,
        "url": request.build_absolute_uri(f"/api/v1/jobs/{job.pk}"),
    }


@router.get("/me/resume", response={200: dict, 401: ErrorOut})
def resume_export(request):
    """The member's own profile as a complete JSON Resume document."""
    return selectors.resume_export_for_member(user=request.user)


@router.post(
    "/me/resume",
    response={200: ReportOut, 400: ImportErrorOut, 401: ErrorOut, 413: ImportErrorOut},
    summary="Import a JSON Resume",
)
def resume_import(request, strict: bool = False):
    """Import a JSON Resume (the request body, or a multipart `file`) into the member's
    profile, all or nothing; returns the report. Needs a write token. `strict` refuses the
    nulls the schema forbids instead of reading them as absent."""
    limit = jsonresume.max_bytes()
    try:
        uploads.check_request_size(request, limit)
        upload = request.FILES.get("file") if request.content_type == "multipart/form-data" else None
        data = uploads.read_upload(upload, limit) if upload is not None else _body(request, limit)
        report = services.resume_import(user=request.user, data=data, strict=strict)
    except ImportRefused as refused:
        return Status(413 if refused.code == "too_large" else 400, refused.as_dict())
    return Status(200, report.as_dict())


def _body(request, limit: int) -> bytes:
    try:
        data = request.body
    except (RequestDataTooBig, RawPostDataException) as exc:
        raise uploads.too_large(limit) from exc
    if len(data) > limit:
        raise uploads.too_large(limit, len(data))
    return data


@router.post(
    "/me/linkedin-import",
    response={202: JobOut, 400: ImportErrorOut, 401: ErrorOut, 409: ImportErrorOut, 413: ImportErrorOut},
    summary="Import a LinkedIn data archive",
)
def linkedin_import(request, file: UploadedFile = File(...)):  # noqa: B008 - ninja's declaration style
    """Queue the import of a LinkedIn data-export zip (multipart `file`); follow it at
    /api/v1/jobs/{id}. Needs a write token."""
    limit = linkedin.max_upload_bytes()
    try:
        if file.size > limit:
            raise uploads.too_large(limit, file.size)
        linkedin.check(file)
    except ImportRefused as refused:
        return Status(413 if refused.code == "too_large" else 400, refused.as_dict())
    if any(job.status in (JobStatus.QUEUED, JobStatus.RUNNING) for job in selectors.import_jobs(owner=request.user)):
        return Status(
            409, {"error": "busy", "detail": _("An import is already running: wait for it to finish."), "errors": []}
        )
    job = services.linkedin_import_start(user=request.user, path=str(uploads.stash(file)))
    return Status(202, _job_payload(job, request))


@router.get("/jobs/{job_id}", response={200: JobOut, 401: ErrorOut, 404: ErrorOut})
def job_detail(request, job_id: int):
    """Progress and report of one of the member's jobs (nobody else's: 404)."""
    job = selectors.job_get(owner=request.user, job_id=job_id)
    if job is None:
        raise Http404
    return _job_payload(job, request)


@router.get("/profiles/{slug}/vcard", auth=optional_auth, response={200: None, 404: ErrorOut})
def profile_vcard(request, slug: str):
    """A profile's vCard 4.0 as the caller may see it (text/vcard)."""
    profile = profile_selectors.profile_get(slug=slug)
    text = selectors.vcard_get(profile=profile, viewer=request.user) if profile is not None else None
    if text is None:
        raise Http404
    response = HttpResponse(text, content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{profile.slug}.vcf"'
    response["Cache-Control"] = "private, no-store"
    return response
