"""Content checks of profile photos and banners: an image is accepted for what it is, not
for its name, then re-encoded so that nothing the member's file carried (EXIF location,
trailing payloads, polyglot tricks) reaches other members' browsers."""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
# Decoding cost grows with pixels, not bytes: a 5 MB PNG can claim 100,000 x 100,000.
MAX_IMAGE_PIXELS = 40_000_000
MIN_SIDE = 32
ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
# The largest size each kind is stored at (LinkedIn shows banners at 1584 x 396).
MAX_SIZE = {"photo": (800, 800), "banner": (1584, 600)}


def image_clean(upload, *, kind: str) -> ContentFile:
    """Check an uploaded photo or banner by its content and return it re-encoded as JPEG.

    Raises ValidationError with a message the member can act on.
    """
    size = getattr(upload, "size", None) or 0
    if size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("This image is %(size)s; the limit is %(limit)s. Please send a smaller one.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_IMAGE_BYTES)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    data = upload.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("This image is larger than %(limit)s.") % {"limit": filesizeformat(MAX_IMAGE_BYTES)}, code="too_large"
        )
    not_an_image = ValidationError(
        _(
            "This file is not an image we can read. Send a JPEG, PNG, GIF or WebP picture "
            "(the content is checked, not the file name)."
        ),
        code="not_an_image",
    )
    too_many_pixels = ValidationError(
        _("This image has too many pixels; please send one under 40 megapixels."), code="too_many_pixels"
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except Image.DecompressionBombError:
        raise too_many_pixels
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image
    if image_format not in ACCEPTED_FORMATS:
        raise not_an_image
    if width * height > MAX_IMAGE_PIXELS:
        raise too_many_pixels
    if min(width, height) < MIN_SIDE:
        raise ValidationError(
            _("This image is too small (at least %(side)s pixels on each side).") % {"side": MIN_SIDE},
            code="too_small",
        )
    try:
        # verify() leaves the image unusable: decode a fresh copy, warnings as errors so a
        # decompression bomb Pillow only warns about is refused too.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                image = _flatten(image)
                image.thumbnail(MAX_SIZE.get(kind, MAX_SIZE["photo"]))
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=85, optimize=True)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels
    except (OSError, SyntaxError, ValueError):
        raise not_an_image
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def _flatten(image: Image.Image) -> Image.Image:
    """An RGB copy, transparent areas on white (JPEG has no alpha)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
