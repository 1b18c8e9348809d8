"""HTML validity of every public page type: the Nu HTML checker (vnu.jar, the W3C
validator) reports no error. One JVM run checks all pages: Java is slow to start."""

import json
import subprocess

import pytest
from django.test import Client

from tests.browser.conftest import VNU_JAR, public_pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.needs_node_modules,
    pytest.mark.needs_java,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def saved_pages(folder):
    """Save the HTML of every public page type (and of the objection form with errors)."""
    client = Client()
    files = {}
    pages = public_pages()
    for label, url in pages:
        response = client.get(url)
        assert response.status_code == (404 if label == "404" else 200), (label, url)
        files[label] = response.content
        if label == "公示（进行中）":
            files["异议表单"] = client.get(f"{url}objection/").content
            rejected = client.post(f"{url}objection/", {"objector_type": "person"})
            assert b"error-summary" in rejected.content, rejected.status_code
            files["异议表单（有错误）"] = rejected.content
    paths = {}
    for number, (label, content) in enumerate(files.items(), start=1):
        path = folder / f"{number:02d}.html"
        path.write_bytes(content)
        paths[path.as_uri()] = label
    return paths


def test_public_pages_are_valid_html(site, tmp_path):
    paths = saved_pages(tmp_path)
    command = ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
    result = subprocess.run(
        [*command, *(str(tmp_path / name.rsplit("/", 1)[1]) for name in paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    report = [
        f"{paths.get(m.get('url'), m.get('url'))} 第{m.get('lastLine', '?')}行：{m['message']}"
        f"\n      {m.get('extract', '').strip()}"
        for m in errors
    ]
    assert not errors, "Nu HTML checker 报告错误：\n" + "\n".join(report)
