"""The masked submission export streams: constant queries, bounded memory, same scoping.

The budget: 50,000 rows must export with a peak under 200 MB. The memory test
exports 4,000 rows (tracemalloc slows Python down several times, and the test
machine is shared) and holds them to the proportional share of that budget
(16 MB); it also checks that the peak does not grow with the row count the way
an in-memory export does (it is bounded by one iterator chunk of instances).
"""

import csv
import datetime
import io
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from craftsman.models import CertificateType, SkillLevel, Status, Submission
from craftsman.validators import make_resident_id
from craftsman.views.submissions import SubmissionIndexView
from website.privacy import mask_id_number

INDEX = "craftsman_submissions:index"
BUDGET_50K_ROWS = 200 * 1024 * 1024


@pytest.fixture
def login(request, client):
    """Log a user in past two-factor sign-in (the ``verified_login`` fixture of
    tests/conftest.py), or with a plain ``force_login`` where that fixture is absent."""
    try:
        verified_login = request.getfixturevalue("verified_login")
    except pytest.FixtureLookupError:
        verified_login = None

    def do_login(user):
        if verified_login is not None:
            verified_login(client, user)
        else:
            client.force_login(user)
        return client

    return do_login


@pytest.fixture
def bulk(open_round, units, industry):
    """``bulk(n, unit)``: n submitted applications to a unit, created in bulk."""
    counter = iter(range(1_000_000))

    def create(count, unit):
        now = timezone.now()
        rows = []
        for _ in range(count):
            n = next(counter)
            birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=n // 900)
            rows.append(
                Submission(
                    round=open_round,
                    recommending_unit=unit,
                    status=Status.SUBMITTED,
                    receipt_number=f"B{unit.pk:02d}{n:07d}",
                    name=f"批量{n}",
                    gender="M",
                    id_number=make_resident_id("360702", birth, 100 + n % 900),
                    mobile="13812341234",
                    employer="赣州稀金科技有限公司",
                    work_area="360702",
                    industry=industry,
                    occupation="稀土冶炼工",
                    years_in_trade=15,
                    certificate_type=CertificateType.SKILL_LEVEL,
                    skill_level=SkillLevel.LEVEL_2,
                    achievements="长期扎根一线。",
                    submitted_at=now,
                )
            )
        Submission.objects.bulk_create(rows, batch_size=1000)

    return create


def xlsx_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [[cell.value for cell in row] for row in workbook.active.iter_rows()]


def test_xlsx_export_is_scoped_masked_and_complete(login, users, units, bulk):
    bulk(1200, units["zhanggong"])
    bulk(300, units["ruijin"])

    rows = xlsx_rows(login(users["bureau"]).get(reverse(INDEX), {"export": "xlsx"}))
    header, body = rows[0], rows[1:]
    assert len(body) == 1500
    id_column = header.index("身份证号（脱敏）")
    sample = Submission.objects.get(receipt_number=body[0][header.index("申报编号")])
    assert body[0][id_column] == mask_id_number(sample.id_number)
    flat = " ".join(str(value) for row in body[:200] for value in row)
    assert sample.id_number not in flat and "13812341234" not in flat
    assert "138****1234" in flat

    rows = xlsx_rows(login(users["zhanggong"]).get(reverse(INDEX), {"export": "xlsx"}))
    body = rows[1:]
    assert len(body) == 1200
    units_seen = {row[rows[0].index("推荐单位")] for row in body}
    assert units_seen == {"章贡区人社局"}


def test_csv_export_streams_the_same_scoped_rows(login, users, units, bulk):
    bulk(600, units["zhanggong"])
    bulk(300, units["ruijin"])
    response = login(users["ruijin"]).get(reverse(INDEX), {"export": "csv"})
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 301
    assert "身份证号（脱敏）" in rows[0]
    assert all("****" in row[rows[0].index("身份证号（脱敏）")] for row in rows[1:])


def export_queries(client, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(INDEX), {"export": "xlsx", **params})
        b"".join(response.streaming_content)
    return len(captured)


def test_export_query_count_does_not_grow_with_rows(login, users, units, bulk, monkeypatch):
    monkeypatch.setattr(SubmissionIndexView, "export_chunk_size", 300)
    client = login(users["bureau"])
    bulk(50, units["zhanggong"])
    small = export_queries(client)
    bulk(1150, units["ruijin"])
    large = export_queries(client)
    # 1,200 rows are four chunks of the iterator: at most three more fetches, no per-row query.
    assert large <= small + 3, (small, large)


def test_export_peak_memory_fits_the_budget(login, users, units, bulk):
    client = login(users["bureau"])

    def peak_of_export():
        tracemalloc.start()
        try:
            response = client.get(reverse(INDEX), {"export": "xlsx"})
            # Reading the stream to its end closes the response, as a WSGI server would; a
            # second close() would fire request_finished and, on PostgreSQL, close the test's
            # database connection.
            size = sum(len(chunk) for chunk in response.streaming_content)
            return tracemalloc.get_traced_memory()[1], size
        finally:
            tracemalloc.stop()

    bulk(800, units["zhanggong"])
    small_peak, _size = peak_of_export()
    bulk(3200, units["ruijin"])
    large_peak, size = peak_of_export()
    assert size > 4000 * 40  # the 4,000 rows really are in the file
    assert large_peak < BUDGET_50K_ROWS * 4000 / 50000, large_peak
    # Streaming: five times the rows must not cost anywhere near five times the memory.
    assert large_peak < 2 * small_peak + 8 * 1024 * 1024, (small_peak, large_peak)
