"""CVs and cover letters: writes (services) and reads (selectors).

Files are checked by content (carnet.profiles.uploads), stored under MEDIA_ROOT with a random
name, and never served by a static or media URL: `document_for_viewer` decides through the
policy (`visibility.field_item_visible` with the document's audience) who may download one.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carnet.core import visibility
from carnet.core.visibility import Audience, Relation
from carnet.profiles.models import Document, DocumentKind, HistoryKind, Profile
from carnet.profiles.uploads import check_pdf

DOCUMENTS_FIELD = "documents"
NAME_MAX = 120
TEXT_MAX = 10_000


def max_documents() -> int:
    """How many CVs and cover letters one member may keep."""
    return settings.CARNET_MAX_DOCUMENTS


# ---------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------
def _clean_common(*, name: str, audience: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the document a name.")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("The name is too long (%(max)d characters at most).") % {"max": NAME_MAX}})
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Choose who can see the document.")})
    return name


def _clear_default(profile_id: int, *, keep_pk=None) -> None:
    Document.objects.filter(profile_id=profile_id, kind=DocumentKind.CV, is_default=True).exclude(pk=keep_pk).update(
        is_default=False
    )


def document_create(
    *,
    profile: Profile,
    kind: str,
    name: str,
    audience: str = Audience.CONNECTIONS,
    upload=None,
    text: str = "",
    is_default: bool = False,
) -> Document:
    """Add a CV (a PDF) or a cover letter (a PDF or a written text) to a profile.

    Raises ValidationError (by field) for bad input; then nothing is stored. The first CV
    becomes the default one. A new CV is recorded on the profile's timeline.
    """
    from carnet.profiles.activity import history_record

    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose a CV or a cover letter.")})
    name = _clean_common(name=name, audience=audience)
    text = (text or "").strip()
    if kind == DocumentKind.CV:
        if upload is None:
            raise ValidationError({"file": _("Choose the PDF file of your CV.")})
        if text:
            raise ValidationError({"text": _("A CV is a PDF file; write a cover letter for text.")})
    elif upload is None and not text:
        raise ValidationError({"file": _("Choose a PDF file or write the letter below.")})
    elif upload is not None and text:
        raise ValidationError({"text": _("Either a PDF file or a written letter, not both.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("The letter is too long (%(max)d characters at most).") % {"max": TEXT_MAX}})
    size = 0
    if upload is not None:
        try:
            size = check_pdf(upload)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc

    document = Document(profile=profile, kind=kind, name=name, audience=audience, text=text, size=size)
    stored_name = None
    try:
        with transaction.atomic():
            # Serialise a member's uploads so two at once cannot pass the count limit together.
            Profile.objects.select_for_update().filter(pk=profile.pk).first()
            if Document.objects.filter(profile=profile).count() >= max_documents():
                raise ValidationError(
                    {
                        "file": _("You already keep %(max)d documents: delete one before adding another.")
                        % {"max": max_documents()}
                    }
                )
            if kind == DocumentKind.CV:
                has_default = Document.objects.filter(profile=profile, kind=DocumentKind.CV, is_default=True).exists()
                document.is_default = is_default or not has_default
                if document.is_default:
                    _clear_default(profile.pk)
            if upload is not None:
                # The name on disk is random (see document_path); the member's file name is never used.
                document.file.save("upload.pdf", upload, save=False)
                stored_name = document.file.name
            document.save()
            if kind == DocumentKind.CV:
                history_record(
                    profile=profile,
                    kind=HistoryKind.NEW_CV,
                    field=DOCUMENTS_FIELD,
                    summary=name,
                    item_audience=audience,
                    document=document,
                )
    except BaseException:
        if stored_name:
            document.file.storage.delete(stored_name)
        raise
    return document


@transaction.atomic
def document_update(
    *, document: Document, name: str | None = None, audience: str | None = None, text: str | None = None
) -> Document:
    """Rename a document, change who can see it, or edit a written letter."""
    name = document.name if name is None else name
    audience = document.audience if audience is None else audience
    document.name = _clean_common(name=name, audience=audience)
    changed_audience = audience != document.audience
    document.audience = audience
    fields = ["name", "audience", "updated"]
    if text is not None and not document.file:
        text = text.strip()
        if not text:
            raise ValidationError({"text": _("The letter cannot be empty.")})
        if len(text) > TEXT_MAX:
            raise ValidationError(
                {"text": _("The letter is too long (%(max)d characters at most).") % {"max": TEXT_MAX}}
            )
        document.text = text
        fields.append("text")
    document.save(update_fields=fields)
    if changed_audience:
        # The timeline entry announcing a CV is seen by no more people than the CV itself.
        document.history.update(item_audience=audience)
    return document


@transaction.atomic
def document_set_default(*, document: Document) -> Document:
    """Make this CV the one offered first (one default CV per member)."""
    if document.kind != DocumentKind.CV:
        raise ValidationError(_("Only a CV can be the default document."))
    _clear_default(document.profile_id, keep_pk=document.pk)
    if not document.is_default:
        document.is_default = True
        document.save(update_fields=["is_default", "updated"])
    return document


@transaction.atomic
def document_delete(*, document: Document) -> None:
    """Delete a document and its file (once the deletion is committed). If it was the default
    CV, the newest remaining CV becomes the default."""
    was_default = document.kind == DocumentKind.CV and document.is_default
    profile_id = document.profile_id
    file_name, storage = document.file.name, document.file.storage
    document.delete()
    if file_name:
        transaction.on_commit(lambda: storage.delete(file_name))
    if was_default:
        successor = Document.objects.filter(profile_id=profile_id, kind=DocumentKind.CV).order_by("-created").first()
        if successor is not None:
            successor.is_default = True
            successor.save(update_fields=["is_default", "updated"])


# ---------------------------------------------------------------------------------------
# Selectors
# ---------------------------------------------------------------------------------------
def document_list(*, profile: Profile) -> list[Document]:
    """All of a member's documents, for the member themself: CVs first, the default first."""
    return list(Document.objects.filter(profile=profile).order_by("kind", "-is_default", "-created", "-id"))


def document_visible(document: Document, *, profile: Profile, relation: Relation) -> bool:
    return visibility.field_item_visible(profile.visibility, DOCUMENTS_FIELD, document.audience, relation)


def documents_for_relation(*, profile: Profile, relation: Relation) -> list[Document]:
    """The documents a viewer in `relation` may see on the profile, in one query (none when
    the profile was read with `has_documents` false, see selectors.profile_get_bare)."""
    if not getattr(profile, "has_documents", True):
        return []
    return [d for d in document_list(profile=profile) if document_visible(d, profile=profile, relation=relation)]


def document_for_viewer(*, document_id: int, viewer) -> tuple[Document | None, Relation]:
    """The document if `viewer` may open it (else None), and the viewer's relation to its owner."""
    document = Document.objects.select_related("profile").filter(pk=document_id).first()
    if document is None:
        return None, Relation.ANONYMOUS
    relation = visibility.relation(viewer, document.profile_id)
    if not document_visible(document, profile=document.profile, relation=relation):
        return None, relation
    return document, relation


def document_owned(*, document_id: int, owner) -> Document | None:
    """One of `owner`'s own documents, for editing."""
    return Document.objects.filter(pk=document_id, profile_id=owner.pk).first()


def safe_filename(name: str, *, suffix: str = ".pdf") -> str:
    """An ASCII file name for Content-Disposition: no quotes, slashes or control characters."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9 ._-]+", "", ascii_name)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .-_")[:80]
    return f"{cleaned or 'document'}{suffix}"
