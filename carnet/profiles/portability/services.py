"""Writes of the portability features: imports into a member's profile, and the core.Job rows
that follow long imports.

An import is all or nothing: the file is read and checked first (nothing written), then
`plan_apply` writes the plan in one transaction through the profile services, which apply
the models' own rules and limits. An item those rules refuse is skipped and reported; any
other failure rolls the whole import back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from carnet.core.models import Job, JobStatus
from carnet.organizations.models import Organization, OrganizationKind
from carnet.profiles import services as profile_services
from carnet.profiles.models import Profile, normalize_skill
from carnet.profiles.portability import jsonresume, linkedin
from carnet.profiles.portability.plan import ImportPlan
from carnet.profiles.portability.report import ImportRefused, ImportReport
from carnet.profiles.registry import MAX_SKILLS, MAX_WEBSITES, SECTIONS

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

JOB_KIND_RESUME = "jsonresume_import"
JOB_KIND_LINKEDIN = "linkedin_import"
_validate_url = URLValidator(schemes=["http", "https"])
_validate_email = EmailValidator()


# ---------------------------------------------------------------------------------------
# Imports
# ---------------------------------------------------------------------------------------
def resume_import(*, user, data: bytes, strict: bool = False) -> ImportReport:
    """Import a JSON Resume file into `user`'s profile, all or nothing. Raises ImportRefused."""
    report = ImportReport(source="jsonresume")
    plan = jsonresume.read(data, report=report, strict=strict)
    plan_apply(user=user, plan=plan, report=report)
    return report


def linkedin_import(*, user, archive, progress: Progress | None = None) -> ImportReport:
    """Import a LinkedIn data-export zip (a binary file object) into `user`'s profile, all or
    nothing. Raises ImportRefused."""
    report = ImportReport(source="linkedin")
    plan = linkedin.read(archive, report=report, progress=progress)
    plan_apply(user=user, plan=plan, report=report)
    return report


def _error_text(exc: ValidationError, model: type[models.Model] | None = None) -> str:
    if not hasattr(exc, "error_dict"):
        return " ".join(str(m) for m in exc.messages)
    parts = []
    for name, messages in exc.message_dict.items():
        label = name
        if model is not None and name != "__all__":
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except Exception:  # noqa: BLE001 - a non-field key: show it as it is
                label = name
        text = " ".join(str(m) for m in messages)
        parts.append(text if name == "__all__" else f"{label}: {text}")
    return "; ".join(parts)


def _fit(model: type[models.Model], data: dict, where: str, report: ImportReport) -> dict:
    """Shorten text to the columns' sizes (reported) and drop web addresses that are not."""
    for name, value in list(data.items()):
        if not isinstance(value, str):
            continue
        field = model._meta.get_field(name)
        if isinstance(field, models.URLField):
            if value and not _url_ok(value, field.max_length):
                report.skip(f"{where}.{name}", "invalid_url", value=value[:80])
                data[name] = ""
        elif field.max_length and len(value) > field.max_length:
            data[name] = value[: field.max_length].rstrip()
            report.skip(f"{where}.{name}", "truncated", limit=field.max_length)
    return data


def _url_ok(value: str, max_length: int | None = None) -> bool:
    if max_length and len(value) > max_length:
        return False
    try:
        _validate_url(value)
    except ValidationError:
        return False
    return True


def _organizations(names: set[str], kind: str) -> dict[str, Organization]:
    """The company (or school) page of each name, matched case-insensitively, in one query."""
    if not names:
        return {}
    found: dict[str, Organization] = {}
    rows = (
        Organization.objects.annotate(lname=Lower("name"))
        .filter(kind=kind, lname__in=[n.lower() for n in names])
        .order_by("id")
    )
    for org in rows:
        found.setdefault(org.name.lower(), org)
    return found


class _Writer:
    def __init__(self, *, profile: Profile, report: ImportReport):
        self.profile = profile
        self.report = report

    def add(self, section: str, where: str, data: dict) -> bool:
        """Create one section item through the profile service; skip (reported) what its
        rules refuse."""
        spec = SECTIONS[section]
        data = _fit(spec.model, data, where, self.report)
        try:
            profile_services.section_item_create(profile=self.profile, section=section, data=data)
        except ValidationError as exc:
            self.report.skip(where, "invalid", errors=_error_text(exc, spec.model))
            return False
        except IntegrityError:
            self.report.skip(where, "duplicate")
            return False
        self.report.count(section)
        return True

    def each(self, section: str, items: list, build: Callable, key: Callable, seen: set) -> None:
        """Add `items`, skipping those whose `key` is already on the profile or earlier in the file."""
        fresh = []
        for item in items:
            item_key = key(item)
            if item_key in seen:
                self.report.skip(item.where, "duplicate")
                continue
            seen.add(item_key)
            fresh.append(item)
        # Sections that put a new item on top get the file's items last to first, so that
        # they end up in the file's order (the newest job first, as files list them).
        if SECTIONS[section].new_at_top:
            fresh.reverse()
        for item in fresh:
            self.add(section, item.where, build(item))


