"""Pages of CVs and cover letters, their downloads, and the PDF CV of a profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carnet.core.visibility import Audience, Relation
from carnet.profiles import documents as docs
from carnet.profiles import pdf
from carnet.profiles import selectors as profile_selectors
from carnet.profiles.forms_documents import DocumentEditForm, DocumentForm
from carnet.profiles.models import DocumentKind
from carnet.profiles.services import profile_create
from carnet.profiles.uploads import LimitedUploadHandler, upload_too_large_message


def pdf_response(content, *, filename: str, public: bool) -> HttpResponse:
    """A PDF download: always an attachment, never sniffed, never cached by shared caches."""
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(content, as_attachment=True, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0" if public else "private, no-store"
    return response


def _author(document, relation) -> str:
    """The owner's name as this reader may see it (a public letter does not make the name public)."""
    return profile_selectors.profile_view(document.profile, relation=relation, card=True).name or ""


def _deny(request):
    """Anonymous visitors are asked to sign in; members learn nothing (not even that it exists)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


@csrf_exempt
def documents_manage(request):
    # Upload handlers must be set before the body is read, hence CSRF checked just below.
    request.upload_handlers.insert(0, LimitedUploadHandler(request))
    return _documents_manage(request)


@login_required
@csrf_protect
@require_http_methods(["GET", "POST"])
def _documents_manage(request):
    profile = profile_create(user=request.user)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if getattr(request, "carnet_upload_too_large", False):
            form.add_error("file", upload_too_large_message())
        else:
            data = form.cleaned_data
            try:
                docs.document_create(
                    profile=profile,
                    kind=data["kind"],
                    name=data["name"],
                    audience=data["audience"],
                    upload=data["file"] or None,
                    text=data["text"],
                    is_default=data["is_default"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your document was added."))
                return redirect("profiles:documents")
    elif request.method == "POST" and getattr(request, "carnet_upload_too_large", False):
        form.add_error("file", upload_too_large_message())
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "documents": docs.document_list(profile=profile),
        "profile": profile,
        "limit": docs.max_documents(),
    }
    return render(request, "profiles/documents/manage.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, pk):
    document = docs.document_owned(document_id=pk, owner=request.user)
    if document is None:
        raise Http404
    initial = {"name": document.name, "audience": document.audience, "text": document.text}
    form = DocumentEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            docs.document_update(
                document=document,
                name=data["name"],
                audience=data["audience"],
                text=None if document.file else data["text"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your document was saved."))
            return redirect("profiles:documents")
    status = 400 if request.method == "POST" else 200
    return render(request, "profiles/documents/edit.html", {"form": form, "document": document}, status=status)


@login_required
@require_POST
def document_delete(request, pk):
    document = docs.document_owned(document_id=pk, owner=request.user)
    if document is None:
        raise Http404
    docs.document_delete(document=document)
    messages.success(request, _("The document was deleted."))
    return redirect("profiles:documents")


@login_required
@require_POST
def document_default(request, pk):
    document = docs.document_owned(document_id=pk, owner=request.user)
    if document is None:
        raise Http404
    try:
        docs.document_set_default(document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("“%(name)s” is now your default CV.") % {"name": document.name})
    return redirect("profiles:documents")


@require_GET
def document_download(request, pk):
    """Stream a CV or cover letter to a viewer the owner's chosen audience admits."""
    document, relation = docs.document_for_viewer(document_id=pk, viewer=request.user)
    if document is None:
        return _deny(request)
    filename = docs.safe_filename(document.name)
    public = document.audience == Audience.PUBLIC
    if not document.file:
        letter = pdf.letter_pdf(title=document.name, text=document.text, author=_author(document, relation))
        return pdf_response(letter, filename=filename, public=public)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return pdf_response(handle, filename=filename, public=public)


@require_GET
def document_read(request, pk):
    """A written cover letter as a page (PDF letters are downloaded)."""
    document, relation = docs.document_for_viewer(document_id=pk, viewer=request.user)
    if document is None:
        return _deny(request)
    if document.file or document.kind != DocumentKind.COVER_LETTER:
        return redirect("profiles:document_download", pk=document.pk)
    return render(
        request, "profiles/documents/read.html", {"document": document, "author": _author(document, relation)}
    )


@login_required
@require_GET
def profile_pdf(request, slug):
    """The profile as a PDF CV, as this reader may see it (the owner: everything)."""
    profile = profile_selectors.profile_get(slug=slug)
    if profile is None:
        raise Http404
    view = profile_selectors.profile_view(profile, viewer=request.user)
    if view.relation == Relation.BLOCKED or not view.name:
        raise Http404
    filename = docs.safe_filename(_("%(name)s CV") % {"name": view.name})
    return pdf_response(pdf.profile_cv_pdf(view), filename=filename, public=False)
