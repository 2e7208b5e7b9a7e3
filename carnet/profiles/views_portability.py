"""Pages of profile portability: JSON Resume import and export, LinkedIn archive import with
its progress page, and the vCard of any profile."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carnet.core.models import JobStatus
from carnet.profiles import selectors as profile_selectors
from carnet.profiles.portability import selectors, services, uploads
from carnet.profiles.portability.forms import LinkedInImportForm, ResumeImportForm
from carnet.profiles.portability.report import ImportRefused, ImportReport

RUNNING = (JobStatus.QUEUED, JobStatus.RUNNING)


def _index(request, *, resume_form=None, linkedin_form=None, refused=None, status=200):
    context = {
        "resume_form": resume_form or ResumeImportForm(),
        "linkedin_form": linkedin_form or LinkedInImportForm(),
        "refused": refused,
        "jobs": selectors.import_jobs(owner=request.user),
    }
    return render(request, "profiles/portability/index.html", context, status=status)


@login_required
@require_GET
def index(request):
    return _index(request)


@login_required
@require_GET
def resume_download(request):
    document = selectors.resume_export_for_member(user=request.user)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{request.user.profile.slug}-resume.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def resume_import(request):
    form = ResumeImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, resume_form=form, status=400)
    try:
        job = services.resume_import_recorded(user=request.user, data=form.cleaned_data["data"])
    except ImportRefused as refused:
        form.add_error("file", refused.message)
        return _index(request, resume_form=form, refused=refused, status=400)
    except DatabaseError:
        form.add_error("file", _("Your profile could not be saved just now: nothing was changed. Please try again."))
        return _index(request, resume_form=form, status=503)
    return redirect("profiles:import_job", job_id=job.pk)


@login_required
@require_POST
def linkedin_import(request):
    form = LinkedInImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, linkedin_form=form, status=400)
    if any(job.status in RUNNING for job in selectors.import_jobs(owner=request.user)):
        form.add_error("file", _("An import is already running: wait for it to finish."))
        return _index(request, linkedin_form=form, status=409)
    path = uploads.stash(form.cleaned_data["file"])
    job = services.linkedin_import_start(user=request.user, path=path)
    return redirect("profiles:import_job", job_id=job.pk)


def _job_context(request, job_id: int) -> dict:
    job = selectors.job_get(owner=request.user, job_id=job_id)
    if job is None:
        raise Http404
    report = ImportReport.from_dict(job.report) if job.status == JobStatus.DONE else None
    return {"job": job, "report": report, "running": job.status in RUNNING}


@login_required
@require_GET
def import_job(request, job_id: int):
    return render(request, "profiles/portability/job.html", _job_context(request, job_id))


@login_required
@require_GET
def import_job_progress(request, job_id: int):
    return render(request, "profiles/portability/_job_status.html", _job_context(request, job_id))


@require_GET
def vcard(request, slug: str):
    profile = profile_selectors.profile_get(slug=slug)
    if profile is None:
        raise Http404
    text = selectors.vcard_get(profile=profile, viewer=request.user)
    if text is None:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        raise Http404
    response = HttpResponse(text, content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{profile.slug}.vcf"'
    # What the card holds depends on who asks: never cache it for anybody else.
    response["Cache-Control"] = "private, no-store"
    response["Vary"] = "Cookie, Authorization"
    return response
