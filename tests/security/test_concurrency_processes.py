"""Two OS processes take a state change on the same submission at the same moment.

Each process is a separate Python interpreter running Django against the test
database (the one this test created, ``connection.settings_dict["NAME"]``).  Both
prepare, report ready, and wait on a barrier file; the test releases them together.
``craftsman.workflow.perform`` locks the row (``SELECT … FOR UPDATE``): exactly one
action wins, the other is refused with the "已被他人处理" message, and the timeline
and the audit log each get exactly one entry.

Needs a database both processes share: runs on PostgreSQL (CI's second pass, with
``DATABASE_URL``); skipped on SQLite, whose test database lives in this process's memory.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry

from craftsman.models import (
    Industry,
    RecommendingUnit,
    SelectionRound,
    Submission,
    SubmissionEvent,
    UnitMembership,
)
from craftsman.permissions import grant_permissions
from website.roles import group_for

pytestmark = [
    # Decided before any fixture runs: on SQLite not even the transactional database is set
    # up (its flush at teardown would take the migrations' rows, Wagtail's root page, with it).
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="两个进程需要共享数据库：仅在 PostgreSQL 上运行（SQLite 测试库在内存中）",
    ),
    # Real commits and a flush at the end: run in a pytest process of its own (make test).
    pytest.mark.own_process,
]

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60

# The worker: set up Django, say "ready", wait for "go", act, print the outcome as JSON.
WORKER = """
import json, os, sys, time
from pathlib import Path
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from craftsman.models import Submission
from craftsman.workflow import TransitionNotAllowed, perform

barrier, name, username, action, pk = sys.argv[1:6]
user = get_user_model().objects.get(username=username)
submission = Submission.objects.get(pk=int(pk))
Path(barrier, f"ready-{name}").touch()
deadline = time.monotonic() + 30
while not Path(barrier, "go").exists():
    if time.monotonic() > deadline:
        sys.exit("barrier timeout")
    time.sleep(0.001)
try:
    perform(submission, action, user, comment="并发测试：" + name, expected_state="submitted")
except TransitionNotAllowed as refusal:
    print(json.dumps({"won": False, "message": refusal.message}))
else:
    print(json.dumps({"won": True}))
"""


def database_url():
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def submitted(transactional_db):
    """A submission 待审核 at 章贡区, and two staff members of that unit."""
    ContentType.objects.clear_cache()  # a flush between tests renumbers the content types
    grant_permissions()
    unit = RecommendingUnit.objects.create(
        kind=RecommendingUnit.Kind.COUNTY, name="章贡区人社局", area="章贡区", code="360702"
    )
    now = timezone.now()
    selection_round = SelectionRound.objects.create(
        year=2030,
        title="2030年度“赣州工匠”培养选拔",
        opens_at=now - timezone.timedelta(days=10),
        closes_at=now + timezone.timedelta(days=10),
        status=SelectionRound.Status.OPEN,
    )
    for username in ("race_a", "race_b"):
        user = get_user_model().objects.create_user(username, f"{username}@example.com", "x")
        user.groups.add(group_for("unit_staff"))
        UnitMembership.objects.create(user=user, unit=unit)
    yield Submission.objects.create(
        round=selection_round,
        name="林晓东",
        recommending_unit=unit,
        industry=Industry.objects.create(name="电子信息", group=Industry.Group.PILLAR),
        status=Submission.Status.SUBMITTED,
        submitted_at=now,
    )
    # The flush after this test re-runs the post-migrate handlers, which look content
    # types up through the cache: emptied here, or it would hand out deleted ids.
    ContentType.objects.clear_cache()


def race(tmp_path, submission, *actions):
    """Start one worker per (username, action), release them together, return outcomes."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "website.settings",
    }
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                str(tmp_path),
                str(index),
                username,
                action,
                str(submission.pk),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        for index, (username, action) in enumerate(actions)
    ]
    try:
        deadline = time.monotonic() + TIMEOUT
        while not all((tmp_path / f"ready-{i}").exists() for i in range(len(workers))):
            if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
                break
            time.sleep(0.01)
        (tmp_path / "go").touch()
        outcomes = []
        for worker in workers:
            out, err = worker.communicate(timeout=TIMEOUT)
            assert worker.returncode == 0, err[-2000:]
            outcomes.append(json.loads(out.strip().splitlines()[-1]))
        return outcomes
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()


@pytest.mark.parametrize(
    "actions",
    [
        (("race_a", "return"), ("race_b", "return")),
        (("race_a", "return"), ("race_b", "decline")),
    ],
    ids=["two-returns", "return-and-decline"],
)
def test_exactly_one_of_two_processes_wins(submitted, tmp_path, actions):
    outcomes = race(tmp_path, submitted, *actions)

    winners = [o for o in outcomes if o["won"]]
    losers = [o for o in outcomes if not o["won"]]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert "已被他人处理" in losers[0]["message"] or "不能执行" in losers[0]["message"]

    submitted.refresh_from_db()
    winning_action = actions[outcomes.index(winners[0])][1]
    expected = {"return": Submission.Status.RETURNED, "decline": Submission.Status.DECLINED}
    assert submitted.status == expected[winning_action]
    assert SubmissionEvent.objects.filter(submission=submitted).count() == 1
    log = ModelLogEntry.objects.filter(object_id=str(submitted.pk), action__startswith="craftsman.")
    assert list(log.values_list("action", flat=True)) == [f"craftsman.{winning_action}"]
