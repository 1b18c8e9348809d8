"""Checking files that the public uploads: the type from the bytes, never the name.

One validator for every upload from outside (applications, objections,
cultivation records).  PDFs must start with ``%PDF-`` and contain no
JavaScript; images must open in Pillow and are re-encoded, which drops EXIF
(and with it GPS positions) and breaks any polyglot.  The stored name is
generated; the uploader's name is kept only as a label.
"""

import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MB = 1024 * 1024
DEFAULT_MAX_SIZE = 5 * MB
Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    extension: str
    content_type: str


PDF = Kind("pdf", "PDF", "pdf", "application/pdf")
JPEG = Kind("jpg", "JPG", "jpg", "image/jpeg")
PNG = Kind("png", "PNG", "png", "image/png")
DOCUMENT_KINDS = (PDF, JPEG, PNG)
IMAGE_KINDS = (JPEG, PNG)


def sniff(head: bytes) -> Kind | None:
    """The kind of file these first bytes belong to, or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _allowed_labels(kinds):
    return "、".join(kind.label for kind in kinds)


def clean_upload(uploaded, kinds=DOCUMENT_KINDS, max_size=DEFAULT_MAX_SIZE):
    """Validate an uploaded file and return a safe copy with a generated name.

    Raises ``ValidationError`` with a message in Chinese for an empty file, an
    oversized one, one whose bytes are not an allowed type (whatever its name
    says), a PDF with active content, or an image that does not decode.
    """
    if uploaded is None:
        raise ValidationError(_("请选择文件。"), code="required")
    if uploaded.size == 0:
        raise ValidationError(_("文件是空的，请重新选择。"), code="empty")
    if uploaded.size > max_size:
        raise ValidationError(
            _("文件过大：每个文件不能超过 %(limit)d MB。") % {"limit": max_size // MB},
            code="too_large",
        )
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    kind = sniff(data[:16])
    if kind is None or kind not in kinds:
        raise ValidationError(
            _("文件类型不符：只接受 %(kinds)s 文件（按文件内容判断，不看扩展名）。")
            % {"kinds": _allowed_labels(kinds)},
            code="bad_type",
        )
    if kind is PDF:
        lowered = data.lower()
        if b"/javascript" in lowered or b"/js " in lowered or b"/launch" in lowered:
            raise ValidationError(_("PDF 文件含有脚本等活动内容，请另存为普通 PDF 后再上传。"))
        if b"%%eof" not in lowered[-1024:]:
            raise ValidationError(_("PDF 文件不完整或已损坏，请重新导出后上传。"))
        content = data
    else:
        content = _reencode_image(data, kind)
    name = f"{uuid.uuid4().hex}.{kind.extension}"
    original_name = (getattr(uploaded, "name", "") or "")[-100:]
    safe = InMemoryUploadedFile(
        io.BytesIO(content), None, name, kind.content_type, len(content), None
    )
    safe.original_name = original_name
    safe.kind = kind
    return safe


def _reencode_image(data, kind):
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if kind is JPEG:
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format="JPEG" if kind is JPEG else "PNG", optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("图片无法识别或已损坏，请重新选择。"), code="bad_image") from exc
    return out.getvalue()
