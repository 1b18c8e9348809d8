import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def test_application_form_pdf_has_chinese_text_and_is_scoped(client, users, submitted, units):
    client.force_login(users["zhanggong"])
    response = client.get(reverse("craftsman_submissions:pdf", args=[submitted.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace(" ", "")
    for expected in (
        "赣州工匠",
        "申报表",
        "王建国",
        "赣州稀金科技有限公司",
        "稀土冶炼工",
        "诚信承诺",
    ):
        assert expected in text
    assert submitted.receipt_number in text
    client.force_login(users["ruijin"])
    assert client.get(reverse("craftsman_submissions:pdf", args=[submitted.pk])).status_code == 404
