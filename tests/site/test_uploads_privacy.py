import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from website.privacy import mask_id_number, mask_phone
from website.uploads import IMAGE_KINDS, clean_upload

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(with_exif=False):
    out = io.BytesIO()
    image = Image.new("RGB", (20, 20), "red")
    if with_exif:
        exif = Image.Exif()
        exif[0x010F] = "SecretCamera"
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def test_masks():
    assert mask_id_number("36070219900101123X") == "3607**********123X"
    assert mask_phone("13812341234") == "138****1234"
    assert mask_id_number("") == ""


def test_pdf_is_accepted_and_renamed():
    cleaned = clean_upload(SimpleUploadedFile("我的证书.pdf", PDF_BYTES))
    assert cleaned.name.endswith(".pdf") and "证书" not in cleaned.name
    assert cleaned.original_name == "我的证书.pdf"


def test_a_file_that_lies_about_its_type_is_refused():
    disguised = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError, match="文件类型不符"):
        clean_upload(disguised)


def test_an_exe_named_pdf_is_refused():
    with pytest.raises(ValidationError, match="文件类型不符"):
        clean_upload(SimpleUploadedFile("a.pdf", b"MZ\x90\x00" + b"\x00" * 100))


def test_oversized_and_empty_files_are_refused():
    with pytest.raises(ValidationError, match="文件过大"):
        clean_upload(SimpleUploadedFile("a.pdf", PDF_BYTES + b"0" * (5 * 1024 * 1024)))
    with pytest.raises(ValidationError, match="空的"):
        clean_upload(SimpleUploadedFile("a.pdf", b""))


def test_pdf_with_javascript_is_refused():
    evil = b"%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF"
    with pytest.raises(ValidationError, match="活动内容"):
        clean_upload(SimpleUploadedFile("a.pdf", evil))


def test_images_are_reencoded_without_exif():
    cleaned = clean_upload(SimpleUploadedFile("a.jpg", png_bytes(with_exif=True)), IMAGE_KINDS)
    data = cleaned.read()
    assert b"SecretCamera" not in data
    assert Image.open(io.BytesIO(data)).format == "JPEG"


def test_pdf_refused_where_only_images_allowed():
    with pytest.raises(ValidationError, match="JPG、PNG"):
        clean_upload(SimpleUploadedFile("a.pdf", PDF_BYTES), IMAGE_KINDS)


def test_private_files_have_no_url():
    from django.core.files.storage import storages

    with pytest.raises(NotImplementedError, match="没有公开网址"):
        storages["private"].url("objections/2025/09/evidence.pdf")
