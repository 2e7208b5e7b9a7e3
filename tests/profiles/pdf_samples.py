"""PDF files for the documents tests, made on the fly with ReportLab (no binary fixtures)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def make_pdf(text: str = "Curriculum vitae", pages: int = 1) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for page in range(pages):
        pdf.drawString(72, 720, f"{text} {page + 1}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def upload(content: bytes, name: str = "cv.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_text(content: bytes) -> str:
    """All the text of a PDF, extracted with pypdf (not with the library that wrote it)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


WINDOWS_EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run in DOS mode"
)
HTML_PAGE = b"<!DOCTYPE html><html><head><script>alert(document.cookie)</script></head><body>CV</body></html>"