def _fold(*parts) -> tuple:
    return tuple(" ".join(str(p or "").casefold().split()) if not isinstance(p, int) else p for p in parts)


def _apply_basics(profile: Profile, plan: ImportPlan, report: ImportReport) -> None:
    user = profile.user
    fields: dict[str, str] = {}
    for name, (value, where) in plan.basics.items():
        if name in ("first_name", "last_name"):
            continue
        if name == "contact_email":
            try:
                _validate_email(value)
            except ValidationError:
                report.skip(where, "invalid_email", value=value[:80])
                continue
        field = Profile._meta.get_field(name)
        if field.max_length and len(value) > field.max_length:
            if name in ("contact_email", "phone"):
                report.skip(where, "invalid", errors=_("too long"))
                continue
            value = value[: field.max_length].rstrip()
            report.skip(where, "truncated", limit=field.max_length)
        fields[name] = value

    websites = [dict(w) for w in profile.websites or [] if isinstance(w, dict) and w.get("url")]
    known = {w["url"].rstrip("/").casefold() for w in websites}
    for site in plan.websites:
        if not _url_ok(site.url, 500):
            report.skip(site.where, "invalid_url", value=site.url[:80])
        elif site.url.rstrip("/").casefold() in known:
            report.skip(site.where, "duplicate")
        elif len(websites) >= MAX_WEBSITES:
            report.skip(site.where, "invalid", errors=_("at most %(limit)s websites") % {"limit": MAX_WEBSITES})
        else:
            websites.append({"url": site.url, "label": site.label[:60]})
            known.add(site.url.rstrip("/").casefold())
    if websites != (profile.websites or []):
        fields["websites"] = websites

    fields = {name: value for name, value in fields.items() if getattr(profile, name) != value}
    first = plan.basics.get("first_name", (user.first_name, ""))[0][:150]
    last = plan.basics.get("last_name", (user.last_name, ""))[0][:150]
    renamed = [n for n, v in (("first_name", first), ("last_name", last)) if getattr(user, n) != v]
    if fields or renamed:
        profile_services.profile_intro_update(profile=profile, first_name=first, last_name=last, **fields)
    report.updated.extend([*renamed, *fields.keys()])


def _apply_skills(profile: Profile, plan: ImportPlan, report: ImportReport) -> None:
    have = {normalize_skill(ps.skill.name) for ps in profile.skills.select_related("skill")}
    for name, where in plan.skills:
        key = normalize_skill(name)
        if key in have:
            report.skip(f"{where} ({name[:60]})", "duplicate")
            continue
        if len(have) >= MAX_SKILLS:
            report.skip(
                f"{where} ({name[:60]})", "invalid", errors=_("at most %(limit)s skills") % {"limit": MAX_SKILLS}
            )
            continue
        try:
            profile_services.profile_skill_add(profile=profile, name=name)
        except ValidationError as exc:
            report.skip(f"{where} ({name[:60]})", "invalid", errors=_error_text(exc))
            continue
        have.add(key)
        report.count("skills")


