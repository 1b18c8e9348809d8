from unittest import mock

from django.db import connection


def test_healthz_reports_each_dependency(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "task_broker": "ok"}


def test_healthz_names_the_database_when_it_is_unreachable(client, db):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    with mock.patch.object(connection, "cursor", broken_cursor):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["failing"] == ["database"]
    assert body["checks"]["database"].startswith("error")
    assert body["checks"]["cache"] == "ok"
