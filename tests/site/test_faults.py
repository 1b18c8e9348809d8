"""The database going away mid-request: a Chinese 503 page, never a traceback."""

import logging
from unittest import mock

from django.db import connection


def _broken_cursor(*args, **kwargs):
    raise connection.Database.OperationalError("server closed the connection unexpectedly")


def test_database_failure_in_a_view_answers_503_in_chinese(client, home, settings, caplog):
    settings.DEBUG = False
    with (
        caplog.at_level(logging.ERROR, logger="website.faults"),
        mock.patch.object(connection, "cursor", _broken_cursor),
    ):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    body = response.content.decode()
    assert "服务暂时不可用" in body
    assert "数据库暂时无法连接" in body
    assert "Traceback" not in body and "OperationalError" not in body
    record = next(r for r in caplog.records if r.name == "website.faults")
    assert record.levelno == logging.ERROR
    assert record.exc_info and record.exc_info[0].__name__ == "OperationalError"


def test_interface_error_is_handled_too(client, home, settings):
    settings.DEBUG = False

    def closed(*args, **kwargs):
        raise connection.Database.InterfaceError("connection already closed")

    with mock.patch.object(connection, "cursor", closed):
        response = client.get("/")
    assert response.status_code == 503


def test_other_errors_are_not_turned_into_503(client, home, settings):
    settings.DEBUG = False
    client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise RuntimeError("a programming error, not an outage")

    with mock.patch.object(connection, "cursor", broken):
        response = client.get("/")
    assert response.status_code == 500


def test_the_page_renders_without_any_database_access():
    """No ``db`` fixture: any query here would fail the test."""
    from website.faults import service_unavailable_response

    response = service_unavailable_response()
    assert response.status_code == 503
    assert "服务暂时不可用" in response.content.decode()