def plan_apply(*, user, plan: ImportPlan, report: ImportReport) -> None:
    """Write an import plan to `user`'s profile in one transaction (nothing on failure)."""
    profile_services.profile_create(user=user)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().select_related("user").get(pk=user.pk)
        _apply_basics(profile, plan, report)
        writer = _Writer(profile=profile, report=report)

        companies = _organizations(
            {p.company for p in plan.positions} | {c.authority for c in plan.certifications if c.authority},
            OrganizationKind.COMPANY,
        )
        schools = _organizations({e.school for e in plan.education}, OrganizationKind.SCHOOL)

        existing = {(p.title, p.employer_name, p.start_date) for p in profile.positions.select_related("organization")}
        writer.each(
            "positions",
            plan.positions,
            lambda p: {
                "organization": companies.get(p.company.lower()),
                "company_name": p.company,
                "title": p.title,
                "location": p.location,
                "start_date": p.start,
                "end_date": p.end,
                "is_current": p.end is None,
                "description": p.description,
            },
            lambda p: (
                _fold(p.title, companies[p.company.lower()].name if p.company.lower() in companies else p.company)
                + (p.start,)
            ),
            {_fold(t, e) + (s,) for t, e, s in existing},
        )
        writer.each(
            "education",
            plan.education,
            lambda e: {
                "organization": schools.get(e.school.lower()),
                "school_name": e.school,
                "degree": e.degree,
                "field_of_study": e.field_of_study,
                "start_year": e.start_year,
                "end_year": e.end_year,
                "activities": e.activities,
            },
            lambda e: (
                _fold(schools[e.school.lower()].name if e.school.lower() in schools else e.school, e.degree)
                + (e.start_year,)
            ),
            {
                _fold(e.institution_name, e.degree) + (e.start_year,)
                for e in profile.education.select_related("organization")
            },
        )
        writer.each(
            "languages",
            plan.languages,
            lambda lang: {"name": lang.name, "proficiency": lang.proficiency},
            lambda lang: _fold(lang.name),
            {_fold(lang.name) for lang in profile.languages.all()},
        )
        writer.each(
            "certifications",
            plan.certifications,
            lambda c: {
                "name": c.name,
                "authority": c.authority,
                "organization": companies.get(c.authority.lower()) if c.authority else None,
                "issued": c.issued,
                "expires": c.expires,
                "credential_id": c.credential_id,
                "url": c.url,
            },
            lambda c: _fold(c.name, c.authority),
            {_fold(c.name, c.authority) for c in profile.certifications.all()},
        )
        writer.each(
            "volunteering",
            plan.volunteering,
            lambda v: {
                "organization_name": v.organization_name,
                "role": v.role,
                "start_date": v.start,
                "end_date": v.end,
                "description": v.description,
            },
            lambda v: _fold(v.organization_name, v.role) + (v.start,),
            {_fold(v.organization_name, v.role) + (v.start_date,) for v in profile.volunteering.all()},
        )
        writer.each(
            "projects",
            plan.projects,
            lambda p: {
                "name": p.name,
                "description": p.description,
                "url": p.url,
                "start_date": p.start,
                "end_date": p.end,
            },
            lambda p: _fold(p.name),
            {_fold(p.name) for p in profile.projects.all()},
        )
        writer.each(
            "publications",
            plan.publications,
            lambda p: {
                "title": p.title,
                "publisher": p.publisher,
                "date": p.date,
                "url": p.url,
                "description": p.description,
            },
            lambda p: _fold(p.title),
            {_fold(p.title) for p in profile.publications.all()},
        )
        _apply_skills(profile, plan, report)


# ---------------------------------------------------------------------------------------
# Jobs: the progress of a LinkedIn import, followed by its page and the API
# ---------------------------------------------------------------------------------------
def job_create(*, owner, kind: str) -> Job:
    return Job.objects.create(owner=owner, kind=kind, status=JobStatus.QUEUED)


def job_progress(*, job: Job, done: int, total: int, message: str = "") -> None:
    # A queryset update outside any transaction: the page polling the job sees it at once.
    job.done, job.total, job.status = done, total, JobStatus.RUNNING
    fields = {"done": done, "total": total, "status": JobStatus.RUNNING}
    if message:
        job.message = fields["message"] = message[:500]
    Job.objects.filter(pk=job.pk).update(**fields)


def job_finish(*, job: Job, report: ImportReport) -> None:
    job.status, job.report, job.finished = JobStatus.DONE, report.as_dict(), timezone.now()
    job.done = job.total = max(job.total, 1)
    job.message = ""
    job.save(update_fields=["status", "report", "finished", "done", "total", "message"])


def job_fail(*, job: Job, refused: ImportRefused | None = None) -> None:
    job.status, job.finished = JobStatus.FAILED, timezone.now()
    if refused is not None:
        job.message = refused.message[:500]
        job.report = {"error": refused.code, "errors": refused.details[:50]}
    else:
        job.message = _("The import failed unexpectedly: nothing was changed. Please try again later.")
        job.report = {"error": "internal"}
    job.save(update_fields=["status", "finished", "message", "report"])


def resume_import_recorded(*, user, data: bytes, strict: bool = False) -> Job:
    """Import a JSON Resume file and keep its report as a finished Job (for the report page).
    Raises ImportRefused, and then records nothing."""
    report = resume_import(user=user, data=data, strict=strict)
    job = job_create(owner=user, kind=JOB_KIND_RESUME)
    job_finish(job=job, report=report)
    return job


def linkedin_import_start(*, user, path: str) -> Job:
    """Queue the import of an uploaded LinkedIn archive saved at `path` (see uploads.stash)."""
    from carnet.profiles.portability.tasks import linkedin_import_run

    job = job_create(owner=user, kind=JOB_KIND_LINKEDIN)
    transaction.on_commit(lambda: linkedin_import_run.enqueue(job_id=job.pk, path=str(path)))
    return job
