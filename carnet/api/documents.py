"""/api/v1/documents: a member's CVs and cover letters, their downloads, and PDF CVs of
profiles. Same services, policy and limits as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from carnet.api.auth import optional_auth
from carnet.api.schemas import ErrorOut
from carnet.core.visibility import Audience, Relation
from carnet.profiles import documents as docs
from carnet.profiles import pdf
from carnet.profiles import selectors as profile_selectors
from carnet.profiles.services import profile_create
from carnet.profiles.views_documents import pdf_response

router = Router(tags=["documents"])


class DocumentOut(Schema):
    id: int
    kind: str
    name: str
    audience: str | None = None  # only for the owner
    is_default: bool
    format: str  # "pdf" or "text"
    size: int
    created: str
    download_url: str


class DocumentPatch(Schema):
    name: str | None = None
    audience: str | None = None
    text: str | None = None
    is_default: bool | None = None


def _out(document, *, request, owner: bool) -> dict:
    from django.urls import reverse

    return {
        "id": document.pk,
        "kind": document.kind,
        "name": document.name,
        "audience": document.audience if owner else None,
        "is_default": document.is_default,
        "format": "pdf" if document.file else "text",
        "size": document.size,
        "created": document.created.isoformat(),
        "download_url": request.build_absolute_uri(reverse("profiles:document_download", args=[document.pk])),
    }


def _bad_request(exc: ValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    raise HttpError(
        400,
        "; ".join(
            # Translators: an API error about one field (named in English), e.g. "slug: This address is taken."
            _("%(field)s: %(errors)s") % {"field": field, "errors": " ".join(messages)}
            for field, messages in detail.items()
        ),
    )


@router.get("", response={200: list[DocumentOut], 401: ErrorOut})
def my_documents(request):
    """My CVs and cover letters, with who can see each."""
    profile = profile_create(user=request.user)
    return [_out(d, request=request, owner=True) for d in docs.document_list(profile=profile)]


@router.post("", response={201: DocumentOut, 400: ErrorOut, 401: ErrorOut})
def document_add(
    request,
    kind: Form[str],
    name: Form[str],
    audience: Form[str] = Audience.CONNECTIONS.value,
    text: Form[str] = "",
    is_default: Form[bool] = False,
    file: File[UploadedFile] = None,
):
    """Add a CV (PDF) or a cover letter (PDF, or `text`). Checked by content, size-limited."""
    profile = profile_create(user=request.user)
    try:
        document = docs.document_create(
            profile=profile, kind=kind, name=name, audience=audience, upload=file, text=text, is_default=is_default
        )
    except ValidationError as exc:
        _bad_request(exc)
    return Status(201, _out(document, request=request, owner=True))


@router.patch("/{document_id}", response={200: DocumentOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut})
def document_change(request, document_id: int, payload: DocumentPatch):
    """Rename, change the audience, edit a written letter, or make a CV the default one."""
    document = docs.document_owned(document_id=document_id, owner=request.user)
    if document is None:
        raise Http404
    try:
        document = docs.document_update(
            document=document, name=payload.name, audience=payload.audience, text=payload.text
        )
        if payload.is_default:
            document = docs.document_set_default(document=document)
    except ValidationError as exc:
        _bad_request(exc)
    return _out(document, request=request, owner=True)


@router.delete("/{document_id}", response={204: None, 401: ErrorOut, 404: ErrorOut})
def document_remove(request, document_id: int):
    document = docs.document_owned(document_id=document_id, owner=request.user)
    if document is None:
        raise Http404
    docs.document_delete(document=document)
    return Status(204, None)


@router.get("/{document_id}/file", auth=optional_auth, response={200: None, 404: ErrorOut})
def document_file(request, document_id: int):
    """The document as a PDF attachment, if its audience admits the caller (404 otherwise)."""
    document, relation = docs.document_for_viewer(document_id=document_id, viewer=request.user)
    if document is None:
        raise Http404
    filename = docs.safe_filename(document.name)
    public = document.audience == Audience.PUBLIC
    if not document.file:
        author = profile_selectors.profile_view(document.profile, relation=relation, card=True).name or ""
        return pdf_response(
            pdf.letter_pdf(title=document.name, text=document.text, author=author), filename=filename, public=public
        )
    try:
        return pdf_response(document.file.open("rb"), filename=filename, public=public)
    except FileNotFoundError:
        raise Http404 from None


def _visible_profile(request, slug: str):
    profile = profile_selectors.profile_get(slug=slug)
    if profile is None:
        raise Http404
    view = profile_selectors.profile_view(profile, viewer=request.user)
    if view.relation == Relation.BLOCKED or not view.name:
        raise Http404
    return profile, view


@router.get("/profiles/{slug}", auth=optional_auth, response={200: list[DocumentOut], 404: ErrorOut})
def profile_documents(request, slug: str):
    """The CVs and cover letters of a profile that the caller may see."""
    profile, view = _visible_profile(request, slug)
    owner = view.relation == Relation.SELF
    return [
        _out(d, request=request, owner=owner)
        for d in docs.documents_for_relation(profile=profile, relation=view.relation)
    ]


@router.get("/profiles/{slug}/cv.pdf", response={200: None, 401: ErrorOut, 404: ErrorOut})
def profile_cv(request, slug: str):
    """The profile as a PDF CV, holding only what the caller may see (the owner: everything)."""
    _profile, view = _visible_profile(request, slug)
    filename = docs.safe_filename(f"{view.name} CV")
    return pdf_response(pdf.profile_cv_pdf(view), filename=filename, public=False)
