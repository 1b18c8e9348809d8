"""``bench/run.py --quick`` end to end: migrate, seed, in-process timings, gunicorn + wrk,
and a report with every section (the figures themselves are not checked here)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"

pytestmark = [
    pytest.mark.load,  # serves the site with gunicorn: once per CI run is enough
    pytest.mark.skipif(
        shutil.which("wrk") is None or not GUNICORN.exists(),
        reason="需要 wrk 和 gunicorn 才能运行性能基准冒烟测试",
    ),
]


def test_quick_bench_writes_every_section(tmp_path):
    sys.path.insert(0, str(ROOT))
    from bench.run import SECTIONS

    docs = ROOT / "docs" / "performance.md"
    docs_before = docs.read_bytes() if docs.exists() else None
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--quick",
            "--var-dir",
            str(tmp_path / "var"),
            "--out-dir",
            str(tmp_path),
            "--port",
            "8109",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    for heading in SECTIONS:
        assert heading in text, heading
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["options"]["quick"] and report["options"]["factor"] <= 1
    for name in (
        "home",
        "publicity_list",
        "profile",
        "search",
        "floor",
        "floor_in_site",
        "admin_submission_list",
    ):
        assert report["demo"][name]["status"] == 200, name
        assert report["demo"][name]["queries"] > 0, name
    assert set(report["evaluation"]) == {
        "uncached_vs_floor",
        "cached_vs_static",
        "search",
        "long_run",
    }
    for key in ("uncached:publicity_list:256", "cached:profile:16", "floor:16", "static:256"):
        assert report["load"][key]["seconds"] == 3, key
    machine = report["machine"]
    assert machine["cores"] and machine["django"] and machine["wagtail"]
    # --quick never overwrites the committed report.
    assert (docs.read_bytes() if docs.exists() else None) == docs_before
    evaluation = report["evaluation"]
    assert set(evaluation["uncached_vs_floor"]["ratios"]) == {"demo", "scaled"}
    assert evaluation["uncached_vs_floor"]["chrome"]["demo"] > 0
    assert set(evaluation["long_run"]) >= {"cached", "uncached", "met", "uncached_met"}
